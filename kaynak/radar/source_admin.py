"""Editors' verbs on sources: enable or disable one, and ask for a scan now. Creating and
editing a source's settings stays in the Django admin."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaynak.core.audit import log_action
from kaynak.radar.models import ScanTrigger, Source, SourceKind
from kaynak.radar.services import RadarError


@transaction.atomic
def set_source_enabled(*, source: Source, enabled: bool, actor: Any) -> Source:
    """Turn a source's schedule on or off. Enabling plans its next scan by its schedule."""
    source = Source.objects.select_for_update().get(pk=source.pk)
    if enabled and source.kind == SourceKind.MANUAL:
        raise RadarError(_("Entries made by editors are not scanned."), code="manual")
    if source.enabled == enabled:
        return source
    source.enabled = enabled
    source.next_scan_at = source.next_run_after(timezone.now()) if enabled else None
    source.save(update_fields=["enabled", "next_scan_at", "updated_at"])
    log_action(
        "kaynak.radar.source.enabled" if enabled else "kaynak.radar.source.disabled",
        actor=actor,
        target=source,
    )
    return source


@transaction.atomic
def request_scan(*, source: Source, actor: Any) -> None:
    """Scan the source now, in the background (the task starts after the commit). A disabled
    source may be scanned by hand, to try its settings before enabling it."""
    if source.kind == SourceKind.MANUAL:
        raise RadarError(_("Entries made by editors are not scanned."), code="manual")
    from kaynak.radar.tasks import scan_source_task  # the task module imports the scanner

    log_action("kaynak.radar.source.scan_requested", actor=actor, target=source)
    user_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    # The task backend enqueues on commit (TASKS "enqueue_on_commit"), so a rolled-back request
    # starts no scan.
    scan_source_task.enqueue(source.pk, ScanTrigger.EDITOR, user_id)
