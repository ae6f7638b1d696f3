"""Background work of the support desk, run by the worker through ``django.tasks``.

Periodic jobs (``check_sla`` every five minutes, ``close_resolved`` daily) are declared in
``kaynak/core/schedule.py``.
"""

from __future__ import annotations

from typing import Any

from django.tasks import TaskContext, task
from huey.exceptions import RetryTask

from kaynak.helpdesk import services
from kaynak.helpdesk.mail import MailDeferred, send_mention_message, send_request_message

# A mail the server could not take now is tried again after these pauses (seconds).
MAIL_RETRY_DELAYS = (60, 5 * 60, 15 * 60, 60 * 60, 3 * 60 * 60, 6 * 60 * 60, 12 * 60 * 60)


@task(takes_context=True)
def send_request_mail(
    context: TaskContext[Any, Any], message_id: int, with_satisfaction: bool = False
) -> bool:
    """Send an outgoing message of a request (confirmation, answer, resolution). A mail server
    that is down delays the mail (huey's ``RetryTask``), never loses it."""
    try:
        return send_request_message(message_id, with_satisfaction=with_satisfaction)
    except MailDeferred as deferred:
        attempt = context.attempt
        if attempt > len(MAIL_RETRY_DELAYS):
            raise
        raise RetryTask(str(deferred), delay=MAIL_RETRY_DELAYS[attempt - 1]) from deferred


@task(takes_context=True)
def send_mention_mail(context: TaskContext[Any, Any], note_id: int, user_id: int) -> bool:
    """Tell an agent a colleague mentioned them in a note (retried like the request mails)."""
    try:
        return send_mention_message(note_id, user_id)
    except MailDeferred as deferred:
        attempt = context.attempt
        if attempt > len(MAIL_RETRY_DELAYS):
            raise
        raise RetryTask(str(deferred), delay=MAIL_RETRY_DELAYS[attempt - 1]) from deferred


@task()
def check_sla() -> int:
    """Warn before, and mark, SLA breaches (every five minutes). Returns how many changed."""
    return services.check_sla()


@task()
def close_resolved() -> int:
    """Close requests resolved more than ``HELPDESK_CLOSE_AFTER_DAYS`` ago (daily)."""
    return services.close_resolved()
