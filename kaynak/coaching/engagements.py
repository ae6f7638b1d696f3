"""Services: coaching engagements, their action plans and sessions.

An engagement opens when a coaching round's call accepts an application (``apply_decision``)
or when staff open one by hand (``engagement_open``). Each session is a ledger delivery of kind
"coaching" (its hours the quantity) for the organisation and for each person who took part,
written in the same transaction as the session; editing a session re-records them, deleting it
withdraws them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaynak.accounts.models import Role, User
from kaynak.calls.models import Application, ApplicationStatus, Call
from kaynak.coaching.errors import CoachingError
from kaynak.coaching.models import (
    Action,
    ActionStatus,
    AssessmentStage,
    AssessmentStatus,
    CoachingRound,
    CoachingSession,
    Dimension,
    Engagement,
    EngagementStatus,
    Instrument,
    SessionMode,
)
from kaynak.core.audit import log_action
from kaynak.core.db import free_slug
from kaynak.directory.models import Organisation, Person
from kaynak.ledger.services import record_deliveries, withdraw_deliveries
from kaynak.programmes.models import Programme

DELIVERY_KIND = "coaching"
PROGRAMME_NAME = "Örgütsel mentorluk"
OPEN_STATUSES = [EngagementStatus.PLANNED, EngagementStatus.ACTIVE]
# Roles that may coach: an outside coach, or the center's staff (not an outside reviewer).
COACHING_ROLES = {role.value for role in Role if role != Role.REVIEWER}
MAX_SESSION_MINUTES = 24 * 60


# Rounds -----------------------------------------------------------------------------------------


@transaction.atomic
def round_create(
    *,
    programme: Programme,
    name: str,
    instrument: Instrument,
    starts_on: dt.date,
    ends_on: dt.date,
    actor: Any,
    call: Call | None = None,
) -> CoachingRound:
    """A round of the coaching programme; with a call, accepting its applications opens
    engagements."""
    _check_dates(starts_on, ends_on)
    if not name.strip():
        message = _("Name the round.")
        raise CoachingError(message, code="name", fields={"name": message})
    if call is not None and CoachingRound.objects.filter(call=call).exists():
        message = _("This call already selects another coaching round.")
        raise CoachingError(message, code="call_taken", fields={"call": message})
    round_ = CoachingRound.objects.create(
        programme=programme,
        call=call,
        name=name.strip(),
        slug=free_slug(CoachingRound.objects.all(), name, fallback="mentorluk", max_length=70),
        instrument=instrument,
        starts_on=starts_on,
        ends_on=ends_on,
    )
    log_action("kaynak.coaching.engagement.round_created", actor=actor, target=round_)
    return round_


# Engagements ------------------------------------------------------------------------------------


def _has_started(engagement: Engagement) -> bool:
    return (
        engagement.sessions.exists()
        or engagement.actions.exists()
        or engagement.assessments.exists()
    )


@transaction.atomic
def apply_decision(*, application: Application, previous: str) -> None:
    """An application of a coaching round's call accepted → a planned engagement for its
    organisation (once); no longer accepted → that engagement is deleted while nothing has
    happened in it, else the decision is refused."""
    round_ = CoachingRound.objects.filter(call_id=application.call_id).first()
    if round_ is None:
        return
    existing = Engagement.objects.select_for_update().filter(application=application).first()
    if application.status == ApplicationStatus.ACCEPTED:
        if existing is not None:
            return
        if application.organisation is None:
            raise CoachingError(
                _("A coaching engagement is for an organisation; this application names none."),
                code="no_organisation",
            )
        engagement = Engagement.objects.create(
            round=round_,
            organisation=application.organisation,
            application=application,
            instrument=round_.instrument,
            starts_on=round_.starts_on,
            ends_on=round_.ends_on,
            status=EngagementStatus.PLANNED,
        )
        log_action(
            "kaynak.coaching.engagement.opened",
            actor=application.decided_by,
            target=engagement,
            data={"application": application.pk},
        )
        return
    if previous != ApplicationStatus.ACCEPTED or existing is None:
        return
    if _has_started(existing):
        raise CoachingError(
            _(
                "The coaching engagement of %(organisation)s has sessions, actions or "
                "assessments; end it instead."
            )
            % {"organisation": existing.organisation.name},
            code="engagement_started",
        )
    log_action(
        "kaynak.coaching.engagement.deleted",
        actor=application.decided_by,
        target=existing.organisation,
        data={"engagement": existing.code, "application": application.pk},
    )
    existing.delete()


def _check_coach(coach: User | None) -> None:
    if coach is None:
        return
    if not (coach.is_active and coach.staff_roles & COACHING_ROLES):
        raise CoachingError(
            _("Choose a coach: center staff or an account with the coach role."),
            code="coach",
            fields={"coach": _("This account cannot coach.")},
        )


def _check_dates(starts_on: dt.date, ends_on: dt.date) -> None:
    if ends_on < starts_on:
        raise CoachingError(
            _("The end date must not be before the start date."),
            code="dates",
            fields={"ends_on": _("The end date must not be before the start date.")},
        )


@transaction.atomic
def engagement_open(
    *,
    organisation: Organisation,
    coach: User | None,
    starts_on: dt.date,
    ends_on: dt.date,
    goals: str,
    actor: Any,
    round: CoachingRound | None = None,
    instrument: Instrument | None = None,
) -> Engagement:
    """Staff open an engagement by hand; one open engagement per organisation and round."""
    _check_coach(coach)
    _check_dates(starts_on, ends_on)
    if instrument is None:
        if round is not None:
            instrument = round.instrument
        else:
            from kaynak.coaching.assessing import default_instrument

            instrument = default_instrument()
    Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
    if Engagement.objects.filter(
        organisation=organisation, round=round, status__in=OPEN_STATUSES
    ).exists():
        message = _("%(organisation)s already has an open coaching engagement in this round.") % {
            "organisation": organisation.name
        }
        raise CoachingError(message, code="already_open", fields={"organisation": message})
    engagement = Engagement.objects.create(
        round=round,
        organisation=organisation,
        coach=coach,
        instrument=instrument,
        starts_on=starts_on,
        ends_on=ends_on,
        goals=goals.strip(),
        status=EngagementStatus.PLANNED,
    )
    log_action("kaynak.coaching.engagement.opened", actor=actor, target=engagement)
    return engagement


def has_final_assessment(engagement: Engagement) -> bool:
    return engagement.assessments.filter(
        stage=AssessmentStage.FINAL, status=AssessmentStatus.COMPLETED
    ).exists()


@transaction.atomic
def engagement_update(
    *,
    engagement: Engagement,
    coach: User | None,
    starts_on: dt.date,
    ends_on: dt.date,
    goals: str,
    status: str,
    closing_note: str = "",
    actor: Any,
    today: dt.date | None = None,
) -> Engagement:
    """Change an engagement's coach, dates, goals or status. Completing needs the end date
    passed or a completed final assessment; ending early needs a closing note."""
    today = today or timezone.localdate()
    _check_coach(coach)
    _check_dates(starts_on, ends_on)
    if status not in EngagementStatus.values:
        raise CoachingError(
            _("Choose a status."), code="status", fields={"status": _("Choose a status.")}
        )
    if (
        status == EngagementStatus.COMPLETED
        and engagement.status != EngagementStatus.COMPLETED
        and ends_on >= today
        and not has_final_assessment(engagement)
    ):
        message = _(
            "An engagement is completed once its end date has passed or its final assessment "
            "is completed."
        )
        raise CoachingError(message, code="not_finished", fields={"status": message})
    if status == EngagementStatus.ENDED_EARLY and not closing_note.strip():
        message = _("Say why the engagement ended early.")
        raise CoachingError(message, code="closing_note", fields={"closing_note": message})
    previous = engagement.status
    engagement.coach = coach
    engagement.starts_on = starts_on
    engagement.ends_on = ends_on
    engagement.goals = goals.strip()
    engagement.status = status
    engagement.closing_note = closing_note.strip()
    engagement.save()
    log_action(
        "kaynak.coaching.engagement.updated",
        actor=actor,
        target=engagement,
        data={"status": status, "previous": previous},
    )
    return engagement


# The action plan --------------------------------------------------------------------------------


def _check_action(
    engagement: Engagement, *, title: str, dimension: Dimension | None, owner: str, status: str
) -> None:
    problems: dict[str, Any] = {}
    if not title.strip():
        problems["title"] = _("Write the action.")
    if dimension is None or dimension.instrument_id != engagement.instrument_id:
        problems["dimension"] = _("Choose a dimension of the engagement's instrument.")
    if not owner.strip():
        problems["owner"] = _("Every action needs an owner: a person or a role.")
    if status not in ActionStatus.values:
        problems["status"] = _("Choose a status.")
    if problems:
        raise CoachingError(next(iter(problems.values())), code="action", fields=problems)


def _done_on(action: Action, status: str, today: dt.date) -> dt.date | None:
    if status != ActionStatus.DONE:
        return None
    return action.done_on or today


@transaction.atomic
def action_add(
    *,
    engagement: Engagement,
    title: str,
    dimension: Dimension | None,
    owner: str,
    actor: Any,
    due_on: dt.date | None = None,
    status: str = ActionStatus.TODO,
    note: str = "",
    today: dt.date | None = None,
) -> Action:
    """Add an action to the engagement's plan (at the end of its dimension)."""
    _check_action(engagement, title=title, dimension=dimension, owner=owner, status=status)
    assert dimension is not None
    last = (
        Action.objects.filter(engagement=engagement, dimension=dimension)
        .order_by("-position")
        .values_list("position", flat=True)
        .first()
    )
    action = Action(
        engagement=engagement,
        dimension=dimension,
        title=title.strip(),
        owner=owner.strip(),
        due_on=due_on,
        status=status,
        note=note.strip(),
        position=(last or 0) + 1,
    )
    action.done_on = _done_on(action, status, today or timezone.localdate())
    action.save()
    log_action("kaynak.coaching.engagement.action_added", actor=actor, target=action)
    return action


@transaction.atomic
def action_update(
    *,
    action: Action,
    title: str,
    dimension: Dimension | None,
    owner: str,
    due_on: dt.date | None,
    status: str,
    actor: Any,
    note: str | None = None,
    today: dt.date | None = None,
) -> Action:
    """Change an action; marking it done records the day (kept while it stays done)."""
    _check_action(action.engagement, title=title, dimension=dimension, owner=owner, status=status)
    assert dimension is not None
    previous = action.status
    action.title = title.strip()
    action.dimension = dimension
    action.owner = owner.strip()
    action.due_on = due_on
    action.done_on = _done_on(action, status, today or timezone.localdate())
    action.status = status
    if note is not None:
        action.note = note.strip()
    action.save()
    log_action(
        "kaynak.coaching.engagement.action_updated",
        actor=actor,
        target=action,
        data={"status": status, "previous": previous},
    )
    return action


@transaction.atomic
def action_delete(*, action: Action, actor: Any) -> None:
    """Remove an action from the plan."""
    log_action(
        "kaynak.coaching.engagement.action_deleted",
        actor=actor,
        target=action.engagement,
        data={"action": action.title},
    )
    action.delete()


# Sessions ---------------------------------------------------------------------------------------


def _check_session(
    engagement: Engagement,
    *,
    starts_at: dt.datetime,
    minutes: int,
    mode: str,
    now: dt.datetime,
) -> None:
    problems: dict[str, Any] = {}
    if starts_at > now:
        problems["starts_at"] = _("Log a session once it has taken place.")
    if not 1 <= minutes <= MAX_SESSION_MINUTES:
        problems["minutes"] = _("A session lasts between 1 and 1,440 minutes.")
    if mode not in SessionMode.values:
        problems["mode"] = _("Choose how the session was held.")
    if problems:
        raise CoachingError(next(iter(problems.values())), code="session", fields=problems)


def _record_session_deliveries(session: CoachingSession) -> None:
    """One "coaching" delivery, the session's hours, per participant (on the organisation's
    behalf), or the organisation's own when nobody is named
    (``ledger.services.record_deliveries``)."""
    engagement = session.engagement
    record_deliveries(
        source=session,
        organisation=engagement.organisation,
        people=session.participants.select_related("province").order_by("pk"),
        kind=DELIVERY_KIND,
        date=timezone.localtime(session.starts_at).date(),
        programme=engagement.round.name if engagement.round else PROGRAMME_NAME,
        activity="Mentorluk görüşmesi",
        quantity=session.hours,
    )


def _apply_session(
    session: CoachingSession,
    *,
    starts_at: dt.datetime,
    minutes: int,
    mode: str,
    coach_notes: str,
    shared_notes: str,
    follow_ups: str,
) -> None:
    session.starts_at = starts_at
    session.minutes = minutes
    session.mode = mode
    session.coach_notes = coach_notes.strip()
    session.shared_notes = shared_notes.strip()
    session.follow_ups = follow_ups.strip()


@transaction.atomic
def session_log(
    *,
    engagement: Engagement,
    starts_at: dt.datetime,
    minutes: int,
    mode: str,
    participants: Iterable[Person] = (),
    coach_notes: str = "",
    shared_notes: str = "",
    follow_ups: str = "",
    actor: Any,
    now: dt.datetime | None = None,
) -> CoachingSession:
    """A session that took place: a "coaching" delivery (its hours) for the organisation and
    each participant. A planned engagement becomes active with its first session."""
    _check_session(
        engagement, starts_at=starts_at, minutes=minutes, mode=mode, now=now or timezone.now()
    )
    session = CoachingSession(engagement=engagement)
    _apply_session(
        session,
        starts_at=starts_at,
        minutes=minutes,
        mode=mode,
        coach_notes=coach_notes,
        shared_notes=shared_notes,
        follow_ups=follow_ups,
    )
    session.save()
    session.participants.set(list(participants))
    _record_session_deliveries(session)
    if engagement.status == EngagementStatus.PLANNED:
        engagement.status = EngagementStatus.ACTIVE
        engagement.save(update_fields=["status", "updated_at"])
    log_action("kaynak.coaching.engagement.session_logged", actor=actor, target=session)
    return session


@transaction.atomic
def session_update(
    *,
    session: CoachingSession,
    starts_at: dt.datetime,
    minutes: int,
    mode: str,
    participants: Iterable[Person],
    coach_notes: str,
    shared_notes: str,
    follow_ups: str,
    actor: Any,
    now: dt.datetime | None = None,
) -> CoachingSession:
    """Change a session: its deliveries follow (date, hours); a removed participant's delivery
    is withdrawn."""
    _check_session(
        session.engagement,
        starts_at=starts_at,
        minutes=minutes,
        mode=mode,
        now=now or timezone.now(),
    )
    _apply_session(
        session,
        starts_at=starts_at,
        minutes=minutes,
        mode=mode,
        coach_notes=coach_notes,
        shared_notes=shared_notes,
        follow_ups=follow_ups,
    )
    session.save()
    session.participants.set(list(participants))
    _record_session_deliveries(session)
    log_action("kaynak.coaching.engagement.session_updated", actor=actor, target=session)
    return session


@transaction.atomic
def session_delete(*, session: CoachingSession, actor: Any) -> None:
    """Delete a session logged by mistake; its deliveries are withdrawn."""
    engagement = session.engagement
    withdraw_deliveries(source=session)
    log_action(
        "kaynak.coaching.engagement.session_deleted",
        actor=actor,
        target=engagement,
        data={"session": session.pk, "starts_at": session.starts_at.isoformat()},
    )
    session.delete()
