"""The reach summary: the impact figures at national scale without counting a million deliveries.

The figure the dashboard and the donor report need is *distinct* organisations by service kind ×
province × theme × quarter over the deliveries not withdrawn, plus per-quarter totals (distinct
organisations, distinct people, deliveries). Distinct counts do not add up across cells, so the
summary keeps the distinct members with the number of deliveries behind each (a reference count):

- ``ReachMember`` (organisation, kind, province, theme, quarter, deliveries) and ``ReachCell``
  (kind, province, theme, quarter, organisations = its number of members);
- ``ReachPerson`` (person, kind, province, theme, quarter, deliveries), the people twin of
  ``ReachMember``, and ``DeliveryCell`` (kind, province, quarter, deliveries, hours): what the
  indicator table reads (``distinct_count``, ``deliveries_and_hours``);
- ``QuarterOrganisation`` / ``QuarterPerson`` (subject, quarter, deliveries) and
  ``QuarterTotal`` (quarter, organisations, people, deliveries);
- ``OrganisationQuarters`` / ``PersonQuarters`` (subject, kind or 0 for any, epoch, quarters):
  the quarters a subject was reached in, as the bits of one integer per epoch of 60 quarters
  (2015–2029, 2030–2044, …), kept from the inserts and deletes of ``ReachMember`` /
  ``ReachPerson``: distinct subjects over a year or more with no theme or province filter are
  one row per subject and epoch instead of one per quarter, province and theme.

They are kept by database triggers on ``ledger_delivery`` and ``ledger_delivery_themes``,
installed by migration 0006 (again by 0007, with the statements for its tables: the migrations
call this module, so the triggers are always today's), not by Python code: every write to the
ledger — ``record_delivery`` and ``withdraw_delivery``, the directory's merge and unmerge
(which move deliveries with ``QuerySet.update``), the demo's ``bulk_create``, the admin, a data
migration — changes the summary in the same statement's transaction, so a figure read from it
is exact, never a stale cache. A delivery counts in each of its themes (theme 0: none
recorded) and in its province (0: none recorded); deliveries with no organisation count for
people and deliveries only, deliveries with no person for organisations and deliveries only.

``rebuild()`` (``kaynak ledger rebuild-summary``) recomputes everything from the ledger in a
few set-based statements; ``suspended()`` drops the triggers around a bulk load and rebuilds at
the end, which is faster than maintaining the summary row by row.
"""

# ruff: noqa: S608 — the SQL here is built from this module's constant names, never from input

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Literal, NamedTuple

from django.db import connection, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Count, Sum
from django.db.models.functions import ExtractQuarter, ExtractYear

from kaynak.ledger.models import Delivery


class Quarter(NamedTuple):
    year: int
    quarter: int  # 1–4

    @property
    def code(self) -> int:
        """As the summary tables store it: 20253 is 2025 Q3."""
        return self.year * 10 + self.quarter

    @classmethod
    def from_code(cls, code: int) -> Quarter:
        return cls(code // 10, code % 10)

    @classmethod
    def of(cls, date: dt.date) -> Quarter:
        return cls(date.year, (date.month + 2) // 3)


class QuarterFigures(NamedTuple):
    organisations: int
    people: int
    deliveries: int


# (service kind id, province plate code or None, theme id or None, quarter)
CubeKey = tuple[int, int | None, int | None, Quarter]


def is_whole_quarters(start: dt.date, end: dt.date) -> bool:
    """Whether ``start``–``end`` is made of whole quarters (what the summary can answer)."""
    return (
        start.month % 3 == 1
        and start.day == 1
        and (end.month, end.day) in {(3, 31), (6, 30), (9, 30), (12, 31)}
        and start <= end
    )


# The quarter masks (``OrganisationQuarters`` / ``PersonQuarters``): quarter i (counted from
# year 0, shifted by 40 so that an epoch of 60 quarters = 15 years starts in 2015, 2030, 2045:
# the years a report spans lie in one epoch, where one row per subject answers it) is bit
# i % 60 of the row of epoch i // 60. Bit 59 is the highest: the masks stay positive.
EPOCH_QUARTERS = 60
_EPOCH_SHIFT = 40


def quarter_epoch_and_bit(code: int) -> tuple[int, int]:
    """The epoch and the bit of the quarter with this code (20253: 2025 Q3) in the masks."""
    index = (code // 10) * 4 + code % 10 - 1 + _EPOCH_SHIFT
    return index // EPOCH_QUARTERS, index % EPOCH_QUARTERS


def _epoch_masks(first: int, last: int) -> dict[int, int]:
    """epoch → the mask of its quarters from code ``first`` to code ``last``."""
    masks: dict[int, int] = {}
    quarter = Quarter.from_code(first)
    while quarter.code <= last:
        epoch, bit = quarter_epoch_and_bit(quarter.code)
        masks[epoch] = masks.get(epoch, 0) | (1 << bit)
        quarter = (
            Quarter(quarter.year, quarter.quarter + 1)
            if quarter.quarter < 4
            else Quarter(quarter.year + 1, 1)
        )
    return masks


def _index_sql(quarter: str) -> str:
    return f"(({quarter}) / 10 * 4 + ({quarter}) % 10 - 1 + {_EPOCH_SHIFT})"


def _epoch_sql(quarter: str) -> str:
    """The epoch of quarter code ``quarter`` (an SQL integer expression)."""
    return f"({_index_sql(quarter)} / {EPOCH_QUARTERS})"


def _bit_sql(quarter: str) -> str:
    """The bit of quarter code ``quarter`` in its epoch's mask, as a 64-bit integer."""
    return f"(CAST(1 AS BIGINT) << ({_index_sql(quarter)} % {EPOCH_QUARTERS}))"


def _quarters(start: dt.date, end: dt.date) -> tuple[int, int]:
    """The codes of the first and last quarter of a period made of whole quarters."""
    if start.month % 3 != 1 or start.day != 1:
        raise ValueError(f"{start} is not the first day of a quarter.")
    if (end.month, end.day) not in {(3, 31), (6, 30), (9, 30), (12, 31)}:
        raise ValueError(f"{end} is not the last day of a quarter.")
    return Quarter.of(start).code, Quarter.of(end).code


def distinct_organisations_cube(start: dt.date, end: dt.date) -> dict[CubeKey, int]:
    """Distinct organisations reached by service kind × province × theme × quarter, for the
    quarters from ``start`` (a quarter's first day) to ``end`` (a quarter's last day)."""
    first, last = _quarters(start, end)
    # A raw cursor: up to a few hundred thousand small rows, and the ORM would make a model
    # instance or a dict of each; the unique key (quarter, …) is the index this range reads.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT kind_id, province, theme, quarter, organisations FROM ledger_reachcell"
            " WHERE quarter BETWEEN %s AND %s",
            [first, last],
        )
        return {
            (kind, province or None, theme or None, Quarter(quarter // 10, quarter % 10)): count
            for kind, province, theme, quarter, count in cursor.fetchall()
        }


def quarter_totals(start: dt.date, end: dt.date) -> dict[Quarter, QuarterFigures]:
    """Distinct organisations, distinct people and deliveries of each quarter of the period
    (whole quarters, as for ``distinct_organisations_cube``); quarters with none are left out."""
    first, last = _quarters(start, end)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT quarter, organisations, people, deliveries FROM ledger_quartertotal"
            " WHERE quarter BETWEEN %s AND %s AND deliveries > 0",
            [first, last],
        )
        return {
            Quarter.from_code(quarter): QuarterFigures(organisations, people, deliveries)
            for quarter, organisations, people, deliveries in cursor.fetchall()
        }


def _in(column: str, values: Collection[int]) -> tuple[str, list[int]]:
    if not values:
        return "", []
    return f" AND {column} IN ({', '.join(['%s'] * len(values))})", list(values)


def _cell_filter(
    first: int,
    last: int,
    kinds: Collection[int],
    provinces: Collection[int],
    themes: Collection[int] | None,
) -> tuple[str, list[int]]:
    """The WHERE clause of a summary table read: quarters, then the filters that are given."""
    where, params = "quarter BETWEEN %s AND %s", [first, last]
    for column, values in (("kind_id", kinds), ("province", provinces), ("theme", themes or ())):
        sql, more = _in(column, values)
        where += sql
        params += more
    return where, params


def distinct_count(
    subject: Literal["organisation", "person"],
    start: dt.date,
    end: dt.date,
    *,
    kinds: Collection[int] = (),
    themes: Collection[int] = (),
    provinces: Collection[int] = (),
) -> tuple[int, bool]:
    """Distinct organisations or people reached in the quarters from ``start`` to ``end``
    (whole quarters) by the deliveries of any of ``kinds``, on any of ``themes``, in any of
    ``provinces`` (ids and plate codes; empty: any), and whether those filters select any
    delivery at all — with or without that subject (``(0, True)``: deliveries, but none to an
    organisation). Regions are the caller's to turn into provinces. One query."""
    first, last = _quarters(start, end)
    if not (kinds or themes or provinces) and first == last:
        # Everyone reached in one quarter: its total.
        with connection.cursor() as cursor:
            column = "organisations" if subject == "organisation" else "people"
            cursor.execute(
                f"SELECT {column}, deliveries FROM ledger_quartertotal WHERE quarter = %s",
                [first],
            )
            row = cursor.fetchone()
        return (row[0], row[1] > 0) if row else (0, False)
    if not (themes or provinces) and _quarter_count(first, last) >= _masks_from(kinds):
        return _distinct_from_masks(subject, first, last, kinds)
    if not (kinds or themes or provinces):
        # Everyone reached in a few quarters: the quarter tables, in the subject's order.
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT COUNT(DISTINCT {subject}_id), EXISTS (SELECT 1 FROM ledger_quartertotal"
                " WHERE quarter BETWEEN %s AND %s AND deliveries > 0)"
                f" FROM ledger_quarter{subject} WHERE quarter BETWEEN %s AND %s",
                [first, last, first, last],
            )
            value, any_delivery = cursor.fetchone()
        return value, bool(any_delivery)
    where, params = _cell_filter(first, last, kinds, provinces, themes)
    table, other = (
        ("ledger_reachmember", "ledger_reachperson")
        if subject == "organisation"
        else ("ledger_reachperson", "ledger_reachmember")
    )
    # Every delivery has a subject (ledger_delivery_has_a_subject), so it is in one of the
    # two tables: no row in either, no delivery.
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(DISTINCT {subject}_id), EXISTS (SELECT 1 FROM {other} WHERE {where})"
            f" FROM {table} WHERE {where}",
            params + params,
        )
        value, others = cursor.fetchone()
    return value, bool(value or others)


# From how many quarters on ``distinct_count`` reads the quarter masks: their cost is the
# subjects of the epoch whatever the period, the other tables' grows with its quarters (and
# PostgreSQL sorts them for COUNT(DISTINCT)). Measured on a million deliveries (the data of
# bench/report_vs_duckdb.py, periods from 2024 Q1), old path / masks in ms:
#   PostgreSQL, 4 quarters: organisations 13.3 / 6.9, people 26.6 / 16.9, people of one kind
#   10.8 / 11.6, of three kinds 19.8 / 21.3 (6 quarters: 40.6 / 24.6; 16: 135 / 36);
#   SQLite, 4 quarters: 14.0 / 4.8, 23.1 / 11.3, 16.5 / 7.0, 31.7 / 25.9.
# (vendor, whether kinds are given) → the fewest quarters read from the masks.
MASKS_FROM_QUARTERS = {("postgresql", True): 5, ("postgresql", False): 4}
_MASKS_FROM_QUARTERS_ELSEWHERE = 4


def _masks_from(kinds: Collection[int]) -> int:
    """The fewest quarters ``distinct_count`` reads from the masks with these kinds."""
    return MASKS_FROM_QUARTERS.get((connection.vendor, bool(kinds)), _MASKS_FROM_QUARTERS_ELSEWHERE)


def _quarter_count(first: int, last: int) -> int:
    return (last // 10 * 4 + last % 10) - (first // 10 * 4 + first % 10) + 1


def _distinct_from_masks(
    subject: Literal["organisation", "person"], first: int, last: int, kinds: Collection[int]
) -> tuple[int, bool]:
    """``distinct_count`` with no theme and no province: the subjects whose quarter mask of
    one of ``kinds`` (none: kind 0, any) has a bit of the period — one row per subject and
    epoch, so with one kind and one epoch a plain count, read from the index alone."""
    masks = _epoch_masks(first, last)
    kind_sql, kind_params = (
        (f"kind IN ({', '.join(['%s'] * len(kinds))})", list(kinds)) if kinds else ("kind = 0", [])
    )
    bits = " OR ".join("(epoch = %s AND quarters & CAST(%s AS BIGINT) <> 0)" for _ in masks)
    params: list[int] = [*kind_params]
    for epoch, mask in masks.items():
        params += [epoch, mask]
    counted = "COUNT(*)" if len(kinds) <= 1 and len(masks) == 1 else f"COUNT(DISTINCT {subject}_id)"
    cell_sql, cell_params = _cell_filter(first, last, kinds, (), None)
    # Every delivery is in DeliveryCell, with or without this subject: (0, True) when there
    # are deliveries but none to one.
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {counted}, EXISTS (SELECT 1 FROM ledger_deliverycell WHERE {cell_sql})"
            f" FROM ledger_{subject}quarters WHERE {kind_sql} AND ({bits})",
            cell_params + params,
        )
        value, any_delivery = cursor.fetchone()
    return value, bool(any_delivery)


def deliveries_and_hours(
    start: dt.date, end: dt.date, *, kinds: Collection[int] = (), provinces: Collection[int] = ()
) -> tuple[int, Decimal]:
    """Deliveries and the sum of their hours (none recorded: 0) in the quarters from ``start``
    to ``end`` (whole quarters) by any of ``kinds`` in any of ``provinces`` (empty: any). No
    theme: a delivery with two themes is one delivery. One query."""
    first, last = _quarters(start, end)
    where, params = _cell_filter(first, last, kinds, provinces, None)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COALESCE(SUM(deliveries), 0), COALESCE(SUM(hour_hundredths), 0)"
            f" FROM ledger_deliverycell WHERE {where}",
            params,
        )
        deliveries, hundredths = cursor.fetchone()
    return int(deliveries), Decimal(int(hundredths)).scaleb(-2)


# What ``distinct_by`` groups by: the column of ledger_reachmember / ledger_reachperson, or the
# region of its province (joined), keyed by id, plate code or region code (0 / "": not recorded).
_GROUPS = {
    "kind": "m.kind_id",
    "theme": "m.theme",
    "province": "m.province",
    "region": "COALESCE(p.region_id, '')",
}


def distinct_by(
    subject: Literal["organisation", "person"], group: str, start: dt.date, end: dt.date
) -> dict[int | str, int]:
    """Distinct organisations or people per service kind (id), theme (id; 0: none recorded),
    province (plate code; 0: none) or region (code; "": no province) in the quarters from
    ``start`` to ``end`` (whole quarters); groups without any are left out. One query."""
    first, last = _quarters(start, end)
    if group == "kind" and _quarter_count(first, last) >= _masks_from(()):
        # Per service from the quarter masks: one row per subject, kind and epoch.
        masks = _epoch_masks(first, last)
        bits = " OR ".join("(epoch = %s AND quarters & CAST(%s AS BIGINT) <> 0)" for _ in masks)
        counted = "COUNT(*)" if len(masks) == 1 else f"COUNT(DISTINCT {subject}_id)"
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT kind, {counted} FROM ledger_{subject}quarters"
                f" WHERE kind <> 0 AND ({bits}) GROUP BY kind",
                [value for epoch_mask in masks.items() for value in epoch_mask],
            )
            return dict(cursor.fetchall())
    table = "ledger_reachmember" if subject == "organisation" else "ledger_reachperson"
    join = " LEFT JOIN core_province AS p ON p.plate_code = m.province" if group == "region" else ""
    column = _GROUPS[group]
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {column}, COUNT(DISTINCT m.{subject}_id) FROM {table} AS m{join}"
            f" WHERE m.quarter BETWEEN %s AND %s GROUP BY {column}",
            [first, last],
        )
        return dict(cursor.fetchall())


def distinct_organisations_cube_from_ledger(start: dt.date, end: dt.date) -> dict[CubeKey, int]:
    """The same figure as ``distinct_organisations_cube``, counted from the deliveries (the
    reference the summary is tested and benchmarked against)."""
    _quarters(start, end)
    rows = (
        Delivery.objects.filter(
            withdrawn_at__isnull=True, organisation__isnull=False, date__range=(start, end)
        )
        .annotate(year=ExtractYear("date"), quarter=ExtractQuarter("date"))
        .values_list("kind", "province", "themes", "year", "quarter")
        .annotate(organisations=Count("organisation", distinct=True))
        .order_by()
    )
    return {
        (kind, province, theme, Quarter(year, quarter)): count
        for kind, province, theme, year, quarter, count in rows
    }


def quarter_totals_from_ledger(start: dt.date, end: dt.date) -> dict[Quarter, QuarterFigures]:
    """The same figures as ``quarter_totals``, counted from the deliveries."""
    _quarters(start, end)
    rows = (
        Delivery.objects.filter(withdrawn_at__isnull=True, date__range=(start, end))
        .annotate(year=ExtractYear("date"), quarter=ExtractQuarter("date"))
        .values_list("year", "quarter")
        .annotate(
            organisations=Count("organisation", distinct=True),
            people=Count("person", distinct=True),
            deliveries=Count("pk"),
        )
        .order_by()
    )
    return {
        Quarter(year, quarter): QuarterFigures(organisations, people, deliveries)
        for year, quarter, organisations, people, deliveries in rows
    }


# (kind id, province plate or 0, quarter code) → (deliveries, hours in hundredths)
DeliveryCells = dict[tuple[int, int, int], tuple[int, int]]
# (person id, kind id, province plate or 0, theme id or 0, quarter code) → deliveries
PersonCells = dict[tuple[int, int, int, int, int], int]


def indicator_cells() -> tuple[PersonCells, DeliveryCells]:
    """Every row of ``ReachPerson`` and ``DeliveryCell`` (for the tests and ``--check``)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT person_id, kind_id, province, theme, quarter, deliveries"
            " FROM ledger_reachperson"
        )
        people = {tuple(row[:5]): row[5] for row in cursor.fetchall()}
        cursor.execute(
            "SELECT kind_id, province, quarter, deliveries, hour_hundredths"
            " FROM ledger_deliverycell"
        )
        cells = {tuple(row[:3]): (row[3], row[4]) for row in cursor.fetchall()}
    return people, cells


def indicator_cells_from_ledger() -> tuple[PersonCells, DeliveryCells]:
    """The same rows as ``indicator_cells``, counted from the deliveries with the ORM."""
    counted = Delivery.objects.filter(withdrawn_at__isnull=True).annotate(
        year=ExtractYear("date"), quarter=ExtractQuarter("date")
    )
    people: PersonCells = {}
    for person, kind, plate, theme, year, quarter, deliveries in (
        counted.filter(person__isnull=False)
        .values_list("person", "kind", "province", "themes", "year", "quarter")
        .annotate(deliveries=Count("pk"))
        .order_by()
    ):
        people[(person, kind, plate or 0, theme or 0, year * 10 + quarter)] = deliveries
    cells: DeliveryCells = {}
    for kind, plate, year, quarter, deliveries, hours in (
        counted.values_list("kind", "province", "year", "quarter")
        .annotate(deliveries=Count("pk"), hours=Sum("quantity"))
        .order_by()
    ):
        hundredths = int((Decimal(hours or 0) * 100).to_integral_value())
        cells[(kind, plate or 0, year * 10 + quarter)] = (deliveries, hundredths)
    return people, cells


# (subject "organisation" or "person", its id, kind id or 0, epoch) → the mask of its quarters
QuarterMasks = dict[tuple[str, int, int, int], int]


def quarter_masks() -> QuarterMasks:
    """Every row of ``OrganisationQuarters`` and ``PersonQuarters`` (for the tests and
    ``--check``)."""
    masks: QuarterMasks = {}
    with connection.cursor() as cursor:
        for subject in _MASKS:
            cursor.execute(
                f"SELECT {subject}_id, kind, epoch, quarters FROM ledger_{subject}quarters"
            )
            for subject_id, kind, epoch, quarters in cursor.fetchall():
                masks[(subject, subject_id, kind, epoch)] = quarters
    return masks


def quarter_masks_from_ledger() -> QuarterMasks:
    """The same rows as ``quarter_masks``, computed in Python from the deliveries."""
    masks: QuarterMasks = {}
    for organisation, person, kind, date in Delivery.objects.filter(
        withdrawn_at__isnull=True
    ).values_list("organisation", "person", "kind", "date"):
        epoch, bit = quarter_epoch_and_bit(Quarter.of(date).code)
        for subject, subject_id in (("organisation", organisation), ("person", person)):
            if subject_id is not None:
                for key_kind in (kind, 0):
                    key = (subject, subject_id, key_kind, epoch)
                    masks[key] = masks.get(key, 0) | (1 << bit)
    return masks


# ---------------------------------------------------------------------------------------------
# The triggers. Written once, for SQLite and PostgreSQL: {q:R} is the quarter code of record R.

_THEMES = (
    "(SELECT theme_id AS theme FROM ledger_delivery_themes WHERE delivery_id = {R}.id"
    " UNION ALL SELECT 0 WHERE NOT EXISTS"
    " (SELECT 1 FROM ledger_delivery_themes WHERE delivery_id = {R}.id))"
)
_MEMBER_KEY = (
    "organisation_id = {R}.organisation_id AND kind_id = {R}.kind_id"
    " AND province = COALESCE({R}.province_id, 0) AND quarter = {Q}"
)

_PERSON_KEY = (
    "person_id = {R}.person_id AND kind_id = {R}.kind_id"
    " AND province = COALESCE({R}.province_id, 0) AND quarter = {Q}"
)
_DELIVERY_CELL_KEY = (
    "kind_id = {R}.kind_id AND province = COALESCE({R}.province_id, 0) AND quarter = {Q}"
)


def _hundredths(record: str) -> str:
    """A delivery's hours (none: 0) in hundredths, as an integer."""
    return f"CAST(ROUND(COALESCE({record}.quantity, 0) * 100) AS BIGINT)"


def _add_delivery(record: str) -> list[str]:
    """Statements that count delivery ``record`` (NEW or OLD) in the summary."""
    r, q = record, "{q:" + record + "}"
    counted = f"{r}.withdrawn_at IS NULL"
    return [
        "INSERT INTO ledger_reachmember"
        " (organisation_id, kind_id, province, theme, quarter, deliveries)"
        f" SELECT {r}.organisation_id, {r}.kind_id, COALESCE({r}.province_id, 0), t.theme, {q}, 1"
        f" FROM {_THEMES.format(R=r)} AS t"
        f" WHERE {r}.organisation_id IS NOT NULL AND {counted}"
        " ON CONFLICT (organisation_id, kind_id, province, theme, quarter)"
        " DO UPDATE SET deliveries = ledger_reachmember.deliveries + 1",
        "INSERT INTO ledger_reachperson"
        " (person_id, kind_id, province, theme, quarter, deliveries)"
        f" SELECT {r}.person_id, {r}.kind_id, COALESCE({r}.province_id, 0), t.theme, {q}, 1"
        f" FROM {_THEMES.format(R=r)} AS t"
        f" WHERE {r}.person_id IS NOT NULL AND {counted}"
        " ON CONFLICT (person_id, kind_id, province, theme, quarter)"
        " DO UPDATE SET deliveries = ledger_reachperson.deliveries + 1",
        "INSERT INTO ledger_deliverycell (kind_id, province, quarter, deliveries, hour_hundredths)"
        f" SELECT {r}.kind_id, COALESCE({r}.province_id, 0), {q}, 1, {_hundredths(r)}"
        f" WHERE {counted}"
        " ON CONFLICT (quarter, kind_id, province) DO UPDATE SET"
        " deliveries = ledger_deliverycell.deliveries + 1,"
        " hour_hundredths = ledger_deliverycell.hour_hundredths + excluded.hour_hundredths",
        "INSERT INTO ledger_quarterorganisation (organisation_id, quarter, deliveries)"
        f" SELECT {r}.organisation_id, {q}, 1"
        f" WHERE {r}.organisation_id IS NOT NULL AND {counted}"
        " ON CONFLICT (organisation_id, quarter)"
        " DO UPDATE SET deliveries = ledger_quarterorganisation.deliveries + 1",
        "INSERT INTO ledger_quarterperson (person_id, quarter, deliveries)"
        f" SELECT {r}.person_id, {q}, 1 WHERE {r}.person_id IS NOT NULL AND {counted}"
        " ON CONFLICT (person_id, quarter)"
        " DO UPDATE SET deliveries = ledger_quarterperson.deliveries + 1",
        "INSERT INTO ledger_quartertotal (quarter, organisations, people, deliveries)"
        f" SELECT {q}, 0, 0, 1 WHERE {counted}"
        " ON CONFLICT (quarter) DO UPDATE SET deliveries = ledger_quartertotal.deliveries + 1",
    ]


def _remove_delivery(record: str) -> list[str]:
    """Statements that stop counting delivery ``record`` (NEW or OLD) in the summary."""
    r, q = record, "{q:" + record + "}"
    counted = f"{r}.withdrawn_at IS NULL"
    member = _MEMBER_KEY.format(R=r, Q=q)
    person = _PERSON_KEY.format(R=r, Q=q)
    cell = _DELIVERY_CELL_KEY.format(R=r, Q=q)
    return [
        "UPDATE ledger_reachmember SET deliveries = deliveries - 1"
        f" WHERE {counted} AND {member}"
        f" AND theme IN (SELECT theme FROM {_THEMES.format(R=r)} AS t)",
        f"DELETE FROM ledger_reachmember WHERE deliveries = 0 AND {counted} AND {member}",
        "UPDATE ledger_reachperson SET deliveries = deliveries - 1"
        f" WHERE {counted} AND {person}"
        f" AND theme IN (SELECT theme FROM {_THEMES.format(R=r)} AS t)",
        f"DELETE FROM ledger_reachperson WHERE deliveries = 0 AND {counted} AND {person}",
        "UPDATE ledger_deliverycell SET deliveries = deliveries - 1,"
        f" hour_hundredths = hour_hundredths - {_hundredths(r)} WHERE {counted} AND {cell}",
        f"DELETE FROM ledger_deliverycell WHERE deliveries = 0 AND {counted} AND {cell}",
        "UPDATE ledger_quarterorganisation SET deliveries = deliveries - 1"
        f" WHERE {counted} AND organisation_id = {r}.organisation_id AND quarter = {q}",
        "DELETE FROM ledger_quarterorganisation WHERE deliveries = 0"
        f" AND organisation_id = {r}.organisation_id AND quarter = {q}",
        "UPDATE ledger_quarterperson SET deliveries = deliveries - 1"
        f" WHERE {counted} AND person_id = {r}.person_id AND quarter = {q}",
        "DELETE FROM ledger_quarterperson WHERE deliveries = 0"
        f" AND person_id = {r}.person_id AND quarter = {q}",
        "UPDATE ledger_quartertotal SET deliveries = deliveries - 1"
        f" WHERE {counted} AND quarter = {q}",
        "DELETE FROM ledger_quartertotal WHERE quarter = {q} AND deliveries = 0"
        " AND organisations = 0 AND people = 0".replace("{q}", q),
    ]


# The delivery a theme row belongs to, when it counts for a subject ("organisation" for
# ``ReachMember``, "person" for ``ReachPerson``).
_DELIVERY_OF = (
    "(SELECT d.* FROM ledger_delivery AS d WHERE d.id = {T}.delivery_id"
    " AND d.{S}_id IS NOT NULL AND d.withdrawn_at IS NULL)"
)
# subject → its summary table by theme
_BY_THEME = {"organisation": "ledger_reachmember", "person": "ledger_reachperson"}


# The theme rows run BEFORE the change (below): a statement that inserts or deletes several
# theme rows at once (``themes.set``) then sees the rows it has already processed and not the
# others, on SQLite and on PostgreSQL alike (PostgreSQL fires AFTER ROW triggers at the end of
# the statement, when they would all see every row). "No other theme row" excludes the row
# itself, so the same test serves INSERT, DELETE and UPDATE.
_NO_OTHER_THEME = (
    "NOT EXISTS (SELECT 1 FROM ledger_delivery_themes"
    " WHERE delivery_id = {T}.delivery_id AND id <> {T}.id)"
)


def _add_theme(record: str) -> list[str]:
    """Statements that count theme row ``record`` (NEW) of a delivery: its first theme takes
    the place of "no theme"."""
    t = record
    statements = []
    for subject, table in _BY_THEME.items():
        delivery = _DELIVERY_OF.format(T=t, S=subject)
        key = (
            f"({subject}_id, kind_id, province, quarter) IN"
            f" (SELECT d.{subject}_id, d.kind_id, COALESCE(d.province_id, 0), {{q:d}}"
            f" FROM {delivery} AS d)"
        )
        statements += [
            f"UPDATE {table} SET deliveries = deliveries - 1 WHERE theme = 0"
            f" AND {key} AND {_NO_OTHER_THEME.format(T=t)}",
            f"DELETE FROM {table} WHERE theme = 0 AND deliveries = 0 AND {key}",
            f"INSERT INTO {table} ({subject}_id, kind_id, province, theme, quarter, deliveries)"
            f" SELECT d.{subject}_id, d.kind_id, COALESCE(d.province_id, 0), {t}.theme_id,"
            f" {{q:d}}, 1 FROM {delivery} AS d WHERE TRUE"
            f" ON CONFLICT ({subject}_id, kind_id, province, theme, quarter)"
            f" DO UPDATE SET deliveries = {table}.deliveries + 1",
        ]
    return statements


def _remove_theme(record: str) -> list[str]:
    """Statements that stop counting theme row ``record`` (OLD): with its last theme gone the
    delivery counts under "no theme"."""
    t = record
    statements = []
    for subject, table in _BY_THEME.items():
        delivery = _DELIVERY_OF.format(T=t, S=subject)
        key = (
            f"({subject}_id, kind_id, province, quarter) IN"
            f" (SELECT d.{subject}_id, d.kind_id, COALESCE(d.province_id, 0), {{q:d}}"
            f" FROM {delivery} AS d)"
        )
        statements += [
            f"UPDATE {table} SET deliveries = deliveries - 1 WHERE theme = {t}.theme_id AND {key}",
            f"DELETE FROM {table} WHERE theme = {t}.theme_id AND deliveries = 0 AND {key}",
            f"INSERT INTO {table} ({subject}_id, kind_id, province, theme, quarter, deliveries)"
            f" SELECT d.{subject}_id, d.kind_id, COALESCE(d.province_id, 0), 0, {{q:d}}, 1"
            f" FROM {delivery} AS d WHERE {_NO_OTHER_THEME.format(T=t)}"
            f" ON CONFLICT ({subject}_id, kind_id, province, theme, quarter)"
            f" DO UPDATE SET deliveries = {table}.deliveries + 1",
        ]
    return statements


def _count_in(table: str, column: str, key: str, sign: str) -> list[str]:
    """Statements that add (sign "+") or take (sign "-") one from ``table.column`` at the key
    of a summary row just inserted (NEW) or deleted (OLD)."""
    record = "NEW" if sign == "+" else "OLD"
    columns = [c.strip() for c in key.split(",")]
    if sign == "+":
        others = (
            {
                "ledger_reachcell": [],
                "ledger_quartertotal": ["organisations", "people", "deliveries"],
            }
        )[table]
        names = [*columns, *[o for o in others if o != column], column]
        values = [f"NEW.{c}" for c in columns] + ["0" for o in others if o != column] + ["1"]
        return [
            f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join(values)})"
            f" ON CONFLICT ({key}) DO UPDATE SET {column} = {table}.{column} + 1"
        ]
    where = " AND ".join(f"{c} = {record}.{c}" for c in columns)
    statements = [f"UPDATE {table} SET {column} = {column} - 1 WHERE {where}"]
    if table == "ledger_reachcell":
        statements.append(f"DELETE FROM {table} WHERE {where} AND organisations = 0")
    return statements


# subject → its summary table by theme and its quarter masks
_MASKS = {
    "organisation": ("ledger_reachmember", "ledger_organisationquarters"),
    "person": ("ledger_reachperson", "ledger_personquarters"),
}


def _set_quarter_bits(subject: str) -> list[str]:
    """Statements that set the bit of the quarter of ``ReachMember``/``ReachPerson`` row NEW
    (just inserted: a first delivery) in the masks of its kind and of kind 0 (any)."""
    masks = _MASKS[subject][1]
    return [
        f"INSERT INTO {masks} ({subject}_id, kind, epoch, quarters)"
        f" SELECT NEW.{subject}_id, k.kind, {_epoch_sql('NEW.quarter')},"
        f" {_bit_sql('NEW.quarter')}"
        " FROM (SELECT NEW.kind_id AS kind UNION ALL SELECT 0) AS k WHERE TRUE"
        f" ON CONFLICT ({subject}_id, kind, epoch)"
        f" DO UPDATE SET quarters = {masks}.quarters | excluded.quarters"
        # Most often the bit is set already (another province or theme of that quarter):
        # then no write at all.
        f" WHERE {masks}.quarters & excluded.quarters = 0"
    ]


def _clear_quarter_bits(subject: str) -> list[str]:
    """Statements that clear the bit of the quarter of row OLD (just deleted) in the mask of
    its kind when no other row of the subject, kind and quarter is left, in the mask of kind 0
    when no row of the subject and quarter is; then delete the masks left empty."""
    table, masks = _MASKS[subject]
    epoch, bit = _epoch_sql("OLD.quarter"), _bit_sql("OLD.quarter")
    key = f"{subject}_id = OLD.{subject}_id AND epoch = {epoch}"
    left = f"SELECT 1 FROM {table} WHERE {subject}_id = OLD.{subject}_id AND quarter = OLD.quarter"
    return [
        f"UPDATE {masks} SET quarters = quarters & ~{bit}"
        f" WHERE {key} AND kind = OLD.kind_id AND NOT EXISTS ({left} AND kind_id = OLD.kind_id)",
        f"UPDATE {masks} SET quarters = quarters & ~{bit}"
        f" WHERE {key} AND kind = 0 AND NOT EXISTS ({left})",
        f"DELETE FROM {masks} WHERE {key} AND kind IN (OLD.kind_id, 0) AND quarters = 0",
    ]


_CHANGED = (
    "organisation_id",
    "person_id",
    "kind_id",
    "province_id",
    "date",
    "quantity",
    "withdrawn_at",
)
_CELL_KEY = "quarter, kind_id, province, theme"

# name → (event, table, statements); the theme triggers run BEFORE the row changes.
TRIGGERS: dict[str, tuple[str, str, list[str]]] = {
    "delivery_added": ("INSERT", "ledger_delivery", _add_delivery("NEW")),
    "delivery_deleted": ("DELETE", "ledger_delivery", _remove_delivery("OLD")),
    "delivery_changed": (
        f"UPDATE OF {', '.join(_CHANGED)}",
        "ledger_delivery",
        [*_remove_delivery("OLD"), *_add_delivery("NEW")],
    ),
    "theme_added": ("BEFORE INSERT", "ledger_delivery_themes", _add_theme("NEW")),
    "theme_deleted": ("BEFORE DELETE", "ledger_delivery_themes", _remove_theme("OLD")),
    "theme_changed": (
        "BEFORE UPDATE",
        "ledger_delivery_themes",
        [*_remove_theme("OLD"), *_add_theme("NEW")],
    ),
    "member_added": (
        "INSERT",
        "ledger_reachmember",
        [
            *_count_in("ledger_reachcell", "organisations", _CELL_KEY, "+"),
            *_set_quarter_bits("organisation"),
        ],
    ),
    "member_deleted": (
        "DELETE",
        "ledger_reachmember",
        [
            *_count_in("ledger_reachcell", "organisations", _CELL_KEY, "-"),
            *_clear_quarter_bits("organisation"),
        ],
    ),
    "reach_person_added": ("INSERT", "ledger_reachperson", _set_quarter_bits("person")),
    "reach_person_deleted": ("DELETE", "ledger_reachperson", _clear_quarter_bits("person")),
    "organisation_added": (
        "INSERT",
        "ledger_quarterorganisation",
        _count_in("ledger_quartertotal", "organisations", "quarter", "+"),
    ),
    "organisation_deleted": (
        "DELETE",
        "ledger_quarterorganisation",
        _count_in("ledger_quartertotal", "organisations", "quarter", "-"),
    ),
    "person_added": (
        "INSERT",
        "ledger_quarterperson",
        _count_in("ledger_quartertotal", "people", "quarter", "+"),
    ),
    "person_deleted": (
        "DELETE",
        "ledger_quarterperson",
        _count_in("ledger_quartertotal", "people", "quarter", "-"),
    ),
}


def _quarter_sql(vendor: str, record: str) -> str:
    if vendor == "postgresql":
        return (
            f"(EXTRACT(YEAR FROM {record}.date)::integer * 10"
            f" + EXTRACT(QUARTER FROM {record}.date)::integer)"
        )
    # SQLite keeps a DateField as 'YYYY-MM-DD'.
    return (
        f"(CAST(substr({record}.date, 1, 4) AS INTEGER) * 10"
        f" + (CAST(substr({record}.date, 6, 2) AS INTEGER) + 2) / 3)"
    )


def _render(vendor: str, statement: str) -> str:
    for record in ("NEW", "OLD", "d"):
        statement = statement.replace("{q:" + record + "}", _quarter_sql(vendor, record))
    return statement


def _when(vendor: str, name: str) -> str:
    if name != "delivery_changed":
        return ""
    differs = "IS DISTINCT FROM" if vendor == "postgresql" else "IS NOT"
    return "WHEN (" + " OR ".join(f"OLD.{c} {differs} NEW.{c}" for c in _CHANGED) + ")"


def trigger_sql(vendor: str) -> list[str]:
    """The statements that create the summary's triggers on this database."""
    created = []
    for name, (event, table, statements) in TRIGGERS.items():
        body = ";\n".join(_render(vendor, s) for s in statements)
        trigger = f"ledger_summary_{name}"
        timing = "" if event.startswith("BEFORE") else "AFTER "
        returned = "OLD" if event == "BEFORE DELETE" else "NEW" if timing == "" else "NULL"
        if vendor == "postgresql":
            created.append(
                f"CREATE OR REPLACE FUNCTION {trigger}() RETURNS trigger LANGUAGE plpgsql AS $$"
                f" BEGIN\n{body};\nRETURN {returned};\nEND $$"
            )
            created.append(
                f"CREATE TRIGGER {trigger} {timing}{event} ON {table} FOR EACH ROW"
                f" {_when(vendor, name)} EXECUTE FUNCTION {trigger}()"
            )
        else:
            created.append(
                f"CREATE TRIGGER {trigger} {timing}{event} ON {table} FOR EACH ROW"
                f" {_when(vendor, name)} BEGIN\n{body};\nEND"
            )
    return created


def drop_trigger_sql(vendor: str) -> list[str]:
    """The statements that drop the summary's triggers."""
    dropped = []
    for name, (_, table, _) in TRIGGERS.items():
        trigger = f"ledger_summary_{name}"
        if vendor == "postgresql":
            dropped.append(f"DROP TRIGGER IF EXISTS {trigger} ON {table}")
            dropped.append(f"DROP FUNCTION IF EXISTS {trigger}()")
        else:
            dropped.append(f"DROP TRIGGER IF EXISTS {trigger}")
    return dropped


def install_triggers(using: BaseDatabaseWrapper | None = None) -> None:
    """Create the triggers (migration 0006 does; ``rebuild`` and ``suspended`` again)."""
    db = using or connection
    with db.cursor() as cursor:
        for statement in trigger_sql(db.vendor):
            cursor.execute(statement)


def drop_triggers(using: BaseDatabaseWrapper | None = None) -> None:
    db = using or connection
    with db.cursor() as cursor:
        for statement in drop_trigger_sql(db.vendor):
            cursor.execute(statement)


def _fill(db: BaseDatabaseWrapper) -> None:
    q = _quarter_sql(db.vendor, "d")
    statements = [
        "DELETE FROM ledger_reachcell",
        "DELETE FROM ledger_reachmember",
        "DELETE FROM ledger_quartertotal",
        "DELETE FROM ledger_quarterorganisation",
        "DELETE FROM ledger_quarterperson",
        "DELETE FROM ledger_reachperson",
        "DELETE FROM ledger_deliverycell",
        "DELETE FROM ledger_organisationquarters",
        "DELETE FROM ledger_personquarters",
        "INSERT INTO ledger_reachmember"
        " (organisation_id, kind_id, province, theme, quarter, deliveries)"
        f" SELECT d.organisation_id, d.kind_id, COALESCE(d.province_id, 0),"
        f" COALESCE(t.theme_id, 0), {q}, COUNT(*)"
        " FROM ledger_delivery AS d"
        " LEFT JOIN ledger_delivery_themes AS t ON t.delivery_id = d.id"
        " WHERE d.withdrawn_at IS NULL AND d.organisation_id IS NOT NULL"
        " GROUP BY 1, 2, 3, 4, 5",
        "INSERT INTO ledger_reachperson"
        " (person_id, kind_id, province, theme, quarter, deliveries)"
        f" SELECT d.person_id, d.kind_id, COALESCE(d.province_id, 0),"
        f" COALESCE(t.theme_id, 0), {q}, COUNT(*)"
        " FROM ledger_delivery AS d"
        " LEFT JOIN ledger_delivery_themes AS t ON t.delivery_id = d.id"
        " WHERE d.withdrawn_at IS NULL AND d.person_id IS NOT NULL"
        " GROUP BY 1, 2, 3, 4, 5",
        "INSERT INTO ledger_deliverycell (kind_id, province, quarter, deliveries, hour_hundredths)"
        f" SELECT d.kind_id, COALESCE(d.province_id, 0), {q}, COUNT(*), SUM({_hundredths('d')})"
        " FROM ledger_delivery AS d WHERE d.withdrawn_at IS NULL GROUP BY 1, 2, 3",
        "INSERT INTO ledger_reachcell (kind_id, province, theme, quarter, organisations)"
        " SELECT kind_id, province, theme, quarter, COUNT(*) FROM ledger_reachmember"
        " GROUP BY kind_id, province, theme, quarter",
        "INSERT INTO ledger_quarterorganisation (organisation_id, quarter, deliveries)"
        f" SELECT d.organisation_id, {q}, COUNT(*) FROM ledger_delivery AS d"
        " WHERE d.withdrawn_at IS NULL AND d.organisation_id IS NOT NULL GROUP BY 1, 2",
        "INSERT INTO ledger_quarterperson (person_id, quarter, deliveries)"
        f" SELECT d.person_id, {q}, COUNT(*) FROM ledger_delivery AS d"
        " WHERE d.withdrawn_at IS NULL AND d.person_id IS NOT NULL GROUP BY 1, 2",
        *(
            # No BIT_OR on SQLite: the sum of the distinct quarters' bits is the same number.
            f"INSERT INTO {masks} ({subject}_id, kind, epoch, quarters)"
            f" SELECT s.{subject}_id, s.kind, {_epoch_sql('s.quarter')},"
            f" CAST(SUM({_bit_sql('s.quarter')}) AS BIGINT) FROM ("
            f" SELECT DISTINCT {subject}_id, kind_id AS kind, quarter FROM {table}"
            f" UNION ALL SELECT DISTINCT {subject}_id, 0, quarter FROM {table}"
            f") AS s GROUP BY s.{subject}_id, s.kind, {_epoch_sql('s.quarter')}"
            for subject, (table, masks) in _MASKS.items()
        ),
        "INSERT INTO ledger_quartertotal (quarter, organisations, people, deliveries)"
        " SELECT quarter, SUM(o), SUM(p), SUM(n) FROM ("
        " SELECT quarter, COUNT(*) AS o, 0 AS p, 0 AS n FROM ledger_quarterorganisation"
        " GROUP BY quarter"
        " UNION ALL SELECT quarter, 0, COUNT(*), 0 FROM ledger_quarterperson GROUP BY quarter"
        f" UNION ALL SELECT {q} AS quarter, 0, 0, COUNT(*) FROM ledger_delivery AS d"
        " WHERE d.withdrawn_at IS NULL GROUP BY 1"
        ") AS counted GROUP BY quarter",
    ]
    with db.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


# The summary table the latest migration created: the migrations that install the triggers
# (0006, 0007, 0008) call today's code, which also keeps the tables of later migrations; on a
# new database those run ``rebuild`` only once every table exists.
_NEWEST_TABLE = "ledger_personquarters"


def tables_exist(db: BaseDatabaseWrapper) -> bool:
    """Whether every table today's triggers write to exists (not in an older migration)."""
    return _NEWEST_TABLE in db.introspection.table_names()


def rebuild(using: BaseDatabaseWrapper | None = None) -> None:
    """Recompute the whole summary from the ledger, in one transaction. Never needed for
    correctness (the triggers keep it); for a database restored without it, or after a bulk
    load with the triggers dropped."""
    db = using or connection
    with transaction.atomic(using=db.alias):
        # Dropping the triggers also locks the ledger against writes until the commit
        # (PostgreSQL: ACCESS EXCLUSIVE; SQLite: one writer), so nothing is missed.
        drop_triggers(db)
        _fill(db)
        install_triggers(db)


@contextmanager
def suspended(using: BaseDatabaseWrapper | None = None) -> Iterator[None]:
    """Around a bulk load of the ledger: no triggers while it runs, one rebuild after. The
    figures are not maintained meanwhile; use it only where nothing reads them (the demo)."""
    db = using or connection
    drop_triggers(db)
    try:
        yield
    finally:
        rebuild(db)
