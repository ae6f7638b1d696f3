"""Background work of the funding radar, run by the worker through ``django.tasks``.

The periodic beat (``scan_due_sources``, every 15 minutes) is declared in
``kaynak/core/schedule.py``; each source's own schedule (weekly on Monday 06:00 Europe/Istanbul by
default) decides when it is due.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.tasks import task
from django.utils import timezone

from kaynak.radar import scanning
from kaynak.radar.models import ScanTrigger, Source


@task()
def scan_source_task(
    source_id: int, trigger: str = ScanTrigger.SCHEDULE, user_id: int | None = None
) -> int | None:
    """Scan one source now; the id of its scan (None when the source is gone)."""
    source = Source.objects.filter(pk=source_id).first()
    if source is None:
        return None
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    run = scanning.scan_source(source=source, trigger=ScanTrigger(trigger), started_by=user)
    return run.pk


@task()
def scan_due_sources() -> int:
    """Queue a scan of every enabled source that is due, each claimed first so that no source
    is scanned twice however many workers or beats run; how many were queued."""
    now = timezone.now()
    queued = 0
    for source in scanning.due_sources(now):
        if scanning.claim(source, now):
            scan_source_task.enqueue(source.pk, ScanTrigger.SCHEDULE, None)
            queued += 1
    return queued
