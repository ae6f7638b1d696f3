"""Background work of the core app, run by the worker through Django's ``django.tasks`` API."""

from __future__ import annotations

import os

from django.core.management import call_command
from django.tasks import task


@task()
def ping(message: str) -> dict[str, object]:
    """Answer with the message and the worker's process id: proof that a worker runs tasks."""
    return {"message": message, "pid": os.getpid()}


@task()
def clear_expired_sessions() -> None:
    """Delete expired sessions (scheduled nightly)."""
    call_command("clearsessions")
