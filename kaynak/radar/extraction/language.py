"""``tr`` or ``en``: Turkish letters and common words against English common words."""

from __future__ import annotations

import re

TR_WORDS = frozenset(
    [
        "ve",
        "bir",
        "bu",
        "için",
        "ile",
        "olan",
        "olarak",
        "da",
        "de",
        "başvuru",
        "tarihi",
        "kadar",
        "hibe",
        "destek",
        "proje",
        "kuruluşları",
        "dernek",
        "vakıf",
        "en",
        "çağrı",
        "programı",
        "kapsamında",
        "veya",
        "gibi",
        "yer",
    ]
)
EN_WORDS = frozenset(
    [
        "the",
        "and",
        "of",
        "for",
        "to",
        "in",
        "with",
        "applications",
        "grant",
        "grants",
        "project",
        "projects",
        "is",
        "are",
        "be",
        "will",
        "deadline",
        "organisations",
        "organizations",
        "eligible",
        "call",
        "by",
        "on",
        "this",
    ]
)


def detect_language(text: str) -> str:
    words = re.findall(r"[^\W\d_]+", text.lower()[:20000])
    tr = sum(w in TR_WORDS for w in words) + len(re.findall(r"[ğışĞİŞ]", text[:20000])) // 3
    en = sum(w in EN_WORDS for w in words)
    return "tr" if tr > en else "en"
