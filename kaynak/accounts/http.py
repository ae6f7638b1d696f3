from __future__ import annotations

from django.http import HttpRequest

from kaynak.accounts.models import User


class AuthenticatedHttpRequest(HttpRequest):
    """A request behind a login check: ``request.user`` is a ``User``, never anonymous."""

    user: User
