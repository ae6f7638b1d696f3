"""The receipt of a submitted application: an A4 PDF (WeasyPrint) with the center's name, the
call, the reference, the organisation and applicant, the time of submission (Istanbul time),
the answers as submitted, the file names and the people named. In the application's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.template.loader import render_to_string
from django.utils import formats, timezone, translation

from kaynak.calls import answers as answer_rules
from kaynak.calls.models import Application, QuestionKind
from kaynak.core.models import CenterSettings
from kaynak.core.printing import file_uri, font_uri, pdf_from_html


@dataclass(frozen=True)
class AnswerRow:
    """One asked question and its answer, as a reader sees them."""

    question: str
    answer: str
    is_file: bool = False


def answer_rows(application: Application, language: str | None = None) -> list[AnswerRow]:
    """The application's questions that are asked given its answers, with the answers (file
    questions show the file's name) in ``language`` (the active one by default)."""
    language = language or translation.get_language() or "tr"
    questions = answer_rules.visible_questions(application.call, application.answers)
    files = {f.question_key: f.original_name for f in application.files.all()}
    rows = []
    for question in questions:
        if question.kind == QuestionKind.FILE:
            rows.append(AnswerRow(question.text, files.get(question.key, ""), is_file=True))
        else:
            value = application.answers.get(question.key)
            rows.append(
                AnswerRow(question.text, answer_rules.answer_text(question, value, language))
            )
    return rows


def receipt_context(application: Application) -> dict[str, Any]:
    """What the receipt shows (rendered in the active language)."""
    center = CenterSettings.current()
    submitted = timezone.localtime(application.submitted_at) if application.submitted_at else None
    return {
        "center_name": center.name,
        "logo": file_uri(center.logo) if center.logo else "",
        "application": application,
        "call": application.call,
        "organisation": application.organisation,
        "applicant": application.person.full_name,
        "submitted_at": (
            f"{formats.date_format(submitted, 'j F Y')}, {submitted:%H:%M:%S}" if submitted else ""
        ),
        "rows": answer_rows(application),
        "people": list(application.people.order_by("position", "pk")),
        "people_heading": application.call.people_heading,
        "font_regular": font_uri("DejaVuSans.ttf"),
        "font_bold": font_uri("DejaVuSans-Bold.ttf"),
        "language": translation.get_language() or "tr",
    }


def receipt_html(application: Application) -> str:
    with translation.override(application.language or "tr"):
        return render_to_string("calls/apply/receipt_pdf.html", receipt_context(application))


def receipt_pdf(application: Application) -> bytes:
    """The receipt as an A4 PDF."""
    html = receipt_html(application)
    return pdf_from_html(html)


def receipt_filename(application: Application) -> str:
    return f"basvuru-{application.code}.pdf"
