"""Coaching engagements over the API: staff see all (filter by status and round), a coach
theirs, an NGO admin their organisations'. One engagement by its reference with its plan,
sessions (the coach's notes only for those who may read them), score change and plan progress.

Another organisation's engagement answers 404, never 403, in the house error format.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from kaynak.accounts.api_auth import token_or_session
from kaynak.coaching import outcomes
from kaynak.coaching import queries_engagements as queries
from kaynak.coaching.models import ActionStatus, Engagement, EngagementStatus, SessionMode
from kaynak.coaching.scores import dimension_name
from kaynak.core.pagination import PageNumber
from kaynak.core.permissions import can

router = Router(tags=["engagements"])


class ProgressOut(Schema):
    total: int
    done: int
    dropped: int
    share_done: Decimal | None = Field(description="Done, % of the actions not dropped")


class EngagementOut(Schema):
    code: str
    organisation: str
    organisation_id: int
    round: str | None = Field(description="The coaching round's slug")
    coach: str | None
    starts_on: dt.date
    ends_on: dt.date
    status: EngagementStatus
    plan_progress: ProgressOut
    sessions: int
    hours: Decimal


class ActionOut(Schema):
    dimension: str = Field(description="The dimension's key")
    dimension_name: str
    title: str
    owner: str
    due_on: dt.date | None
    status: ActionStatus
    done_on: dt.date | None


class SessionOut(Schema):
    starts_at: dt.datetime
    minutes: int
    mode: SessionMode
    participants: list[str]
    shared_notes: str
    follow_ups: str
    coach_notes: str | None = Field(description="Only for the coach and the center's staff")


class ChangeOut(Schema):
    dimension: str
    name: str
    baseline: Decimal | None
    final: Decimal | None
    change: Decimal | None


class EngagementDetailOut(EngagementOut):
    goals: str
    closing_note: str
    plan: list[ActionOut]
    session_list: list[SessionOut]
    score_change: list[ChangeOut]


class EngagementPage(PageNumber.Output):
    items: list[EngagementOut]


class EngagementFilterIn(Schema):
    status: EngagementStatus | None = None
    round: str | None = Field(None, description="A coaching round's slug")


def _summary(engagement: Engagement) -> dict[str, Any]:
    progress = outcomes.progress_from_counts(
        engagement.actions_total,  # type: ignore[attr-defined]
        engagement.actions_done,  # type: ignore[attr-defined]
        engagement.actions_dropped,  # type: ignore[attr-defined]
    )
    coach = engagement.coach
    return {
        "code": engagement.code,
        "organisation": engagement.organisation.name,
        "organisation_id": engagement.organisation_id,
        "round": engagement.round.slug if engagement.round else None,
        "coach": (coach.full_name or coach.email) if coach else None,
        "starts_on": engagement.starts_on,
        "ends_on": engagement.ends_on,
        "status": engagement.status,
        "plan_progress": asdict(progress),
        "sessions": engagement.session_count,  # type: ignore[attr-defined]
        "hours": (Decimal(engagement.session_minutes) / 60).quantize(  # type: ignore[attr-defined]
            Decimal("0.01")
        ),
    }


@router.get(
    "/engagements",
    response=EngagementPage,
    auth=token_or_session,
    summary="Coaching engagements: all for staff, a coach's own, an NGO admin's organisations'",
)
def engagement_list(
    request: HttpRequest,
    filters: Query[EngagementFilterIn],
    pagination: Query[PageNumber.Input],
) -> dict[str, Any]:
    engagements = queries.visible_engagements(request.user)
    if filters.status:
        engagements = engagements.filter(status=filters.status)
    if filters.round:
        engagements = engagements.filter(round__slug=filters.round)
    engagements = queries.with_figures(
        engagements.select_related("organisation", "coach", "round")
    ).order_by("-starts_on", "-pk")
    page: dict[str, Any] = PageNumber().paginate_queryset(engagements, pagination, request)
    page["items"] = [_summary(e) for e in page["items"]]
    return page


@router.get(
    "/engagements/{code}",
    response=EngagementDetailOut,
    auth=token_or_session,
    summary="One coaching engagement with its plan, sessions and score change",
)
def engagement_detail(request: HttpRequest, code: str) -> dict[str, Any]:
    queries.engagement_for_user(request.user, code)  # 404 when not theirs
    engagement = queries.with_figures(
        Engagement.objects.select_related("organisation", "coach", "round").filter(code=code)
    ).get()
    coach_notes = can(request.user, "coaching.view_coach_notes", engagement)
    return {
        **_summary(engagement),
        "goals": engagement.goals,
        "closing_note": engagement.closing_note,
        "plan": [
            {
                "dimension": a.dimension.key,
                "dimension_name": dimension_name(a.dimension),
                "title": a.title,
                "owner": a.owner,
                "due_on": a.due_on,
                "status": a.status,
                "done_on": a.done_on,
            }
            for a in queries.plan_of(engagement)
        ],
        "session_list": [
            {
                "starts_at": s.starts_at,
                "minutes": s.minutes,
                "mode": s.mode,
                "participants": [p.full_name for p in s.participants.all()],
                "shared_notes": s.shared_notes,
                "follow_ups": s.follow_ups,
                "coach_notes": s.coach_notes if coach_notes else None,
            }
            for s in queries.sessions_of(engagement)
        ],
        "score_change": [
            {
                "dimension": c.key,
                "name": c.name,
                "baseline": c.before,
                "final": c.after,
                "change": c.change,
            }
            for c in outcomes.engagement_change(engagement)
        ],
    }
