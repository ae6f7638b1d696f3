"""The reach summary: the impact figures at national scale without counting a million deliveries.

The figure the dashboard and the donor report need is *distinct* organisations by service kind ×
province × theme × quarter over the deliveries not withdrawn, plus per-quarter totals (distinct
organisations, distinct people, deliveries). Distinct counts do not add up across cells, so the
summary keeps the distinct members with the number of deliveries behind each (a reference count):

- ``ReachMember`` (organisation, kind, province, theme, quarter, deliveries) and ``ReachCell``
  (kind, province, theme, quarter, organisations = its number of members);
- ``QuarterOrganisation`` / ``QuarterPerson`` (subject, quarter, deliveries) and
  ``QuarterTotal`` (quarter, organisations, people, deliveries).

They are kept by database triggers on ``ledger_delivery`` and ``ledger_delivery_themes``,
installed by migration 0006, not by Python code: every write to the ledger — ``record_delivery``
and ``withdraw_delivery``, the directory's merge and unmerge (which move deliveries with
``QuerySet.update``), the demo's ``bulk_create``, the admin, a data migration — changes the
summary in the same statement's transaction, so a figure read from it is exact, never a stale
cache. A delivery counts in each of its themes (theme 0: none recorded) and in its province
(0: none recorded); deliveries with no organisation count for people and deliveries only.

``rebuild()`` (``kaynak ledger rebuild-summary``) recomputes everything from the ledger in a
few set-based statements; ``suspended()`` drops the triggers around a bulk load and rebuilds at
the end, which is faster than maintaining the summary row by row.
"""

# ruff: noqa: S608 — the SQL here is built from this module's constant names, never from input

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NamedTuple

from django.db import connection, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Count
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
    return [
        "UPDATE ledger_reachmember SET deliveries = deliveries - 1"
        f" WHERE {counted} AND {member}"
        f" AND theme IN (SELECT theme FROM {_THEMES.format(R=r)} AS t)",
        f"DELETE FROM ledger_reachmember WHERE deliveries = 0 AND {counted} AND {member}",
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


# The delivery a theme row belongs to, when it counts for an organisation.
_DELIVERY_OF = (
    "(SELECT d.* FROM ledger_delivery AS d WHERE d.id = {T}.delivery_id"
    " AND d.organisation_id IS NOT NULL AND d.withdrawn_at IS NULL)"
)


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
    delivery = _DELIVERY_OF.format(T=t)
    return [
        "UPDATE ledger_reachmember SET deliveries = deliveries - 1 WHERE theme = 0"
        " AND (organisation_id, kind_id, province, quarter) IN"
        " (SELECT d.organisation_id, d.kind_id, COALESCE(d.province_id, 0), {q:d}"
        f" FROM {delivery} AS d)"
        f" AND {_NO_OTHER_THEME.format(T=t)}",
        "DELETE FROM ledger_reachmember WHERE theme = 0 AND deliveries = 0"
        " AND (organisation_id, kind_id, province, quarter) IN"
        " (SELECT d.organisation_id, d.kind_id, COALESCE(d.province_id, 0), {q:d}"
        f" FROM {delivery} AS d)",
        "INSERT INTO ledger_reachmember"
        " (organisation_id, kind_id, province, theme, quarter, deliveries)"
        f" SELECT d.organisation_id, d.kind_id, COALESCE(d.province_id, 0), {t}.theme_id,"
        f" {{q:d}}, 1 FROM {delivery} AS d WHERE TRUE"
        " ON CONFLICT (organisation_id, kind_id, province, theme, quarter)"
        " DO UPDATE SET deliveries = ledger_reachmember.deliveries + 1",
    ]


def _remove_theme(record: str) -> list[str]:
    """Statements that stop counting theme row ``record`` (OLD): with its last theme gone the
    delivery counts under "no theme"."""
    t = record
    delivery = _DELIVERY_OF.format(T=t)
    key = (
        "(organisation_id, kind_id, province, quarter) IN"
        " (SELECT d.organisation_id, d.kind_id, COALESCE(d.province_id, 0), {q:d}"
        f" FROM {delivery} AS d)"
    )
    return [
        f"UPDATE ledger_reachmember SET deliveries = deliveries - 1 WHERE theme = {t}.theme_id"
        f" AND {key}",
        f"DELETE FROM ledger_reachmember WHERE theme = {t}.theme_id AND deliveries = 0 AND {key}",
        "INSERT INTO ledger_reachmember"
        " (organisation_id, kind_id, province, theme, quarter, deliveries)"
        " SELECT d.organisation_id, d.kind_id, COALESCE(d.province_id, 0), 0, {q:d}, 1"
        f" FROM {delivery} AS d WHERE {_NO_OTHER_THEME.format(T=t)}"
        " ON CONFLICT (organisation_id, kind_id, province, theme, quarter)"
        " DO UPDATE SET deliveries = ledger_reachmember.deliveries + 1",
    ]


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


_CHANGED = ("organisation_id", "person_id", "kind_id", "province_id", "date", "withdrawn_at")
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
        _count_in("ledger_reachcell", "organisations", _CELL_KEY, "+"),
    ),
    "member_deleted": (
        "DELETE",
        "ledger_reachmember",
        _count_in("ledger_reachcell", "organisations", _CELL_KEY, "-"),
    ),
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
        "INSERT INTO ledger_reachmember"
        " (organisation_id, kind_id, province, theme, quarter, deliveries)"
        f" SELECT d.organisation_id, d.kind_id, COALESCE(d.province_id, 0),"
        f" COALESCE(t.theme_id, 0), {q}, COUNT(*)"
        " FROM ledger_delivery AS d"
        " LEFT JOIN ledger_delivery_themes AS t ON t.delivery_id = d.id"
        " WHERE d.withdrawn_at IS NULL AND d.organisation_id IS NOT NULL"
        " GROUP BY 1, 2, 3, 4, 5",
        "INSERT INTO ledger_reachcell (kind_id, province, theme, quarter, organisations)"
        " SELECT kind_id, province, theme, quarter, COUNT(*) FROM ledger_reachmember"
        " GROUP BY kind_id, province, theme, quarter",
        "INSERT INTO ledger_quarterorganisation (organisation_id, quarter, deliveries)"
        f" SELECT d.organisation_id, {q}, COUNT(*) FROM ledger_delivery AS d"
        " WHERE d.withdrawn_at IS NULL AND d.organisation_id IS NOT NULL GROUP BY 1, 2",
        "INSERT INTO ledger_quarterperson (person_id, quarter, deliveries)"
        f" SELECT d.person_id, {q}, COUNT(*) FROM ledger_delivery AS d"
        " WHERE d.withdrawn_at IS NULL AND d.person_id IS NOT NULL GROUP BY 1, 2",
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
