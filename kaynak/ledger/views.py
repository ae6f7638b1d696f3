"""The staff "Erişim" (reach) page, and the names behind each of its figures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.views.decorators.vary import vary_on_headers
from django_htmx.middleware import HtmxDetails

from kaynak.core.permissions import permission_required
from kaynak.ledger import queries
from kaynak.ledger.forms import (
    ReachFilterForm,
    default_filter_data,
    period_label,
    reach_filter_params,
)
from kaynak.ledger.queries import ReachFilter, ReachReport, ReachRow

NAMES_PER_PAGE = 50


class HtmxRequest(HttpRequest):
    htmx: HtmxDetails


class Measure(StrEnum):
    """What a figure counts, and so which names are behind it."""

    ORGANISATIONS = "organisations"
    PEOPLE = "people"
    NEW_ORGANISATIONS = "new-organisations"
    NEW_PEOPLE = "new-people"
    MULTI_SERVICE = "multi-service"

    @property
    def heading(self) -> Promise:
        return {
            Measure.ORGANISATIONS: _("Organisations reached"),
            Measure.PEOPLE: _("People reached"),
            Measure.NEW_ORGANISATIONS: _("Organisations reached for the first time"),
            Measure.NEW_PEOPLE: _("People reached for the first time"),
            Measure.MULTI_SERVICE: _("Organisations served by two or more services"),
        }[self]

    @property
    def is_people(self) -> bool:
        return self in (Measure.PEOPLE, Measure.NEW_PEOPLE)

    def first_reached(self, subjects: list[Any]) -> dict[Any, dt.date]:
        if self.is_people:
            return queries.first_reached_dates(people=subjects)
        return queries.first_reached_dates(organisations=subjects)

    def names(self, reach_filter: ReachFilter) -> QuerySet[Any]:
        match self:
            case Measure.PEOPLE | Measure.NEW_PEOPLE:
                return queries.people_reached(reach_filter, new=self is Measure.NEW_PEOPLE)
            case _:
                return queries.organisations_reached(
                    reach_filter,
                    new=self is Measure.NEW_ORGANISATIONS,
                    multi_service=self is Measure.MULTI_SERVICE,
                )


@dataclass(frozen=True)
class Figure:
    """A number, what it counts, and the link to the names behind it."""

    value: int
    measure: Measure
    url: str


@dataclass(frozen=True)
class BreakdownRow:
    label: str
    organisations: Figure
    people: Figure


@dataclass(frozen=True)
class Breakdown:
    title: Promise
    heading: Promise
    rows: list[BreakdownRow]


def names_url(reach_filter: ReachFilter, measure: Measure) -> str:
    params = {**reach_filter_params(reach_filter), "measure": measure.value}
    return f"{reverse('ledger:names')}?{urlencode(params)}"


def _figure(reach_filter: ReachFilter, measure: Measure, value: int) -> Figure:
    return Figure(value=value, measure=measure, url=names_url(reach_filter, measure))


def _row_label(row: ReachRow) -> str:
    value = getattr(row, row.dimensions[0].value)
    return str(_("Not recorded")) if value is None else str(value.label)


def _breakdown(
    title: Promise, heading: Promise, rows: list[ReachRow], reach_filter: ReachFilter
) -> Breakdown:
    shown = []
    for row in rows:
        narrowed = row.narrow(reach_filter)
        shown.append(
            BreakdownRow(
                label=_row_label(row),
                organisations=_figure(narrowed, Measure.ORGANISATIONS, row.organisations),
                people=_figure(narrowed, Measure.PEOPLE, row.people),
            )
        )
    return Breakdown(title=title, heading=heading, rows=shown)


def _presented(report: ReachReport, request: HttpRequest) -> dict[str, Any]:
    f = report.reach_filter
    recount = request.GET.copy()
    recount["recount"] = "1"
    return {
        "period": period_label(f.start, f.end),
        "counted_at": report.counted_at,
        "recount_url": f"{request.path}?{recount.urlencode()}",
        "headline": [
            _figure(f, Measure.ORGANISATIONS, report.totals.organisations),
            _figure(f, Measure.PEOPLE, report.totals.people),
            _figure(f, Measure.NEW_ORGANISATIONS, report.new.organisations),
            _figure(f, Measure.NEW_PEOPLE, report.new.people),
            _figure(f, Measure.MULTI_SERVICE, report.multi_service_organisations),
        ],
        "breakdowns": [
            _breakdown(_("By region"), _("Region"), report.by_region, f),
            _breakdown(_("By province"), _("Province"), report.by_province, f),
            _breakdown(_("By theme"), _("Theme"), report.by_theme, f),
            _breakdown(_("By service"), _("Service"), report.by_kind, f),
        ],
    }


def _partial(request: HtmxRequest) -> bool:
    """htmx swaps in the part that changed; restoring history needs the whole page."""
    return bool(request.htmx) and not request.htmx.history_restore_request


@vary_on_headers("HX-Request")
@permission_required("ledger.view_reach")
def reach(request: HtmxRequest) -> HttpResponse:
    years = queries.delivery_years()
    chosen = any(name in request.GET for name in ReachFilterForm.base_fields)
    form = ReachFilterForm(request.GET if chosen else default_filter_data(years), years=years)
    context: dict[str, Any] = {"form": form}
    if form.is_valid():
        report = queries.recent_reach_report(
            form.reach_filter(), recount=request.GET.get("recount") == "1"
        )
        context |= _presented(report, request)
    template = "ledger/partials/reach.html" if _partial(request) else "ledger/reach.html"
    return render(request, template, context)


def _names_page(
    request: HttpRequest, measure: Measure, reach_filter: ReachFilter
) -> dict[str, Any]:
    page = Paginator(measure.names(reach_filter), NAMES_PER_PAGE).get_page(request.GET.get("page"))
    # First-reached dates for this page only: one query for fifty names, not a subquery for
    # each of the tens of thousands sorted to find them.
    subjects = list(page.object_list)
    first = measure.first_reached(subjects)
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "page": page,
        "rows": [(subject, first.get(subject)) for subject in subjects],
        "query": query.urlencode(),
        "period": period_label(reach_filter.start, reach_filter.end),
        "reach_filter": reach_filter,
        "back_url": f"{reverse('ledger:reach')}?{urlencode(reach_filter_params(reach_filter))}",
    }


@vary_on_headers("HX-Request")
@permission_required("ledger.view_reach")
def names(request: HtmxRequest) -> HttpResponse:
    try:
        measure = Measure(request.GET.get("measure", ""))
    except ValueError:
        raise Http404 from None
    form = ReachFilterForm(request.GET, years=queries.delivery_years())
    context: dict[str, Any] = {"form": form, "measure": measure}
    if form.is_valid():
        context |= _names_page(request, measure, form.reach_filter())
    template = "ledger/partials/names.html" if _partial(request) else "ledger/names.html"
    return render(request, template, context)
