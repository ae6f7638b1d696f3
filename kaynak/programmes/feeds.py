"""Feeds: RSS of new activities, and iCal calendars (a programme's sessions, a person's own,
one registration's).

Calendar times carry ``TZID=Europe/Istanbul`` with its VTIMEZONE, so a calendar in any zone
shows the right hour; each session's UID is stable (``session-<id>@<host>``), so a changed
session updates the event people already have instead of adding a second one.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from kaynak.core.models import CenterSettings
from kaynak.programmes import queries
from kaynak.programmes.links import absolute
from kaynak.programmes.models import SEAT_HOLDING, Activity, ActivityStatus, Registration, Session

ICAL_CONTENT_TYPE = "text/calendar; charset=utf-8"


def activity_url(activity: Activity) -> str:
    return absolute(reverse("programmes:activity", kwargs={"slug": activity.slug}))


def place_of(session: Session) -> str:
    """Where a session is, in words: "Online", or venue, address and province."""
    if session.online:
        return _("Online")
    parts = [session.venue, session.address, session.province.label if session.province else ""]
    return ", ".join(" ".join(part.split()) for part in parts if part and part.strip())


# RSS --------------------------------------------------------------------------------------------


class NewActivitiesFeed(Feed[Activity, None]):
    """The latest published activities, newest first."""

    def title(self) -> str:
        return _("%(center)s: new trainings and events") % {"center": CenterSettings.current().name}

    def link(self) -> str:
        return reverse("programmes:list")

    def description(self) -> str:
        return _("Trainings, webinars, talks and workshops as they are announced.")

    def items(self) -> Iterable[Activity]:
        return queries.new_activities()

    def item_title(self, item: Activity) -> str:
        return item.title

    def item_description(self, item: Activity) -> str:
        sessions = list(item.sessions.all())
        lines = []
        if sessions:
            first = timezone.localtime(sessions[0].starts_at)
            lines.append(f"{first:%d.%m.%Y %H:%M} · {place_of(sessions[0])}")
        if item.description:
            lines.append(Truncator(item.description).words(60))
        return "\n".join(lines)

    def item_link(self, item: Activity) -> str:
        return reverse("programmes:activity", kwargs={"slug": item.slug})

    def item_pubdate(self, item: Activity) -> dt.datetime:
        return item.published_at or item.created_at

    def item_categories(self, item: Activity) -> list[str]:
        return [item.topic.label] if item.topic else []


# iCal -------------------------------------------------------------------------------------------


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "kaynak"


def session_uid(session: Session) -> str:
    return f"session-{session.pk}@{_host()}"


def _event(session: Session, *, meeting_url: str = "", tentative: bool = False) -> icalendar.Event:
    zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    activity = session.activity
    event = icalendar.Event()
    event.add("uid", session_uid(session))
    event.add("dtstamp", timezone.now().astimezone(dt.UTC))
    event.add("last-modified", activity.updated_at.astimezone(dt.UTC))
    event.add("dtstart", session.starts_at.astimezone(zone))
    event.add("dtend", session.ends_at.astimezone(zone))
    summary = activity.title if not session.title else f"{activity.title}: {session.title}"
    event.add("summary", summary)
    url = activity_url(activity)
    event.add("url", url)
    description = [url]
    if session.online:
        link = meeting_url or (session.stream_url if not activity.registration_required else "")
        event.add("location", link or _("Online"))
        if link:
            description.insert(0, link)
    else:
        event.add("location", place_of(session))
    event.add("description", "\n".join(description))
    if activity.status == ActivityStatus.CANCELLED:
        event.add("status", "CANCELLED")
    else:
        event.add("status", "TENTATIVE" if tentative else "CONFIRMED")
    return event


def _calendar(name: str, events: Iterable[icalendar.Event]) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Kaynak//Trainings and events//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    for event in events:
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


def programme_calendar(programme: Any) -> bytes:
    """Every session of the programme's public activities."""
    return _calendar(
        programme.label, (_event(session) for session in queries.programme_sessions(programme))
    )


def registrations_calendar(name: str, registrations: Any) -> bytes:
    """The sessions of live registrations: seat holders get the meeting link, the waiting list
    a tentative event."""
    return _calendar(
        name,
        (
            _event(
                session,
                meeting_url=session.meeting_url if registration.status in SEAT_HOLDING else "",
                tentative=registration.status not in SEAT_HOLDING,
            )
            for session, registration in queries.sessions_of_registrations(registrations)
        ),
    )


def registration_calendar(registration: Registration) -> bytes:
    return registrations_calendar(
        registration.activity.title, Registration.objects.filter(pk=registration.pk)
    )


def calendar_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=ICAL_CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def rss(request: HttpRequest) -> HttpResponse:
    return NewActivitiesFeed()(request)
