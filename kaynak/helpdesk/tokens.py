"""Request codes ("DN-7KQ4MX") and the signed one-click satisfaction link.

A code is random, not a running number: it appears in mail subjects, and a code someone could
guess would let a stranger's mail thread into another person's request.
"""

from __future__ import annotations

import re
import secrets

from django.conf import settings
from django.core import signing
from django.urls import NoReverseMatch, reverse
from django.utils import translation

# No 0/O, 1/I/L: the code is read aloud on the phone and typed back.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 6
TOKEN_IN_SUBJECT = re.compile(r"\[#([A-Z]{1,4}-[2-9A-HJKMNP-Z]{6})\]", re.IGNORECASE)

SATISFACTION_SALT = "kaynak.helpdesk.satisfaction"
# The link in the resolution mail works this long (seconds): two months.
SATISFACTION_MAX_AGE = 60 * 24 * 60 * 60


def new_token(prefix: str) -> str:
    """A fresh random code with the queue's prefix (the caller checks it is unused)."""
    return f"{prefix.upper()}-" + "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def find_token(subject: str) -> str | None:
    """The request code a subject carries as ``[#DN-7KQ4MX]``, upper-cased, or None."""
    found = TOKEN_IN_SUBJECT.search(subject or "")
    return found.group(1).upper() if found else None


def subject_with_token(token: str, subject: str) -> str:
    """``subject`` marked with the request code (once)."""
    mark = f"[#{token}]"
    return subject if mark in subject else f"{mark} {subject}".strip()


def satisfaction_token(request_id: int, token: str) -> str:
    """The signed token of a request's satisfaction link (never guessable)."""
    return signing.dumps([request_id, token], salt=SATISFACTION_SALT, compress=True)


def read_satisfaction_token(value: str) -> tuple[int, str] | None:
    """(request id, code) a satisfaction token names, or None when forged or too old."""
    try:
        request_id, token = signing.loads(
            value, salt=SATISFACTION_SALT, max_age=SATISFACTION_MAX_AGE
        )
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(request_id, int) or not isinstance(token, str):
        return None
    return request_id, token


def satisfaction_url(request_id: int, token: str, language: str, score: int | None = None) -> str:
    """The absolute one-click link (``?score=N`` preselects the answer), in ``language``.

    The page ("helpdesk:satisfaction") comes with the support desk's pages; until it is
    routed the link is empty and the mail leaves the question out."""
    with translation.override(language):
        try:
            path = reverse(
                "helpdesk:satisfaction", kwargs={"token": satisfaction_token(request_id, token)}
            )
        except NoReverseMatch:
            return ""
    return settings.SITE_URL + path + (f"?score={score}" if score else "")
