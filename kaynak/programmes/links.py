"""Signed links a registrant uses without an account (cancel, take an offered seat, see the
registration and its QR code, answer the survey), and absolute URLs for mail."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation

from kaynak.programmes.models import Registration

SALT = "kaynak.programmes.registration"


def registration_token(registration: Registration) -> str:
    """A token naming the registration, signed with the site's secret (never guessable)."""
    return signing.dumps([registration.pk, registration.code], salt=SALT, compress=True)


def registration_from_token(token: str) -> Registration | None:
    """The registration a token names, or None for a forged, altered or stale token."""
    try:
        pk, code = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return (
        Registration.objects.select_related("activity", "person", "organisation")
        .filter(pk=pk, code=code)
        .first()
    )


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def registration_url(registration: Registration, name: str = "registration") -> str:
    """The absolute URL of the registrant's page (or ``name``: another signed page), in the
    registrant's language."""
    with translation.override(registration.language):
        return absolute(
            reverse(f"programmes:{name}", kwargs={"token": registration_token(registration)})
        )
