"""Exports of the impact figures: the indicator results of a period, and the aggregated open-data
set with no personal data.

Both are CSV for machines as much as for people: UTF-8 with a byte-order mark (so that Excel
reads the Turkish letters), numbers with a "." decimal point and no thousands separator, dates
as ISO 8601, and "no data" as an empty cell (``null`` in the API's JSON), never 0.

The open-data set (``open_data_rows``) has one row per year × quarter × province × service kind
with the distinct organisations and people reached. People are protected by suppression: a
people figure of 1–4 is left empty and marked ``people_suppressed`` (primary suppression), and
when exactly one cell of a year × quarter × province group is suppressed, the next-smallest
non-zero people figure of the group is suppressed too (secondary suppression), so that the
province's figures cannot give the hidden one back. A 0 is 0 and never suppressed;
organisations are not personal data and are never suppressed. (docs/impact.md: "Exports and
API".)
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from kaynak.core.errors import KaynakError
from kaynak.core.models import CenterSettings
from kaynak.impact.forms import PeriodForm
from kaynak.impact.results import Result
from kaynak.ledger.queries import Dimension, ReachFilter, quarter_range, reach_by

type Cell = str | int | bool | Decimal | dt.date | None

# The smallest people figure published as it is; 1 to SUPPRESS_BELOW - 1 are suppressed.
SUPPRESS_BELOW = 5

# Text that a spreadsheet would run as a formula is written with a leading apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

INDICATOR_COLUMNS = (
    "code",
    "name",
    "level",
    "unit",
    "method",
    "period_start",
    "period_end",
    "value",
    "target_label",
    "target",
    "variance",
    "percent_of_target",
    "baseline",
)

OPEN_DATA_COLUMNS = (
    "year",
    "quarter",
    "province_code",
    "province_name",
    "service_kind",
    "service_kind_name",
    "organisations",
    "people",
    "people_suppressed",
)


@dataclass(frozen=True)
class Table:
    """A header and its rows, ready for CSV (or a spreadsheet)."""

    header: tuple[str, ...]
    rows: list[tuple[Cell, ...]]


class PeriodError(KaynakError):
    """The period asked for is not valid; ``errors`` maps each parameter to its messages."""

    code = "invalid_period"

    def __init__(self, errors: Mapping[str, list[str]]) -> None:
        first = next(iter(errors.values()))[0]
        super().__init__(first)
        self.errors = dict(errors)


def period_from_query(
    query: Mapping[str, str | None], *, quarter_needs_year: bool = False
) -> tuple[dt.date, dt.date]:
    """The period of ``year``/``quarter`` or ``start``/``end`` in a query, read as the indicator
    page reads it (nothing given: this year). ``quarter_needs_year``: a quarter without a year is
    an error rather than a quarter of this year (the API, where a default would surprise)."""
    data = {name: value for name, value in query.items() if value not in (None, "")}
    if quarter_needs_year and data.get("quarter") and not data.get("year"):
        raise PeriodError({"year": [str(_("Give the year of the quarter too."))]})
    form = PeriodForm({name: data[name] for name in PeriodForm.base_fields if name in data})
    if not form.is_valid():
        raise PeriodError(
            {name: [str(m) for m in messages] for name, messages in form.errors.items()}
        )
    return form.period()


def period_slug(start: dt.date, end: dt.date) -> str:
    """ "2025", "2025-q2" or "2025-01-01_2025-03-15": a period in a file name (ASCII)."""
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return str(start.year)
    for quarter in range(1, 5):
        if (start, end) == quarter_range(start.year, quarter):
            return f"{start.year}-q{quarter}"
    return f"{start.isoformat()}_{end.isoformat()}"


def public_impact_summary_on() -> bool:
    """Whether the center has switched on its public impact summary (and so its open data)."""
    # getattr: the switch is a field of CenterSettings that another change adds.
    return bool(getattr(CenterSettings.current(), "public_impact_summary", False))


# Indicator results -----------------------------------------------------------------------------


def indicator_results_rows(results: Iterable[Result]) -> Table:
    """The indicator results as a table; "no data" is ``None`` (an empty cell), never 0."""
    rows: list[tuple[Cell, ...]] = []
    for result in results:
        indicator, target = result.indicator, result.target
        rows.append(
            (
                indicator.code,
                indicator.label,
                indicator.level,
                indicator.unit,
                indicator.method,
                result.start,
                result.end,
                result.value,
                target.label if target else None,
                target.value if target else None,
                result.variance,
                result.percent_of_target,
                result.baseline,
            )
        )
    return Table(header=INDICATOR_COLUMNS, rows=rows)


def indicator_results_csv(results: Iterable[Result]) -> str:
    """The indicator results as CSV text (with its byte-order mark: encode it as UTF-8)."""
    return to_csv(indicator_results_rows(results))


# Open data -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class OpenDataRow:
    year: int
    quarter: int
    province_code: int | None
    province_name: str
    kind_slug: str
    kind_name: str
    organisations: int
    people: int | None  # None: suppressed
    people_suppressed: bool

    def cells(self) -> tuple[Cell, ...]:
        return (
            self.year,
            self.quarter,
            self.province_code,
            self.province_name,
            self.kind_slug,
            self.kind_name,
            self.organisations,
            self.people,
            self.people_suppressed,
        )


def open_data_rows(start: dt.date, end: dt.date) -> list[OpenDataRow]:
    """Distinct organisations and people per year × quarter × province × service kind over the
    period, people figures under 5 suppressed (see the module's docstring). Three queries."""
    reach = reach_by(
        ReachFilter(start=start, end=end),
        Dimension.YEAR,
        Dimension.QUARTER,
        Dimension.PROVINCE,
        Dimension.KIND,
    )
    rows = []
    for row in reach:
        # Grouped by year, quarter and kind: none of them is missing.
        assert row.year is not None
        assert row.quarter is not None
        assert row.kind is not None
        rows.append(
            OpenDataRow(
                year=row.year,
                quarter=row.quarter,
                province_code=row.province.plate_code if row.province else None,
                province_name=row.province.name if row.province else str(_("Not recorded")),
                kind_slug=row.kind.slug,
                kind_name=row.kind.label,
                organisations=row.organisations,
                people=row.people,
                people_suppressed=False,
            )
        )
    return suppress_small_people_counts(rows)


def suppress_small_people_counts(rows: Sequence[OpenDataRow]) -> list[OpenDataRow]:
    """``rows`` with people figures of 1–4 suppressed, and the next-smallest non-zero one of a
    year × quarter × province group where only one was (secondary suppression)."""
    hidden = {i for i, row in enumerate(rows) if row.people and row.people < SUPPRESS_BELOW}
    groups: dict[tuple[int, int, int | None], list[int]] = defaultdict(list)
    for i, row in enumerate(rows):
        groups[(row.year, row.quarter, row.province_code)].append(i)
    for members in groups.values():
        if sum(1 for i in members if i in hidden) != 1:
            continue
        # The smallest other non-zero figure; on a tie, the first in the file's order.
        candidates = [i for i in members if i not in hidden and rows[i].people]
        if candidates:
            hidden.add(min(candidates, key=lambda i: (rows[i].people or 0, i)))
    return [
        replace(row, people=None, people_suppressed=True) if i in hidden else row
        for i, row in enumerate(rows)
    ]


def open_data_table(start: dt.date, end: dt.date) -> Table:
    """The open-data set as a table."""
    return Table(header=OPEN_DATA_COLUMNS, rows=[r.cells() for r in open_data_rows(start, end)])


def open_data_csv(start: dt.date, end: dt.date) -> str:
    """The open-data set as CSV text (with its byte-order mark: encode it as UTF-8)."""
    return to_csv(open_data_table(start, end))


# CSV -------------------------------------------------------------------------------------------


def machine_text(value: Cell) -> str:
    """A cell as machines read it: "" for no data, "." decimals, ISO dates, true/false."""
    match value:
        case None:
            return ""
        case bool():
            return "true" if value else "false"
        case Decimal():
            return decimal_text(value)
        case dt.date():
            return value.isoformat()
        case str() if value.startswith(FORMULA_STARTS):
            return "'" + value
        case _:
            return str(value)


def decimal_text(value: Decimal) -> str:
    """12, 12.5, -3.25: no exponent, no trailing zeros."""
    if value == value.to_integral_value():
        return str(int(value))
    return format(value.normalize(), "f")


def to_csv(table: Table) -> str:
    """The table as CSV text, starting with a byte-order mark."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(table.header)
    for row in table.rows:
        writer.writerow([machine_text(value) for value in row])
    return "\ufeff" + text.getvalue()
