"""Reach: how many distinct organisations and people the center served — named reads over the
ledger, and the names behind every figure.

Every figure counts *subjects*, never deliveries: an organisation reached through five trainings
counts once. A delivery to a person on behalf of an organisation counts for both. Withdrawn
deliveries never count. Counting is done by the database (``COUNT(DISTINCT …)``) over the partial
indexes on ``Delivery`` (see its ``Meta``), so a figure costs one query whatever the ledger's size.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Exists, Max, Min, OuterRef, Q, QuerySet
from django.db.models.functions import ExtractMonth, ExtractQuarter, ExtractYear
from django.utils import timezone, translation

from kaynak.core.db import turkish_order
from kaynak.core.models import ApplicantType, Province, Region, Theme
from kaynak.core.text import sort_key
from kaynak.directory.models import Organisation, Person
from kaynak.ledger.models import Delivery, ServiceKind


@dataclass(frozen=True)
class ReachFilter:
    """Which deliveries a reach figure counts: a period (both ends included; ``None`` is open)
    and, optionally, one service kind, region, province and theme.

    ``no_province`` keeps only deliveries with no province recorded (online services to people
    whose province is unknown), ``no_theme`` those with no theme: the "not recorded" rows of a
    breakdown, so that their figures can be drilled down too. ``programme`` keeps the
    deliveries recorded under that programme name (a donor report's), ``organisation_type``
    those to organisations of that legal form (``no_organisation_type``: of none recorded).
    """

    start: dt.date | None = None
    end: dt.date | None = None
    kind: ServiceKind | None = None
    region: Region | None = None
    province: Province | None = None
    theme: Theme | None = None
    no_province: bool = False
    no_theme: bool = False
    programme: str = ""
    organisation_type: ApplicantType | None = None
    no_organisation_type: bool = False

    @property
    def narrows_beyond_period(self) -> bool:
        """True when something other than the period picks the deliveries."""
        return any(
            (
                self.kind,
                self.region,
                self.province,
                self.theme,
                self.no_province,
                self.no_theme,
                self.programme,
                self.organisation_type,
                self.no_organisation_type,
            )
        )


class Dimension(StrEnum):
    """What a breakdown groups by. QUARTER and MONTH go with YEAR (2025 Q1, not every Q1)."""

    YEAR = "year"
    QUARTER = "quarter"
    MONTH = "month"
    REGION = "region"
    PROVINCE = "province"
    THEME = "theme"
    KIND = "kind"
    ORGANISATION_TYPE = "organisation_type"


@dataclass(frozen=True)
class Reach:
    """Distinct organisations and people reached."""

    organisations: int
    people: int


@dataclass(frozen=True)
class ReachRow:
    """One row of a breakdown: the group's values and its distinct organisations and people.

    For REGION, PROVINCE and THEME, ``None`` is the "not recorded" group.
    """

    dimensions: tuple[Dimension, ...]
    organisations: int
    people: int
    year: int | None = None
    quarter: int | None = None
    month: int | None = None
    region: Region | None = None
    province: Province | None = None
    theme: Theme | None = None
    kind: ServiceKind | None = None
    organisation_type: ApplicantType | None = None

    def narrow(self, reach_filter: ReachFilter) -> ReachFilter:
        """``reach_filter`` narrowed to this row's group: the filter of its drill-down."""
        changes: dict[str, Any] = {}
        for dimension in self.dimensions:
            match dimension:
                case Dimension.REGION:
                    if self.region is None:
                        changes["no_province"] = True
                    else:
                        changes["region"] = self.region
                case Dimension.PROVINCE:
                    if self.province is None:
                        changes["no_province"] = True
                    else:
                        changes["province"] = self.province
                case Dimension.THEME:
                    if self.theme is None:
                        changes["no_theme"] = True
                    else:
                        changes["theme"] = self.theme
                case Dimension.KIND:
                    changes["kind"] = self.kind
                case Dimension.ORGANISATION_TYPE:
                    if self.organisation_type is None:
                        changes["no_organisation_type"] = True
                    else:
                        changes["organisation_type"] = self.organisation_type
        start, end = self._calendar_range()
        if start is not None and end is not None:
            changes["start"] = max(start, reach_filter.start) if reach_filter.start else start
            changes["end"] = min(end, reach_filter.end) if reach_filter.end else end
        return replace(reach_filter, **changes)

    def _calendar_range(self) -> tuple[dt.date | None, dt.date | None]:
        if self.year is None:
            return None, None
        if self.month is not None:
            return month_range(self.year, self.month)
        if self.quarter is not None:
            return quarter_range(self.year, self.quarter)
        return dt.date(self.year, 1, 1), dt.date(self.year, 12, 31)


@dataclass(frozen=True)
class ReachReport:
    """Everything the "Erişim" page shows for one filter."""

    reach_filter: ReachFilter
    totals: Reach
    new: Reach
    multi_service_organisations: int
    by_region: list[ReachRow] = field(default_factory=list)
    by_province: list[ReachRow] = field(default_factory=list)
    by_theme: list[ReachRow] = field(default_factory=list)
    by_kind: list[ReachRow] = field(default_factory=list)
    counted_at: dt.datetime = field(default_factory=timezone.now)


# How long a counted report is shown again for the same filter: at national scale (a million
# deliveries) counting every figure of the page takes a second or more.
REACH_REPORT_SECONDS = 300
# After the ledger changes, a kept report is still shown for up to this long before it is
# counted again: while attendance is being marked all day, the page counts at most once a
# minute per filter instead of on every visit.
RECOUNT_AFTER_CHANGE_SECONDS = 60


def quarter_range(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    """The first and last day of ``quarter`` (1–4) of ``year``."""
    first_month = 3 * (quarter - 1) + 1
    return dt.date(year, first_month, 1), month_range(year, first_month + 2)[1]


def month_range(year: int, month: int) -> tuple[dt.date, dt.date]:
    """The first and last day of ``month`` of ``year``."""
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return dt.date(year, month, 1), following - dt.timedelta(days=1)


def reached_deliveries(reach_filter: ReachFilter) -> QuerySet[Delivery]:
    """The deliveries a figure counts: not withdrawn, and within the filter."""
    # "withdrawn_at IS NULL" is spelled out first and always: it is the condition of the
    # partial indexes the reach queries run on.
    # A lower bound on the date even for "all years": with it SQLite reads a date index
    # instead of the whole table (measured on a million deliveries: the theme breakdown of
    # all years in 1.3 s instead of 2.9 s). PostgreSQL plans the same either way.
    where = Q(withdrawn_at__isnull=True, date__gte=reach_filter.start or dt.date.min)
    if reach_filter.end is not None:
        where &= Q(date__lte=reach_filter.end)
    if reach_filter.kind is not None:
        where &= Q(kind=reach_filter.kind)
    if reach_filter.province is not None:
        where &= Q(province=reach_filter.province)
    if reach_filter.region is not None:
        # Through the region's province codes, not a join: the province index serves it.
        where &= Q(province__in=reach_filter.region.provinces.values("plate_code"))
    if reach_filter.no_province:
        where &= Q(province__isnull=True)
    if reach_filter.theme is not None:
        where &= Q(themes=reach_filter.theme)
    if reach_filter.no_theme:
        where &= Q(themes__isnull=True)
    if reach_filter.programme:
        where &= Q(programme=reach_filter.programme)
    if reach_filter.organisation_type is not None:
        where &= Q(organisation__legal_form=reach_filter.organisation_type)
    if reach_filter.no_organisation_type:
        # Deliveries to an organisation whose legal form is not recorded (a delivery to a
        # person alone has no organisation, so no type either: it is left out of both).
        where &= Q(organisation__isnull=False, organisation__legal_form__isnull=True)
    # One filter() call: a breakdown by theme reuses this join, so under a theme filter it
    # shows that theme only (not the other themes of the same deliveries).
    return Delivery.objects.filter(where)


def reach_totals(reach_filter: ReachFilter) -> Reach:
    """Distinct organisations and distinct people reached under the filter."""
    counts = reached_deliveries(reach_filter).aggregate(
        organisations=Count("organisation", distinct=True),
        people=Count("person", distinct=True),
    )
    return Reach(organisations=counts["organisations"], people=counts["people"])


_GROUP_FIELDS: dict[Dimension, str] = {
    Dimension.REGION: "province__region",
    Dimension.PROVINCE: "province",
    Dimension.THEME: "themes",
    Dimension.KIND: "kind",
    Dimension.ORGANISATION_TYPE: "organisation__legal_form",
}
_CALENDAR = {
    Dimension.YEAR: ExtractYear,
    Dimension.QUARTER: ExtractQuarter,
    Dimension.MONTH: ExtractMonth,
}


def reach_by(reach_filter: ReachFilter, *dimensions: Dimension) -> list[ReachRow]:
    """Distinct organisations and people per group of ``dimensions`` (any combination), in
    calendar order, then by name in Turkish alphabetical order; "not recorded" groups last.

    One aggregate query, plus one small query for the names of each of region, province, theme
    and service kind grouped by.
    """
    if not dimensions or len(set(dimensions)) != len(dimensions):
        raise ValueError("Group by one or more different dimensions.")
    if (Dimension.QUARTER in dimensions or Dimension.MONTH in dimensions) and (
        Dimension.YEAR not in dimensions
    ):
        raise ValueError("Group by YEAR too when grouping by QUARTER or MONTH.")
    queryset: Any = reached_deliveries(reach_filter)
    if Dimension.ORGANISATION_TYPE in dimensions:
        # By the type of the organisation served: deliveries to a person alone have none.
        queryset = queryset.filter(organisation__isnull=False)
    calendar = {d.value: _CALENDAR[d]("date") for d in dimensions if d in _CALENDAR}
    if calendar:
        queryset = queryset.annotate(**calendar)
    names = [d.value if d in _CALENDAR else _GROUP_FIELDS[d] for d in dimensions]
    groups = queryset.values(*names).annotate(
        reach_organisations=Count("organisation", distinct=True),
        reach_people=Count("person", distinct=True),
    )
    groups = groups.order_by()  # no ORDER BY: rows are put in order below, by name
    lookups = _lookups(dimensions)
    rows = []
    for group in groups:
        values: dict[str, Any] = {}
        for dimension, name in zip(dimensions, names, strict=True):
            key = group[name]
            values[dimension.value] = lookups[dimension].get(key) if dimension in lookups else key
        rows.append(
            ReachRow(
                dimensions=tuple(dimensions),
                organisations=group["reach_organisations"],
                people=group["reach_people"],
                **values,
            )
        )
    return sorted(rows, key=lambda row: _row_order(row, dimensions))


def rows_from_counts(
    dimension: Dimension, organisations: dict[Any, int], people: dict[Any, int]
) -> list[ReachRow]:
    """The rows ``reach_by(…, dimension)`` gives, made from distinct counts per group key
    counted elsewhere (the ledger's summary tables): keys are the kind's or theme's id, the
    plate code or the region code; a falsy key (0, "", None) is "not recorded". Region,
    province, theme or kind only."""
    lookup = _lookups([dimension])[dimension]
    rows = [
        ReachRow(
            dimensions=(dimension,),
            organisations=organisations.get(key, 0),
            people=people.get(key, 0),
            **{dimension.value: lookup.get(key) if key else None},
        )
        for key in organisations.keys() | people.keys()
    ]
    return sorted(rows, key=lambda row: _row_order(row, (dimension,)))


def _lookups(dimensions: Iterable[Dimension]) -> dict[Dimension, dict[Any, Any]]:
    querysets: dict[Dimension, tuple[QuerySet[Any], str]] = {
        Dimension.REGION: (Region.objects.all(), "code"),
        Dimension.PROVINCE: (Province.objects.all(), "plate_code"),
        Dimension.THEME: (Theme.objects.all(), "pk"),
        Dimension.KIND: (ServiceKind.objects.all(), "pk"),
        Dimension.ORGANISATION_TYPE: (ApplicantType.objects.all(), "slug"),
    }
    return {
        d: {getattr(obj, querysets[d][1]): obj for obj in querysets[d][0]}
        for d in dimensions
        if d in querysets
    }


def _row_order(row: ReachRow, dimensions: Sequence[Dimension]) -> tuple[Any, ...]:
    key: list[Any] = []
    for dimension in dimensions:
        value = getattr(row, dimension.value)
        if dimension in _CALENDAR:
            key.append(value)
        elif dimension is Dimension.KIND:
            # Service kinds keep the center's own order (their position), not the alphabet.
            key.append((value.position, value.pk))
        else:
            key.append((1, ()) if value is None else (0, sort_key(value.label)))
    return tuple(key)


def _earlier_delivery(start: dt.date, subject: str) -> Exists:
    """A delivery to the subject (``organisation`` or ``person``) before ``start``."""
    return Exists(
        Delivery.objects.filter(
            withdrawn_at__isnull=True, date__lt=start, **{subject: OuterRef("pk")}
        )
    )


def first_reached_organisations() -> QuerySet[Any, Any]:
    """Each organisation ever reached, with the date it was first reached (``first_reached``)."""
    return (
        Delivery.objects.filter(withdrawn_at__isnull=True, organisation__isnull=False)
        .values("organisation")
        .annotate(first_reached=Min("date"))
        .order_by()
    )


def first_reached_people() -> QuerySet[Any, Any]:
    """Each person ever reached, with the date they were first reached (``first_reached``)."""
    return (
        Delivery.objects.filter(withdrawn_at__isnull=True, person__isnull=False)
        .values("person")
        .annotate(first_reached=Min("date"))
        .order_by()
    )


def first_reached_dates(
    *, organisations: Iterable[Organisation] = (), people: Iterable[Person] = ()
) -> dict[Organisation | Person, dt.date]:
    """The date each of a page of organisations or people was first reached; one query."""
    organisation_ids = {o.pk: o for o in organisations}
    person_ids = {p.pk: p for p in people}
    dates: dict[Organisation | Person, dt.date] = {}
    if organisation_ids:
        for pk, first in (
            first_reached_organisations()
            .filter(organisation__in=list(organisation_ids))
            .values_list("organisation", "first_reached")
        ):
            dates[organisation_ids[pk]] = first
    if person_ids:
        for pk, first in (
            first_reached_people()
            .filter(person__in=list(person_ids))
            .values_list("person", "first_reached")
        ):
            dates[person_ids[pk]] = first
    return dates


def _organisations(
    reach_filter: ReachFilter, *, new: bool = False, multi_service: bool = False
) -> QuerySet[Organisation]:
    reached = Organisation.objects.filter(
        pk__in=reached_deliveries(reach_filter).values("organisation")
    )
    if new and reach_filter.start is not None:
        reached = reached.exclude(_earlier_delivery(reach_filter.start, "organisation"))
    if multi_service:
        reached = reached.filter(pk__in=_served_by_several_kinds(reach_filter))
    return reached


def _people(reach_filter: ReachFilter, *, new: bool = False) -> QuerySet[Person]:
    reached = Person.objects.filter(pk__in=reached_deliveries(reach_filter).values("person"))
    if new and reach_filter.start is not None:
        reached = reached.exclude(_earlier_delivery(reach_filter.start, "person"))
    return reached


def organisations_reached(
    reach_filter: ReachFilter, *, new: bool = False, multi_service: bool = False
) -> QuerySet[Organisation]:
    """The organisations behind a figure, by name in Turkish order.

    ``new``: only those first reached within the period (never before its start).
    ``multi_service``: only those served by two or more service kinds within the period. The
    filter's service kind, place and theme choose *who* is counted; the kinds are counted over
    all of the organisation's deliveries in the period.
    """
    return (
        _organisations(reach_filter, new=new, multi_service=multi_service)
        .select_related("province")
        .order_by(turkish_order("name"), "pk")
    )


def people_reached(reach_filter: ReachFilter, *, new: bool = False) -> QuerySet[Person]:
    """The people behind a figure, by name in Turkish order; ``new``: only those first
    reached within the period."""
    return (
        _people(reach_filter, new=new)
        .select_related("province")
        .order_by(turkish_order("full_name"), "pk")
    )


def _served_by_several_kinds(reach_filter: ReachFilter) -> QuerySet[Any, Any]:
    period = ReachFilter(start=reach_filter.start, end=reach_filter.end)
    return (
        reached_deliveries(period)
        .filter(organisation__isnull=False)
        .values("organisation")
        .annotate(kinds=Count("kind", distinct=True))
        .filter(kinds__gte=2)
        .values("organisation")
        .order_by()
    )


def new_reach(reach_filter: ReachFilter) -> Reach:
    """Distinct organisations and people reached under the filter whose first delivery ever
    falls within the period: new to the center. With no start, everyone reached is new."""
    if reach_filter.start is None:
        return reach_totals(reach_filter)
    return Reach(
        organisations=_organisations(reach_filter, new=True).count(),
        people=_people(reach_filter, new=True).count(),
    )


def multi_service_organisation_count(reach_filter: ReachFilter) -> int:
    """Organisations reached under the filter that were served by two or more service kinds
    within the period."""
    if not reach_filter.narrows_beyond_period:
        # Everyone served by two kinds in the period is reached in it: one grouped scan.
        return _served_by_several_kinds(reach_filter).count()
    return _organisations(reach_filter, multi_service=True).count()


def reach_report(reach_filter: ReachFilter) -> ReachReport:
    """The "Erişim" page's figures: totals, new, multi-service, and the four breakdowns."""
    totals = reach_totals(reach_filter)
    return ReachReport(
        reach_filter=reach_filter,
        totals=totals,
        new=totals if reach_filter.start is None else new_reach(reach_filter),
        multi_service_organisations=multi_service_organisation_count(reach_filter),
        by_region=reach_by(reach_filter, Dimension.REGION),
        by_province=reach_by(reach_filter, Dimension.PROVINCE),
        by_theme=reach_by(reach_filter, Dimension.THEME),
        by_kind=reach_by(reach_filter, Dimension.KIND),
    )


LEDGER_GENERATION_KEY = "ledger:generation"


def ledger_changed() -> None:
    """Call after the ledger changed: counted reports are not shown again. (Writes made in
    another process are seen through the cache when it is shared, i.e. Redis; otherwise the
    kept reports expire within ``REACH_REPORT_SECONDS``.)"""
    try:
        cache.incr(LEDGER_GENERATION_KEY)
    except ValueError:  # not set yet, or evicted
        cache.set(LEDGER_GENERATION_KEY, 1, None)


def _report_cache_key(reach_filter: ReachFilter) -> str:
    f = reach_filter
    # The language too: breakdown rows are put in the alphabetical order of their names.
    identity = (
        f.start,
        f.end,
        *(
            obj.pk if obj else None
            for obj in (f.kind, f.region, f.province, f.theme, f.organisation_type)
        ),
        f.no_province,
        f.no_theme,
        f.programme,
        f.no_organisation_type,
        translation.get_language(),
    )
    return "ledger:reach-report:" + hashlib.sha256(repr(identity).encode()).hexdigest()


def recent_reach_report(reach_filter: ReachFilter, *, recount: bool = False) -> ReachReport:
    """``reach_report`` as counted lately for the same filter (its ``counted_at`` says when),
    or counted now. A kept report is shown again for up to five minutes while the ledger does
    not change, and for up to a minute after it changes; ``recount`` counts now."""
    key = _report_cache_key(reach_filter)
    generation = cache.get(LEDGER_GENERATION_KEY, 0)
    kept: tuple[ReachReport, int] | None = None if recount else cache.get(key)
    if kept is not None:
        report, counted_generation = kept
        age = (timezone.now() - report.counted_at).total_seconds()
        if counted_generation == generation or age < RECOUNT_AFTER_CHANGE_SECONDS:
            return report
    report = reach_report(reach_filter)
    cache.set(key, (report, generation), REACH_REPORT_SECONDS)
    return report


def delivery_years() -> list[int]:
    """The years that have deliveries, newest first (for the period filter)."""
    dates = Delivery.objects.filter(withdrawn_at__isnull=True)
    # Two queries, each answered from the date index; MIN and MAX together would scan it.
    first = dates.aggregate(first=Min("date"))["first"]
    last = dates.aggregate(last=Max("date"))["last"]
    if first is None or last is None:
        return []
    return list(range(last.year, first.year - 1, -1))
