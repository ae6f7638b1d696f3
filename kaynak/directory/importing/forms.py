"""The staff import page's forms: the upload, and a select per column saying what it holds."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from kaynak.core.errors import KaynakError
from kaynak.directory.importing.mapping import FIELD_LABELS, FIELDS
from kaynak.directory.importing.reading import Sheet, read_sheet

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
_SAMPLES = 3


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_(
            "CSV or Excel workbook (.xlsx), with a column of organisation names and, if you have "
            "them, province, e-mail, phone and contact person. The first rows may hold a title."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def clean_file(self) -> UploadedFile[bytes]:
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        if (upload.size or 0) > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(limit)s MB: split it into smaller files."),
                params={"limit": MAX_UPLOAD_BYTES // (1024 * 1024)},
                code="too_large",
            )
        data = upload.read()
        try:
            self.sheet = read_sheet(data, upload.name or "")
        except KaynakError as exc:
            raise forms.ValidationError(str(exc.message), code=exc.code) from None
        self.data_bytes = data
        return upload


class ColumnMappingForm(forms.Form):
    """One select per column of the file, pre-filled with the field its header names."""

    def __init__(self, *args: Any, sheet: Sheet, mapping: dict[str, int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sheet = sheet
        field_of_column = {column: name for name, column in mapping.items()}
        choices = [("", _("— not imported —")), *((name, FIELD_LABELS[name]) for name in FIELDS)]
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
        if "organisation" not in seen:
            raise forms.ValidationError(
                _("Choose the column that holds the organisations' names."), code="no_organisation"
            )
        self.mapping = seen
        return cleaned
