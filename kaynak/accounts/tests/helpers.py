"""Small helpers for the accounts tests."""

from __future__ import annotations

import time
from typing import Any

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.urls import reverse
from django.utils import translation


def url(name: str, *args: Any, language: str = "tr") -> str:
    """The URL of ``name`` in ``language``: Turkish pages unprefixed, English ones under /en/.

    ``reverse`` alone follows the language the last request activated, so a test that has just
    visited an English page would otherwise get English URLs.
    """
    with translation.override(language):
        return reverse(name, args=args)


def totp_code(secret: str) -> str:
    """The code an authenticator app shows now for ``secret``, by allauth's own algorithm."""
    counter = int(time.time()) // mfa_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))
