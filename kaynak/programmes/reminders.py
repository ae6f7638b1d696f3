"""Reminders two days and two hours before a session, to everyone holding a seat.

The worker runs ``send_due_reminders`` every ten minutes (``kaynak/core/schedule.py``). Each
session is claimed with a conditional update (``… SET reminded_2d_at = now WHERE id = … AND
reminded_2d_at IS NULL``): when two workers run the job at once, only the one whose update
changed the row queues the mails, so nobody is reminded twice, and a run that finds nothing
due does nothing.

A session moved later after its reminder went out is reminded again before its new time: a
reminder counts as sent for the session's current time only if it was sent inside that time's
window (``reminded_2d_at >= starts_at - 48 h``).

Sessions of one activity within two days of each other (a three-day training) are one run:
its first session's reminders list every session, and the others send none.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import partial

from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.utils import timezone

from kaynak.core.audit import log_action
from kaynak.programmes.models import SEAT_HOLDING, ActivityStatus, Session
from kaynak.programmes.tasks import send_registration_mail

# Sessions closer than this to the previous session of their activity continue its run.
RUN_GAP = dt.timedelta(hours=48)


@dataclass(frozen=True)
class Reminder:
    message: str  # the mail (see mail.MESSAGES)
    field: str  # the session's column that records it was sent
    before: dt.timedelta  # it goes out when the session is this close …
    until: dt.timedelta  # … and still further away than this


REMINDERS = (
    Reminder("reminder-2d", "reminded_2d_at", dt.timedelta(hours=48), dt.timedelta(hours=2)),
    Reminder("reminder-2h", "reminded_2h_at", dt.timedelta(hours=2), dt.timedelta(0)),
)


def not_reminded(reminder: Reminder) -> Q:
    """Sessions ``reminder`` was not sent for, at their current start time."""
    field = reminder.field
    return Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__lt": F("starts_at") - reminder.before})


def sessions_due(reminder: Reminder, now: dt.datetime) -> QuerySet[Session]:
    """Published sessions in ``reminder``'s window that it has not been sent for."""
    return Session.objects.filter(
        not_reminded(reminder),
        activity__status=ActivityStatus.PUBLISHED,
        starts_at__gt=now + reminder.until,
        starts_at__lte=now + reminder.before,
    ).order_by("starts_at", "id")


def continues_a_run(session: Session) -> bool:
    """Whether an earlier session of the same activity began less than two days before."""
    earlier = Q(starts_at__lt=session.starts_at) | Q(starts_at=session.starts_at, id__lt=session.pk)
    return (
        Session.objects.filter(earlier, activity_id=session.activity_id)
        .filter(starts_at__gte=session.starts_at - RUN_GAP)
        .exists()
    )


@transaction.atomic
def remind_session(*, session: Session, reminder: Reminder, now: dt.datetime) -> int:
    """Claim ``session`` for ``reminder`` and queue the mail to each seat holder. Returns how
    many were queued: 0 when another worker claimed it first or it continues a run."""
    claimed = Session.objects.filter(not_reminded(reminder), pk=session.pk).update(
        **{reminder.field: now}
    )
    if not claimed or continues_a_run(session):
        return 0
    registrations = list(
        session.activity.registrations.filter(
            status__in=SEAT_HOLDING, email_bounced_at__isnull=True
        ).values_list("pk", flat=True)
    )
    for registration_id in registrations:
        transaction.on_commit(
            partial(
                send_registration_mail.enqueue,
                registration_id,
                reminder.message,
                session_id=session.pk,
            )
        )
    log_action(
        "kaynak.programmes.session.reminded",
        target=session,
        data={"message": reminder.message, "registrations": len(registrations)},
    )
    return len(registrations)


def send_due_reminders(*, now: dt.datetime | None = None) -> int:
    """Queue every reminder due now; returns how many mails were queued. Safe to run at any
    time and from several workers at once."""
    now = now or timezone.now()
    queued = 0
    for reminder in REMINDERS:
        for session in sessions_due(reminder, now):
            queued += remind_session(session=session, reminder=reminder, now=now)
    return queued
