"""Background work of calls, run by the worker through ``django.tasks``: the applicants' mail
(one task per mail; a mail server that is down delays a mail, never loses it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.tasks import TaskContext, task
from huey.exceptions import RetryTask

from kaynak.calls import mail
from kaynak.programmes.tasks import MAIL_RETRY_DELAYS


def _with_retries(context: TaskContext[Any, Any], send: Callable[[], bool]) -> bool:
    try:
        return send()
    except mail.MailDeferred as deferred:
        attempt = context.attempt
        if attempt > len(MAIL_RETRY_DELAYS):
            raise
        raise RetryTask(str(deferred), delay=MAIL_RETRY_DELAYS[attempt - 1]) from deferred


@task(takes_context=True)
def send_receipt_mail(context: TaskContext[Any, Any], application_id: int) -> bool:
    """Mail the applicant the receipt (with its PDF) of their submitted application."""
    return _with_retries(context, lambda: mail.send_receipt(application_id))


@task(takes_context=True)
def send_withdrawal_mail(context: TaskContext[Any, Any], application_id: int) -> bool:
    """Mail the applicant that their application was withdrawn."""
    return _with_retries(context, lambda: mail.send_withdrawal(application_id))


@task(takes_context=True)
def send_decision_mail(context: TaskContext[Any, Any], application_id: int, decision: str) -> bool:
    """Mail the applicant the decision on their application (from the call's template)."""
    return _with_retries(context, lambda: mail.send_decision(application_id, decision))
