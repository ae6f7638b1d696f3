"""Feeds of published calls, all or filtered by the listing's GET parameters
(``queries.SearchFilters``): RSS of the newest calls, and an iCal calendar of deadlines.

In the calendar each call's deadline is one event — all-day when the announcement gives only a
date, timed in the announcement's own zone (with its VTIMEZONE) when it gives a time — and each
further cut-off (concept note, full application) is an event of its own. UIDs are stable
(``radar-call-<id>[-<n>]@<host>``), so a moved deadline updates the event people already have.
The calendar keeps calls whose deadline passed in the last ``CALENDAR_PAST_DAYS`` days, so an
event does not vanish from a calendar the day after it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import replace
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from kaynak.core.models import CenterSettings
from kaynak.radar import public_display, queries
from kaynak.radar.models import Opportunity
from kaynak.radar.queries import SearchFilters, Sort
from kaynak.radar.services import zone_of

ICAL_CONTENT_TYPE = "text/calendar; charset=utf-8"
RSS_ITEMS = 50
CALENDAR_ITEMS = 500
CALENDAR_PAST_DAYS = 60


def call_url(call: Opportunity) -> str:
    return settings.SITE_URL + reverse("radar:opportunity", args=[call.pk])


def _description(call: Opportunity) -> str:
    lines = [call.funder_label]
    amount = public_display.amount_range(call)
    if amount:
        lines.append(_("Grant: %(amount)s") % {"amount": amount})
    if call.summary:
        lines.append(Truncator(strip_tags(call.summary)).words(80))
    return "\n".join(line for line in lines if line)


# RSS --------------------------------------------------------------------------------------------


class NewCallsFeed(Feed[Opportunity, SearchFilters]):
    """The newest published calls matching the request's filters."""

    def get_object(self, request: HttpRequest, *args: object, **kwargs: object) -> SearchFilters:
        return replace(SearchFilters.from_query(request.GET), sort=Sort.NEWEST, errors=())

    def title(self, obj: SearchFilters) -> str:
        return _("%(center)s: funding calls") % {"center": CenterSettings.current().name}

    def link(self, obj: SearchFilters) -> str:
        query = replace(obj, sort="").querystring()
        return reverse("radar:list") + (f"?{query}" if query else "")

    def description(self, obj: SearchFilters) -> str:
        return _("Grants and funding calls for civil-society organisations, newest first.")

    def items(self, obj: SearchFilters) -> Iterable[Opportunity]:
        return queries.search(obj)[:RSS_ITEMS]

    def item_title(self, item: Opportunity) -> str:
        return item.title

    def item_description(self, item: Opportunity) -> str:
        deadline = public_display.deadline_of(item)
        lines = [_description(item)]
        if deadline.instant is not None:
            local = timezone.localtime(deadline.instant)
            lines.insert(0, _("Deadline: %(date)s") % {"date": f"{local:%d.%m.%Y %H:%M}"})
        return "\n".join(lines)

    def item_link(self, item: Opportunity) -> str:
        return reverse("radar:opportunity", args=[item.pk])

    def item_guid(self, item: Opportunity) -> str:
        return call_url(item)

    def item_pubdate(self, item: Opportunity) -> dt.datetime:
        return item.published_at or item.created_at

    def item_categories(self, item: Opportunity) -> list[str]:
        return [theme.label for theme in item.themes.all()]


def rss(request: HttpRequest) -> HttpResponse:
    return NewCallsFeed()(request)


# iCal -------------------------------------------------------------------------------------------


def _host() -> str:
    return urlsplit(settings.SITE_URL).hostname or "kaynak"


def _event(
    call: Opportunity,
    *,
    uid: str,
    summary: str,
    date: dt.date,
    time: dt.time | None,
) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", uid)
    event.add("dtstamp", timezone.now().astimezone(dt.UTC))
    event.add("last-modified", call.updated_at.astimezone(dt.UTC))
    if time is None:
        event.add("dtstart", date)
        event.add("dtend", date + dt.timedelta(days=1))
    else:
        # The announcement's own clock and zone: a calendar anywhere shows the right moment.
        moment = dt.datetime.combine(date, time, tzinfo=zone_of(call.deadline_timezone))
        event.add("dtstart", moment)
        event.add("dtend", moment)
    event.add("summary", summary)
    url = call_url(call)
    event.add("url", url)
    links = [url] + ([call.url] if call.url else [])
    event.add("description", _description(call) + "\n\n" + "\n".join(links))
    event.add("transp", "TRANSPARENT")
    return event


def events_of(call: Opportunity) -> list[icalendar.Event]:
    """The call's deadline and each further cut-off, as events."""
    events = []
    if call.deadline_date is not None:
        events.append(
            _event(
                call,
                uid=f"radar-call-{call.pk}@{_host()}",
                summary=_("Deadline: %(title)s") % {"title": call.title},
                date=call.deadline_date,
                time=call.deadline_time,
            )
        )
    for number, other in enumerate(public_display.other_deadlines(call), start=1):
        date = other["date"]
        time = other["time"]
        assert isinstance(date, dt.date)
        label = str(other["label"] or _("another deadline"))
        events.append(
            _event(
                call,
                uid=f"radar-call-{call.pk}-{number}@{_host()}",
                summary=f"{label}: {call.title}",
                date=date,
                time=time if isinstance(time, dt.time) else None,
            )
        )
    return events


def deadlines_calendar(name: str, calls: Iterable[Opportunity]) -> bytes:
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Kaynak//Funding radar//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    for call in calls:
        for event in events_of(call):
            calendar.add_component(event)
    calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


def calendar_calls(filters: SearchFilters) -> QuerySet[Opportunity]:
    """Calls with a deadline matching ``filters``, including those closed in the last
    ``CALENDAR_PAST_DAYS`` days (unless closed calls were asked for anyway)."""
    now = timezone.now()
    calls = queries.search(replace(filters, include_expired=True, sort=Sort.DEADLINE), now=now)
    calls = calls.filter(deadline_date__isnull=False)
    if not filters.include_expired:
        calls = calls.filter(Q(deadline_at__gte=now - dt.timedelta(days=CALENDAR_PAST_DAYS)))
    return calls


def _response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=ICAL_CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def calendar(request: HttpRequest) -> HttpResponse:
    filters = SearchFilters.from_query(request.GET)
    name = _("%(center)s: funding deadlines") % {"center": CenterSettings.current().name}
    calls = calendar_calls(filters)[:CALENDAR_ITEMS]
    return _response(deadlines_calendar(name, calls), "deadlines.ics")


def call_calendar(request: HttpRequest, pk: int) -> HttpResponse:
    call = queries.published_call(pk)
    return _response(deadlines_calendar(call.title, [call]), f"call-{call.pk}.ics")
