"""Exports of capacity assessments: one assessment's results as a PDF (chart, table, evidence)
and as an XLSX workbook (results, answers), and the staff's workbook of every completed
assessment (one row per assessment and dimension; recorded in the audit log). Numbers are
numbers; text stays text."""

from __future__ import annotations

import base64
import io
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from kaynak.coaching import assessing, scores
from kaynak.coaching.models import Assessment
from kaynak.core.audit import log_action
from kaynak.core.models import CenterSettings
from kaynak.core.printing import file_uri, font_uri, pdf_from_html

DATE_TIME = "%d.%m.%Y %H:%M"


def filename(assessment: Assessment, extension: str) -> str:
    return f"kapasite-degerlendirmesi-{assessment.pk}.{extension}"


def _local(moment: Any) -> str:
    return timezone.localtime(moment).strftime(DATE_TIME) if moment else ""


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def _text(value: Any) -> str:
    # A cell starting with "=" (or "+", "-", "@") would be read as a formula.
    text = str(value or "")
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


# PDF ------------------------------------------------------------------------------------------


def assessment_pdf(context: dict[str, Any]) -> bytes:
    """The results page (the context of ``views.assess.results_context``) as an A4 PDF."""
    center = CenterSettings.current()
    chart = str(context["chart"]).encode("utf-8")
    html = render_to_string(
        "coaching/assess/results_pdf.html",
        {
            **context,
            "center_name": center.name,
            "logo": file_uri(center.logo) if center.logo else "",
            "chart_uri": "data:image/svg+xml;base64," + base64.b64encode(chart).decode("ascii"),
            "font_regular": font_uri("DejaVuSans.ttf"),
            "font_bold": font_uri("DejaVuSans-Bold.ttf"),
            "language": translation.get_language() or "tr",
            "printed_at": timezone.localtime(),
        },
    )
    return pdf_from_html(html)


# XLSX -----------------------------------------------------------------------------------------


def _save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _header(sheet: Worksheet, titles: list[str]) -> None:
    sheet.append(titles)
    sheet.freeze_panes = "A2"


def assessment_xlsx(assessment: Assessment, *, previous: Assessment | None) -> bytes:
    """One completed assessment: a sheet of dimension results (with the previous assessment's
    scores and the change) and a sheet of answers with their evidence."""
    workbook = Workbook()
    results = workbook.active
    assert results is not None
    results.title = _("Results")[:31]
    _header(
        results,
        [
            _("Dimension key"),
            _("Dimension"),
            _("Score"),
            _("Previous score"),
            pgettext("coaching", "Change"),
        ],
    )
    current = scores.stored_scores(assessment)
    before = scores.stored_scores(previous) if previous is not None else {}
    for dimension in scores.dimensions_of(assessment):
        score = current.get(dimension.key)
        old = before.get(dimension.key)
        results.append(
            [
                dimension.key,
                _text(scores.dimension_name(dimension)),
                _number(score),
                _number(old),
                None if score is None or old is None else _number(score - old),
            ]
        )
    results.append(
        [
            "",
            _("Overall score"),
            _number(assessment.overall),
            _number(previous.overall if previous else None),
            None
            if previous is None or previous.overall is None or assessment.overall is None
            else _number(assessment.overall - previous.overall),
        ]
    )
    answers_sheet = workbook.create_sheet(pgettext("coaching", "Answers")[:31])
    _header(
        answers_sheet,
        [
            _("Dimension"),
            _("Question key"),
            _("Question"),
            _("Score"),
            pgettext("coaching", "Level"),
            pgettext("coaching", "Evidence"),
        ],
    )
    answers = {a.indicator_id: a for a in assessment.answers.all()}
    for dimension in scores.dimensions_of(assessment):
        for indicator in dimension.indicators.order_by("position", "pk"):
            answer = answers.get(indicator.pk)
            given = answer.score if answer is not None else None
            levels = scores.level_texts(indicator)
            answers_sheet.append(
                [
                    _text(scores.dimension_name(dimension)),
                    indicator.key,
                    _text(scores.indicator_text(indicator)),
                    given,
                    _text(levels[given - 1] if given and given <= len(levels) else ""),
                    _text(answer.evidence if answer is not None else ""),
                ]
            )
    about = workbook.create_sheet(_("About")[:31])
    for label, value in [
        (_("Organisation"), assessment.organisation.name),
        (
            _("Instrument"),
            f"{scores.instrument_name(assessment.instrument)} (v{assessment.instrument.version})",
        ),
        (_("Made by"), assessment.get_kind_display()),
        (_("Stage of the assessment"), assessment.get_stage_display()),
        (_("Completed at (Istanbul)"), _local(assessment.completed_at)),
    ]:
        about.append([str(label), _text(value)])
    return _save(workbook)


def completed_assessment_rows() -> list[list[Any]]:
    """The header and one row per completed assessment and dimension."""
    rows: list[list[Any]] = [
        [
            _("Assessment"),
            _("Organisation"),
            _("Province"),
            _("Instrument"),
            _("Version"),
            _("Made by"),
            _("Stage of the assessment"),
            _("Coaching engagement"),
            _("Completed at (Istanbul)"),
            _("Dimension key"),
            _("Dimension"),
            _("Score"),
            _("Overall score"),
        ]
    ]
    for assessment in assessing.completed_assessments():
        organisation = assessment.organisation
        results = scores.stored_scores(assessment)
        for dimension in assessment.instrument.dimensions.all():
            rows.append(
                [
                    assessment.pk,
                    _text(organisation.name),
                    str(organisation.province.name) if organisation.province else "",
                    assessment.instrument.slug,
                    assessment.instrument.version,
                    str(assessment.get_kind_display()),
                    str(assessment.get_stage_display()),
                    assessment.engagement.code if assessment.engagement else "",
                    _local(assessment.completed_at),
                    dimension.key,
                    _text(scores.dimension_name(dimension)),
                    _number(results.get(dimension.key)),
                    _number(assessment.overall),
                ]
            )
    return rows


def completed_assessments_xlsx(*, actor: Any) -> bytes:
    """Every completed assessment, one row per assessment and dimension (staff export)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Assessments")[:31])
    rows = completed_assessment_rows()
    for row in rows:
        sheet.append([str(v) if hasattr(v, "_proxy____cast") else v for v in row])
    log_action(
        "kaynak.coaching.assessment.exported",
        actor=actor,
        data={"rows": len(rows) - 1},
    )
    return _save(workbook)
