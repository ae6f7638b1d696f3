"""The verbs of trainings and events. Views, tasks, the API and the CLI call these; nothing else
writes the models.

Seats: every change to who holds a seat of an activity runs under a row lock on the activity
(``SELECT … FOR UPDATE`` on PostgreSQL; SQLite runs write transactions one at a time, see
``transaction_mode`` in the settings), so concurrent registrations never overbook. A freed seat
is offered to the first on the waiting list for ``Activity.offer_hours``; an offer that lapses
moves on to the next (``lapse_offers``, run by the worker).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Min
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from kaynak.core.audit import log_action
from kaynak.core.errors import KaynakError
from kaynak.directory.models import Organisation, Person
from kaynak.ledger.services import record_delivery, withdraw_delivery
from kaynak.programmes.models import (
    ACTIVE,
    SEAT_HOLDING,
    Activity,
    ActivityKind,
    ActivityStatus,
    Attendance,
    AttendanceMethod,
    Registration,
    RegistrationStatus,
    Session,
)


class RegistrationError(KaynakError):
    code = "registration"


# Reading seats ----------------------------------------------------------------------------------


def seats_of(activity: Activity) -> int | None:
    """How many can hold a seat: the activity's seats, or its smallest room if smaller; None
    for no limit."""
    limits = [activity.capacity] if activity.capacity is not None else []
    room = activity.sessions.filter(capacity__isnull=False).aggregate(m=Min("capacity"))["m"]
    if room is not None:
        limits.append(room)
    return min(limits) if limits else None


def seats_taken(activity: Activity) -> int:
    return activity.registrations.filter(status__in=SEAT_HOLDING).count()


def registration_window_problem(activity: Activity, now: dt.datetime | None = None) -> str | None:
    """Why registration is not open now, or None when it is."""
    now = now or timezone.now()
    if activity.status != ActivityStatus.PUBLISHED:
        return str(_("This activity is not open for registration."))
    if activity.kind == ActivityKind.SCHOOL_MODULE:
        # The school's cohort is selected by its call; staff enrol it (kaynak.school).
        return str(_("Places in the school's modules are given to the cohort's participants."))
    if not activity.registration_required:
        return str(_("This activity needs no registration: join it with the link on its page."))
    if activity.registration_opens_at and now < activity.registration_opens_at:
        opens = timezone.localtime(activity.registration_opens_at)
        return str(_("Registration opens on %(date)s.") % {"date": f"{opens:%d.%m.%Y %H:%M}"})
    closes = activity.registration_closes_at
    if closes is None:
        first = activity.sessions.aggregate(m=Min("starts_at"))["m"]
        closes = first
    if closes is not None and now >= closes:
        return str(_("Registration for this activity has closed."))
    return None


def _locked(activity: Activity) -> Activity:
    return Activity.objects.select_for_update().get(pk=activity.pk)


# Registering ------------------------------------------------------------------------------------


def question_text(question: Mapping[str, Any]) -> str:
    """An eligibility question in the active language (Turkish when it has no English)."""
    english = (translation.get_language() or "tr").startswith("en")
    return str((english and question.get("text_en")) or question["text"])


def check_answers(activity: Activity, answers: Mapping[str, Any] | None) -> dict[str, Any]:
    """The answers to keep, or a RegistrationError naming the first required one missing."""
    answers = dict(answers or {})
    kept: dict[str, Any] = {}
    for question in activity.questions:
        key = question["key"]
        value = answers.get(key)
        if isinstance(value, str):
            value = value.strip()
        if question.get("required") and value in (None, "", False):
            raise RegistrationError(
                _("Please answer: %(question)s") % {"question": question_text(question)},
                code="answer_missing",
            )
        if value not in (None, ""):
            kept[key] = value
    return kept


@transaction.atomic
def register(
    *,
    activity: Activity,
    person: Person,
    email: str,
    organisation: Organisation | None = None,
    language: str = "tr",
    answers: Mapping[str, Any] | None = None,
    by: Any = None,
    override: bool = False,
    reason: str = "",
) -> Registration:
    """Register ``person`` for ``activity``: a confirmed seat while there is one, else the
    waiting list (or a RegistrationError when the activity keeps none).

    ``override`` (staff, with a ``reason``) ignores the registration window, the per-organisation
    limit and a full activity: the person gets a seat.
    """
    if override and not reason.strip():
        raise RegistrationError(_("Say why you add this person over the rules."), code="reason")
    activity = _locked(activity)
    if not override:
        problem = registration_window_problem(activity)
        if problem:
            raise RegistrationError(problem, code="closed")
    kept = check_answers(activity, answers) if not override else dict(answers or {})
    if activity.registrations.filter(person=person, status__in=ACTIVE).exists():
        raise RegistrationError(_("You are already registered for this activity."), code="twice")
    limit = activity.seats_per_organisation
    if (
        not override
        and organisation is not None
        and limit is not None
        and activity.registrations.filter(organisation=organisation, status__in=ACTIVE).count()
        >= limit
    ):
        raise RegistrationError(
            _(
                "%(organisation)s already has %(count)s registrations for this activity, "
                "the most one organisation may have."
            )
            % {"organisation": organisation.name, "count": limit},
            code="organisation_limit",
        )
    seats = seats_of(activity)
    queue = activity.registrations.filter(status=RegistrationStatus.WAITLISTED)
    has_seat = override or seats is None or (seats_taken(activity) < seats and not queue.exists())
    if not has_seat and not activity.waitlist:
        raise RegistrationError(_("This activity is full and keeps no waiting list."), code="full")
    registration = Registration.objects.create(
        activity=activity,
        person=person,
        organisation=organisation,
        email=email.strip().lower(),
        language=language,
        answers=kept,
        status=RegistrationStatus.CONFIRMED if has_seat else RegistrationStatus.WAITLISTED,
        added_by=by if getattr(by, "is_authenticated", False) else None,
        staff_note=reason.strip()[:250],
    )
    log_action(
        "kaynak.programmes.registration.created",
        actor=by,
        target=registration,
        data={"status": registration.status, "override": override, "reason": reason.strip()},
    )
    _mail_on_commit(registration, "confirmed" if has_seat else "waitlisted")
    return registration


@transaction.atomic
def cancel_registration(
    *, registration: Registration, by: Any = None, reason: str = ""
) -> Registration:
    """Cancel; a seat it held is offered to the next on the waiting list. Idempotent."""
    activity = _locked(registration.activity)
    registration.refresh_from_db()
    if registration.status in (RegistrationStatus.CANCELLED, RegistrationStatus.LAPSED):
        return registration
    held_seat = registration.status in SEAT_HOLDING
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.offer_expires_at = None
    if reason:
        registration.staff_note = reason.strip()[:250]
    registration.save(
        update_fields=["status", "cancelled_at", "offer_expires_at", "staff_note", "updated_at"]
    )
    log_action(
        "kaynak.programmes.registration.cancelled",
        actor=by,
        target=registration,
        data={"reason": reason.strip()},
    )
    _mail_on_commit(registration, "cancelled")
    if held_seat:
        fill_seats(activity=activity)
    return registration


@transaction.atomic
def fill_seats(*, activity: Activity, now: dt.datetime | None = None) -> list[Registration]:
    """Offer free seats to the waiting list, first come first served. Returns the offers made."""
    activity = _locked(activity)
    seats = seats_of(activity)
    now = now or timezone.now()
    offered: list[Registration] = []
    queue = activity.registrations.filter(status=RegistrationStatus.WAITLISTED).order_by(
        "created_at", "id"
    )
    free = None if seats is None else seats - seats_taken(activity)
    if free is not None and free <= 0:
        return offered
    first_start = activity.sessions.aggregate(m=Min("starts_at"))["m"]
    expires = now + dt.timedelta(hours=activity.offer_hours)
    if first_start is not None and first_start > now:
        expires = min(expires, first_start)
    for registration in queue[:free] if free is not None else queue:
        registration.status = RegistrationStatus.OFFERED
        registration.offer_expires_at = expires
        registration.save(update_fields=["status", "offer_expires_at", "updated_at"])
        log_action("kaynak.programmes.registration.offered", target=registration)
        _mail_on_commit(registration, "offered")
        offered.append(registration)
    return offered


@transaction.atomic
def accept_offer(*, registration: Registration, now: dt.datetime | None = None) -> Registration:
    """Take the seat offered. A lapsed or withdrawn offer is explained, not accepted."""
    _locked(registration.activity)
    registration.refresh_from_db()
    now = now or timezone.now()
    if registration.status == RegistrationStatus.CONFIRMED:
        return registration
    if registration.status == RegistrationStatus.OFFERED and (
        registration.offer_expires_at is None or registration.offer_expires_at > now
    ):
        registration.status = RegistrationStatus.CONFIRMED
        registration.offer_expires_at = None
        registration.save(update_fields=["status", "offer_expires_at", "updated_at"])
        log_action("kaynak.programmes.registration.accepted", target=registration)
        _mail_on_commit(registration, "confirmed")
        return registration
    raise RegistrationError(
        _("This seat offer is no longer open; the seat went to the next person waiting."),
        code="offer_lapsed",
    )


def lapse_offers(*, now: dt.datetime | None = None) -> int:
    """Offers not taken in time lapse; their seats go to the next on the waiting list. Returns
    how many lapsed. Run by the worker every few minutes; safe to run at any time."""
    now = now or timezone.now()
    lapsed = 0
    activity_ids = (
        Registration.objects.filter(status=RegistrationStatus.OFFERED, offer_expires_at__lte=now)
        .values_list("activity_id", flat=True)
        .distinct()
    )
    for activity_id in list(activity_ids):
        with transaction.atomic():
            activity = _locked(Activity(pk=activity_id))
            expired = list(
                activity.registrations.filter(
                    status=RegistrationStatus.OFFERED, offer_expires_at__lte=now
                )
            )
            for registration in expired:
                registration.status = RegistrationStatus.LAPSED
                registration.save(update_fields=["status", "updated_at"])
                log_action("kaynak.programmes.registration.lapsed", target=registration)
                _mail_on_commit(registration, "lapsed")
            lapsed += len(expired)
            fill_seats(activity=activity, now=now)
    return lapsed


# Attendance -------------------------------------------------------------------------------------


def _sync_delivery(registration: Registration) -> None:
    """The registration's one ledger row: the hours of the sessions attended, dated by the
    first; withdrawn when no session is attended."""
    attended = Session.objects.filter(attendances__registration=registration).order_by("starts_at")
    sessions = list(attended)
    activity = registration.activity
    if not sessions:
        withdraw_delivery(
            source=registration,
            organisation=registration.organisation,
            person=registration.person,
        )
        return
    hours = sum((s.hours for s in sessions), Decimal(0))
    first = sessions[0]
    record_delivery(
        kind=activity.service_kind,
        source=registration,
        date=timezone.localdate(first.starts_at),
        organisation=registration.organisation,
        person=registration.person,
        programme=activity.programme.name,
        activity=activity.title,
        province=None if first.online else first.province,
        themes=list(activity.themes.all()),
        quantity=hours,
    )


@transaction.atomic
def mark_attendance(
    *,
    registration: Registration,
    session: Session,
    method: str = AttendanceMethod.ROLL_CALL,
    by: Any = None,
) -> Attendance:
    """Mark that the registrant attended ``session`` and record the delivery in the ledger, in
    one transaction. Idempotent."""
    if session.activity_id != registration.activity_id:
        raise RegistrationError(_("This registration is for another activity."), code="mismatch")
    if registration.status not in SEAT_HOLDING:
        raise RegistrationError(
            _("%(name)s has no confirmed seat (%(status)s).")
            % {"name": registration.person.full_name, "status": registration.get_status_display()},
            code="no_seat",
        )
    attendance, created = Attendance.objects.get_or_create(
        registration=registration,
        session=session,
        defaults={
            "method": method,
            "marked_by": by if getattr(by, "is_authenticated", False) else None,
        },
    )
    if registration.status == RegistrationStatus.OFFERED:
        # They came: the offer is taken.
        registration.status = RegistrationStatus.CONFIRMED
        registration.offer_expires_at = None
        registration.save(update_fields=["status", "offer_expires_at", "updated_at"])
    if created:
        _sync_delivery(registration)
        log_action(
            "kaynak.programmes.attendance.marked",
            actor=by,
            target=registration,
            data={"session": session.pk, "method": str(method)},
        )
    return attendance


@transaction.atomic
def unmark_attendance(*, registration: Registration, session: Session, by: Any = None) -> bool:
    """Undo an attendance mark; the ledger follows. Returns whether there was one."""
    deleted, _rows = Attendance.objects.filter(registration=registration, session=session).delete()
    if deleted:
        _sync_delivery(registration)
        log_action(
            "kaynak.programmes.attendance.unmarked",
            actor=by,
            target=registration,
            data={"session": session.pk},
        )
    return bool(deleted)


def attended_share(registration: Registration) -> tuple[int, int]:
    """(sessions attended, sessions of the activity)."""
    total = registration.activity.sessions.count()
    return registration.attendances.count(), total


def has_completed(registration: Registration) -> bool:
    attended, total = attended_share(registration)
    if total == 0 or registration.status != RegistrationStatus.CONFIRMED:
        return False
    return attended * 100 >= registration.activity.completion_percent * total


def attended_hours(registration: Registration) -> Decimal:
    sessions = Session.objects.filter(attendances__registration=registration)
    return sum((s.hours for s in sessions), Decimal(0))


# Mail ------------------------------------------------------------------------------------------


def _mail_on_commit(registration: Registration, message: str) -> None:
    """Queue the registrant's mail for after the commit (the task reads the row again)."""
    from kaynak.programmes.tasks import send_registration_mail

    pk = registration.pk
    transaction.on_commit(lambda: send_registration_mail.enqueue(pk, message))


__all__ = [
    "RegistrationError",
    "accept_offer",
    "attended_hours",
    "attended_share",
    "cancel_registration",
    "check_answers",
    "fill_seats",
    "has_completed",
    "lapse_offers",
    "mark_attendance",
    "register",
    "registration_window_problem",
    "seats_of",
    "seats_taken",
    "unmark_attendance",
]
