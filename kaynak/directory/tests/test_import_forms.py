"""The import page's forms on their own: the upload (size, reading) and the column choices."""

from __future__ import annotations

import re
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.datastructures import MultiValueDict

from kaynak.directory.importing.forms import ColumnMappingForm, ImportUploadForm
from kaynak.directory.importing.reading import read_sheet

FILES = Path(__file__).parent / "files"


def upload_form(name: str, content: bytes) -> ImportUploadForm:
    return ImportUploadForm({}, MultiValueDict({"file": [SimpleUploadedFile(name, content)]}))


def test_a_spreadsheet_is_read_when_it_is_uploaded():
    content = (FILES / "organisations_utf8.csv").read_bytes()

    form = upload_form("organisations_utf8.csv", content)

    assert form.is_valid(), form.errors
    assert form.data_bytes == content
    assert form.sheet.headers[:2] == ("organisation", "city")
    assert form.sheet.rows[0].cells[0] == "Ege Çevre ve Doğa Koruma Derneği"


def test_a_file_over_ten_megabytes_is_refused_before_it_is_read():
    form = upload_form("big.csv", b"a" * (10 * 1024 * 1024 + 1))

    with translation.override("en"):
        assert not form.is_valid()
        assert form.errors["file"] == [
            "The file is larger than 10 MB: split it into smaller files."
        ]
    assert not hasattr(form, "sheet")


def test_a_file_that_is_no_spreadsheet_is_explained_next_to_the_field():
    form = upload_form("not_a_spreadsheet.pdf", (FILES / "not_a_spreadsheet.pdf").read_bytes())

    assert not form.is_valid()
    assert form.errors["file"]
    assert form.errors.as_data()["file"][0].code != "too_large"


def test_the_columns_are_offered_the_directory_fields_with_the_guess_chosen():
    sheet = read_sheet("Kurum Adı;Telefon\nÖrnek Derneği;0532 123 45 67\n".encode(), "a.csv")

    form = ColumnMappingForm(sheet=sheet, mapping={"organisation": 0})

    assert form["column_0"].initial == "organisation"
    assert form["column_1"].initial == ""
    assert re.findall(r'<option value="([^"]*)"', str(form["column_1"])) == [
        "",
        "organisation",
        "city",
        "email",
        "phone",
        "contact_name",
    ]
    assert form.fields["column_1"].help_text == "0532 123 45 67"
