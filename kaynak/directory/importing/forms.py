"""The staff import page's forms: the upload, and a select per column saying what it holds;
both on bases (``SpreadsheetUploadForm``, ``ColumnChoiceForm``) for any spreadsheet staff upload."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from kaynak.core.errors import KaynakError
from kaynak.directory.importing.mapping import FIELD_LABELS, FIELDS
from kaynak.directory.importing.reading import Sheet, read_sheet

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
_SAMPLES = 3


def spreadsheet_field(*, label: StrOrPromise, help_text: StrOrPromise) -> forms.FileField:
    """A file field that offers CSV files and Excel workbooks."""
    return forms.FileField(
        label=label,
        help_text=help_text,
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )


class SpreadsheetUploadForm(forms.Form):
    """A spreadsheet to read, in a field ``file`` (``spreadsheet_field``) that a subclass
    declares; once valid, ``sheet`` is what ``read`` made of it and ``data_bytes`` the file.
    A subclass may lower the size limit and say why the limit is there."""

    max_upload_bytes = MAX_UPLOAD_BYTES
    too_large_message: StrOrPromise = _(
        "The file is larger than %(limit)s MB: split it into smaller files."
    )

    def read(self, data: bytes, filename: str) -> Sheet:
        """The file's rows; ``KaynakError`` (a sentence for the user) if it cannot be read."""
        return read_sheet(data, filename)

    def clean_file(self) -> UploadedFile[bytes]:
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        if (upload.size or 0) > self.max_upload_bytes:
            raise forms.ValidationError(
                self.too_large_message,
                params={"limit": self.max_upload_bytes // (1024 * 1024)},
                code="too_large",
            )
        data = upload.read()
        try:
            self.sheet = self.read(data, upload.name or "")
        except KaynakError as exc:
            raise forms.ValidationError(str(exc.message), code=exc.code) from None
        self.data_bytes = data
        return upload


class ColumnChoiceForm(forms.Form):
    """One select per column of ``sheet``, pre-filled from ``mapping`` (field → column), offering
    the subclass's ``offered`` fields; once valid, ``mapping`` holds what was chosen, no field
    for two columns. A subclass says in ``check_mapping`` what must be chosen."""

    offered: tuple[str, ...] = ()
    labels: Mapping[str, Promise] = {}
    blank_label: StrOrPromise = ""

    def __init__(self, *args: Any, sheet: Sheet, mapping: Mapping[str, int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.sheet = sheet
        field_of_column = {column: name for name, column in mapping.items()}
        choices = [("", self.blank_label), *((name, self.labels[name]) for name in self.offered)]
        for index in range(len(sheet.headers)):
            samples = [row.cells[index] for row in sheet.rows if row.cells[index]][:_SAMPLES]
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=sheet.column_label(index),
                choices=choices,
                required=False,
                initial=field_of_column.get(index, ""),
                help_text=", ".join(samples),
            )

    def check_mapping(self, mapping: Mapping[str, int]) -> None:
        """Raise ``ValidationError`` unless ``mapping`` names what the file must have."""

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
                    % {"field": self.labels[name], "column": self.sheet.column_label(seen[name])},
                )
            else:
                seen[name] = index
        self.check_mapping(seen)
        self.mapping = seen
        return cleaned


class ImportUploadForm(SpreadsheetUploadForm):
    file = spreadsheet_field(
        label=_("Spreadsheet"),
        help_text=_(
            "CSV or Excel workbook (.xlsx), with a column of organisation names and, if you have "
            "them, province, e-mail, phone and contact person. The first rows may hold a title."
        ),
    )


class ColumnMappingForm(ColumnChoiceForm):
    """One select per column of the file, pre-filled with the field its header names."""

    offered = FIELDS
    labels = FIELD_LABELS
    blank_label = _("— not imported —")

    def check_mapping(self, mapping: Mapping[str, int]) -> None:
        if "organisation" not in mapping:
            raise forms.ValidationError(
                _("Choose the column that holds the organisations' names."), code="no_organisation"
            )
