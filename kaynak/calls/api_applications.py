"""Applications over the API: the caller's own (members), every one (staff who may view
applications; filter by call and status), and one by its reference (its owner, staff, or a
reviewer assigned to it — without names when the call's review is blind).

Another person's application answers 404, never 403, in the house error format.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from kaynak.accounts.api_auth import token_or_session
from kaynak.calls.models import DECISIONS, Application, ApplicationStatus
from kaynak.core.pagination import PageNumber
from kaynak.core.permissions import can

router = Router(tags=["applications"])


class PersonNamedOut(Schema):
    full_name: str
    email: str
    role: str


class FileOut(Schema):
    question: str = Field(description="The file question's key")
    name: str
    content_type: str
    size: int


class ApplicationOut(Schema):
    code: str
    call: str = Field(description="The call's slug")
    status: ApplicationStatus
    organisation: str | None = Field(description="Empty when the call's review is blind")
    organisation_id: int | None
    applicant: str | None = Field(description="Empty when the call's review is blind")
    language: str
    created_at: dt.datetime
    submitted_at: dt.datetime | None
    withdrawn_at: dt.datetime | None
    decided_at: dt.datetime | None


class ApplicationDetailOut(ApplicationOut):
    answers: dict[str, Any] = Field(description="By question key, as stored")
    people: list[PersonNamedOut]
    files: list[FileOut]
    decision_reason: str


class ApplicationPage(PageNumber.Output):
    items: list[ApplicationOut]


class ApplicationFilterIn(Schema):
    call: str | None = Field(None, description="A call's slug")
    status: ApplicationStatus | None = None


def _blind_for(request: HttpRequest, application: Application) -> bool:
    """A reviewer of a blind call sees no names (the owner and staff always do)."""
    return (
        application.call.blind_review
        and application.user_id != request.user.pk
        and not can(request.user, "calls.view_applications")
    )


def _summary(application: Application, *, blind: bool, staff: bool) -> dict[str, Any]:
    return {
        "code": application.code,
        "call": application.call.slug,
        # The applicant sees a decision only once they were told it by e-mail.
        "status": application.status if staff else application.public_status,
        "organisation": None
        if blind or application.organisation is None
        else application.organisation.name,
        "organisation_id": None if blind else application.organisation_id,
        "applicant": None if blind else application.person.full_name,
        "language": application.language,
        "created_at": application.created_at,
        "submitted_at": application.submitted_at,
        "withdrawn_at": application.withdrawn_at,
        "decided_at": application.decided_at
        if staff or application.public_status == application.status
        else None,
    }


def applications_for_api(user: Any, filters: ApplicationFilterIn) -> QuerySet[Application]:
    """Everything for staff who may view applications, else the caller's own."""
    applications = Application.objects.select_related("call", "organisation", "person")
    staff = can(user, "calls.view_applications")
    if not staff:
        applications = applications.filter(user=user)
    if filters.call:
        applications = applications.filter(call__slug=filters.call)
    if filters.status and staff:
        applications = applications.filter(status=filters.status)
    elif filters.status == ApplicationStatus.SUBMITTED:
        applications = applications.filter(
            Q(status=ApplicationStatus.SUBMITTED)
            | Q(status__in=DECISIONS, notified_at__isnull=True)
        )
    elif filters.status in DECISIONS:
        applications = applications.filter(status=filters.status, notified_at__isnull=False)
    elif filters.status:
        applications = applications.filter(status=filters.status)
    return applications.order_by("-created_at", "-pk")


@router.get(
    "/applications",
    response=ApplicationPage,
    auth=token_or_session,
    summary="Applications: the caller's own, or every one for staff who may view them",
)
def application_list(
    request: HttpRequest,
    filters: Query[ApplicationFilterIn],
    pagination: Query[PageNumber.Input],
) -> dict[str, Any]:
    applications = applications_for_api(request.user, filters)
    page: dict[str, Any] = PageNumber().paginate_queryset(applications, pagination, request)
    staff = can(request.user, "calls.view_applications")
    page["items"] = [_summary(a, blind=False, staff=staff) for a in page["items"]]
    return page


@router.get(
    "/applications/{code}",
    response=ApplicationDetailOut,
    auth=token_or_session,
    summary="One application with its answers, people named and files",
)
def application_detail(request: HttpRequest, code: str) -> dict[str, Any]:
    application = (
        Application.objects.select_related("call", "organisation", "person")
        .filter(code=code)
        .first()
    )
    if application is None or not can(request.user, "calls.view_application", application):
        raise Http404
    blind = _blind_for(request, application)
    return {
        **_summary(application, blind=blind, staff=can(request.user, "calls.view_applications")),
        "answers": application.answers,
        "people": []
        if blind
        else [
            {"full_name": p.full_name, "email": p.email, "role": p.role}
            for p in application.people.order_by("position", "pk")
        ],
        "files": [
            {
                "question": f.question_key,
                "name": f.original_name,
                "content_type": f.content_type,
                "size": f.size,
            }
            for f in application.files.order_by("question_key")
        ],
        "decision_reason": application.decision_reason,
    }
