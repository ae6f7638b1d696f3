"""Background work of alerts and tracking, run by the worker through ``django.tasks``: the
confirmation mail of a saved search, the weekly digest and the deadline reminders of tracked
calls. The periodic ones are declared in ``kaynak/core/schedule.py``."""

from __future__ import annotations

import logging
import smtplib
from typing import Any

from django.tasks import TaskContext, task
from huey.exceptions import RetryTask

from kaynak.radar import alerts, tracking
from kaynak.radar.mail import build_confirmation_message, send
from kaynak.radar.models import SavedSearch

logger = logging.getLogger(__name__)

# A confirmation the mail server could not take now is tried again after these pauses (s).
MAIL_RETRY_DELAYS = (60, 5 * 60, 15 * 60, 60 * 60)


@task(takes_context=True)
def send_confirmation_mail(context: TaskContext[Any, Any], search_id: int) -> bool:
    """Send the "confirm your saved search" mail, unless the search is gone or confirmed."""
    search = SavedSearch.objects.filter(pk=search_id, confirmed_at__isnull=True).first()
    if search is None or search.unsubscribed_at is not None:
        return False
    try:
        send(build_confirmation_message(search))
    except (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, OSError) as failure:
        if context.attempt > len(MAIL_RETRY_DELAYS):
            raise
        raise RetryTask(str(failure), delay=MAIL_RETRY_DELAYS[context.attempt - 1]) from failure
    return True


@task()
def digest_weekly() -> int:
    """Send every subscribed address its weekly digest (nothing to those with no news).
    Returns how many mails went."""
    return alerts.send_weekly_digests()


@task()
def tracking_reminders() -> int:
    """Remind organisations of tracked calls whose deadline is 7 days or 1 day away (each
    reminder once, even with two workers). Returns how many mails went."""
    return tracking.send_due_reminders()
