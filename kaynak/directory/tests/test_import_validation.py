"""Checking import rows: provinces as people type them, e-mails, phones and names."""

from __future__ import annotations

import pytest
from django.utils import translation

from kaynak.directory.importing.validation import clean_row


def row(**values: str):
    defaults = {"organisation": "Ege Çevre ve Doğa Koruma Derneği"}
    return clean_row({**defaults, **values}, number=1, line=2)


def messages(cleaned) -> list[str]:
    with translation.override("en"):
        return [problem.message for problem in cleaned.problems]


def test_the_row_keeps_the_province_and_district_it_names():
    """How places are read is tested in test_places; here: the row takes what they mean."""
    cleaned = row(city="Kadıköy / İstanbul")

    assert cleaned.ok
    assert (cleaned.province, cleaned.district, cleaned.province_name) == (
        34,
        "Kadıköy",
        "İstanbul",
    )


def test_a_district_in_several_provinces_alone_is_an_error_naming_them():
    cleaned = row(city="Gölbaşı")

    assert cleaned.province is None
    assert messages(cleaned) == [
        "“Gölbaşı” is a district in more than one province (Adıyaman, Ankara): write the "
        "province too, e.g. “Gölbaşı / Adıyaman”."
    ]
    assert cleaned.problems[0].field == "city"


def test_a_misspelt_province_is_an_error_that_suggests_the_right_one():
    cleaned = row(city="Istanbull")

    assert messages(cleaned) == [
        "“Istanbull” is not a province of Turkey. Did you mean “İstanbul”?"
    ]


def test_an_unknown_province_is_an_error():
    cleaned = row(city="Atlantis")

    assert not cleaned.ok
    assert messages(cleaned) == [
        "“Atlantis” is not a province of Turkey: write the province (il), e.g. “İstanbul”, or "
        "its plate code, e.g. “34”."
    ]


def test_an_empty_province_is_allowed():
    assert row(city=" ").ok


def test_an_empty_organisation_name_is_an_error():
    cleaned = clean_row({"organisation": "  ", "city": "Van"}, number=3, line=4)

    assert messages(cleaned) == ["The organisation's name is empty."]
    assert cleaned.problems[0].field == "organisation"


def test_e_mails_are_cleaned_and_several_in_one_cell_are_split():
    cleaned = row(email=" Info@EgeCevre.org.tr; bilgi@egecevre.org.tr ")

    assert cleaned.emails == ("info@egecevre.org.tr", "bilgi@egecevre.org.tr")


@pytest.mark.parametrize("typed", ["ayse@", "ayse.egecevre.org.tr", "@egecevre.org.tr"])
def test_a_malformed_e_mail_is_an_error_quoting_it(typed):
    cleaned = row(email=typed)

    assert messages(cleaned) == [f"“{typed}” is not an e-mail address."]


@pytest.mark.parametrize(
    "typed", ["0232 444 12 34", "(232) 444 12 34", "+90 232 444 1234", "90 232 444 12 34"]
)
def test_phones_in_any_turkish_format_become_e164(typed):
    assert row(phone=typed).phones == ("+902324441234",)


def test_a_malformed_phone_is_an_error_quoting_it():
    cleaned = row(phone="12345")

    assert messages(cleaned) == ["“12345” is not a phone number."]


def test_every_problem_of_a_row_is_reported_not_only_the_first():
    cleaned = clean_row(
        {"organisation": "", "city": "Atlantis", "email": "x@", "phone": "1"}, number=1, line=2
    )

    assert [problem.field for problem in cleaned.problems] == [
        "organisation",
        "city",
        "email",
        "phone",
    ]


def test_problems_are_told_in_the_readers_language(settings):
    cleaned = row(city="Atlantis")

    with translation.override("en"):
        english = cleaned.problems[0].message
    assert english.startswith("“Atlantis” is not a province of Turkey")
    assert cleaned.problems[0].as_json() == {
        "field": "city",
        "code": "province_unknown",
        "params": {"value": "Atlantis"},
    }
