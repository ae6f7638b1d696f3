"""The whole extraction: text sources, themes, language, the command, any input, the corpus."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.radar_extraction import score
from kaynak.radar.extraction import FIELDS, extract
from kaynak.radar.extraction.language import detect_language
from kaynak.radar.extraction.text import to_text
from kaynak.radar.extraction.themes import extract_themes

CORPUS = Path(__file__).parent / "corpus"


def test_html_boilerplate_is_removed_and_structure_becomes_labelled_lines() -> None:
    html = (
        "<html><body><nav>Menu Deadline: 1 January 2027</nav><main><h1>Call</h1>"
        "<dl><dt>Son başvuru tarihi</dt><dd><time datetime='2027-02-03'>3 Şubat</time></dd></dl>"
        "<table><tr><th>Azami destek</th><td>100.000 TL</td></tr></table></main>"
        "<footer>© 2026</footer></body></html>"
    )
    text = to_text(html, "html")
    assert "Menu" not in text
    assert "©" not in text
    assert "Son başvuru tarihi: 2027-02-03" in text
    assert "Azami destek: 100.000 TL" in text


def test_a_json_ld_deadline_is_used() -> None:
    html = (
        '<html><head><script type="application/ld+json">'
        '{"@type": "Event", "applicationDeadline": "2027-05-01"}'
        "</script></head><body><p>Grants for youth.</p></body></html>"
    )
    assert extract(html, "html")["deadline"] == "2027-05-01"


def test_windows_1254_html_is_decoded() -> None:
    html = "<p>Son başvuru tarihi: 3 Şubat 2027. Uygun başvuru sahipleri: dernekler.</p>".encode(
        "cp1254"
    )
    result = extract(html, "html")
    assert result["deadline"] == "2027-02-03"
    assert result["applicant_types"] == ["association"]


def test_a_pdf_announcement_is_read() -> None:
    result = extract((CORPUS / "028-fao-pdf-kirsal.pdf").read_bytes(), "pdf")
    assert result["deadline"] == "2027-03-15"
    assert result["currency"] == "TRY"


@pytest.mark.parametrize(
    ("data", "kind"),
    [("<div>" * 50_000, "html"), ("31.12.2026 " * 5_000, "txt"), ("1" * 100_000, "txt")],
)
def test_pathological_input_gives_fields_not_a_crash(data: str, kind: str) -> None:
    assert tuple(extract(data, kind)) == FIELDS


def test_a_broken_pdf_gives_empty_fields_not_a_crash() -> None:
    assert extract(b"%PDF-1.4 not really", "pdf")["deadline_kind"] == "none"


def test_the_main_themes_are_chosen_not_every_word_mentioned() -> None:
    text = (
        "Kadın Kooperatifleri için Kırsal Kalkınma Hibesi\n"
        "Program, kırsal alanda kadın üreticilerin tarımsal üretimini destekler.\n"
        "Başvuru formunda eğitim geçmişinizi belirtiniz."
    )
    assert extract_themes(text) == ["women", "rural-development"]


def test_the_language_is_turkish_or_english() -> None:
    assert (
        detect_language(
            "Başvurular için son tarih 1 Mart 2027'dir ve hibe programı dernekler içindir."
        )
        == "tr"
    )
    assert (
        detect_language("Applications for the grant programme in Türkiye close on 1 March 2027.")
        == "en"
    )


def run_command(path: Path) -> dict[str, object]:
    out = io.StringIO()
    call_command("radar", "extract", str(path), stdout=out)
    lines = out.getvalue().strip().splitlines()
    assert len(lines) == 1
    result: dict[str, object] = json.loads(lines[0])
    return result


def test_the_command_prints_one_json_object_with_exactly_the_fields(tmp_path: Path) -> None:
    path = tmp_path / "call.txt"
    path.write_text(
        "Deadline: 15 December 2026 at 17:00 CET. Grants of up to €50,000.", encoding="utf-8"
    )
    result = run_command(path)
    assert tuple(result) == FIELDS
    assert result["deadline"] == "2026-12-15T17:00"
    assert result["deadline_timezone"] == "CET"
    assert result["amount_max"] == 50_000
    assert result["amount_min"] is None


def test_the_command_reads_html_and_pdf_files() -> None:
    assert run_command(CORPUS / "014-ibb-gonullu.html")["deadline"] == "2027-01-31"
    assert run_command(CORPUS / "025-unhcr-pdf.pdf")["currency"] == "USD"


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.one_of(st.text(max_size=400), st.binary(max_size=400)),
    kind=st.sampled_from(["txt", "html", "pdf", "x"]),
)
def test_any_text_or_bytes_give_a_json_object_with_every_field(
    data: str | bytes, kind: str
) -> None:
    result = extract(data, kind)
    assert tuple(result) == FIELDS
    assert json.loads(json.dumps(result)) == result


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=300), suffix=st.sampled_from([".txt", ".html", ".pdf", ".bin"]))
def test_the_command_gives_json_for_any_file(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / f"any{suffix}"
    path.write_bytes(data)
    assert tuple(run_command(path)) == FIELDS


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        (
            "Son başvuru tarihi: 31 Şubat 2027, azami destek 1.500.000,00 TL",
            '"deadline_kind": "none"',
        ),
        ("Deadline: 2027-13-45. €", '"deadline": null'),
    ],
)
def test_impossible_values_are_not_reported(tmp_path: Path, text: str, fragment: str) -> None:
    path = tmp_path / "bad.txt"
    path.write_text(text, encoding="utf-8")
    out = io.StringIO()
    call_command("radar", "extract", str(path), stdout=out)
    assert fragment in out.getvalue()


def test_the_corpus_meets_the_issue_targets() -> None:
    scores = score()
    assert scores["announcements"] >= 30
    assert scores["deadline"] >= 0.95
    assert scores["amount"] >= 0.90
    assert scores["applicant_types"] >= 0.90
    assert scores["countries"] >= 0.90
    assert scores["themes"] >= 0.80
