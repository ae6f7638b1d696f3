"""How long the impact dashboard and a donor report take to count and render at national scale.

``report_vs_duckdb.py`` compares the core figures (the cube and the indicator table) with DuckDB;
this measures everything a page or a download does on top of them, on the same database:

- the dashboard's figures (``compute_figures``: headline, five breakdowns, trends by month and
  quarter, the indicator table) for a year, a quarter and all years;
- a donor report's figures (``report=True``: also the activity list and the raw cube), its
  snapshot's size, and rendering its PDF (WeasyPrint) and XLSX (openpyxl) from them;
- the dashboard page itself through Django's test client (figures + SVG map and charts).

    KAYNAK_VAR_DIR=/tmp/kaynak-national .venv/bin/python bench/dashboard_figures.py
    # PostgreSQL: the same with KAYNAK_DATABASE_URL=postgres://…

It only reads (the report is not saved). Each step runs ``--runs`` times; the best is printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaynak.settings")


def best_of(runs: int, action: Callable[[], Any]) -> tuple[float, Any]:
    """The best wall-clock time of ``runs`` runs (milliseconds) and the last result."""
    times = []
    result: Any = None
    for _ in range(runs):
        started = time.perf_counter()
        result = action()
        times.append((time.perf_counter() - started) * 1000)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils import translation

    from kaynak.accounts.models import Role, User
    from kaynak.impact import pdf, xlsx
    from kaynak.impact.figures import Scope, compute_figures
    from kaynak.impact.models import DonorReport
    from kaynak.ledger.models import Delivery

    translation.activate("tr")
    print(
        f"database: {connection.vendor}; {Delivery.objects.count():,} deliveries;"
        f" load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores\n"
    )
    scopes = {
        "2025": Scope(dt.date(2025, 1, 1), dt.date(2025, 12, 31)),
        "2025 Q2": Scope(dt.date(2025, 4, 1), dt.date(2025, 6, 30)),
        "all four years": Scope(dt.date(2022, 1, 1), dt.date(2025, 12, 31)),
    }
    print(f"{'step':<52} {'ms':>9}")
    for label, each in scopes.items():

        def count(scope: Scope = each) -> Any:
            return compute_figures(scope)

        ms, _figures = best_of(args.runs, count)
        print(f"{'dashboard figures, ' + label:<52} {ms:>9,.0f}", flush=True)

    scope = scopes["2025"]
    ms, figures = best_of(args.runs, lambda: compute_figures(scope, report=True))
    print(f"{'donor report figures (report=True), 2025':<52} {ms:>9,.0f}")
    snapshot = figures.to_json()
    print(
        f"{'  snapshot: JSON size (KB), activities, cube cells':<52} {len(snapshot) // 1024:>9,}"
        f"  {len(figures.activities):,} activities, {len(figures.cube):,} cells"
    )
    report = DonorReport(title="Bench 2025", start=scope.start, end=scope.end, language="tr")
    ms, document = best_of(1, lambda: pdf.report_pdf(report, figures))
    print(f"{'donor report PDF (WeasyPrint), 2025':<52} {ms:>9,.0f}  {len(document) // 1024:,} KB")
    ms, workbook = best_of(1, lambda: xlsx.report_xlsx(report, figures))
    print(f"{'donor report XLSX (openpyxl), 2025':<52} {ms:>9,.0f}  {len(workbook) // 1024:,} KB")

    officer = (
        User.objects.filter(role_assignments__role=Role.ME_OFFICER).first()
        or User.objects.filter(is_superuser=True).first()
    )
    if officer is None:
        print("no M&E officer or admin: the page is not timed")
        return
    # The staff MFA check would redirect before any figure (the bench writes nothing, so it
    # sets up no authenticator): time the view behind it.
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if "MFARequired" not in m]
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(officer)
    with translation.override("tr"):
        page = reverse("impact:staff-dashboard")
    ms, response = best_of(args.runs, lambda: client.get(page, {"year": "2025"}))
    print(
        f"{'dashboard page (HTTP 200, Turkish), 2025':<52} {ms:>9,.0f}"
        f"  {len(response.content) // 1024:,} KB (status {response.status_code})"
    )


if __name__ == "__main__":
    main()
