"""``kaynak ledger rebuild-summary [--check]``: recompute the reach summary from the deliveries.

The database triggers keep the summary exact at every write, so this is for a database restored
without it or loaded with the triggers dropped; ``--check`` only compares the summary's figures
with the figures counted from the deliveries and fails when they differ.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kaynak.ledger import summary

# Wide enough for any ledger: whole quarters from year 1 to 9999.
EVERYTHING = (dt.date(1, 1, 1), dt.date(9999, 12, 31))


class Command(BaseCommand):
    help = "Ledger tools: rebuild-summary recomputes the reach summary from the deliveries."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        rebuild = sub.add_parser(
            "rebuild-summary", help="Recompute the reach summary from the deliveries."
        )
        rebuild.add_argument(
            "--check",
            action="store_true",
            help="Compare the summary with the deliveries instead; fail if they differ.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        if options["check"]:
            same = summary.distinct_organisations_cube(
                *EVERYTHING
            ) == summary.distinct_organisations_cube_from_ledger(
                *EVERYTHING
            ) and summary.quarter_totals(*EVERYTHING) == summary.quarter_totals_from_ledger(
                *EVERYTHING
            )
            same = same and summary.indicator_cells() == summary.indicator_cells_from_ledger()
            same = same and summary.quarter_masks() == summary.quarter_masks_from_ledger()
            if not same:
                raise CommandError("The reach summary differs from the deliveries.")
            self.stdout.write("The reach summary equals the deliveries' figures.")
            return
        summary.rebuild()
        self.stdout.write(f"Reach summary rebuilt in {time.perf_counter() - started:.1f} s.")
