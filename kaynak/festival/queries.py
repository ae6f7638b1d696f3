"""Named reads of the festival: published festivals, the programme (its grid by day, time and
venue), proposals waiting to be placed, participating organisations, badges."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from kaynak.core.db import turkish_order
from kaynak.core.models import Theme
from kaynak.core.permissions import can
from kaynak.directory.models import Organisation, Person
from kaynak.festival.models import (
    IN_PROGRAMME,
    Badge,
    Festival,
    FestivalSession,
    Participation,
    SessionStatus,
    Venue,
)
from kaynak.programmes.models import SEAT_HOLDING, Registration


def published_festivals(now: dt.datetime | None = None) -> QuerySet[Festival]:
    """Festivals whose page is public, the latest first."""
    return Festival.objects.filter(published_at__lte=now or timezone.now()).select_related(
        "province"
    )


def festival_for(user: Any, slug: str) -> Festival:
    """A published festival (staff see unpublished ones too), or 404."""
    festival = (
        Festival.objects.select_related("province", "programme", "call").filter(slug=slug).first()
    )
    if festival is None or not (festival.is_published or can(user, "festival.view_staff")):
        raise Http404
    return festival


def programme_sessions(
    festival: Festival, *, day: dt.date | None = None, theme: Theme | None = None
) -> QuerySet[FestivalSession]:
    """The festival's sessions in the programme (scheduled or held) by time, with what the grid
    shows and the seats taken in each workshop (``seats_taken``)."""
    sessions = (
        FestivalSession.objects.filter(festival=festival, status__in=IN_PROGRAMME)
        .select_related("venue", "host", "activity")
        .prefetch_related("themes", "facilitators", "activity__sessions")
        .annotate(
            seats_taken=Count(
                "activity__registrations",
                filter=Q(activity__registrations__status__in=SEAT_HOLDING),
            )
        )
        .order_by("starts_at", "venue__position", "pk")
    )
    if day is not None:
        start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
        sessions = sessions.filter(starts_at__gte=start, starts_at__lt=start + dt.timedelta(days=1))
    if theme is not None:
        sessions = sessions.filter(themes=theme)
    return sessions


def seats_left(session: FestivalSession) -> int | None:
    """Seats still free in a workshop (None: no limit or no registration)."""
    if session.activity_id is None or session.capacity is None:
        return None
    taken = getattr(session, "seats_taken", None)
    if taken is None:
        taken = session.activity.registrations.filter(status__in=SEAT_HOLDING).count()  # type: ignore[union-attr]
    return max(session.capacity - int(taken), 0)


def session_for(festival: Festival, pk: int) -> FestivalSession:
    """One session of the festival's public programme, or 404."""
    found = programme_sessions(festival).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


@dataclass
class GridRow:
    """One start time of a day: the sessions starting then, one cell (a list) per venue."""

    starts_at: dt.datetime
    cells: list[list[FestivalSession]]


@dataclass
class GridDay:
    day: dt.date
    venues: list[Venue]
    rows: list[GridRow] = field(default_factory=list)


def grid(festival: Festival, sessions: list[FestivalSession], venues: list[Venue]) -> list[GridDay]:
    """The programme as a grid: per day, rows by start time, columns by venue."""
    column = {venue.pk: n for n, venue in enumerate(venues)}
    days: dict[dt.date, GridDay] = {}
    for session in sessions:
        assert session.starts_at is not None
        assert session.venue_id is not None
        local = timezone.localtime(session.starts_at)
        grid_day = days.setdefault(local.date(), GridDay(day=local.date(), venues=venues))
        if not grid_day.rows or grid_day.rows[-1].starts_at != session.starts_at:
            grid_day.rows.append(GridRow(session.starts_at, [[] for _ in venues]))
        grid_day.rows[-1].cells[column[session.venue_id]].append(session)
    return [days[day] for day in sorted(days)]


def venues_of(festival: Festival) -> list[Venue]:
    return list(festival.venues.order_by("position", "pk"))


def themes_in_programme(festival: Festival) -> QuerySet[Theme]:
    """The themes the festival's programme has sessions on (the grid's filter)."""
    return Theme.objects.filter(
        pk__in=FestivalSession.objects.filter(festival=festival, status__in=IN_PROGRAMME).values(
            "themes"
        )
    ).order_by("position")


def proposals_waiting(festival: Festival) -> QuerySet[FestivalSession]:
    """Accepted proposals (and other sessions) not placed in the grid yet."""
    return (
        FestivalSession.objects.filter(festival=festival, status=SessionStatus.PROPOSED)
        .select_related("host", "application")
        .prefetch_related("facilitators", "themes")
        .order_by("created_at", "pk")
    )


def participations(festival: Festival) -> QuerySet[Participation]:
    """The participating organisations in Turkish alphabetical order."""
    return (
        Participation.objects.filter(festival=festival)
        .select_related("organisation__province")
        .prefetch_related("delegates")
        .order_by(turkish_order("organisation__name"), "pk")
    )


def badges(festival: Festival, *, organisation_id: int | None = None) -> QuerySet[Badge]:
    """Badges to print, by organisation then name."""
    found = Badge.objects.filter(festival=festival).select_related("person", "organisation")
    if organisation_id is not None:
        found = found.filter(organisation_id=organisation_id)
    return found.order_by(turkish_order("organisation__name"), turkish_order("person__full_name"))


def festivals_for_person_badge(person: Any) -> list[Festival]:
    """Festivals in which the person has a badge or holds a seat in a workshop."""
    if person is None:
        return []
    with_badge = Festival.objects.filter(badges__person=person)
    registered = Festival.objects.filter(
        sessions__activity__in=Registration.objects.filter(
            person=person, status__in=SEAT_HOLDING
        ).values("activity")
    )
    return list((with_badge | registered).distinct().order_by("-starts_on"))


def organisations_of_member(user: Any) -> list[Organisation]:
    """The active organisations a member currently belongs to, in Turkish order."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(
        Organisation.objects.filter(
            affiliations__person__user=user,
            affiliations__end_date__isnull=True,
            status="active",
        )
        .distinct()
        .order_by(turkish_order("name"))
    )


def people_of(organisation: Organisation) -> QuerySet[Person]:
    """The organisation's current people (who may be its delegates)."""
    return Person.objects.filter(
        affiliations__organisation=organisation,
        affiliations__end_date__isnull=True,
        erased_at__isnull=True,
    ).order_by(turkish_order("full_name"))


def participation_initial(festival: Festival, organisation: Organisation) -> dict[str, Any]:
    """The participation form's values when the organisation already takes part."""
    found = Participation.objects.filter(festival=festival, organisation=organisation).first()
    if found is None:
        return {}
    return {"stand": found.stand, "delegates": list(found.delegates.values_list("pk", flat=True))}
