"""The survey after an activity: invite those who attended once its last session has ended,
take one answer per registration, and sum the answers up per activity, per trainer or for any
set of activities (``feedback_summary``: the impact report reads it too).

Anonymous surveys keep no link from an answer to its registration: the invitation records only
*that* it was answered, and both it and the answer are stamped with the day, not the minute, so
the two cannot be matched by time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, cast

from django.db import transaction
from django.db.models import (
    Avg,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaynak.core.audit import log_action
from kaynak.core.errors import KaynakError
from kaynak.programmes.models import (
    Activity,
    ActivityStatus,
    Attendance,
    FeedbackInvitation,
    FeedbackResponse,
    Registration,
    RegistrationStatus,
    Session,
    Trainer,
)
from kaynak.programmes.services import _mail_on_commit


class FeedbackError(KaynakError):
    code = "feedback"


RATINGS = ("content", "trainer", "organisation", "knowledge_before", "knowledge_after")
SCALE = range(1, 6)

# When the job first runs (or after a long pause), activities that ended longer ago than this are
# not surveyed: a survey weeks later is noise for the registrant and for the results.
INVITE_WITHIN = dt.timedelta(days=14)


# Inviting ---------------------------------------------------------------------------------------


def _last_session_end() -> Subquery:
    return Subquery(
        Session.objects.filter(activity=OuterRef("activity"))
        .order_by("-ends_at")
        .values("ends_at")[:1]
    )


def due_invitations(now: dt.datetime | None = None) -> QuerySet[Registration]:
    """Registrations to invite now: confirmed, attended at least one session of a published
    activity with a survey whose last session ended (within ``INVITE_WITHIN``), not yet
    invited."""
    now = now or timezone.now()
    return (
        Registration.objects.filter(
            activity__feedback=True,
            activity__status=ActivityStatus.PUBLISHED,
            status=RegistrationStatus.CONFIRMED,
            person__erased_at__isnull=True,
            feedback_invitation__isnull=True,
        )
        .annotate(last_end=_last_session_end())
        .filter(last_end__lte=now, last_end__gt=now - INVITE_WITHIN)
        .filter(Exists(Attendance.objects.filter(registration=OuterRef("pk"))))
        .order_by("activity_id", "id")
    )


def invite_due(*, now: dt.datetime | None = None) -> int:
    """Send the survey to everyone due (see ``due_invitations``), once each, even when two
    workers run this at the same time. Returns how many were invited. Run hourly."""
    now = now or timezone.now()
    invited = 0
    for registration in due_invitations(now).select_related("activity"):
        with transaction.atomic():
            _invitation, created = FeedbackInvitation.objects.get_or_create(
                registration=registration, defaults={"sent_at": now}
            )
            if not created:
                continue  # another worker was first
            log_action("kaynak.programmes.feedback.invited", target=registration)
            _mail_on_commit(registration, "feedback")
            invited += 1
    return invited


# Answering --------------------------------------------------------------------------------------


ALREADY_ANSWERED = _("You have already answered this survey. Thank you!")


def survey_problem(registration: Registration, now: dt.datetime | None = None) -> str | None:
    """Why this registrant cannot answer the survey (now), or None when they can."""
    now = now or timezone.now()
    activity = registration.activity
    if not activity.feedback:
        return str(_("This activity has no feedback survey."))
    last_end = activity.sessions.order_by("-ends_at").values_list("ends_at", flat=True).first()
    if last_end is None or last_end > now:
        return str(_("The survey opens when the activity's last session has ended."))
    if not registration.attendances.exists():
        return str(_("The survey is for those who attended the activity."))
    if FeedbackInvitation.objects.filter(
        registration=registration, answered_at__isnull=False
    ).exists():
        return str(ALREADY_ANSWERED)
    return None


def _day(moment: dt.datetime) -> dt.datetime:
    """Midnight (Istanbul) of ``moment``'s day: an anonymous answer's only time stamp."""
    return timezone.localtime(moment).replace(hour=0, minute=0, second=0, microsecond=0)


@transaction.atomic
def submit_feedback(
    *,
    registration: Registration,
    content: int,
    trainer: int,
    organisation: int,
    knowledge_before: int,
    knowledge_after: int,
    comment: str = "",
    now: dt.datetime | None = None,
) -> FeedbackResponse:
    """Record the registrant's answers, once. In an anonymous survey the answer keeps no link
    to the registration."""
    now = now or timezone.now()
    ratings = {
        "content": content,
        "trainer": trainer,
        "organisation": organisation,
        "knowledge_before": knowledge_before,
        "knowledge_after": knowledge_after,
    }
    if any(not isinstance(value, int) or value not in SCALE for value in ratings.values()):
        raise FeedbackError(_("Give each rating from 1 to 5."), code="rating")
    registration = Registration.objects.select_related("activity").get(pk=registration.pk)
    # The invitation row is the lock: two answers sent at once cannot both pass.
    invitation, _created = FeedbackInvitation.objects.select_for_update().get_or_create(
        registration=registration, defaults={"sent_at": now}
    )
    if invitation.answered_at is not None:
        raise FeedbackError(ALREADY_ANSWERED, code="answered")
    problem = survey_problem(registration, now)
    if problem:
        raise FeedbackError(problem, code="not_open")
    activity = registration.activity
    anonymous = activity.feedback_anonymous
    stamp = _day(now) if anonymous else now
    response = FeedbackResponse.objects.create(
        activity=activity,
        registration=None if anonymous else registration,
        comment=comment.strip(),
        submitted_at=stamp,
        **ratings,
    )
    invitation.answered_at = stamp
    invitation.save(update_fields=["answered_at"])
    if anonymous:
        log_action("kaynak.programmes.feedback.answered", target=activity, data={"anonymous": True})
    else:
        log_action(
            "kaynak.programmes.feedback.answered",
            target=response,
            data={"registration": registration.pk},
        )
    return response


# Results ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rating:
    """The answers to one question: their average and how many gave each of 1–5."""

    average: float | None
    distribution: tuple[tuple[int, int], ...]  # (rating, how many), 1 to 5

    @property
    def answers(self) -> int:
        return sum(count for _rating, count in self.distribution)


@dataclass(frozen=True)
class Comment:
    text: str
    submitted_at: dt.datetime
    activity: Activity
    name: str  # "" in anonymous surveys


@dataclass(frozen=True)
class FeedbackSummary:
    """The survey's results over some activities."""

    responses: int
    invited: int
    ratings: dict[str, Rating]
    improved: int  # answers whose knowledge after is above knowledge before
    comments: tuple[Comment, ...]

    @property
    def knowledge_change(self) -> float | None:
        before = self.ratings["knowledge_before"].average
        after = self.ratings["knowledge_after"].average
        return None if before is None or after is None else after - before

    @property
    def response_rate(self) -> int | None:
        """Answers per invitation, in percent (None before anyone was invited)."""
        return round(100 * self.responses / self.invited) if self.invited else None


def _aggregates() -> dict[str, Any]:
    terms: dict[str, Any] = {
        "responses": Count("id"),
        "improved": Count("id", filter=Q(knowledge_after__gt=F("knowledge_before"))),
    }
    for name in RATINGS:
        terms[f"{name}__avg"] = Avg(name)
        for value in SCALE:
            terms[f"{name}__{value}"] = Count("id", filter=Q(**{name: value}))
    return terms


def _ratings(row: dict[str, Any]) -> dict[str, Rating]:
    return {
        name: Rating(
            average=None if row[f"{name}__avg"] is None else float(row[f"{name}__avg"]),
            distribution=tuple((value, row[f"{name}__{value}"] or 0) for value in SCALE),
        )
        for name in RATINGS
    }


def feedback_summary(
    *, activities: QuerySet[Activity] | Iterable[Activity], comments: bool = True
) -> FeedbackSummary:
    """Averages, distributions, knowledge before → after, and comments (newest first) of the
    survey over ``activities``. Three queries (two without comments)."""
    scope: QuerySet[Activity] | list[int] = (
        activities if isinstance(activities, QuerySet) else [a.pk for a in activities]
    )
    responses = FeedbackResponse.objects.filter(activity__in=scope)
    row = responses.aggregate(**_aggregates())
    invited = FeedbackInvitation.objects.filter(registration__activity__in=scope).count()
    found: tuple[Comment, ...] = ()
    if comments:
        found = tuple(
            Comment(
                text=response.comment,
                submitted_at=response.submitted_at,
                activity=response.activity,
                name=response.registration.person.full_name if response.registration else "",
            )
            for response in responses.exclude(comment="")
            .select_related("activity", "registration__person")
            .order_by("-submitted_at", "-id")
        )
    return FeedbackSummary(
        responses=row["responses"],
        invited=invited,
        ratings=_ratings(row),
        improved=row["improved"],
        comments=found,
    )


@dataclass(frozen=True)
class ActivityResults:
    """One activity's line in a trainer's results."""

    activity: Activity
    responses: int
    ratings: dict[str, Rating]


def trainer_activity_results(trainer: Trainer) -> list[ActivityResults]:
    """The survey's results of each activity ``trainer`` gave, newest first (two queries)."""
    activities = list(trainer.activities.order_by("-created_at", "-id"))
    grouped = (
        FeedbackResponse.objects.filter(activity__in=[a.pk for a in activities])
        .values("activity")
        .annotate(**_aggregates())
        .order_by()
    )
    rows = {row["activity"]: row for row in cast(Iterable[dict[str, Any]], grouped)}
    return [
        ActivityResults(
            activity=activity,
            responses=rows[activity.pk]["responses"],
            ratings=_ratings(rows[activity.pk]),
        )
        for activity in activities
        if activity.pk in rows
    ]


__all__ = [
    "FeedbackError",
    "FeedbackSummary",
    "due_invitations",
    "feedback_summary",
    "invite_due",
    "submit_feedback",
    "survey_problem",
    "trainer_activity_results",
]
