"""The support desk's reports for staff (``helpdesk.view_reports``): the page with its filters
and the same tables as an XLSX workbook. Thin: the numbers come from ``kaynak.helpdesk.reports``.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaynak.core.permissions import permission_required
from kaynak.helpdesk import reports
from kaynak.helpdesk.models import Queue

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ReportFilterForm(forms.Form):
    """The period (dates, or a preset) and the queue; empty means the last 12 months, all
    queues."""

    preset = forms.ChoiceField(
        label=_("Period"),
        required=False,
        choices=[
            ("", _("Dates below")),
            ("12m", _("Last 12 months")),
            ("year", _("This year")),
            ("quarter", _("Last quarter")),
        ],
    )
    start = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    end = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    queue = forms.ModelChoiceField(
        label=_("Queue"),
        required=False,
        queryset=Queue.objects.order_by("position", "pk"),
        empty_label=_("All queues"),
    )

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
            self.add_error("end", _("The end date is before the start date."))
        return data

    def period(self, today: dt.date) -> reports.Period:
        """The chosen period; the default one when the form is empty or not valid."""
        default = reports.last_twelve_months(today)
        if not self.is_valid():
            return default
        preset = self.cleaned_data.get("preset")
        if preset in reports.PRESETS:
            return reports.PRESETS[preset](today)
        start, end = self.cleaned_data.get("start"), self.cleaned_data.get("end")
        if start is None and end is None:
            return default
        return reports.Period(start or default.start, end or today)

    def chosen_queue(self) -> Queue | None:
        return self.cleaned_data.get("queue") if self.is_valid() else None


def _report(request: HttpRequest) -> tuple[ReportFilterForm, reports.Report]:
    form = ReportFilterForm(request.GET or None)
    period = form.period(timezone.localdate())
    return form, reports.build_report(period=period, queue=form.chosen_queue())


@permission_required("helpdesk.view_reports")
def report_page(request: HttpRequest) -> HttpResponse:
    form, report = _report(request)
    if not form.is_bound:  # show the default period in the date fields
        form = ReportFilterForm(initial={"start": report.period.start, "end": report.period.end})
    return render(
        request,
        "helpdesk/reports/index.html",
        {
            "form": form,
            "report": report,
            "query": request.GET.urlencode(),
            "slas": [
                (_("First response"), report.first_response_sla),
                (_("Resolution"), report.resolution_sla),
            ],
            "busiest_month": max((m.count for m in report.by_month), default=0) or 1,
            "csat_by_queue": [report.satisfaction, *report.satisfaction_by_queue],
            "csat_by_month": [csat for _month, csat in report.satisfaction_by_month],
        },
    )


@permission_required("helpdesk.view_reports")
def report_xlsx(request: HttpRequest) -> HttpResponse:
    _form, report = _report(request)
    data = reports.report_xlsx(report=report, actor=request.user)
    name = f"destek-raporu-{report.period.start:%Y%m%d}-{report.period.end:%Y%m%d}.xlsx"
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
