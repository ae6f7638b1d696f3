"""The size of one grant and its currency."""

from __future__ import annotations

import pytest

from kaynak.radar.extraction.amounts import extract_amount, parse_number


@pytest.mark.parametrize(
    ("text", "value", "currency"),
    [
        ("Hibe tutarı: 1.500.000,00 TL", 1_500_000, "TRY"),
        ("Grant amount: €1,500,000", 1_500_000, "EUR"),
        ("Hibe miktarı 150 bin TL'dir.", 150_000, "TRY"),
        ("Destek tutarı 1,5 milyon Avro olarak belirlenmiştir.", 1_500_000, "EUR"),
        ("Each grant is ₺75.000.", 75_000, "TRY"),
        ("Her projeye 20.000 Türk Lirası verilir.", 20_000, "TRY"),
        ("Awards of $40,000 each.", 40_000, "USD"),
        ("Awards of CAD 40,000 each.", 40_000, "CAD"),
    ],
)
def test_a_single_amount_is_both_minimum_and_maximum(text: str, value: int, currency: str) -> None:
    assert extract_amount(text) == {"amount_min": value, "amount_max": value, "currency": currency}


def test_up_to_gives_only_a_maximum() -> None:
    assert extract_amount("Grants of up to EUR 50,000 are available.") == {
        "amount_min": None,
        "amount_max": 50_000,
        "currency": "EUR",
    }


def test_a_range_gives_both_ends_with_the_currency_written_once() -> None:
    assert extract_amount("Grants range from EUR 10,000 – 50,000.")["amount_min"] == 10_000
    assert extract_amount("Destek 5.000 ile 50.000 TL arasındadır.") == {
        "amount_min": 5_000,
        "amount_max": 50_000,
        "currency": "TRY",
    }


def test_the_programme_total_is_not_the_grant_size() -> None:
    text = (
        "Programın toplam bütçesi 25 milyon TL olup "
        "proje başına azami destek tutarı 500.000 TL'dir."
    )
    assert extract_amount(text) == {"amount_min": None, "amount_max": 500_000, "currency": "TRY"}


def test_a_total_alone_gives_no_grant_size() -> None:
    assert (
        extract_amount("The overall indicative amount of this call is EUR 6,000,000.")["amount_max"]
        is None
    )


def test_a_co_financing_percentage_is_not_an_amount() -> None:
    text = "Eş finansman oranı %25'tir. Azami destek: 100.000 TL. Own contribution of at least 10%."
    assert extract_amount(text) == {"amount_min": None, "amount_max": 100_000, "currency": "TRY"}


def test_labelled_minimum_and_maximum_lines_are_read() -> None:
    text = "Asgari destek tutarı: 300.000 TL\nAzami destek tutarı: 2.000.000 TL"
    assert extract_amount(text) == {
        "amount_min": 300_000,
        "amount_max": 2_000_000,
        "currency": "TRY",
    }


def test_no_money_gives_nulls() -> None:
    assert extract_amount("Katılım ücretsizdir; 2027 yılında 12 ilde 40 atölye yapılacak.") == {
        "amount_min": None,
        "amount_max": None,
        "currency": None,
    }


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ("1.500.000,00", 1_500_000),
        ("1,500,000", 1_500_000),
        ("1,5", 1.5),
        ("150 000", 150_000),
        ("2500", 2500),
    ],
)
def test_numbers_in_turkish_and_english_notation_are_parsed(raw: str, value: float) -> None:
    assert parse_number(raw) == value


def test_a_dollar_sign_is_another_dollar_when_only_that_dollar_is_named() -> None:
    text = "Contributions of up to $50,000 (Canadian dollars) per project."
    assert extract_amount(text)["currency"] == "CAD"
    assert extract_amount("Awards of up to $50,000.")["currency"] == "USD"


def test_a_trailing_dash_after_the_amount_is_read() -> None:
    assert extract_amount("Hibe tutarı: 50.000,- TL")["amount_max"] == 50_000
