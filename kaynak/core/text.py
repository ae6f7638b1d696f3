"""Turkish text: casing, folding for search, and alphabetical order.

Python's own ``str.lower()`` is wrong for Turkish: ``"İ".lower()`` gives ``"i̇"`` (i plus a combining
dot) and ``"I".lower()`` gives ``"i"`` where Turkish wants ``"ı"``. These helpers get it right and
are the only place in Kaynak that knows about it.
"""

from __future__ import annotations

import functools
import re
import unicodedata

_LOWER_TR = str.maketrans({"I": "ı", "İ": "i"})
_UPPER_TR = str.maketrans({"i": "İ", "ı": "I"})

# Folding for search: every Turkish letter and its ASCII look-alike meet in one key, so
# "İSTANBUL", "Istanbul" and "istanbul" (and "Çiğdem" / "CIGDEM") find each other.
_FOLD = str.maketrans({"ç": "c", "ğ": "g", "ı": "i", "ö": "o", "ş": "s", "ü": "u"})
_NON_WORD = re.compile(r"[^0-9a-z]+")

# Turkish alphabetical order: a b c ç d e f g ğ h ı i j k l m n o ö p r s ş t u ü v y z.
# Letters outside the Turkish alphabet (q, w, x, accented Latin) sort next to their base letter.
_ALPHABET = "abcçdefgğhıijklmnoöpqrsştuüvwxyz"
_RANK = {letter: index for index, letter in enumerate(_ALPHABET)}


def casefold_tr(text: str) -> str:
    """Lower-case ``text`` by Turkish rules: İ→i, I→ı, and everything else as Unicode does."""
    # Compose first, so that "I" + combining dot above (U+0307) is treated as "İ".
    text = unicodedata.normalize("NFC", text).translate(_LOWER_TR)
    return text.casefold().replace("i̇", "i")


def upper_tr(text: str) -> str:
    """Upper-case ``text`` by Turkish rules: i→İ, ı→I."""
    return unicodedata.normalize("NFC", text).translate(_UPPER_TR).upper()


def title_tr(text: str) -> str:
    """Capitalise each word by Turkish rules ("izmir ılıca" → "İzmir Ilıca")."""
    return " ".join(
        upper_tr(word[:1]) + casefold_tr(word[1:]) if word else word for word in text.split(" ")
    )


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def search_key(text: str) -> str:
    """A key for matching typed text: Turkish-casefolded, diacritics and punctuation folded.

    "Ege Çevre ve Doğa Koruma Derneği", "EGE CEVRE VE DOGA KORUMA DERNEGI" and
    "ege  çevre-ve doğa koruma derneği" all give "ege cevre ve doga koruma dernegi".
    """
    folded = _strip_marks(casefold_tr(text).translate(_FOLD))
    return _NON_WORD.sub(" ", folded).strip()


def search_words(text: str, limit: int = 12) -> list[str]:
    """The folded words of a search text, at most ``limit`` ("Sivil Toplum'a" → ["sivil",
    "toplum", "a"])."""
    return search_key(text).split()[:limit]


def _collation_unit(ch: str) -> str:
    # Two characters per letter, so that plain string order is Turkish order: letters of the
    # alphabet rank by _RANK; an accented foreign letter ("é") right after its base letter;
    # spaces before punctuation and digits, which come before every letter.
    if ch in _RANK:
        return chr(0x100 + _RANK[ch]) + "\x01"
    base = _strip_marks(ch)
    if base in _RANK:
        return chr(0x100 + _RANK[base]) + chr(min(ord(ch) + 2, 0x10FFFF))
    if ch.isspace():
        return "\x01 "
    return "\x02" + chr(min(ord(ch) + 1, 0x10FFFF))


@functools.lru_cache(maxsize=65536)
def sort_key(text: str) -> str:
    """A key for ``sorted()`` in Turkish alphabetical order (c < ç < d, ı < i, s < ş …).

    A compact string compared by code points, memoised: the SQLite collation compares the same
    names many times while it maintains an index, and a comparison must cost well under a
    microsecond there.
    """
    return "".join(_collation_unit(ch) for ch in casefold_tr(text))


def compare_tr(a: str, b: str) -> int:
    """-1, 0 or 1 by Turkish alphabetical order; the SQLite collation uses this."""
    ka, kb = sort_key(a), sort_key(b)
    return (ka > kb) - (ka < kb)
