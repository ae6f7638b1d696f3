"""iCal of the festival's programme and of one session.

Times carry ``TZID=Europe/Istanbul`` with its VTIMEZONE; each session's UID is stable
(``festival-session-<id>@<host>``), so a moved session updates the event people already have.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from kaynak.festival.models import Festival, FestivalSession, SessionStatus
from kaynak.programmes.links import absolute


def session_url(session: FestivalSession) -> str:
    return absolute(
        reverse("festival:session", kwargs={"slug": session.festival.slug, "pk": session.pk})
    )


def _event(session: FestivalSession) -> icalendar.Event:
    assert session.starts_at is not None
    assert session.ends_at is not None
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    festival = session.festival
    host = urlsplit(settings.SITE_URL).hostname or "kaynak"
    event = icalendar.Event()
    event.add("uid", f"festival-session-{session.pk}@{host}")
    event.add("dtstamp", timezone.now().astimezone(dt.UTC))
    event.add("last-modified", session.updated_at.astimezone(dt.UTC))
    event.add("dtstart", session.starts_at.astimezone(zone))
    event.add("dtend", session.ends_at.astimezone(zone))
    event.add("summary", session.title)
    place = [str(session.venue or ""), festival.venue, festival.city, festival.province.label]
    event.add("location", ", ".join(part for part in place if part))
    url = session_url(session)
    event.add("url", url)
    people = ", ".join(p.full_name for p in session.facilitators.all())
    lines = [session.host.name if session.host else "", people, session.summary, url]
    event.add("description", "\n".join(line for line in lines if line))
    event.add("status", "CANCELLED" if session.status == SessionStatus.CANCELLED else "CONFIRMED")
    return event


def calendar(festival: Festival, sessions: Iterable[FestivalSession]) -> bytes:
    """A calendar of ``sessions`` (the programme, or one session)."""
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Kaynak//Festival//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", festival.name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    for session in sessions:
        cal.add_component(_event(session))
    cal.add_missing_timezones()
    return bytes(cal.to_ical())
