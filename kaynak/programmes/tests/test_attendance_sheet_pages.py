"""The attendance sheet pages: upload → preview (columns, who is who, walk-ins offered) → apply
(all or nothing, choices kept on an error) → report."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from kaynak.accounts.models import Role
from kaynak.accounts.tests.factories import StaffFactory, UserFactory
from kaynak.accounts.tests.helpers import url
from kaynak.directory.models import Person
from kaynak.directory.tests.factories import PersonFactory
from kaynak.programmes.attendance.sheet_import import attendance_sheet_create
from kaynak.programmes.models import (
    Attendance,
    AttendanceSheet,
    AttendanceSheetStatus,
    Registration,
)
from kaynak.programmes.tests.factories import RegistrationFactory, activity_with_sessions

pytestmark = pytest.mark.django_db
FILES = Path(__file__).parent / "files"
XLSX = "attendance_sheet.xlsx"


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def staff_client() -> Client:
    return client_for(StaffFactory.create(roles=[Role.PROGRAMME_COORDINATOR]))


@pytest.fixture
def session():
    return activity_with_sessions(1).sessions.get()


@pytest.fixture
def ayse(session) -> Registration:
    person = PersonFactory.create(full_name="Ayşe Yılmaz", emails=["ayse@ornek.org.tr"])
    return RegistrationFactory.create(activity=session.activity, person=person, code="AYSE2345")


def uploaded(session, name: str = XLSX) -> AttendanceSheet:
    return attendance_sheet_create(
        session=session, data=(FILES / name).read_bytes(), filename=name, actor=None
    )


def checkbox(html: str, name: str) -> str:
    found = re.search(rf'<input type="checkbox" name="{name}"[^>]*>', html)
    assert found, f"no checkbox {name}"
    return found.group(0)


def test_uploading_a_sheet_keeps_it_and_shows_the_preview(staff_client, session, ayse):
    response = staff_client.post(
        url("programmes:staff-attendance-sheets", session.pk),
        {"file": SimpleUploadedFile(XLSX, (FILES / XLSX).read_bytes())},
    )

    record = AttendanceSheet.objects.get()
    assertRedirects(
        response,
        url("programmes:staff-attendance-sheet", record.pk),
        fetch_redirect_response=False,
    )
    assert record.session == session
    assert record.rows_total == 9
    assert record.created_by is not None


def test_a_file_that_is_not_a_spreadsheet_is_refused_next_to_the_field(staff_client, session):
    response = staff_client.post(
        url("programmes:staff-attendance-sheets", session.pk, language="en"),
        {"file": SimpleUploadedFile("liste.pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\x00")},
    )

    assert response.status_code == 200
    assertContains(response, "is not a spreadsheet Kaynak can read")
    assert not AttendanceSheet.objects.exists()


def test_the_preview_ticks_the_registrants_and_offers_the_others_as_walk_ins(
    staff_client, session, ayse
):
    record = uploaded(session)

    response = staff_client.get(url("programmes:staff-attendance-sheet", record.pk, language="en"))

    html = response.content.decode()
    assert "checked" in checkbox(html, "row-1")
    assert 'value="walk-in"' in checkbox(html, "row-6")
    assert "checked" not in checkbox(html, "row-6")
    assertContains(response, "Not registered")
    assertContains(response, "found by registration code")
    assertContains(response, "Same person as row 1.")
    # Elif's e-mail is wrong: said next to it, and she cannot be added until it is corrected.
    assertContains(response, "“elif@” is not an e-mail address.")
    assert 'name="row-7"' not in html
    assert Attendance.objects.count() == 0


def test_applying_from_the_page_adds_the_walk_ins_ticked_and_reports_every_row(
    staff_client, session, ayse
):
    record = uploaded(session)

    response = staff_client.post(
        url("programmes:staff-attendance-sheet-apply", record.pk, language="en"),
        {"row-1": str(ayse.pk), "row-6": "walk-in"},
    )

    assertRedirects(
        response,
        url("programmes:staff-attendance-sheet", record.pk, language="en"),
        fetch_redirect_response=False,
    )
    record.refresh_from_db()
    assert record.status == AttendanceSheetStatus.APPLIED
    assert Attendance.objects.filter(registration=ayse).exists()
    assert Registration.objects.get(person__full_name="Deniz Arslan").walk_in

    report = staff_client.get(url("programmes:staff-attendance-sheet", record.pk, language="en"))

    assertContains(report, "Registered: marked present.")
    assertContains(report, "Not registered: added as a walk-in (new to the directory)")
    assertContains(report, "No name, e-mail, phone or code in this row")
    assertContains(report, "Not registered and not added as a walk-in: not marked.", count=5)
    assertContains(report, "<td>9</td>")


def test_an_error_writes_nothing_and_keeps_what_was_chosen(staff_client, session, ayse):
    record = uploaded(session)

    response = staff_client.post(
        url("programmes:staff-attendance-sheet-apply", record.pk, language="en"),
        {"row-1": str(ayse.pk), "row-6": "walk-in", "row-7": "walk-in"},
    )

    assert response.status_code == 200
    assertContains(response, "Nothing was written")
    assertContains(response, 'id="row-7" class="has-error"')
    html = response.content.decode()
    assert "checked" in checkbox(html, "row-1")
    assert "checked" in checkbox(html, "row-6")
    assert not Attendance.objects.exists()
    assert not Person.objects.filter(full_name="Deniz Arslan").exists()
    record.refresh_from_db()
    assert record.status == AttendanceSheetStatus.PREVIEWED


def test_changing_a_column_updates_the_preview(staff_client, session, ayse):
    record = uploaded(session)

    response = staff_client.post(
        url("programmes:staff-attendance-sheet", record.pk, language="en"),
        {"column_1": "first_name", "column_2": "last_name"},
        headers={"HX-Request": "true"},
    )

    record.refresh_from_db()
    assert record.column_mapping == {"first_name": 1, "last_name": 2}
    assert response.status_code == 200
    assertNotContains(response, "<html")
    assertContains(response, 'id="sheet-preview"')
    # Without the code column Ayşe is found by her name.
    assertContains(response, "found by name")


def test_a_sheet_without_a_column_to_go_by_asks_for_one(staff_client, session):
    record = uploaded(session)

    response = staff_client.post(
        url("programmes:staff-attendance-sheet", record.pk, language="en"),
        {"column_3": "organisation"},
        headers={"HX-Request": "true"},
    )

    assertContains(response, "Choose the column that holds the names")
    record.refresh_from_db()
    assert "first_name" in record.column_mapping


def test_the_file_can_be_downloaded_as_uploaded(staff_client, session):
    record = uploaded(session)

    response = staff_client.get(url("programmes:staff-attendance-sheet-file", record.pk))

    assert b"".join(response.streaming_content) == (FILES / XLSX).read_bytes()
    assert XLSX in response["Content-Disposition"]


def test_the_upload_page_lists_the_sheets_of_the_session(staff_client, session):
    uploaded(session)
    other = activity_with_sessions(1).sessions.get()
    attendance_sheet_create(
        session=other, data=b"Ad Soyad\nCem\n", filename="baska.csv", actor=None
    )

    response = staff_client.get(url("programmes:staff-attendance-sheets", session.pk))

    assertContains(response, XLSX)
    assertNotContains(response, "baska.csv")


def test_visitors_are_sent_to_log_in(client, session):
    response = client.get(url("programmes:staff-attendance-sheets", session.pk))

    assert response.status_code == 302
    assert "/login/" in response["Location"]


@pytest.mark.parametrize("roles", [None, [Role.ME_OFFICER], [Role.SUPPORT_AGENT]])
def test_members_and_staff_without_the_right_do_not_find_the_sheets(roles, session, ayse):
    record = uploaded(session)
    user = UserFactory.create() if roles is None else StaffFactory.create(roles=roles)
    client = client_for(user)

    for name, args in [
        ("programmes:staff-attendance-sheets", (session.pk,)),
        ("programmes:staff-attendance-sheet", (record.pk,)),
        ("programmes:staff-attendance-sheet-file", (record.pk,)),
    ]:
        assert client.get(url(name, *args)).status_code == 404
    response = client.post(
        url("programmes:staff-attendance-sheet-apply", record.pk), {"row-1": str(ayse.pk)}
    )
    assert response.status_code == 404
    assert not Attendance.objects.exists()


def test_a_sheet_whose_columns_name_nothing_asks_which_column_holds_the_names(
    staff_client, session
):
    record = attendance_sheet_create(
        session=session, data=b"Birinci;Ikinci\nAyse;Yilmaz\n", filename="a.csv", actor=None
    )

    response = staff_client.get(url("programmes:staff-attendance-sheet", record.pk, language="en"))

    assertContains(response, "Say which column holds the names")
    assertNotContains(response, "Apply the sheet")
