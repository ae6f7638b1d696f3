"""Evidence of each extracted field marked in the source text: where the deadline, the amount,
who may apply, the countries and the themes were read."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

from kaynak.radar.extraction import extract_text
from kaynak.radar.extraction.text import to_text
from kaynak.radar.highlight import Highlighted, evidence, fields_of_reading, highlight

ANNOUNCEMENT = """Kadın Kooperatiflerine Destek Programı
Programın amacı kırsal alanda kadınların ekonomik hayata katılımını desteklemektir.
Yayın tarihi: 1 Ekim 2026
Son başvuru tarihi: 15 Aralık 2026 saat 17:00
Proje başına azami destek tutarı 750.000 TL'dir.
Uygun başvuru sahipleri: dernekler, vakıflar ve kooperatifler.
Batı Balkan ülkelerinde kayıtlı kuruluşlar da başvurabilir.
"""


def marked(result: Highlighted, field: str) -> list[str]:
    return [s.text for s in result.segments if s.field == field]


def test_the_deadline_is_marked_where_its_date_is_written_and_not_the_publication_date() -> None:
    result = highlight(ANNOUNCEMENT, extract_text(ANNOUNCEMENT))

    assert marked(result, "deadline") == ["15 Aralık 2026 saat 17:00"]


def test_the_amount_is_marked_with_its_currency() -> None:
    result = highlight(ANNOUNCEMENT, extract_text(ANNOUNCEMENT))

    assert marked(result, "amount") == ["750.000 TL"]


def test_who_may_apply_is_marked_in_the_eligibility_sentence() -> None:
    result = highlight(ANNOUNCEMENT, extract_text(ANNOUNCEMENT))

    assert marked(result, "applicant_types") == ["dernekler", "vakıflar", "kooperatifler"]


def test_a_named_group_of_countries_is_marked_once_for_all_its_countries() -> None:
    result = highlight(ANNOUNCEMENT, extract_text(ANNOUNCEMENT))

    assert marked(result, "countries") == ["Batı Balkan"]


def test_theme_keywords_are_marked() -> None:
    result = highlight(ANNOUNCEMENT, {"themes": ["women", "rural-development"]})

    assert "kadın" in [text.lower() for text in marked(result, "themes")]
    assert "kırsal" in [text.lower() for text in marked(result, "themes")]


def test_the_segments_put_together_are_the_text_exactly() -> None:
    result = highlight(ANNOUNCEMENT, extract_text(ANNOUNCEMENT))

    assert "".join(s.text for s in result.segments) == ANNOUNCEMENT


def test_marks_never_overlap() -> None:
    spans = evidence(ANNOUNCEMENT, extract_text(ANNOUNCEMENT) | {"themes": ["women", "labour"]})

    assert all(a.end <= b.start for a, b in itertools.pairwise(spans))


def test_a_corrected_value_the_text_does_not_contain_is_reported_missing() -> None:
    fields = extract_text(ANNOUNCEMENT) | {"deadline": "2027-01-31", "amount_max": 999_999}

    result = highlight(ANNOUNCEMENT, fields)

    assert [entry.field for entry in result.missing] == ["deadline", "amount"]
    assert marked(result, "deadline") == []


def test_empty_fields_are_left_out_of_the_legend() -> None:
    result = highlight("Hiçbir alan yok.", extract_text("Hiçbir alan yok."))

    assert result.legend == []


def test_a_rolling_deadline_is_marked_where_the_text_says_so() -> None:
    text = "Başvurular yıl boyu kabul edilmektedir."

    result = highlight(text, {"deadline": None, "deadline_kind": "rolling"})

    assert marked(result, "deadline") == ["yıl boyu"]


def test_a_call_s_stored_values_are_read_in_the_extraction_s_shape() -> None:
    fields = fields_of_reading(
        {"deadline_date": "2026-12-15", "deadline_kind": "fixed", "amount_max": "750000"}
    )

    assert marked(highlight(ANNOUNCEMENT, fields), "deadline") == ["15 Aralık 2026 saat 17:00"]
    assert marked(highlight(ANNOUNCEMENT, fields), "amount") == ["750.000 TL"]


def test_every_labelled_field_of_the_corpus_is_found_in_nearly_every_case() -> None:
    corpus = Path(__file__).parent / "corpus"
    checked = missing = 0
    for labels in sorted(corpus.glob("*.json")):
        source = next(p for p in corpus.glob(f"{labels.stem}.*") if p.suffix != ".json")
        text = to_text(source.read_bytes(), source.suffix[1:])
        result = highlight(text, json.loads(labels.read_text()))
        checked += len(result.legend)
        missing += len(result.missing)
    assert checked > 200
    assert missing / checked < 0.03
