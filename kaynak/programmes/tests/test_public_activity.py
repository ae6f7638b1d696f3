"""An activity's public page: what it tells a visitor, and what it keeps for registrants."""

from __future__ import annotations

import datetime as dt

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from kaynak.accounts.tests.helpers import url
from kaynak.directory.tests.factories import province
from kaynak.programmes.models import ActivityStatus
from kaynak.programmes.tests.factories import (
    ActivityFactory,
    RegistrationFactory,
    SessionFactory,
    TrainerFactory,
    activity_with_sessions,
    in_days,
)

pytestmark = pytest.mark.django_db

UTC = dt.UTC


def test_the_page_shows_description_audience_trainers_and_sessions_in_istanbul_time(
    client, time_machine
):
    time_machine.move_to(dt.datetime(2027, 2, 1, 9, 0, tzinfo=UTC))
    activity = ActivityFactory.create(
        title="Proje Döngüsü Yönetimi",
        description="Proje fikrinden değerlendirmeye.",
        target_audience="Derneklerin proje ekipleri.",
        capacity=25,
    )
    activity.trainers.set([TrainerFactory.create(name="Dr. Işıl Çağlar", title="Bağımsız eğitmen")])
    SessionFactory.create(
        activity=activity,
        starts_at=dt.datetime(2027, 3, 12, 6, 30, tzinfo=UTC),
        ends_at=dt.datetime(2027, 3, 12, 14, 0, tzinfo=UTC),
        province=province(35),
        venue="Alsancak Kültür Merkezi",
    )

    turkish = client.get(url("programmes:activity", activity.slug))
    english = client.get(url("programmes:activity", activity.slug, language="en"))

    assert turkish.status_code == english.status_code == 200
    for text in [
        "Proje fikrinden değerlendirmeye.",
        "Derneklerin proje ekipleri.",
        "Dr. Işıl Çağlar",
        "Alsancak Kültür Merkezi",
        "12 Mart 2027, Cuma",
        "09:30–17:00",
    ]:
        assertContains(turkish, text)
    assertContains(english, "12 March 2027, Friday")
    assertContains(english, "Who it is for")
    assertContains(english, "Registration open: 25 seats left")
    assertContains(english, 'id="registration-form"')


def test_a_draft_is_not_found(client):
    activity = activity_with_sessions(1, status=ActivityStatus.DRAFT)

    assert client.get(url("programmes:activity", activity.slug)).status_code == 404


def test_a_cancelled_activity_says_so_and_takes_no_registrations(client):
    activity = activity_with_sessions(1, status=ActivityStatus.CANCELLED, title="İptal Edilen")

    response = client.get(url("programmes:activity", activity.slug, language="en"))

    assertContains(response, "This activity is cancelled.")
    assertNotContains(response, 'id="registration-form"')


def test_the_meeting_link_is_never_on_the_public_page(client):
    activity = ActivityFactory.create(kind="webinar")
    SessionFactory.create(
        activity=activity,
        online=True,
        province=None,
        meeting_url="https://toplanti.example.org/gizli-oda",
        stream_url="https://yayin.example.org/canli",
    )

    response = client.get(url("programmes:activity", activity.slug))

    assertNotContains(response, "gizli-oda")
    # The stream too is for registrants while the activity asks people to register.
    assertNotContains(response, "yayin.example.org")


def test_an_open_webinar_shows_its_stream_and_no_form(client):
    activity = ActivityFactory.create(kind="webinar", registration_required=False)
    SessionFactory.create(
        activity=activity,
        online=True,
        province=None,
        meeting_url="https://toplanti.example.org/gizli-oda",
        stream_url="https://yayin.example.org/canli",
    )

    response = client.get(url("programmes:activity", activity.slug, language="en"))

    assertContains(response, "https://yayin.example.org/canli")
    assertContains(response, "Open to all: no registration needed")
    assertNotContains(response, "gizli-oda")
    assertNotContains(response, 'id="registration-form"')


def test_recordings_of_past_sessions_are_listed(client):
    activity = ActivityFactory.create(kind="webinar", title="Aylık Webinar: Hibe Başvurusu")
    SessionFactory.create(
        activity=activity,
        online=True,
        province=None,
        starts_at=in_days(-20),
        recording_url="https://video.example.org/kayit-1",
    )
    SessionFactory.create(activity=activity, online=True, province=None, starts_at=in_days(5))

    response = client.get(url("programmes:activity", activity.slug, language="en"))

    assertContains(response, "Recordings")
    assertContains(response, "https://video.example.org/kayit-1")


def test_a_full_activity_offers_the_waiting_list(client):
    activity = activity_with_sessions(1, capacity=1)
    RegistrationFactory.create(activity=activity)

    response = client.get(url("programmes:activity", activity.slug, language="en"))

    assertContains(response, "Join the waiting list")


def test_a_closed_registration_says_why_instead_of_a_form(client):
    activity = activity_with_sessions(1, registration_opens_at=in_days(3))

    response = client.get(url("programmes:activity", activity.slug, language="en"))

    assertContains(response, "Registration opens on")
    assertNotContains(response, 'id="registration-form"')


def test_a_full_activity_without_a_waiting_list_shows_no_form(client):
    activity = activity_with_sessions(1, capacity=1, waitlist=False)
    RegistrationFactory.create(activity=activity)

    response = client.get(url("programmes:activity", activity.slug, language="en"))

    assertNotContains(response, 'id="registration-form"')
    assertContains(response, '<p class="seats full">')
