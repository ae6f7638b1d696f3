"""The impact API: indicator results and the open-data set.

- ``GET /impact/indicators`` (``impact.view_indicators``): every active indicator's result for
  a period — ``start`` and ``end`` (ISO dates), or ``year`` with an optional ``quarter``; this
  year when none is given. "No data" is ``null``, never 0.
- ``GET /impact/indicators.csv``: the same as CSV (``exports.indicator_results_csv``).
- ``GET /impact/open-data.csv``: the aggregated open-data set, with no personal data and small
  people figures suppressed (``exports.open_data_csv``). Public when the center has switched
  on its public impact summary; otherwise for staff with ``impact.view_indicators`` only, and
  404 for everyone else, as if it did not exist.

A period that is not valid answers 422 in the house error format, its message in the
request's language.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import Field, Query, Router, Schema

from kaynak.accounts.api_auth import OptionalAuth, token_or_session
from kaynak.core.permissions import can, require
from kaynak.impact import exports, results
from kaynak.impact.results import Result

router = Router(tags=["impact"])


class PeriodIn(Schema):
    # Text, not dates and numbers: the period is checked as the staff page checks it, so that a
    # wrong one is explained in the request's language.
    start: str = Field("", description="First day, YYYY-MM-DD (with end)")
    end: str = Field("", description="Last day, YYYY-MM-DD (with start)")
    year: str = Field("", description="A year, e.g. 2025 (start and end replace it)")
    quarter: str = Field("", description="1–4, with year")


class TargetOut(Schema):
    label: str
    start: dt.date
    end: dt.date
    value: float


class IndicatorResultOut(Schema):
    code: str
    name_tr: str
    name_en: str
    level: str = Field(description="output or outcome")
    unit: str
    method: str = Field(description="computed, manual or outcome")
    start: dt.date
    end: dt.date
    value: float | None = Field(description="null: no data")
    target: TargetOut | None = Field(description="The target whose period holds this one")
    variance: float | None = Field(description="value − target")
    percent_of_target: float | None
    baseline: float | None
    has_data: bool


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def result_out(result: Result) -> dict[str, Any]:
    indicator, target = result.indicator, result.target
    return {
        "code": indicator.code,
        "name_tr": indicator.name_tr,
        "name_en": indicator.name_en,
        "level": indicator.level,
        "unit": indicator.unit,
        "method": indicator.method,
        "start": result.start,
        "end": result.end,
        "value": _number(result.value),
        "target": {
            "label": target.label,
            "start": target.start,
            "end": target.end,
            "value": float(target.value),
        }
        if target
        else None,
        "variance": _number(result.variance),
        "percent_of_target": _number(result.percent_of_target),
        "baseline": _number(result.baseline),
        "has_data": result.has_data,
    }


def _invalid_period(request: HttpRequest, error: exports.PeriodError) -> HttpResponse:
    """422 in the house error format (``kaynak.api.errors``, which sits above this app)."""
    details = [
        {"field": field, "message": message}
        for field, messages in error.errors.items()
        for message in messages
    ]
    body = {"code": error.code, "message": str(error.message), "details": details}
    return JsonResponse({"error": body}, status=422)


def _period(period: PeriodIn) -> tuple[dt.date, dt.date]:
    return exports.period_from_query(period.model_dump(), quarter_needs_year=True)


def _results(start: dt.date, end: dt.date) -> list[Result]:
    return results.indicator_table(results.indicators_for_table(), start=start, end=end)


def _csv(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text.encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@router.get(
    "/impact/indicators",
    response=list[IndicatorResultOut],
    auth=token_or_session,
    summary="Indicator results for a period (M&E staff)",
)
def indicator_results(request: HttpRequest, period: Query[PeriodIn]) -> Any:
    require(request.user, "impact.view_indicators")
    try:
        start, end = _period(period)
    except exports.PeriodError as error:
        return _invalid_period(request, error)
    return [result_out(result) for result in _results(start, end)]


@router.get(
    "/impact/indicators.csv",
    auth=token_or_session,
    summary="Indicator results for a period as CSV (M&E staff)",
)
def indicator_results_csv(request: HttpRequest, period: Query[PeriodIn]) -> HttpResponse:
    require(request.user, "impact.view_indicators")
    try:
        start, end = _period(period)
    except exports.PeriodError as error:
        return _invalid_period(request, error)
    return _csv(
        exports.indicator_results_csv(_results(start, end)),
        f"kaynak-gostergeler-{exports.period_slug(start, end)}.csv",
    )


@router.get(
    "/impact/open-data.csv",
    auth=OptionalAuth(),
    summary="Aggregated reach per quarter, province and service, with no personal data",
)
def open_data_csv(request: HttpRequest, period: Query[PeriodIn]) -> HttpResponse:
    if not (can(request.user, "impact.view_indicators") or exports.public_impact_summary_on()):
        raise Http404
    try:
        start, end = _period(period)
    except exports.PeriodError as error:
        return _invalid_period(request, error)
    slug = exports.period_slug(start, end)
    return _csv(exports.open_data_csv(start, end), f"kaynak-acik-veri-{slug}.csv")
