"""The attendance pages' forms: an attendance sheet's upload, its columns, and what staff decide
for each of its rows."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from kaynak.core.errors import KaynakError
from kaynak.directory.importing.reading import Sheet
from kaynak.programmes.attendance.columns import (
    FIELD_LABELS,
    FIELDS,
    IDENTIFYING,
    read_attendance_sheet,
)
from kaynak.programmes.attendance.sheets import WALK_IN, Decision, SheetPlan

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
_SAMPLES = 3


class AttendanceSheetUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Attendance sheet"),
        help_text=_(
            "CSV or Excel workbook (.xlsx) with a row per person: name, and if you have them "
            "e-mail, phone, organisation or registration code. A title above the column names "
            "is fine."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def clean_file(self) -> UploadedFile[bytes]:
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        if (upload.size or 0) > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s MB: is it the right file?"),
                params={"limit": MAX_UPLOAD_BYTES // (1024 * 1024)},
                code="too_large",
            )
        data = upload.read()
        try:
            self.sheet = read_attendance_sheet(data, upload.name or "")
        except KaynakError as error:
            raise forms.ValidationError(str(error.message), code=error.code) from None
        self.data_bytes = data
        return upload


class SheetColumnsForm(forms.Form):
    """One select per column of the sheet, pre-filled with what its header names."""

    def __init__(self, *args: Any, sheet: Sheet, mapping: Mapping[str, int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sheet = sheet
        field_of_column = {column: name for name, column in mapping.items()}
        choices = [("", _("— not used —")), *((name, FIELD_LABELS[name]) for name in FIELDS)]
        for index in range(len(sheet.headers)):
            samples = [row.cells[index] for row in sheet.rows if row.cells[index]][:_SAMPLES]
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=sheet.column_label(index),
                choices=choices,
                required=False,
                initial=field_of_column.get(index, ""),
                help_text=", ".join(samples),
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        seen: dict[str, int] = {}
        for index in range(len(self.sheet.headers)):
            name = cleaned.get(f"column_{index}")
            if not name:
                continue
            if name in seen:
                self.add_error(
                    f"column_{index}",
                    _("“%(field)s” is chosen for column “%(column)s” already.")
                    % {"field": FIELD_LABELS[name], "column": self.sheet.column_label(seen[name])},
                )
            else:
                seen[name] = index
        if not IDENTIFYING & set(seen):
            raise forms.ValidationError(
                _(
                    "Choose the column that holds the names (or the e-mail addresses, phones or "
                    "registration codes)."
                ),
                code="nothing_to_match",
            )
        self.mapping = seen
        return cleaned


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
