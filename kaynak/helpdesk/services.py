"""The support desk's verbs: the only writers of requests, messages, notes and received mail.

Each verb runs in one transaction, writes an audit entry ``kaynak.helpdesk.request.<verb>``
and sends its mail after the commit. Bad input raises ``HelpdeskError`` (translated); then
nothing is written.

Decisions worth knowing:

* **Ledger.** Resolving writes one delivery (kind = the queue's kind, source = the request,
  for the requester and their organisation, themes from the category). It is dated on the
  *first* resolution: a reopened and re-resolved request updates the same row
  (``record_delivery`` is idempotent per source × subject) without moving it to a later
  period. Reopening does not withdraw it — the support was given; spam and merging do.
* **Spam.** A request marked spam is closed, its delivery withdrawn, and later mail from its
  address is kept raw (status "ignored-spam") but makes no request, until it is unmarked.
* **Closed requests.** A reply to a closed request (or one merged away) starts a new request
  (merged: goes to the request it was merged into); only resolved ones reopen.
* **Loops.** Machine-sent mail (RFC 3834 auto-replies, bounces) is kept and never answered;
  mail from the desk's own addresses or carrying its loop header is ignored; more than
  ``HELPDESK_MAX_MAILS_PER_HOUR`` mails from one address in an hour are ignored, and the desk
  sends one address at most ``HELPDESK_MAX_AUTO_REPLIES_PER_HOUR`` automatic mails an hour.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from email.utils import parseaddr
from typing import Any, NamedTuple

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, override
from django.utils.translation import gettext_lazy as _

from kaynak.core.audit import log_action
from kaynak.core.errors import KaynakError
from kaynak.core.models import Province
from kaynak.directory import services as directory_services
from kaynak.directory.models import Affiliation, ConsentPurpose, Organisation, Person
from kaynak.directory.resolution import SAME_THRESHOLD, OrganisationRecord, organisation_candidates
from kaynak.helpdesk import attachments as files
from kaynak.helpdesk import mailin, quotes, sla, tokens
from kaynak.helpdesk.mail import LOOP_HEADER, new_message_id
from kaynak.helpdesk.models import (
    CannedReply,
    Category,
    Channel,
    Direction,
    InternalNote,
    Message,
    Queue,
    RawMail,
    RawMailStatus,
    Request,
    RequestPause,
    RequestStatus,
    SatisfactionResponse,
)
from kaynak.ledger.services import record_delivery, withdraw_delivery
from kaynak.programmes.registering import Applicant, person_for_applicant

logger = logging.getLogger(__name__)

DEFAULT_MAX_MAILS_PER_HOUR = 20
DEFAULT_MAX_AUTO_REPLIES_PER_HOUR = 5
DEFAULT_CLOSE_AFTER_DAYS = 7


class HelpdeskError(KaynakError):
    code = "helpdesk"


class Upload(NamedTuple):
    """A file as received (form upload or mail part): its name and bytes."""

    name: str
    data: bytes


@dataclass(frozen=True)
class Requester:
    """Who asks, as typed in the form or told on the phone (e-mail already normalised).

    The organisation is a known one (``organisation``), or a name (and province) resolved
    against the directory, or none."""

    full_name: str
    email: str = ""
    phone: str = ""
    organisation: Organisation | None = None
    organisation_name: str = ""
    province: Province | None = None


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


# -- helpers -----------------------------------------------------------------------------------


def _due(
    queue: Queue, start: dt.datetime, minutes: int, paused: Sequence[sla.Pause]
) -> dt.datetime | None:
    """When ``minutes`` business minutes since ``start`` are used up in the queue's calendar,
    not counting the pauses; None while an open-ended pause holds the clock."""
    calendar = sla.BusinessCalendar.from_settings(queue.business_hours or None)
    return calendar.due_at(start, dt.timedelta(minutes=minutes), paused)


def _pauses(request: Request) -> list[sla.Pause]:
    return [(pause.started_at, pause.ended_at) for pause in request.pauses.all()]


def _recompute_dues(request: Request) -> None:
    paused = _pauses(request)
    queue = request.queue
    request.first_response_due = _due(
        queue, request.created_at, queue.first_response_minutes, paused
    )
    request.resolution_due = _due(queue, request.created_at, queue.resolution_minutes, paused)


def _new_token(queue: Queue) -> str:
    for _attempt in range(20):
        token = tokens.new_token(queue.token_prefix)
        if not Request.objects.filter(token=token).exists():
            return token
    raise HelpdeskError(_("Could not give the request a code; please try again."))


def _organisation_for(
    requester: Requester, person: Person | None, actor: Any
) -> Organisation | None:
    """The requester's organisation: the one chosen, else the directory's same organisation
    for the typed name (never a duplicate), else a new one; with no name, the person's one
    current affiliation."""
    if requester.organisation is not None:
        return requester.organisation
    name = " ".join(requester.organisation_name.split())
    if name:
        record = OrganisationRecord(
            name=name,
            city=requester.province.name if requester.province else "",
            email=requester.email,
            phone=requester.phone,
            contact_name=requester.full_name,
        )
        for candidate in organisation_candidates(record, limit=1):
            if candidate.score >= SAME_THRESHOLD:
                found = Organisation.objects.filter(pk=candidate.id).first()
                if found is not None:
                    return found
        return directory_services.organisation_create(
            actor=actor, name=name, province=requester.province
        )
    if person is not None:
        current = list(
            Affiliation.objects.filter(person=person, end_date__isnull=True)
            .select_related("organisation")
            .values_list("organisation", flat=True)[:2]
        )
        if len(current) == 1:
            return Organisation.objects.get(pk=current[0])
    return None


def _person_for(requester: Requester, language: str, member: Any) -> Person | None:
    """The directory's person, matched by e-mail (the registration path); no e-mail (a phone
    call), no person: a name alone would make duplicates."""
    if not requester.email:
        return None
    return person_for_applicant(
        Applicant(
            full_name=requester.full_name or requester.email.partition("@")[0],
            email=requester.email.lower(),
            phone=requester.phone,
            province=requester.province,
            language=language,
        ),
        user=member,
    )


def _check_uploads(uploads: Iterable[Upload]) -> list[tuple[Upload, files.Verdict]]:
    checked = [(upload, files.check(upload.name, upload.data)) for upload in uploads]
    refused = [verdict.reason for _upload, verdict in checked if not verdict.accepted]
    if refused:
        raise HelpdeskError(" ".join(refused), code="attachment_refused")
    return checked


def _store_all(
    checked: Iterable[tuple[Upload, files.Verdict]],
    *,
    message: Message | None = None,
    note: InternalNote | None = None,
) -> None:
    for upload, verdict in checked:
        files.store(
            name=upload.name,
            data=upload.data,
            content_type=verdict.content_type,
            message=message,
            note=note,
        )


def _queue_mail(message: Message, *, with_satisfaction: bool = False) -> None:
    from kaynak.helpdesk.tasks import send_request_mail  # the tasks module imports this one

    pk = message.pk
    transaction.on_commit(
        lambda: send_request_mail.enqueue(message_id=pk, with_satisfaction=with_satisfaction)
    )


def _auto_replies_left(address: str) -> bool:
    """The loop guard on the desk's own side: few automatic mails to one address an hour."""
    since = timezone.now() - dt.timedelta(hours=1)
    sent = Message.objects.filter(
        direction=Direction.OUT,
        is_automatic=True,
        request__requester_email__iexact=address,
        sent_at__gte=since,
    ).count()
    return sent < _setting("HELPDESK_MAX_AUTO_REPLIES_PER_HOUR", DEFAULT_MAX_AUTO_REPLIES_PER_HOUR)


def _outgoing(
    request: Request,
    *,
    body: str,
    author: Any = None,
    automatic: bool = False,
    in_reply_to: str = "",
) -> Message:
    return Message.objects.create(
        request=request,
        direction=Direction.OUT,
        author=author if getattr(author, "is_authenticated", False) else None,
        from_address=request.queue.email,
        body=body,
        message_id=new_message_id(),
        in_reply_to=in_reply_to,
        via=Channel.EMAIL,
        is_automatic=automatic,
    )


def _send_automatic(request: Request, body: str, *, in_reply_to: str = "") -> Message | None:
    """An automatic mail (confirmation, refused files), unless the loop guard holds it back."""
    if not request.requester_email or not _auto_replies_left(request.requester_email):
        return None
    message = _outgoing(request, body=body, automatic=True, in_reply_to=in_reply_to)
    _queue_mail(message)
    return message


def _confirmation_text(request: Request) -> str:
    with override(request.language):
        return "\n\n".join(
            [
                gettext("Hello %(name)s,") % {"name": request.requester_name or ""},
                gettext(
                    "We received your request “%(subject)s”. Its code is %(token)s; "
                    "keep it in the subject when you write to us about it."
                )
                % {"subject": request.subject, "token": request.token},
                gettext("An adviser will answer you within our working hours."),
            ]
        )


def _refusal_text(request: Request, reasons: Sequence[str]) -> str:
    with override(request.language):
        return "\n\n".join(
            [
                gettext("We could not keep some of the files you sent:"),
                "\n".join(f"- {reason}" for reason in reasons),
                gettext(
                    "Please send PDF, image, office or text files of at most %(limit)d MB each."
                )
                % {"limit": files.max_bytes() // (1024 * 1024)},
            ]
        )


def _end_pause(request: Request, at: dt.datetime) -> bool:
    return bool(
        RequestPause.objects.filter(request=request, ended_at__isnull=True).update(ended_at=at)
    )


def _log(verb: str, request: Request, actor: Any, **data: Any) -> None:
    log_action(f"kaynak.helpdesk.request.{verb}", actor=actor, target=request, data=data or None)


def _lock(request: Request) -> Request:
    """The request re-read under a row lock, so two agents never half-overwrite each other."""
    # Lock the request's row only: PostgreSQL cannot lock the nullable side of the outer join
    # to the category.
    locked = (
        Request.objects.select_for_update(of=("self",))
        .select_related("queue", "category")
        .get(pk=request.pk)
    )
    for field in locked._meta.concrete_fields:
        setattr(request, field.attname, getattr(locked, field.attname))
    return request


def _is_agent(user: Any, queue: Queue) -> bool:
    from kaynak.core.permissions import can

    return can(user, "helpdesk.answer_requests", queue)


# -- intake ------------------------------------------------------------------------------------


@transaction.atomic
def submit_request(
    *,
    queue: Queue,
    subject: str,
    body: str,
    requester: Requester,
    channel: str = Channel.WEB,
    category: Category | None = None,
    language: str = "tr",
    actor: Any = None,
    attachments: Sequence[Upload] = (),
    consent_version: str = "",
    consent_source: str = "helpdesk.request",
) -> Request:
    """A new request from the web form (``actor``: the member, if logged in) or logged by staff
    from a phone call or a visit (``actor``: the agent). The requester is resolved against the
    directory; a confirmation mail goes out when there is an address. ``consent_version``: the
    version of the privacy text the requester agreed to, recorded on the person in the same
    transaction."""
    subject, body = " ".join(subject.split()), body.strip()
    if not subject or not body:
        raise HelpdeskError(_("Write a subject and your question."), code="empty")
    if not queue.is_active:
        raise HelpdeskError(_("This support queue does not take requests now."), code="inactive")
    if category is not None and category.queue_id != queue.pk:
        raise HelpdeskError(_("Choose a category of this queue."), code="category")
    if channel == Channel.WEB and not requester.email:
        raise HelpdeskError(_("Give an e-mail address so that we can answer."), code="email")
    checked = _check_uploads(attachments)
    staff_logged = channel in (Channel.PHONE, Channel.IN_PERSON)
    member = None if staff_logged else actor
    person = _person_for(requester, language, member)
    organisation = _organisation_for(requester, person, actor)
    now = timezone.now()
    request = Request(
        queue=queue,
        category=category,
        token=_new_token(queue),
        subject=subject[:250],
        channel=channel,
        requester=person,
        organisation=organisation,
        requester_name=requester.full_name,
        requester_email=requester.email.lower(),
        language=language,
        created_at=now,
    )
    request.first_response_due = _due(queue, now, queue.first_response_minutes, [])
    request.resolution_due = _due(queue, now, queue.resolution_minutes, [])
    request.save()
    message = Message.objects.create(
        request=request,
        direction=Direction.IN,
        author=actor if getattr(actor, "is_authenticated", False) else None,
        from_address=request.requester_email,
        body=body,
        via=channel,
        message_id=new_message_id(),
        sent_at=now,
    )
    _store_all(checked, message=message)
    if consent_version and person is not None:
        directory_services.consent_record(
            person=person,
            purpose=ConsentPurpose.DATA_PROCESSING,
            granted=True,
            text_version=consent_version,
            source=consent_source,
            actor=actor,
        )
    _log("created", request, actor, channel=channel, queue=queue.slug)
    _send_automatic(request, _confirmation_text(request), in_reply_to=message.message_id)
    return request


# -- the agents' verbs -------------------------------------------------------------------------


def _first_response(request: Request, at: dt.datetime) -> None:
    if request.first_response_at is None:
        request.first_response_at = at


@transaction.atomic
def reply(
    *,
    request: Request,
    actor: Any,
    body: str = "",
    canned: CannedReply | None = None,
    attachments: Sequence[Upload] = (),
    wait: bool = False,
    resolve: bool = False,
) -> Message:
    """An agent's answer, mailed to the requester. ``canned`` fills the body from a canned
    reply (in the request's language); ``wait`` asks the requester something (the SLA clock
    stops until they answer); ``resolve`` resolves with this answer (one mail, carrying the
    satisfaction question)."""
    _lock(request)
    if request.is_spam or request.status == RequestStatus.CLOSED:
        raise HelpdeskError(_("This request is closed."), code="closed")
    if canned is not None:
        body = render_canned(canned, request=request, agent=actor) + (
            "\n\n" + body.strip() if body.strip() else ""
        )
    if not body.strip():
        raise HelpdeskError(_("Write an answer."), code="empty")
    checked = _check_uploads(attachments)
    now = timezone.now()
    last_in = request.messages.filter(direction=Direction.IN).order_by("-sent_at", "-pk").first()
    message = _outgoing(
        request,
        body=body.strip(),
        author=actor,
        in_reply_to=last_in.message_id if last_in else "",
    )
    _store_all(checked, message=message)
    _first_response(request, now)
    if request.status in (RequestStatus.NEW, RequestStatus.OPEN, RequestStatus.RESOLVED):
        request.status = RequestStatus.OPEN
    if wait and not resolve:
        _pause(request, now)
    request.save()
    _log("replied", request, actor, canned=canned.pk if canned else None)
    if resolve:
        _resolve(request, actor, now)
    _queue_mail(message, with_satisfaction=resolve)
    return message


def render_canned(canned: CannedReply, *, request: Request, agent: Any) -> str:
    """A canned reply's text for this request, its variables filled in."""
    agent_name = ""
    if agent is not None:
        agent_name = getattr(agent, "full_name", "") or getattr(agent, "get_full_name", str)()
    return canned.render(
        request.language,
        {
            "requester_name": request.requester_name,
            "token": request.token,
            "agent_name": agent_name or getattr(agent, "email", ""),
            "organisation": request.organisation.name if request.organisation else "",
        },
    )


@transaction.atomic
def add_note(
    *,
    request: Request,
    actor: Any,
    body: str,
    mentions: Iterable[Any] = (),
    attachments: Sequence[Upload] = (),
) -> InternalNote:
    """An internal note (only agents see it); the mentioned colleagues must be agents of the
    queue."""
    if not body.strip():
        raise HelpdeskError(_("Write a note."), code="empty")
    mentioned = list(mentions)
    for user in mentioned:
        if not _is_agent(user, request.queue):
            raise HelpdeskError(
                _("%(name)s does not work in this queue.") % {"name": user}, code="mention"
            )
    checked = _check_uploads(attachments)
    note = InternalNote.objects.create(request=request, author=actor, body=body.strip())
    note.mentions.set(mentioned)
    _store_all(checked, note=note)
    _log("noted", request, actor, note=note.pk, mentions=[user.pk for user in mentioned])
    _queue_mention_mails(note, [user for user in mentioned if user != actor])
    return note


def _queue_mention_mails(note: InternalNote, users: Sequence[Any]) -> None:
    from kaynak.helpdesk.tasks import send_mention_mail  # the tasks module imports this one

    for user in users:
        transaction.on_commit(
            functools.partial(send_mention_mail.enqueue, note_id=note.pk, user_id=user.pk)
        )


@transaction.atomic
def assign(*, request: Request, assignee: Any, actor: Any) -> Request:
    """Give the request to an agent of its queue (None: to nobody)."""
    _lock(request)
    if assignee is not None and not _is_agent(assignee, request.queue):
        raise HelpdeskError(
            _("%(name)s does not work in this queue.") % {"name": assignee}, code="assignee"
        )
    request.assignee = assignee
    if request.status == RequestStatus.NEW:
        request.status = RequestStatus.OPEN
    request.save(update_fields=["assignee", "status", "updated_at"])
    _log("assigned", request, actor, assignee=assignee.pk if assignee else None)
    return request


@transaction.atomic
def set_priority(*, request: Request, priority: str, actor: Any) -> Request:
    """Change the priority."""
    from kaynak.helpdesk.models import Priority

    if priority not in Priority.values:
        raise HelpdeskError(_("Unknown priority."), code="priority")
    _lock(request)
    before, request.priority = request.priority, priority
    request.save(update_fields=["priority", "updated_at"])
    _log("prioritised", request, actor, before=before, after=priority)
    return request


@transaction.atomic
def set_category(*, request: Request, category: Category | None, actor: Any) -> Request:
    """Change the category (of the same queue); a resolved request's delivery takes the new
    category's themes."""
    if category is not None and category.queue_id != request.queue_id:
        raise HelpdeskError(_("Choose a category of this queue."), code="category")
    _lock(request)
    before = request.category_id
    request.category = category
    request.save(update_fields=["category", "updated_at"])
    if request.first_resolved_at is not None and not request.is_spam:
        _record_delivery(request)
    _log("categorised", request, actor, before=before, after=category.pk if category else None)
    return request


def _pause(request: Request, at: dt.datetime) -> None:
    if not request.pauses.filter(ended_at__isnull=True).exists():
        RequestPause.objects.create(request=request, started_at=at)
    request.status = RequestStatus.WAITING
    _recompute_dues(request)


@transaction.atomic
def wait_for_requester(*, request: Request, actor: Any) -> Request:
    """Waiting for the requester: the SLA clocks stop until they answer (or ``resume``)."""
    _lock(request)
    if request.status not in (RequestStatus.NEW, RequestStatus.OPEN):
        raise HelpdeskError(_("Only an open request can wait."), code="status")
    _pause(request, timezone.now())
    request.save()
    _log("waiting", request, actor)
    return request


def _resume(request: Request, at: dt.datetime) -> None:
    _end_pause(request, at)
    request.status = RequestStatus.OPEN
    _recompute_dues(request)


@transaction.atomic
def resume(*, request: Request, actor: Any = None) -> Request:
    """Back from waiting: the SLA clocks run again (their due times move by the pause)."""
    _lock(request)
    if request.status != RequestStatus.WAITING:
        raise HelpdeskError(_("The request is not waiting."), code="status")
    _resume(request, timezone.now())
    request.save()
    _log("resumed", request, actor)
    return request


def _record_delivery(request: Request) -> None:
    """The request's one ledger delivery (idempotent), dated on its first resolution."""
    if request.requester is None and request.organisation is None:
        return  # an anonymous phone call: nobody to count
    themes = list(request.category.themes.all()) if request.category else []
    assert request.first_resolved_at is not None
    record_delivery(
        kind=request.queue.kind,
        source=request,
        date=timezone.localdate(request.first_resolved_at),
        organisation=request.organisation,
        person=request.requester,
        programme=request.queue.name_tr,
        activity=request.category.name_tr if request.category else "",
        themes=themes or None,
    )


def _withdraw_delivery(request: Request) -> int:
    if request.requester is None and request.organisation is None:
        return 0
    return withdraw_delivery(
        source=request, organisation=request.organisation, person=request.requester
    )


def _resolve(request: Request, actor: Any, at: dt.datetime) -> None:
    _end_pause(request, at)
    request.status = RequestStatus.RESOLVED
    request.resolved_at = at
    if request.first_resolved_at is None:
        request.first_resolved_at = at
    _recompute_dues(request)
    request.save()
    _record_delivery(request)
    _log("resolved", request, actor)


@transaction.atomic
def resolve(*, request: Request, actor: Any, notify: bool = True) -> Request:
    """Resolved: one ledger delivery (never two, across reopenings), and — ``notify`` — a mail
    that says so and asks how we did."""
    _lock(request)
    if request.is_spam or request.status in (RequestStatus.RESOLVED, RequestStatus.CLOSED):
        raise HelpdeskError(_("This request is already resolved or closed."), code="status")
    now = timezone.now()
    _resolve(request, actor, now)
    if notify and request.requester_email:
        with override(request.language):
            text = gettext(
                "We consider your request “%(subject)s” resolved. If it is not, "
                "simply answer this mail and it opens again."
            ) % {"subject": request.subject}
        message = _outgoing(request, body=text, author=actor)
        _queue_mail(message, with_satisfaction=True)
    return request


def _reopen(request: Request) -> None:
    # The delivery stays: the support was given. Resolving again updates the same row.
    request.status = RequestStatus.OPEN
    request.resolved_at = None
    _recompute_dues(request)


@transaction.atomic
def reopen(*, request: Request, actor: Any = None) -> Request:
    """Open a resolved request again (the requester answered, or an agent decided)."""
    _lock(request)
    if request.status != RequestStatus.RESOLVED:
        raise HelpdeskError(_("Only a resolved request can be reopened."), code="status")
    _reopen(request)
    request.save()
    _log("reopened", request, actor)
    return request


@transaction.atomic
def close(*, request: Request, actor: Any = None) -> Request:
    """Closed for good: a later mail about it starts a new request."""
    _lock(request)
    if request.status == RequestStatus.CLOSED:
        return request
    now = timezone.now()
    _end_pause(request, now)
    request.status = RequestStatus.CLOSED
    request.closed_at = now
    request.save()
    _log("closed", request, actor)
    return request


def close_resolved(*, older_than_days: int | None = None) -> int:
    """Close the requests resolved more than N days ago (``HELPDESK_CLOSE_AFTER_DAYS``)."""
    days = older_than_days or _setting("HELPDESK_CLOSE_AFTER_DAYS", DEFAULT_CLOSE_AFTER_DAYS)
    cutoff = timezone.now() - dt.timedelta(days=days)
    closed = 0
    for request in Request.objects.filter(status=RequestStatus.RESOLVED, resolved_at__lt=cutoff):
        close(request=request)
        closed += 1
    return closed


@transaction.atomic
def merge(*, source: Request, target: Request, actor: Any) -> Request:
    """Move ``source``'s messages, notes and mails into ``target`` and close ``source`` as
    merged; its delivery is withdrawn (the target counts once)."""
    if source.pk == target.pk:
        raise HelpdeskError(_("A request cannot be merged into itself."), code="merge")
    _lock(source)
    _lock(target)
    if source.merged_into_id is not None or target.merged_into_id is not None:
        raise HelpdeskError(_("This request was already merged."), code="merge")
    now = timezone.now()
    moved = Message.objects.filter(request=source).update(request=target)
    InternalNote.objects.filter(request=source).update(request=target)
    RawMail.objects.filter(request=source).update(request=target)
    if source.first_resolved_at is not None:
        _withdraw_delivery(source)
    if target.first_response_at is None and source.first_response_at is not None:
        target.first_response_at = source.first_response_at
    target.save()
    _end_pause(source, now)
    source.status = RequestStatus.CLOSED
    source.closed_at = now
    source.merged_into = target
    source.save()
    _log("merged", source, actor, into=target.token, messages=moved)
    return target


@transaction.atomic
def mark_spam(*, request: Request, actor: Any) -> Request:
    """Spam: closed, out of the reports (its delivery withdrawn), and later mail from its
    address is kept but ignored."""
    _lock(request)
    now = timezone.now()
    _end_pause(request, now)
    request.is_spam = True
    request.status = RequestStatus.CLOSED
    request.closed_at = now
    request.save()
    withdrawn = _withdraw_delivery(request)
    _log("spam", request, actor, withdrawn=withdrawn)
    return request


@transaction.atomic
def unmark_spam(*, request: Request, actor: Any) -> Request:
    """Not spam after all: open again (a delivery it had counts again when resolved)."""
    _lock(request)
    if not request.is_spam:
        return request
    request.is_spam = False
    request.status = RequestStatus.OPEN
    request.closed_at = None
    _recompute_dues(request)
    request.save()
    _log("not_spam", request, actor)
    return request


# -- mail in -----------------------------------------------------------------------------------


def _default_queue(addresses: Iterable[str]) -> Queue | None:
    wanted = {address.lower() for address in addresses if address}
    queues = Queue.objects.filter(is_active=True)
    for queue in queues:
        if queue.email and queue.email.lower() in wanted:
            return queue
    return queues.filter(is_default=True).first() or queues.first()


def _own_addresses() -> set[str]:
    own = {
        email.lower() for email in Queue.objects.exclude(email="").values_list("email", flat=True)
    }
    own.add(parseaddr(settings.DEFAULT_FROM_EMAIL)[1].lower())
    return own


def _thread_target(parsed: mailin.ParsedMail) -> Request | None:
    """The request a mail answers: by its Message-ID headers, else by the code in the
    subject. A request merged away hands over to the one it was merged into."""
    request = None
    ids = [value for value in parsed.thread_ids if value]
    if ids:
        found = Message.objects.filter(message_id__in=ids).select_related("request").order_by("-pk")
        by_id = {message.message_id: message.request for message in found}
        request = next((by_id[value] for value in ids if value in by_id), None)
    if request is None:
        token = tokens.find_token(parsed.subject) or (parsed.token or "").upper()
        if token:
            request = Request.objects.filter(token=token).first()
    seen: set[int] = set()
    while request is not None and request.merged_into_id is not None and request.pk not in seen:
        seen.add(request.pk)
        request = request.merged_into
    return request


def _raw(data: bytes, status: str, reason: str = "", **fields: Any) -> RawMail:
    return RawMail.objects.create(
        data=data,
        sha256=hashlib.sha256(data).hexdigest(),
        status=status,
        reason=reason,
        **fields,
    )


def _ignore_reason(parsed: mailin.ParsedMail, data: bytes) -> tuple[str, str] | None:
    address = parsed.from_address.lower()
    if parsed.is_auto_reply or parsed.is_bounce:
        return RawMailStatus.IGNORED_AUTO, gettext("Automatic reply or bounce (RFC 3834).")
    if address in _own_addresses() or f"\n{LOOP_HEADER.lower()}:" in data[:20000].decode(
        "ascii", "replace"
    ).lower().replace("\r", ""):
        return RawMailStatus.IGNORED_LOOP, gettext("Sent by the support desk itself.")
    since = timezone.now() - dt.timedelta(hours=1)
    recent = RawMail.objects.filter(
        from_address__iexact=address, received_at__gte=since, status=RawMailStatus.PROCESSED
    ).count()
    if recent >= _setting("HELPDESK_MAX_MAILS_PER_HOUR", DEFAULT_MAX_MAILS_PER_HOUR):
        return RawMailStatus.IGNORED_LOOP, gettext("Too many mails from this address in an hour.")
    if Request.objects.filter(requester_email__iexact=address, is_spam=True).exists():
        return RawMailStatus.IGNORED_SPAM, gettext("The sender's requests were marked as spam.")
    return None


def receive_mail(raw: bytes) -> RawMail:
    """Take one received mail: kept raw whatever happens, then threaded into its request (or a
    new one), ignored (auto-reply, loop, spam) or quarantined with the reason. Never raises
    for a bad mail: nothing received is lost."""
    data = bytes(raw)
    try:
        parsed = mailin.parse(data)
    except mailin.UnreadableMail as unreadable:
        return _raw(data, RawMailStatus.QUARANTINED, unreadable.reason)
    head = {
        "from_address": parsed.from_address[:254],
        "subject": parsed.subject[:250],
        "message_id": parsed.message_id[:250],
    }
    try:
        with transaction.atomic():
            return _take_mail(data, parsed, head)
    except (KaynakError, IntegrityError, ValueError) as failure:
        logger.exception("Quarantined a received mail")
        return _raw(
            data,
            RawMailStatus.QUARANTINED,
            gettext("It could not be filed: %(error)s") % {"error": failure},
            **head,
        )


def _take_mail(data: bytes, parsed: mailin.ParsedMail, head: dict[str, Any]) -> RawMail:
    if not parsed.from_address:
        return _raw(data, RawMailStatus.QUARANTINED, gettext("It has no sender address."), **head)
    ignored = _ignore_reason(parsed, data)
    if ignored is not None:
        status, reason = ignored
        return _raw(data, status, reason, **head)
    if parsed.message_id:
        known = Message.objects.filter(message_id=parsed.message_id, direction=Direction.IN).first()
        if known is not None:
            return _raw(
                data,
                RawMailStatus.PROCESSED,
                gettext("Already received."),
                request=known.request,
                **head,
            )
    now = timezone.now()
    request = _thread_target(parsed)
    if request is not None and (request.is_spam or request.status == RequestStatus.CLOSED):
        request = None  # closed for good: the answer starts a new request
    text = parsed.text or ""
    new_text, quoted = quotes.strip_quoted(text)
    created = request is None
    if request is None:
        queue = _default_queue([*parsed.to, *parsed.cc])
        if queue is None:
            return _raw(
                data, RawMailStatus.QUARANTINED, gettext("No support queue is active."), **head
            )
        requester = Requester(full_name=parsed.from_name, email=parsed.from_address.lower())
        person = _person_for(requester, "tr", None)
        request = Request(
            queue=queue,
            token=_new_token(queue),
            subject=(parsed.subject or gettext("(no subject)"))[:250],
            channel=Channel.EMAIL,
            requester=person,
            organisation=_organisation_for(requester, person, None),
            requester_name=parsed.from_name or (person.full_name if person else ""),
            requester_email=requester.email,
            language=person.language if person and person.language else "tr",
            created_at=now,
        )
        request.first_response_due = _due(queue, now, queue.first_response_minutes, [])
        request.resolution_due = _due(queue, now, queue.resolution_minutes, [])
        request.save()
    else:
        _lock(request)
    rawmail = _raw(data, RawMailStatus.PROCESSED, request=request, **head)
    message = Message.objects.create(
        request=request,
        direction=Direction.IN,
        from_address=parsed.from_address.lower()[:254],
        body=(new_text or text).strip() or gettext("(empty message)"),
        quoted=quoted,
        html_sanitised=parsed.html_sanitised,
        raw_message=rawmail,
        message_id=parsed.message_id[:250],
        in_reply_to=parsed.in_reply_to[:250],
        via=Channel.EMAIL,
        sent_at=now,
    )
    refused: list[dict[str, str]] = []
    for part in parsed.attachments:
        verdict = files.check(part.filename, part.data)
        if verdict.accepted:
            files.store(
                name=part.filename,
                data=part.data,
                content_type=verdict.content_type,
                message=message,
            )
        else:
            refused.append({"name": part.filename, "reason": verdict.reason})
    if refused:
        message.refused_attachments = refused
        message.save(update_fields=["refused_attachments"])
    if created:
        _log("created", request, None, channel=Channel.EMAIL, queue=request.queue.slug)
        _send_automatic(request, _confirmation_text(request), in_reply_to=message.message_id)
    else:
        if request.status == RequestStatus.RESOLVED:
            _reopen(request)
            _log("reopened", request, None, by="requester")
        elif request.status == RequestStatus.WAITING:
            _resume(request, now)
            _log("resumed", request, None, by="requester")
        request.save()
        _log("received", request, None, message=message.pk)
    if refused:
        _send_automatic(
            request,
            _refusal_text(request, [r["reason"] for r in refused]),
            in_reply_to=message.message_id,
        )
    return rawmail


def _refile(raw: RawMail, parsed: mailin.ParsedMail) -> RawMail:
    """File a kept mail as if it had just arrived; its new RawMail row is folded back into
    ``raw``, so a mail stays one row."""
    head = {
        "from_address": parsed.from_address[:254],
        "subject": parsed.subject[:250],
        "message_id": parsed.message_id[:250],
    }
    try:
        with transaction.atomic():
            filed = _take_mail(bytes(raw.data), parsed, head)
            if filed.status != RawMailStatus.PROCESSED:
                raise HelpdeskError(filed.reason or filed.get_status_display(), code="refiled")
            Message.objects.filter(raw_message=filed).update(raw_message=raw)
            raw.status, raw.request = filed.status, filed.request
            raw.reason = gettext("Filed again by an agent.")
            for name, value in head.items():
                setattr(raw, name, value)
            filed.delete()
            raw.save()
    except HelpdeskError:
        raise
    except (KaynakError, IntegrityError, ValueError) as failure:
        raise HelpdeskError(
            gettext("It could not be filed: %(error)s") % {"error": failure}, code="refiled"
        ) from failure
    return raw


@transaction.atomic
def retry_raw_mail(*, raw: RawMail, actor: Any) -> RawMail:
    """Read a quarantined (or ignored) mail again and file it into its request or a new one,
    all or nothing; a mail that still cannot be filed raises ``HelpdeskError`` with why."""
    raw = RawMail.objects.select_for_update().get(pk=raw.pk)
    if raw.status == RawMailStatus.PROCESSED:
        raise HelpdeskError(_("This mail was already filed."), code="processed")
    try:
        parsed = mailin.parse(bytes(raw.data))
    except mailin.UnreadableMail as unreadable:
        raise HelpdeskError(unreadable.reason, code="unreadable") from unreadable
    _refile(raw, parsed)
    log_action(
        "kaynak.helpdesk.rawmail.refiled",
        actor=actor,
        target=raw,
        data={"request": raw.request.token if raw.request else None},
    )
    return raw


@transaction.atomic
def discard_raw_mail(*, raw: RawMail, actor: Any) -> RawMail:
    """Take a quarantined mail off the list: it is kept (nothing received is lost), its
    status stays, the audit log says who discarded it."""
    if raw.status == RawMailStatus.PROCESSED:
        raise HelpdeskError(_("This mail was already filed."), code="processed")
    log_action("kaynak.helpdesk.rawmail.discarded", actor=actor, target=raw)
    return raw


# -- satisfaction ------------------------------------------------------------------------------


def satisfaction_url(request: Request, score: int | None = None) -> str:
    """The signed one-click link of the request's satisfaction question."""
    return tokens.satisfaction_url(request.pk, request.token, request.language, score)


@transaction.atomic
def record_satisfaction(*, token: str, score: int, comment: str = "") -> SatisfactionResponse:
    """The requester's answer from the signed link (a second answer replaces the first)."""
    named = tokens.read_satisfaction_token(token)
    request = None
    if named is not None:
        request = Request.objects.filter(pk=named[0], token=named[1]).first()
    if request is None:
        raise HelpdeskError(_("This link is not valid any more."), code="token")
    if request.first_resolved_at is None or request.is_spam:
        raise HelpdeskError(_("This request is not resolved yet."), code="status")
    if score not in range(1, 6):
        raise HelpdeskError(_("Choose a score from 1 to 5."), code="score")
    response, _created = SatisfactionResponse.objects.update_or_create(
        request=request,
        defaults={"score": score, "comment": comment.strip()[:4000], "at": timezone.now()},
    )
    _log("rated", request, None, score=score)
    return response


# -- SLA ---------------------------------------------------------------------------------------


def _warn_window(minutes: int) -> dt.timedelta:
    """Warn when this little of the target is left (wall time): a fifth of it."""
    return dt.timedelta(minutes=minutes * sla.DEFAULT_WARN_FRACTION)


def check_sla(*, now: dt.datetime | None = None) -> int:
    """Mark the requests whose first response or resolution is due soon (warned) or overdue
    (breached), once each. Waiting requests are skipped: their clocks stand still."""
    now = now or timezone.now()
    changed = 0
    running = Request.objects.filter(
        status__in=(RequestStatus.NEW, RequestStatus.OPEN), is_spam=False
    ).select_related("queue")
    checks = (
        ("first_response", Q(first_response_at__isnull=True), "first_response_minutes"),
        ("resolution", Q(), "resolution_minutes"),
    )
    for clock, pending, target in checks:
        due_field = f"{clock}_due"
        for request in running.filter(pending, **{f"{due_field}__isnull": False}).filter(
            Q(**{f"{clock}_breached_at__isnull": True})
        ):
            due = getattr(request, due_field)
            window = _warn_window(getattr(request.queue, target))
            with transaction.atomic():
                if due <= now:
                    mark, verb = f"{clock}_breached_at", "sla_breached"
                elif due - window <= now and getattr(request, f"{clock}_warned_at") is None:
                    mark, verb = f"{clock}_warned_at", "sla_warned"
                else:
                    continue
                # A conditional update: two workers never mark (and log) the same clock twice.
                if Request.objects.filter(pk=request.pk, **{f"{mark}__isnull": True}).update(
                    **{mark: now}
                ):
                    changed += 1
                    _log(verb, request, None, clock=clock)
    return changed
