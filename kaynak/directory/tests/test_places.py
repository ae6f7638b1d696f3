"""Reading a typed place: which province, perhaps which district, or why none. One reader for the
importer's city column and the resolver's city fields (``kaynak.directory.places``)."""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from kaynak.core.reference_data import PROVINCES
from kaynak.core.text import casefold_tr, upper_tr
from kaynak.directory.places import (
    DISTRICTS,
    PROVINCE_NAMES,
    district_names,
    parse_place,
    province_names,
    province_of,
)

# Turkish letters and the ASCII letters people type instead of them.
_ASCII = str.maketrans("çğıöşüÇĞİÖŞÜ", "cgiosuCGIOSU")

PLATES = st.sampled_from([plate for plate, _name, _region in PROVINCES])


def every_district() -> list[tuple[int, str]]:
    return [(plate, name) for plate, names in DISTRICTS.items() for name in names.split(", ")]


def provinces_with_a_district(name: str) -> list[int]:
    return sorted(plate for plate, district in every_district() if district == name)


# --- the province, however it is written ------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "İstanbul",
        "istanbul",
        "İSTANBUL",
        "ISTANBUL",
        "Istanbul",
        "İST.",
        "İst.",
        "ist",
        "Ist",
        "34",
        "034",
        " İstanbul ",
        "İstanbul (Avrupa)",
        "istanbul anadolu yakası",
    ],
)
def test_istanbul_is_understood_however_it_is_typed(typed):
    assert province_of(typed) == 34
    assert parse_place(typed).province == 34


@pytest.mark.parametrize(
    ("typed", "plate"),
    [
        ("Antep", 27),
        ("G.Antep", 27),
        ("GAZİANTEP", 27),
        ("Urfa", 63),
        ("Ş.Urfa", 63),
        ("Şanlı Urfa", 63),
        ("Maraş", 46),
        ("K.Maraş", 46),
        ("KMaraş", 46),
        ("Kahraman Maraş", 46),
        ("Afyon", 3),
        ("İçel", 33),
        ("İzmit", 41),
        ("Adapazarı", 54),
        ("IĞDIR", 76),
        ("06", 6),
        ("ANK.", 6),
        ("İZM", 35),
        ("Esk.", 26),  # the first letters of one province's name only
        ("Kahr", 46),
    ],
)
def test_everyday_names_abbreviations_and_plate_codes_name_their_province(typed, plate):
    assert province_of(typed) == plate
    assert parse_place(typed).province == plate


@given(plate=PLATES, data=st.data())
@example(plate=34, data=None)
def test_every_province_is_read_whatever_its_casing_and_ascii_spelling(plate, data):
    """Each letter in either case, each Turkish letter as itself or its ASCII look-alike
    ("İSTANBUL", "Istanbul", "istanbul", "ıSTanBUL", "CANAKKALE", "Çanakkale")."""
    name = PROVINCE_NAMES[plate]
    if data is None:
        written = "ıSTanBUL"
    else:
        letters = []
        for letter in name:
            if data.draw(st.booleans(), label=f"ascii {letter}"):
                letter = letter.translate(_ASCII)
            case = data.draw(st.sampled_from(["as is", "upper", "lower", "python upper"]))
            if case == "upper":
                letter = upper_tr(letter)
            elif case == "lower":
                letter = casefold_tr(letter)
            elif case == "python upper":
                letter = letter.upper()  # "i" → "I", as a keyboard without Turkish letters does
            letters.append(letter)
        written = "".join(letters)

    assert province_of(written) == plate
    assert province_of(written, guess=False) == plate
    assert parse_place(written).province == plate


@given(
    plate=PLATES,
    before=st.sampled_from(["", " ", "  ", "\t"]),
    after=st.sampled_from(["", " ", ".", " ."]),
)
def test_spaces_and_a_full_stop_around_a_province_change_nothing(plate, before, after):
    written = f"{before}{PROVINCE_NAMES[plate]}{after}"

    assert province_of(written) == plate


@given(plate=PLATES, zero=st.booleans())
def test_every_plate_code_names_its_province(plate, zero):
    assert province_of(f"{plate:02d}" if zero else str(plate)) == plate


@pytest.mark.parametrize("typed", ["0", "00", "82", "99", "100"])
def test_a_number_that_is_no_plate_code_names_nothing(typed):
    assert province_of(typed) is None


# --- districts ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "plate", "district"),
    [
        ("Kadıköy", 34, "Kadıköy"),
        ("kadikoy", 34, "Kadıköy"),
        ("Şişli", 34, "Şişli"),
        ("Kadıköy / İstanbul", 34, "Kadıköy"),
        ("Bornova/İzmir", 35, "Bornova"),
        ("Bursa (Yenişehir)", 16, "Yenişehir"),
        ("Gölbaşı / Adıyaman", 2, "Gölbaşı"),
        ("Ankara Merkez", 6, ""),
        ("Bala Merkez", 6, "Bala"),
        ("Kadıköy - Moda", 34, "Kadıköy"),
        ("Kaş", 7, "Kaş"),  # a district, not the first letters of Kastamonu
        ("Erzin / Hatay", 31, "Erzin"),  # not the first letters of Erzincan either
        ("Antakya", 31, "Antakya"),
        ("İzmit", 41, "İzmit"),
    ],
)
def test_a_district_names_its_province_when_only_one_has_it(typed, plate, district):
    place = parse_place(typed)

    assert (place.province, place.district) == (plate, district)
    assert place.understood
    assert province_of(typed) == plate


def test_every_district_written_with_its_province_is_read():
    misread = {}
    for plate, district in every_district():
        province = PROVINCE_NAMES[plate]
        for typed in (
            f"{district} / {province}",
            f"{province} ({district})",
            f"{district}, {province}",
        ):
            place = parse_place(typed)
            if (place.province, place.district) != (plate, district):
                misread[typed] = (place.province, place.district)

    assert misread == {}


def test_every_district_alone_names_its_province_or_the_provinces_it_could_be():
    for plate, district in every_district():
        place = parse_place(upper_tr(district))
        provinces = provinces_with_a_district(district)
        if len(provinces) == 1:
            assert (place.province, place.district) == (plate, district)
        else:
            assert place.province is None, district
            assert list(place.district_provinces) == provinces


def test_a_district_in_several_provinces_alone_names_them_all_and_no_province():
    place = parse_place("Gölbaşı")

    assert place.province is None
    assert place.district_provinces == (2, 6)
    assert province_of("Gölbaşı") is None


def test_a_district_is_only_seen_among_other_words_when_it_is_well_known():
    """ "Genç" and "Orta" are districts (of Bingöl and Çankırı) but mostly words."""
    assert province_of("Genç Kadınlar") is None
    assert province_of("Orta Anadolu") is None
    assert province_of("Genç") == 12
    assert "genc" not in district_names()
    assert {"kadikoy", "cankaya", "karsiyaka", "bornova"} <= district_names()


# --- what is no province --------------------------------------------------------------------


def test_a_place_that_is_no_province_is_none_and_says_so():
    place = parse_place("Atlantis")

    assert province_of("Atlantis") is None
    assert not place.understood
    assert (place.key, place.district_provinces, place.suggestion) == ("atlantis", (), None)


def test_nothing_typed_is_no_place_and_no_problem():
    assert province_of("") is None
    assert parse_place("  ") == parse_place("")
    assert parse_place("").key == ""


def test_a_misspelt_province_suggests_the_right_one():
    place = parse_place("Istanbull")

    assert place.province is None
    assert place.suggestion == 34


def test_an_abbreviation_is_not_taken_for_a_misspelt_province():
    assert parse_place("ak").suggestion is None


def test_two_provinces_are_no_province():
    assert province_of("Ankara İstanbul") is None


def test_the_first_letters_of_two_provinces_are_no_province():
    assert province_of("Ada") is None  # Adana or Adapazarı
    assert province_of("Anta") is None  # Antalya or Antakya


def test_without_guessing_the_first_letters_of_a_name_are_no_province():
    assert province_of("Esk", guess=False) is None
    assert province_of("Eskişehir", guess=False) == 26


def test_merkez_alone_is_no_province():
    assert parse_place("Merkez").province is None


# --- one reader, two views -------------------------------------------------------------------


@given(
    st.text(
        alphabet="abcçdefgğhıijklmnoöprsştuüvyzABCÇDEFGĞHIİJKLMNOÖPRSŞTUÜVYZ ./-()0123456789",
        max_size=25,
    )
)
def test_the_importer_and_the_resolver_read_a_place_alike(text):
    assert parse_place(text).province == province_of(text)


def test_province_names_hold_every_province_and_its_everyday_names():
    names = province_names()

    assert len({province_of(name) for name in names}) == 81
    assert {"istanbul", "antep", "urfa", "maras", "icel", "afyon", "izmit"} <= names
