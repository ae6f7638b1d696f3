"""Funding outcomes the center may see: the calls its NGOs track *and chose to share*
(``TrackedOpportunity.shared_with_center``), counted by stage, and the grants won with their
amounts — for the staff page, its CSV and the impact report. Entries not shared never appear.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Count, QuerySet

from kaynak.radar.models import PipelineStage, TrackedOpportunity


@dataclass(frozen=True)
class Period:
    """Days in the site's time zone, both ends included; ``None`` leaves that end open."""

    start: dt.date | None = None
    end: dt.date | None = None


@dataclass
class FundingOutcomes:
    """Shared entries whose stage was last changed in the period: how many per stage, how
    many organisations, the grants won (entries) and their sum per currency."""

    period: Period
    by_stage: dict[str, int] = field(default_factory=dict)
    organisations: int = 0
    won: list[TrackedOpportunity] = field(default_factory=list)
    won_total: dict[str, Decimal] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.by_stage.values())


def shared_entries(period: Period | None = None) -> QuerySet[TrackedOpportunity]:
    """Shared pipeline entries whose stage changed within ``period``, with the call and the
    organisation loaded."""
    period = period or Period()
    zone = ZoneInfo(settings.TIME_ZONE)
    entries = TrackedOpportunity.objects.filter(shared_with_center=True)
    if period.start is not None:
        start = dt.datetime.combine(period.start, dt.time(0, 0), tzinfo=zone)
        entries = entries.filter(stage_changed_at__gte=start)
    if period.end is not None:
        end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time(0, 0), tzinfo=zone)
        entries = entries.filter(stage_changed_at__lt=end)
    return entries.select_related("organisation", "opportunity__funder").order_by(
        "-stage_changed_at", "pk"
    )


def funding_outcomes(period: Period | None = None) -> FundingOutcomes:
    """What the center's NGOs applied to and won in ``period`` (shared entries only)."""
    period = period or Period()
    entries = shared_entries(period)
    counts = dict(
        entries.order_by().values_list("stage").annotate(n=Count("pk")).values_list("stage", "n")
    )
    outcomes = FundingOutcomes(
        period=period,
        by_stage={stage: counts.get(stage, 0) for stage in PipelineStage.values},
        organisations=entries.order_by().values("organisation").distinct().count(),
        won=list(entries.filter(stage=PipelineStage.WON)),
    )
    for entry in outcomes.won:
        if entry.amount_won is not None:
            currency = entry.opportunity.currency or "TRY"
            outcomes.won_total[currency] = outcomes.won_total.get(currency, Decimal(0)) + (
                entry.amount_won
            )
    return outcomes
