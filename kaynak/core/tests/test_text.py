from __future__ import annotations

import itertools

from hypothesis import given
from hypothesis import strategies as st

from kaynak.core.text import casefold_tr, search_key, sort_key, title_tr, upper_tr

TURKISH_LETTERS = "abcçdefgğhıijklmnoöprsştuüvyzABCÇDEFGĞHIİJKLMNOÖPRSŞTUÜVYZ"
turkish_text = st.text(alphabet=TURKISH_LETTERS + " -.,'", max_size=40)


def test_casefold_turns_dotted_capital_i_into_i_and_dotless_capital_i_into_dotless_i():
    assert casefold_tr("İSTANBUL") == "istanbul"
    assert casefold_tr("ISPARTA") == "ısparta"
    assert casefold_tr("IĞDIR") == "ığdır"
    assert casefold_tr("ÇĞÖŞÜ") == "çğöşü"


def test_casefold_treats_i_with_combining_dot_as_dotted_capital_i():
    assert casefold_tr("I\u0307stanbul") == "istanbul"


def test_upper_turns_i_into_dotted_capital_i():
    assert upper_tr("istanbul ılıca") == "İSTANBUL ILICA"
    assert title_tr("izmir ılıca") == "İzmir Ilıca"


def test_search_key_makes_turkish_and_ascii_spellings_meet():
    variants = [
        "Ege Çevre ve Doğa Koruma Derneği",
        "EGE CEVRE VE DOGA KORUMA DERNEGI",
        "ege  çevre-ve doğa koruma derneği",
        "EGE ÇEVRE VE DOĞA KORUMA DERNEĞİ",
    ]
    assert {search_key(v) for v in variants} == {"ege cevre ve doga koruma dernegi"}


def test_search_key_matches_istanbul_however_it_is_written():
    assert search_key("İSTANBUL") == search_key("Istanbul") == search_key("istanbul") == "istanbul"


def test_sort_key_follows_the_turkish_alphabet():
    words = [
        "Çorum",
        "Zonguldak",
        "Ceyhan",
        "Iğdır",
        "İzmir",
        "Şanlıurfa",
        "Sinop",
        "Ödemiş",
        "Ordu",
        "Üsküdar",
        "Uşak",
        "Dalaman",
        "Ğ",
        "Gaziantep",
        "Hatay",
    ]
    assert sorted(words, key=sort_key) == [
        "Ceyhan",
        "Çorum",
        "Dalaman",
        "Gaziantep",
        "Ğ",
        "Hatay",
        "Iğdır",
        "İzmir",
        "Ordu",
        "Ödemiş",
        "Sinop",
        "Şanlıurfa",
        "Uşak",
        "Üsküdar",
        "Zonguldak",
    ]


def test_sort_key_puts_a_word_before_its_longer_continuations():
    assert sorted(["Adana", "Ada", "Adan"], key=sort_key) == ["Ada", "Adan", "Adana"]


@given(turkish_text)
def test_casefold_is_idempotent(text):
    assert casefold_tr(casefold_tr(text)) == casefold_tr(text)


@given(turkish_text)
def test_casefold_keeps_the_length_of_turkish_text(text):
    # No letter of the Turkish alphabet may gain a combining mark on the way (the "i̇" bug).
    assert len(casefold_tr(text)) == len(text)


@given(turkish_text)
def test_upper_then_casefold_round_trips_lowercase_turkish(text):
    lower = casefold_tr(text)
    assert casefold_tr(upper_tr(lower)) == lower


@given(turkish_text)
def test_search_key_is_ascii_and_ignores_case(text):
    key = search_key(text)
    assert key.isascii()
    assert key == search_key(upper_tr(text)) == search_key(casefold_tr(text))


@given(st.lists(turkish_text, max_size=12))
def test_sorting_by_sort_key_is_a_total_order(words):
    once = sorted(words, key=sort_key)
    assert sorted(once, key=sort_key) == once
    for a, b in itertools.pairwise(once):
        assert sort_key(a) <= sort_key(b)


def _reference_key(text):
    """The plain definition of Turkish order (letter rank, accented letters after their base,
    spaces, then other characters before letters) that the compact sort_key must agree with."""
    import unicodedata

    alphabet = "abcçdefgğhıijklmnoöpqrsştuüvwxyz"
    rank = {letter: i for i, letter in enumerate(alphabet)}
    key = []
    for ch in casefold_tr(text):
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        if ch in rank:
            key.append((1, rank[ch], ""))
        elif base in rank:
            key.append((1, rank[base], ch))
        elif ch.isspace():
            key.append((0, 0, " "))
        else:
            key.append((0, 1, ch))
    return key


@given(st.lists(st.text(alphabet=TURKISH_LETTERS + " -.'0123456789éèqwxÂâÎî", max_size=15)))
def test_compact_sort_key_orders_exactly_like_the_plain_definition(words):
    assert [_reference_key(w) for w in sorted(words, key=sort_key)] == sorted(
        _reference_key(w) for w in words
    )
