"""The registrant's own page, reached by the signed link in their mail: status, sessions, the
meeting link for seat holders, the QR code, cancelling and taking an offered seat."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import signing
from django.urls import resolve
from pytest_django.asserts import assertContains, assertNotContains

from kaynak.accounts.tests.helpers import url
from kaynak.directory.tests.factories import PersonFactory
from kaynak.programmes import services
from kaynak.programmes.links import SALT, registration_from_token, registration_token
from kaynak.programmes.models import Registration, RegistrationStatus
from kaynak.programmes.tests.factories import (
    ActivityFactory,
    RegistrationFactory,
    SessionFactory,
    activity_with_sessions,
    in_days,
)

pytestmark = pytest.mark.django_db


def page_of(registration, language: str = "tr") -> str:
    return url("programmes:registration", registration_token(registration), language=language)


def sign_up(activity):
    person = PersonFactory.create()
    return services.register(activity=activity, person=person, email=person.emails[0])


def online_activity(**kwargs):
    activity = ActivityFactory.create(kind="webinar", **kwargs)
    SessionFactory.create(
        activity=activity,
        online=True,
        province=None,
        meeting_url="https://toplanti.example.org/oda-42",
        stream_url="https://yayin.example.org/canli",
    )
    return activity


def is_page_of(location: str, registration: Registration, language: str) -> bool:
    """``location`` is the registrant's page of ``registration`` in ``language`` (tokens carry
    a timestamp, so two links to one page may differ: compare what they name)."""
    match = resolve(location)
    return (
        match.url_name == "registration"
        and registration_from_token(match.kwargs["token"]) == registration
        and location.startswith("/en/") == (language == "en")
    )


def test_a_confirmed_registrant_sees_status_code_qr_and_the_meeting_link(client):
    registration = RegistrationFactory.create(activity=online_activity())

    turkish = client.get(page_of(registration))
    english = client.get(page_of(registration, "en"))

    assert turkish.status_code == english.status_code == 200
    assertContains(english, "You have a seat.")
    assertContains(english, registration.code)
    assertContains(english, 'class="qr-code"')
    assertContains(english, "https://toplanti.example.org/oda-42")
    assertContains(turkish, registration.code)
    assertContains(turkish, "https://toplanti.example.org/oda-42")
    assert english["Cache-Control"].startswith("max-age=0")


def test_the_qr_code_encodes_the_registration_code(client):
    import segno

    registration = RegistrationFactory.create(activity=activity_with_sessions(1))

    html = client.get(page_of(registration)).content.decode()

    expected = segno.make_qr(registration.code, error="m").svg_inline(
        scale=5, border=4, svgclass="qr-code"
    )
    assert expected in html


def test_someone_on_the_waiting_list_sees_their_place_but_not_the_meeting_link(client):
    activity = online_activity(capacity=1)
    sign_up(activity)
    sign_up(activity)
    waiting = sign_up(activity)

    response = client.get(page_of(waiting, "en"))

    assertContains(response, "You are on the waiting list: number 2.")
    assertNotContains(response, "oda-42")


def test_a_registrant_cancels_after_confirming_and_the_seat_is_offered_to_the_next(client):
    activity = activity_with_sessions(1, capacity=1)
    holder = sign_up(activity)
    waiting = sign_up(activity)
    cancel = url("programmes:registration-cancel", registration_token(holder), language="en")

    asked = client.get(cancel)
    assertContains(asked, "Yes, cancel my registration")
    holder.refresh_from_db()
    assert holder.status == RegistrationStatus.CONFIRMED  # asking changes nothing

    done = client.post(cancel)

    assert done.status_code == 302
    assert is_page_of(done["Location"], holder, "en")
    holder.refresh_from_db()
    waiting.refresh_from_db()
    assert holder.status == RegistrationStatus.CANCELLED
    assert waiting.status == RegistrationStatus.OFFERED
    page = client.get(done["Location"])
    assertContains(page, "Your registration is cancelled.")
    assertNotContains(page, "Cancel my registration</a>")


def test_an_offered_seat_is_taken_from_the_page(client):
    activity = activity_with_sessions(1, capacity=1)
    holder = sign_up(activity)
    offered = sign_up(activity)
    services.cancel_registration(registration=holder)
    offered.refresh_from_db()

    page = client.get(page_of(offered, "en"))
    assertContains(page, "A seat is offered to you.")
    assertContains(page, "Take the seat")

    response = client.post(url("programmes:registration-accept", registration_token(offered)))

    offered.refresh_from_db()
    assert offered.status == RegistrationStatus.CONFIRMED
    assert is_page_of(response["Location"], offered, "tr")


def test_a_lapsed_offer_is_explained_not_accepted(client, time_machine):
    time_machine.move_to(dt.datetime.now(dt.UTC))
    activity = activity_with_sessions(1, capacity=1, start_in=20, offer_hours=24)
    holder = sign_up(activity)
    offered = sign_up(activity)
    services.cancel_registration(registration=holder)
    time_machine.shift(dt.timedelta(hours=30))

    response = client.post(
        url("programmes:registration-accept", registration_token(offered), language="en"),
        follow=True,
    )

    assertContains(response, "This seat offer is no longer open")
    offered.refresh_from_db()
    assert offered.status == RegistrationStatus.OFFERED  # the worker lapses it, not the page


@pytest.mark.parametrize(
    "token",
    [
        "bozuk-baglanti",
        signing.dumps([1, "AAAAAAAA"], salt=SALT, compress=True) + "x",
        signing.dumps([1, "AAAAAAAA"], salt="baska-bir-tuz", compress=True),
        signing.dumps("tek-deger", salt=SALT),
    ],
)
def test_a_forged_or_damaged_link_gets_a_clear_not_found_page(client, token):
    RegistrationFactory.create(activity=activity_with_sessions(1))

    for name in ["programmes:registration", "programmes:registration-cancel"]:
        response = client.get(url(name, token, language="en"))
        assert response.status_code == 404
        assertContains(response, "This link does not work", status_code=404)
    accepted = client.post(url("programmes:registration-accept", token, language="en"))
    assert accepted.status_code == 404
    cancelled = client.post(url("programmes:registration-cancel", token))
    assert cancelled.status_code == 404


def test_a_link_to_another_registration_with_the_wrong_code_does_not_work(client):
    registration = RegistrationFactory.create(activity=activity_with_sessions(1))
    forged = signing.dumps([registration.pk, "ZZZZZZZZ"], salt=SALT, compress=True)

    assert client.get(url("programmes:registration", forged)).status_code == 404


def test_the_registrant_can_no_longer_cancel_once_the_activity_is_over(client):
    activity = ActivityFactory.create()
    SessionFactory.create(activity=activity, starts_at=in_days(-3))
    registration = RegistrationFactory.create(activity=activity)

    response = client.get(page_of(registration, "en"))

    assertNotContains(response, "Cancel my registration")
