"""Named reads of the support desk for the agents' pages: the inbox and its counts, one
request with its timeline, the people and canned replies of a queue, the quarantine list.

Visibility: an agent sees the requests of the queues they work in; a center admin sees all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, Count, DateTimeField, F, Prefetch, Q, QuerySet, When
from django.http import Http404
from django.utils import timezone

from kaynak.accounts.models import User
from kaynak.core.audit import history_for
from kaynak.core.models import AuditEntry
from kaynak.core.permissions import can
from kaynak.core.text import search_key
from kaynak.helpdesk import sla
from kaynak.helpdesk.models import (
    Attachment,
    CannedReply,
    Category,
    InternalNote,
    Message,
    Queue,
    RawMail,
    RawMailStatus,
    Request,
    RequestStatus,
)

# The audit action a discarded quarantined mail gets: the mail stays, the list forgets it.
RAWMAIL_DISCARDED = "kaynak.helpdesk.rawmail.discarded"

QUARANTINE_STATUSES = (
    RawMailStatus.QUARANTINED,
    RawMailStatus.IGNORED_AUTO,
    RawMailStatus.IGNORED_LOOP,
    RawMailStatus.IGNORED_SPAM,
)


class SlaState:
    BREACHED = "breached"
    WARNED = "warned"
    OK = "ok"


def is_center_admin(user: Any) -> bool:
    return can(user, "helpdesk.manage_queues")


def queues_for(user: Any) -> QuerySet[Queue]:
    """The queues ``user`` works in (a center admin: every queue)."""
    queues = Queue.objects.order_by("position", "pk")
    return queues if is_center_admin(user) else queues.filter(agents=user)


def visible_requests(user: Any) -> QuerySet[Request]:
    """Every request of the queues ``user`` works in."""
    requests = Request.objects.all()
    if not is_center_admin(user):
        requests = requests.filter(queue__in=Queue.objects.filter(agents=user).values("pk"))
    return requests


def with_next_due(requests: QuerySet[Request]) -> QuerySet[Request]:
    """``next_due``: the first-response due until the first answer, then the resolution due;
    none for finished or waiting requests (their clocks stand still)."""
    return requests.annotate(
        next_due=Case(
            When(~Q(status__in=(RequestStatus.NEW, RequestStatus.OPEN)), then=None),
            When(first_response_at__isnull=True, then=F("first_response_due")),
            default=F("resolution_due"),
            output_field=DateTimeField(),
        )
    )


def _breached(now: dt.datetime) -> Q:
    running = Q(status__in=(RequestStatus.NEW, RequestStatus.OPEN))
    return running & (
        Q(next_due__lte=now)
        | Q(first_response_at__isnull=True, first_response_breached_at__isnull=False)
        | Q(resolution_breached_at__isnull=False)
    )


def _warned(now: dt.datetime) -> Q:
    running = Q(status__in=(RequestStatus.NEW, RequestStatus.OPEN))
    return (
        running
        & ~_breached(now)
        & (
            Q(first_response_at__isnull=True, first_response_warned_at__isnull=False)
            | Q(first_response_at__isnull=False, resolution_warned_at__isnull=False)
        )
    )


def sla_state(request: Request, now: dt.datetime | None = None) -> str:
    """The request's SLA state as the inbox filter reads it (``next_due`` annotated or not)."""
    now = now or timezone.now()
    if request.status not in (RequestStatus.NEW, RequestStatus.OPEN):
        return SlaState.OK
    answered = request.first_response_at is not None
    due = request.resolution_due if answered else request.first_response_due
    if (
        (due is not None and due <= now)
        or request.resolution_breached_at is not None
        or (not answered and request.first_response_breached_at is not None)
    ):
        return SlaState.BREACHED
    warned = request.resolution_warned_at if answered else request.first_response_warned_at
    return SlaState.WARNED if warned is not None else SlaState.OK


@dataclass(frozen=True)
class InboxFilters:
    """What the inbox is narrowed to; an empty value does not filter. ``status`` "" means the
    default view: unfinished, not spam, not merged; "all" shows everything. ``assignee`` is
    "me", "nobody" or a user's pk."""

    queue: Queue | None = None
    status: str = ""
    assignee: str = ""
    category: Category | None = None
    priority: str = ""
    sla: str = ""
    q: str = ""
    channel: str = ""
    sort: str = "due"


def text_matches(requests: QuerySet[Request], text: str) -> QuerySet[Request]:
    """Requests whose subject, code, requester or organisation hold every word of ``text``,
    Turkish-folded ("ISTANBUL" finds "İstanbul"). The fields have no folded column, so the
    folding happens here over the already-narrowed rows (the inbox: the queues' unfinished
    requests), then one ``pk IN`` narrows the query."""
    words = search_key(text).split()
    if not words:
        return requests
    rows = requests.values_list(
        "pk", "subject", "token", "requester_name", "requester_email", "organisation__name"
    )
    found = []
    for pk, *values in rows:
        key = search_key(" ".join(str(value or "") for value in values))
        if all(word in key for word in words):
            found.append(pk)
    return requests.filter(pk__in=found)


def _filtered(user: Any, filters: InboxFilters, *, with_status: bool = True) -> QuerySet[Request]:
    now = timezone.now()
    requests = with_next_due(visible_requests(user))
    if with_status:
        if filters.status == "spam":
            requests = requests.filter(is_spam=True)
        elif filters.status == "all":
            pass
        elif filters.status:
            requests = requests.filter(status=filters.status, is_spam=False)
        else:
            requests = requests.exclude(status=RequestStatus.CLOSED).filter(is_spam=False)
        if filters.status not in ("all", RequestStatus.CLOSED):
            requests = requests.filter(merged_into__isnull=True)
    if filters.queue is not None:
        requests = requests.filter(queue=filters.queue)
    if filters.category is not None:
        requests = requests.filter(category=filters.category)
    if filters.priority:
        requests = requests.filter(priority=filters.priority)
    if filters.channel:
        requests = requests.filter(channel=filters.channel)
    if filters.assignee == "me":
        requests = requests.filter(assignee=user)
    elif filters.assignee == "nobody":
        requests = requests.filter(assignee__isnull=True)
    elif filters.assignee.isdigit():
        requests = requests.filter(assignee_id=int(filters.assignee))
    if filters.sla == SlaState.BREACHED:
        requests = requests.filter(_breached(now))
    elif filters.sla == SlaState.WARNED:
        requests = requests.filter(_warned(now))
    elif filters.sla == SlaState.OK:
        requests = requests.exclude(_breached(now)).exclude(_warned(now))
    if filters.q:
        requests = text_matches(requests, filters.q)
    return requests


def inbox(user: Any, filters: InboxFilters) -> QuerySet[Request]:
    """The agent's inbox: by default the unfinished requests of their queues, the most
    urgent due first (waiting and finished ones, without a due, last)."""
    requests = _filtered(user, filters).select_related(
        "queue", "category", "assignee", "organisation", "requester"
    )
    if filters.sort == "received":
        return requests.order_by("-created_at", "-pk")
    return requests.order_by(F("next_due").asc(nulls_last=True), "created_at", "pk")


def status_counts(user: Any, filters: InboxFilters) -> list[tuple[str, str, int]]:
    """(status, label, how many) of the requests the other filters select, not spam nor
    merged, in the lifecycle's order."""
    counted = dict(
        _filtered(user, filters, with_status=False)
        .filter(is_spam=False, merged_into__isnull=True)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return [(value, str(label), counted.get(value, 0)) for value, label in RequestStatus.choices]


def agents_of(queue: Queue) -> QuerySet[User]:
    """The agents of ``queue``, by name."""
    return queue.agents.filter(is_active=True).order_by("full_name", "pk")


def agents_of_queues(queues: QuerySet[Queue]) -> QuerySet[User]:
    """Everyone working in any of ``queues``."""
    return (
        User.objects.filter(is_active=True, helpdesk_queues__in=queues)
        .distinct()
        .order_by("full_name", "pk")
    )


def canned_replies_for(queue: Queue) -> QuerySet[CannedReply]:
    """The active canned replies of ``queue`` and the ones offered in every queue."""
    return CannedReply.objects.filter(
        Q(queue=queue) | Q(queue__isnull=True), is_active=True
    ).order_by("title", "pk")


def request_for_user(user: Any, token: str, action: str = "helpdesk.view_requests") -> Request:
    """The request with code ``token``, or 404 when there is none or ``user`` may not
    ``action`` it (an agent of another queue learns nothing)."""
    found = (
        Request.objects.select_related(
            "queue", "category", "assignee", "organisation", "requester", "merged_into"
        )
        .filter(token=token.upper())
        .first()
    )
    if found is None or not can(user, action, found):
        raise Http404
    return found


@dataclass
class TimelineEntry:
    """One thing in a request's history: a message, a note or an audit entry."""

    at: dt.datetime
    kind: str  # "message", "note", "event"
    item: Any
    extra: dict[str, Any] = field(default_factory=dict)


# The audit entries worth a line in the timeline (the rest is there as messages or notes).
TIMELINE_EVENTS = {
    "kaynak.helpdesk.request.created",
    "kaynak.helpdesk.request.assigned",
    "kaynak.helpdesk.request.prioritised",
    "kaynak.helpdesk.request.categorised",
    "kaynak.helpdesk.request.waiting",
    "kaynak.helpdesk.request.resumed",
    "kaynak.helpdesk.request.resolved",
    "kaynak.helpdesk.request.reopened",
    "kaynak.helpdesk.request.closed",
    "kaynak.helpdesk.request.merged",
    "kaynak.helpdesk.request.spam",
    "kaynak.helpdesk.request.not_spam",
    "kaynak.helpdesk.request.sla_warned",
    "kaynak.helpdesk.request.sla_breached",
}


def timeline(request: Request) -> list[TimelineEntry]:
    """Messages in and out (with their attachments), internal notes (with mentions and
    attachments) and the status changes of ``request`` and of the requests merged into it,
    oldest first."""
    attachments = Prefetch("attachments", queryset=Attachment.objects.order_by("pk"))
    messages = Message.objects.filter(request=request).select_related("author")
    notes = (
        InternalNote.objects.filter(request=request)
        .select_related("author")
        .prefetch_related(attachments, Prefetch("mentions", queryset=User.objects.order_by("pk")))
    )
    entries = [
        TimelineEntry(at=message.sent_at, kind="message", item=message)
        for message in messages.prefetch_related(attachments)
    ]
    entries += [TimelineEntry(at=note.created_at, kind="note", item=note) for note in notes]
    merged_ids = [str(pk) for pk in request.merged_requests.values_list("pk", flat=True)]
    events = history_for(request).filter(action__in=TIMELINE_EVENTS)
    if merged_ids:
        events = events | AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Request),
            object_id__in=merged_ids,
            action="kaynak.helpdesk.request.merged",
        ).select_related("actor")
    entries += [
        TimelineEntry(at=entry.created_at, kind="event", item=entry, extra={"verb": _verb(entry)})
        for entry in events
    ]
    entries.sort(key=lambda entry: (entry.at, entry.kind != "event"))
    return entries


def _verb(entry: AuditEntry) -> str:
    return entry.action.rpartition(".")[2]


def merge_target(token: str, *, user: Any, source: Request) -> Request | None:
    """The request a merge would go into, if ``user`` may answer it and it is not ``source``."""
    target = (
        Request.objects.select_related("queue")
        .filter(token=token.strip().lstrip("#").upper())
        .first()
        if token
        else None
    )
    if target is None or target.pk == source.pk:
        return None
    return target if can(user, "helpdesk.answer_requests", target) else None


def quarantine() -> QuerySet[RawMail]:
    """Received mails that made no request (unreadable, or ignored as automatic, a loop or
    spam) and nobody discarded, newest first."""
    discarded = AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(RawMail), action=RAWMAIL_DISCARDED
    ).values("object_id")
    return (
        RawMail.objects.filter(status__in=QUARANTINE_STATUSES)
        .exclude(pk__in=[int(pk) for pk in discarded.values_list("object_id", flat=True)])
        .defer("data")
        .order_by("-received_at", "-pk")
    )


def raw_mail(pk: int) -> RawMail:
    """One received mail (with its bytes), or 404."""
    found = RawMail.objects.filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def is_discarded(raw: RawMail) -> bool:
    return history_for(raw).filter(action=RAWMAIL_DISCARDED).exists()


def attachment_for_user(user: Any, pk: int) -> Attachment:
    """An attachment ``user`` may download, or 404 (whether it exists does not leak)."""
    found = (
        Attachment.objects.select_related(
            "message__request__queue",
            "message__request__requester",
            "note__request__queue",
        )
        .filter(pk=pk)
        .first()
    )
    if found is None or not can(user, "helpdesk.view_attachment", found):
        raise Http404
    return found


def affiliated_organisations(user: Any) -> list[Any]:
    """The active organisations a member currently belongs to (through their person), the
    ones they administer first."""
    from kaynak.directory.models import Affiliation

    if not getattr(user, "is_authenticated", False):
        return []
    affiliations = (
        Affiliation.objects.filter(
            person__user=user, end_date__isnull=True, organisation__status="active"
        )
        .select_related("organisation")
        .order_by("-is_admin", "pk")
    )
    return [affiliation.organisation for affiliation in affiliations]


def business_time_left(requests: Any, now: dt.datetime) -> dict[int, dt.timedelta]:
    """For each running request with a ``next_due`` still ahead: the business time left until
    it, in its queue's calendar (one calendar per queue; no queries)."""
    calendars: dict[int, sla.BusinessCalendar] = {}
    left: dict[int, dt.timedelta] = {}
    for request in requests:
        due = getattr(request, "next_due", None)
        if due is None or due <= now:
            continue
        calendar = calendars.get(request.queue_id)
        if calendar is None:
            calendar = sla.BusinessCalendar.from_settings(request.queue.business_hours or None)
            calendars[request.queue_id] = calendar
        left[request.pk] = calendar.business_time_between(now, due)
    return left
