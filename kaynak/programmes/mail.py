"""Mail to registrants, in their language, from the center's name.

Every message a registration can receive is named in ``MESSAGES``; the worker sends it through
``tasks.send_registration_mail`` (queued by the services after their commit). Each message has
``templates/programmes/mail/<message>_subject.txt`` and ``<message>.txt`` (its paragraphs),
set in ``base_message.txt`` (the plain text) and ``base_message.html`` (a simple HTML
alternative) with the sessions and the message's signed link.

The worker sends a message only if it still fits the registration as it is when the mail goes
out: a "seat offered" queued a minute before the person cancelled is dropped, not sent stale;
nothing goes to a person whose data was erased.
An address the mail server refuses for good (5xx) is marked bounced and gets no more mail; a
temporary refusal (4xx, no connection) raises ``MailDeferred`` so the task tries again later.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import smtplib
from dataclasses import dataclass
from email.utils import formataddr, parseaddr
from typing import Any, Literal

import segno
from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives, mailers
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kaynak.core.audit import log_action
from kaynak.core.models import CenterSettings
from kaynak.programmes.links import registration_url
from kaynak.programmes.models import (
    ACTIVE,
    SEAT_HOLDING,
    ActivityStatus,
    Registration,
    RegistrationStatus,
    Session,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class MessageKind:
    """What a message needs and shows besides its text."""

    statuses: frozenset[str]  # it still applies when the worker sends it, in these statuses
    sessions: Literal["all", "one", "none"]  # the activity's sessions, the one it is about, none
    action: tuple[Promise, str] | None = None  # its link: label, URL name of the signed page


REGISTRATION_PAGE = (_("See or cancel your registration"), "registration")
MESSAGES: dict[str, MessageKind] = {
    "confirmed": MessageKind(frozenset({RegistrationStatus.CONFIRMED}), "all", REGISTRATION_PAGE),
    "waitlisted": MessageKind(
        frozenset({RegistrationStatus.WAITLISTED}),
        "all",
        (_("See your registration or leave the waiting list"), "registration"),
    ),
    "offered": MessageKind(
        frozenset({RegistrationStatus.OFFERED}), "all", (_("Take the seat"), "registration")
    ),
    "cancelled": MessageKind(frozenset({RegistrationStatus.CANCELLED}), "none"),
    "lapsed": MessageKind(frozenset({RegistrationStatus.LAPSED}), "none"),
    "changed": MessageKind(frozenset(ACTIVE), "all", REGISTRATION_PAGE),
    # The reminders are about one session: they name it, and are dropped once it started.
    "reminder-2d": MessageKind(frozenset(SEAT_HOLDING), "all", REGISTRATION_PAGE),
    "reminder-2h": MessageKind(frozenset(SEAT_HOLDING), "one", REGISTRATION_PAGE),
    "feedback": MessageKind(
        frozenset({RegistrationStatus.CONFIRMED}), "none", (_("Answer the survey"), "feedback")
    ),
}
SESSION_MESSAGES = frozenset({"reminder-2d", "reminder-2h"})

# Dates as people write them: "12 Mart 2027 Cuma" / "Friday 12 March 2027".
DAY_FORMATS = {"tr": "j F Y l", "en": "l j F Y"}


class MailDeferred(Exception):
    """The mail server could not take the message now (4xx, no connection): try again later."""


@dataclass(frozen=True)
class SessionLine:
    """A session as a mail shows it, in the registrant's language and Istanbul time."""

    session: Session
    day: str
    hours: str
    place: str
    meeting_url: str
    stream_url: str

    @property
    def when(self) -> str:
        return f"{self.day}, {self.hours}"


def day_label(moment: dt.datetime) -> str:
    """The day of ``moment`` in the site's time zone, written in the active language."""
    language = (translation.get_language() or "tr")[:2]
    return formats.date_format(timezone.localtime(moment), DAY_FORMATS.get(language, "j F Y l"))


def time_label(moment: dt.datetime) -> str:
    """``moment`` as "12 Mart 2027 Cuma, 14:00" in the site's time zone."""
    return f"{day_label(moment)}, {timezone.localtime(moment):%H:%M}"


def session_line(session: Session, *, with_meeting_link: bool) -> SessionLine:
    starts, ends = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
    hours = f"{starts:%H:%M}–{ends:%H:%M}"
    if starts.date() != ends.date():
        hours = f"{starts:%H:%M} – {time_label(session.ends_at)}"
    if session.online:
        place = gettext("Online")
    else:
        parts = [session.venue, session.address, session.province.label if session.province else ""]
        place = ", ".join(part.strip() for part in parts if part and part.strip())
    return SessionLine(
        session=session,
        day=day_label(session.starts_at),
        hours=hours,
        place=place,
        meeting_url=session.meeting_url if session.online and with_meeting_link else "",
        stream_url=session.stream_url if session.online else "",
    )


def waitlist_position(registration: Registration) -> int:
    """The registration's place on its activity's waiting list (1 is next), now."""
    # The order of services.fill_seats: first come, first served.
    earlier = Q(created_at__lt=registration.created_at) | Q(
        created_at=registration.created_at, id__lt=registration.pk
    )
    ahead = Registration.objects.filter(
        earlier, activity_id=registration.activity_id, status=RegistrationStatus.WAITLISTED
    )
    return ahead.count() + 1


def qr_png(code: str) -> bytes:
    """A QR code of ``code`` as a PNG (a full QR, never a Micro QR: phones cannot read those)."""
    buffer = io.BytesIO()
    segno.make_qr(code, error="m").save(buffer, kind="png", scale=10, border=4)
    return buffer.getvalue()


def _sender(center: CenterSettings) -> str:
    """DEFAULT_FROM_EMAIL's address under the center's name."""
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return formataddr((center.name, address or settings.DEFAULT_FROM_EMAIL))


def build_registration_message(
    registration: Registration, message: str, *, session: Session | None = None
) -> EmailMultiAlternatives:
    """The mail ``message`` for ``registration`` in the registrant's language, ready to send."""
    if message not in MESSAGES:
        raise ValueError(f"Unknown registration message {message!r}")
    activity = registration.activity
    holds_seat = registration.status in SEAT_HOLDING
    with translation.override(registration.language):
        center = CenterSettings.current()
        lines = [
            session_line(s, with_meeting_link=holds_seat)
            for s in activity.sessions.select_related("province").order_by("starts_at", "id")
        ]
        this_session = next((line for line in lines if line.session == session), None)
        kind = MESSAGES[message]
        shown = {"all": lines, "one": [this_session] if this_session else [], "none": []}
        context: dict[str, Any] = {
            "center": center,
            "center_name": center.name,
            "registration": registration,
            "person_name": registration.person.full_name,
            "activity": activity,
            "session": this_session,
            "shown_sessions": shown[kind.sessions],
        }
        if registration.status == RegistrationStatus.WAITLISTED:
            context["position"] = waitlist_position(registration)
        if registration.status == RegistrationStatus.OFFERED and registration.offer_expires_at:
            context["offer_expires"] = time_label(registration.offer_expires_at)
        if kind.action is not None:
            label, url_name = kind.action
            context["action_label"] = label
            context["action_url"] = registration_url(registration, url_name)
        prefix = f"programmes/mail/{message}"
        context["subject"] = " ".join(render_to_string(f"{prefix}_subject.txt", context).split())
        context["body"] = render_to_string(f"{prefix}.txt", context).strip()
        text = _tidy(render_to_string("programmes/mail/base_message.txt", context))
        html = render_to_string("programmes/mail/base_message.html", context)
        sender = _sender(center)
    mail = EmailMultiAlternatives(
        subject=f"[{context['center_name']}] {context['subject']}",
        body=text,
        from_email=sender,
        to=[registration.email],
        reply_to=[center.email] if center.email else None,
    )
    mail.attach_alternative(html, "text/html")
    if message == "confirmed":
        mail.attach(f"{registration.code}.png", qr_png(registration.code), "image/png")
    return mail


def _tidy(text: str) -> str:
    """Plain text as a person would type it: no trailing spaces, at most one empty line."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    kept: list[str] = []
    for line in lines:
        if line or (kept and kept[-1]):
            kept.append(line)
    return "\n".join(kept) + "\n"


def _still_applies(
    registration: Registration, message: str, session: Session | None, now: dt.datetime
) -> bool:
    if registration.status not in MESSAGES[message].statuses:
        return False
    if registration.activity.status == ActivityStatus.CANCELLED and message != "cancelled":
        return False
    if message == "offered" and (
        registration.offer_expires_at is not None and registration.offer_expires_at <= now
    ):
        return False
    return not (message in SESSION_MESSAGES and (session is None or session.starts_at <= now))


def send_registration_message(
    registration_id: int, message: str, session_id: int | None = None
) -> bool:
    """Send the registrant the mail ``message`` if it still applies. Returns whether it went.

    A permanent refusal of the address marks the registration bounced (and returns False); a
    temporary one raises ``MailDeferred``."""
    if message not in MESSAGES:
        raise ValueError(f"Unknown registration message {message!r}")
    registration = (
        Registration.objects.select_related("activity", "person").filter(pk=registration_id).first()
    )
    if registration is None:
        return False
    if registration.person.erased_at is not None:
        # Their personal data was erased (KVKK): the address is gone, and nothing is sent to
        # them any more, not even a mail queued before the erasure.
        logger.info("Not mailing %s to registration %s: erased", message, registration_id)
        return False
    if registration.email_bounced_at is not None:
        logger.info("Not mailing %s to registration %s: bounced", message, registration_id)
        return False
    if registration.walk_in and message == "confirmed":
        return False  # registered at the door, already there: nothing to confirm
    session = None
    if message in SESSION_MESSAGES and session_id is not None:
        session = Session.objects.filter(pk=session_id, activity=registration.activity).first()
    if not _still_applies(registration, message, session, timezone.now()):
        logger.info(
            "Not mailing %s to registration %s: no longer applies", message, registration_id
        )
        return False
    mail = build_registration_message(registration, message, session=session)
    refused = deliver(mail)
    if refused is not None:
        code, reply = refused
        record_bounce(registration=registration, message=message, code=code, reply=reply)
        return False
    return True


def deliver(mail: EmailMessage) -> tuple[int, bytes | str] | None:
    """Send one message. None when the server took it; the server's (code, reply) when it
    refused the recipient for good (5xx). Raises ``MailDeferred`` for what may pass by trying
    later (4xx, a server that hung up or cannot be reached); other SMTP errors (sender or
    message refused, bad login) will not pass by retrying and propagate, so the task fails for
    someone to look at the settings."""
    try:
        mailers.default.send_messages([mail])
    except smtplib.SMTPRecipientsRefused as refused:
        code, reply = next(iter(refused.recipients.values()))
        if 500 <= code < 600:
            return code, reply
        raise MailDeferred(f"{', '.join(mail.to)}: {code} {reply!r}") from refused
    except smtplib.SMTPResponseException as failure:
        if 400 <= failure.smtp_code < 500:
            raise MailDeferred(f"{failure.smtp_code} {failure.smtp_error!r}") from failure
        raise
    except smtplib.SMTPServerDisconnected as failure:
        raise MailDeferred(f"mail server hung up: {failure}") from failure
    except smtplib.SMTPException:
        raise
    except OSError as failure:  # refused, unreachable, timed out (smtplib errors handled above)
        raise MailDeferred(f"mail server unreachable: {failure}") from failure
    return None


@transaction.atomic
def record_bounce(
    *, registration: Registration, message: str, code: int, reply: bytes | str
) -> bool:
    """The mail server refused the registration's address for good: mark it bounced, so no
    more mail goes there and staff see why. Returns False when it was already marked."""
    now = timezone.now()
    marked = Registration.objects.filter(pk=registration.pk, email_bounced_at__isnull=True).update(
        email_bounced_at=now, updated_at=now
    )
    if not marked:
        return False
    registration.email_bounced_at = now
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else reply
    log_action(
        "kaynak.programmes.registration.bounced",
        target=registration,
        data={"email": registration.email, "message": message, "code": code, "reply": text},
    )
    return True
