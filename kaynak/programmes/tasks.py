"""Background work of trainings and events, run by the worker through ``django.tasks``.

Periodic jobs (offers lapsing, reminders, survey invitations) are declared in
``kaynak/core/schedule.py``.
"""

from __future__ import annotations

from typing import Any

from django.tasks import TaskContext, task
from huey.exceptions import RetryTask

from kaynak.programmes import feedback, services
from kaynak.programmes.mail import MailDeferred, send_registration_message

# A mail the server could not take now is tried again after these pauses (seconds): about a
# day in all, then the task fails and the worker's log says why.
MAIL_RETRY_DELAYS = (60, 5 * 60, 15 * 60, 60 * 60, 3 * 60 * 60, 6 * 60 * 60, 12 * 60 * 60)


@task(takes_context=True)
def send_registration_mail(
    context: TaskContext[Any, Any],
    registration_id: int,
    message: str,
    session_id: int | None = None,
) -> bool:
    """Send the registrant the mail ``message`` (confirmed, waitlisted, offered, cancelled,
    lapsed …) in their language. Returns whether it was sent.

    The django.tasks API has no retries; huey's ``RetryTask`` re-runs this same task later
    (django.tasks counts the attempts), so a mail server that is down delays mail, never
    loses it, and a refused address (bounce) ends the task without a retry."""
    try:
        return send_registration_message(registration_id, message, session_id)
    except MailDeferred as deferred:
        attempt = context.attempt
        if attempt > len(MAIL_RETRY_DELAYS):
            raise
        raise RetryTask(str(deferred), delay=MAIL_RETRY_DELAYS[attempt - 1]) from deferred


@task()
def lapse_offers() -> int:
    """Seat offers not taken in time lapse, and their seats go to the next on the waiting
    list (every five minutes)."""
    return services.lapse_offers()


@task()
def send_reminders() -> int:
    """Remind seat holders two days and two hours before a session (every ten minutes)."""
    from kaynak.programmes.reminders import send_due_reminders  # it queues this module's tasks

    return send_due_reminders()


@task()
def invite_feedback() -> int:
    """Send the survey to those who attended an activity whose last session ended (hourly)."""
    return feedback.invite_due()
