"""Background work of trainings and events, run by the worker through ``django.tasks``."""

from __future__ import annotations

from django.tasks import task


@task()
def send_registration_mail(registration_id: int, message: str) -> bool:
    """Send the registrant the mail ``message`` (confirmed, waitlisted, offered, cancelled,
    lapsed …) in their language. Returns whether it was sent."""
    from kaynak.programmes.mail import send_registration_message

    return send_registration_message(registration_id, message)
