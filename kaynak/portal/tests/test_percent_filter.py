"""The ``percent`` filter writes a share as each language does: the sign first in Turkish."""

from __future__ import annotations

from decimal import Decimal

from django.utils import translation

from kaynak.portal.templatetags.kaynak import percent


def test_the_percent_sign_comes_first_in_turkish_and_last_in_english() -> None:
    with translation.override("tr"):
        assert percent(Decimal("87.456")) == "%87,5"
    with translation.override("en"):
        assert percent(87.456, 0) == "87%"


def test_an_unknown_share_stays_empty() -> None:
    assert percent(None) == ""
