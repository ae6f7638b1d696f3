from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings
from django.http import HttpRequest
from django.utils.encoding import force_str

from kaynak.core.models import CenterSettings


@dataclass(frozen=True)
class CenterSite:
    """What allauth's e-mails call "the site": the center's name and the site's address."""

    name: str
    domain: str


def center_site() -> CenterSite:
    return CenterSite(name=CenterSettings.current().name, domain=urlsplit(settings.SITE_URL).netloc)


class AccountAdapter(DefaultAccountAdapter):
    """E-mails speak in the center's name; new users keep the language they signed up in."""

    def format_email_subject(self, subject: str) -> str:
        return f"[{center_site().name}] {force_str(subject)}"

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        super().send_mail(template_prefix, email, {**context, "current_site": center_site()})

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        user = super().save_user(request, user, form, commit=False)
        language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
        user.language = language if language in dict(settings.LANGUAGES) else "tr"
        if commit:
            user.save()
        return user
