"""The roll call of a session: who may use it, what it lists, and one tap writing (and undoing)
the ledger delivery."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from kaynak.accounts.models import Role
from kaynak.accounts.tests.factories import StaffFactory, UserFactory
from kaynak.accounts.tests.helpers import url
from kaynak.core.models import AuditEntry
from kaynak.directory.tests.factories import OrganisationFactory, PersonFactory
from kaynak.ledger.models import Delivery
from kaynak.programmes import services
from kaynak.programmes.models import Attendance, AttendanceMethod, RegistrationStatus
from kaynak.programmes.tests.factories import RegistrationFactory, activity_with_sessions

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def coordinator():
    return StaffFactory.create(roles=[Role.PROGRAMME_COORDINATOR])


@pytest.fixture
def staff_client(coordinator) -> Client:
    return client_for(coordinator)


@pytest.fixture
def session():
    return activity_with_sessions(2).sessions.first()


def registrant(session, name: str, **kwargs):
    person = PersonFactory.create(full_name=name)
    return RegistrationFactory.create(activity=session.activity, person=person, **kwargs)


def mark(client: Client, session, registration, present: bool, *, htmx: bool = True):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(
        url("programmes:staff-roll-call-mark", session.pk, registration.pk),
        {"present": "1" if present else "0"},
        headers=headers,
    )


def main_html(response) -> str:
    html = response.content.decode()
    return html[html.index('<main id="main"') : html.index("</main>")]


def test_visitors_are_sent_to_log_in(client, session):
    response = client.get(url("programmes:staff-roll-call", session.pk))

    assert response.status_code == 302
    assert "/login/" in response["Location"]


@pytest.mark.parametrize("roles", [None, [Role.ME_OFFICER], [Role.SUPPORT_AGENT]])
def test_members_and_staff_without_the_right_do_not_find_the_roll_call(roles, session):
    registration = registrant(session, "Ayşe Yılmaz")
    user = UserFactory.create() if roles is None else StaffFactory.create(roles=roles)
    client = client_for(user)

    assert client.get(url("programmes:staff-roll-call", session.pk)).status_code == 404
    assert mark(client, session, registration, True).status_code == 404
    assert not Attendance.objects.exists()


def test_the_roll_call_lists_those_with_a_seat_in_turkish_alphabetical_order(staff_client, session):
    for name in ["Zeynep Kaya", "Çiğdem Işık", "Cem Yıldız", "Şule Aydın", "Ömer Sarı"]:
        registrant(session, name)
    registrant(session, "Derya Bekler", status=RegistrationStatus.WAITLISTED)
    registrant(session, "Deniz İptal", status=RegistrationStatus.CANCELLED)
    registrant(session, "Oya Teklif", status=RegistrationStatus.OFFERED)

    response = staff_client.get(url("programmes:staff-roll-call", session.pk))

    html = main_html(response)
    names = ["Cem Yıldız", "Çiğdem Işık", "Oya Teklif", "Ömer Sarı", "Şule Aydın", "Zeynep Kaya"]
    positions = [html.index(name) for name in names]
    assert positions == sorted(positions)
    assert "Derya Bekler" not in html
    assert "Deniz İptal" not in html


def test_marking_present_writes_the_ledger_delivery_and_marking_absent_withdraws_it(
    staff_client, session, coordinator
):
    registration = registrant(session, "Ayşe Yılmaz")

    response = mark(staff_client, session, registration, True)

    assert response.status_code == 200
    attendance = Attendance.objects.get()
    assert attendance.method == AttendanceMethod.ROLL_CALL
    assert attendance.marked_by == coordinator
    delivery = Delivery.objects.get()
    assert delivery.person == registration.person
    assert delivery.quantity == Decimal("6.00")
    assert delivery.withdrawn_at is None
    assert 'aria-pressed="true"' in response.content.decode()
    assert 'id="attendance-counts"' in response.content.decode()
    assert 'hx-swap-oob="true"' in response.content.decode()

    response = mark(staff_client, session, registration, False)

    assert response.status_code == 200
    assert not Attendance.objects.exists()
    assert Delivery.objects.get(pk=delivery.pk).withdrawn_at is not None
    assert 'aria-pressed="false"' in response.content.decode()
    assert AuditEntry.objects.filter(action="kaynak.programmes.attendance.unmarked").exists()


def test_a_double_tap_marks_once(staff_client, session):
    registration = registrant(session, "Ayşe Yılmaz")

    mark(staff_client, session, registration, True)
    mark(staff_client, session, registration, True)

    assert Attendance.objects.count() == 1
    assert Delivery.objects.filter(withdrawn_at__isnull=True).count() == 1


def test_without_javascript_marking_returns_to_the_roll_call_with_the_search_kept(
    staff_client, session
):
    registration = registrant(session, "Ayşe Yılmaz")

    response = staff_client.post(
        url("programmes:staff-roll-call-mark", session.pk, registration.pk),
        {"present": "1", "q": "ayşe"},
    )

    assertRedirects(
        response,
        url("programmes:staff-roll-call", session.pk) + "?q=ay%C5%9Fe",
        fetch_redirect_response=False,
    )
    assert Attendance.objects.filter(registration=registration, session=session).exists()


def test_someone_who_lost_their_seat_meanwhile_is_not_marked_and_the_row_says_why(
    staff_client, session
):
    registration = registrant(session, "Ayşe Yılmaz")
    services.cancel_registration(registration=registration)

    response = mark(staff_client, session, registration, True)

    assert response.status_code == 200
    assertContains(response, 'role="alert"')
    assert not Attendance.objects.exists()
    assert not Delivery.objects.exists()


def test_a_registration_of_another_activity_cannot_be_marked_here(staff_client, session):
    stranger = RegistrationFactory.create()

    response = mark(staff_client, session, stranger, True)

    assert response.status_code == 404
    assert not Attendance.objects.exists()


def test_the_search_folds_turkish_letters_on_the_server_too(staff_client, session):
    registrant(session, "Çiğdem Işık")
    registrant(session, "Zeynep Kaya")

    response = staff_client.get(url("programmes:staff-roll-call", session.pk), {"q": "CIGDEM isik"})

    html = main_html(response)
    assert "Çiğdem Işık" in html
    assert "Zeynep Kaya" not in html
    assert 'data-search="cigdem isik' in html


def test_each_row_carries_the_folded_name_and_organisation_for_the_search_box(
    staff_client, session
):
    organisation = OrganisationFactory.create(name="Şişli Gönüllüleri Derneği")
    person = PersonFactory.create(full_name="İsmail Öz", emails=["ismail@ornek.org"])
    RegistrationFactory.create(activity=session.activity, person=person, organisation=organisation)

    response = staff_client.get(url("programmes:staff-roll-call", session.pk))

    assertContains(response, 'data-search="ismail oz sisli gonulluleri dernegi ismail ornek org"')
    assertContains(response, "programmes/rollcall.js")


def test_the_counts_say_how_many_are_present_of_those_registered(staff_client, session):
    first = registrant(session, "Ayşe Yılmaz")
    registrant(session, "Zeynep Kaya")
    registrant(session, "Cem Yıldız")
    services.mark_attendance(registration=first, session=session)

    response = staff_client.get(url("programmes:staff-roll-call", session.pk, language="en"))

    assertContains(response, "<strong>1</strong> present of <strong>3</strong> registered")


def test_attendance_on_another_day_is_not_attendance_today(staff_client, session):
    registration = registrant(session, "Ayşe Yılmaz")
    other_day = session.activity.sessions.exclude(pk=session.pk).get()
    services.mark_attendance(registration=registration, session=other_day)

    response = staff_client.get(url("programmes:staff-roll-call", session.pk))

    assertContains(response, 'aria-pressed="false"')
    assertNotContains(response, 'aria-pressed="true"')


def test_the_roll_call_costs_the_same_queries_for_3_or_30_registrants(
    staff_client, session, django_assert_num_queries
):
    for number in range(3):
        registrant(session, f"Kişi {number}")
    staff_client.get(url("programmes:staff-roll-call", session.pk))  # warm the caches
    with CaptureQueriesContext(connection) as few:
        staff_client.get(url("programmes:staff-roll-call", session.pk))
    for number in range(3, 30):
        registration = registrant(session, f"Kişi {number}")
        if number % 2:
            services.mark_attendance(registration=registration, session=session)

    with django_assert_num_queries(len(few.captured_queries)):
        response = staff_client.get(url("programmes:staff-roll-call", session.pk))

    assert main_html(response).count('<li id="registration-') == 30
