"""The support desk's API.

- ``GET /support/queues`` (public): the active queues and their categories, for a form that
  sends requests elsewhere.
- ``GET /support/requests`` (``helpdesk.view_requests``): the requests of the queues the user
  works in (center admins: all), newest first; filters ``queue`` (slug), ``status``,
  ``assignee=me``, ``updated_since``, ``q`` (as the inbox's search). Spam and merged
  requests are left out.
- ``GET /support/requests/{code}``: one request with its messages (the text without the quoted
  history, never the HTML), the internal notes and the attachments' metadata.
- ``POST /support/requests/{code}/notes`` and ``…/replies``: an internal note, an answer (``wait``
  asks the requester something, ``resolve`` resolves with it), through ``services``.

Least privilege: a request of a queue the user does not work in answers 404, as if it did not
exist. The list never carries e-mail addresses; the detail (open only to the queue's agents, who
answer the requester) does.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from kaynak.accounts.api_auth import token_or_session
from kaynak.core.pagination import PageNumber
from kaynak.core.permissions import can, require
from kaynak.helpdesk import queries, services
from kaynak.helpdesk.models import (
    Attachment,
    CannedReply,
    Category,
    Queue,
    Request,
    RequestStatus,
)

router = Router(tags=["support desk"])


# Schemas ----------------------------------------------------------------------------------------


class CategoryOut(Schema):
    slug: str
    name: str


class QueueOut(Schema):
    slug: str
    name: str
    kind: str
    categories: list[CategoryOut]


class OrganisationRef(Schema):
    id: int
    name: str


class RequestOut(Schema):
    code: str
    subject: str
    status: str
    priority: str
    queue: str = Field(description="The queue's slug")
    category: str | None = Field(description="The category's slug")
    channel: str
    organisation: OrganisationRef | None
    requester_name: str
    assignee: str | None = Field(description="The assignee's name")
    created_at: dt.datetime
    updated_at: dt.datetime
    first_response_at: dt.datetime | None
    resolved_at: dt.datetime | None
    first_response_due: dt.datetime | None
    resolution_due: dt.datetime | None
    first_response_breached: bool
    resolution_breached: bool


class RequestPage(Schema):
    items: list[RequestOut]
    count: int
    page: int
    pages: int
    page_size: int


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int


class MessageOut(Schema):
    direction: str = Field(description="in: from the requester; out: to the requester")
    author: str | None = Field(description="The agent who wrote it")
    via: str
    body: str = Field(description="Plain text, the quoted history taken out")
    automatic: bool
    sent_at: dt.datetime
    attachments: list[AttachmentOut]


class NoteOut(Schema):
    author: str | None
    body: str
    created_at: dt.datetime
    attachments: list[AttachmentOut]


class RequestDetailOut(RequestOut):
    requester_email: str
    messages: list[MessageOut]
    notes: list[NoteOut]


class RequestFilterIn(Schema):
    queue: str = Field("", description="Queue slug")
    status: str = Field("", description="new, open, waiting, resolved or closed")
    assignee: str = Field("", description="me: the requests assigned to you")
    updated_since: dt.datetime | None = Field(None, description="ISO 8601 instant")
    q: str = Field(
        "",
        description=(
            "Words in the code, subject, requester's name or e-mail, or organisation "
            "(Turkish-folded: ISTANBUL finds İstanbul)"
        ),
    )


class NoteIn(Schema):
    body: str
    mentions: list[int] = Field(default_factory=list, description="User ids of colleagues")


class ReplyIn(Schema):
    body: str = ""
    canned: int | None = Field(None, description="A canned reply's id; its text comes first")
    wait: bool = Field(False, description="Ask the requester: the SLA clocks stop")
    resolve: bool = Field(False, description="Resolve the request with this answer")


# Reads ------------------------------------------------------------------------------------------


def _name(user: Any) -> str | None:
    return None if user is None else str(user.get_full_name())


def _queues_for(user: Any) -> list[Queue]:
    return [queue for queue in Queue.objects.all() if can(user, "helpdesk.view_requests", queue)]


def _requests_for(user: Any) -> QuerySet[Request]:
    return Request.objects.filter(
        queue__in=_queues_for(user), is_spam=False, merged_into__isnull=True
    ).select_related("queue", "category", "organisation", "assignee")


def _out(request: Request) -> dict[str, Any]:
    organisation = request.organisation
    return {
        "code": request.token,
        "subject": request.subject,
        "status": request.status,
        "priority": request.priority,
        "queue": request.queue.slug,
        "category": request.category.slug if request.category else None,
        "channel": request.channel,
        "organisation": {"id": organisation.pk, "name": organisation.name}
        if organisation
        else None,
        "requester_name": request.requester_name,
        "assignee": _name(request.assignee),
        "created_at": request.created_at,
        "updated_at": request.updated_at,
        "first_response_at": request.first_response_at,
        "resolved_at": request.resolved_at,
        "first_response_due": request.first_response_due,
        "resolution_due": request.resolution_due,
        "first_response_breached": request.first_response_breached_at is not None,
        "resolution_breached": request.resolution_breached_at is not None,
    }


def _attachments(items: Any) -> list[dict[str, Any]]:
    return [
        {"id": a.pk, "name": a.name, "content_type": a.content_type, "size": a.size}
        for a in items.all()
    ]


def _detail(request: Request) -> dict[str, Any]:
    messages = request.messages.select_related("author").prefetch_related(
        Prefetch("attachments", queryset=Attachment.objects.order_by("pk"))
    )
    notes = request.notes.select_related("author").prefetch_related("attachments")
    return {
        **_out(request),
        "requester_email": request.requester_email,
        "messages": [
            {
                "direction": m.direction,
                "author": _name(m.author),
                "via": m.via,
                "body": m.body,
                "automatic": m.is_automatic,
                "sent_at": m.sent_at,
                "attachments": _attachments(m.attachments),
            }
            for m in messages.order_by("sent_at", "pk")
        ],
        "notes": [
            {
                "author": _name(n.author),
                "body": n.body,
                "created_at": n.created_at,
                "attachments": _attachments(n.attachments),
            }
            for n in notes.order_by("created_at", "pk")
        ],
    }


def _request_or_404(user: Any, code: str, action: str = "helpdesk.view_requests") -> Request:
    found = _requests_for(user).filter(token=code.upper()).first()
    if found is None or not can(user, action, found):
        raise Http404
    return found


# Endpoints --------------------------------------------------------------------------------------


@router.get("/support/queues", response=list[QueueOut], auth=None, summary="Active queues")
def queue_list(request: HttpRequest) -> list[dict[str, Any]]:
    queues = Queue.objects.filter(is_active=True).prefetch_related(
        Prefetch("categories", queryset=Category.objects.order_by("position", "pk"))
    )
    return [
        {
            "slug": q.slug,
            "name": q.label,
            "kind": q.kind,
            "categories": [{"slug": c.slug, "name": c.label} for c in q.categories.all()],
        }
        for q in queues.order_by("position", "pk")
    ]


@router.get(
    "/support/requests",
    response=RequestPage,
    auth=token_or_session,
    summary="Requests of the queues you work in (support agents)",
)
def request_list(
    request: HttpRequest,
    filters: Query[RequestFilterIn],
    pagination: Query[PageNumber.Input],
) -> dict[str, Any]:
    require(request.user, "helpdesk.view_requests")
    found = _filtered(_requests_for(request.user), filters, request.user)
    page: dict[str, Any] = PageNumber().paginate_queryset(
        found.order_by("-created_at", "-pk"), pagination, request
    )
    page["items"] = [_out(item) for item in page["items"]]
    return page


def _filtered(found: QuerySet[Request], filters: RequestFilterIn, user: Any) -> QuerySet[Request]:
    if filters.queue:
        found = found.filter(queue__slug=filters.queue)
    if filters.status:
        if filters.status not in RequestStatus.values:
            raise HttpError(400, _("Unknown status %(status)s.") % {"status": filters.status})
        found = found.filter(status=filters.status)
    if filters.assignee == "me":
        found = found.filter(assignee=user)
    if filters.updated_since is not None:
        found = found.filter(updated_at__gte=filters.updated_since)
    # The inbox's search: subject, code, requester and organisation, Turkish-folded.
    return queries.text_matches(found, filters.q)


@router.get(
    "/support/requests/{code}",
    response=RequestDetailOut,
    auth=token_or_session,
    summary="One request with its messages and notes (agents of its queue)",
)
def request_detail(request: HttpRequest, code: str) -> dict[str, Any]:
    return _detail(_request_or_404(request.user, code))


@router.post(
    "/support/requests/{code}/notes",
    response={201: RequestDetailOut},
    auth=token_or_session,
    summary="Add an internal note (agents of the request's queue)",
)
def note_create(request: HttpRequest, code: str, note: NoteIn) -> Status[dict[str, Any]]:
    found = _request_or_404(request.user, code, "helpdesk.answer_requests")
    mentioned = list(get_user_model().objects.filter(pk__in=note.mentions).order_by("pk"))
    services.add_note(request=found, actor=request.user, body=note.body, mentions=mentioned)
    return Status(201, _detail(found))


@router.post(
    "/support/requests/{code}/replies",
    response={201: RequestDetailOut},
    auth=token_or_session,
    summary="Answer the requester (agents of the request's queue)",
)
def reply_create(request: HttpRequest, code: str, answer: ReplyIn) -> Status[dict[str, Any]]:
    found = _request_or_404(request.user, code, "helpdesk.answer_requests")
    canned = None
    if answer.canned is not None:
        canned = CannedReply.objects.filter(
            Q(queue=found.queue) | Q(queue__isnull=True), pk=answer.canned, is_active=True
        ).first()
        if canned is None:
            raise Http404
    services.reply(
        request=found,
        actor=request.user,
        body=answer.body,
        canned=canned,
        wait=answer.wait,
        resolve=answer.resolve,
    )
    return Status(201, _detail(found))
