"""The festival over the API (public): published festivals, and a festival's schedule — the
sessions in its programme with times in ISO 8601 with their offset, filtered by day and
theme. Handlers are thin: they parse, ask ``queries``, and present."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from kaynak.core.models import Theme
from kaynak.festival import queries
from kaynak.festival.models import Festival, FestivalSession

router = Router(tags=["festival"])


class FestivalOut(Schema):
    slug: str
    name: str
    description: str
    starts_on: dt.date
    ends_on: dt.date
    province: str = Field(description="Province name")
    city: str
    venue: str


class ScheduledSessionOut(Schema):
    id: int
    title: str
    kind: str
    status: str
    summary: str
    language: str
    starts_at: str = Field(description="ISO 8601 with the Istanbul offset")
    ends_at: str = Field(description="ISO 8601 with the Istanbul offset")
    venue: str
    themes: list[str] = Field(description="Theme slugs")
    host_organisation: str | None
    facilitators: list[str]
    seats_left: int | None = Field(description="None: no limit or no registration")
    registration_slug: str | None = Field(description="The trainings activity to register for")


class ScheduleFilterIn(Schema):
    day: dt.date | None = Field(None, description="YYYY-MM-DD")
    theme: str | None = Field(None, description="Theme slug")


def _festival(slug: str) -> Festival:
    found = queries.published_festivals().filter(slug=slug).first()
    if found is None:
        raise Http404
    return found


def _festival_out(festival: Festival) -> dict[str, Any]:
    return {
        "slug": festival.slug,
        "name": festival.name,
        "description": festival.description,
        "starts_on": festival.starts_on,
        "ends_on": festival.ends_on,
        "province": festival.province.name,
        "city": festival.city,
        "venue": festival.venue,
    }


def _iso(moment: dt.datetime | None) -> str:
    return timezone.localtime(moment).isoformat() if moment else ""


def _session_out(session: FestivalSession) -> dict[str, Any]:
    return {
        "id": session.pk,
        "title": session.title,
        "kind": session.kind,
        "status": session.status,
        "summary": session.summary,
        "language": session.language,
        "starts_at": _iso(session.starts_at),
        "ends_at": _iso(session.ends_at),
        "venue": session.venue.name if session.venue else "",
        "themes": [theme.slug for theme in session.themes.all()],
        "host_organisation": session.host.name if session.host else None,
        "facilitators": [person.full_name for person in session.facilitators.all()],
        "seats_left": queries.seats_left(session),
        "registration_slug": session.activity.slug if session.activity else None,
    }


@router.get("/festivals", response=list[FestivalOut], auth=None, summary="Published festivals")
def festival_list(request: HttpRequest) -> list[dict[str, Any]]:
    return [_festival_out(festival) for festival in queries.published_festivals()]


@router.get(
    "/festivals/{slug}/schedule",
    response=list[ScheduledSessionOut],
    auth=None,
    summary="A festival's programme (public), by time; filter by day and theme",
)
def schedule(
    request: HttpRequest, slug: str, filters: Query[ScheduleFilterIn]
) -> list[dict[str, Any]]:
    festival = _festival(slug)
    theme = Theme.objects.filter(slug=filters.theme).first() if filters.theme else None
    if filters.theme and theme is None:
        return []
    sessions = queries.programme_sessions(festival, day=filters.day, theme=theme)
    return [_session_out(session) for session in sessions]
