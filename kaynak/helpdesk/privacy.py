"""The support desk's part of a person's data export and erasure (KVKK/GDPR).

Personal data here: the requests a person sent (their name and address on it), the messages
in them (the text, the quoted history, the raw mails), their attachments and satisfaction
comments; the EU Support Unit's technical-support meetings they attended (the staff's topics
and notes may name them). Erasure keeps each request and its ledger delivery — reach reported
before stays true — but takes the name and address off the request, replaces the person's
messages with a note that they were erased, deletes their attachments and raw mails, and
scrubs their names and addresses from the agents' answers and notes, and from the topics and
notes of their meetings (their attendance and its delivery stay).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from kaynak.directory.models import Person
from kaynak.directory.privacy import Erasure, register_erasure_step, register_export_section
from kaynak.helpdesk.models import (
    Attachment,
    Direction,
    InternalNote,
    Message,
    RawMail,
    Request,
    SatisfactionResponse,
    TechnicalSupportMeeting,
)

ERASED_TEXT = "[erased]"


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _addresses(person: Person) -> set[str]:
    addresses = {str(email).lower() for email in person.emails if email}
    if person.user is not None and person.user.email:
        addresses.add(person.user.email.lower())
    return addresses


def _requests(ids: Any, addresses: set[str]) -> Any:
    return Request.objects.filter(Q(requester_id__in=ids) | Q(requester_email__in=addresses))


@register_export_section("support_requests")
def helpdesk_section(person: Person) -> dict[str, Any]:
    """The requests they sent, with their own messages (not the agents' notes)."""
    requests = _requests([person.pk], _addresses(person)).select_related("queue", "category")
    return {
        "requests": [
            {
                "code": request.token,
                "queue": request.queue.name_en,
                "category": request.category.name_en if request.category else None,
                "subject": request.subject,
                "status": request.status,
                "name": request.requester_name,
                "email": request.requester_email,
                "created_at": _iso(request.created_at),
                "resolved_at": _iso(request.resolved_at),
                "messages": [
                    {
                        "direction": message.direction,
                        "at": _iso(message.sent_at),
                        "text": message.body,
                        "attachments": [a.name for a in message.attachments.all()],
                    }
                    for message in request.messages.prefetch_related("attachments")
                ],
                "satisfaction": (
                    {"score": answer.score, "comment": answer.comment}
                    if (answer := SatisfactionResponse.objects.filter(request=request).first())
                    else None
                ),
            }
            for request in requests.order_by("created_at", "pk")
        ]
    }


@register_erasure_step("support_requests")
def erase_helpdesk(erasure: Erasure) -> dict[str, Any]:
    """Anonymise their requests and messages; keep the requests and their deliveries."""
    addresses = {str(contact).lower() for contact in erasure.contacts if "@" in str(contact)}
    requests = list(_requests(erasure.ids, addresses))
    erasure.identified_by(
        names=[r.requester_name for r in requests if r.requester_name],
        contacts=[r.requester_email for r in requests if r.requester_email],
    )
    ids = [request.pk for request in requests]
    theirs = Message.objects.filter(request_id__in=ids, direction=Direction.IN)
    attachments = Attachment.objects.filter(message__in=theirs)
    files = 0
    for attachment in attachments:
        attachment.file.delete(save=False)
        files += 1
    attachments.delete()
    raw, _by_model = RawMail.objects.filter(
        Q(request_id__in=ids) | Q(from_address__in=addresses)
    ).delete()
    messages = theirs.update(
        body=ERASED_TEXT, quoted="", html_sanitised="", from_address="", refused_attachments=[]
    )
    answers = list(Message.objects.filter(request_id__in=ids, direction=Direction.OUT))
    for message in answers:
        message.body = str(erasure.scrub(message.body))
    Message.objects.bulk_update(answers, ["body"])
    notes = list(InternalNote.objects.filter(request_id__in=ids))
    for note in notes:
        note.body = str(erasure.scrub(note.body))
    InternalNote.objects.bulk_update(notes, ["body"])
    SatisfactionResponse.objects.filter(request_id__in=ids).update(comment="")
    for request in requests:
        request.subject = str(erasure.scrub(request.subject))
        request.requester_name = ""
        request.requester_email = ""
    Request.objects.bulk_update(requests, ["subject", "requester_name", "requester_email"])
    summary = {
        "requests_anonymised": len(ids),
        "messages_erased": messages,
        "attachments_deleted": files,
        "raw_mails_deleted": raw,
    }
    return {name: value for name, value in summary.items() if value}


def _meetings(ids: Any) -> Any:
    return TechnicalSupportMeeting.objects.filter(people__in=list(ids)).distinct()


@register_export_section("eu_support_meetings")
def eu_meetings_section(person: Person) -> dict[str, Any]:
    """The EU Support Unit's technical-support meetings they attended."""
    meetings = _meetings([person.pk]).select_related("project").order_by("date", "pk")
    return {
        "meetings": [
            {
                "project": meeting.project.title,
                "date": meeting.date.isoformat(),
                "mode": meeting.mode,
                "topics": meeting.topics,
            }
            for meeting in meetings
        ]
    }


@register_erasure_step("eu_support_meetings")
def erase_eu_meetings(erasure: Erasure) -> dict[str, Any]:
    """Scrub their names from the topics and notes of the meetings they attended."""
    meetings = list(_meetings(erasure.ids))
    for meeting in meetings:
        meeting.topics = str(erasure.scrub(meeting.topics))
        meeting.notes = str(erasure.scrub(meeting.notes))
    TechnicalSupportMeeting.objects.bulk_update(meetings, ["topics", "notes"])
    return {"meetings_scrubbed": len(meetings)} if meetings else {}
