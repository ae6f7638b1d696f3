"""A spreadsheet's bytes into rows of text, however it was saved.

CSV files arrive in UTF-8 (with or without a byte-order mark), in Windows-1254 as Turkish Excel
saves them (usually with semicolons), or with mojibake ("DerneÄŸi": UTF-8 read as Windows-1254
and saved again), which ftfy repairs. XLSX files may have a title row above the header and merged
cells; the value of a merged range is filled into each of its cells, so a province merged over
five rows is the province of each of the five.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import unicodedata
import warnings
import zipfile
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

import charset_normalizer
import ftfy
import ftfy.badness
from django.utils.translation import gettext_lazy as _

from kaynak.core.errors import KaynakError
from kaynak.directory.importing.mapping import header_row_index

# Encodings a Turkish spreadsheet is saved in. Without this list charset-normalizer often
# calls Windows-1254 "cp1250" or "cp1252": the bytes are valid in all of them, and only the
# Turkish letters (ğ, ı, İ, ş) differ.
_CANDIDATE_ENCODINGS = ["utf_8", "cp1254", "iso8859_9", "cp857", "mac_turkish", "utf_16"]
_ENCODING_NAMES = {
    "utf_8": "utf-8",
    "cp1254": "windows-1254",
    "iso8859_9": "iso-8859-9",
    "cp857": "ibm857",
    "mac_turkish": "mac-turkish",
    "utf_16": "utf-16",
}
_DELIMITERS = (",", ";", "\t", "|")
# Repair mojibake and odd characters, but keep the text as typed otherwise: curly quotes stay,
# "&amp;" in a name stays, line breaks are left to the CSV reader.
_FTFY = ftfy.TextFixerConfig(uncurl_quotes=False, unescape_html=False, fix_line_breaks=False)
_ZIP_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0"  # the old binary .xls format


class UnreadableFile(KaynakError):
    code = "unreadable_file"


@dataclass(frozen=True)
class SheetRow:
    number: int  # 1-based among the data rows (what `resolve` reports as "row")
    line: int  # 1-based row of the file, as a spreadsheet program numbers it
    cells: tuple[str, ...]


@dataclass(frozen=True)
class Sheet:
    headers: tuple[str, ...]
    rows: tuple[SheetRow, ...]
    encoding: str  # "utf-8", "windows-1254" … or "xlsx"
    repaired: bool  # garbled letters (mojibake) were repaired
    header_line: int

    def column_label(self, index: int) -> str:
        """The header of a column, or its spreadsheet letter when the header is empty."""
        header = self.headers[index] if index < len(self.headers) else ""
        return header or _("Column %(letter)s") % {"letter": column_letter(index)}


def column_letter(index: int) -> str:
    """0 → "A", 25 → "Z", 26 → "AA"."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def read_sheet(data: bytes, filename: str) -> Sheet:
    """Read a CSV or XLSX file; ``UnreadableFile`` (a sentence for the user) if it is neither."""
    if not data.strip():
        raise UnreadableFile(_("The file “%(name)s” is empty.") % {"name": filename})
    if data.startswith(_OLE2_MAGIC):
        raise UnreadableFile(
            _(
                "“%(name)s” is an old Excel file (.xls): save it as an Excel workbook (.xlsx) "
                "or as CSV and upload it again."
            )
            % {"name": filename}
        )
    if data.startswith(_ZIP_MAGIC):
        lines, encoding, repaired = _xlsx_lines(data, filename), "xlsx", False
    else:
        text, encoding = _decode(data, filename)
        fixed = _repair(text)
        repaired = fixed != unicodedata.normalize("NFC", text)
        lines = _csv_lines(fixed)
    return _sheet(lines, encoding=encoding, repaired=repaired, filename=filename)


def _not_a_spreadsheet(filename: str) -> UnreadableFile:
    return UnreadableFile(
        _(
            "“%(name)s” is not a spreadsheet Kaynak can read: save it as CSV or as an Excel "
            "workbook (.xlsx) and upload it again."
        )
        % {"name": filename}
    )


def _decode(data: bytes, filename: str) -> tuple[str, str]:
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", errors="replace"), "utf-8"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", errors="replace"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if b"\x00" in data:
        # Text in a single-byte encoding has no NUL byte; a PDF, an image or a program does.
        raise _not_a_spreadsheet(filename)
    best = charset_normalizer.from_bytes(data, cp_isolation=_CANDIDATE_ENCODINGS).best()
    if best is None:
        raise _not_a_spreadsheet(filename)
    return str(best), _ENCODING_NAMES.get(best.encoding, best.encoding)


def _repair(text: str) -> str:
    # ftfy is the slow part of reading a large file: run it only where its own quick test
    # finds mojibake ("Ã§", "ÅŸ" …); plain ASCII and clean Turkish are only composed (NFC).
    if text.isascii():
        return text
    if ftfy.badness.is_bad(text):
        return ftfy.fix_text(text, _FTFY)
    return unicodedata.normalize("NFC", text)


def _delimiter(lines: list[str]) -> str:
    """The delimiter that splits the first lines into the same number (> 1) of columns most
    often; a comma when none does. Names with commas in a semicolon file do not fool it."""
    sample = [line for line in lines[:30] if line.strip()]
    best, best_score = ",", (0, 0)
    for delimiter in _DELIMITERS:
        widths = Counter(len(row) for row in csv.reader(sample, delimiter=delimiter))
        widths.pop(1, None)
        widths.pop(0, None)
        if not widths:
            continue
        width, often = widths.most_common(1)[0]
        if (often, width) > best_score:
            best, best_score = delimiter, (often, width)
    return best


def _csv_lines(text: str) -> list[tuple[int, list[str]]]:
    first_line, _newline, rest = text.partition("\n")
    offset = 0
    # Excel understands a first line "sep=;" naming the delimiter; some exports write one.
    if first_line.strip().lower().startswith("sep=") and len(first_line.strip()) == 5:
        delimiter, text, offset = first_line.strip()[4], rest, 1
    else:
        delimiter = _delimiter(text.splitlines())
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    return [(index + offset, [cell.strip() for cell in row]) for index, row in enumerate(reader, 1)]


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        # A phone number or plate code typed into a number cell comes back as 5321234567.0.
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, (int, float, Decimal)):
        return str(value)
    return _repair(str(value)).strip()


def _xlsx_lines(data: bytes, filename: str) -> list[tuple[int, list[str]]]:
    import openpyxl

    try:
        with warnings.catch_warnings():
            # Workbooks from other programs carry extensions openpyxl warns about and skips.
            warnings.simplefilter("ignore")
            workbook = openpyxl.load_workbook(io.BytesIO(data), data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError):
        raise _not_a_spreadsheet(filename) from None
    sheets = [workbook.active, *workbook.worksheets] if workbook.active else workbook.worksheets
    for sheet in sheets:
        if sheet is None or not hasattr(sheet, "merged_cells"):
            continue
        grid = [list(row) for row in sheet.iter_rows(values_only=True)]
        if not any(any(value is not None for value in row) for row in grid):
            continue
        for cell_range in sheet.merged_cells.ranges:
            value = grid[cell_range.min_row - 1][cell_range.min_col - 1]
            for row in range(cell_range.min_row - 1, min(cell_range.max_row, len(grid))):
                for column in range(cell_range.min_col - 1, cell_range.max_col):
                    if column < len(grid[row]):
                        grid[row][column] = value
        return [(index, [_cell_text(v) for v in row]) for index, row in enumerate(grid, 1)]
    return []


def _sheet(
    lines: list[tuple[int, list[str]]], *, encoding: str, repaired: bool, filename: str
) -> Sheet:
    lines = [(line, cells) for line, cells in lines if any(cells)]
    if not lines:
        raise UnreadableFile(_("The file “%(name)s” has no rows.") % {"name": filename})
    header_at = header_row_index([cells for _line, cells in lines])
    header_line, headers = lines[header_at]
    width = max(len(cells) for _line, cells in lines[header_at:])
    rows = tuple(
        SheetRow(number=number, line=line, cells=tuple(cells + [""] * (width - len(cells))))
        for number, (line, cells) in enumerate(lines[header_at + 1 :], 1)
    )
    return Sheet(
        headers=tuple(headers + [""] * (width - len(headers))),
        rows=rows,
        encoding=encoding,
        repaired=repaired,
        header_line=header_line,
    )
