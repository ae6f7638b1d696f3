"""Rows written in two languages (a Turkish field and an ``_en`` one): which text to show."""

from __future__ import annotations

from django.utils.translation import get_language


def is_english(language: str | None = None) -> bool:
    """Whether ``language`` (the active language by default) is English."""
    return (language or get_language() or "tr").startswith("en")


def in_language(tr: str, en: str, language: str | None = None) -> str:
    """The English text in English when there is one, else the Turkish."""
    return en if en and is_english(language) else tr
