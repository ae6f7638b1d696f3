"""The dynamic form's rules: conditions, every kind of answer, Turkish numbers and word
counts, files checked by their content."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import pytest

from kaynak.calls import answers
from kaynak.calls.models import Call, Question, QuestionKind
from kaynak.calls.tests.factories import CallFactory, QuestionFactory

pytestmark = pytest.mark.django_db

OPTIONS = [
    {"key": "dernek", "tr": "Dernek", "en": "Association"},
    {"key": "vakif", "tr": "Vakıf", "en": "Foundation"},
    {"key": "diger", "tr": "Diğer", "en": "Other"},
]


def _question(call: Call, key: str, kind: str, **fields: object) -> Question:
    return QuestionFactory.create(call=call, key=key, kind=kind, **{"max_words": None, **fields})


@pytest.fixture
def call() -> Call:
    return CallFactory.create()


def test_words_are_counted_as_a_person_counts_them() -> None:
    assert answers.word_count("Türkiye'nin  e-posta — ağı, 2027 yılında kuruldu …") == 6
    assert answers.word_count("") == 0
    assert answers.word_count("   \n ") == 0


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1.250,50", Decimal("1250.50")),
        ("1250.5", Decimal("1250.5")),
        ("1250,5", Decimal("1250.5")),
        ("1.250", Decimal("1250")),
        ("1.250.000", Decimal("1250000")),
        ("1,250.50", Decimal("1250.50")),
        ("1 250", Decimal("1250")),
        ("-3", Decimal("-3")),
        ("12", Decimal("12")),
    ],
)
def test_numbers_are_read_the_turkish_and_the_international_way(
    typed: str, expected: Decimal
) -> None:
    assert answers.parse_number(typed) == expected


@pytest.mark.parametrize("typed", ["on iki", "12a", "1,2,3", "", "."])
def test_what_is_not_a_number_is_not_read_as_one(typed: str) -> None:
    assert answers.parse_number(typed) is None


def test_dates_are_read_as_iso_or_day_month_year() -> None:
    assert str(answers.parse_date("2027-03-15")) == "2027-03-15"
    assert str(answers.parse_date("15.03.2027")) == "2027-03-15"
    assert str(answers.parse_date("5/3/2027")) == "2027-03-05"
    assert answers.parse_date("31.02.2027") is None
    assert answers.parse_date("yarın") is None


def test_a_conditional_question_is_asked_only_for_its_values(call: Call) -> None:
    kind = _question(call, "tur", QuestionKind.CHOICE, options=OPTIONS)
    other = _question(
        call, "diger", QuestionKind.SHORT_TEXT, show_if=kind, show_if_values=["diger"]
    )
    follow = _question(
        call, "ayrinti", QuestionKind.SHORT_TEXT, show_if=other, show_if_values=["x"]
    )
    keys = lambda given: {q.key for q in answers.visible_questions(call, given)}  # noqa: E731
    assert keys({}) == {"tur"}
    assert keys({"tur": "dernek"}) == {"tur"}
    assert keys({"tur": "diger"}) == {"tur", "diger"}
    # A question that hangs on a hidden one is hidden too.
    assert keys({"tur": "dernek", "diger": "x"}) == {"tur"}
    assert keys({"tur": "diger", "diger": "x"}) == {"tur", "diger", "ayrinti"}
    assert follow.show_if == other


def test_a_condition_on_several_choices_holds_when_one_of_them_is_chosen(call: Call) -> None:
    many = _question(call, "alanlar", QuestionKind.MULTI_CHOICE, options=OPTIONS)
    _question(call, "neden", QuestionKind.LONG_TEXT, show_if=many, show_if_values=["vakif"])
    assert [q.key for q in answers.visible_questions(call, {"alanlar": ["dernek"]})] == ["alanlar"]
    assert [q.key for q in answers.visible_questions(call, {"alanlar": ["dernek", "vakif"]})] == [
        "alanlar",
        "neden",
    ]


def test_answers_of_hidden_questions_are_dropped(call: Call) -> None:
    kind = _question(call, "tur", QuestionKind.CHOICE, options=OPTIONS)
    _question(call, "diger", QuestionKind.SHORT_TEXT, show_if=kind, show_if_values=["diger"])
    clean, errors = answers.validate(call, {"tur": "dernek", "diger": "Kooperatif"}, final=False)
    assert clean == {"tur": "dernek"}
    assert errors == {}


def test_every_kind_is_cleaned_for_storage(call: Call) -> None:
    _question(call, "ad", QuestionKind.SHORT_TEXT)
    _question(call, "metin", QuestionKind.LONG_TEXT, max_words=10)
    _question(call, "tur", QuestionKind.CHOICE, options=OPTIONS)
    _question(call, "alanlar", QuestionKind.MULTI_CHOICE, options=OPTIONS)
    _question(call, "butce", QuestionKind.NUMBER, min_value=0, max_value=100000)
    _question(call, "tarih", QuestionKind.DATE)
    _question(call, "il", QuestionKind.PROVINCE)
    _question(call, "tema", QuestionKind.THEME)
    from kaynak.core.models import Theme

    theme = Theme.objects.order_by("position").first()
    assert theme is not None
    clean, errors = answers.validate(
        call,
        {
            "ad": "  Kadın   Dayanışma Derneği ",
            "metin": "Kısa bir metin.\r\n",
            "tur": "vakif",
            "alanlar": ["diger", "dernek"],
            "butce": "1.250,50",
            "tarih": "15.03.2027",
            "il": "34",
            "tema": theme.slug,
        },
        final=True,
    )
    assert errors == {}
    assert clean == {
        "ad": "Kadın Dayanışma Derneği",
        "metin": "Kısa bir metin.",
        "tur": "vakif",
        "alanlar": ["dernek", "diger"],
        "butce": "1250.5",
        "tarih": "2027-03-15",
        "il": 34,
        "tema": theme.slug,
    }


def test_answers_of_the_wrong_kind_are_refused_even_in_a_draft(call: Call) -> None:
    _question(call, "tur", QuestionKind.CHOICE, options=OPTIONS)
    _question(call, "alanlar", QuestionKind.MULTI_CHOICE, options=OPTIONS)
    _question(call, "butce", QuestionKind.NUMBER, min_value=0, max_value=1000)
    _question(call, "tarih", QuestionKind.DATE)
    _question(call, "il", QuestionKind.PROVINCE)
    _question(call, "tema", QuestionKind.THEME)
    clean, errors = answers.validate(
        call,
        {
            "tur": "kooperatif",
            "alanlar": ["dernek", "yok"],
            "butce": "bin lira",
            "tarih": "32.13.2027",
            "il": "99",
            "tema": "olmayan-tema",
        },
        final=False,
    )
    assert clean == {}
    assert set(errors) == {"tur", "alanlar", "butce", "tarih", "il", "tema"}
    assert "1.250,50" in errors["butce"]


def test_a_number_outside_the_range_is_refused_with_the_range(call: Call) -> None:
    _question(call, "butce", QuestionKind.NUMBER, min_value=10, max_value=1000)
    assert answers.validate(call, {"butce": "1.250"}, final=False)[1] == {"butce": "At most 1000."}
    assert answers.validate(call, {"butce": "5"}, final=False)[1] == {"butce": "At least 10."}


def test_a_text_over_the_word_limit_is_kept_in_the_draft_and_blocks_the_submission(
    call: Call,
) -> None:
    _question(call, "metin", QuestionKind.LONG_TEXT, max_words=300)
    text = " ".join(["sözcük"] * 312)
    clean, errors = answers.validate(call, {"metin": text}, final=False)
    assert clean == {"metin": text}
    assert errors == {"metin": "312 words; at most 300"}
    assert answers.validate(call, {"metin": text}, final=True)[1] == errors


def test_a_short_text_over_300_characters_is_reported(call: Call) -> None:
    _question(call, "ad", QuestionKind.SHORT_TEXT)
    clean, errors = answers.validate(call, {"ad": "a" * 301}, final=False)
    assert clean == {"ad": "a" * 301}
    assert errors == {"ad": "301 characters; at most 300"}


def test_a_draft_needs_no_answer_but_a_submission_needs_every_asked_required_one(
    call: Call,
) -> None:
    kind = _question(call, "tur", QuestionKind.CHOICE, options=OPTIONS)
    _question(call, "diger", QuestionKind.SHORT_TEXT, show_if=kind, show_if_values=["diger"])
    _question(call, "not", QuestionKind.SHORT_TEXT, required=False)
    _question(call, "belge", QuestionKind.FILE)
    assert answers.validate(call, {}, final=False) == ({}, {})
    _clean, errors = answers.validate(call, {"tur": "dernek"}, final=True)
    assert set(errors) == {"belge"}
    _clean, errors = answers.validate(call, {"tur": "diger"}, [], final=True)
    assert set(errors) == {"diger", "belge"}
    assert answers.validate(call, {"tur": "dernek"}, ["belge"], final=True)[1] == {}


# Files ---------------------------------------------------------------------------------------


def _zip(entries: dict[str, bytes]) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    buffer.seek(0)
    return buffer


def _png() -> io.BytesIO:
    import segno

    buffer = io.BytesIO()
    segno.make_qr("kaynak").save(buffer, kind="png")
    buffer.seek(0)
    return buffer


def _pdf() -> io.BytesIO:
    import weasyprint

    return io.BytesIO(weasyprint.HTML(string="<p>Faaliyet raporu</p>").write_pdf())


@pytest.fixture
def file_question(call: Call) -> Question:
    return _question(call, "belge", QuestionKind.FILE, max_file_mb=1)


@pytest.mark.needs_tool("lib:pango-1.0")
def test_a_real_pdf_is_accepted(file_question: Question) -> None:
    pdf = _pdf()
    found = answers.check_file(file_question, pdf, name="rapor.pdf", size=len(pdf.getvalue()))
    assert found == answers.PDF


def test_images_and_office_files_are_recognised_by_their_content(file_question: Question) -> None:
    samples = {
        "logo.png": (_png(), answers.PNG),
        "foto.jpg": (io.BytesIO(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 20), answers.JPG),
        "x.docx": (
            _zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w/>"}),
            answers.DOCX,
        ),
        "x.xlsx": (
            _zip({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<w/>"}),
            answers.XLSX,
        ),
        "x.odt": (_zip({"mimetype": answers.ODT.content_type.encode()}), answers.ODT),
        "x.ods": (_zip({"mimetype": answers.ODS.content_type.encode()}), answers.ODS),
    }
    for name, (stream, expected) in samples.items():
        size = len(stream.getvalue())
        assert answers.check_file(file_question, stream, name=name, size=size) == expected, name


@pytest.mark.parametrize(
    "content",
    [
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff",  # a Windows program
        b"<html><script>alert(1)</script></html>",
        b"just some text",
    ],
)
def test_a_file_of_another_kind_is_refused_whatever_its_name(
    file_question: Question, content: bytes
) -> None:
    with pytest.raises(ValueError, match="PDF, DOCX, XLSX, ODT, ODS, JPG, PNG files up to 1 MB"):
        answers.check_file(file_question, io.BytesIO(content), name="x.pdf", size=len(content))


def test_a_plain_zip_is_not_taken_for_an_office_file(file_question: Question) -> None:
    stream = _zip({"readme.txt": b"merhaba"})
    with pytest.raises(ValueError, match="cannot be taken"):
        answers.check_file(file_question, stream, name="x.docx", size=len(stream.getvalue()))


def test_a_file_over_the_size_limit_is_refused(file_question: Question) -> None:
    content = b"%PDF-1.7\n" + b"0" * (answers.MB + 1)
    with pytest.raises(ValueError, match="up to 1 MB"):
        answers.check_file(file_question, io.BytesIO(content), name="x.pdf", size=len(content))


def test_stored_answers_are_shown_in_the_readers_language(call: Call) -> None:
    kind = _question(call, "tur", QuestionKind.CHOICE, options=OPTIONS)
    number = _question(call, "butce", QuestionKind.NUMBER)
    assert answers.answer_text(kind, "vakif", "tr") == "Vakıf"
    assert answers.answer_text(kind, "vakif", "en") == "Foundation"
    assert answers.answer_text(number, "1250.5", "tr") == "1.250,5"
    assert answers.answer_text(number, "1250.5", "en") == "1,250.5"
