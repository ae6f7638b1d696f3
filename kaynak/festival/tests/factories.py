"""Factories for the festival."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from factory.declarations import LazyFunction, Sequence, SubFactory
from factory.django import DjangoModelFactory

from kaynak.directory.tests.factories import OrganisationFactory, PersonFactory, province
from kaynak.festival.models import (
    Badge,
    Festival,
    FestivalSession,
    SessionKind,
    SessionStatus,
    Venue,
)
from kaynak.programmes.tests.factories import ProgrammeFactory


def festival_day() -> dt.date:
    return timezone.localdate() + dt.timedelta(days=30)


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """An aware datetime on ``day`` at ``hour``:``minute`` Istanbul time."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


class FestivalFactory(DjangoModelFactory[Festival]):
    """A published two-day festival a month from now in Ankara."""

    class Meta:
        model = Festival

    programme = SubFactory(ProgrammeFactory, name="Sivil Sesler Festivali")
    name = Sequence(lambda n: f"Sivil Sesler {2026 + n}")
    slug = Sequence(lambda n: f"sivil-sesler-{2026 + n}")
    description = "Sivil toplumun buluşma ve öğrenme şenliği."
    starts_on = LazyFunction(festival_day)
    ends_on = LazyFunction(lambda: festival_day() + dt.timedelta(days=1))
    province = LazyFunction(lambda: province(6))
    city = "Çankaya"
    venue = "ODTÜ Kültür ve Kongre Merkezi"
    published_at = LazyFunction(timezone.now)


class VenueFactory(DjangoModelFactory[Venue]):
    class Meta:
        model = Venue

    festival = SubFactory(FestivalFactory)
    name = Sequence(lambda n: f"Salon {n}")
    capacity = 60
    position = Sequence(lambda n: n)


class FestivalSessionFactory(DjangoModelFactory[FestivalSession]):
    """A proposed (unscheduled) workshop hosted by an organisation."""

    class Meta:
        model = FestivalSession

    festival = SubFactory(FestivalFactory)
    kind = SessionKind.WORKSHOP
    title = Sequence(lambda n: f"Gönüllü Yönetimi Atölyesi {n}")
    summary = "Gönüllülerle çalışmanın temel ilkeleri."
    status = SessionStatus.PROPOSED
    capacity = 25
    host = SubFactory(OrganisationFactory)


class BadgeFactory(DjangoModelFactory[Badge]):
    class Meta:
        model = Badge

    festival = SubFactory(FestivalFactory)
    person = SubFactory(PersonFactory)
    organisation = SubFactory(OrganisationFactory)
