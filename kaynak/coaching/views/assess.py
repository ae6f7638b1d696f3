"""Capacity-assessment pages: an NGO admin's list of their organisations' assessments, the
form of a draft (saved as it changes, completed when every question is scored), the results
(radar chart with the previous assessment, a table per dimension, evidence), PDF and XLSX
exports; a coach's assessment of an engagement through the same pages; the staff's read-only
view of instruments and the export of every completed assessment.

Another organisation's assessment is a 404, never a 403.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from kaynak.coaching import assessing, exports_assess, scores
from kaynak.coaching.charts import radar_chart
from kaynak.coaching.errors import CoachingError
from kaynak.coaching.forms_assess import AssessmentForm, StartForm
from kaynak.coaching.models import (
    Assessment,
    AssessmentKind,
    AssessmentStage,
    Dimension,
    Engagement,
    Indicator,
    Instrument,
)
from kaynak.core.i18n import is_english
from kaynak.core.permissions import can, permission_required
from kaynak.directory.models import Organisation
from kaynak.programmes.views.public import is_partial_request

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# Reading one assessment --------------------------------------------------------------------


def _assessment_for(request: HttpRequest, pk: int) -> Assessment:
    assessment = assessing.assessment_for_display(pk)
    if assessment is None or not assessing.may_view(request.user, assessment):
        raise Http404
    return assessment


def series_label(assessment: Assessment) -> str:
    """ "Self-assessment · Baseline · 12 March 2027" for legends and headings."""
    parts = [str(assessment.get_kind_display()), str(assessment.get_stage_display())]
    if assessment.completed_at:
        parts.append(formats.date_format(timezone.localtime(assessment.completed_at), "j F Y"))
    return " · ".join(parts)


@dataclass(frozen=True)
class ResultRow:
    key: str
    name: str
    score: Decimal | None
    previous: Decimal | None
    change: Decimal | None


@dataclass(frozen=True)
class EvidenceRow:
    question: str
    score: int | None
    level: str
    evidence: str


@dataclass(frozen=True)
class EvidenceSection:
    name: str
    rows: list[EvidenceRow]


def results_context(assessment: Assessment) -> dict[str, Any]:
    """What the results page and the PDF show: chart, table, evidence (active language)."""
    dimensions: list[Dimension] = scores.dimensions_of(assessment)
    current = scores.stored_scores(assessment)
    previous = assessing.previous_completed(assessment)
    before = scores.stored_scores(previous) if previous is not None else {}
    rows = []
    for dimension in dimensions:
        score = current.get(dimension.key)
        old = before.get(dimension.key) if previous is not None else None
        rows.append(
            ResultRow(
                key=dimension.key,
                name=scores.dimension_name(dimension),
                score=score,
                previous=old,
                change=None if score is None or old is None else score - old,
            )
        )
    series: list[tuple[str, dict[str, Decimal | None]]] = [(series_label(assessment), current)]
    if previous is not None:
        series.append((series_label(previous), before))
    answers = {a.indicator_id: a for a in assessment.answers.all()}
    evidence = []
    for dimension in dimensions:
        evidence_rows = []
        for indicator in dimension.indicators.all():
            answer = answers.get(indicator.pk)
            given = answer.score if answer is not None else None
            levels = scores.level_texts(indicator)
            evidence_rows.append(
                EvidenceRow(
                    question=scores.indicator_text(indicator),
                    score=given,
                    level=levels[given - 1] if given and given <= len(levels) else "",
                    evidence=answer.evidence if answer is not None else "",
                )
            )
        evidence.append(EvidenceSection(scores.dimension_name(dimension), evidence_rows))
    return {
        "assessment": assessment,
        "instrument_name": scores.instrument_name(assessment.instrument),
        "label": series_label(assessment),
        "previous": previous,
        "previous_label": series_label(previous) if previous is not None else "",
        "rows": rows,
        "chart": radar_chart(
            axes=[(d.key, scores.dimension_name(d)) for d in dimensions],
            series=series,
            title=_("Capacity scores of {organisation}").format(
                organisation=assessment.organisation.name
            ),
        ),
        "evidence": evidence,
    }


# The NGO's list and starting ---------------------------------------------------------------


@never_cache
@login_required
def assessments(request: HttpRequest) -> HttpResponse:
    """The organisations the member acts for, each with its assessments and a start button."""
    organisations = assessing.organisations_acted_for(request.user)
    own = list(
        assessing.assessments_for_user(request.user)
        .filter(organisation__in=organisations)
        .order_by("status", "-completed_at", "-created_at", "-pk")
    )
    groups = [
        (organisation, [a for a in own if a.organisation_id == organisation.pk])
        for organisation in organisations
    ]
    return render(
        request,
        "coaching/assess/list.html",
        {"groups": groups, "start_form": StartForm(organisations) if organisations else None},
    )


@dataclass(frozen=True)
class NewAssessment:
    organisation: Organisation
    engagement: Engagement | None
    kind: str
    stage: str


def _new_assessment(request: HttpRequest, data: Any) -> NewAssessment:
    """The organisation, engagement, kind and stage asked for, if the user may start it;
    else 404."""
    try:
        organisation = Organisation.objects.get(pk=int(data.get("organisation", "")))
        engagement_id = data.get("engagement") or ""
        engagement = (
            Engagement.objects.select_related("organisation", "instrument").get(
                pk=int(engagement_id)
            )
            if engagement_id
            else None
        )
    except (ValueError, Organisation.DoesNotExist, Engagement.DoesNotExist):
        raise Http404 from None
    kind = data.get("kind") or AssessmentKind.SELF
    stage = data.get("stage") or AssessmentStage.BASELINE
    if kind not in AssessmentKind.values or stage not in AssessmentStage.values:
        raise Http404
    if engagement is not None and engagement.organisation_id != organisation.pk:
        raise Http404
    coaches = engagement is not None and can(request.user, "coaching.coach_engagement", engagement)
    assesses_self = kind == AssessmentKind.SELF and can(
        request.user, "coaching.self_assess", organisation
    )
    if not (coaches or assesses_self):
        raise Http404
    return NewAssessment(organisation, engagement, kind, stage)


@never_cache
@login_required
def assessment_new(request: HttpRequest) -> HttpResponse:
    """GET: what will be started, with a button; POST: start the draft and open it."""
    wanted = _new_assessment(request, request.POST if request.method == "POST" else request.GET)
    if request.method == "POST":
        try:
            assessment = assessing.start_assessment(
                organisation=wanted.organisation,
                kind=wanted.kind,
                stage=wanted.stage,
                actor=request.user,
                engagement=wanted.engagement,
            )
        except (CoachingError, Instrument.DoesNotExist) as refused:
            message = (
                refused.message
                if isinstance(refused, CoachingError)
                else _("No assessment instrument is available yet.")
            )
            messages.error(request, str(message))
            return redirect("coaching:assessments")
        return redirect("coaching:assessment", pk=assessment.pk)
    return render(
        request,
        "coaching/assess/new.html",
        {
            "wanted": wanted,
            "kind_label": AssessmentKind(wanted.kind).label,
            "stage_label": AssessmentStage(wanted.stage).label,
        },
    )


# One assessment: the form while a draft, the results once completed -------------------------


def _form_page(
    request: HttpRequest,
    assessment: Assessment,
    form: AssessmentForm,
    *,
    saved_at: Any = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "coaching/assess/form.html",
        {
            "assessment": assessment,
            "instrument_name": scores.instrument_name(assessment.instrument),
            "form": form,
            "sections": form.sections(),
            "saved_at": saved_at,
            "label": series_label(assessment),
        },
        status=status,
    )


@never_cache
@login_required
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A draft's form (POST saves; with "complete", completes) or a completed one's results."""
    assessment = _assessment_for(request, pk)
    editable = assessing.may_edit(request.user, assessment)
    if assessment.is_completed or not editable:
        if request.method == "POST":
            raise Http404
        return render(request, "coaching/assess/results.html", results_context(assessment))
    if request.method != "POST":
        return _form_page(request, assessment, AssessmentForm(assessment))
    form = AssessmentForm(assessment, request.POST)
    partial = is_partial_request(request)
    if not form.is_valid():
        if partial:
            return render(
                request,
                "coaching/assess/partials/save_status.html",
                {"refused": _("Some answers could not be saved; see the questions marked.")},
            )
        return _form_page(request, assessment, form, status=400)
    try:
        assessing.save_answers(assessment=assessment, answers=form.answers(), actor=request.user)
    except CoachingError as refused:
        form.add_service_errors(refused.fields)
        if partial:
            return render(
                request,
                "coaching/assess/partials/save_status.html",
                {"refused": refused.message},
            )
        return _form_page(request, assessment, form, status=400)
    saved_at = timezone.localtime()
    if partial:
        return render(request, "coaching/assess/partials/save_status.html", {"saved_at": saved_at})
    if request.POST.get("action") == "complete":
        try:
            assessing.complete_assessment(assessment=assessment, actor=request.user)
        except CoachingError as refused:
            form.add_service_errors(refused.fields)
            messages.error(request, str(refused.message))
            return _form_page(request, assessment, form, saved_at=saved_at, status=400)
        messages.success(request, _("The assessment is completed. Here are its results."))
        return redirect("coaching:assessment", pk=assessment.pk)
    messages.success(request, _("Your answers are saved as a draft."))
    return redirect("coaching:assessment", pk=assessment.pk)


@never_cache
@login_required
def assessment_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a draft (asks first)."""
    assessment = _assessment_for(request, pk)
    if not assessing.may_edit(request.user, assessment):
        raise Http404
    if request.method == "POST":
        try:
            assessing.assessment_delete(assessment=assessment, actor=request.user)
        except CoachingError as refused:
            messages.error(request, str(refused.message))
            return redirect("coaching:assessment", pk=pk)
        messages.success(request, _("The draft is deleted."))
        return redirect("coaching:assessments")
    return render(
        request,
        "coaching/assess/delete.html",
        {"assessment": assessment, "label": series_label(assessment)},
    )


def _completed_for(request: HttpRequest, pk: int) -> Assessment:
    assessment = _assessment_for(request, pk)
    if not assessment.is_completed:
        raise Http404
    return assessment


@login_required
def assessment_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The results of a completed assessment as an A4 PDF."""
    assessment = _completed_for(request, pk)
    response = HttpResponse(
        exports_assess.assessment_pdf(results_context(assessment)),
        content_type="application/pdf",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{exports_assess.filename(assessment, "pdf")}"'
    )
    return response


@login_required
def assessment_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    """The results and answers of a completed assessment as an XLSX workbook."""
    assessment = _completed_for(request, pk)
    response = HttpResponse(
        exports_assess.assessment_xlsx(
            assessment, previous=assessing.previous_completed(assessment)
        ),
        content_type=XLSX,
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{exports_assess.filename(assessment, "xlsx")}"'
    )
    return response


# Staff ----------------------------------------------------------------------------------------


@never_cache
@permission_required("coaching.view_staff")
def staff_instruments(request: HttpRequest) -> HttpResponse:
    """Every instrument version with how many assessments use it."""
    instruments = list(assessing.instruments_with_use())
    for instrument in instruments:
        instrument.display_name = scores.instrument_name(instrument)  # type: ignore[attr-defined]
    return render(
        request,
        "coaching/assess/staff_instruments.html",
        {
            "instruments": instruments,
            "can_export": can(request.user, "coaching.export"),
            "can_manage": can(request.user, "coaching.manage_instruments"),
        },
    )


@dataclass(frozen=True)
class QuestionView:
    key: str
    text: str
    levels: list[str]


@dataclass(frozen=True)
class DimensionView:
    key: str
    name: str
    description: str
    questions: list[QuestionView]


@never_cache
@permission_required("coaching.view_staff")
def staff_instrument(request: HttpRequest, pk: int) -> HttpResponse:
    """One instrument version: its dimensions and questions with the level texts (read only)."""
    instrument = get_object_or_404(assessing.instruments_with_use(), pk=pk)
    english = is_english()
    dimensions = [
        DimensionView(
            key=dimension.key,
            name=scores.dimension_name(dimension),
            description=dimension.description_en
            if english and dimension.description_en
            else dimension.description,
            questions=[
                QuestionView(
                    key=indicator.key,
                    text=scores.indicator_text(indicator),
                    levels=scores.level_texts(indicator),
                )
                for indicator in dimension.indicators.all()
            ],
        )
        for dimension in instrument.dimensions.order_by("position", "pk").prefetch_related(
            _ordered_indicators()
        )
    ]
    return render(
        request,
        "coaching/assess/staff_instrument.html",
        {
            "instrument": instrument,
            "instrument_name": scores.instrument_name(instrument),
            "description": instrument.description_en
            if english and instrument.description_en
            else instrument.description,
            "dimensions": dimensions,
            "frozen": instrument.assessment_count > 0,  # type: ignore[attr-defined]
            "can_manage": can(request.user, "coaching.manage_instruments"),
        },
    )


def _ordered_indicators() -> Prefetch[Any]:
    return Prefetch("indicators", queryset=Indicator.objects.order_by("position", "pk"))


@permission_required("coaching.export")
def staff_assessments_xlsx(request: HttpRequest) -> HttpResponse:
    """Every completed assessment, one row per assessment and dimension."""
    response = HttpResponse(
        exports_assess.completed_assessments_xlsx(actor=request.user), content_type=XLSX
    )
    response["Content-Disposition"] = 'attachment; filename="capacity-assessments.xlsx"'
    return response
