"""The impact dashboard (staff) and the public summary a center may switch on.

Both show the same figures of ``figures.compute_figures``: the headline, progress to target,
trends, breakdowns and the map of Turkey, each chart with its table view. On the staff page
every figure opens the names behind it (``ledger:names``); the public page has no names, and
its people figures from 1 to 4 read "<5" (``shown_people``), so that nobody can be picked out
of a small group.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.http import urlencode
from django.utils.safestring import SafeString
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from kaynak.core.models import CenterSettings
from kaynak.core.permissions import permission_required
from kaynak.impact import figures
from kaynak.impact.charts import (
    Bar,
    Number,
    TrendPoint,
    bar_chart,
    format_figure,
    format_number,
    format_percent,
    progress_bar,
    trend_chart,
)
from kaynak.impact.figures import Figures, IndicatorFigure, Period, Row, Scope, compute_figures
from kaynak.impact.forms import PeriodForm
from kaynak.impact.map import map_table, turkey_map
from kaynak.ledger.forms import period_label
from kaynak.ledger.queries import delivery_years
from kaynak.ledger.views import Measure, names_url

# Fewer people than this are not shown by number on the public page.
PUBLIC_PEOPLE_THRESHOLD = 5


# Forms ------------------------------------------------------------------------------------------


class DashboardForm(PeriodForm):
    """The dashboard's period (a year, a quarter or dates) and, optionally, one programme."""

    programme = forms.ChoiceField(label=_("Programme"), required=False)

    def __init__(self, *args: Any, programmes: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["programme"]).choices = [
            ("", _("All programmes")),
            *((name, name) for name in programmes),
        ]

    def scope(self) -> Scope:
        """The chosen period and programme (call once the form is valid)."""
        start, end = self.period()
        return Scope(start, end, programme=self.cleaned_data.get("programme") or "")


class PublicYearForm(forms.Form):
    """The public summary's year: this year or one that has deliveries."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        shown = sorted({timezone.localdate().year, *years}, reverse=True)
        cast(forms.ChoiceField, self.fields["year"]).choices = [
            (str(year), str(year)) for year in shown
        ]

    def scope(self) -> Scope:
        year = self.cleaned_data["year"]
        return Scope(dt.date(year, 1, 1), dt.date(year, 12, 31))


# Numbers as shown -------------------------------------------------------------------------------


def shown_people(value: int, *, public: bool) -> str:
    """A people figure as the page shows it: on the public page 1 to 4 people read "<5"."""
    if public and 0 < value < PUBLIC_PEOPLE_THRESHOLD:
        return gettext("<5")
    return format_number(value)


def people_phrase(value: int, *, public: bool) -> str:
    """ "30 people", "1 person", or on the public page "<5 people"."""
    suppressed = public and 0 < value < PUBLIC_PEOPLE_THRESHOLD
    count = PUBLIC_PEOPLE_THRESHOLD if suppressed else value
    return ngettext("%(count)s person", "%(count)s people", count) % {
        "count": shown_people(value, public=public)
    }


def organisations_phrase(value: int) -> str:
    return ngettext("%(count)s organisation", "%(count)s organisations", value) % {
        "count": format_number(value)
    }


def number_text(value: Number) -> str:
    """``format_figure`` for a figure that is there (the charts' value label)."""
    return format_figure(Decimal(value))


def signed_text(value: Decimal | None) -> str:
    """A variance with its sign ("+2", "−1,5"); "no data" for None."""
    if value is None:
        return gettext("no data")
    if value > 0:
        return f"+{format_figure(value)}"
    if value < 0:
        return f"−{format_figure(-value)}"
    return format_figure(value)


# Drill-down -------------------------------------------------------------------------------------


class Drilldowns(figures.Drilldowns):
    """``figures.Drilldowns`` with the URL of the names page behind each row."""

    def url(self, breakdown: str, key: str, measure: Measure) -> str | None:
        reach_filter = self.reach_filter(breakdown, key)
        return names_url(reach_filter, measure) if reach_filter is not None else None


# Presentation -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Card:
    """A headline figure; ``url`` opens the names behind it (staff only)."""

    value: str
    label: str
    url: str | None = None


@dataclass(frozen=True)
class Cell:
    text: str
    url: str | None = None


@dataclass(frozen=True)
class FigureTable:
    """A chart's table view: the first cell of each row heads it."""

    caption: str
    headers: tuple[str, ...]
    rows: Sequence[tuple[Cell, ...]]


@dataclass(frozen=True)
class Chart:
    id: str
    title: str
    svg: SafeString
    table: FigureTable


@dataclass(frozen=True)
class IndicatorLine:
    figure: IndicatorFigure
    value: str
    target: str
    variance: str
    percent: str
    progress: SafeString | None


class Presenter:
    """Turns ``Figures`` into the cards, charts and tables of a page; ``links`` is None on the
    public page (no names, and small people figures hidden)."""

    def __init__(self, counted: Figures, links: Drilldowns | None) -> None:
        self.figures = counted
        self.links = links
        self.public = links is None

    def _url(self, breakdown: str, key: str, measure: Measure) -> str | None:
        return self.links.url(breakdown, key, measure) if self.links else None

    def people(self, value: int) -> str:
        return shown_people(value, public=self.public)

    def context(self) -> dict[str, Any]:
        counted = self.figures
        return {
            "figures": counted,
            "period": period_label(counted.scope.start, counted.scope.end),
            "has_data": counted.has_data,
            "cards": self.cards(),
            "indicators": [self.indicator(figure) for figure in counted.indicators],
            "trends": [self.trend("by_month"), self.trend("by_quarter")],
            "breakdowns": [
                self.breakdown("by_kind", _("By service"), _("Service")),
                self.breakdown("by_theme", _("By theme"), _("Theme")),
                self.breakdown(
                    "by_organisation_type", _("By organisation type"), _("Organisation type")
                ),
            ],
            "map": self.map(),
            "regions": self.table("by_region", _("Region"), counted.by_region, str(_("By region"))),
        }

    def cards(self) -> list[Card]:
        headline = self.figures.headline
        return [
            Card(
                format_number(headline.organisations),
                str(_("organisations reached")),
                self._scope_url(Measure.ORGANISATIONS),
            ),
            Card(
                self.people(headline.people),
                str(_("people reached")),
                self._scope_url(Measure.PEOPLE),
            ),
            Card(format_number(headline.deliveries), str(_("service deliveries"))),
            Card(format_figure(headline.hours), str(_("hours of service"))),
            Card(format_number(headline.provinces), str(_("provinces reached"))),
        ]

    def _scope_url(self, measure: Measure) -> str | None:
        if self.links is None:
            return None
        return names_url(self.figures.scope.reach_filter, measure)

    def indicator(self, figure: IndicatorFigure) -> IndicatorLine:
        if (
            self.public
            and figure.measure == "people"
            and figure.value is not None
            and 0 < figure.value < PUBLIC_PEOPLE_THRESHOLD
        ):
            # Fewer than 5 people: neither the figure nor what would give it back is shown.
            return IndicatorLine(
                figure=figure,
                value=gettext("<5"),
                target=format_figure(figure.target) if figure.target is not None else "—",
                variance="—",
                percent="—",
                progress=None,
            )
        progress = None
        if figure.value is not None and figure.target is not None:
            progress = progress_bar(
                value=figure.value,
                target=figure.target,
                title=f"{figure.code} {figure.name}",
                value_label=number_text,
            )
        return IndicatorLine(
            figure=figure,
            value=format_figure(figure.value),
            target=format_figure(figure.target) if figure.target is not None else "—",
            variance=signed_text(figure.variance) if figure.target is not None else "—",
            percent=(
                format_percent(figure.percent_of_target)
                if figure.percent_of_target is not None
                else ("—" if figure.target is None else gettext("no data"))
            ),
            progress=progress,
        )

    def trend(self, name: str) -> Chart:
        periods: list[Period] = getattr(self.figures, name)
        monthly = name == "by_month"
        if monthly:
            title = str(_("Organisations reached by month"))
            caption = _(
                "Distinct organisations reached in each month; the table adds people and "
                "deliveries."
            )
        else:
            title = str(_("Organisations reached by quarter"))
            caption = _(
                "Distinct organisations reached in each quarter; the table adds people and "
                "deliveries."
            )

        def key(period: Period) -> str:
            return f"{period.year}-{period.number}"

        # Twelve "Mar 2025" labels overlap under the chart: within one year the month alone
        # (the year is in the page's heading; the table view keeps the full label).
        one_year = monthly and len({p.year for p in periods}) == 1

        def axis_label(period: Period) -> str:
            if one_year:
                return formats.date_format(dt.date(period.year, period.number, 1), "M")
            return period.label

        svg = trend_chart(
            [
                TrendPoint(
                    axis_label(p), p.organisations, self._url(name, key(p), Measure.ORGANISATIONS)
                )
                for p in periods
            ],
            title=title,
            caption=str(caption),
            kind="column" if monthly else "line",
            table=False,
        )
        table = FigureTable(
            caption=title,
            headers=(
                str(_("Month") if monthly else _("Quarter")),
                str(_("Organisations")),
                str(_("People")),
                str(_("Deliveries")),
            ),
            rows=[
                (
                    Cell(p.label),
                    Cell(
                        format_number(p.organisations),
                        self._url(name, key(p), Measure.ORGANISATIONS),
                    ),
                    Cell(self.people(p.people), self._url(name, key(p), Measure.PEOPLE)),
                    Cell(format_number(p.deliveries)),
                )
                for p in periods
            ],
        )
        return Chart(id=name, title=title, svg=svg, table=table)

    def table(self, name: str, heading: Any, rows: list[Row], caption: str) -> FigureTable:
        """A breakdown as a table: organisations and people, each opening its names."""
        return FigureTable(
            caption=caption,
            headers=(str(heading), str(_("Organisations")), str(_("People"))),
            rows=[
                (
                    Cell(row.label),
                    Cell(
                        format_number(row.organisations),
                        self._url(name, row.key, Measure.ORGANISATIONS),
                    ),
                    Cell(self.people(row.people), self._url(name, row.key, Measure.PEOPLE)),
                )
                for row in rows
            ],
        )

    def breakdown(self, name: str, title: Any, heading: Any) -> Chart:
        rows: list[Row] = getattr(self.figures, name)
        svg = bar_chart(
            [
                Bar(row.label, row.organisations, self._url(name, row.key, Measure.ORGANISATIONS))
                for row in rows
            ],
            title=str(title),
            caption=str(_("Distinct organisations reached; the table adds people.")),
            table=False,
        )
        return Chart(
            id=name,
            title=str(title),
            svg=svg,
            table=self.table(name, heading, rows, str(title)),
        )

    def map(self) -> Chart:
        counted = self.figures
        values: dict[int, Number | None] = dict(counted.province_values())
        people = counted.province_values("people")

        def label_for(plate: int, value: Number | None) -> str:
            return gettext("%(organisations)s, %(people)s") % {
                "organisations": organisations_phrase(int(value or 0)),
                "people": people_phrase(people.get(plate, 0), public=self.public),
            }

        url_for: Callable[[int], str] | None = None
        if self.links is not None:
            links = self.links

            def url_for(plate: int) -> str:
                return links.url("by_province", str(plate), Measure.ORGANISATIONS) or ""

        title = str(_("Organisations reached by province"))
        svg = turkey_map(
            values,
            url_for=url_for,
            label_for=label_for,
            title=title,
            legend_title=str(_("Organisations reached")),
        )
        rows = [
            (
                Cell(row.name, row.url),
                Cell(format_number(values.get(row.plate_code) or 0), row.url),
                Cell(
                    self.people(people.get(row.plate_code, 0)),
                    self._url("by_province", str(row.plate_code), Measure.PEOPLE),
                ),
            )
            for row in map_table(values, url_for=url_for, label_for=label_for)
        ]
        table = FigureTable(
            caption=title,
            headers=(str(_("Province")), str(_("Organisations")), str(_("People"))),
            rows=rows,
        )
        return Chart(id="map", title=title, svg=svg, table=table)


# Views ------------------------------------------------------------------------------------------


@permission_required("impact.view_indicators")
def staff_dashboard(request: HttpRequest) -> HttpResponse:
    chosen = any(name in request.GET for name in DashboardForm.base_fields)
    data = request.GET if chosen else {"year": str(timezone.localdate().year)}
    form = DashboardForm(data, programmes=figures.programmes())
    context: dict[str, Any] = {"form": form}
    if form.is_valid():
        scope = form.scope()
        context |= Presenter(compute_figures(scope), Drilldowns(scope)).context()
        # "One click" to the donor report of the same period and programme.
        context["report_query"] = urlencode(
            {name: data[name] for name in DashboardForm.base_fields if data.get(name)}
        )
    return render(request, "impact/dashboard.html", context)


def public_summary(request: HttpRequest) -> HttpResponse:
    if not CenterSettings.current().public_impact_summary:
        raise Http404
    data = request.GET if "year" in request.GET else {"year": str(timezone.localdate().year)}
    form = PublicYearForm(data, years=delivery_years())
    context: dict[str, Any] = {"form": form}
    if form.is_valid():
        context |= Presenter(compute_figures(form.scope(), public=True), None).context()
    return render(request, "impact/public_summary.html", context)
