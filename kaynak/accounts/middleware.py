"""Staff must use two-factor authentication: until they have set it up, they are sent to do so."""

from __future__ import annotations

from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _


class StaffMFARequiredMiddleware:
    # Paths a staff member without MFA may still reach: setting it up, logging out, languages,
    # static files. Everything else redirects to the TOTP set-up page.
    EXEMPT_URL_NAMES = ("mfa_activate_totp", "mfa_index", "account_logout", "set_language")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.is_staff
            and not self._exempt(request)
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            messages.warning(
                request,
                _("Staff accounts must use two-factor authentication. Set it up to continue."),
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    def _exempt(self, request: HttpRequest) -> bool:
        path = request.path_info
        if path.startswith(("/static/", "/media/", "/api/")):
            return True
        return any(path == reverse(name) for name in self.EXEMPT_URL_NAMES)
