"""RSS of new calls and the iCal calendar of deadlines, all and filtered."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import feedparser
import icalendar
import pytest
from django.test import Client
from django.utils import timezone

from kaynak.accounts.tests.helpers import url
from kaynak.radar.models import DeadlineKind, OpportunityStatus
from kaynak.radar.tests.factories import OpportunityFactory, in_days

pytestmark = pytest.mark.django_db


def events(response: Any) -> list[Any]:
    calendar = icalendar.Calendar.from_ical(response.content)
    return list(calendar.walk("VEVENT"))


def test_the_rss_feed_lists_published_calls_newest_first(client: Client) -> None:
    old = OpportunityFactory.create(title="Eski Çağrı")
    old.published_at = timezone.now() - dt.timedelta(days=3)
    old.save(update_fields=["published_at"])
    OpportunityFactory.create(title="Yeni Çağrı", themes=["women"])
    OpportunityFactory.create(title="Taslak", status=OpportunityStatus.DRAFT)
    response = client.get(url("radar:rss"))
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo
    assert [entry.title for entry in feed.entries] == ["Yeni Çağrı", "Eski Çağrı"]
    assert feed.entries[0].link.endswith(
        url("radar:opportunity", feed.entries[0].id.split("/")[-2])
    )
    assert [tag.term for tag in feed.entries[0].tags] == ["Kadın"]


def test_the_rss_feed_takes_the_listing_filters(client: Client) -> None:
    OpportunityFactory.create(title="Kadın Hibesi", summary="", themes=["women"])
    OpportunityFactory.create(title="Çevre Hibesi", summary="", themes=["environment"])
    feed = feedparser.parse(client.get(url("radar:rss") + "?themes=environment").content)
    assert [entry.title for entry in feed.entries] == ["Çevre Hibesi"]
    feed = feedparser.parse(client.get(url("radar:rss") + "?q=kadin").content)
    assert [entry.title for entry in feed.entries] == ["Kadın Hibesi"]


def test_the_calendar_has_an_all_day_event_for_a_date_only_deadline(client: Client) -> None:
    call = OpportunityFactory.create(
        title="Tarihli", deadline_date=in_days(10), url="https://x.example/1"
    )
    OpportunityFactory.create(
        title="Sürekli", deadline_kind=DeadlineKind.ROLLING, deadline_date=None
    )
    response = client.get(url("radar:ical"))
    assert response["Content-Type"].startswith("text/calendar")
    [event] = events(response)
    assert event["summary"] == "Son başvuru tarihi: Tarihli"
    assert event.decoded("dtstart") == in_days(10)
    assert event.decoded("dtend") == in_days(11)
    assert str(event["url"]).endswith(url("radar:opportunity", call.pk))
    assert "https://x.example/1" in str(event["description"])
    assert str(event["uid"]).startswith(f"radar-call-{call.pk}@")


def test_a_timed_deadline_keeps_its_stated_zone(client: Client) -> None:
    OpportunityFactory.create(
        title="Brüksel",
        deadline_date=dt.date(2099, 3, 31),
        deadline_time=dt.time(17, 0),
        deadline_timezone="Europe/Brussels",
    )
    response = client.get(url("radar:ical"))
    calendar = icalendar.Calendar.from_ical(response.content)
    [event] = list(calendar.walk("VEVENT"))
    start = event.decoded("dtstart")
    assert start == dt.datetime(2099, 3, 31, 17, 0, tzinfo=ZoneInfo("Europe/Brussels"))
    assert start.utcoffset() == dt.timedelta(hours=2)
    assert b"TZID=Europe/Brussels" in response.content
    assert [tz["tzid"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Brussels"]


def test_further_cut_offs_are_events_of_their_own(client: Client) -> None:
    call = OpportunityFactory.create(
        title="İki Aşamalı",
        deadline_date=in_days(10),
        other_deadlines=[
            {"date": in_days(40).isoformat(), "label": "Full application"},
            {"date": "not a date", "label": "broken"},
        ],
    )
    found = events(client.get(url("radar:call-ical", call.pk)))
    assert [str(e["summary"]) for e in found] == [
        "Son başvuru tarihi: İki Aşamalı",
        "Full application: İki Aşamalı",
    ]
    assert found[1].decoded("dtstart") == in_days(40)


def test_the_calendar_takes_filters_and_keeps_recently_closed_calls(client: Client) -> None:
    OpportunityFactory.create(title="Kadın", themes=["women"], deadline_date=in_days(5))
    OpportunityFactory.create(title="Çevre", themes=["environment"], deadline_date=in_days(5))
    OpportunityFactory.create(title="Geçen hafta", themes=["women"], deadline_date=in_days(-7))
    OpportunityFactory.create(title="Geçen yıl", themes=["women"], deadline_date=in_days(-300))
    found = events(client.get(url("radar:ical") + "?themes=women"))
    assert sorted(str(e["summary"]) for e in found) == [
        "Son başvuru tarihi: Geçen hafta",
        "Son başvuru tarihi: Kadın",
    ]


def test_the_listing_links_to_its_feeds_with_its_filters(client: Client) -> None:
    html = client.get(url("radar:list", language="en") + "?themes=women").content.decode()
    assert f'href="{url("radar:rss", language="en")}?themes=women"' in html
    assert f'href="{url("radar:ical", language="en")}?themes=women"' in html
    assert 'type="application/rss+xml"' in html


def test_feeds_of_a_draft_call_are_not_found(client: Client) -> None:
    draft = OpportunityFactory.create(status=OpportunityStatus.DRAFT)
    assert client.get(url("radar:call-ical", draft.pk)).status_code == 404
