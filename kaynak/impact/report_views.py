"""Staff pages of the donor reports: the list, a new report, a report (narrative, figures,
downloads, finish, copy, delete) and, for a finished one, what changed since."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from kaynak.core.permissions import can, permission_required
from kaynak.impact import reports
from kaynak.impact.models import DonorReport
from kaynak.impact.pdf import (
    breakdown_titles,
    narrative_sections,
    programme_label,
    report_filename,
    report_pdf,
)
from kaynak.impact.report_forms import NarrativeForm, ReportForm
from kaynak.impact.services import ImpactError
from kaynak.impact.xlsx import report_xlsx
from kaynak.ledger.forms import period_label

PREFILL = ("title", "year", "quarter", "start", "end", "programme", "language")


def _error_beside(form: Any, error: ImpactError) -> None:
    form.add_error(error.field if error.field in form.fields else None, str(error.message))


@permission_required("impact.view_indicators")
def report_list(request: HttpRequest) -> HttpResponse:
    listed = DonorReport.objects.select_related("created_by", "finished_by")
    return render(request, "impact/reports.html", {"reports": listed})


@permission_required("impact.manage_reports")
def report_new(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = ReportForm(request.POST)
        if form.is_valid():
            start, end = form.period()
            try:
                report = reports.report_create(
                    title=form.cleaned_data["title"],
                    scope=reports.scope_of(
                        start=start, end=end, programme=form.cleaned_data["programme"]
                    ),
                    language=form.cleaned_data["language"],
                    actor=request.user,
                )
            except ImpactError as error:
                _error_beside(form, error)
            else:
                return redirect("impact:staff-report", report.pk)
    else:
        # "One click" from the dashboard: ?year=2025&programme=… fills the form in.
        form = ReportForm(initial={k: request.GET[k] for k in PREFILL if k in request.GET})
    return render(request, "impact/reports_new.html", {"form": form})


def _detail(
    request: HttpRequest, report: DonorReport, form: Any, status: int = 200
) -> HttpResponse:
    figures = reports.figures_of(report, full=False)
    return render(
        request,
        "impact/reports_detail.html",
        {
            "report": report,
            "form": form,
            "figures": figures,
            "period": period_label(report.start, report.end),
            "programme": programme_label(report.programme),
            "narrative": narrative_sections(report),
            "tables": [(heading, getattr(figures, name)) for name, heading in breakdown_titles()],
        },
        status=status,
    )


@permission_required("impact.view_indicators")
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(DonorReport.objects.select_related("finished_by"), pk=pk)
    if request.method != "POST":
        form = None if report.is_finished else NarrativeForm(initial=_narrative_initial(report))
        return _detail(request, report, form)
    if not can(request.user, "impact.manage_reports"):
        raise Http404
    form = NarrativeForm(request.POST)
    if form.is_valid():
        try:
            reports.report_save_narrative(report=report, data=form.narrative(), actor=request.user)
        except ImpactError as error:
            _error_beside(form, error)
        else:
            messages.success(request, _("The narrative was saved."))
            return redirect("impact:staff-report", report.pk)
    return _detail(request, report, form, status=400)


def _narrative_initial(report: DonorReport) -> dict[str, str]:
    return {name: getattr(report, name) for name in ("title", *reports.NARRATIVE_FIELDS)}


def _confirm(request: HttpRequest, report: DonorReport, action: str) -> HttpResponse:
    return render(request, "impact/reports_confirm.html", {"report": report, "action": action})


def _act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    report = get_object_or_404(DonorReport, pk=pk)
    if request.method != "POST":
        return _confirm(request, report, action)
    try:
        if action == "finish":
            reports.report_finish(report=report, actor=request.user)
            messages.success(request, _("The report is finished: its figures are frozen."))
        elif action == "delete":
            reports.report_delete(report=report, actor=request.user)
            messages.success(request, _("The draft was deleted."))
            return redirect("impact:staff-reports")
    except ImpactError as error:
        messages.error(request, str(error.message))
    return redirect("impact:staff-report", report.pk)


@permission_required("impact.manage_reports")
def report_finish(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "finish")


@permission_required("impact.manage_reports")
def report_delete(request: HttpRequest, pk: int) -> HttpResponse:
    return _act(request, pk, "delete")


@require_POST
@permission_required("impact.manage_reports")
def report_copy(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(DonorReport, pk=pk)
    copy = reports.report_copy(report=report, actor=request.user)
    messages.success(request, _("A new draft was made from the report."))
    return redirect("impact:staff-report", copy.pk)


@permission_required("impact.view_indicators")
def report_pdf_download(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(DonorReport, pk=pk)
    response = HttpResponse(report_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{report_filename(report, "pdf")}"'
    return response


@permission_required("impact.view_indicators")
def report_xlsx_download(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(DonorReport, pk=pk)
    response = HttpResponse(
        report_xlsx(report),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{report_filename(report, "xlsx")}"'
    return response


@permission_required("impact.view_indicators")
def report_changes(request: HttpRequest, pk: int) -> HttpResponse:
    report = get_object_or_404(DonorReport, pk=pk)
    if not report.is_finished:
        return redirect("impact:staff-report", report.pk)
    return render(
        request,
        "impact/reports_changes.html",
        {
            "report": report,
            "period": period_label(report.start, report.end),
            "changes": reports.differences(report),
        },
    )
