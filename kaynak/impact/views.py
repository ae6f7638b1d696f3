"""Staff pages: indicators against targets for a period, an indicator with its targets, and the
values reported by hand with their approval."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from kaynak.core.permissions import permission_required
from kaynak.impact import results, services
from kaynak.impact.forms import (
    IndicatorForm,
    ManualValueForm,
    PeriodForm,
    RejectForm,
    TargetFormSet,
    target_initial,
    targets_of,
)
from kaynak.impact.models import Evidence, Indicator, ManualValue, Measure, Reached, ValueStatus
from kaynak.impact.results import Result
from kaynak.ledger.forms import period_label
from kaynak.ledger.views import Measure as NamesMeasure
from kaynak.ledger.views import names_url


@dataclass(frozen=True)
class Row:
    result: Result
    names_url: str | None


def _names_url(result: Result) -> str | None:
    reach_filter = result.reach_filter
    if reach_filter is None:
        return None
    first_time = result.indicator.reached == Reached.FIRST_TIME
    if result.indicator.measure == Measure.PEOPLE:
        measure = NamesMeasure.NEW_PEOPLE if first_time else NamesMeasure.PEOPLE
    else:
        measure = NamesMeasure.NEW_ORGANISATIONS if first_time else NamesMeasure.ORGANISATIONS
    return names_url(reach_filter, measure)


@permission_required("impact.view_indicators")
def indicators(request: HttpRequest) -> HttpResponse:
    chosen = any(name in request.GET for name in PeriodForm.base_fields)
    form = PeriodForm(request.GET if chosen else {"year": str(timezone.localdate().year)})
    context: dict[str, Any] = {"form": form}
    if not form.is_valid():
        return render(request, "impact/indicators.html", context)
    start, end = form.period()
    table = results.indicator_table(results.indicators_for_table(), start=start, end=end)
    context |= {
        "period": period_label(start, end),
        "rows": [Row(result=result, names_url=_names_url(result)) for result in table],
        "any_no_data": any(not result.has_data for result in table),
    }
    return render(request, "impact/indicators.html", context)


def _error_beside(form: Any, formset: Any, error: services.ImpactError) -> None:
    for target_form in formset.forms:
        if error.field and target_form.prefix == error.field:
            target_form.add_error(None, str(error.message))
            return
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error.message))


def _indicator_page(request: HttpRequest, indicator: Indicator | None) -> HttpResponse:
    initial = target_initial(indicator) if indicator else []
    if request.method == "POST":
        form = IndicatorForm(request.POST, instance=indicator)
        formset = TargetFormSet(request.POST, prefix="targets", initial=initial)
        if form.is_valid() and formset.is_valid():
            save = services.indicator_update if indicator else services.indicator_create
            try:
                saved = save(
                    indicator=form.save(commit=False),
                    filters=form.filters(),
                    targets=targets_of(formset),
                    actor=request.user,
                )
            except services.ImpactError as error:
                if indicator is None:
                    # The rolled-back insert left its id behind: the form is still "new".
                    form.instance.pk = None
                    form.instance._state.adding = True
                _error_beside(form, formset, error)
            else:
                return redirect("impact:staff-indicator-edit", saved.pk)
    else:
        form = IndicatorForm(instance=indicator)
        formset = TargetFormSet(prefix="targets", initial=initial)
    return render(
        request,
        "impact/indicator_form.html",
        {"form": form, "formset": formset, "indicator": indicator},
    )


@permission_required("impact.manage_indicators")
def indicator_new(request: HttpRequest) -> HttpResponse:
    return _indicator_page(request, None)


@permission_required("impact.manage_indicators")
def indicator_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _indicator_page(request, get_object_or_404(Indicator, pk=pk))


@permission_required("impact.enter_values")
def values(request: HttpRequest) -> HttpResponse:
    form = ManualValueForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.manual_value_enter(
                indicator=data["indicator"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                value=data["value"],
                note=data["note"],
                evidence=data["evidence"],
                actor=request.user,
            )
        except services.ImpactError as error:
            field = error.field if error.field in form.fields else None
            form.add_error(field, str(error.message))
        else:
            return redirect("impact:staff-values")
    listed = ManualValue.objects.select_related(
        "indicator", "entered_by", "decided_by"
    ).prefetch_related("evidence")
    return render(
        request,
        "impact/values.html",
        {
            "form": form,
            "waiting": listed.filter(status=ValueStatus.ENTERED),
            "decided": listed.exclude(status=ValueStatus.ENTERED)[:100],
            "reject_form": RejectForm(),
        },
    )


def _decision(request: HttpRequest, pk: int, decide: Any, **extra: Any) -> HttpResponse:
    value = get_object_or_404(ManualValue, pk=pk)
    try:
        decide(value=value, actor=request.user, **extra)
    except services.ImpactError as error:
        return _values_with_error(request, error.message)
    return redirect("impact:staff-values")


def _values_with_error(request: HttpRequest, message: Any) -> HttpResponse:
    listed = ManualValue.objects.select_related(
        "indicator", "entered_by", "decided_by"
    ).prefetch_related("evidence")
    return render(
        request,
        "impact/values.html",
        {
            "form": ManualValueForm(),
            "waiting": listed.filter(status=ValueStatus.ENTERED),
            "decided": listed.exclude(status=ValueStatus.ENTERED)[:100],
            "reject_form": RejectForm(),
            "decision_error": message,
        },
        status=400,
    )


@require_POST
@permission_required("impact.approve_values")
def value_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _decision(request, pk, services.manual_value_approve)


@require_POST
@permission_required("impact.approve_values")
def value_reject(request: HttpRequest, pk: int) -> HttpResponse:
    form = RejectForm(request.POST)
    if not form.is_valid():
        return _values_with_error(request, _("Say why the value is rejected."))
    return _decision(request, pk, services.manual_value_reject, reason=form.cleaned_data["reason"])


@permission_required("impact.enter_values")
def evidence(request: HttpRequest, pk: int) -> FileResponse:
    item = get_object_or_404(Evidence, pk=pk)
    try:
        handle = item.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return FileResponse(handle, as_attachment=True, filename=item.name)
