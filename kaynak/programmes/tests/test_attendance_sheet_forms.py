"""The attendance sheet's forms on their own: the upload (size, the attendance reader) and the
column choices (something to find people by, no field for two columns)."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.datastructures import MultiValueDict

from kaynak.programmes.attendance.columns import read_attendance_sheet
from kaynak.programmes.attendance.forms import AttendanceSheetUploadForm, SheetColumnsForm

TITLED = "Katılım listesi\n\nAdı;Soyadı;Kurumu;İmza\nAyşe;Yılmaz;Örnek Derneği;\n"


def upload_form(name: str, content: bytes) -> AttendanceSheetUploadForm:
    return AttendanceSheetUploadForm(
        {}, MultiValueDict({"file": [SimpleUploadedFile(name, content)]})
    )


def columns_form(data: dict[str, str] | None = None) -> SheetColumnsForm:
    sheet = read_attendance_sheet(TITLED.encode(), "liste.csv")
    return SheetColumnsForm(data, sheet=sheet, mapping={"first_name": 0, "last_name": 1})


def test_an_attendance_sheet_is_read_under_its_title():
    form = upload_form("liste.csv", TITLED.encode())

    assert form.is_valid(), form.errors
    assert form.sheet.headers[:3] == ("Adı", "Soyadı", "Kurumu")
    assert form.data_bytes == TITLED.encode()


def test_a_sheet_over_five_megabytes_is_refused():
    form = upload_form("liste.csv", b"a" * (5 * 1024 * 1024 + 1))

    with translation.override("en"):
        assert not form.is_valid()
        assert form.errors["file"] == ["The file is larger than 5 MB: is it the right file?"]


def test_the_columns_are_offered_the_attendance_fields_with_the_guess_chosen():
    form = columns_form()

    assert form["column_0"].initial == "first_name"
    assert form["column_2"].initial == ""
    with translation.override("en"):
        select = str(form["column_2"])
    assert '<option value="" selected>— not used —</option>' in select
    assert '<option value="code">' in select
    assert form.fields["column_2"].help_text == "Örnek Derneği"


def test_columns_with_nothing_to_find_people_by_are_explained():
    form = columns_form({"column_0": "", "column_1": "", "column_2": "organisation"})

    with translation.override("en"):
        assert not form.is_valid()
        assert form.non_field_errors() == [
            "Choose the column that holds the names (or the e-mail addresses, phones or "
            "registration codes)."
        ]


def test_a_field_chosen_for_two_columns_is_explained_on_the_second():
    form = columns_form({"column_0": "name", "column_1": "name", "column_2": ""})

    with translation.override("en"):
        assert not form.is_valid()
        assert form.errors["column_1"] == ["“Full name” is chosen for column “Adı” already."]


def test_the_chosen_columns_are_the_mapping():
    form = columns_form({"column_0": "first_name", "column_1": "last_name", "column_2": ""})

    assert form.is_valid(), form.errors
    assert form.mapping == {"first_name": 0, "last_name": 1}
