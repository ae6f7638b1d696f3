"""Every number the impact dashboard and the donor report show, counted in one place.

``compute_figures(scope)`` counts them from the ledger (and its summary tables, which the
database keeps exact: there is no cache that could be stale when a delivery is withdrawn) and
returns ``Figures``, a frozen value that a donor report stores as its snapshot
(``Figures.to_json`` / ``Figures.from_json``): a finished report shows the figures as they
were, and can be compared with today's.

What is counted, for a scope (a period and, optionally, a programme name):

- the headline: distinct organisations, distinct people, deliveries, hours, provinces reached;
- breakdowns by service kind, theme, organisation type, province and region: distinct
  organisations and people per group (a delivery with two themes counts in both; "not
  recorded" is a group of its own, with the key "");
- trends by month and by quarter: distinct organisations and people and deliveries per month
  or quarter (distinct within that month or quarter);
- the indicator table (value, target, variance, % of target, baseline; ``None`` is "no data");
- for the donor report only (``report=True``): the activity list, and the raw aggregated data
  — distinct organisations by service kind × province × theme × quarter, read from the ledger's
  summary for whole quarters.

``drilldown(scope, dimension, key)`` is the ledger filter behind a breakdown row: its names
are on the staff "names behind the figure" page (``ledger:names``).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import asdict, dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.db.models import Count, Func, IntegerField, Max, Min, Sum
from django.db.models.functions import ExtractQuarter, ExtractYear
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from kaynak.core.models import ApplicantType, Province, Region, Theme
from kaynak.core.reference_data import PROVINCES
from kaynak.core.text import sort_key
from kaynak.impact.results import indicator_table, indicators_for_table
from kaynak.ledger import summary
from kaynak.ledger.models import Delivery, ServiceKind
from kaynak.ledger.queries import (
    Dimension,
    ReachFilter,
    ReachRow,
    month_range,
    quarter_range,
    reach_by,
    reached_deliveries,
    rows_from_counts,
)

# The breakdowns, by the name of their ``Figures`` field.
BREAKDOWNS: dict[str, Dimension] = {
    "by_kind": Dimension.KIND,
    "by_theme": Dimension.THEME,
    "by_organisation_type": Dimension.ORGANISATION_TYPE,
    "by_province": Dimension.PROVINCE,
    "by_region": Dimension.REGION,
}


@dataclass(frozen=True)
class Scope:
    """What the figures count: the deliveries of ``start``–``end`` (both included), of the
    programme named when one is (as recorded on the deliveries, e.g. "Kapasite")."""

    start: dt.date
    end: dt.date
    programme: str = ""

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("The period ends before it starts.")

    @property
    def reach_filter(self) -> ReachFilter:
        return ReachFilter(start=self.start, end=self.end, programme=self.programme)

    @property
    def whole_quarters(self) -> bool:
        """True when the period starts on a quarter's first day and ends on a quarter's last:
        the ledger's summary tables can answer for it."""
        return (self.start.month % 3, self.start.day) == (1, 1) and (
            self.end.month,
            self.end.day,
        ) in {(3, 31), (6, 30), (9, 30), (12, 31)}

    @property
    def from_summary(self) -> bool:
        """The summary keeps no programme: with one, figures are counted from the ledger."""
        return self.whole_quarters and not self.programme


@dataclass(frozen=True)
class Headline:
    organisations: int
    people: int
    deliveries: int
    hours: Decimal
    provinces: int


@dataclass(frozen=True)
class Row:
    """A breakdown's group: ``key`` is the kind's or theme's slug, the legal form's slug, the
    plate code or the region code ("" for "not recorded")."""

    key: str
    label: str
    organisations: int
    people: int


@dataclass(frozen=True)
class Period:
    """A month (``number`` 1–12) or a quarter (1–4) of a trend."""

    year: int
    number: int
    label: str
    organisations: int
    people: int
    deliveries: int


@dataclass(frozen=True)
class IndicatorFigure:
    code: str
    name: str
    level: str
    unit: str
    is_public: bool
    value: Decimal | None
    target: Decimal | None
    target_label: str
    variance: Decimal | None
    percent_of_target: Decimal | None
    baseline: Decimal | None
    # What a computed indicator counts ("people": the public page writes 1–4 as "<5").
    measure: str = ""


@dataclass(frozen=True)
class Activity:
    kind: str
    name: str
    first: dt.date
    last: dt.date
    organisations: int
    people: int
    deliveries: int


@dataclass(frozen=True)
class CubeCell:
    """Distinct organisations of one service kind × province × theme × quarter ("" for a
    province or theme not recorded)."""

    year: int
    quarter: int
    kind: str
    province: str
    theme: str
    organisations: int


@dataclass(frozen=True)
class Figures:
    scope: Scope
    language: str
    computed_at: dt.datetime
    headline: Headline
    by_kind: list[Row]
    by_theme: list[Row]
    by_organisation_type: list[Row]
    by_province: list[Row]
    by_region: list[Row]
    by_month: list[Period]
    by_quarter: list[Period]
    indicators: list[IndicatorFigure]
    activities: list[Activity] = field(default_factory=list)
    cube: list[CubeCell] = field(default_factory=list)

    @property
    def has_data(self) -> bool:
        return self.headline.deliveries > 0

    def province_values(self, measure: str = "organisations") -> dict[int, int]:
        """{plate code: figure} of all 81 provinces for the map: a province where nobody was
        reached counts 0 (the ledger is complete), not "no data"."""
        reached = {int(row.key): getattr(row, measure) for row in self.by_province if row.key}
        return {plate: reached.get(plate, 0) for plate, _name, _region in PROVINCES}

    def to_json(self) -> str:
        return json.dumps(asdict(self), default=_encode, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Figures:
        data = json.loads(text)
        scope = data["scope"]
        return cls(
            scope=Scope(
                start=dt.date.fromisoformat(scope["start"]),
                end=dt.date.fromisoformat(scope["end"]),
                programme=scope["programme"],
            ),
            language=data["language"],
            computed_at=dt.datetime.fromisoformat(data["computed_at"]),
            headline=Headline(**{**data["headline"], "hours": Decimal(data["headline"]["hours"])}),
            **{name: [Row(**row) for row in data[name]] for name in BREAKDOWNS},
            by_month=[Period(**row) for row in data["by_month"]],
            by_quarter=[Period(**row) for row in data["by_quarter"]],
            indicators=[
                IndicatorFigure(**{k: _decimal_or_none(k, v) for k, v in row.items()})
                for row in data["indicators"]
            ],
            activities=[
                Activity(
                    **{
                        **row,
                        "first": dt.date.fromisoformat(row["first"]),
                        "last": dt.date.fromisoformat(row["last"]),
                    }
                )
                for row in data["activities"]
            ],
            cube=[CubeCell(**row) for row in data["cube"]],
        )


_DECIMAL_FIELDS = {"value", "target", "variance", "percent_of_target", "baseline"}


def _decimal_or_none(name: str, value: Any) -> Any:
    if name in _DECIMAL_FIELDS and value is not None:
        return Decimal(value)
    return value


def _encode(value: Any) -> str:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


# Counting ---------------------------------------------------------------------------------------


def compute_figures(scope: Scope, *, public: bool = False, report: bool = False) -> Figures:
    """Every figure of ``scope``. ``public``: only the indicators shown in the public summary;
    ``report``: the donor report's activity list and raw aggregated data too."""
    breakdowns = {
        name: [_row(row, dimension) for row in _breakdown(scope, name, dimension)]
        for name, dimension in BREAKDOWNS.items()
    }
    indicators = indicators_for_table()
    if public:
        indicators = indicators.filter(is_public=True)
    return Figures(
        scope=scope,
        language=translation.get_language() or "tr",
        computed_at=timezone.now(),
        headline=_headline(scope, provinces=sum(1 for row in breakdowns["by_province"] if row.key)),
        **breakdowns,
        by_month=_trend(scope, "month"),
        by_quarter=_quarters(scope),
        indicators=[
            _indicator_figure(result)
            for result in indicator_table(indicators, start=scope.start, end=scope.end)
        ],
        activities=activities(scope) if report else [],
        cube=cube(scope) if report else [],
    )


# The breakdowns the ledger's summary tables keep (distinct organisations and people per group).
_SUMMARY_GROUPS = {
    "by_kind": "kind",
    "by_theme": "theme",
    "by_province": "province",
    "by_region": "region",
}


def _breakdown(scope: Scope, name: str, dimension: Dimension) -> list[ReachRow]:
    """A breakdown's rows: from the summary tables when they keep it and the scope allows
    (whole quarters, no programme), else counted from the deliveries — the same rows."""
    group = _SUMMARY_GROUPS.get(name)
    if group is None or not scope.from_summary:
        return reach_by(scope.reach_filter, dimension)
    return rows_from_counts(
        dimension,
        summary.distinct_by("organisation", group, scope.start, scope.end),
        summary.distinct_by("person", group, scope.start, scope.end),
    )


def _headline(scope: Scope, *, provinces: int) -> Headline:
    if scope.from_summary:
        organisations, _any = summary.distinct_count("organisation", scope.start, scope.end)
        people, _any = summary.distinct_count("person", scope.start, scope.end)
        deliveries, hours = summary.deliveries_and_hours(scope.start, scope.end)
        return Headline(organisations, people, deliveries, hours, provinces)
    counts = reached_deliveries(scope.reach_filter).aggregate(
        organisations=Count("organisation", distinct=True),
        people=Count("person", distinct=True),
        deliveries=Count("pk"),
        hours=Sum("quantity"),
    )
    return Headline(
        organisations=counts["organisations"],
        people=counts["people"],
        deliveries=counts["deliveries"],
        hours=Decimal(counts["hours"] or 0),
        provinces=provinces,
    )


def _row(row: ReachRow, dimension: Dimension) -> Row:
    match dimension:
        case Dimension.KIND:
            obj: Any = row.kind
            key = obj.slug if obj else ""
        case Dimension.THEME:
            obj = row.theme
            key = obj.slug if obj else ""
        case Dimension.ORGANISATION_TYPE:
            obj = row.organisation_type
            key = obj.slug if obj else ""
        case Dimension.PROVINCE:
            obj = row.province
            key = str(obj.plate_code) if obj else ""
        case Dimension.REGION:
            obj = row.region
            key = obj.code if obj else ""
        case _:
            raise ValueError(f"Not a breakdown: {dimension}")
    label = obj.label if obj is not None else _("Not recorded")
    return Row(key=key, label=str(label), organisations=row.organisations, people=row.people)


def period_label(year: int, number: int, unit: str) -> str:
    """ "Mar 2025" for a month, "2025 Q1" for a quarter (in the active language)."""
    if unit == "month":
        return formats.date_format(dt.date(year, number, 1), "M Y")
    return _("%(year)s Q%(quarter)s") % {"year": year, "quarter": number}


def _calendar(scope: Scope, unit: str) -> list[tuple[int, int]]:
    """Every month or quarter of the scope's period, in order (those without deliveries too:
    a trend shows its gaps)."""
    first = (
        scope.start.year,
        scope.start.month if unit == "month" else (scope.start.month + 2) // 3,
    )
    last = (scope.end.year, scope.end.month if unit == "month" else (scope.end.month + 2) // 3)
    size = 12 if unit == "month" else 4
    periods = []
    year, number = first
    while (year, number) <= last:
        periods.append((year, number))
        year, number = (year + 1, 1) if number == size else (year, number + 1)
    return periods


class _Calendar(Func):
    """A date's month (or quarter) as one number, year × 100 + month (or quarter), computed
    by the database itself: Django's ``Extract*`` on SQLite calls a Python function for every
    row, which at a million deliveries is most of the trend's time."""

    output_field = IntegerField()

    def __init__(self, expression: Any, *, unit: str) -> None:
        super().__init__(expression)
        self.unit = unit

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # A DateField is kept as 'YYYY-MM-DD'.
        month = "CAST(substr(%(expressions)s, 6, 2) AS INTEGER)"
        number = month if self.unit == "month" else f"(({month} + 2) / 3)"
        template = f"(CAST(substr(%(expressions)s, 1, 4) AS INTEGER) * 100 + {number})"
        return self.as_sql(compiler, connection, template=template, **extra)

    def as_sql(self, compiler: Any, connection: Any, **extra: Any) -> Any:  # type: ignore[override]
        if "template" not in extra:
            field = "MONTH" if self.unit == "month" else "QUARTER"
            extra["template"] = (
                "(CAST(EXTRACT(YEAR FROM %(expressions)s) AS INTEGER) * 100"
                f" + CAST(EXTRACT({field} FROM %(expressions)s) AS INTEGER))"
            )
        return super().as_sql(compiler, connection, **extra)


def _trend(scope: Scope, unit: str) -> list[Period]:
    """Distinct organisations and people and deliveries per month or quarter, counted from
    the ledger (one query)."""
    rows = (
        reached_deliveries(scope.reach_filter)
        .annotate(period=_Calendar("date", unit=unit))
        .values_list("period")
        .annotate(
            organisations=Count("organisation", distinct=True),
            people=Count("person", distinct=True),
            deliveries=Count("pk"),
        )
        .order_by()
    )
    counted = {divmod(period, 100): rest for period, *rest in rows}
    return [
        Period(
            year, number, period_label(year, number, unit), *counted.get((year, number), (0, 0, 0))
        )
        for year, number in _calendar(scope, unit)
    ]


def _quarters(scope: Scope) -> list[Period]:
    """The quarter trend: from the ledger's summary when it can answer, else counted."""
    if not scope.from_summary:
        return _trend(scope, "quarter")
    totals = summary.quarter_totals(scope.start, scope.end)
    return [
        Period(
            year,
            number,
            period_label(year, number, "quarter"),
            *totals.get(summary.Quarter(year, number), (0, 0, 0)),
        )
        for year, number in _calendar(scope, "quarter")
    ]


def _indicator_figure(result: Any) -> IndicatorFigure:
    indicator = result.indicator
    return IndicatorFigure(
        code=indicator.code,
        name=indicator.label,
        level=str(indicator.get_level_display()),
        unit=indicator.unit,
        is_public=indicator.is_public,
        value=result.value,
        target=result.target.value if result.target else None,
        target_label=result.target.label if result.target else "",
        variance=result.variance,
        percent_of_target=result.percent_of_target,
        baseline=result.baseline,
        measure=indicator.measure,
    )


def activities(scope: Scope) -> list[Activity]:
    """The activities of the scope (deliveries grouped by service kind and activity name), by
    first date; their distinct organisations and people, and deliveries."""
    kinds = {kind.pk: kind.label for kind in ServiceKind.objects.all()}
    rows = (
        reached_deliveries(scope.reach_filter)
        .values_list("kind", "activity")
        .annotate(
            first=Min("date"),
            last=Max("date"),
            organisations=Count("organisation", distinct=True),
            people=Count("person", distinct=True),
            deliveries=Count("pk"),
        )
        .order_by()
    )
    listed = [
        Activity(str(kinds.get(kind, "")), name or "—", first, last, orgs, people, deliveries)
        for kind, name, first, last, orgs, people, deliveries in rows
    ]
    return sorted(listed, key=lambda a: (a.first, a.last, a.kind, a.name))


def cube(scope: Scope) -> list[CubeCell]:
    """Distinct organisations by service kind × province × theme × quarter: the donor report's
    raw aggregated data. From the ledger's summary for whole quarters without a programme, else
    counted from the ledger (quarters cut to the period)."""
    kinds = {kind.pk: kind.slug for kind in ServiceKind.objects.all()}
    themes = {theme.pk: theme.slug for theme in Theme.objects.all()}
    if scope.from_summary:
        cells = summary.distinct_organisations_cube(scope.start, scope.end)
    else:
        rows = (
            reached_deliveries(scope.reach_filter)
            .filter(organisation__isnull=False)
            .annotate(year=ExtractYear("date"), quarter=ExtractQuarter("date"))
            .values_list("kind", "province", "themes", "year", "quarter")
            .annotate(organisations=Count("organisation", distinct=True))
            .order_by()
        )
        cells = {
            (kind, province, theme, summary.Quarter(year, quarter)): count
            for kind, province, theme, year, quarter, count in rows
        }
    listed = [
        CubeCell(
            year=quarter.year,
            quarter=quarter.quarter,
            kind=kinds.get(kind, ""),
            province=str(province) if province else "",
            theme=themes.get(theme, "") if theme else "",
            organisations=count,
        )
        for (kind, province, theme, quarter), count in cells.items()
    ]
    return sorted(listed, key=lambda c: (c.year, c.quarter, c.kind, c.province, c.theme))


# Drill-down -------------------------------------------------------------------------------------


# A breakdown's ledger filter field, and its "not recorded" flag.
_DRILLDOWN_FIELDS: dict[str, tuple[str, str]] = {
    "by_kind": ("kind", ""),
    "by_theme": ("theme", "no_theme"),
    "by_organisation_type": ("organisation_type", "no_organisation_type"),
    "by_province": ("province", "no_province"),
    "by_region": ("region", "no_province"),
}


class Drilldowns:
    """The ledger filters behind the rows of a scope's breakdowns and trends. Service kinds,
    themes, legal forms, provinces and regions are read once (five queries), so a page that
    links every row — the map alone links 81 provinces — costs the same whatever the data."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self._objects: dict[str, dict[str, Any]] = {
            "by_kind": {kind.slug: kind for kind in ServiceKind.objects.all()},
            "by_theme": {theme.slug: theme for theme in Theme.objects.all()},
            "by_organisation_type": {form.slug: form for form in ApplicantType.objects.all()},
            "by_province": {str(p.plate_code): p for p in Province.objects.all()},
            "by_region": {region.code: region for region in Region.objects.all()},
        }

    def reach_filter(self, breakdown: str, key: str) -> ReachFilter | None:
        """The filter behind a breakdown's row (``"by_province"``, key ``"6"``; key "" is "not
        recorded") or a trend's period (``"by_month"``/``"by_quarter"``, key ``"2025-3"``);
        ``None`` for an unknown key."""
        scope, base = self.scope, self.scope.reach_filter
        if breakdown in ("by_month", "by_quarter"):
            try:
                year, number = (int(part) for part in key.split("-"))
                unit = month_range if breakdown == "by_month" else quarter_range
                start, end = unit(year, number)
            except ValueError:
                return None
            if end < scope.start or start > scope.end:
                return None
            return replace(base, start=max(start, scope.start), end=min(end, scope.end))
        if breakdown not in _DRILLDOWN_FIELDS:
            return None
        field_name, not_recorded = _DRILLDOWN_FIELDS[breakdown]
        changes: dict[str, Any]
        if not key:
            if not not_recorded:
                return None
            changes = {not_recorded: True}
        else:
            found = self._objects[breakdown].get(key)
            if found is None:
                return None
            changes = {field_name: found}
        return replace(base, **changes)


def drilldown(scope: Scope, breakdown: str, key: str) -> ReachFilter | None:
    """The ledger filter behind one row (see ``Drilldowns.reach_filter``)."""
    return Drilldowns(scope).reach_filter(breakdown, key)


def programmes() -> list[str]:
    """The programme names recorded on deliveries, in Turkish alphabetical order (for the
    donor report's choice of programme)."""
    names = (
        Delivery.objects.filter(withdrawn_at__isnull=True)
        .exclude(programme="")
        .values_list("programme", flat=True)
        .distinct()
        .order_by()
    )
    return sorted(names, key=sort_key)
