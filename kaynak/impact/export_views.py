"""Downloads of the impact figures: the indicator results of a period and the open-data set
(staff), and the open-data set for everyone once the center shows its impact in public.

The period is read from the query as the indicator page reads it (``exports.period_from_query``),
so the page's "Download CSV" link carries the page's own query.
"""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest

from kaynak.core.permissions import permission_required
from kaynak.impact import exports, results


def _period(request: HttpRequest) -> tuple[dt.date, dt.date]:
    return exports.period_from_query(request.GET.dict())


def _csv(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text.encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _bad_period(error: exports.PeriodError) -> HttpResponse:
    return HttpResponseBadRequest(str(error.message), content_type="text/plain; charset=utf-8")


@permission_required("impact.view_indicators")
def staff_results_csv(request: HttpRequest) -> HttpResponse:
    try:
        start, end = _period(request)
    except exports.PeriodError as error:
        return _bad_period(error)
    table = results.indicator_table(results.indicators_for_table(), start=start, end=end)
    return _csv(
        exports.indicator_results_csv(table),
        f"kaynak-gostergeler-{exports.period_slug(start, end)}.csv",
    )


def _open_data(request: HttpRequest) -> HttpResponse:
    try:
        start, end = _period(request)
    except exports.PeriodError as error:
        return _bad_period(error)
    return _csv(
        exports.open_data_csv(start, end),
        f"kaynak-acik-veri-{exports.period_slug(start, end)}.csv",
    )


@permission_required("impact.view_indicators")
def staff_open_data_csv(request: HttpRequest) -> HttpResponse:
    return _open_data(request)


def open_data_csv(request: HttpRequest) -> HttpResponse:
    """Public, when the center has switched on its public impact summary; 404 otherwise."""
    if not exports.public_impact_summary_on():
        raise Http404
    return _open_data(request)
