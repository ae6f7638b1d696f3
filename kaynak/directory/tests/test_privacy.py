"""KVKK/GDPR: a person's data export and erasure. Erasure anonymises the person but keeps their
service deliveries, so reported reach does not change."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.test import Client
from pytest_django.asserts import assertContains, assertRedirects

from kaynak.accounts.models import ApiToken, Role, User
from kaynak.accounts.tests.factories import PASSWORD, StaffFactory, UserFactory, api_token_for
from kaynak.accounts.tests.helpers import url
from kaynak.core.audit import history_for
from kaynak.core.errors import KaynakError
from kaynak.core.models import AuditEntry, Theme
from kaynak.directory.models import ConsentPurpose, ConsentRecord, Person
from kaynak.directory.privacy import AlreadyErased, person_data_export, person_erase
from kaynak.directory.services import consent_record, person_update
from kaynak.directory.tests.factories import (
    AffiliationFactory,
    OrganisationFactory,
    PersonFactory,
    RecordedServiceFactory,
    province,
)
from kaynak.ledger.models import Delivery
from kaynak.ledger.queries import Dimension, ReachFilter, reach_by, reach_totals
from kaynak.ledger.services import record_delivery

pytestmark = pytest.mark.django_db


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def center_admin() -> User:
    return StaffFactory.create(roles=[Role.CENTER_ADMIN])


@pytest.fixture
def person() -> Person:
    """Zeynep, a member with an account, who works at an association in İzmir, consented to
    data processing and newsletters, and attended two trainings."""
    user = UserFactory.create(email="zeynep@ornek-stk.org.tr", full_name="Zeynep Demir")
    person = PersonFactory.create(
        full_name="Zeynep Demir",
        emails=["zeynep@ornek-stk.org.tr", "zeynep.demir@gmail.com"],
        phones=["+905321112233"],
        province=province(35),
        gender="woman",
        birth_year=1990,
        user=user,
    )
    organisation = OrganisationFactory.create(name="İzmir Kadın Derneği", province=province(35))
    organisation.themes.set([Theme.objects.get(slug="women")])
    AffiliationFactory.create(person=person, organisation=organisation, role="Genel Sekreter")
    consent_record(
        person=person,
        purpose=ConsentPurpose.DATA_PROCESSING,
        granted=True,
        text_version="kvkk-2025-01",
        source="signup",
    )
    consent_record(
        person=person,
        purpose=ConsentPurpose.NEWSLETTER,
        granted=True,
        text_version="bulten-2025-01",
        source="signup",
    )
    for day in (dt.date(2025, 3, 1), dt.date(2025, 4, 1)):
        record_delivery(
            kind="training",
            source=RecordedServiceFactory.create(date=day),
            date=day,
            person=person,
            organisation=organisation,
        )
    return person


def test_the_export_holds_everything_about_the_person_as_json(person, center_admin):
    data = person_data_export(person=person, actor=center_admin)

    json.dumps(data)  # serialisable as it is
    assert data["person"]["full_name"] == "Zeynep Demir"
    assert data["person"]["emails"] == ["zeynep@ornek-stk.org.tr", "zeynep.demir@gmail.com"]
    assert data["person"]["phones"] == ["+905321112233"]
    assert data["person"]["province"] == "İzmir"
    assert data["person"]["birth_year"] == 1990
    assert data["person"]["user_account"] == "zeynep@ornek-stk.org.tr"
    assert data["affiliations"] == [
        {
            "organisation": "İzmir Kadın Derneği",
            "organisation_id": person.affiliations.get().organisation_id,
            "role": "Genel Sekreter",
            "is_admin": False,
            "start_date": "2024-01-01",
            "end_date": None,
        }
    ]
    assert [(c["purpose"], c["granted"], c["text_version"]) for c in data["consents"]] == [
        ("data-processing", True, "kvkk-2025-01"),
        ("newsletter", True, "bulten-2025-01"),
    ]
    # The ledger adds its part without the directory importing it.
    assert [(d["service"], d["date"], d["themes"]) for d in data["deliveries"]] == [
        ("training", "2025-03-01", ["women"]),
        ("training", "2025-04-01", ["women"]),
    ]


def test_the_export_is_audited_without_personal_data(person, center_admin):
    person_data_export(person=person, actor=center_admin)

    entry = history_for(person).get(action="kaynak.directory.person.exported")
    assert entry.actor == center_admin
    assert entry.data == {}
    assert "zeynep@" not in json.dumps(entry.data)


def test_staff_download_the_export_as_a_json_file(person):
    coordinator = logged_in(StaffFactory.create(roles=[Role.ME_OFFICER]))

    response = coordinator.get(url("directory:person_export", person.pk))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert (
        response["Content-Disposition"] == f'attachment; filename="kisi-{person.pk}-veriler.json"'
    )
    assert "no-store" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["person"]["full_name"] == "Zeynep Demir"
    assert len(data["deliveries"]) == 2


def test_support_agents_and_members_cannot_download_a_persons_data(person):
    support = logged_in(StaffFactory.create(roles=[Role.SUPPORT_AGENT]))
    member = logged_in(UserFactory.create())

    assert support.get(url("directory:person_export", person.pk)).status_code == 404
    assert member.get(url("directory:person_export", person.pk)).status_code == 404
    assert not AuditEntry.objects.filter(action="kaynak.directory.person.exported").exists()


def test_erasure_anonymises_the_person_and_keeps_their_deliveries(person, center_admin):
    user = person.user
    deliveries_before = list(Delivery.objects.filter(person=person).values_list("pk", flat=True))

    person_erase(person=person, actor=center_admin)

    person.refresh_from_db()
    assert person.full_name == f"Anonim kişi {person.pk}"
    assert person.search_text == f"anonim kisi {person.pk}"
    assert person.emails == []
    assert person.phones == []
    assert person.gender == ""
    assert person.birth_year is None
    assert person.user is None
    assert person.erased_at is not None
    assert person.province_id == 35  # kept on purpose: reach by province
    assert list(Delivery.objects.filter(person=person).values_list("pk", flat=True)) == (
        deliveries_before
    )
    affiliation = person.affiliations.get()
    assert affiliation.role == ""
    assert affiliation.end_date is not None
    user.refresh_from_db()
    assert user.is_active is False
    assert user.full_name == ""
    assert user.email == f"silinmis-{user.pk}@kaynak.invalid"
    assert not user.has_usable_password()


def test_reach_is_the_same_before_and_after_erasure(person, center_admin):
    other = PersonFactory.create(province=province(6))
    record_delivery(
        kind="webinar",
        source=RecordedServiceFactory.create(),
        date=dt.date(2025, 5, 1),
        person=other,
    )
    everything = ReachFilter()
    totals_before = reach_totals(everything)
    by_province_before = reach_by(everything, Dimension.PROVINCE)
    by_theme_before = reach_by(everything, Dimension.THEME)
    assert totals_before.people == 2

    person_erase(person=person, actor=center_admin)

    assert reach_totals(everything) == totals_before
    assert reach_by(everything, Dimension.PROVINCE) == by_province_before
    assert reach_by(everything, Dimension.THEME) == by_theme_before


def test_erasure_withdraws_every_consent_and_keeps_the_records_as_proof(person, center_admin):
    person_erase(person=person, actor=center_admin)

    latest = {
        purpose: ConsentRecord.objects.filter(person=person, purpose=purpose).first()
        for purpose in (ConsentPurpose.DATA_PROCESSING, ConsentPurpose.NEWSLETTER)
    }
    assert all(record is not None and not record.granted for record in latest.values())
    assert {record.source for record in latest.values() if record} == {"erasure"}
    assert ConsentRecord.objects.filter(person=person, granted=True).count() == 2


def test_the_closed_account_can_no_longer_log_in_or_use_a_token(person, center_admin):
    user = person.user
    _token, raw = api_token_for(user)
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={})

    person_erase(person=person, actor=center_admin)

    assert not Client().login(email="zeynep@ornek-stk.org.tr", password=PASSWORD)
    assert not EmailAddress.objects.filter(user=user).exists()
    assert not Authenticator.objects.filter(user=user).exists()
    assert not ApiToken.objects.filter(user=user).exists()
    assert Client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 401


def test_the_audit_log_keeps_no_name_of_the_erased_person(person, center_admin):
    person_update(person=person, actor=center_admin, birth_year=1991)
    assert history_for(person).filter(object_repr="Zeynep Demir").exists()

    person_erase(person=person, actor=center_admin)

    assert not AuditEntry.objects.filter(object_repr__contains="Zeynep").exists()
    assert not AuditEntry.objects.filter(object_repr__contains="zeynep@").exists()
    entry = history_for(person).get(action="kaynak.directory.person.erased")
    assert entry.actor == center_admin
    assert entry.data == {
        "account_closed": True,
        "merges_anonymised": 0,
        "imports_with_kept_file": [],
    }
    assert entry.object_repr == f"Anonim kişi {person.pk}"


def test_a_person_cannot_be_erased_twice(person, center_admin):
    person_erase(person=person, actor=center_admin)

    with pytest.raises(AlreadyErased):
        person_erase(person=person, actor=center_admin)


def test_erasure_is_all_or_nothing(center_admin):
    """The only center admin's own person record: closing the account would leave the center
    without an admin, so nothing at all is erased."""
    person = PersonFactory.create(full_name="Tek Yönetici", user=center_admin)

    with pytest.raises(KaynakError):
        person_erase(person=person, actor=center_admin)

    person.refresh_from_db()
    center_admin.refresh_from_db()
    assert person.full_name == "Tek Yönetici"
    assert person.erased_at is None
    assert person.user == center_admin
    assert center_admin.is_active is True


def test_only_center_admins_reach_the_erasure_page(person):
    coordinator = logged_in(StaffFactory.create(roles=[Role.PROGRAMME_COORDINATOR]))

    assert coordinator.get(url("directory:person_erase", person.pk)).status_code == 404
    assert (
        coordinator.post(url("directory:person_erase", person.pk), {"confirm": "on"}).status_code
        == 404
    )
    person.refresh_from_db()
    assert person.erased_at is None


def test_the_center_admin_confirms_before_the_erasure(person, center_admin):
    admin = logged_in(center_admin)

    page = admin.get(url("directory:person_erase", person.pk, language="en"))
    assertContains(page, "This cannot be undone")
    unconfirmed = admin.post(url("directory:person_erase", person.pk, language="en"), {})
    assert unconfirmed.status_code == 200
    assert "confirm" in unconfirmed.context["form"].errors
    person.refresh_from_db()
    assert person.erased_at is None

    confirmed = admin.post(url("directory:person_erase", person.pk), {"confirm": "on"})

    assertRedirects(confirmed, url("directory:staff_person", person.pk))
    assert Person.objects.get(pk=person.pk).erased_at is not None
    after = admin.get(url("directory:staff_person", person.pk))
    assertContains(after, f"Anonim kişi {person.pk}")
