"""Receivers of allauth's signals: entry points that call a service, like a view."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from kaynak.accounts.models import User
from kaynak.accounts.services import email_verify_by_password_link


def verify_address_on_password_reset(
    sender: Any, request: HttpRequest, user: User, **kwargs: Any
) -> None:
    """allauth's ``password_reset``: a password was set from a link mailed to the user.

    Invited colleagues get such a link instead of a separate verification e-mail.
    """
    email_verify_by_password_link(user=user)
