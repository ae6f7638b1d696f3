"""Who may do what in the directory."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser

from kaynak.accounts.models import Role
from kaynak.accounts.tests.factories import StaffFactory, UserFactory
from kaynak.core.permissions import can
from kaynak.directory.tests.factories import (
    AffiliationFactory,
    OrganisationFactory,
    PersonFactory,
)

pytestmark = pytest.mark.django_db

STAFF_ACTIONS = [
    "directory.view_staff_directory",
    "directory.export_organisations",
    "directory.import_organisations",
    "directory.merge_organisations",
    "directory.view_person",
    "directory.export_person_data",
    "directory.erase_person",
]

# role → the staff actions it may do (the rest it may not).
EXPECTED = {
    Role.CENTER_ADMIN: set(STAFF_ACTIONS),
    Role.PROGRAMME_COORDINATOR: set(STAFF_ACTIONS) - {"directory.erase_person"},
    Role.ME_OFFICER: set(STAFF_ACTIONS) - {"directory.erase_person"},
    Role.SUPPORT_AGENT: {"directory.view_staff_directory", "directory.view_person"},
    Role.RADAR_EDITOR: set(),
}


@pytest.mark.parametrize("role", list(EXPECTED))
def test_each_staff_role_may_do_exactly_its_directory_actions(role):
    user = StaffFactory.create(roles=[role])

    allowed = {action for action in STAFF_ACTIONS if can(user, action)}

    assert allowed == EXPECTED[role]


def test_members_and_visitors_may_do_no_staff_action():
    member = UserFactory.create()
    for action in STAFF_ACTIONS:
        assert not can(member, action)
        assert not can(AnonymousUser(), action)


def test_any_member_may_register_an_organisation_but_a_visitor_may_not():
    assert can(UserFactory.create(), "directory.register_organisation")
    assert not can(AnonymousUser(), "directory.register_organisation")
    inactive = UserFactory.create(is_active=False)
    assert not can(inactive, "directory.register_organisation")


def test_an_ngo_admin_may_change_their_organisation_and_no_other():
    user = UserFactory.create()
    mine = OrganisationFactory.create()
    theirs = OrganisationFactory.create()
    AffiliationFactory.create(
        organisation=mine, person=PersonFactory.create(user=user), is_admin=True
    )

    assert can(user, "directory.change_organisation", mine)
    assert not can(user, "directory.change_organisation", theirs)
    assert not can(user, "directory.change_organisation")


def test_a_member_who_is_not_an_admin_or_no_longer_works_there_may_not_change_it():
    organisation = OrganisationFactory.create()
    plain = UserFactory.create()
    AffiliationFactory.create(
        organisation=organisation, person=PersonFactory.create(user=plain), is_admin=False
    )
    former = UserFactory.create()
    AffiliationFactory.create(
        organisation=organisation,
        person=PersonFactory.create(user=former),
        is_admin=True,
        end_date=dt.date(2025, 1, 1),
    )

    assert not can(plain, "directory.change_organisation", organisation)
    assert not can(former, "directory.change_organisation", organisation)
    assert not can(AnonymousUser(), "directory.change_organisation", organisation)


def test_a_deactivated_ngo_admin_may_not_change_their_organisation():
    user = UserFactory.create()
    organisation = OrganisationFactory.create()
    AffiliationFactory.create(
        organisation=organisation, person=PersonFactory.create(user=user), is_admin=True
    )
    user.is_active = False
    user.save()

    assert not can(user, "directory.change_organisation", organisation)


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.PROGRAMME_COORDINATOR, True),
        (Role.ME_OFFICER, True),
        (Role.CENTER_ADMIN, True),
        (Role.SUPPORT_AGENT, False),
        (Role.RADAR_EDITOR, False),
    ],
)
def test_directory_staff_may_change_any_organisation_support_agents_only_look(role, allowed):
    organisation = OrganisationFactory.create()

    assert can(
        StaffFactory.create(roles=[role]), "directory.change_organisation", organisation
    ) is (allowed)
