"""Mail to applicants, in the application's language, from the center's name.

One send function per mail (``send_receipt``, ``send_withdrawal`` …); the worker calls them
through ``kaynak.calls.tasks`` (queued by the services after their commit). Each mail has
``templates/calls/mail/<name>_subject.txt`` and ``<name>.txt``. A temporary refusal of the mail
server raises ``MailDeferred`` (the task tries again later); nothing goes to an erased person.
"""

from __future__ import annotations

import logging
from email.utils import formataddr, parseaddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from kaynak.calls.models import Application, ApplicationStatus
from kaynak.core.models import CenterSettings
from kaynak.programmes.mail import MailDeferred, deliver

logger = logging.getLogger(__name__)

__all__ = ["MailDeferred", "send_receipt", "send_withdrawal"]


def recipient(application: Application) -> str:
    """The applicant's address: their account's, else their first in the directory."""
    if application.user is not None and application.user.email:
        return str(application.user.email)
    emails = application.person.emails
    return str(emails[0]) if emails else ""


def application_url(application: Application) -> str:
    with translation.override(application.language or "tr"):
        path = reverse("calls:application", kwargs={"code": application.code})
    return f"{settings.SITE_URL}{path}"


def _sender(center: CenterSettings) -> str:
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return formataddr((center.name, address or settings.DEFAULT_FROM_EMAIL))


def build_message(
    application: Application, name: str, extra: dict[str, Any] | None = None
) -> EmailMessage:
    """The mail ``name`` for ``application`` in its language, ready to send."""
    with translation.override(application.language or "tr"):
        center = CenterSettings.current()
        context: dict[str, Any] = {
            "center": center,
            "application": application,
            "call": application.call,
            "organisation": application.organisation,
            "person_name": application.person.full_name,
            "url": application_url(application),
            **(extra or {}),
        }
        subject = " ".join(render_to_string(f"calls/mail/{name}_subject.txt", context).split())
        body = render_to_string(f"calls/mail/{name}.txt", context).strip() + "\n"
    return EmailMessage(
        subject=f"[{center.name}] {subject}",
        body=body,
        from_email=_sender(center),
        to=[recipient(application)],
        reply_to=[center.email] if center.email else None,
    )


def _send(mail: EmailMessage) -> None:
    refused = deliver(mail)
    if refused is not None:
        logger.warning("Application mail refused for good: %s %r", *refused)


def _application(application_id: int) -> Application | None:
    application = (
        Application.objects.select_related("call", "organisation", "person", "user")
        .filter(pk=application_id)
        .first()
    )
    if application is None or application.person.erased_at is not None:
        return None
    if not recipient(application):
        return None
    return application


def send_receipt(application_id: int) -> bool:
    """The receipt of a submitted application, with the receipt PDF attached."""
    from kaynak.calls.receipts import receipt_filename, receipt_pdf

    application = _application(application_id)
    if application is None or application.submitted_at is None:
        return False
    mail = build_message(application, "receipt")
    mail.attach(receipt_filename(application), receipt_pdf(application), "application/pdf")
    _send(mail)
    return True


def send_withdrawal(application_id: int) -> bool:
    """The confirmation that an application was withdrawn."""
    application = _application(application_id)
    if application is None or application.status != ApplicationStatus.WITHDRAWN:
        return False
    _send(build_message(application, "receipt_withdrawn"))
    return True


# Decisions ---------------------------------------------------------------------------------


def build_decision_message(application: Application) -> EmailMessage:
    """The e-mail telling ``application`` its decision, from the call's template (or the
    default) in the application's language, signed with the center's name."""
    from kaynak.calls.decisions import decision_template, render_decision

    language = "en" if (application.language or "").startswith("en") else "tr"
    subject, body = render_decision(
        application, decision_template(application.call, application.status, language)
    )
    center = CenterSettings.current()
    with translation.override(language):
        text = render_to_string("calls/mail/decision.txt", {"body": body.strip(), "center": center})
    return EmailMessage(
        subject=f"[{center.name}] {subject}",
        body=text.strip() + "\n",
        from_email=_sender(center),
        to=[recipient(application)],
        reply_to=[center.email] if center.email else None,
    )


def send_decision(application_id: int, decision: str) -> bool:
    """Tell the applicant ``decision`` if it is still their decision and it was released by
    ``notify`` (a decision changed since waits for the next ``notify``)."""
    application = _application(application_id)
    if application is None or application.status != decision or application.notified_at is None:
        return False
    _send(build_decision_message(application))
    return True
