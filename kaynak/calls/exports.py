"""A call's applications, scores and ranking as an XLSX workbook (three sheets). It carries
personal data: the view requires ``calls.export_applications`` and each export is recorded in
the audit log. Numbers are numbers; text stays text (a cell starting with "=" is not a
formula)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kaynak.calls import reviewing
from kaynak.calls.answers import answer_text, questions_of
from kaynak.calls.models import (
    Application,
    ApplicationStatus,
    Call,
    QuestionKind,
    ReviewAssignment,
    Score,
)
from kaynak.core.audit import log_action
from kaynak.core.spreadsheets import workbook_bytes

DATE_TIME = "%d.%m.%Y %H:%M"


def _local(moment: Any) -> str:
    return timezone.localtime(moment).strftime(DATE_TIME) if moment else ""


def _number(value: Any) -> float | None:
    return None if value is None else float(value)


def _province(application: Application) -> str:
    organisation = application.organisation
    if organisation is not None and organisation.province is not None:
        return str(organisation.province.name)
    return ""


def _applications(call: Call) -> list[Application]:
    return list(
        Application.objects.filter(call=call)
        .exclude(status=ApplicationStatus.DRAFT)
        .select_related("organisation__province", "person", "user")
        .prefetch_related("people", "files")
        .order_by("submitted_at", "pk")
    )


def application_rows(call: Call) -> Iterator[list[Any]]:
    questions = questions_of(call)
    yield [
        str(pgettext_lazy("application call", "Reference")),
        str(_("Organisation")),
        str(_("Province")),
        str(_("Applicant")),
        str(_("E-mail")),
        str(_("Submitted at (Istanbul)")),
        str(_("Status")),
        str(_("Reason for the decision")),
        *[q.text for q in questions],
        str(call.people_heading or _("People named")),
    ]
    language = translation.get_language() or "tr"
    for application in _applications(call):
        files = {f.question_key: f.original_name for f in application.files.all()}
        answers = application.answers or {}
        values: list[Any] = []
        for question in questions:
            if question.kind == QuestionKind.FILE:
                values.append(files.get(question.key, ""))
            elif question.kind == QuestionKind.NUMBER and answers.get(question.key) not in (
                None,
                "",
            ):
                try:
                    values.append(float(answers[question.key]))
                except (TypeError, ValueError):
                    values.append(str(answers[question.key]))
            else:
                values.append(answer_text(question, answers.get(question.key), language))
        yield [
            application.code,
            application.organisation.name if application.organisation else "",
            _province(application),
            application.person.full_name,
            application.user.email if application.user else ", ".join(application.person.emails),
            _local(application.submitted_at),
            str(application.get_status_display()),
            application.decision_reason,
            *values,
            "; ".join(
                f"{p.full_name} <{p.email}>" + (f" ({p.role})" if p.role else "")
                for p in application.people.all()
            ),
        ]


def score_rows(call: Call) -> Iterator[list[Any]]:
    criteria = list(call.criteria.order_by("position", "pk"))
    yield [
        str(_("Application")),
        str(_("Organisation")),
        str(_("Reviewer")),
        *[c.label for c in criteria],
        str(_("Total")),
        str(_("Comments")),
        str(_("Submitted at (Istanbul)")),
        str(_("Counted")),
    ]
    assignments = (
        ReviewAssignment.objects.filter(application__call=call, review__isnull=False)
        .annotate(conflicted=reviewing.is_conflicted())
        .select_related("application__organisation", "reviewer", "review")
        .prefetch_related(Prefetch("review__scores", queryset=Score.objects.all()))
        .order_by("application__submitted_at", "application__pk", "assigned_at", "pk")
    )
    for assignment in assignments:
        review = assignment.review
        scores = {s.criterion_id: s.value for s in review.scores.all()}
        application = assignment.application
        yield [
            application.code,
            application.organisation.name if application.organisation else "",
            str(assignment.reviewer),
            *[scores.get(c.pk) for c in criteria],
            _number(review.total),
            review.comment,
            _local(review.submitted_at),
            str(
                _("no: conflict of interest")
                if assignment.conflicted
                else (_("yes") if review.submitted_at else _("no: draft"))
            ),
        ]


def ranking_rows(call: Call) -> Iterator[list[Any]]:
    criteria, rows = reviewing.ranking(call)
    yield [
        str(_("Rank")),
        str(_("Application")),
        str(_("Organisation")),
        str(_("Status")),
        str(_("Mean total")),
        str(_("Spread")),
        str(_("Reviews done")),
        str(_("Flagged")),
        *[c.label for c in criteria],
    ]
    for row in rows:
        application = row.application
        yield [
            row.rank,
            application.code,
            application.organisation.name if application.organisation else "",
            str(application.get_status_display()),
            _number(row.mean),
            _number(row.spread),
            row.reviews_done,
            str(_("yes") if row.flagged else _("no")),
            *[_number(mean) for mean in row.criterion_means],
        ]


@transaction.atomic
def _record_export(*, call: Call, actor: Any) -> None:
    log_action("kaynak.calls.applications.exported", actor=actor, target=call, data={})


def applications_xlsx(*, call: Call, actor: Any) -> bytes:
    """The workbook: "Applications", "Scores", "Ranking"."""
    _record_export(call=call, actor=actor)
    return workbook_bytes(
        [
            (_("Applications"), application_rows(call)),
            (_("Scores"), score_rows(call)),
            (_("Ranking"), ranking_rows(call)),
        ]
    )
