"""Factories for trainings and events. Add factories here; do not change existing ones in ways
that break other tests."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from factory.declarations import LazyAttribute, LazyFunction, Sequence, SubFactory
from factory.django import DjangoModelFactory

from kaynak.directory.tests.factories import OrganisationFactory, PersonFactory, province
from kaynak.programmes.models import (
    Activity,
    ActivityStatus,
    Programme,
    Registration,
    RegistrationStatus,
    Session,
    Topic,
    Trainer,
)


class ProgrammeFactory(DjangoModelFactory[Programme]):
    class Meta:
        model = Programme

    name = Sequence(lambda n: f"Örgütsel Kapasite Eğitimleri {n}")
    name_en = Sequence(lambda n: f"Organisational Capacity Trainings {n}")
    slug = Sequence(lambda n: f"orgutsel-kapasite-{n}")


class TopicFactory(DjangoModelFactory[Topic]):
    class Meta:
        model = Topic

    name_tr = Sequence(lambda n: f"Stratejik Planlama {n}")
    name_en = Sequence(lambda n: f"Strategic Planning {n}")
    slug = Sequence(lambda n: f"stratejik-planlama-{n}")


class TrainerFactory(DjangoModelFactory[Trainer]):
    class Meta:
        model = Trainer

    name = Sequence(lambda n: f"Dr. Işıl Çağlar {n}")
    title = "Bağımsız eğitmen"


class ActivityFactory(DjangoModelFactory[Activity]):
    """A published training with seats; add sessions with SessionFactory (or ``with_sessions``)."""

    class Meta:
        model = Activity

    programme = SubFactory(ProgrammeFactory)
    title = Sequence(lambda n: f"Proje Döngüsü Yönetimi Eğitimi {n}")
    slug = Sequence(lambda n: f"proje-dongusu-{n}")
    topic = SubFactory(TopicFactory)
    status = ActivityStatus.PUBLISHED
    capacity = 20
    published_at = LazyFunction(timezone.now)


def in_days(days: float, hour: int = 10) -> dt.datetime:
    """An aware datetime ``days`` from now at ``hour`` o'clock Istanbul time."""
    day = timezone.localtime() + dt.timedelta(days=days)
    return day.replace(hour=hour, minute=0, second=0, microsecond=0)


class SessionFactory(DjangoModelFactory[Session]):
    class Meta:
        model = Session

    activity = SubFactory(ActivityFactory)
    starts_at = LazyFunction(lambda: in_days(10))
    ends_at = LazyAttribute(lambda s: s.starts_at + dt.timedelta(hours=6))
    province = LazyFunction(lambda: province(6))
    venue = "STGM Toplantı Salonu"


def activity_with_sessions(days: int = 3, *, start_in: int = 10, **kwargs: object) -> Activity:
    """A published activity with ``days`` six-hour sessions on consecutive days."""
    activity = ActivityFactory.create(**kwargs)
    for day in range(days):
        SessionFactory.create(activity=activity, starts_at=in_days(start_in + day))
    return activity


class RegistrationFactory(DjangoModelFactory[Registration]):
    """A confirmed registration written directly (tests of other areas); use
    ``services.register`` to test seat rules."""

    class Meta:
        model = Registration

    activity = SubFactory(ActivityFactory)
    person = SubFactory(PersonFactory)
    organisation = SubFactory(OrganisationFactory)
    status = RegistrationStatus.CONFIRMED
    email = LazyAttribute(lambda r: r.person.emails[0] if r.person.emails else "kisi@ornek.org")


# Certificates and feedback ----------------------------------------------------------------------


def past_activity_with_sessions(days: int = 3, **kwargs: object) -> Activity:
    """A published activity whose ``days`` six-hour sessions ended in the last week."""
    return activity_with_sessions(days, start_in=-(days + 3), **kwargs)


def attended(registration: Registration, sessions: int | None = None) -> Registration:
    """Mark ``registration`` present at its activity's first ``sessions`` sessions (all when
    None), through the service, as staff would."""
    from kaynak.programmes.services import mark_attendance

    for session in list(registration.activity.sessions.all())[:sessions]:
        mark_attendance(registration=registration, session=session)
    return registration
