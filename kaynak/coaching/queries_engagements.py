"""Named reads of coaching engagements, rounds, plans and sessions; the viewer is passed where
what they may see depends on it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.http import Http404

from kaynak.accounts.models import Role, User
from kaynak.coaching.models import (
    Action,
    ActionStatus,
    Assessment,
    CoachingRound,
    CoachingSession,
    Engagement,
)
from kaynak.core.db import turkish_order
from kaynak.core.permissions import can
from kaynak.core.text import search_key
from kaynak.directory.models import Organisation
from kaynak.directory.queries import organisations_administered_by


@dataclass(frozen=True)
class EngagementFilters:
    round: CoachingRound | None = None
    status: str = ""
    coach: User | None = None


def _count(model: Any, **where: Any) -> Any:
    rows = (
        model.objects.filter(engagement=OuterRef("pk"), **where)
        .order_by()
        .values("engagement")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def with_figures(queryset: QuerySet[Engagement]) -> QuerySet[Engagement]:
    """Engagements annotated with their plan counts, sessions and minutes (one query)."""
    minutes = (
        CoachingSession.objects.filter(engagement=OuterRef("pk"))
        .order_by()
        .values("engagement")
        .annotate(m=Sum("minutes"))
        .values("m")
    )
    return queryset.annotate(
        actions_total=_count(Action),
        actions_done=_count(Action, status=ActionStatus.DONE),
        actions_dropped=_count(Action, status=ActionStatus.DROPPED),
        session_count=_count(CoachingSession),
        session_minutes=Coalesce(Subquery(minutes, output_field=IntegerField()), 0),
    )


def _for_lists(queryset: QuerySet[Engagement]) -> QuerySet[Engagement]:
    return with_figures(
        queryset.select_related("organisation", "organisation__province", "coach", "round")
    ).order_by("-starts_on", turkish_order("organisation__name"), "pk")


def visible_engagements(viewer: Any) -> QuerySet[Engagement]:
    """What ``viewer`` may see of the engagements: staff all, a coach theirs, an NGO admin
    their organisations'."""
    if not viewer.is_authenticated:
        return Engagement.objects.none()
    if can(viewer, "coaching.export"):
        return Engagement.objects.all()
    return Engagement.objects.filter(
        Q(coach=viewer) | Q(organisation__in=organisations_administered_by(viewer).values("pk"))
    )


def staff_engagements(viewer: Any, filters: EngagementFilters) -> QuerySet[Engagement]:
    """The staff list: every engagement (a coach: only theirs), filtered."""
    queryset = Engagement.objects.all()
    if not can(viewer, "coaching.export"):
        queryset = queryset.filter(coach=viewer)
    if filters.round is not None:
        queryset = queryset.filter(round=filters.round)
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.coach is not None:
        queryset = queryset.filter(coach=filters.coach)
    return _for_lists(queryset)


def my_engagements(viewer: Any) -> QuerySet[Engagement]:
    """A coach's engagements, or an NGO admin's organisations' engagements."""
    if not viewer.is_authenticated:
        return Engagement.objects.none()
    return _for_lists(
        Engagement.objects.filter(
            Q(coach=viewer) | Q(organisation__in=organisations_administered_by(viewer).values("pk"))
        )
    )


def engagement_for_user(viewer: Any, code: str) -> Engagement:
    """The engagement, or 404 when it does not exist or ``viewer`` may not see it."""
    engagement = (
        Engagement.objects.select_related(
            "organisation", "organisation__province", "coach", "round", "instrument"
        )
        .filter(code=code)
        .first()
    )
    if engagement is None or not can(viewer, "coaching.view_engagement", engagement):
        raise Http404
    return engagement


def plan_of(engagement: Engagement) -> QuerySet[Action]:
    """The engagement's actions, by dimension then position."""
    return engagement.actions.select_related("dimension").order_by(
        "dimension__position", "position", "pk"
    )


def sessions_of(engagement: Engagement) -> QuerySet[CoachingSession]:
    """The engagement's sessions, latest first, with their participants."""
    return engagement.sessions.prefetch_related("participants").order_by("-starts_at", "-pk")


def assessments_of(engagement: Engagement) -> QuerySet[Assessment]:
    """The engagement's assessments (drafts too), newest first."""
    return engagement.assessments.select_related("instrument").order_by("-created_at", "-pk")


def rounds() -> QuerySet[CoachingRound]:
    """Every coaching round, newest first, with its engagement count."""
    return CoachingRound.objects.select_related("programme", "call", "instrument").annotate(
        engagement_count=Count("engagements")
    )


def coaches() -> QuerySet[User]:
    """Accounts that may coach: outside coaches and the center's staff (not outside reviewers),
    alphabetically."""
    roles = [role.value for role in Role if role != Role.REVIEWER]
    return (
        User.objects.filter(is_active=True, role_assignments__role__in=roles)
        .distinct()
        .order_by(turkish_order("full_name"), "pk")
    )


def organisations_matching(q: str, limit: int = 50) -> list[Organisation]:
    """Organisations whose name (or province) has every word of ``q``, alphabetically."""
    words = search_key(q).split()
    if not words:
        return []
    queryset = Organisation.objects.select_related("province")
    for word in words:
        queryset = queryset.filter(
            Q(search_text__contains=word) | Q(province__search_text__startswith=word)
        )
    return list(queryset.order_by(turkish_order("name"), "pk")[:limit])


def organisation_engagements(organisation: Organisation) -> QuerySet[Engagement]:
    """An organisation's engagements (for its page), newest first."""
    return organisation.coaching_engagements.select_related("coach", "round").order_by(
        "-starts_on", "-pk"
    )


def organisation_assessments(organisation: Organisation) -> QuerySet[Assessment]:
    """An organisation's assessments (for its page), newest first."""
    return organisation.capacity_assessments.select_related("instrument", "engagement").order_by(
        "-created_at", "-pk"
    )


def engagements_with_sessions(engagements: QuerySet[Engagement]) -> QuerySet[Engagement]:
    """With the plan and sessions prefetched (for exports and the API)."""
    return engagements.prefetch_related(
        Prefetch("actions", queryset=Action.objects.select_related("dimension")),
        "sessions",
    )
