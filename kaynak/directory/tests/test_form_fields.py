"""The directory's form fields that check and rewrite what people type."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from kaynak.directory.forms import NormalizedField
from kaynak.directory.normalize import normalize_email, normalize_phone


def test_a_phone_typed_the_turkish_way_is_kept_in_e164():
    field = NormalizedField(normalize=normalize_phone, required=False, max_length=40)

    assert field.clean(" 0532 123 45 67 ") == "+905321234567"


def test_an_optional_value_left_empty_is_an_empty_string():
    field = NormalizedField(normalize=normalize_phone, required=False)

    assert field.clean("   ") == ""


def test_an_address_that_is_none_is_explained_in_the_users_language():
    field = NormalizedField(normalize=normalize_email)

    with translation.override("en"), pytest.raises(ValidationError) as raised:
        field.clean("ayse-at-ornek")

    assert raised.value.messages == ["“ayse-at-ornek” is not an e-mail address."]


def test_an_email_address_is_written_in_lower_case():
    field = NormalizedField(normalize=normalize_email)

    assert field.clean("Ayse@Ornek.ORG ") == "ayse@ornek.org"
