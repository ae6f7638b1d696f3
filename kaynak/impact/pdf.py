"""The donor report as an A4 PDF (WeasyPrint), in the report's language.

The HTML (``report_html``) is what the PDF is made from: cover, summary figures, the narrative
sections that were written, the indicator table against targets, breakdown tables, charts, the
map of Turkey, the activity list, and page numbers in the footer. Charts and the map go through
``charts.for_print`` (WeasyPrint applies no stylesheet inside inline SVG). "No data" is written
as such, never as 0.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils import formats, timezone, translation
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from kaynak.core.models import CenterSettings
from kaynak.core.printing import file_uri, font_uri, pdf_from_html
from kaynak.impact import charts
from kaynak.impact.charts import format_figure
from kaynak.impact.figures import Figures, Period, Row
from kaynak.impact.map import turkey_map
from kaynak.impact.models import DonorReport
from kaynak.impact.reports import figures_of
from kaynak.ledger.forms import period_label


def no_data() -> str:
    """The words for a figure that is not known, in the active language ("veri yok")."""
    return _("no data")


def decimals_of(value: Decimal) -> int:
    """How many decimals a stored figure needs (at most two): 15.00 → 0, 116.70 → 1."""
    exponent = value.normalize().as_tuple().exponent
    return min(max(-exponent, 0), 2) if isinstance(exponent, int) else 0


def signed(value: int | Decimal | None) -> str:
    """A difference with its sign ("+12", "-3"), or "no data"."""
    if value is None:
        return no_data()
    return ("+" if value > 0 else "") + format_figure(value)


def percent(value: Decimal | None) -> str:
    """A share as people write it ("%85,5" in Turkish, "85.5%" in English), or "no data"."""
    if value is None:
        return no_data()
    return _("%(percent)s%%") % {
        "percent": charts.format_number(value, decimals=min(decimals_of(value), 1))
    }


def breakdown_titles() -> list[tuple[str, str]]:
    """(Figures field, heading) of the breakdown tables, in the report's order."""
    return [
        ("by_kind", _("By service")),
        ("by_theme", _("By theme")),
        ("by_organisation_type", _("By organisation type")),
        ("by_region", _("By region")),
        ("by_province", _("By province")),
    ]


def narrative_sections(report: DonorReport) -> list[tuple[str, str]]:
    """(heading, text) of the narrative sections that were written."""
    sections = [
        (_("Summary"), report.summary),
        (_("Achievements"), report.achievements),
        (_("Challenges and lessons learned"), report.challenges),
        (_("Next steps"), report.next_steps),
    ]
    return [(heading, text) for heading, text in sections if text.strip()]


def status_line(report: DonorReport) -> str:
    if report.is_finished and report.finished_at is not None:
        return _("Finished on %(date)s") % {
            "date": formats.date_format(timezone.localtime(report.finished_at), "DATE_FORMAT")
        }
    return _("Draft: the figures may still change")


def programme_label(programme: str) -> str:
    return programme or _("All programmes")


def _bars(rows: list[Row]) -> list[charts.Bar]:
    return [charts.Bar(label=row.label, value=row.organisations) for row in rows]


def _trend(periods: list[Period]) -> list[charts.TrendPoint]:
    return [charts.TrendPoint(label=p.label, value=p.organisations) for p in periods]


def _month_trend(periods: list[Period]) -> list[charts.TrendPoint]:
    """Months of one year are named without the year ("Şub"): twelve "Şub 2025" labels do
    not fit under a chart on an A4 page."""
    if len({p.year for p in periods}) != 1:
        return _trend(periods)
    return [
        charts.TrendPoint(
            label=formats.date_format(dt.date(p.year, p.number, 1), "M"), value=p.organisations
        )
        for p in periods
    ]


def report_charts(figures: Figures) -> list[tuple[str, Any]]:
    """(title, chart) of the report's charts, styled for print (no links, no table view: the
    tables are in the report)."""
    drawn: list[tuple[str, Callable[..., SafeString], Any, str]] = [
        (
            _("Organisations by service"),
            charts.bar_chart,
            _bars(figures.by_kind),
            _("Distinct organisations reached by each service."),
        ),
        (
            _("Organisations by theme"),
            charts.bar_chart,
            _bars(figures.by_theme),
            _("Distinct organisations reached, by the themes of their work."),
        ),
        (
            _("Organisations by month"),
            charts.trend_chart,
            _month_trend(figures.by_month),
            _("Distinct organisations reached in each month."),
        ),
        (
            _("Organisations by quarter"),
            charts.trend_chart,
            _trend(figures.by_quarter),
            _("Distinct organisations reached in each quarter."),
        ),
    ]
    return [
        (title, charts.for_print(draw(data, title=title, caption=caption, table=False)))
        for title, draw, data, caption in drawn
    ]


def report_map(figures: Figures) -> Any:
    """The Turkey map of organisations reached by province, without links, for print."""

    def label_for(plate: int, value: Any) -> str:
        if value is None:
            return no_data()
        return _("%(count)s organisations") % {"count": format_figure(value)}

    return charts.for_print(
        turkey_map(
            figures.province_values(),
            url_for=None,
            label_for=label_for,
            title=_("Organisations reached by province"),
            legend_title=_("Organisations"),
        )
    )


def report_html(report: DonorReport, figures: Figures | None = None) -> str:
    """The report as the HTML WeasyPrint lays out, in the report's language."""
    figures = figures or figures_of(report)
    center = CenterSettings.current()
    with translation.override(report.language):
        # The center's name in the report's language too.
        headline = figures.headline
        return render_to_string(
            "impact/report_pdf.html",
            {
                "report": report,
                "language": report.language,
                "center_name": center.name,
                "logo": file_uri(center.logo),
                "period": period_label(report.start, report.end),
                "programme": programme_label(report.programme),
                "status_line": status_line(report),
                "computed_at": formats.date_format(
                    timezone.localtime(figures.computed_at), "DATETIME_FORMAT"
                ),
                "has_data": figures.has_data,
                "headline": [
                    (_("Organisations"), format_figure(headline.organisations)),
                    (_("People"), format_figure(headline.people)),
                    (_("Service deliveries"), format_figure(headline.deliveries)),
                    (_("Hours"), format_figure(headline.hours)),
                    (_("Provinces reached"), format_figure(headline.provinces)),
                ],
                "narrative": narrative_sections(report),
                "indicators": [
                    {
                        "code": row.code,
                        "name": row.name,
                        "level": row.level,
                        "unit": row.unit,
                        "value": format_figure(row.value),
                        "target": format_figure(row.target) if row.target is not None else "—",
                        "target_label": row.target_label,
                        "variance": signed(row.variance) if row.target is not None else "—",
                        "percent": percent(row.percent_of_target)
                        if row.target is not None
                        else "—",
                        "baseline": format_figure(row.baseline)
                        if row.baseline is not None
                        else "—",
                        "no_data": row.value is None,
                    }
                    for row in figures.indicators
                ],
                "tables": [
                    {
                        "heading": heading,
                        "rows": [
                            (
                                row.label,
                                format_figure(row.organisations),
                                format_figure(row.people),
                            )
                            for row in getattr(figures, name)
                        ],
                    }
                    for name, heading in breakdown_titles()
                ],
                "charts": report_charts(figures),
                "map": report_map(figures),
                "activities": [
                    {
                        "kind": a.kind,
                        "name": a.name,
                        "dates": formats.date_format(a.first, "SHORT_DATE_FORMAT")
                        if a.first == a.last
                        else f"{formats.date_format(a.first, 'SHORT_DATE_FORMAT')} – "
                        f"{formats.date_format(a.last, 'SHORT_DATE_FORMAT')}",
                        "organisations": format_figure(a.organisations),
                        "people": format_figure(a.people),
                        "deliveries": format_figure(a.deliveries),
                    }
                    for a in figures.activities
                ],
                "font_regular": font_uri("DejaVuSans.ttf"),
                "font_bold": font_uri("DejaVuSans-Bold.ttf"),
            },
        )


def report_pdf(report: DonorReport, figures: Figures | None = None) -> bytes:
    """The donor report as an A4 PDF."""
    html = report_html(report, figures)
    return pdf_from_html(html)


def report_filename(report: DonorReport, extension: str) -> str:
    """An ASCII file name: "kaynak-rapor-2025.pdf", "kaynak-report-2025-q2.xlsx",
    "kaynak-rapor-2025-03-01-2025-06-15.pdf"."""
    start, end = report.start, report.end
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        period = str(start.year)
    elif (
        start.year == end.year
        and start.day == 1
        and start.month % 3 == 1
        and end.month == start.month + 2
        and (end.month, end.day) in {(3, 31), (6, 30), (9, 30), (12, 31)}
    ):
        period = f"{start.year}-q{(start.month + 2) // 3}"
    else:
        period = f"{start:%Y-%m-%d}-{end:%Y-%m-%d}"
    word = "report" if report.language == "en" else "rapor"
    return f"kaynak-{word}-{period}.{extension}"
