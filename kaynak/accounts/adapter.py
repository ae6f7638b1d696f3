from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    """New users keep the language they signed up in, for their e-mails and pages."""

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        user = super().save_user(request, user, form, commit=False)
        language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
        user.language = language if language in dict(settings.LANGUAGES) else "tr"
        if commit:
            user.save()
        return user
