"""Factories for coaching and academia. Add factories here (append only); do not change existing
ones in ways that break other tests.

``small_instrument()`` makes a test instrument of two dimensions with two questions each
(governance: ``gov-1``, ``gov-2``; finance: ``fin-1``, ``fin-2``), every level described.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from factory.declarations import LazyAttribute, LazyFunction, Sequence, SubFactory
from factory.django import DjangoModelFactory

from kaynak.coaching.models import (
    AcademicProfile,
    Action,
    Assessment,
    CoachingSession,
    Dimension,
    Engagement,
    Indicator,
    Instrument,
    Partnership,
    PartnershipRequest,
)
from kaynak.core.models import Theme
from kaynak.directory.tests.factories import OrganisationFactory, PersonFactory, province

LEVELS = [
    {"tr": "Yok ya da çok zayıf", "en": "Absent or very weak"},
    {"tr": "Başlangıç düzeyinde", "en": "Emerging"},
    {"tr": "Gelişmiş", "en": "Developed"},
    {"tr": "Güçlü ve sürdürülebilir", "en": "Strong and sustained"},
]


class InstrumentFactory(DjangoModelFactory[Instrument]):
    class Meta:
        model = Instrument

    slug = Sequence(lambda n: f"test-araci-{n}")
    version = 1
    name = Sequence(lambda n: f"Test Kapasite Aracı {n}")
    name_en = Sequence(lambda n: f"Test Capacity Tool {n}")
    is_current = True


def small_instrument(**kwargs: object) -> Instrument:
    """An instrument with dimensions "gov" (Yönetişim) and "fin" (Mali yönetim), two questions
    each."""
    instrument: Instrument = InstrumentFactory.create(**kwargs)
    for position, (key, name, name_en) in enumerate(
        [("gov", "Yönetişim", "Governance"), ("fin", "Mali yönetim", "Financial management")]
    ):
        dimension = Dimension.objects.create(
            instrument=instrument, key=key, position=position, name=name, name_en=name_en
        )
        for n in (1, 2):
            Indicator.objects.create(
                dimension=dimension,
                key=f"{key}-{n}",
                position=n,
                text=f"{name} sorusu {n}",
                text_en=f"{name_en} question {n}",
                levels=LEVELS,
            )
    return instrument


class AssessmentFactory(DjangoModelFactory[Assessment]):
    """A draft self-assessment (no answers) with a small instrument."""

    class Meta:
        model = Assessment

    organisation = SubFactory(OrganisationFactory)
    instrument = LazyFunction(small_instrument)
    kind = "self"
    stage = "baseline"


class EngagementFactory(DjangoModelFactory[Engagement]):
    """An active engagement without a coach, round or plan, with a small instrument."""

    class Meta:
        model = Engagement

    organisation = SubFactory(OrganisationFactory)
    instrument = LazyFunction(small_instrument)
    starts_on = LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=60))
    ends_on = LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=120))
    goals = "Stratejik plan ve mali yönetim."
    status = "active"


class ActionFactory(DjangoModelFactory[Action]):
    class Meta:
        model = Action

    engagement = SubFactory(EngagementFactory)
    dimension = LazyAttribute(lambda a: a.engagement.instrument.dimensions.first())
    title = Sequence(lambda n: f"Eylem {n}")
    owner = "Dernek başkanı"


class CoachingSessionFactory(DjangoModelFactory[CoachingSession]):
    class Meta:
        model = CoachingSession

    engagement = SubFactory(EngagementFactory)
    starts_at = LazyFunction(
        lambda: dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(days=7)
    )
    minutes = 90


class AcademicProfileFactory(DjangoModelFactory[AcademicProfile]):
    class Meta:
        model = AcademicProfile

    person = SubFactory(PersonFactory)
    title = "Doç. Dr."
    institution = "Ankara Üniversitesi"
    department = "Sosyal Hizmet Bölümü"
    expertise = "Engellilik çalışmaları, bağımsız yaşam, nitel araştırma"
    languages = LazyFunction(lambda: ["tr", "en"])


class PartnershipRequestFactory(DjangoModelFactory[PartnershipRequest]):
    class Meta:
        model = PartnershipRequest

    organisation = SubFactory(OrganisationFactory)
    province = LazyFunction(lambda: province(6))
    needs = "Engelli gençlerin istihdamı üzerine bir saha araştırması yapmak istiyoruz."


class PartnershipFactory(DjangoModelFactory[Partnership]):
    class Meta:
        model = Partnership

    slug = Sequence(lambda n: f"isbirligi-{n}")
    title = Sequence(lambda n: f"Engelli gençlerin istihdamı {n}")
    organisation = SubFactory(OrganisationFactory)
    academic = SubFactory(AcademicProfileFactory)
    theme = LazyFunction(lambda: Theme.objects.order_by("pk").first())
    province = LazyFunction(lambda: province(6))
    starts_on = LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=90))
    status = "active"
