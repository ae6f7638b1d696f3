"""Factories for the funding radar. Add factories here (append); do not change existing ones in
ways that break other tests."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone
from factory.declarations import LazyAttribute, LazyFunction, Sequence, SubFactory
from factory.django import DjangoModelFactory
from factory.helpers import post_generation

from kaynak.core.models import ApplicantType, Country, Theme
from kaynak.radar import services
from kaynak.radar.models import (
    DeadlineKind,
    Funder,
    FunderKind,
    Opportunity,
    OpportunityStatus,
    SavedSearch,
    Source,
    SourceKind,
)


def in_days(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


class FunderFactory(DjangoModelFactory[Funder]):
    class Meta:
        model = Funder

    name = Sequence(lambda n: f"İstanbul Kalkınma Ajansı {n}")
    name_en = Sequence(lambda n: f"Istanbul Development Agency {n}")
    kind = FunderKind.DEVELOPMENT_AGENCY
    website = Sequence(lambda n: f"https://ajans{n}.example.org/")


class SourceFactory(DjangoModelFactory[Source]):
    class Meta:
        model = Source

    funder = SubFactory(FunderFactory)
    name = Sequence(lambda n: f"Destek programları {n}")
    kind = SourceKind.RSS
    url = Sequence(lambda n: f"https://ajans{n}.example.org/feed/")
    enabled = True


class OpportunityFactory(DjangoModelFactory[Opportunity]):
    """A published call closing in 30 days; ``status=OpportunityStatus.DRAFT`` for a draft.
    Relations by slug/code: ``themes=["women"]``, ``applicant_types=["association"]``,
    ``countries=["TR"]``."""

    class Meta:
        model = Opportunity
        skip_postgeneration_save = True

    title = Sequence(lambda n: f"Kadın İstihdamı Mali Destek Programı {n}")
    summary = "Kadınların istihdamını artırmaya yönelik projeler desteklenecektir."
    url = Sequence(lambda n: f"https://ajans.example.org/programlar/{n}")
    funder = SubFactory(FunderFactory)
    language = "tr"
    status = OpportunityStatus.PUBLISHED
    deadline_kind = DeadlineKind.FIXED
    deadline_date = LazyFunction(lambda: in_days(30))
    amount_min = None
    amount_max = Decimal("500000")
    currency = "TRY"
    published_at = LazyAttribute(
        lambda o: timezone.now() if o.status == OpportunityStatus.PUBLISHED else None
    )

    @classmethod
    def _create(cls, model_class: type[Opportunity], *args: Any, **kwargs: Any) -> Opportunity:
        opportunity = model_class(**kwargs)
        services._refresh_derived(opportunity)
        opportunity.save()
        return opportunity

    @post_generation
    def themes(self, create: bool, extracted: list[str] | None, **kwargs: Any) -> None:
        if create and extracted:
            self.themes.set(Theme.objects.filter(slug__in=extracted))

    @post_generation
    def applicant_types(self, create: bool, extracted: list[str] | None, **kwargs: Any) -> None:
        if create and extracted:
            self.applicant_types.set(ApplicantType.objects.filter(slug__in=extracted))

    @post_generation
    def countries(self, create: bool, extracted: list[str] | None, **kwargs: Any) -> None:
        if create and extracted:
            self.countries.set(Country.objects.filter(code__in=extracted))


class SavedSearchFactory(DjangoModelFactory[SavedSearch]):
    """A confirmed saved search by e-mail, all switches on."""

    class Meta:
        model = SavedSearch

    email = Sequence(lambda n: f"abone{n}@example.org")
    language = "tr"
    query = LazyFunction(dict)
    notify_new = True
    notify_changes = True
    notify_closing = True
    confirmed_at = LazyFunction(timezone.now)
