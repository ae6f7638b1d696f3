"""Capacity assessments over the API: a list (staff who see every assessment: all of them; a
coach: those of their engagements; a member: those of the organisations they act for) with
filters, and one assessment with its dimension scores and answers (evidence included).

What the caller may not see answers 404, never 403, in the house error format.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from kaynak.accounts.api_auth import token_or_session
from kaynak.coaching import assessing, scores
from kaynak.coaching.models import Assessment, AssessmentKind, AssessmentStage, AssessmentStatus
from kaynak.core.pagination import PageNumber

router = Router(tags=["assessments"])


class AssessmentOut(Schema):
    id: int
    organisation_id: int
    organisation: str
    instrument: str = Field(description="The instrument's slug")
    instrument_version: int
    engagement: str | None = Field(description="The coaching engagement's reference")
    kind: AssessmentKind
    stage: AssessmentStage
    status: AssessmentStatus
    created_at: dt.datetime
    completed_at: dt.datetime | None
    overall: Decimal | None = Field(
        description="Mean of the dimension scores (1–4); completed only"
    )


class DimensionScoreOut(Schema):
    key: str
    name: str
    score: Decimal | None = Field(
        description="Mean of the dimension's answered questions (1–4); a draft's so far"
    )


class AnswerOut(Schema):
    dimension: str = Field(description="The dimension's key")
    question: str = Field(description="The question's key")
    text: str
    score: int | None
    evidence: str


class AssessmentDetailOut(AssessmentOut):
    dimensions: list[DimensionScoreOut]
    answers: list[AnswerOut]


class AssessmentPage(PageNumber.Output):
    items: list[AssessmentOut]


class AssessmentFilterIn(Schema):
    organisation: int | None = Field(None, description="An organisation's id")
    status: AssessmentStatus | None = None


def _summary(assessment: Assessment) -> dict[str, Any]:
    return {
        "id": assessment.pk,
        "organisation_id": assessment.organisation_id,
        "organisation": assessment.organisation.name,
        "instrument": assessment.instrument.slug,
        "instrument_version": assessment.instrument.version,
        "engagement": assessment.engagement.code if assessment.engagement else None,
        "kind": assessment.kind,
        "stage": assessment.stage,
        "status": assessment.status,
        "created_at": assessment.created_at,
        "completed_at": assessment.completed_at,
        "overall": assessment.overall,
    }


@router.get(
    "/assessments",
    response=AssessmentPage,
    auth=token_or_session,
    summary="Capacity assessments the caller may see (all of them for staff)",
)
def assessment_list(
    request: HttpRequest,
    filters: Query[AssessmentFilterIn],
    pagination: Query[PageNumber.Input],
) -> dict[str, Any]:
    assessments = assessing.assessments_for_user(request.user)
    if filters.organisation is not None:
        assessments = assessments.filter(organisation_id=filters.organisation)
    if filters.status:
        assessments = assessments.filter(status=filters.status)
    assessments = assessments.order_by("-created_at", "-pk")
    page: dict[str, Any] = PageNumber().paginate_queryset(assessments, pagination, request)
    page["items"] = [_summary(a) for a in page["items"]]
    return page


@router.get(
    "/assessments/{assessment_id}",
    response=AssessmentDetailOut,
    auth=token_or_session,
    summary="One capacity assessment with its dimension scores and answers",
)
def assessment_detail(request: HttpRequest, assessment_id: int) -> dict[str, Any]:
    assessment = assessing.assessment_for_display(assessment_id)
    if assessment is None or not assessing.may_view(request.user, assessment):
        raise Http404
    by_key = (
        scores.stored_scores(assessment)
        if assessment.is_completed
        else scores.dimension_scores(assessment)
    )
    answers = {a.indicator_id: a for a in assessment.answers.all()}
    return {
        **_summary(assessment),
        "dimensions": [
            {"key": d.key, "name": scores.dimension_name(d), "score": by_key.get(d.key)}
            for d in scores.dimensions_of(assessment)
        ],
        "answers": [
            {
                "dimension": d.key,
                "question": i.key,
                "text": scores.indicator_text(i),
                "score": answers[i.pk].score if i.pk in answers else None,
                "evidence": answers[i.pk].evidence if i.pk in answers else "",
            }
            for d in scores.dimensions_of(assessment)
            for i in d.indicators.all()
        ],
    }
