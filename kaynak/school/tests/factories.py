"""Factories for the school: cohorts, modules (school activities with one session a day) and
participants. Add factories here; do not change existing ones in ways that break other tests."""

from __future__ import annotations

import datetime as dt

from factory.declarations import Sequence, SubFactory
from factory.django import DjangoModelFactory

from kaynak.directory.tests.factories import OrganisationFactory, PersonFactory, province
from kaynak.programmes.models import ActivityKind, Session
from kaynak.programmes.tests.factories import ActivityFactory, ProgrammeFactory, in_days
from kaynak.school.models import Cohort, CohortModule, Participant


class CohortFactory(DjangoModelFactory[Cohort]):
    """A running cohort with the rule "6 modules", no call and no modules yet."""

    class Meta:
        model = Cohort

    programme = SubFactory(ProgrammeFactory)
    name = Sequence(lambda n: f"2025–2026 Dönemi {n}")
    slug = Sequence(lambda n: f"donem-{n}")
    year = 2025
    required_modules = 6
    status = "running"


def module_of(
    cohort: Cohort, *, start_in: float, days: int = 3, position: int | None = None
) -> CohortModule:
    """A school module of ``cohort``: a published school activity with ``days`` six-hour
    sessions from ``start_in`` days from now."""
    activity = ActivityFactory.create(
        programme=cohort.programme, kind=ActivityKind.SCHOOL_MODULE, capacity=None
    )
    for day in range(days):
        starts = in_days(start_in + day)
        Session.objects.create(
            activity=activity,
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=6),
            province=province(6),
            venue="Okul Salonu",
        )
    if position is None:
        position = cohort.modules.count() + 1
    return CohortModule.objects.create(cohort=cohort, activity=activity, position=position)


class ParticipantFactory(DjangoModelFactory[Participant]):
    """A participant row written directly (no registrations); use ``services.enrol`` for the
    real thing."""

    class Meta:
        model = Participant

    cohort = SubFactory(CohortFactory)
    person = SubFactory(PersonFactory)
    organisation = SubFactory(OrganisationFactory)
