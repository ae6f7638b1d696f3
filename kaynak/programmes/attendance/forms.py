"""The attendance pages' forms: an attendance sheet's upload, its columns, and what staff decide
for each of its rows."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kaynak.directory.importing.forms import (
    ColumnChoiceForm,
    SpreadsheetUploadForm,
    spreadsheet_field,
)
from kaynak.directory.importing.reading import Sheet
from kaynak.programmes.attendance.columns import (
    FIELD_LABELS,
    FIELDS,
    IDENTIFYING,
    read_attendance_sheet,
)
from kaynak.programmes.attendance.sheets import WALK_IN, Decision, SheetPlan


class AttendanceSheetUploadForm(SpreadsheetUploadForm):
    file = spreadsheet_field(
        label=_("Attendance sheet"),
        help_text=_(
            "CSV or Excel workbook (.xlsx) with a row per person: name, and if you have them "
            "e-mail, phone, organisation or registration code. A title above the column names "
            "is fine."
        ),
    )
    max_upload_bytes = 5 * 1024 * 1024
    too_large_message = _("The file is larger than %(limit)s MB: is it the right file?")

    def read(self, data: bytes, filename: str) -> Sheet:
        return read_attendance_sheet(data, filename)


class SheetColumnsForm(ColumnChoiceForm):
    """One select per column of the sheet, pre-filled with what its header names."""

    offered = FIELDS
    labels = FIELD_LABELS
    blank_label = _("— not used —")

    def check_mapping(self, mapping: Mapping[str, int]) -> None:
        if not IDENTIFYING & set(mapping):
            raise forms.ValidationError(
                _(
                    "Choose the column that holds the names (or the e-mail addresses, phones or "
                    "registration codes)."
                ),
                code="nothing_to_match",
            )


def decisions_from(data: Mapping[str, Any], plan: SheetPlan) -> dict[int, Decision]:
    """What staff decided per row: the posted ``row-<number>`` fields (a registration's id, or
    "walk-in"); a row not posted is left out."""
    decisions: dict[int, Decision] = {}
    for row in plan.rows:
        value = str(data.get(f"row-{row.number}", "")).strip()
        if value == WALK_IN:
            decisions[row.number] = WALK_IN
        elif value.isdigit():
            decisions[row.number] = int(value)
    return decisions


def default_decisions(plan: SheetPlan) -> dict[int, Decision]:
    """What the preview proposes before staff change anything."""
    return {
        row.number: decision for row in plan.rows if (decision := row.default_decision) is not None
    }
