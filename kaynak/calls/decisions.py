"""Deciding on applications: accepted, waitlisted or rejected, with a reason.

``decide`` is the one writer of a decision; the apps above react through
``signals.application_decided`` inside the same transaction (a receiver's ``KaynakError``
refuses the decision and nothing is written). ``decide_many`` decides several at once, all or
none.

Applicants are told by e-mail (``notify``), from the call's ``DecisionTemplate`` for the
decision and their language or, while the call has none, the default texts below; until then
their page shows "submitted" (``public_status``).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from functools import partial
from string import Formatter
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from kaynak.calls.errors import CallError
from kaynak.calls.models import DECISIONS, Application, ApplicationStatus, Call, DecisionTemplate
from kaynak.calls.signals import application_decided
from kaynak.core.audit import log_action
from kaynak.core.errors import KaynakError


@transaction.atomic
def decide(
    *,
    application: Application,
    decision: str,
    reason: str = "",
    actor: Any = None,
    now: dt.datetime | None = None,
) -> Application:
    """Record ``decision`` (accepted / waitlisted / rejected) on a submitted or already decided
    application. Deciding again changes the decision (and tells the apps above); the e-mail is
    sent separately (``notified_at`` is cleared, so the new decision is told)."""
    if decision not in DECISIONS:
        raise CallError(_("Choose accepted, waiting list or not selected."), code="decision")
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.status not in [ApplicationStatus.SUBMITTED, *DECISIONS]:
        raise CallError(
            _("Only a submitted application can be decided on; this one is %(status)s.")
            % {"status": locked.get_status_display()},
            code="not_submitted",
        )
    previous = locked.status
    if previous == decision and locked.decision_reason == reason.strip():
        return locked
    locked.status = decision
    locked.decision_reason = reason.strip()
    locked.decided_at = now or timezone.now()
    locked.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    if previous != decision:
        locked.notified_at = None
    locked.save(
        update_fields=[
            "status",
            "decision_reason",
            "decided_at",
            "decided_by",
            "notified_at",
            "updated_at",
        ]
    )
    log_action(
        "kaynak.calls.application.decided",
        actor=actor,
        target=locked,
        data={"decision": decision, "previous": previous, "reason": locked.decision_reason},
    )
    if previous != decision:
        application_decided.send(sender=Application, application=locked, previous=previous)
    return locked


@transaction.atomic
def decide_many(
    *,
    applications: Sequence[Application],
    decision: str,
    reason: str = "",
    actor: Any = None,
    now: dt.datetime | None = None,
) -> list[Application]:
    """Record the same ``decision`` and ``reason`` on every application, through ``decide``:
    all of them or, when one is refused, none (the message names the application)."""
    if not applications:
        raise CallError(_("Tick at least one application."), code="none_chosen")
    decided = []
    for application in sorted(applications, key=lambda a: a.pk):
        try:
            decided.append(
                decide(
                    application=application,
                    decision=decision,
                    reason=reason,
                    actor=actor,
                    now=now,
                )
            )
        except KaynakError as refused:
            raise CallError(
                _("%(code)s: %(problem)s Nothing was decided.")
                % {"code": application.code, "problem": refused.message},
                code=refused.code,
            ) from refused
    return decided


def public_status(application: Application) -> str:
    """The status the applicant may see (``Application.public_status``)."""
    return application.public_status


def public_status_label(application: Application) -> str:
    return application.public_status_label


# Decision e-mails ------------------------------------------------------------------------------

TEMPLATE_VARIABLES = ("organisation", "applicant", "call", "code", "reason", "url")

# The texts used while a call has no template of its own (staff edit a copy of these).
DEFAULT_TEMPLATES: dict[tuple[str, str], tuple[str, str]] = {
    (ApplicationStatus.ACCEPTED, "tr"): (
        "{call}: başvurunuz kabul edildi",
        "Sayın {applicant},\n\n"
        "{organisation} adına yaptığınız {code} numaralı başvuru {call} için kabul edildi. "
        "Tebrik ederiz!\n\n{reason}\n\n"
        "Sonraki adımları başvuru sayfanızda bulabilirsiniz:\n{url}\n",
    ),
    (ApplicationStatus.ACCEPTED, "en"): (
        "{call}: your application is accepted",
        "Dear {applicant},\n\n"
        "The application {code} you made for {organisation} to {call} is accepted. "
        "Congratulations!\n\n{reason}\n\n"
        "You will find the next steps on your application's page:\n{url}\n",
    ),
    (ApplicationStatus.WAITLISTED, "tr"): (
        "{call}: başvurunuz yedek listede",
        "Sayın {applicant},\n\n"
        "{organisation} adına yaptığınız {code} numaralı başvuru {call} için yedek listeye "
        "alındı. Yer açılırsa size hemen haber vereceğiz.\n\n{reason}\n\n"
        "Başvurunuz:\n{url}\n",
    ),
    (ApplicationStatus.WAITLISTED, "en"): (
        "{call}: your application is on the waiting list",
        "Dear {applicant},\n\n"
        "The application {code} you made for {organisation} to {call} is on the waiting list. "
        "We will tell you at once if a place becomes free.\n\n{reason}\n\n"
        "Your application:\n{url}\n",
    ),
    (ApplicationStatus.REJECTED, "tr"): (
        "{call}: başvurunuz hakkında",
        "Sayın {applicant},\n\n"
        "{organisation} adına yaptığınız {code} numaralı başvuruyu dikkatle değerlendirdik; "
        "bu dönem {call} için seçilemediğini üzülerek bildiririz.\n\n{reason}\n\n"
        "İlginiz için teşekkür eder, sonraki çağrılarımıza da bekleriz.\n{url}\n",
    ),
    (ApplicationStatus.REJECTED, "en"): (
        "{call}: about your application",
        "Dear {applicant},\n\n"
        "We read the application {code} you made for {organisation} carefully; we are sorry "
        "that it was not selected for {call} this time.\n\n{reason}\n\n"
        "Thank you for your interest; we hope to see you in our next calls.\n{url}\n",
    ),
}


def decision_template(call: Call, decision: str, language: str) -> DecisionTemplate:
    """The call's template for ``decision`` in ``language``, or (unsaved) the default one."""
    language = "en" if language.startswith("en") else "tr"
    found = DecisionTemplate.objects.filter(call=call, decision=decision, language=language)
    template = found.first()
    if template is not None:
        return template
    subject, body = DEFAULT_TEMPLATES[(decision, language)]
    return DecisionTemplate(
        call=call, decision=decision, language=language, subject=subject, body=body
    )


def template_problem(text: str) -> str | None:
    """What is wrong with the variables of a template text, or None when nothing is."""
    try:
        fields = [
            name for _literal, name, _spec, _conv in Formatter().parse(text) if name is not None
        ]
    except ValueError:
        return str(
            _(
                "A curly bracket is not closed. Variables are written like {organisation}; "
                "write {{ or }} for a bracket itself."
            )
        )
    unknown = sorted({name for name in fields if name not in TEMPLATE_VARIABLES})
    if unknown:
        return str(
            _("Unknown variable %(unknown)s. You can use: %(known)s.")
            % {
                "unknown": ", ".join("{" + name + "}" for name in unknown),
                "known": ", ".join("{" + name + "}" for name in TEMPLATE_VARIABLES),
            }
        )
    return None


@transaction.atomic
def template_save(
    *, call: Call, decision: str, language: str, subject: str, body: str, actor: Any
) -> DecisionTemplate:
    """Save the call's e-mail for ``decision`` in ``language``; an unknown variable is
    refused."""
    if decision not in DECISIONS or language not in ("tr", "en"):
        raise CallError(_("There is no such decision e-mail."), code="template")
    for text, field in ((subject, "subject"), (body, "body")):
        if not text.strip():
            raise CallError(_("This cannot be empty."), code=field)
        problem = template_problem(text)
        if problem:
            raise CallError(problem, code=field)
    template, _created = DecisionTemplate.objects.update_or_create(
        call=call,
        decision=decision,
        language=language,
        defaults={"subject": subject.strip(), "body": body.strip() + "\n"},
    )
    log_action(
        "kaynak.calls.decision_template.saved",
        actor=actor,
        target=call,
        data={"decision": decision, "language": language},
    )
    return template


def application_url(application: Application) -> str:
    """The absolute URL of the applicant's page of the application, in their language."""
    with translation.override(application.language or "tr"):
        try:
            path = reverse("calls:application", args=[application.code])
        except NoReverseMatch:
            path = reverse("calls:call", args=[application.call.slug])
    return settings.SITE_URL + path


def render_decision(application: Application, template: DecisionTemplate) -> tuple[str, str]:
    """The subject and body of ``template`` filled in for ``application``."""
    with translation.override(template.language):
        values = {
            "organisation": application.organisation.name if application.organisation else "",
            "applicant": application.person.full_name,
            "call": application.call.label,
            "code": application.code,
            "reason": application.decision_reason,
            "url": application_url(application),
        }
    subject = " ".join(template.subject.format_map(values).split())
    body = template.body.format_map(values)
    # An empty reason leaves no gap of blank lines.
    body = re.sub(r"\n{3,}", "\n\n", body)
    return subject, body


def to_notify(call: Call) -> QuerySet[Application]:
    """Decided applications of the call whose applicant was not yet told."""
    return Application.objects.filter(
        call=call, status__in=DECISIONS, notified_at__isnull=True
    ).order_by("pk")


@transaction.atomic
def notify(*, call: Call, actor: Any, now: dt.datetime | None = None) -> int:
    """Tell every decided, not yet told applicant of the call their decision by e-mail (in the
    application's language; sent after the commit by a task); returns how many."""
    from kaynak.calls.tasks import send_decision_mail  # the task module imports mail, this one

    moment = now or timezone.now()
    pending = list(to_notify(call).select_for_update().values_list("pk", "status"))
    if not pending:
        return 0
    Application.objects.filter(pk__in=[pk for pk, _status in pending]).update(
        notified_at=moment, updated_at=moment
    )
    for pk, status in pending:
        transaction.on_commit(partial(send_decision_mail.enqueue, pk, status))
    log_action(
        "kaynak.calls.decisions.notified",
        actor=actor,
        target=call,
        data={"applications": [pk for pk, _status in pending]},
    )
    return len(pending)
