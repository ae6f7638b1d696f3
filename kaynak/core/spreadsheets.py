"""XLSX exports written the same way everywhere: openpyxl's write-only mode (rows stream, memory
stays flat), and text that stays text — openpyxl stores a string starting with "=" as a formula,
so a name such as "=HYPERLINK(…)" typed into a form would run in the reader's spreadsheet."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

type Rows = Iterable[Sequence[Any]]


def safe_cells(
    sheet: WriteOnlyWorksheet, row: Sequence[Any], *, date_format: str | None = None
) -> list[Cell]:
    """``row`` as cells of a write-only ``sheet``: lazy translations become text, text is
    stored as text (never a formula), dates take ``date_format`` when given."""
    cells = []
    for value in row:
        if isinstance(value, Promise):
            value = str(value)
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            cell.data_type = "s"
        elif date_format and isinstance(value, dt.date):
            cell.number_format = date_format
        cells.append(cell)
    return cells


def write_sheets(
    workbook: Workbook,
    sheets: Iterable[tuple[str | Promise, Rows]],
    *,
    date_format: str | None = None,
) -> None:
    """Add one write-only sheet per (title, rows) to ``workbook`` (titles cut to Excel's 31)."""
    for title, rows in sheets:
        sheet = workbook.create_sheet(title=str(title)[:31])
        for row in rows:
            sheet.append(safe_cells(sheet, row, date_format=date_format))


def workbook_bytes(
    sheets: Iterable[tuple[str | Promise, Rows]], *, date_format: str | None = None
) -> bytes:
    """A write-only workbook of the (title, rows) ``sheets``, as the bytes of an XLSX file."""
    workbook = Workbook(write_only=True)
    write_sheets(workbook, sheets, date_format=date_format)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()
