"""Deadline, deadline kind and stated time zone."""

from __future__ import annotations

import pytest

from kaynak.radar.extraction.dates import extract_deadline


def deadline(text: str) -> str | None:
    return extract_deadline(text)["deadline"]


def test_a_labelled_turkish_deadline_with_a_time_keeps_the_wall_clock_time() -> None:
    assert deadline("Son Başvuru Tarihi: 15 Ocak 2027, saat 17:00") == "2027-01-15T17:00"


@pytest.mark.parametrize(
    ("month", "number"),
    [("Ocak", 1), ("Şubat", 2), ("Mart", 3), ("Nisan", 4), ("Mayıs", 5), ("Haziran", 6),
     ("Temmuz", 7), ("Ağustos", 8), ("Eylül", 9), ("Ekim", 10), ("Kasım", 11), ("Aralık", 12)],
)  # fmt: skip
def test_every_turkish_month_name_is_read(month: str, number: int) -> None:
    assert deadline(f"Son başvuru tarihi: 3 {month} 2027") == f"2027-{number:02d}-03"


def test_a_numeric_day_first_date_is_read_as_day_month_year() -> None:
    assert deadline("Son başvuru: 31/12/2026") == "2026-12-31"
    assert deadline("Deadline: 05.03.2027") == "2027-03-05"


def test_an_english_month_first_date_is_read() -> None:
    assert deadline("Deadline for applications: January 31, 2027") == "2027-01-31"


def test_several_deadlines_give_the_earliest() -> None:
    text = "Full application deadline: 30 April 2027.\nConcept note deadline: 15 December 2026."
    assert deadline(text) == "2026-12-15"


def test_publication_and_info_day_dates_are_not_the_deadline() -> None:
    text = (
        "Yayın tarihi: 1 Kasım 2026\nBilgilendirme toplantısı: 10 Kasım 2026\n"
        "Başvurular 20 Aralık 2026 tarihine kadar yapılabilir."
    )
    assert deadline(text) == "2026-12-20"


def test_the_end_of_an_application_window_is_the_deadline() -> None:
    assert deadline("Başvuru süresi: 2 Ocak 2027 – 2 Mart 2027") == "2027-03-02"


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        ("Deadline: 15 December 2026 at 17:00 CET", "CET"),
        ("Deadline: 15 December 2026 at 16:00 (Brussels time)", "Europe/Brussels"),
        ("Son başvuru: 8 Aralık 2026 saat 17:00 (Türkiye saati)", "Europe/Istanbul"),
    ],
)
def test_a_stated_time_zone_is_kept_apart(text: str, zone: str) -> None:
    result = extract_deadline(text)
    assert result["deadline_timezone"] == zone
    assert result["deadline"] is not None
    assert result["deadline"].endswith(("T17:00", "T16:00"))


def test_an_impossible_date_is_not_a_deadline() -> None:
    assert extract_deadline("Son başvuru tarihi: 31 Şubat 2027")["deadline_kind"] == "none"


@pytest.mark.parametrize(
    "text",
    [
        "Applications are accepted on a rolling basis.",
        "The call is open all year and applications are reviewed as they arrive.",
        "Applications will be accepted until funds run out.",
        "Başvurular yıl boyunca kabul edilir.",
        "Başvurular geldikçe değerlendirilir.",
        "Başvurular program bütçesi tükenene kadar alınacaktır.",
    ],
)
def test_rolling_phrases_in_both_languages_give_a_rolling_deadline(text: str) -> None:
    assert extract_deadline(text) == {
        "deadline": None,
        "deadline_kind": "rolling",
        "deadline_timezone": None,
    }


def test_no_deadline_stated_gives_none() -> None:
    result = extract_deadline(
        "Atölyeler 2027 bahar döneminde düzenlenecektir. Yayın tarihi: 1 Kasım 2026."
    )
    assert result == {"deadline": None, "deadline_kind": "none", "deadline_timezone": None}


def test_a_date_for_questions_or_an_info_day_range_is_not_the_deadline() -> None:
    text = (
        "Proposals must be sent by 11 December 2026. "
        "Questions may be submitted until 1 December 2026.\n"
        "Ajans 16-19 Kasım 2026 tarihlerinde bilgilendirme toplantıları düzenleyecektir."
    )
    assert deadline(text) == "2026-12-11"


def test_a_time_written_before_the_date_is_kept() -> None:
    result = extract_deadline(
        "Proposals must be received by 23:59 (Ankara time) on January 9, 2027."
    )
    assert result == {
        "deadline": "2027-01-09T23:59",
        "deadline_kind": "fixed",
        "deadline_timezone": "Europe/Istanbul",
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Yayın tarihi: 2 Şubat 2027.\nSon başvuru tarihi: 15 Mart, saat 17.00",
            "2027-03-15T17:00",
        ),
        ("Published 10 November 2026. Deadline: 31 January, 17:00 CET", "2027-01-31T17:00"),
        ("Posted on 3 March 2027. Applications must be submitted by March 15.", "2027-03-15"),
        ("Proje 1 Ekim 2026'da başlar. Son başvuru: 15 Ocak", "2027-01-15"),
    ],
)
def test_a_date_without_a_year_takes_the_year_after_the_texts_earliest_dated_mention(
    text: str, expected: str
) -> None:
    assert deadline(text) == expected


def test_a_date_without_a_year_in_an_undated_text_is_the_next_one_from_today() -> None:
    from datetime import date

    from kaynak.radar.extraction.dates import find_dates

    [found] = find_dates("Son başvuru tarihi: 15 Mart", today=date(2026, 11, 26))
    assert found.day == date(2027, 3, 15)
    [found] = find_dates("Son başvuru tarihi: 15 Aralık", today=date(2026, 11, 26))
    assert found.day == date(2026, 12, 15)


@pytest.mark.parametrize(
    "text",
    [
        "Son başvuru: 31 Şubat",  # no such day in any year
        "Up to 3 may apply; 12 march in the parade.",  # "may" is a verb; no deadline cue either
        "Kontenjan: 15 Mart 20 kişi",  # no deadline cue
    ],
)
def test_a_yearless_non_date_or_a_date_without_a_cue_is_no_deadline(text: str) -> None:
    assert deadline(text) is None
