"""The one audit log: every service records what it did, who did it, and to what."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from kaynak.core.models import AuditEntry


def log_action(
    action: str,
    *,
    actor: Any = None,
    target: models.Model | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEntry:
    """Record ``action`` (namespaced, e.g. ``kaynak.accounts.role.granted``) by ``actor``."""
    if not action.startswith("kaynak."):
        raise ValueError(f"Audit actions are namespaced under 'kaynak.': {action!r}")
    user = actor if actor is not None and getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        action=action,
        actor=user,
        content_type=ContentType.objects.get_for_model(target) if target is not None else None,
        object_id=str(target.pk) if target is not None else "",
        object_repr=str(target)[:200] if target is not None else "",
        data=data or {},
    )


def history_for(target: models.Model) -> models.QuerySet[AuditEntry]:
    """Every audit entry about ``target``, newest first."""
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(target), object_id=str(target.pk)
    ).select_related("actor")
