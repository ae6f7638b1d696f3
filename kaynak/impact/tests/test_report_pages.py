"""The donor report pages: list, new (with the dashboard's prefill), a report with its
narrative, finish, copy, delete, the downloads and the changes since it was finished."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from kaynak.accounts.models import Role, User
from kaynak.accounts.tests.factories import StaffFactory
from kaynak.impact import reports
from kaynak.impact.models import DonorReport, ReportStatus
from kaynak.impact.reports import scope_of
from kaynak.impact.tests.conftest import YEAR, Fixture
from kaynak.ledger.services import withdraw_delivery

pytestmark = pytest.mark.django_db


def url(name: str, *args: Any, language: str = "tr") -> str:
    with translation.override(language):
        return reverse(name, args=args)


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def draft(actor: User, title: str = "Faaliyet raporu 2025", **extra: Any) -> DonorReport:
    return reports.report_create(
        title=title,
        scope=scope_of(start=YEAR[0], end=YEAR[1], programme=extra.get("programme", "")),
        language=extra.get("language", "tr"),
        actor=actor,
    )


def test_visitors_log_in_and_staff_without_the_right_get_a_404(
    ledger: Fixture, me_officer: User
) -> None:
    report = draft(me_officer)
    assert Client().get(url("impact:staff-reports")).status_code == 302
    agent = logged_in(StaffFactory.create(roles=[Role.SUPPORT_AGENT]))
    for page in (
        url("impact:staff-reports"),
        url("impact:staff-report", report.pk),
        url("impact:staff-report-pdf", report.pk),
        url("impact:staff-report-xlsx", report.pk),
    ):
        assert agent.get(page).status_code == 404


def test_a_programme_coordinator_reads_and_downloads_but_does_not_write(
    ledger: Fixture, me_officer: User
) -> None:
    report = draft(me_officer)
    coordinator = logged_in(StaffFactory.create(roles=[Role.PROGRAMME_COORDINATOR]))
    page = coordinator.get(url("impact:staff-report", report.pk))
    assert page.status_code == 200
    assertNotContains(page, url("impact:staff-report-finish", report.pk))
    assert coordinator.get(url("impact:staff-report-xlsx", report.pk)).status_code == 200
    assert coordinator.get(url("impact:staff-report-new")).status_code == 404
    assert coordinator.post(url("impact:staff-report-finish", report.pk)).status_code == 404
    saved = coordinator.post(url("impact:staff-report", report.pk), {"title": "Başka"})
    assert saved.status_code == 404
    report.refresh_from_db()
    assert (report.title, report.status) == ("Faaliyet raporu 2025", ReportStatus.DRAFT)


def test_the_list_shows_the_reports_in_a_bounded_number_of_queries(
    ledger: Fixture, me_officer: User, django_assert_max_num_queries: Any
) -> None:
    client = logged_in(me_officer)
    reports.report_finish(report=draft(me_officer, "Yıllık rapor"), actor=me_officer)
    client.get(url("impact:staff-reports"))  # warm the session and the center's settings
    with django_assert_max_num_queries(6) as counted:
        client.get(url("impact:staff-reports"))
    few = len(counted.captured_queries)
    for number in range(5):
        reports.report_finish(report=draft(me_officer, f"Rapor {number}"), actor=me_officer)
    with django_assert_max_num_queries(few):
        response = client.get(url("impact:staff-reports"))
    assertContains(response, "Yıllık rapor")
    assertContains(response, "Rapor 4")


def test_the_dashboard_link_fills_the_new_report_in(ledger: Fixture, me_officer: User) -> None:
    response = logged_in(me_officer).get(
        url("impact:staff-report-new"), {"year": "2025", "programme": "Kapasite"}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert (form["year"].value(), form["programme"].value()) == ("2025", "Kapasite")
    assertContains(response, '<option value="Kapasite" selected>')


def test_a_new_report_is_made_from_the_form(ledger: Fixture, me_officer: User) -> None:
    response = logged_in(me_officer).post(
        url("impact:staff-report-new"),
        {"title": "Kapasite 2025", "year": "2025", "programme": "Kapasite", "language": "en"},
    )
    report = DonorReport.objects.get()
    assertRedirects(response, url("impact:staff-report", report.pk))
    assert (report.start, report.end, report.programme, report.language) == (
        *YEAR,
        "Kapasite",
        "en",
    )


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"title": "", "year": "2025"}, "title"),
        ({"title": "   ", "year": "2025"}, "title"),
        ({"title": "Ters", "start": "2025-06-01", "end": "2025-05-01"}, "end"),
        ({"title": "Yarım", "start": "2025-06-01"}, "end"),
        ({"title": "Dil", "year": "2025", "language": "de"}, "language"),
    ],
)
def test_bad_input_is_explained_beside_its_field_and_nothing_is_written(
    ledger: Fixture, me_officer: User, data: dict[str, str], field: str
) -> None:
    response = logged_in(me_officer).post(
        url("impact:staff-report-new"), {"language": "tr", **data}
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not DonorReport.objects.exists()
    if data["title"].strip():
        assertContains(response, f'value="{data["title"]}"')  # what was typed is kept


def test_a_draft_saves_its_narrative_and_shows_its_figures(
    ledger: Fixture, me_officer: User
) -> None:
    report = draft(me_officer)
    client = logged_in(me_officer)
    response = client.post(
        url("impact:staff-report", report.pk),
        {
            "title": "Faaliyet raporu 2025",
            "summary": "Kuruluşlara destek verdik.",
            "challenges": "",
        },
    )
    assertRedirects(response, url("impact:staff-report", report.pk))
    report.refresh_from_db()
    assert report.summary == "Kuruluşlara destek verdik."
    page = client.get(url("impact:staff-report", report.pk))
    assertContains(page, "Kuruluşlara destek verdik.")
    assert page.context["figures"].headline.organisations == 3


def test_an_empty_title_keeps_the_narrative_typed_and_saves_nothing(
    ledger: Fixture, me_officer: User
) -> None:
    report = draft(me_officer)
    response = logged_in(me_officer).post(
        url("impact:staff-report", report.pk), {"title": "", "summary": "Yazdığım metin"}
    )
    assert response.status_code == 400
    assert "title" in response.context["form"].errors
    assertContains(response, "Yazdığım metin", status_code=400)
    report.refresh_from_db()
    assert (report.title, report.summary) == ("Faaliyet raporu 2025", "")


def test_finishing_freezes_the_report_and_the_changes_page_names_later_corrections(
    ledger: Fixture, me_officer: User
) -> None:
    report = draft(me_officer)
    client = logged_in(me_officer)
    confirm = client.get(url("impact:staff-report-finish", report.pk))
    assertContains(confirm, 'method="post"')
    assertRedirects(
        client.post(url("impact:staff-report-finish", report.pk)),
        url("impact:staff-report", report.pk),
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.FINISHED
    changes = client.get(url("impact:staff-report-changes", report.pk))
    assertContains(changes, 'id="no-changes"')

    withdraw_delivery(source=ledger.sources["d3"], organisation=ledger.organisations["C"])
    changes = client.get(url("impact:staff-report-changes", report.pk))
    assertNotContains(changes, 'id="no-changes"')
    listed = {(c.section, c.key, c.measure): (c.then, c.now) for c in changes.context["changes"]}
    assert listed[("headline", "organisations", "organisations")] == (3, 2)
    # The narrative of a finished report is not editable any more.
    refused = client.post(url("impact:staff-report", report.pk), {"title": "Değişti"})
    assert refused.status_code == 400
    report.refresh_from_db()
    assert report.title == "Faaliyet raporu 2025"


def test_a_finished_report_is_copied_as_a_new_draft_and_a_draft_deleted(
    ledger: Fixture, me_officer: User
) -> None:
    finished = reports.report_finish(report=draft(me_officer), actor=me_officer)
    client = logged_in(me_officer)
    response = client.post(url("impact:staff-report-copy", finished.pk))
    copy = DonorReport.objects.exclude(pk=finished.pk).get()
    assertRedirects(response, url("impact:staff-report", copy.pk))
    assert copy.status == ReportStatus.DRAFT
    # A finished report is kept for good; the draft goes.
    client.post(url("impact:staff-report-delete", finished.pk))
    assert DonorReport.objects.filter(pk=finished.pk).exists()
    assertRedirects(
        client.post(url("impact:staff-report-delete", copy.pk)), url("impact:staff-reports")
    )
    assert not DonorReport.objects.filter(pk=copy.pk).exists()


def test_downloads_have_ascii_names_and_a_finished_one_reads_its_snapshot_only(
    ledger: Fixture, me_officer: User, django_assert_max_num_queries: Any
) -> None:
    report = reports.report_finish(report=draft(me_officer), actor=me_officer)
    client = logged_in(me_officer)
    client.get(url("impact:staff-reports"))
    # The session, the user, the report and the center's settings: nothing is counted again.
    with django_assert_max_num_queries(6):
        pdf = client.get(url("impact:staff-report-pdf", report.pk))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == 'attachment; filename="kaynak-rapor-2025.pdf"'
    assert pdf.content.startswith(b"%PDF-")
    with django_assert_max_num_queries(6):
        xlsx = client.get(url("impact:staff-report-xlsx", report.pk))
    assert xlsx["Content-Disposition"] == 'attachment; filename="kaynak-rapor-2025.xlsx"'
    summary = load_workbook(io.BytesIO(xlsx.content)).worksheets[0]
    assert summary["B2"].value == "Faaliyet raporu 2025"


def test_english_pages_live_under_en_impact_staff_reports(me_officer: User) -> None:
    assert url("impact:staff-reports", language="en").startswith("/en/")
    response = logged_in(me_officer).get(url("impact:staff-reports", language="en"))
    assertContains(response, "Donor reports")
