"""`kaynak run` (what `make run` uses): prepare everything, then serve the site and run the
task worker together in the foreground; Ctrl-C stops both."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from kaynak.core.demo import DEMO_ADMIN_EMAIL, DEMO_PASSWORD
from kaynak.core.services_check import service_problems


class Command(BaseCommand):
    help = "Migrate, load demo data into an empty database, and start the web server and worker."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))
        parser.add_argument("--no-demo", action="store_true", help="Do not load demo data.")
        parser.add_argument("--no-worker", action="store_true", help="Start the web server only.")

    def handle(self, *args: Any, **options: Any) -> None:
        problems = service_problems()
        if problems:
            raise CommandError(" ".join(problems))
        if not str(options["port"]).isdigit():
            raise CommandError(f"PORT must be a port number, not {options['port']!r}.")
        self.stdout.write("Preparing the database…")
        call_command("migrate", interactive=False, verbosity=0)
        call_command("compiletranslations", verbosity=0)
        if not settings.DEBUG:
            call_command("collectstatic", interactive=False, verbosity=0)
        if not options["no_demo"]:
            call_command("demo", if_empty=True)

        worker = None
        if not options["no_worker"]:
            worker = subprocess.Popen([sys.executable, "-m", "kaynak.cli", "worker"])
        host, port = options["host"], options["port"]
        shown_host = f"[{host}]" if ":" in host else host
        self.stdout.write(
            self.style.SUCCESS(f"\nKaynak is running at http://{shown_host}:{port}/\n")
            + f"Demo staff login: {DEMO_ADMIN_EMAIL} / {DEMO_PASSWORD} "
            "(set up two-factor authentication at first login)\n"
            "Press Ctrl-C to stop the web server and the worker.\n"
        )
        # A SIGTERM (from a process manager) stops both, like Ctrl-C does.
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
        try:
            call_command("runserver", f"{host}:{port}", use_reloader=False, skip_checks=True)
        finally:
            if worker is not None and worker.poll() is None:
                worker.terminate()
                try:
                    worker.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    worker.kill()
