"""The donor report as an XLSX workbook (openpyxl), in the report's language.

The same tables as the PDF, plus the raw aggregated data (distinct organisations by quarter ×
service × province × theme). Figures are numbers (so that they add up in a spreadsheet); a figure
that is not known is the text "no data" in the report's language, never 0. Header rows are bold
and frozen; sheet names are at most 31 characters (Excel's limit).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from kaynak.impact.figures import Figures
from kaynak.impact.map import province_name
from kaynak.impact.models import DonorReport
from kaynak.impact.pdf import breakdown_titles, no_data, programme_label, status_line
from kaynak.impact.reports import figures_of
from kaynak.ledger.forms import period_label

BOLD = Font(bold=True)
MAX_COLUMN_WIDTH = 60


def _cell_value(value: Any) -> Any:
    """A figure as a number (Decimal: int when whole, else float), None as "no data"."""
    if value is None:
        return no_data()
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _sheet(
    workbook: Workbook, title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]]
) -> Worksheet:
    """A sheet with a bold, frozen header row, the rows, and columns as wide as their text."""
    sheet: Worksheet = workbook.create_sheet(title=title[:31])
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font = BOLD
    for row in rows:
        sheet.append([_cell_value(value) for value in row])
    for row_cells in sheet.iter_rows(min_row=2):
        for cell in row_cells:
            if isinstance(cell.value, str):
                # Text stays text: openpyxl would store "=…" as a formula otherwise.
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    _fit_columns(sheet)
    return sheet


def _fit_columns(sheet: Worksheet) -> None:
    widths: dict[int, int] = {}
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is not None:
                length = len(str(cell.value))
                widths[cell.column] = max(widths.get(cell.column, 0), length)
    for column, width in widths.items():
        sheet.column_dimensions[get_column_letter(column)].width = min(width + 2, MAX_COLUMN_WIDTH)


def _summary(workbook: Workbook, report: DonorReport, figures: Figures) -> None:
    headline = figures.headline
    _sheet(
        workbook,
        _("Summary"),
        [_("Item"), _("Value")],
        [
            (_("Title"), report.title),
            (_("Period"), period_label(report.start, report.end)),
            (_("From"), report.start),
            (_("Until"), report.end),
            (_("Programme"), programme_label(report.programme)),
            (_("Status"), status_line(report)),
            (_("Organisations"), headline.organisations),
            (_("People"), headline.people),
            (_("Service deliveries"), headline.deliveries),
            (_("Hours"), headline.hours),
            (_("Provinces reached"), headline.provinces),
        ],
    )


def _indicators(workbook: Workbook, figures: Figures) -> None:
    _sheet(
        workbook,
        _("Indicators"),
        [
            _("Code"),
            _("Indicator"),
            _("Level"),
            _("Unit"),
            _("Value"),
            _("Target"),
            _("Target period"),
            _("Variance"),
            _("Percent of target"),
            _("Baseline"),
        ],
        [
            (
                row.code,
                row.name,
                row.level,
                row.unit,
                row.value,
                row.target if row.target is not None else "",
                row.target_label,
                row.variance if row.target is not None else "",
                row.percent_of_target if row.target is not None else "",
                row.baseline if row.baseline is not None else "",
            )
            for row in figures.indicators
        ],
    )


def _breakdowns(workbook: Workbook, figures: Figures) -> None:
    for name, heading in breakdown_titles():
        _sheet(
            workbook,
            heading,
            [_("Code"), _("Group"), _("Organisations"), _("People")],
            [(row.key, row.label, row.organisations, row.people) for row in getattr(figures, name)],
        )


def _trends(workbook: Workbook, figures: Figures) -> None:
    month, quarter = _("Month"), _("Quarter")
    _sheet(
        workbook,
        _("Trends"),
        [
            _("Unit"),
            _("Year"),
            _("Number"),
            _("Period"),
            _("Organisations"),
            _("People"),
            _("Deliveries"),
        ],
        [
            (unit, p.year, p.number, p.label, p.organisations, p.people, p.deliveries)
            for unit, periods in ((month, figures.by_month), (quarter, figures.by_quarter))
            for p in periods
        ],
    )


def _activities(workbook: Workbook, figures: Figures) -> None:
    _sheet(
        workbook,
        _("Activities"),
        [
            _("Service"),
            _("Activity"),
            _("First date"),
            _("Last date"),
            _("Organisations"),
            _("People"),
            _("Deliveries"),
        ],
        [
            (a.kind, a.name, a.first, a.last, a.organisations, a.people, a.deliveries)
            for a in figures.activities
        ],
    )


def _raw_data(workbook: Workbook, figures: Figures) -> None:
    # Names from the report's own rows, so that a snapshot's raw data reads as it did then.
    kinds = {row.key: row.label for row in figures.by_kind}
    themes = {row.key: row.label for row in figures.by_theme}
    not_recorded = _("Not recorded")
    _sheet(
        workbook,
        _("Raw data"),
        [
            _("Year"),
            _("Quarter"),
            _("Service"),
            _("Province code"),
            _("Province"),
            _("Theme"),
            _("Organisations"),
        ],
        [
            (
                cell.year,
                cell.quarter,
                kinds.get(cell.kind, cell.kind),
                int(cell.province) if cell.province else "",
                province_name(int(cell.province)) if cell.province else not_recorded,
                themes.get(cell.theme, cell.theme) if cell.theme else not_recorded,
                cell.organisations,
            )
            for cell in figures.cube
        ],
    )


def report_xlsx(report: DonorReport, figures: Figures | None = None) -> bytes:
    """The donor report as an XLSX workbook."""
    figures = figures or figures_of(report)
    with translation.override(report.language):
        workbook = Workbook()
        assert workbook.active is not None
        workbook.remove(workbook.active)
        _summary(workbook, report, figures)
        _indicators(workbook, figures)
        _breakdowns(workbook, figures)
        _trends(workbook, figures)
        _activities(workbook, figures)
        _raw_data(workbook, figures)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
