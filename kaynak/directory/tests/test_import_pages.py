"""The staff import page: upload → columns and preview → apply → report."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from kaynak.accounts.models import Role
from kaynak.accounts.tests.factories import StaffFactory, UserFactory
from kaynak.accounts.tests.helpers import url
from kaynak.directory.importing.apply import import_batch_create
from kaynak.directory.models import ImportBatch, ImportStatus, Organisation, Person
from kaynak.directory.tests.factories import OrganisationFactory, province

pytestmark = pytest.mark.django_db
FILES = Path(__file__).parent / "files"


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def staff():
    return StaffFactory.create(roles=[Role.CENTER_ADMIN])


@pytest.fixture
def staff_client(staff) -> Client:
    return client_for(staff)


def upload_file(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (FILES / name).read_bytes())


def uploaded(name: str, actor=None) -> ImportBatch:
    return import_batch_create(data=(FILES / name).read_bytes(), filename=name, actor=actor)


def test_visitors_are_sent_to_log_in(client):
    response = client.get(url("directory:import_upload"))

    assert response.status_code == 302
    assert "/login/" in response["Location"]


@pytest.mark.parametrize("roles", [None, [Role.SUPPORT_AGENT], [Role.RADAR_EDITOR]])
def test_members_and_staff_without_the_right_do_not_find_the_page(roles):
    user = UserFactory.create() if roles is None else StaffFactory.create(roles=roles)
    batch = uploaded("organisations_utf8.csv")
    client = client_for(user)

    for name, args in [
        ("directory:import_upload", ()),
        ("directory:import_preview", (batch.pk,)),
        ("directory:import_report", (batch.pk,)),
        ("directory:import_file", (batch.pk,)),
    ]:
        assert client.get(url(name, *args)).status_code == 404
    assert client.post(url("directory:import_apply", batch.pk)).status_code == 404
    assert not Organisation.objects.exists()


@pytest.mark.parametrize("role", [Role.PROGRAMME_COORDINATOR, Role.ME_OFFICER, Role.CENTER_ADMIN])
def test_programme_and_me_staff_may_import(role):
    client = client_for(StaffFactory.create(roles=[role]))

    assert client.get(url("directory:import_upload")).status_code == 200


def test_uploading_a_file_keeps_it_and_opens_its_preview(staff, staff_client):
    response = staff_client.post(
        url("directory:import_upload"), {"file": upload_file("organisations_windows1254.csv")}
    )

    batch = ImportBatch.objects.get()
    assertRedirects(
        response, url("directory:import_preview", batch.pk), fetch_redirect_response=False
    )
    assert (batch.original_name, batch.encoding, batch.rows_total) == (
        "organisations_windows1254.csv",
        "windows-1254",
        3,
    )
    assert batch.created_by == staff
    assert batch.status == ImportStatus.PREVIEWED
    assert not Organisation.objects.exists()


def test_an_unreadable_upload_is_explained_next_to_the_field_and_nothing_is_kept(staff_client):
    response = staff_client.post(
        url("directory:import_upload", language="en"),
        {"file": upload_file("not_a_spreadsheet.pdf")},
    )

    assert response.status_code == 200
    assertContains(response, "is not a spreadsheet Kaynak can read")
    assert response.context["form"].errors["file"]
    assert not ImportBatch.objects.exists()


def test_the_preview_prefills_a_select_per_column_and_shows_what_each_row_becomes(staff_client):
    known = OrganisationFactory.create(
        name="Anadolu Gençlik Platformu", province=province(6), phones=["+903124182020"]
    )
    batch = uploaded("organisations_utf8.csv")

    response = staff_client.get(url("directory:import_preview", batch.pk, language="en"))

    assert response.status_code == 200
    form = response.context["form"]
    assert [form[f"column_{i}"].value() for i in range(6)] == [
        "organisation",
        "city",
        "email",
        "phone",
        "contact_name",
        "",
    ]
    assertContains(
        response, '<option value="organisation" selected>Organisation</option>', html=True
    )
    plan = response.context["plan"]
    assert [p.status for p in plan.rows] == [
        "new",
        "same_as_row",
        "new",
        "existing",
        "new",
        "same_as_row",
    ]
    assertContains(response, f"#{known.pk} Anadolu Gençlik Platformu")
    assertContains(response, "same as row 1")
    assertContains(response, "Import 6 rows")
    assert not Organisation.objects.exclude(pk=known.pk).exists()


def test_the_preview_of_a_bad_file_lists_each_problem_and_cannot_be_applied(staff_client):
    batch = uploaded("organisations_bad.csv")

    response = staff_client.get(url("directory:import_preview", batch.pk, language="en"))

    assert [p.row.number for p in response.context["error_rows"]] == [2, 3, 4, 5, 6, 8]
    assertContains(response, "“Istanbull” is not a province of Turkey. Did you mean “İstanbul”?")
    assertContains(response, "“ayse@” is not an e-mail address.")
    assertContains(response, "“12345” is not a phone number.")
    assertContains(response, "The organisation&#x27;s name is empty.")
    assertContains(
        response, '<button type="submit" disabled aria-describedby="apply-help">', html=False
    )


def test_a_repaired_file_says_so(staff_client):
    batch = uploaded("organisations_mojibake.csv")

    response = staff_client.get(url("directory:import_preview", batch.pk, language="en"))

    assertContains(response, "Garbled Turkish letters")
    assertContains(response, "Şişli Gençlik ve Spor Kulübü Derneği")


def test_changing_the_columns_saves_the_mapping_and_updates_the_preview(staff_client):
    batch = uploaded("organisations_utf8.csv")
    choices = {f"column_{i}": "" for i in range(6)}

    response = staff_client.post(
        url("directory:import_preview", batch.pk),
        {**choices, "column_0": "organisation", "column_1": "city"},
    )

    assertRedirects(
        response, url("directory:import_preview", batch.pk), fetch_redirect_response=False
    )
    batch.refresh_from_db()
    assert batch.column_mapping == {"organisation": 0, "city": 1}
    page = staff_client.get(url("directory:import_preview", batch.pk))
    assert all(not p.row.emails and not p.row.contact_name for p in page.context["plan"].rows)


def test_with_htmx_a_column_change_answers_with_the_preview_alone(staff_client):
    batch = uploaded("organisations_utf8.csv")
    choices = {f"column_{i}": "" for i in range(6)}

    response = staff_client.post(
        url("directory:import_preview", batch.pk),
        {**choices, "column_0": "organisation"},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert response.templates[0].name == "directory/imports/preview_body.html"
    assertNotContains(response, "<html")
    batch.refresh_from_db()
    assert batch.column_mapping == {"organisation": 0}


def test_a_mapping_without_organisations_or_with_a_field_twice_is_explained(staff_client):
    batch = uploaded("organisations_utf8.csv")
    choices = {f"column_{i}": "" for i in range(6)}

    response = staff_client.post(
        url("directory:import_preview", batch.pk, language="en"),
        {**choices, "column_1": "city", "column_5": "city"},
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert form.non_field_errors() == ["Choose the column that holds the organisations' names."]
    assert form.errors["column_5"] == ["“Province” is chosen for column “city” already."]
    assert form["column_5"].value() == "city"  # what was chosen stays chosen
    batch.refresh_from_db()
    assert batch.column_mapping["organisation"] == 0


def test_applying_imports_everything_and_shows_the_report(staff, staff_client):
    batch = uploaded("organisations_merged.xlsx", actor=staff)

    response = staff_client.post(url("directory:import_apply", batch.pk))

    assertRedirects(
        response, url("directory:import_report", batch.pk), fetch_redirect_response=False
    )
    batch.refresh_from_db()
    assert batch.status == ImportStatus.APPLIED
    assert Organisation.objects.count() == 4
    assert Person.objects.count() == 5
    report = staff_client.get(url("directory:import_report", batch.pk, language="en"))
    vakif = Organisation.objects.get(name="Anadolu Kültür Vakfı")
    assertContains(report, f"New organisation #{vakif.pk} “Anadolu Kültür Vakfı”.")
    assertContains(report, f"Same organisation as row 4: #{vakif.pk} “Anadolu Kültür Vakfı”.")
    # An applied import opens on its report, not on its preview.
    assertRedirects(
        staff_client.get(url("directory:import_preview", batch.pk)),
        url("directory:import_report", batch.pk),
        fetch_redirect_response=False,
    )


def test_applying_a_bad_file_writes_nothing_and_says_which_rows_to_fix(staff_client):
    batch = uploaded("organisations_bad.csv")

    response = staff_client.post(
        url("directory:import_apply", batch.pk, language="en"), follow=True
    )

    assertContains(response, "Nothing was imported: fix rows 2, 3, 4, 5, 6, 8 in the file")
    assertContains(response, "“Atlantis” is not a province of Turkey")
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED
    assert not Organisation.objects.exists()


def test_applying_twice_says_it_was_applied_already(staff_client):
    batch = uploaded("organisations_utf8.csv")
    staff_client.post(url("directory:import_apply", batch.pk))

    response = staff_client.post(
        url("directory:import_apply", batch.pk, language="en"), follow=True
    )

    assertContains(response, "This import was applied already.")
    assert Organisation.objects.count() == 4


def test_the_kept_file_downloads_as_it_was_uploaded(staff_client):
    batch = uploaded("organisations_excel_tr.csv")

    response = staff_client.get(url("directory:import_file", batch.pk))

    assert (
        b"".join(response.streaming_content) == (FILES / "organisations_excel_tr.csv").read_bytes()
    )
    assert 'filename="organisations_excel_tr.csv"' in response["Content-Disposition"]


def test_the_upload_page_lists_recent_imports_in_as_many_queries_for_many_as_for_one(
    staff, staff_client, django_assert_num_queries
):
    uploaded("organisations_utf8.csv", actor=staff)
    staff_client.get(url("directory:import_upload"))  # the center's settings are made once
    with CaptureQueriesContext(connection) as one_import:
        staff_client.get(url("directory:import_upload"))
    for _ in range(5):
        uploaded("organisations_excel_tr.csv", actor=StaffFactory.create(roles=[Role.ME_OFFICER]))

    with django_assert_num_queries(len(one_import)):
        response = staff_client.get(url("directory:import_upload"))

    assert len(response.context["imports"]) == 6
    assertContains(response, "organisations_excel_tr.csv", count=5)
