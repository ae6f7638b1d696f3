"""Mail from the support desk to requesters: plain text, in the request's language, from the
queue's address, the subject marked "[#DN-7KQ4MX]".

Every outgoing mail is a ``Message`` of the request (direction "out"), written by a service;
its ``Message-ID`` is chosen when the row is written, so the requester's answer — whose
``In-Reply-To`` names it — threads back into the request. The worker sends it through
``tasks.send_request_mail`` after the commit.

Mail the desk sends by itself (the confirmation, the refused-attachment notice) carries
``Auto-Submitted: auto-replied`` (RFC 3834) so that well-behaved auto-responders do not answer
it; answers by agents do not.
"""

from __future__ import annotations

import logging
import smtplib
from email.utils import formataddr, make_msgid, parseaddr
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, mailers
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from kaynak.helpdesk import tokens
from kaynak.helpdesk.models import Direction, InternalNote, Message, Request

logger = logging.getLogger(__name__)

# Header the desk puts on everything it sends; a received mail that carries it came back from
# the desk itself (a loop).
LOOP_HEADER = "X-Kaynak-Request"


class MailDeferred(Exception):
    """The mail server could not take the message now (4xx, no connection): try again later."""


def mail_domain() -> str:
    """The domain of the desk's Message-IDs: the sender address's, so replies thread."""
    configured = getattr(settings, "HELPDESK_MAIL_DOMAIN", "")
    if configured:
        return str(configured)
    address = parseaddr(settings.DEFAULT_FROM_EMAIL)[1]
    return address.rpartition("@")[2] or "localhost"


def new_message_id() -> str:
    return make_msgid(idstring="helpdesk", domain=mail_domain())


def sender(request: Request) -> str:
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return formataddr((request.queue.label, request.queue.email or address))


def _thread_ids(message: Message) -> list[str]:
    return list(
        Message.objects.filter(request_id=message.request_id, sent_at__lte=message.sent_at)
        .exclude(pk=message.pk)
        .exclude(message_id="")
        .order_by("sent_at", "pk")
        .values_list("message_id", flat=True)
    )


def build_request_mail(message: Message, *, with_satisfaction: bool = False) -> EmailMessage:
    """The mail for an outgoing message, threaded under the request's earlier messages."""
    request = message.request
    with translation.override(request.language):
        body = message.body.rstrip() + "\n"
        if with_satisfaction:
            links = [
                tokens.satisfaction_url(request.pk, request.token, request.language, score)
                for score in range(1, 6)
            ]
            if all(links):
                body += "\n" + gettext("How did we do? Answer with one click:") + "\n"
                body += "".join(f"  {n}/5: {link}\n" for n, link in enumerate(links, 1))
        body += "\n" + gettext("Your request code: %(token)s") % {"token": request.token} + "\n"
        subject = tokens.subject_with_token(request.token, request.subject)
    headers = {"Message-ID": message.message_id, LOOP_HEADER: request.token}
    earlier = _thread_ids(message)
    if earlier:
        headers["In-Reply-To"] = message.in_reply_to or earlier[-1]
        headers["References"] = " ".join(earlier[-20:])
    if message.is_automatic:
        headers["Auto-Submitted"] = "auto-replied"
    return EmailMessage(
        subject=subject,
        body=body,
        from_email=sender(request),
        to=[request.requester_email],
        headers=headers,
    )


def send_request_message(message_id: int, *, with_satisfaction: bool = False) -> bool:
    """Send an outgoing message if it still should go. Returns whether it went; a temporary
    refusal raises ``MailDeferred``."""
    message = (
        Message.objects.select_related("request__queue", "request__requester")
        .filter(pk=message_id, direction=Direction.OUT)
        .first()
    )
    if message is None:
        return False
    request = message.request
    if request.is_spam or not request.requester_email:
        return False
    if request.requester is not None and request.requester.erased_at is not None:
        logger.info("Not mailing request %s: the requester's data was erased", request.pk)
        return False
    mail = build_request_mail(message, with_satisfaction=with_satisfaction)
    try:
        mailers.default.send_messages([mail])
    except smtplib.SMTPRecipientsRefused as refused:
        code, reply = next(iter(refused.recipients.values()))
        if 500 <= code < 600:
            logger.warning("Request %s: %s refused (%s %r)", request.pk, mail.to, code, reply)
            return False
        raise MailDeferred(f"{request.requester_email}: {code} {reply!r}") from refused
    except smtplib.SMTPResponseException as failure:
        if 400 <= failure.smtp_code < 500:
            raise MailDeferred(f"{failure.smtp_code} {failure.smtp_error!r}") from failure
        raise
    except smtplib.SMTPServerDisconnected as failure:
        raise MailDeferred(f"mail server hung up: {failure}") from failure
    except smtplib.SMTPException:
        raise
    except OSError as failure:
        raise MailDeferred(f"mail server unreachable: {failure}") from failure
    return True


def build_mention_mail(note: InternalNote, user: Any) -> EmailMessage:
    """ "X mentioned you on #DN-…": the note and the link to the request's staff page, in the
    agent's language."""
    request = note.request
    language = getattr(user, "language", "") or settings.LANGUAGE_CODE
    author = note.author
    author_name = (
        (getattr(author, "full_name", "") or getattr(author, "email", "")) if author else ""
    )
    with translation.override(language):
        link = settings.SITE_URL + reverse("helpdesk:staff-request", args=[request.token])
        subject = gettext("%(name)s mentioned you on #%(token)s") % {
            "name": author_name or gettext("A colleague"),
            "token": request.token,
        }
        body = "\n\n".join([f"{request.subject}", note.body.strip(), link]) + "\n"
    return EmailMessage(
        subject=subject, body=body, to=[user.email], headers={LOOP_HEADER: request.token}
    )


def send_mention_message(note_id: int, user_id: int) -> bool:
    """Tell a mentioned agent about a note, if it and they still exist and may see it."""
    from kaynak.core.permissions import can

    note = (
        InternalNote.objects.select_related("request__queue", "author").filter(pk=note_id).first()
    )
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if note is None or user is None or not user.email:
        return False
    if not can(user, "helpdesk.view_requests", note.request):
        return False
    try:
        mailers.default.send_messages([build_mention_mail(note, user)])
    except (smtplib.SMTPServerDisconnected, smtplib.SMTPResponseException, OSError) as failure:
        raise MailDeferred(f"mention mail: {failure}") from failure
    return True
