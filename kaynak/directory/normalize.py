"""Normalising contact details on the way in, so equal things compare equal."""

from __future__ import annotations

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from kaynak.core.text import search_key

# Addresses at these domains say nothing about which organisation wrote: anyone can have one.
FREE_MAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "hotmail.com",
        "hotmail.com.tr",
        "outlook.com",
        "outlook.com.tr",
        "live.com",
        "msn.com",
        "yahoo.com",
        "yahoo.com.tr",
        "ymail.com",
        "yandex.com",
        "yandex.com.tr",
        "yandex.ru",
        "icloud.com",
        "me.com",
        "mail.com",
        "mynet.com",
        "superonline.com",
        "ttmail.com",
        "windowslive.com",
        "protonmail.com",
        "proton.me",
        "gmx.com",
        "gmx.de",
        "aol.com",
        "zoho.com",
        "mail.ru",
        "tutanota.com",
    }
)


def normalize_email(value: str) -> str:
    """Lower-case, trimmed e-mail address; ``ValidationError`` in the user's language if it is
    not one."""
    email = value.strip().strip("<>").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(
            _("“%(value)s” is not an e-mail address."), params={"value": value}
        ) from None
    return email


def email_domain(email: str) -> str:
    return email.rsplit("@", 1)[-1].lower()


def is_organisation_domain(domain: str) -> bool:
    """True for a domain that can identify an organisation (not a free-mail provider)."""
    return bool(domain) and domain not in FREE_MAIL_DOMAINS


def normalize_phone(value: str, region: str = "TR") -> str:
    """A phone number in E.164 (+905321234567), however it was written in Turkey
    ("0532 123 45 67", "(312) 444 1 444", "+90-532-1234567", "90 532 123 4567")."""
    text = value.strip()
    digits = "".join(ch for ch in text if ch.isdigit())
    # "90 532 …" without a plus is a Turkish number with its country code.
    if not text.startswith(("+", "00")) and len(digits) == 12 and digits.startswith("90"):
        text = "+" + digits
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(_("“%(value)s” is not a phone number."), params={"value": value})
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def organisation_search_text(name: str, short_name: str = "") -> str:
    return search_key(f"{name} {short_name}")[:400]


def person_search_text(full_name: str) -> str:
    return search_key(full_name)[:250]
