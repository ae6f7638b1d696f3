"""QR check-in: a scanned or typed code gets one clear answer, and only a seat holder of this
activity is marked present (method "qr"), with the ledger delivery."""

from __future__ import annotations

import pytest
from django.test import Client
from pytest_django.asserts import assertContains

from kaynak.accounts.models import Role
from kaynak.accounts.tests.factories import StaffFactory, UserFactory
from kaynak.accounts.tests.helpers import url
from kaynak.core.models import AuditEntry
from kaynak.directory.tests.factories import PersonFactory
from kaynak.ledger.models import Delivery
from kaynak.programmes import services
from kaynak.programmes.attendance.check_in import (
    CheckInOutcome,
    admit_at_the_door,
    check_in,
    code_from_scan,
)
from kaynak.programmes.links import registration_url
from kaynak.programmes.models import Attendance, AttendanceMethod, RegistrationStatus
from kaynak.programmes.services import RegistrationError
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


def registrant(session, name: str = "Ayşe Yılmaz", **kwargs):
    person = PersonFactory.create(full_name=name)
    return RegistrationFactory.create(activity=session.activity, person=person, **kwargs)


def scan(client: Client, session, code: str, language: str = "en", **more: str):
    return client.post(
        url("programmes:staff-check-in", session.pk, language=language),
        {"code": code, **more},
        headers={"HX-Request": "true"},
    )


# --- Reading the code ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    ["7KQ2M9XA", "7kq2m9xa", " 7KQ2 M9XA ", "7KQ2-M9XA", "KAYNAK:7KQ2M9XA", "Kod: 7kq2-m9xa"],
)
def test_a_code_is_read_however_it_was_typed_or_encoded(typed):
    assert code_from_scan(typed) == "7KQ2M9XA"


def test_a_qr_code_holding_the_registrants_signed_page_names_its_registration(session):
    registration = registrant(session)

    assert code_from_scan(registration_url(registration)) == registration.code


def test_a_forged_link_names_no_registration(session):
    registrant(session)

    assert code_from_scan("https://kaynak.example/etkinlikler/kayit/forged-token/") != ""
    assert check_in(
        session=session, scanned="https://kaynak.example/kayit/forged/", by=None
    ).outcome == (CheckInOutcome.UNKNOWN)


# --- The answers ---------------------------------------------------------------------------


def test_a_registrant_with_a_seat_is_checked_in_with_the_ledger_delivery(
    staff_client, session, coordinator
):
    registration = registrant(session)

    response = scan(staff_client, session, registration.code.lower())

    assertContains(response, "Checked in")
    assertContains(response, "Ayşe Yılmaz is checked in.")
    assertContains(response, 'data-outcome="checked-in"')
    attendance = Attendance.objects.get()
    assert attendance.method == AttendanceMethod.QR
    assert attendance.session == session
    assert attendance.marked_by == coordinator
    assert Delivery.objects.get().person == registration.person


def test_the_answer_comes_with_the_new_counts(staff_client, session):
    registration = registrant(session)
    registrant(session, "Zeynep Kaya")

    response = scan(staff_client, session, registration.code)

    assertContains(response, 'hx-swap-oob="true"')
    assertContains(response, "<strong>1</strong> present of <strong>2</strong> registered")


def test_a_second_scan_says_already_checked_in_and_changes_nothing(staff_client, session):
    registration = registrant(session)
    scan(staff_client, session, registration.code)

    response = scan(staff_client, session, registration.code)

    assertContains(response, "Already checked in")
    assertContains(response, 'data-outcome="already"')
    assert Attendance.objects.count() == 1
    assert AuditEntry.objects.filter(action="kaynak.programmes.attendance.marked").count() == 1


def test_a_code_of_another_activity_is_not_registered_for_this_one(staff_client, session):
    elsewhere = RegistrationFactory.create(person=PersonFactory.create(full_name="Cem Yıldız"))

    response = scan(staff_client, session, elsewhere.code)

    assertContains(response, "Not registered for this activity")
    assertContains(response, elsewhere.activity.title)
    assert not Attendance.objects.exists()


def test_someone_on_the_waiting_list_is_told_so_and_can_be_given_a_seat(staff_client, session):
    waiting = registrant(session, status=RegistrationStatus.WAITLISTED)

    response = scan(staff_client, session, waiting.code)

    assertContains(response, "On the waiting list")
    assertContains(response, 'name="admit" value="1"')
    assert not Attendance.objects.exists()

    response = scan(staff_client, session, waiting.code, admit="1")

    assertContains(response, "Checked in")
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.CONFIRMED
    assert waiting.staff_note
    assert Attendance.objects.filter(registration=waiting, session=session).exists()
    assert AuditEntry.objects.filter(action="kaynak.programmes.registration.admitted").exists()


def test_a_cancelled_registration_is_not_checked_in(staff_client, session):
    registration = registrant(session)
    services.cancel_registration(registration=registration)

    response = scan(staff_client, session, registration.code, admit="1")

    assertContains(response, 'data-outcome="cancelled"')
    assertContains(response, "Registration cancelled")
    assert not Attendance.objects.exists()


def test_an_unknown_code_is_said_to_be_unknown(staff_client, session):
    registrant(session)

    response = scan(staff_client, session, "ZZZZ9999")

    assertContains(response, "Unknown code")
    assertContains(response, "No registration has the code “ZZZZ9999”")
    assert not Attendance.objects.exists()


def test_an_empty_scan_asks_for_a_code(staff_client, session):
    response = scan(staff_client, session, "   ")

    assertContains(response, "Scan a QR code or type a registration code.")


def test_a_seat_offered_and_not_yet_taken_is_taken_by_coming(staff_client, session):
    offered = registrant(session, status=RegistrationStatus.OFFERED)

    scan(staff_client, session, offered.code)

    offered.refresh_from_db()
    assert offered.status == RegistrationStatus.CONFIRMED
    assert Attendance.objects.filter(registration=offered).exists()


def test_without_javascript_the_typed_code_gets_the_whole_page_with_the_answer(
    staff_client, session
):
    registration = registrant(session)

    response = staff_client.post(
        url("programmes:staff-check-in", session.pk, language="en"), {"code": registration.code}
    )

    assertContains(response, "<html", status_code=200)
    assertContains(response, "Ayşe Yılmaz is checked in.")
    assert Attendance.objects.exists()


def test_the_page_loads_the_scanner_script_with_the_csp_nonce_and_offers_the_typed_code(
    staff_client, session
):
    response = staff_client.get(url("programmes:staff-check-in", session.pk))

    html = response.content.decode()
    assert 'src="/static/programmes/checkin.js"' in html
    nonce = response.context["csp_nonce"]
    assert f'checkin.js" defer nonce="{nonce}"' in html
    assert 'name="code"' in html
    assert "style=" not in html[html.index("<main") :]


# --- Who may -------------------------------------------------------------------------------


def test_visitors_are_sent_to_log_in(client, session):
    response = client.get(url("programmes:staff-check-in", session.pk))

    assert response.status_code == 302
    assert "/login/" in response["Location"]


@pytest.mark.parametrize("roles", [None, [Role.ME_OFFICER], [Role.RADAR_EDITOR]])
def test_members_and_staff_without_the_right_cannot_check_anyone_in(roles, session):
    registration = registrant(session)
    user = UserFactory.create() if roles is None else StaffFactory.create(roles=roles)

    response = scan(client_for(user), session, registration.code)

    assert response.status_code == 404
    assert not Attendance.objects.exists()


def test_center_admins_may_check_in(session):
    registration = registrant(session)
    admin = StaffFactory.create(roles=[Role.CENTER_ADMIN])

    response = scan(client_for(admin), session, registration.code)

    assertContains(response, "Checked in")


# --- Giving a seat at the door -------------------------------------------------------------


def test_only_someone_waiting_can_be_given_a_seat_at_the_door(session):
    cancelled = registrant(session, status=RegistrationStatus.CANCELLED)

    with pytest.raises(RegistrationError) as refused:
        admit_at_the_door(registration=cancelled, by=None, reason="Geldi")

    assert refused.value.code == "not_waitlisted"


def test_giving_a_seat_to_someone_who_has_one_changes_nothing(session):
    confirmed = registrant(session)

    admit_at_the_door(registration=confirmed, by=None, reason="Geldi")

    assert not AuditEntry.objects.filter(action="kaynak.programmes.registration.admitted").exists()
