"""An organisation's pipeline of funding calls: save a call, move it through the stages
(interested → preparing → submitted → won / not won), keep notes, who is responsible and the
amounts, share it with the center (consent, off by default), and the deadline reminders.

Reminders go 7 days and 1 day before the deadline to the person responsible (or, when nobody
is, to whoever added the call). Each is claimed by a conditional UPDATE of
``reminded_7d_at``/``reminded_1d_at`` before it is sent, so two workers never send one twice.
"""

from __future__ import annotations

import datetime as dt
import logging
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaynak.accounts.models import User
from kaynak.core.audit import log_action
from kaynak.core.errors import KaynakError
from kaynak.directory.models import Organisation
from kaynak.radar.models import (
    Opportunity,
    OpportunityStatus,
    PipelineStage,
    TrackedOpportunity,
)

logger = logging.getLogger(__name__)

REMINDERS = ((7, "reminded_7d_at"), (1, "reminded_1d_at"))
OPEN_STAGES = (PipelineStage.INTERESTED, PipelineStage.PREPARING)


class TrackingError(KaynakError):
    """A pipeline change was refused; ``message`` says why, translated."""


def members_of(organisation: Organisation) -> QuerySet[User]:
    """Users with a current affiliation to the organisation: who may be responsible."""
    return (
        User.objects.filter(
            is_active=True,
            person__affiliations__organisation=organisation,
            person__affiliations__end_date__isnull=True,
            person__erased_at__isnull=True,
        )
        .distinct()
        .order_by("full_name", "pk")
    )


def pipeline_of(organisation: Organisation) -> QuerySet[TrackedOpportunity]:
    """The organisation's tracked calls, soonest deadline first."""
    return (
        TrackedOpportunity.objects.filter(organisation=organisation)
        .select_related("opportunity__funder", "responsible")
        .order_by("opportunity__deadline_at", "pk")
    )


@transaction.atomic
def track(
    *, organisation: Organisation, opportunity: Opportunity, actor: User
) -> tuple[TrackedOpportunity, bool]:
    """Add a published call to the organisation's pipeline (interested, not shared, reminders
    on). Returns the entry and whether it is new; tracking twice keeps the first."""
    if opportunity.status != OpportunityStatus.PUBLISHED:
        raise TrackingError(_("Only published calls can be added to a pipeline."))
    tracked, created = TrackedOpportunity.objects.get_or_create(
        organisation=organisation,
        opportunity=opportunity,
        defaults={"added_by": actor, "responsible": actor},
    )
    if created:
        log_action(
            "kaynak.radar.tracked.added",
            actor=actor,
            target=tracked,
            data={"organisation": organisation.pk, "opportunity": opportunity.pk},
        )
    return tracked, created


@transaction.atomic
def change_stage(*, tracked: TrackedOpportunity, stage: str, actor: User) -> TrackedOpportunity:
    """Move a tracked call to another stage of the pipeline."""
    if stage not in PipelineStage.values:
        raise TrackingError(_("Choose one of the stages."))
    if tracked.stage != stage:
        old = tracked.stage
        tracked.stage = stage
        tracked.stage_changed_at = timezone.now()
        tracked.save(update_fields=["stage", "stage_changed_at", "updated_at"])
        log_action(
            "kaynak.radar.tracked.stage_changed",
            actor=actor,
            target=tracked,
            data={"stage": [old, stage]},
        )
    return tracked


def _amount(value: Any, label: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value).strip().replace(" ", ""))
    except InvalidOperation:
        raise TrackingError(_("%(field)s must be a number.") % {"field": label}) from None
    if not amount.is_finite() or amount < 0 or amount >= Decimal("1e14"):
        raise TrackingError(_("%(field)s must be a positive number.") % {"field": label})
    return amount.quantize(Decimal("0.01"))


def _for_audit(value: Any) -> Any:
    if isinstance(value, User):
        return value.pk
    if isinstance(value, Decimal):
        return str(value)
    return value


@transaction.atomic
def update_tracked(
    *,
    tracked: TrackedOpportunity,
    actor: User,
    stage: str,
    responsible: User | None,
    notes: str,
    amount_requested: Any = None,
    amount_won: Any = None,
    shared_with_center: bool,
    remind: bool,
) -> TrackedOpportunity:
    """Save a tracked call's details all at once, or nothing (``TrackingError``)."""
    if stage not in PipelineStage.values:
        raise TrackingError(_("Choose one of the stages."))
    if (
        responsible is not None
        and not members_of(tracked.organisation).filter(pk=responsible.pk).exists()
    ):
        raise TrackingError(_("The person responsible must be a member of the organisation."))
    values: dict[str, Any] = {
        "stage": stage,
        "responsible": responsible,
        "notes": notes.strip(),
        "amount_requested": _amount(amount_requested, str(_("Amount requested"))),
        "amount_won": _amount(amount_won, str(_("Amount won"))),
        "shared_with_center": shared_with_center,
        "remind": remind,
    }
    changed: dict[str, list[Any]] = {}
    for name, value in values.items():
        old = getattr(tracked, name)
        if old != value:
            changed[name] = [_for_audit(old), _for_audit(value)]
            setattr(tracked, name, value)
    if "stage" in changed:
        tracked.stage_changed_at = timezone.now()
    tracked.save()
    if changed:
        # Notes are the organisation's own words: the audit keeps that they changed, not them.
        if "notes" in changed:
            changed["notes"] = ["…", "…"]
        log_action("kaynak.radar.tracked.changed", actor=actor, target=tracked, data=changed)
    return tracked


@transaction.atomic
def untrack(*, tracked: TrackedOpportunity, actor: User) -> None:
    """Take a call out of the organisation's pipeline."""
    log_action(
        "kaynak.radar.tracked.removed",
        actor=actor,
        target=tracked.organisation,
        data={"opportunity": tracked.opportunity_id},
    )
    tracked.delete()


# Reminders --------------------------------------------------------------------------------------


def due_reminders(now: dt.datetime) -> list[tuple[int, int]]:
    """(tracked id, days) of the reminders due now: the deadline is at most ``days`` days away
    and not passed, the call is still being worked on, and that reminder was not sent."""
    due: list[tuple[int, int]] = []
    for days, field_name in REMINDERS:
        rows = TrackedOpportunity.objects.filter(
            remind=True,
            stage__in=OPEN_STAGES,
            opportunity__deadline_at__gt=now,
            opportunity__deadline_at__lte=now + dt.timedelta(days=days),
            **{f"{field_name}__isnull": True},
        )
        due.extend((pk, days) for pk in rows.values_list("pk", flat=True))
    return due


def _claim(pk: int, field_name: str, now: dt.datetime) -> bool:
    """Take one reminder for this worker: only one UPDATE can find the field still empty."""
    return bool(
        TrackedOpportunity.objects.filter(pk=pk, **{f"{field_name}__isnull": True}).update(
            **{field_name: now}
        )
    )


def _recipient(tracked: TrackedOpportunity) -> User | None:
    for user in (tracked.responsible, tracked.added_by):
        if user is not None and user.is_active and user.email:
            return user
    return None


def send_due_reminders(*, now: dt.datetime | None = None) -> int:
    """Send each due reminder once. A 1-day reminder also marks the 7-day one (a call tracked
    two days before its deadline gets one mail, not two). Returns how many mails went."""
    from kaynak.radar.mail import build_reminder_message, send

    now = now or timezone.now()
    sent = 0
    for pk, days in sorted(due_reminders(now), key=lambda row: row[1]):
        field_name = dict(REMINDERS)[days]
        if not _claim(pk, field_name, now):
            continue
        if days == 1:
            _claim(pk, "reminded_7d_at", now)
        tracked = (
            TrackedOpportunity.objects.select_related(
                "opportunity", "organisation", "responsible", "added_by"
            )
            .filter(pk=pk)
            .first()
        )
        if tracked is None:
            continue
        user = _recipient(tracked)
        if user is None:
            continue
        mail = build_reminder_message(tracked, days=days, to=user.email, language=user.language)
        try:
            send(mail)
        except Exception:
            # Not sent: release the claim so the next run tries again.
            TrackedOpportunity.objects.filter(pk=pk).update(**{field_name: None})
            logger.exception("A tracked call's reminder could not be sent")
            continue
        log_action(
            "kaynak.radar.tracked.reminded", target=tracked, data={"days": days, "to": user.pk}
        )
        sent += 1
    return sent
