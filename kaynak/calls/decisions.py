"""Deciding on applications: accepted, waitlisted or rejected, with a reason.

``decide`` is the one writer of a decision; the apps above react through
``signals.application_decided`` inside the same transaction (a receiver's ``KaynakError``
refuses the decision and nothing is written).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaynak.calls.errors import CallError
from kaynak.calls.models import DECISIONS, Application, ApplicationStatus
from kaynak.calls.signals import application_decided
from kaynak.core.audit import log_action


@transaction.atomic
def decide(
    *,
    application: Application,
    decision: str,
    reason: str = "",
    actor: Any = None,
    now: dt.datetime | None = None,
) -> Application:
    """Record ``decision`` (accepted / waitlisted / rejected) on a submitted or already decided
    application. Deciding again changes the decision (and tells the apps above); the e-mail is
    sent separately (``notified_at`` is cleared, so the new decision is told)."""
    if decision not in DECISIONS:
        raise CallError(_("Choose accepted, waiting list or not selected."), code="decision")
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.status not in [ApplicationStatus.SUBMITTED, *DECISIONS]:
        raise CallError(
            _("Only a submitted application can be decided on; this one is %(status)s.")
            % {"status": locked.get_status_display()},
            code="not_submitted",
        )
    previous = locked.status
    if previous == decision and locked.decision_reason == reason.strip():
        return locked
    locked.status = decision
    locked.decision_reason = reason.strip()
    locked.decided_at = now or timezone.now()
    locked.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    if previous != decision:
        locked.notified_at = None
    locked.save(
        update_fields=[
            "status",
            "decision_reason",
            "decided_at",
            "decided_by",
            "notified_at",
            "updated_at",
        ]
    )
    log_action(
        "kaynak.calls.application.decided",
        actor=actor,
        target=locked,
        data={"decision": decision, "previous": previous, "reason": locked.decision_reason},
    )
    if previous != decision:
        application_decided.send(sender=Application, application=locked, previous=previous)
    return locked
