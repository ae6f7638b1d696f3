"""`kaynak demo`: load a believable Turkish demo data set."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from rich.console import Console

from kaynak.core.demo import DEMO_ADMIN_EMAIL, DEMO_PASSWORD, SCALES, build_demo, database_is_empty


class Command(BaseCommand):
    help = "Load demo data: --scale small (seconds) or national (the size of a country)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--scale", choices=SCALES, default="small")
        parser.add_argument(
            "--seed", type=int, default=2018, help="Random seed (same data each time)."
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="Only when the database has no users yet."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and not database_is_empty():
            return
        console = Console()
        created = build_demo(scale=options["scale"], seed=options["seed"], console=console)
        summary = ", ".join(f"{n} {what}" for what, n in created.items())
        self.stdout.write(self.style.SUCCESS(f"Demo data loaded: {summary}."))
        self.stdout.write(f"Staff login: {DEMO_ADMIN_EMAIL} / {DEMO_PASSWORD}")
