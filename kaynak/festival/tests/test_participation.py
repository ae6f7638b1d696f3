"""Participating organisations and their delegates' badges; check-in at the door writes one
festival delivery per person, undoing it withdraws the delivery."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from kaynak.directory.tests.factories import OrganisationFactory, PersonFactory, province
from kaynak.festival import participation, services
from kaynak.festival.models import Badge, BadgeRole, Participation
from kaynak.festival.tests.factories import (
    BadgeFactory,
    FestivalFactory,
    FestivalSessionFactory,
    VenueFactory,
    at,
)
from kaynak.ledger.models import Delivery
from kaynak.programmes.models import RegistrationStatus
from kaynak.programmes.tests.factories import RegistrationFactory

pytestmark = pytest.mark.django_db


def live_festival_deliveries():
    return Delivery.objects.filter(kind__slug="festival", withdrawn_at__isnull=True)


def test_registering_an_organisation_gives_each_delegate_a_badge():
    festival = FestivalFactory.create()
    organisation = OrganisationFactory.create()
    delegates = PersonFactory.create_batch(2)

    participation.register_organisation(
        festival=festival, organisation=organisation, stand="B-12", delegates=delegates, actor=None
    )

    registered = Participation.objects.get(festival=festival, organisation=organisation)
    assert registered.stand == "B-12"
    badges = Badge.objects.filter(festival=festival)
    assert {b.person_id for b in badges} == {p.pk for p in delegates}
    assert {b.role for b in badges} == {BadgeRole.DELEGATE}
    assert {b.organisation_id for b in badges} == {organisation.pk}


def test_registering_again_updates_the_stand_and_delegates():
    festival = FestivalFactory.create()
    organisation = OrganisationFactory.create()
    first, second, third = PersonFactory.create_batch(3)
    participation.register_organisation(
        festival=festival, organisation=organisation, delegates=[first, second], actor=None
    )

    participation.register_organisation(
        festival=festival,
        organisation=organisation,
        stand="A-1",
        delegates=[second, third],
        actor=None,
    )

    assert Participation.objects.get().stand == "A-1"
    assert set(Badge.objects.values_list("person", flat=True)) == {second.pk, third.pk}


def test_a_badge_is_made_once_and_keeps_the_strongest_role():
    festival = FestivalFactory.create()
    person = PersonFactory.create()

    one = participation.badge_for(festival=festival, person=person, role=BadgeRole.PARTICIPANT)
    two = participation.badge_for(festival=festival, person=person, role=BadgeRole.FACILITATOR)
    three = participation.badge_for(festival=festival, person=person, role=BadgeRole.DELEGATE)

    assert one.pk == two.pk == three.pk
    assert Badge.objects.get().role == BadgeRole.FACILITATOR


def test_workshop_registrants_and_facilitators_get_badges_when_badges_are_made():
    festival = FestivalFactory.create()
    session = FestivalSessionFactory.create(festival=festival)
    facilitator = PersonFactory.create()
    session.facilitators.add(facilitator)
    services.schedule(
        session=session,
        venue=VenueFactory.create(festival=festival),
        starts_at=at(festival.starts_on, 10),
        ends_at=at(festival.starts_on, 12),
        actor=None,
    )
    activity = type(session).objects.get(pk=session.pk).activity
    seated = RegistrationFactory.create(activity=activity)
    RegistrationFactory.create(activity=activity, status=RegistrationStatus.CANCELLED)

    made = participation.ensure_badges(festival=festival)

    assert made == 2
    badges = {b.person_id: b for b in Badge.objects.all()}
    assert badges[facilitator.pk].role == BadgeRole.FACILITATOR
    assert badges[facilitator.pk].organisation_id == session.host_id
    assert badges[seated.person_id].role == BadgeRole.PARTICIPANT
    assert participation.ensure_badges(festival=festival) == 0


def test_the_first_check_in_writes_one_delivery_and_the_second_none():
    festival = FestivalFactory.create(province=province(21))
    badge = BadgeFactory.create(festival=festival)
    moment = timezone.now()

    _checked, first = participation.check_in(badge=badge, actor=None, now=moment)
    again, second = participation.check_in(badge=badge, actor=None)

    assert first is True
    assert second is False
    assert again.checked_in_at == moment
    (delivery,) = live_festival_deliveries()
    assert delivery.person_id == badge.person_id
    assert delivery.organisation_id == badge.organisation_id
    assert delivery.province_id == 21
    assert delivery.date == timezone.localtime(moment).date()
    assert delivery.activity == festival.name
    assert delivery.programme == festival.programme.name


def test_undoing_a_check_in_withdraws_its_delivery_and_it_can_be_checked_in_again():
    badge = BadgeFactory.create()
    participation.check_in(badge=badge, actor=None)

    participation.undo_check_in(badge=badge, actor=None)

    assert Badge.objects.get().checked_in_at is None
    assert not live_festival_deliveries().exists()
    participation.check_in(badge=badge, actor=None, now=timezone.now() + dt.timedelta(hours=1))
    assert live_festival_deliveries().count() == 1


@pytest.mark.parametrize(
    "typed", ["{code}", " {lower} ", "{dashed}", "https://x.org/festival/c/{code}/"]
)
def test_a_badge_is_found_by_its_code_however_it_is_typed_or_scanned(typed):
    badge = BadgeFactory.create()
    code = badge.code
    text = typed.format(code=code, lower=code.lower(), dashed=f"{code[:4]}-{code[4:]}")

    assert participation.badge_by_code(badge.festival, text) == badge


def test_a_code_of_another_festival_finds_nothing():
    badge = BadgeFactory.create()

    assert participation.badge_by_code(FestivalFactory.create(), badge.code) is None
    assert participation.badge_by_code(badge.festival, "0OIL") is None
