"""Named reads of calls: what the public sees (open, upcoming, recently closed calls; one
published call), what staff see (every call with its application counts), and a call's form.
Other apps and the API use these too."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language

from kaynak.calls.models import DECISIONS, ApplicationStatus, Call, CallStatus, Question
from kaynak.core.db import turkish_order
from kaynak.core.models import ApplicantType, Province

# How long a closed call stays on the public list.
RECENTLY_CLOSED_DAYS = 90


def _public() -> QuerySet[Call]:
    return (
        Call.objects.filter(status=CallStatus.PUBLISHED)
        .select_related("programme")
        .prefetch_related(
            Prefetch("applicant_types", queryset=ApplicantType.objects.order_by("position")),
            Prefetch("provinces", queryset=Province.objects.order_by(turkish_order("name"))),
        )
    )


def open_calls(now: dt.datetime | None = None) -> QuerySet[Call]:
    """Published calls taking applications now, the nearest deadline first."""
    now = now or timezone.now()
    return _public().filter(opens_at__lte=now, closes_at__gt=now).order_by("closes_at", "pk")


def upcoming_calls(now: dt.datetime | None = None) -> QuerySet[Call]:
    """Published calls that have not opened yet, the soonest first."""
    now = now or timezone.now()
    return _public().filter(opens_at__gt=now).order_by("opens_at", "pk")


def recently_closed_calls(now: dt.datetime | None = None) -> QuerySet[Call]:
    """Published calls whose deadline passed in the last ``RECENTLY_CLOSED_DAYS`` days."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=RECENTLY_CLOSED_DAYS)
    return _public().filter(closes_at__lte=now, closes_at__gt=since).order_by("-closes_at", "pk")


@dataclass(frozen=True)
class PublicCalls:
    open: list[Call]
    upcoming: list[Call]
    closed: list[Call]


def public_calls(now: dt.datetime | None = None) -> PublicCalls:
    """The public list: open calls first, then upcoming, then recently closed."""
    now = now or timezone.now()
    return PublicCalls(
        open=list(open_calls(now)),
        upcoming=list(upcoming_calls(now)),
        closed=list(recently_closed_calls(now)),
    )


def published_calls(
    *, open_only: bool = False, programme: str = "", now: dt.datetime | None = None
) -> QuerySet[Call]:
    """Published calls (``open_only``: taking applications now), optionally of one programme
    (its slug), the latest deadline first."""
    now = now or timezone.now()
    calls = _public()
    if open_only:
        calls = calls.filter(opens_at__lte=now, closes_at__gt=now)
    if programme:
        calls = calls.filter(programme__slug=programme)
    return calls.order_by("-closes_at", "pk")


def form_questions(call: Call) -> QuerySet[Question]:
    """A call's questions in the order applicants see them, with the question each depends on."""
    return call.questions.select_related("show_if").order_by("position", "pk")


def call_for_public(slug: str) -> Call:
    """A published call by its address; ``Call.DoesNotExist`` for drafts and unknown ones."""
    return _public().get(slug=slug)


def call_for_staff(slug: str) -> Call:
    """Any call by its address, with what its staff page shows."""
    return (
        Call.objects.select_related("programme")
        .prefetch_related("applicant_types", "provinces")
        .get(slug=slug)
    )


def staff_calls() -> QuerySet[Call]:
    """Every call with its programme and application counts (drafts, submitted, decided), the
    latest deadline first: one query."""
    return (
        Call.objects.select_related("programme")
        .annotate(
            drafts=Count("applications", filter=Q(applications__status=ApplicationStatus.DRAFT)),
            submitted=Count(
                "applications", filter=Q(applications__status=ApplicationStatus.SUBMITTED)
            ),
            decided=Count("applications", filter=Q(applications__status__in=DECISIONS)),
        )
        .order_by("-closes_at", "pk")
    )


def option_text(option: dict[str, str]) -> str:
    """An option's label in the active language (the Turkish one when there is no English)."""
    english = (get_language() or "tr").startswith("en")
    return (option.get("en") or option["tr"]) if english else option["tr"]


@dataclass(frozen=True)
class ShownQuestion:
    """A question as an applicant reads it: its text, help and options in their language, and
    the condition under which it is asked."""

    question: Question
    options: list[str]
    condition: str
    condition_answers: list[str]


def questions_as_shown(call: Call) -> list[ShownQuestion]:
    """The call's form as applicants see it (the preview, the public page, the API)."""
    shown: list[ShownQuestion] = []
    for question in form_questions(call):
        condition = question.show_if
        answers: list[str] = []
        if condition is not None:
            by_key = {option["key"]: option_text(option) for option in condition.options}
            answers = [by_key.get(value, value) for value in question.show_if_values]
        shown.append(
            ShownQuestion(
                question=question,
                options=[option_text(option) for option in question.options],
                condition=condition.text if condition is not None else "",
                condition_answers=answers,
            )
        )
    return shown
