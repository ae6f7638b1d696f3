"""Staff must use two-factor authentication: until they have set it up, they are sent to do so."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _


class StaffMFARequiredMiddleware:
    """Sends a staff member without TOTP to allauth's set-up page from every other page."""

    # Pages a staff member without TOTP may still reach. allauth asks for the password again
    # before TOTP can be activated (the reauthenticate pages), and refuses to activate it while
    # an e-mail address is unverified (the e-mail pages); without these the set-up could never
    # finish and every request would bounce between two redirects.
    EXEMPT_URL_NAMES = frozenset(
        {
            "mfa_activate_totp",
            "mfa_index",
            "mfa_reauthenticate",
            "account_reauthenticate",
            "account_email",
            "account_confirm_email",
            "account_logout",
            "set_language",
        }
    )
    EXEMPT_PATH_PREFIXES = ("/static/", "/media/", "/api/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: list[Any],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        # In process_view, not __call__: the resolved URL name is known here.
        user = getattr(request, "user", None)
        if (
            user is None
            or not user.is_authenticated
            or not user.is_staff
            or self._exempt(request)
            or Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            return None
        messages.warning(
            request,
            _("Staff accounts must use two-factor authentication. Set it up to continue."),
        )
        return redirect("mfa_activate_totp")

    def _exempt(self, request: HttpRequest) -> bool:
        if request.path_info.startswith(self.EXEMPT_PATH_PREFIXES):
            return True
        match = request.resolver_match
        return match is not None and match.url_name in self.EXEMPT_URL_NAMES
