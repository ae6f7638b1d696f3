"""`kaynak worker`: run background tasks and the periodic schedule (huey's consumer)."""

from __future__ import annotations

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from kaynak.core.services_check import service_problems


class Command(BaseCommand):
    help = "Start a task worker: it runs queued tasks and the periodic jobs."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--workers", "-w", type=int, help="Worker threads (default 2).")

    def handle(self, *args: Any, **options: Any) -> None:
        problems = service_problems()
        if problems:
            raise CommandError(" ".join(problems))
        extra = {"workers": options["workers"]} if options["workers"] else {}
        call_command("run_huey", **extra)
