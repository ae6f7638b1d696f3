"""`kaynak run` (what `make run` uses): prepare everything, then serve the site and run the
task worker together in the foreground; Ctrl-C stops both."""

from __future__ import annotations

import ctypes
import os
import signal
import socket
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
        host, port = options["host"], options["port"]
        if not str(port).isdigit() or not 0 < int(port) < 65536:
            raise CommandError(f"PORT must be a port number, not {port!r}.")
        _check_port_is_free(host, int(port))
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
        # A SIGTERM (from a process manager) stops both, like Ctrl-C does. Ctrl-C (SIGINT)
        # stops them even when this was started with SIGINT ignored, as a shell script's
        # background job (`make run &`) is: Python then leaves SIGINT ignored.
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
        signal.signal(signal.SIGINT, signal.default_int_handler)
        try:
            call_command("runserver", f"{host}:{port}", use_reloader=False, skip_checks=True)
        finally:
            if worker is not None and worker.poll() is None:
                worker.terminate()
                try:
                    worker.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    worker.kill()


def _check_port_is_free(host: str, port: int) -> None:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as exc:
            raise CommandError(
                f"PORT {port} on HOST {host} cannot be used ({exc.strerror}): "
                "stop what runs there or choose another, e.g. make run PORT=8001."
            ) from None


def _die_with_parent() -> None:
    """Linux: the worker gets SIGTERM if `kaynak run` dies without cleaning up (kill -9)."""
    if sys.platform == "linux":
        pr_set_pdeathsig = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)
