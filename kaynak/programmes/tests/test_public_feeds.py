"""Feeds: RSS of new activities; iCal of a programme, of a person (secret address) and of one
registration — parsed back with the same libraries calendar and feed readers use."""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
import zoneinfo

import icalendar
import pytest

from kaynak.accounts.tests.helpers import url
from kaynak.directory.tests.factories import PersonFactory, province
from kaynak.programmes.links import registration_token
from kaynak.programmes.models import ActivityStatus, CalendarFeed, RegistrationStatus
from kaynak.programmes.tests.factories import (
    ActivityFactory,
    ProgrammeFactory,
    RegistrationFactory,
    SessionFactory,
    activity_with_sessions,
)

pytestmark = pytest.mark.django_db

UTC = dt.UTC
ISTANBUL = zoneinfo.ZoneInfo("Europe/Istanbul")


def events_of(response) -> list[icalendar.Event]:
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    return [event for event in calendar.walk("VEVENT") if isinstance(event, icalendar.Event)]


# RSS -------------------------------------------------------------------------------------------


def test_the_rss_feed_is_valid_xml_listing_new_published_activities(client):
    older = activity_with_sessions(1, title="Eski Duyuru")
    older.published_at = dt.datetime(2026, 1, 5, 9, tzinfo=UTC)
    older.save()
    newer = activity_with_sessions(1, title="Şubat Eğitimi: Çocuk Hakları & Savunuculuk")
    newer.published_at = dt.datetime(2026, 2, 5, 9, tzinfo=UTC)
    newer.save()
    activity_with_sessions(1, title="Taslak", status=ActivityStatus.DRAFT)

    response = client.get(url("programmes:rss"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own response
    assert root.tag == "rss"
    items = root.findall("./channel/item")
    assert [item.findtext("title") for item in items] == [newer.title, "Eski Duyuru"]
    link = items[0].findtext("link")
    assert link is not None
    assert link.endswith(url("programmes:activity", newer.slug))
    assert items[0].findtext("pubDate", "").startswith("Thu, 05 Feb 2026")


def test_the_english_feed_links_to_english_pages(client):
    activity = activity_with_sessions(1)

    root = ET.fromstring(client.get(url("programmes:rss", language="en")).content)  # noqa: S314

    link = root.findtext("./channel/item/link")
    assert link is not None
    assert link.endswith(url("programmes:activity", activity.slug, language="en"))


# iCal ------------------------------------------------------------------------------------------


def test_a_programmes_calendar_has_every_session_at_the_right_time(client):
    programme = ProgrammeFactory.create(slug="aylik-webinarlar")
    activity = ActivityFactory.create(programme=programme, title="Hibe Başvurusu Yazmak")
    in_izmir = SessionFactory.create(
        activity=activity,
        starts_at=dt.datetime(2027, 3, 12, 7, 0, tzinfo=UTC),
        ends_at=dt.datetime(2027, 3, 12, 13, 0, tzinfo=UTC),
        province=province(35),
        venue="Alsancak Kültür Merkezi",
    )
    webinar = ActivityFactory.create(programme=programme, kind="webinar", title="Dijital Güvenlik")
    online = SessionFactory.create(
        activity=webinar,
        online=True,
        province=None,
        starts_at=dt.datetime(2026, 1, 20, 16, 0, tzinfo=UTC),  # past sessions stay listed
        ends_at=dt.datetime(2026, 1, 20, 17, 30, tzinfo=UTC),
        meeting_url="https://toplanti.example.org/gizli",
    )
    activity_with_sessions(1, title="Başka Programdan")
    ActivityFactory.create(programme=programme, status=ActivityStatus.DRAFT)

    response = client.get(url("programmes:programme-calendar", "aylik-webinarlar", language="en"))

    events = events_of(response)
    assert [str(e["summary"]) for e in events] == ["Dijital Güvenlik", "Hibe Başvurusu Yazmak"]
    by_uid = {str(e["uid"]): e for e in events}
    assert set(by_uid) == {f"session-{online.pk}@127.0.0.1", f"session-{in_izmir.pk}@127.0.0.1"}
    izmir = by_uid[f"session-{in_izmir.pk}@127.0.0.1"]
    assert izmir.start == in_izmir.starts_at
    assert izmir.end == in_izmir.ends_at
    start = izmir.start
    assert isinstance(start, dt.datetime)
    assert start.tzinfo == ISTANBUL  # TZID=Europe/Istanbul …
    assert start.hour == 10  # … 10:00 local, 07:00 UTC
    assert izmir["dtstart"].params["TZID"] == "Europe/Istanbul"
    assert "Alsancak Kültür Merkezi" in str(izmir["location"])
    assert "İzmir" in str(izmir["location"])
    assert str(izmir["url"]).endswith(url("programmes:activity", activity.slug, language="en"))
    online_event = by_uid[f"session-{online.pk}@127.0.0.1"]
    assert str(online_event["location"]) == "Online"
    assert b"gizli" not in response.content  # the meeting link is for registrants only
    calendar = icalendar.Calendar.from_ical(response.content)
    assert [str(tz["tzid"]) for tz in calendar.walk("VTIMEZONE")] == ["Europe/Istanbul"]


def test_a_sessions_uid_stays_the_same_when_it_moves(client):
    programme = ProgrammeFactory.create()
    session = SessionFactory.create(activity=ActivityFactory.create(programme=programme))
    before = events_of(client.get(url("programmes:programme-calendar", programme.slug)))

    session.starts_at += dt.timedelta(days=1)
    session.ends_at += dt.timedelta(days=1)
    session.save()
    after = events_of(client.get(url("programmes:programme-calendar", programme.slug)))

    assert str(before[0]["uid"]) == str(after[0]["uid"])
    assert after[0].start == before[0].start + dt.timedelta(days=1)


def test_a_cancelled_activity_is_cancelled_in_calendars(client):
    programme = ProgrammeFactory.create()
    SessionFactory.create(
        activity=ActivityFactory.create(programme=programme, status=ActivityStatus.CANCELLED)
    )

    (event,) = events_of(client.get(url("programmes:programme-calendar", programme.slug)))

    assert str(event["status"]) == "CANCELLED"


def test_a_persons_calendar_has_their_sessions_with_meeting_links_for_seat_holders(client):
    person = PersonFactory.create()
    feed = CalendarFeed.objects.create(person=person)
    seat = ActivityFactory.create(kind="webinar", title="Koltuklu")
    SessionFactory.create(
        activity=seat, online=True, province=None, meeting_url="https://toplanti.example.org/a"
    )
    RegistrationFactory.create(person=person, activity=seat)
    waiting = ActivityFactory.create(kind="webinar", title="Bekleyen")
    SessionFactory.create(
        activity=waiting, online=True, province=None, meeting_url="https://toplanti.example.org/b"
    )
    RegistrationFactory.create(
        person=person, activity=waiting, status=RegistrationStatus.WAITLISTED
    )
    RegistrationFactory.create(
        person=person,
        activity=activity_with_sessions(1, title="Vazgeçilen"),
        status=RegistrationStatus.CANCELLED,
    )
    RegistrationFactory.create(activity=activity_with_sessions(1, title="Başkasının"))

    response = client.get(url("programmes:person-calendar", feed.key))

    events = {str(e["summary"]): e for e in events_of(response)}
    assert set(events) == {"Koltuklu", "Bekleyen"}
    assert str(events["Koltuklu"]["location"]) == "https://toplanti.example.org/a"
    assert str(events["Koltuklu"]["status"]) == "CONFIRMED"
    assert str(events["Bekleyen"]["status"]) == "TENTATIVE"
    assert b"toplanti.example.org/b" not in response.content


def test_an_unknown_or_erased_persons_calendar_is_not_found(client):
    assert client.get(url("programmes:person-calendar", "yok-boyle-bir-anahtar")).status_code == 404
    erased = PersonFactory.create(erased_at=dt.datetime(2026, 1, 1, tzinfo=UTC))
    feed = CalendarFeed.objects.create(person=erased)

    assert client.get(url("programmes:person-calendar", feed.key)).status_code == 404


def test_a_registrations_calendar_by_its_signed_link(client):
    registration = RegistrationFactory.create(activity=activity_with_sessions(3, title="Üç Gün"))

    response = client.get(url("programmes:registration-calendar", registration_token(registration)))

    events = events_of(response)
    assert len(events) == 3
    assert {str(e["summary"]) for e in events} == {"Üç Gün"}
    assert client.get(url("programmes:registration-calendar", "sahte")).status_code == 404
