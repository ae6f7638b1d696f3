"""What the festival's page tests share: a festival with venues and a scheduled programme."""

from __future__ import annotations

from dataclasses import dataclass

from django.test import Client

from kaynak.core.models import Theme
from kaynak.directory.tests.factories import PersonFactory
from kaynak.festival import services
from kaynak.festival.models import Festival, FestivalSession, Venue
from kaynak.festival.tests.factories import (
    FestivalFactory,
    FestivalSessionFactory,
    VenueFactory,
    at,
)
from kaynak.programmes.models import Activity


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


@dataclass
class Programme:
    festival: Festival
    main: Venue
    salon: Venue
    sessions: list[FestivalSession]


def scheduled(
    session: FestivalSession, venue: Venue, day: int, start: int, end: int
) -> FestivalSession:
    festival = session.festival
    when = festival.starts_on if day == 0 else festival.ends_on
    return services.schedule(
        session=session, venue=venue, starts_at=at(when, start), ends_at=at(when, end), actor=None
    )


def a_programme(sessions_per_day: int = 2, **festival_fields: object) -> Programme:
    """Two days, two venues; ``sessions_per_day`` workshops a day in each venue, on two themes
    (the first day's on the first theme, the second day's on the second)."""
    festival = FestivalFactory.create(**festival_fields)
    main = VenueFactory.create(festival=festival, name="Ana Sahne", position=0)
    salon = VenueFactory.create(festival=festival, name="Salon A", position=1)
    first_theme, second_theme = Theme.objects.order_by("position")[:2]
    made = []
    for day, theme in ((0, first_theme), (1, second_theme)):
        for n in range(sessions_per_day):
            for venue in (main, salon):
                session = FestivalSessionFactory.create(
                    festival=festival, title=f"Atölye {day}-{n}-{venue.name}"
                )
                session.themes.add(theme)
                session.facilitators.add(PersonFactory.create())
                made.append(scheduled(session, venue, day, 10 + 2 * n, 11 + 2 * n))
    return Programme(festival, main, salon, made)


def activity_of(session: FestivalSession) -> Activity:
    """The trainings activity of a scheduled workshop (read again from the database)."""
    activity = FestivalSession.objects.get(pk=session.pk).activity
    assert activity is not None
    return activity


def first_theme() -> Theme:
    theme = Theme.objects.order_by("position").first()
    assert theme is not None
    return theme
