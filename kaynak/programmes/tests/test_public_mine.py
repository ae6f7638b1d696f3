""" "Eğitimlerim": a member's own registrations and certificates, an NGO admin's view of their
organisation's registrations, and the member's private calendar address."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from kaynak.accounts.tests.factories import UserFactory
from kaynak.accounts.tests.helpers import url
from kaynak.directory.tests.factories import AffiliationFactory, OrganisationFactory, PersonFactory
from kaynak.programmes.certificates import issue_certificate
from kaynak.programmes.models import CalendarFeed, RegistrationStatus
from kaynak.programmes.tests.factories import (
    RegistrationFactory,
    activity_with_sessions,
    attended,
    past_activity_with_sessions,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    return UserFactory.create(email="deniz@ornek-stk.org.tr", full_name="Deniz Kaya")


@pytest.fixture
def person(member):
    return PersonFactory.create(full_name="Deniz Kaya", emails=[member.email], user=member)


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


def titles(items) -> list[str]:
    return [item.registration.activity.title for item in items]


def test_visitors_are_asked_to_log_in(client):
    response = client.get(url("programmes:mine"))

    assertRedirects(response, f"{url('account_login')}?next={url('programmes:mine')}")


def test_a_member_sees_their_coming_and_past_trainings_with_certificates(member_client, person):
    coming = RegistrationFactory.create(
        person=person, activity=activity_with_sessions(2, title="Gelecek Eğitim")
    )
    past = RegistrationFactory.create(
        person=person, activity=past_activity_with_sessions(2, title="Geçmiş Eğitim")
    )
    certificate = issue_certificate(registration=attended(past))
    RegistrationFactory.create(activity=activity_with_sessions(1, title="Başkasının Eğitimi"))

    response = member_client.get(url("programmes:mine", language="en"))

    assert titles(response.context["upcoming"]) == ["Gelecek Eğitim"]
    assert titles(response.context["past"]) == ["Geçmiş Eğitim"]
    assertContains(response, "Download the certificate (PDF)")
    assertContains(response, url("programmes:certificate", certificate.code, language="en"))
    assertNotContains(response, "Başkasının Eğitimi")
    assert coming


def test_registrations_made_with_a_verified_address_before_the_account_are_shown(
    member_client, member
):
    # Registered as a visitor: another person record, the same address.
    RegistrationFactory.create(
        person=PersonFactory.create(full_name="Deniz Kaya", emails=[member.email]),
        email=member.email,
        activity=activity_with_sessions(1, title="Hesaptan Önce"),
    )

    response = member_client.get(url("programmes:mine"))

    assert titles(response.context["upcoming"]) == ["Hesaptan Önce"]


def test_an_ngo_admin_sees_their_organisations_registrations_and_no_one_elses(
    member_client, person
):
    mine = OrganisationFactory.create(name="Ankara Gençlik Derneği")
    other = OrganisationFactory.create(name="Başka Dernek")
    AffiliationFactory.create(person=person, organisation=mine, is_admin=True)
    colleague = PersonFactory.create(full_name="Mert Yıldız")
    RegistrationFactory.create(
        organisation=mine, person=colleague, activity=activity_with_sessions(1, title="Ortak")
    )
    RegistrationFactory.create(
        organisation=other,
        person=PersonFactory.create(full_name="Yabancı Kişi"),
        activity=activity_with_sessions(1, title="Diğer"),
    )

    response = member_client.get(url("programmes:mine", language="en"))

    assertContains(response, 'id="organisations-title"')
    assertContains(response, "Mert Yıldız")
    assertNotContains(response, "Yabancı Kişi")


def test_a_member_who_is_not_an_admin_sees_no_organisation_section(member_client, person):
    AffiliationFactory.create(person=person, is_admin=False)

    response = member_client.get(url("programmes:mine", language="en"))

    assert response.context["organisations"] == []
    assertNotContains(response, 'id="organisations-title"')


def test_the_page_costs_the_same_queries_for_few_or_many_registrations(
    member_client, person, django_assert_num_queries
):
    organisation = OrganisationFactory.create()
    AffiliationFactory.create(person=person, organisation=organisation, is_admin=True)

    def make(count: int) -> None:
        for _ in range(count):
            RegistrationFactory.create(person=person, activity=activity_with_sessions(2))
            RegistrationFactory.create(
                person=person,
                activity=past_activity_with_sessions(1),
                status=RegistrationStatus.CANCELLED,
            )
            RegistrationFactory.create(
                organisation=organisation, activity=activity_with_sessions(1)
            )

    make(1)
    member_client.get(url("programmes:mine"))
    with CaptureQueriesContext(connection) as few:
        member_client.get(url("programmes:mine"))
    make(6)

    with django_assert_num_queries(len(few.captured_queries)):
        response = member_client.get(url("programmes:mine"))
    assert len(response.context["upcoming"]) == 7


def test_the_calendar_address_is_given_renewed_and_turned_off(member_client, person):
    RegistrationFactory.create(person=person, activity=activity_with_sessions(1, title="Takvimde"))
    calendar_page = url("programmes:mine-calendar")

    assert member_client.get(url("programmes:mine")).context["calendar_url"] == ""
    member_client.post(calendar_page, {"action": "start"})
    first = CalendarFeed.objects.get(person=person).key
    address = member_client.get(url("programmes:mine")).context["calendar_url"]
    assert address.endswith(url("programmes:person-calendar", first))
    assert b"Takvimde" in member_client.get(url("programmes:person-calendar", first)).content

    member_client.post(calendar_page, {"action": "renew"})
    second = CalendarFeed.objects.get(person=person).key
    assert second != first
    assert member_client.get(url("programmes:person-calendar", first)).status_code == 404
    assert member_client.get(url("programmes:person-calendar", second)).status_code == 200

    member_client.post(calendar_page, {"action": "stop"})
    assert not CalendarFeed.objects.exists()
    assert member_client.get(url("programmes:person-calendar", second)).status_code == 404


def test_the_calendar_address_needs_a_post(member_client, person):
    assert member_client.get(url("programmes:mine-calendar")).status_code == 405
    assert not CalendarFeed.objects.exists()
