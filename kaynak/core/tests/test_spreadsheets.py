"""XLSX exports: text stays text (never a formula), lazy translations become text, dates take the
format asked for."""

from __future__ import annotations

import datetime as dt
import io

from django.utils import translation
from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook

from kaynak.core.spreadsheets import workbook_bytes


def test_a_workbook_keeps_text_as_text_and_dates_in_the_format_asked_for() -> None:
    with translation.override("tr"):
        data = workbook_bytes(
            [
                ("A sheet title longer than Excel's thirty-one characters", [["Ad", "Tarih"]]),
                (_("Organisations"), [['=HYPERLINK("http://x.example","y")', dt.date(2026, 3, 9)]]),
            ],
            date_format="DD.MM.YYYY",
        )

    workbook = load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["A sheet title longer than Excel", "Kuruluşlar"]
    cell, date = workbook["Kuruluşlar"]["A1"], workbook["Kuruluşlar"]["B1"]
    assert (cell.value, cell.data_type) == ('=HYPERLINK("http://x.example","y")', "s")
    assert date.number_format == "DD.MM.YYYY"
    assert date.value.date() == dt.date(2026, 3, 9)
