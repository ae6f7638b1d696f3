"""The impact figures at national scale, Kaynak against DuckDB on the same rows in the same run.

The figures (what the dashboard and the donor report compute): distinct organisations by service
kind × province × theme × quarter over the deliveries not withdrawn (a delivery counts in each
of its themes), and per quarter the distinct organisations, distinct people and deliveries.
Then the indicator table of the demo's computed indicators (``kaynak.impact.demo``: O1.1
distinct organisations, all services; O1.2 distinct people of training, school and webinar;
O1.3 deliveries of support; O1.4 distinct organisations of eu-support): Kaynak's
``indicator_table(indicators_for_table(), …)`` (the manual indicator included, as the report
reads it) against the same four figures in SQL on DuckDB.
Kaynak reads them from the reach summary (``kaynak.ledger.summary``); the same figures counted
straight from the deliveries (one ``COUNT(DISTINCT …)`` query over the covering indexes) are
timed too. The rows are exported to DuckDB first (not timed); the results must be identical.

    # DuckDB lives in the "bench" group: a separate environment, the shared .venv unchanged
    UV_PROJECT_ENVIRONMENT=.venv-bench .tools/uv/bin/uv sync --locked --group bench \\
        --python .venv/bin/python
    # SQLite: build once in a folder of its own (minutes), then measure again with --reuse
    KAYNAK_VAR_DIR=/tmp/kaynak-national .venv-bench/bin/python bench/report_vs_duckdb.py --build
    KAYNAK_VAR_DIR=/tmp/kaynak-national .venv-bench/bin/python bench/report_vs_duckdb.py --reuse
    # PostgreSQL: the same with KAYNAK_DATABASE_URL=postgres://…

``--build`` migrates and runs ``kaynak demo --scale national`` with the summary's triggers
dropped, then rebuilds the summary once (both timed). Each figure is computed ``--runs`` times;
the best time is compared.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaynak.settings")


def best_of[T](runs: int, action: Callable[[], T]) -> tuple[float, T]:
    """The best wall-clock time of ``runs`` runs (milliseconds) and the last result."""
    times = []
    result: Any = None
    for _ in range(runs):
        started = time.perf_counter()
        result = action()
        times.append((time.perf_counter() - started) * 1000)
    return min(times), result


def export(directory: Path) -> tuple[Path, Path, float]:
    """The deliveries and their themes as two CSV files, and the seconds it took."""
    from django.db import connection

    started = time.perf_counter()
    deliveries, themes = directory / "deliveries.csv", directory / "themes.csv"
    with connection.cursor() as cursor, deliveries.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(
            [
                "id",
                "organisation",
                "person",
                "kind",
                "province",
                "date",
                "withdrawn",
                "kind_slug",
                "quantity",
            ]
        )
        cursor.execute(
            "SELECT d.id, d.organisation_id, d.person_id, d.kind_id, d.province_id, d.date,"
            " d.withdrawn_at IS NOT NULL, k.slug, d.quantity"
            " FROM ledger_delivery AS d JOIN ledger_servicekind AS k ON k.id = d.kind_id"
        )
        while rows := cursor.fetchmany(50_000):
            writer.writerows(rows)
    with connection.cursor() as cursor, themes.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["delivery", "theme"])
        cursor.execute("SELECT delivery_id, theme_id FROM ledger_delivery_themes")
        while rows := cursor.fetchmany(50_000):
            writer.writerows(rows)
    return deliveries, themes, time.perf_counter() - started


class DuckDBFigures:
    def __init__(self, deliveries: Path, themes: Path) -> None:
        import duckdb  # the "bench" group, not in .venv

        self.db = duckdb.connect()
        self.db.execute(
            "CREATE TABLE delivery AS SELECT * FROM read_csv(?, header = true, columns = {"
            "'id': 'BIGINT', 'organisation': 'BIGINT', 'person': 'BIGINT', 'kind': 'INTEGER',"
            "'province': 'INTEGER', 'date': 'DATE', 'withdrawn': 'BOOLEAN',"
            " 'kind_slug': 'VARCHAR', 'quantity': 'DECIMAL(7, 2)'})",
            [str(deliveries)],
        )
        self.db.execute(
            "CREATE TABLE delivery_theme AS SELECT * FROM read_csv(?, header = true, columns = {"
            "'delivery': 'BIGINT', 'theme': 'INTEGER'})",
            [str(themes)],
        )

    def cube(self, start: dt.date, end: dt.date) -> dict[Any, int]:
        from kaynak.ledger.summary import Quarter

        rows = self.db.execute(
            "SELECT d.kind, d.province, t.theme, year(d.date), quarter(d.date),"
            " COUNT(DISTINCT d.organisation)"
            " FROM delivery AS d LEFT JOIN delivery_theme AS t ON t.delivery = d.id"
            " WHERE NOT d.withdrawn AND d.organisation IS NOT NULL"
            " AND d.date BETWEEN ? AND ? GROUP BY ALL",
            [start, end],
        ).fetchall()
        return {
            (kind, province, theme, Quarter(year, quarter)): count
            for kind, province, theme, year, quarter, count in rows
        }

    def totals(self, start: dt.date, end: dt.date) -> dict[Any, Any]:
        from kaynak.ledger.summary import Quarter, QuarterFigures

        rows = self.db.execute(
            "SELECT year(date), quarter(date), COUNT(DISTINCT organisation),"
            " COUNT(DISTINCT person), COUNT(*) FROM delivery"
            " WHERE NOT withdrawn AND date BETWEEN ? AND ? GROUP BY ALL",
            [start, end],
        ).fetchall()
        return {
            Quarter(year, quarter): QuarterFigures(organisations, people, deliveries)
            for year, quarter, organisations, people, deliveries in rows
        }

    def indicators(self, start: dt.date, end: dt.date) -> dict[str, Decimal | None]:
        """The demo's computed indicators (code → value; ``None``: no delivery selected)."""
        from kaynak.impact.demo import COMPUTED

        aggregates = {
            "organisations": "COUNT(DISTINCT organisation)",
            "people": "COUNT(DISTINCT person)",
            "deliveries": "COUNT(*)",
            "hours": "COALESCE(SUM(quantity), 0)",
        }
        values: dict[str, Decimal | None] = {}
        for code, _tr, _en, _unit, measure, slugs, _target in COMPUTED:
            kinds = " AND kind_slug IN (SELECT unnest(?))" if slugs else ""
            value, selected = self.db.execute(
                f"SELECT {aggregates[measure]}, COUNT(*) FROM delivery"  # noqa: S608 — constants
                f" WHERE NOT withdrawn AND date BETWEEN ? AND ?{kinds}",
                [start, end, *([list(slugs)] if slugs else [])],
            ).fetchone()
            values[code] = Decimal(value) if selected else None
        return values


def kaynak_indicators(start: dt.date, end: dt.date) -> dict[str, Decimal | None]:
    """The indicator table as the donor report reads it; the demo's computed indicators."""
    from kaynak.impact.demo import COMPUTED
    from kaynak.impact.results import indicator_table, indicators_for_table

    codes = {row[0] for row in COMPUTED}
    return {
        result.indicator.code: result.value
        for result in indicator_table(indicators_for_table(), start=start, end=end)
        if result.indicator.code in codes
    }


def ledger_indicators(start: dt.date, end: dt.date) -> dict[str, Decimal | None]:
    """The same values counted from the deliveries (``results.ledger_value``)."""
    from kaynak.impact.demo import COMPUTED
    from kaynak.impact.results import indicators_for_table, ledger_value

    codes = {row[0] for row in COMPUTED}
    return {
        indicator.code: ledger_value(indicator, start=start, end=end)
        for indicator in indicators_for_table().filter(code__in=codes)
    }


def write_cost(writes: int) -> None:
    """Milliseconds per record_delivery + withdraw_delivery, with and without the summary's
    triggers: what keeping the summary costs each write. Rolled back."""
    from django.db import transaction

    from kaynak.directory.models import Organisation, Person
    from kaynak.ledger import summary
    from kaynak.ledger.models import RecordedService
    from kaynak.ledger.services import record_delivery, withdraw_delivery

    organisations = list(Organisation.objects.order_by("pk")[:writes])
    people = list(Person.objects.order_by("pk")[:writes])
    service = RecordedService.objects.order_by("pk").first()
    assert service is not None
    for label, triggers in (("with the summary triggers", True), ("without", False)):
        with transaction.atomic():
            if not triggers:
                summary.drop_triggers()
            started = time.perf_counter()
            for organisation, person in zip(organisations, people, strict=False):
                record_delivery(
                    kind="training",
                    source=service,
                    date=dt.date(2025, 5, 5),
                    organisation=organisation,
                    person=person,
                )
                withdraw_delivery(source=service, organisation=organisation, person=person)
            took = (time.perf_counter() - started) * 1000 / len(organisations)
            transaction.set_rollback(True)
        print(f"record_delivery + withdraw_delivery, {label}: {took:.2f} ms per pair")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--build", action="store_true", help="migrate and load the national demo")
    parser.add_argument("--reuse", action="store_true", help="use the database as it is")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--writes", type=int, default=200, help="record/withdraw pairs timed for the write cost"
    )
    parser.add_argument(
        "--ledger-runs", type=int, default=1, help="runs of the count straight from the ledger"
    )
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from kaynak.directory.models import Organisation, Person
    from kaynak.ledger import summary
    from kaynak.ledger.models import Delivery

    if args.build:
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        summary.drop_triggers()
        call_command("demo", scale="national")
        built = time.perf_counter()
        summary.rebuild()
        print(
            f"kaynak demo --scale national (summary triggers dropped): {built - started:.0f} s;"
            f" summary rebuilt in {time.perf_counter() - built:.1f} s"
        )
    elif not args.reuse:
        parser.error("--build or --reuse")

    print(
        f"database: {connection.vendor}; {Organisation.objects.count():,} organisations, "
        f"{Person.objects.count():,} people, {Delivery.objects.count():,} deliveries; "
        f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores"
    )
    with tempfile.TemporaryDirectory(prefix="kaynak-duckdb-") as folder:
        deliveries, themes, seconds = export(Path(folder))
        duck = DuckDBFigures(deliveries, themes)
    print(f"exported to DuckDB in {seconds:.1f} s (not counted)")

    periods = {
        "all four years": (dt.date(2022, 1, 1), dt.date(2025, 12, 31)),
        "2025": (dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
        "2025 Q2": (dt.date(2025, 4, 1), dt.date(2025, 6, 30)),
    }
    print(
        f"\n{'figure':<44} {'cells':>7} {'DuckDB ms':>10} {'Kaynak ms':>10} {'ratio':>6}"
        f" {'from ledger ms':>15}"
    )
    worst = 0.0
    for label, (start, end) in periods.items():

        def both(start: dt.date = start, end: dt.date = end) -> tuple[Any, Any]:
            return summary.distinct_organisations_cube(start, end), summary.quarter_totals(
                start, end
            )

        def duck_both(start: dt.date = start, end: dt.date = end) -> tuple[Any, Any]:
            return duck.cube(start, end), duck.totals(start, end)

        def ledger_both(start: dt.date = start, end: dt.date = end) -> tuple[Any, Any]:
            return summary.distinct_organisations_cube_from_ledger(
                start, end
            ), summary.quarter_totals_from_ledger(start, end)

        duck_ms, expected = best_of(args.runs, duck_both)
        kaynak_ms, got = best_of(args.runs, both)
        assert got == expected, f"{label}: the summary's figures differ from DuckDB's"
        ledger_text = "-"
        if args.ledger_runs:
            ledger_ms, counted = best_of(args.ledger_runs, ledger_both)
            assert counted == expected, f"{label}: the ledger's figures differ from DuckDB's"
            ledger_text = f"{ledger_ms:,.0f}"
        worst = max(worst, kaynak_ms / duck_ms)
        print(
            f"{'cube + quarter totals, ' + label:<44} {len(got[0]):>7,} {duck_ms:>10.1f}"
            f" {kaynak_ms:>10.1f} {kaynak_ms / duck_ms:>6.2f} {ledger_text:>15}",
            flush=True,
        )
    for label, (start, end) in periods.items():

        def table(start: dt.date = start, end: dt.date = end) -> dict[str, Decimal | None]:
            return kaynak_indicators(start, end)

        def duck_table(start: dt.date = start, end: dt.date = end) -> dict[str, Decimal | None]:
            return duck.indicators(start, end)

        def ledger_table(start: dt.date = start, end: dt.date = end) -> dict[str, Decimal | None]:
            return ledger_indicators(start, end)

        duck_ms, expected_values = best_of(args.runs, duck_table)
        kaynak_ms, values = best_of(args.runs, table)
        assert values == expected_values, (
            f"{label}: the indicator table differs from DuckDB's: {values} ≠ {expected_values}"
        )
        ledger_text = "-"
        if args.ledger_runs:
            ledger_ms, counted_values = best_of(args.ledger_runs, ledger_table)
            assert counted_values == expected_values, (
                f"{label}: the ledger's indicator values differ from DuckDB's"
            )
            ledger_text = f"{ledger_ms:,.0f}"
        worst = max(worst, kaynak_ms / duck_ms)
        print(
            f"{'indicator table, ' + label:<44} {len(values):>7,} {duck_ms:>10.1f}"
            f" {kaynak_ms:>10.1f} {kaynak_ms / duck_ms:>6.2f} {ledger_text:>15}",
            flush=True,
        )
    if args.writes:
        print()
        write_cost(args.writes)
    target = 2.0 if connection.vendor == "postgresql" else 3.0
    print(
        f"\nidentical results; worst ratio {worst:.2f} (target ≤ {target:g}×);"
        f" load average {os.getloadavg()[0]:.2f}"
    )


if __name__ == "__main__":
    main()
