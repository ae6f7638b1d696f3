"""The dynamic application form: which questions are asked given the answers so far
(``show_if``), and the checking of every kind of answer.

Answers arrive as typed (text, or a list of texts for several choices) and are stored cleaned,
by question key: text as text, a choice as its option key, several choices as a list of keys,
a number as a decimal string ("1250.50"), a date as ISO ("2027-03-15"), a province as its plate
code, a theme as its slug. Files are not answers: they are ``ApplicationFile`` rows, checked
here by their content (the first bytes), not by their name.

A draft keeps an answer that is too long (the applicant is still cutting it) but not one of the
wrong kind (a word where a number goes); both are reported, and both block the submission.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kaynak.calls.models import Call, Question, QuestionKind
from kaynak.core.models import Province, Theme

SHORT_TEXT_MAX_CHARS = 300
MB = 1024 * 1024

Errors = dict[str, str]


# Words ---------------------------------------------------------------------------------------

# A word has at least one letter or digit: "—", "-" or "…" standing alone are not words, while
# "Türkiye'nin", "e-posta" and "2027" are one word each.
_WORD = re.compile(r"\S*[^\W_]\S*")


def word_count(text: str) -> int:
    """The words in ``text`` as a person would count them."""
    return len(_WORD.findall(text or ""))


def words_message(count: int, limit: int) -> str:
    """ "312 words; at most 300"."""
    return ngettext(
        "%(count)s word; at most %(limit)s", "%(count)s words; at most %(limit)s", count
    ) % {"count": count, "limit": limit}


# Numbers and dates ---------------------------------------------------------------------------

_GROUPED_DOTS = re.compile(r"^-?\d{1,3}(\.\d{3})+$")
_GROUPED_COMMAS = re.compile(r"^-?\d{1,3}(,\d{3}){2,}$")


def parse_number(text: str) -> Decimal | None:
    """A number as people in Turkey type it: "1.250,50", "1250,5", "1250.5", "1.250" (one
    thousand two hundred and fifty) or "1 250"; None when it is not a number."""
    value = re.sub(r"[\s\u00a0\u202f']", "", str(text)).replace("−", "-")
    if not value:
        return None
    if "," in value and "." in value:
        # The one that comes last separates the decimals.
        if value.rfind(",") > value.rfind("."):
            value = value.replace(".", "").replace(",", ".")
        else:
            value = value.replace(",", "")
    elif "," in value:
        value = value.replace(",", "") if _GROUPED_COMMAS.match(value) else value.replace(",", ".")
    elif _GROUPED_DOTS.match(value):
        value = value.replace(".", "")
    if not re.fullmatch(r"-?(\d+(\.\d*)?|\.\d+)", value):
        return None
    try:
        return Decimal(value)
    except InvalidOperation:
        return None


def parse_date(text: str) -> dt.date | None:
    """A date typed as ISO ("2027-03-15") or the Turkish way ("15.03.2027", "15/03/2027")."""
    value = str(text).strip()
    try:
        if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", value):
            year, month, day = (int(part) for part in value.split("-"))
            return dt.date(year, month, day)
        match = re.fullmatch(r"(\d{1,2})[./-](\d{1,2})[./-](\d{4})", value)
        if match:
            day, month, year = (int(part) for part in match.groups())
            return dt.date(year, month, day)
    except ValueError:
        return None
    return None


def number_text(value: Decimal) -> str:
    """How a number answer is stored: plain digits, a point before decimals ("1250.5")."""
    text = format(value.normalize(), "f")
    return text


# Files ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FileType:
    name: str  # what the applicant is told: "PDF"
    content_type: str
    extensions: tuple[str, ...]


PDF = FileType("PDF", "application/pdf", (".pdf",))
DOCX = FileType(
    "DOCX",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    (".docx",),
)
XLSX = FileType(
    "XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", (".xlsx",)
)
ODT = FileType("ODT", "application/vnd.oasis.opendocument.text", (".odt",))
ODS = FileType("ODS", "application/vnd.oasis.opendocument.spreadsheet", (".ods",))
JPG = FileType("JPG", "image/jpeg", (".jpg", ".jpeg"))
PNG = FileType("PNG", "image/png", (".png",))
FILE_TYPES = (PDF, DOCX, XLSX, ODT, ODS, JPG, PNG)
ACCEPTED_NAMES = ", ".join(t.name for t in FILE_TYPES)
ACCEPT_ATTRIBUTE = ",".join(
    [*(ext for t in FILE_TYPES for ext in t.extensions), *(t.content_type for t in FILE_TYPES)]
)


def _zip_type(head: IO[bytes]) -> FileType | None:
    """Office files are zip archives: what is inside tells them apart (and from any zip)."""
    try:
        with zipfile.ZipFile(head) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                return {ODT.content_type: ODT, ODS.content_type: ODS}.get(mimetype)
            if "[Content_Types].xml" in names:
                if any(n.startswith("word/") for n in names):
                    return DOCX
                if any(n.startswith("xl/") for n in names):
                    return XLSX
    except (zipfile.BadZipFile, OSError, EOFError, KeyError):
        return None
    return None


def sniff_file_type(stream: IO[bytes]) -> FileType | None:
    """The file's type as its content shows it (not its name), or None when not accepted."""
    stream.seek(0)
    head = stream.read(8)
    stream.seek(0)
    found: FileType | None = None
    if head.startswith(b"%PDF-"):
        found = PDF
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        found = PNG
    elif head.startswith(b"\xff\xd8\xff"):
        found = JPG
    elif head.startswith(b"PK\x03\x04"):
        data = stream.read()
        stream.seek(0)
        found = _zip_type(io.BytesIO(data))
    return found


def file_refusal(question: Question, *, name: str, size: int) -> str:
    """What a refused file's applicant is told: the types and the size accepted."""
    return str(
        _(
            "“%(name)s” cannot be taken. Accepted: %(types)s files up to %(size)s MB; "
            "the rest of your answers are kept."
        )
        % {"name": name, "types": ACCEPTED_NAMES, "size": question.max_file_mb}
    )


def check_file(question: Question, stream: IO[bytes], *, name: str, size: int) -> FileType:
    """The accepted type of an uploaded file; ``ValueError`` with the message when it is the
    wrong type (by content) or too large."""
    if size > question.max_file_mb * MB or size == 0:
        raise ValueError(file_refusal(question, name=name, size=size))
    found = sniff_file_type(stream)
    if found is None:
        raise ValueError(file_refusal(question, name=name, size=size))
    return found


# Visibility ----------------------------------------------------------------------------------


def _matches(answer: Any, values: Iterable[str]) -> bool:
    wanted = {str(v) for v in values}
    if isinstance(answer, list):
        return any(str(a) in wanted for a in answer)
    return answer is not None and str(answer) in wanted


def visible_keys(questions: list[Question], answers: Mapping[str, Any]) -> set[str]:
    """The keys of the questions asked given ``answers`` (cleaned): a conditional question is
    asked only when its condition's question is asked and answered with one of the values."""
    by_pk = {q.pk: q for q in questions}
    memo: dict[int, bool] = {}

    def visible(question: Question, depth: int = 0) -> bool:
        if question.pk in memo:
            return memo[question.pk]
        result = True
        if question.show_if_id is not None:
            parent = by_pk.get(question.show_if_id)
            result = (
                parent is not None
                and depth < len(questions)
                and visible(parent, depth + 1)
                and _matches(answers.get(parent.key), question.show_if_values or [])
            )
        memo[question.pk] = result
        return result

    return {q.key for q in questions if visible(q)}


def questions_of(call: Call) -> list[Question]:
    """The call's questions in order (read once per form)."""
    return list(call.questions.order_by("position", "pk"))


def visible_questions(
    call: Call, answers: Mapping[str, Any], *, questions: list[Question] | None = None
) -> list[Question]:
    """The questions asked given ``answers`` (cleaned), in order."""
    questions = questions if questions is not None else questions_of(call)
    keys = visible_keys(questions, answers)
    return [q for q in questions if q.key in keys]


# Checking answers ----------------------------------------------------------------------------


def _option_keys(question: Question) -> set[str]:
    return {str(o.get("key")) for o in question.options or [] if isinstance(o, dict)}


def option_label(question: Question, key: str, language: str) -> str:
    for option in question.options or []:
        if isinstance(option, dict) and str(option.get("key")) == key:
            if language.startswith("en") and option.get("en"):
                return str(option["en"])
            return str(option.get("tr") or key)
    return key


def is_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, (list, tuple)):
        return not [v for v in value if str(v).strip()]
    return not str(value).strip()


@dataclass
class _Checked:
    value: Any = None
    error: str | Promise = ""
    keep: bool = True  # a draft keeps the value despite the error (too long)


def _text(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        value = value[0] if value else ""
    return str(value)


def _check(question: Question, raw: Any, province_ids: set[int], theme_slugs: set[str]) -> _Checked:
    kind = question.kind
    if kind == QuestionKind.SHORT_TEXT:
        text = " ".join(_text(raw).split())
        if len(text) > SHORT_TEXT_MAX_CHARS:
            return _Checked(
                text,
                _("%(count)s characters; at most %(limit)s")
                % {"count": len(text), "limit": SHORT_TEXT_MAX_CHARS},
            )
        return _Checked(text)
    if kind == QuestionKind.LONG_TEXT:
        text = _text(raw).replace("\r\n", "\n").strip()
        if question.max_words and (count := word_count(text)) > question.max_words:
            return _Checked(text, words_message(count, question.max_words))
        return _Checked(text)
    if kind == QuestionKind.CHOICE:
        key = _text(raw).strip()
        if key not in _option_keys(question):
            return _Checked(error=_("Choose one of the options."), keep=False)
        return _Checked(key)
    if kind == QuestionKind.MULTI_CHOICE:
        keys = [str(v).strip() for v in (raw if isinstance(raw, (list, tuple)) else [raw])]
        keys = [k for k in keys if k]
        options = _option_keys(question)
        if any(k not in options for k in keys):
            return _Checked(error=_("Choose among the options."), keep=False)
        ordered = [str(o["key"]) for o in question.options if str(o.get("key")) in set(keys)]
        return _Checked(ordered)
    if kind == QuestionKind.NUMBER:
        number = parse_number(_text(raw))
        if number is None:
            return _Checked(
                error=_("Write a number, e.g. 1.250,50 or 1250.5."),
                keep=False,
            )
        if question.min_value is not None and number < question.min_value:
            return _Checked(
                error=_("At least %(min)s.") % {"min": number_text(question.min_value)},
                keep=False,
            )
        if question.max_value is not None and number > question.max_value:
            return _Checked(
                error=_("At most %(max)s.") % {"max": number_text(question.max_value)},
                keep=False,
            )
        return _Checked(number_text(number))
    if kind == QuestionKind.DATE:
        date = parse_date(_text(raw))
        if date is None:
            return _Checked(error=_("Write a date as 15.03.2027."), keep=False)
        return _Checked(date.isoformat())
    if kind == QuestionKind.PROVINCE:
        try:
            plate = int(_text(raw).strip())
        except ValueError:
            plate = 0
        if plate not in province_ids:
            return _Checked(error=_("Choose a province from the list."), keep=False)
        return _Checked(plate)
    if kind == QuestionKind.THEME:
        slug = _text(raw).strip()
        if slug not in theme_slugs:
            return _Checked(error=_("Choose a theme from the list."), keep=False)
        return _Checked(slug)
    return _Checked(keep=False)  # files are not answers


def validate(
    call: Call,
    answers: Mapping[str, Any],
    files: Iterable[str] = (),
    *,
    final: bool,
    questions: list[Question] | None = None,
) -> tuple[dict[str, Any], Errors]:
    """The clean answers (only those of questions asked) and the errors by question key.

    ``answers`` are as typed; ``files`` the keys of the file questions that have a file. A
    draft (``final=False``) needs no answer, refuses one of the wrong kind and keeps one too
    long (with its error); ``final=True`` also requires every required question asked."""
    questions = questions if questions is not None else questions_of(call)
    kinds = {q.kind for q in questions}
    province_ids = (
        set(Province.objects.values_list("plate_code", flat=True))
        if QuestionKind.PROVINCE in kinds
        else set()
    )
    theme_slugs = (
        set(Theme.objects.values_list("slug", flat=True)) if QuestionKind.THEME in kinds else set()
    )
    clean: dict[str, Any] = {}
    errors: Errors = {}
    for question in questions:
        if question.kind == QuestionKind.FILE:
            continue
        raw = answers.get(question.key)
        if is_empty(raw):
            continue
        checked = _check(question, raw, province_ids, theme_slugs)
        if checked.error:
            errors[question.key] = str(checked.error)
        if checked.keep and not is_empty(checked.value):
            clean[question.key] = checked.value
    asked = visible_keys(questions, clean)
    clean = {key: value for key, value in clean.items() if key in asked}
    errors = {key: message for key, message in errors.items() if key in asked}
    if final:
        with_files = set(files)
        for question in questions:
            if question.key not in asked or not question.required or question.key in errors:
                continue
            answered = (
                question.key in with_files
                if question.kind == QuestionKind.FILE
                else question.key in clean
            )
            if not answered:
                errors[question.key] = str(
                    _("Please upload a file.")
                    if question.kind == QuestionKind.FILE
                    else _("Please answer this question.")
                )
    return clean, errors


def answer_text(question: Question, value: Any, language: str) -> str:
    """A stored answer as a reader sees it (the receipt, the application's page)."""
    if value is None or value == "" or value == []:
        return ""
    if question.kind == QuestionKind.CHOICE:
        return option_label(question, str(value), language)
    if question.kind == QuestionKind.MULTI_CHOICE:
        return ", ".join(option_label(question, str(v), language) for v in value)
    if question.kind == QuestionKind.PROVINCE:
        province = Province.objects.filter(pk=value).first()
        return province.label if province else str(value)
    if question.kind == QuestionKind.THEME:
        theme = Theme.objects.filter(slug=value).first()
        return theme.label if theme else str(value)
    if question.kind == QuestionKind.DATE:
        date = parse_date(str(value))
        return f"{date:%d.%m.%Y}" if date else str(value)
    if question.kind == QuestionKind.NUMBER:
        number = parse_number(str(value))
        if number is None:
            return str(value)
        if language.startswith("en"):
            return f"{number:,}"
        return f"{number:,}".replace(",", " ").replace(".", ",").replace(" ", ".")
    return str(value)
