"""An indicator's result for a period: its value, the target that applies, variance, baseline.

How a value is worked out, by the indicator's method:

- **computed**: the measure (distinct organisations, distinct people, deliveries, hours) over
  the ledger's deliveries in the period that the indicator's filters select. Empty filters do
  not narrow; several values of one filter are alternatives (training *or* webinar); provinces
  and regions together select the places of either. Withdrawn deliveries never count; a merged
  organisation is one row after the merge, so it counts once; an erased person's deliveries
  stay in the ledger and still count in totals (docs/privacy.md) — though no longer under a
  gender filter, as erasure clears the gender. When the filters select no delivery in the
  period the value is "no data" (``None``), not zero. First-time / returning: reached for the
  first time in the period (no delivery ever before its start) or reached before it too;
  judged on the organisation for "distinct organisations", on the person for "distinct
  people", and on the delivery's subject (the person when there is one, else the organisation)
  for deliveries and hours. It splits the selected deliveries: when all of them are to
  returning subjects, "first-time" is 0, not "no data".
  Read from the ledger's summary tables (``kaynak.ledger.summary``, kept exact by database
  triggers) when the period is made of whole quarters and the indicator filters only by
  service, theme and place (for deliveries and hours: service and place); counted from the
  deliveries otherwise. Both give the same value, "no data" included (tested).
- **manual**: the sum of the *approved* values whose period lies within the period asked for
  (a value for 2025 Q1 counts in 2025, a value for the whole of 2025 does not count in Q1);
  no such value is "no data" (``None``).
- **outcome**: the registered outcome measure's value for the period, ``None`` for no data
  (or when the measure is not registered, e.g. its app is not installed).

The target of a period is the indicator's target whose period equals or contains the period
asked for (targets never overlap, so there is at most one); none otherwise.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Final, Literal

from django.db.models import Prefetch, QuerySet, Sum

from kaynak.impact import ledger_reads
from kaynak.impact.ledger_reads import DeliverySelection
from kaynak.impact.models import Indicator, ManualValue, Measure, Method, Target, ValueStatus
from kaynak.ledger import summary
from kaynak.ledger.outcomes import outcome_measures
from kaynak.ledger.queries import ReachFilter


@dataclass(frozen=True)
class Result:
    """An indicator's value for ``start``–``end`` (``None``: no data) against its target."""

    indicator: Indicator
    start: dt.date
    end: dt.date
    value: Decimal | None
    target: Target | None
    baseline: Decimal | None

    @property
    def has_data(self) -> bool:
        return self.value is not None

    @property
    def variance(self) -> Decimal | None:
        """Value − target, when both are known."""
        if self.value is None or self.target is None:
            return None
        return self.value - self.target.value

    @property
    def percent_of_target(self) -> Decimal | None:
        """The value as a percentage of the target (one decimal), when both are known and the
        target is not zero."""
        if self.value is None or self.target is None or not self.target.value:
            return None
        return (self.value * 100 / self.target.value).quantize(Decimal("0.1"))

    @property
    def reach_filter(self) -> ReachFilter | None:
        """The ledger's reach filter that selects exactly this value's organisations or people,
        when one exists (a computed indicator counting organisations or people with at most one
        service, province or region and theme, and no other filter): its names are then one
        click away (``ledger:names``). ``None`` otherwise."""
        return equivalent_reach_filter(self.indicator, start=self.start, end=self.end)


def selection_of(indicator: Indicator, *, start: dt.date, end: dt.date) -> DeliverySelection:
    """The deliveries a computed indicator counts over a period."""
    return DeliverySelection(
        start=start,
        end=end,
        kinds=list(indicator.kinds.all()),
        programme=indicator.programme,
        themes=list(indicator.themes.all()),
        provinces=list(indicator.provinces.all()),
        regions=list(indicator.regions.all()),
        organisation_types=list(indicator.organisation_types.all()),
        gender=indicator.gender,
        reached=indicator.reached,
    )


def computed_value(indicator: Indicator, *, start: dt.date, end: dt.date) -> Decimal | None:
    """The measure of a computed indicator over a period, ``None`` when its filters select no
    delivery in the period (one query; from the summary when ``summary_value`` can)."""
    value = summary_value(indicator, start=start, end=end)
    if not isinstance(value, _NotSummarised):
        return value
    return ledger_value(indicator, start=start, end=end)


def ledger_value(indicator: Indicator, *, start: dt.date, end: dt.date) -> Decimal | None:
    """``computed_value`` counted from the deliveries (any filter, any period)."""
    measured = ledger_reads.measure_deliveries(
        selection_of(indicator, start=start, end=end), indicator.measure
    )
    return measured.value if measured.deliveries else None


class _NotSummarised:
    """What ``summary_value`` returns when the summary cannot answer."""


NOT_SUMMARISED: Final = _NotSummarised()


def summary_value(
    indicator: Indicator, *, start: dt.date, end: dt.date
) -> Decimal | _NotSummarised | None:
    """``computed_value`` read from the summary tables — ``NOT_SUMMARISED`` when they cannot
    answer: a period not made of whole quarters, or a filter they do not keep (programme,
    organisation type, gender, first-time/returning; a theme for deliveries and hours). Uses
    the prefetched filters (``RESULT_PREFETCHES``, regions with their provinces)."""
    if (
        not summary.is_whole_quarters(start, end)
        or indicator.programme
        or indicator.gender
        or indicator.reached
        or list(indicator.organisation_types.all())
    ):
        return NOT_SUMMARISED
    kinds = [kind.pk for kind in indicator.kinds.all()]
    themes = [theme.pk for theme in indicator.themes.all()]
    provinces = {province.pk for province in indicator.provinces.all()}
    for region in indicator.regions.all():
        provinces |= {province.pk for province in region.provinces.all()}
    if (indicator.provinces.all() or indicator.regions.all()) and not provinces:
        return None  # places with no province: they select nothing
    match indicator.measure:
        case Measure.ORGANISATIONS | Measure.PEOPLE:
            subject: Literal["organisation", "person"] = (
                "organisation" if indicator.measure == Measure.ORGANISATIONS else "person"
            )
            count, any_delivery = summary.distinct_count(
                subject, start, end, kinds=kinds, themes=themes, provinces=sorted(provinces)
            )
            return Decimal(count) if any_delivery else None
        case Measure.DELIVERIES | Measure.HOURS if not themes:
            deliveries, hours = summary.deliveries_and_hours(
                start, end, kinds=kinds, provinces=sorted(provinces)
            )
            if not deliveries:
                return None
            return Decimal(deliveries) if indicator.measure == Measure.DELIVERIES else hours
        case _:
            return NOT_SUMMARISED


def manual_value(indicator: Indicator, *, start: dt.date, end: dt.date) -> Decimal | None:
    """The sum of the approved values reported for periods within ``start``–``end``."""
    total: Decimal | None = ManualValue.objects.filter(
        indicator=indicator,
        status=ValueStatus.APPROVED,
        period_start__gte=start,
        period_end__lte=end,
    ).aggregate(total=Sum("value"))["total"]
    return total


def outcome_value(indicator: Indicator, *, start: dt.date, end: dt.date) -> Decimal | None:
    """The registered outcome measure's value, ``None`` for no data or an unknown measure."""
    measure = outcome_measures().get(indicator.outcome_slug)
    return None if measure is None else measure.value(start, end)


def target_for(indicator: Indicator, *, start: dt.date, end: dt.date) -> Target | None:
    """The target whose period equals or contains ``start``–``end`` (uses prefetched targets)."""
    for target in indicator.targets.all():
        if target.start <= start and end <= target.end:
            return target
    return None


def indicator_result(indicator: Indicator, *, start: dt.date, end: dt.date) -> Result:
    """The indicator's value for the period, its target, and its baseline."""
    if end < start:
        raise ValueError("The period ends before it starts.")
    value: Decimal | None
    match indicator.method:
        case Method.COMPUTED:
            value = computed_value(indicator, start=start, end=end)
        case Method.MANUAL:
            value = manual_value(indicator, start=start, end=end)
        case _:
            value = outcome_value(indicator, start=start, end=end)
    return Result(
        indicator=indicator,
        start=start,
        end=end,
        value=value,
        target=target_for(indicator, start=start, end=end),
        baseline=indicator.baseline_value,
    )


def indicators_for_table() -> QuerySet[Indicator]:
    """Active indicators in their order, with everything their results read prefetched."""
    return Indicator.objects.filter(active=True).prefetch_related(*RESULT_PREFETCHES)


RESULT_PREFETCHES = (
    "kinds",
    "themes",
    "provinces",
    "regions__provinces",
    "organisation_types",
    Prefetch("targets", queryset=Target.objects.order_by("start")),
)


def indicator_table(
    indicators: Iterable[Indicator], *, start: dt.date, end: dt.date
) -> list[Result]:
    """The results of ``indicators`` for one period, in their order. Prefetch
    ``RESULT_PREFETCHES`` (``indicators_for_table`` does) and each result costs one query."""
    return [indicator_result(indicator, start=start, end=end) for indicator in indicators]


def equivalent_reach_filter(
    indicator: Indicator, *, start: dt.date, end: dt.date
) -> ReachFilter | None:
    """See ``Result.reach_filter``. Uses the prefetched filters."""
    if indicator.method != Method.COMPUTED or indicator.measure not in (
        Measure.ORGANISATIONS,
        Measure.PEOPLE,
    ):
        return None
    if indicator.programme or indicator.gender or indicator.reached == "returning":
        return None
    kinds = list(indicator.kinds.all())
    themes = list(indicator.themes.all())
    provinces = list(indicator.provinces.all())
    regions = list(indicator.regions.all())
    if list(indicator.organisation_types.all()):
        return None
    if len(kinds) > 1 or len(themes) > 1 or len(provinces) + len(regions) > 1:
        return None
    return ReachFilter(
        start=start,
        end=end,
        kind=kinds[0] if kinds else None,
        theme=themes[0] if themes else None,
        province=provinces[0] if provinces else None,
        region=regions[0] if regions else None,
    )
