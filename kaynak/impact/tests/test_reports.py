"""Donor reports: drafts follow the data, finished ones are frozen, and their PDF and XLSX
say what the worked fixture of conftest.py says."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from kaynak.accounts.models import Role, User
from kaynak.accounts.tests.factories import StaffFactory
from kaynak.core.errors import PermissionDenied
from kaynak.core.models import AuditEntry
from kaynak.impact import demo, reports
from kaynak.impact.figures import Figures
from kaynak.impact.models import DonorReport, Measure, ReportStatus
from kaynak.impact.pdf import report_filename, report_html, report_pdf
from kaynak.impact.reports import Narrative, scope_of
from kaynak.impact.services import TargetData
from kaynak.impact.tests.conftest import YEAR, Fixture, computed, manual, theme
from kaynak.impact.xlsx import report_xlsx
from kaynak.ledger.services import withdraw_delivery

pytestmark = pytest.mark.django_db


def new_report(actor: User, *, language: str = "tr", **period: Any) -> DonorReport:
    start, end = period.get("start", YEAR[0]), period.get("end", YEAR[1])
    return reports.report_create(
        title="Faaliyet raporu 2025",
        scope=scope_of(start=start, end=end, programme=period.get("programme", "")),
        language=language,
        actor=actor,
    )


def withdraw(ledger: Fixture, name: str) -> None:
    delivery = ledger.deliveries[name]
    withdraw_delivery(source=ledger.sources[name], organisation=delivery.organisation)


def tr(text: str) -> str:
    """``text`` in Turkish, as the report's cells and headings say it."""
    with translation.override("tr"):
        return gettext(text)


def sheet_rows(data: bytes, index: int) -> list[tuple[Any, ...]]:
    workbook = load_workbook(io.BytesIO(data))
    return list(workbook.worksheets[index].iter_rows(values_only=True))


def test_a_draft_counts_its_figures_from_the_ledger_now(ledger: Fixture, me_officer: User) -> None:
    report = new_report(me_officer)
    assert report.status == ReportStatus.DRAFT
    assert report.snapshot == ""
    assert reports.figures_of(report).headline.organisations == 3
    # C's only delivery of 2025 is d3: withdrawn, C is no longer reached.
    withdraw(ledger, "d3")
    assert reports.figures_of(report).headline.organisations == 2


def test_finishing_freezes_the_figures_and_the_differences_name_what_changed(
    ledger: Fixture, me_officer: User
) -> None:
    report = reports.report_finish(report=new_report(me_officer), actor=me_officer)
    snapshot = report.snapshot
    pdf_html, xlsx = report_html(report), report_xlsx(report)
    assert reports.differences(report) == []

    withdraw(ledger, "d3")
    report.refresh_from_db()
    assert report.snapshot == snapshot
    assert reports.figures_of(report).headline.organisations == 3
    assert report_html(report) == pdf_html
    assert sheet_rows(report_xlsx(report), 0) == sheet_rows(xlsx, 0)
    # d3: support to C (Ankara, no theme, an association) in Q1.
    changes = {(c.section, c.key, c.measure): (c.then, c.now) for c in reports.differences(report)}
    assert changes[("headline", "organisations", "organisations")] == (3, 2)
    assert changes[("headline", "deliveries", "deliveries")] == (6, 5)
    assert changes[("by_province", "6", "organisations")] == (2, 1)
    assert changes[("by_kind", "support", "organisations")] == (2, 1)
    # Unchanged figures are not listed: people were not touched by d3 …
    assert ("headline", "people", "people") not in changes
    # … nor İstanbul.
    assert not [key for key in changes if key[1] == "34"]


def test_the_snapshot_reads_back_as_the_figures_it_froze(ledger: Fixture, me_officer: User) -> None:
    report = reports.report_finish(report=new_report(me_officer), actor=me_officer)
    frozen = Figures.from_json(report.snapshot)
    assert frozen.to_json() == report.snapshot
    assert (frozen.headline.organisations, frozen.headline.people) == (3, 3)
    assert frozen.headline.deliveries == 6
    assert frozen.headline.hours == Decimal(15)
    assert frozen.activities, "a finished report keeps its activity list"
    assert frozen.cube, "a finished report keeps its raw aggregated data"


def test_a_report_is_counted_in_its_own_language(ledger: Fixture, me_officer: User) -> None:
    report = reports.report_finish(report=new_report(me_officer, language="en"), actor=me_officer)
    frozen = Figures.from_json(report.snapshot)
    assert frozen.language == "en"
    kinds = {row.key: row.label for row in frozen.by_kind}
    training = ledger.sources["d1"].kind
    assert kinds["training"] == training.name_en


def test_a_finished_report_cannot_be_edited_or_deleted_or_finished_again(
    ledger: Fixture, me_officer: User
) -> None:
    report = reports.report_finish(report=new_report(me_officer), actor=me_officer)
    with pytest.raises(reports.ReportFinished, match="can no longer be edited"):
        reports.report_save_narrative(
            report=report, data=Narrative(title="Yeni", summary="Değişti"), actor=me_officer
        )
    with pytest.raises(reports.ReportFinished, match="cannot be deleted"):
        reports.report_delete(report=report, actor=me_officer)
    with pytest.raises(reports.ReportFinished, match="already finished"):
        reports.report_finish(report=report, actor=me_officer)
    report.refresh_from_db()
    assert (report.title, report.summary) == ("Faaliyet raporu 2025", "")
    assert DonorReport.objects.filter(pk=report.pk).exists()


def test_a_draft_saves_its_narrative_and_can_be_deleted(ledger: Fixture, me_officer: User) -> None:
    report = new_report(me_officer)
    saved = reports.report_save_narrative(
        report=report,
        data=Narrative(title="  Yıllık   rapor ", summary="Özet", next_steps="Sonraki adımlar"),
        actor=me_officer,
    )
    assert (saved.title, saved.summary, saved.achievements, saved.next_steps) == (
        "Yıllık rapor",
        "Özet",
        "",
        "Sonraki adımlar",
    )
    reports.report_delete(report=saved, actor=me_officer)
    assert not DonorReport.objects.exists()
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "kaynak.impact.report.created",
        "kaynak.impact.report.narrative_saved",
        "kaynak.impact.report.deleted",
    } <= actions


def test_a_copy_is_a_new_draft_with_the_same_period_programme_and_narrative(
    ledger: Fixture, me_officer: User
) -> None:
    original = new_report(me_officer, programme="Kapasite")
    reports.report_save_narrative(
        report=original,
        data=Narrative(title="Kapasite 2025", achievements="Başarılar"),
        actor=me_officer,
    )
    finished = reports.report_finish(report=original, actor=me_officer)
    copy = reports.report_copy(report=finished, actor=me_officer)
    assert copy.pk != finished.pk
    assert copy.status == ReportStatus.DRAFT
    assert copy.snapshot == ""
    assert (copy.title, copy.start, copy.end, copy.programme, copy.achievements) == (
        "Kapasite 2025",
        finished.start,
        finished.end,
        "Kapasite",
        "Başarılar",
    )
    # Only d4 was recorded under "Kapasite": A and p2.
    assert reports.figures_of(copy).headline.organisations == 1


def test_bad_input_is_refused_with_a_message_for_its_field(
    ledger: Fixture, me_officer: User
) -> None:
    with pytest.raises(reports.ReportPeriodError, match="ends before it starts") as period:
        scope_of(start=dt.date(2025, 6, 1), end=dt.date(2025, 5, 31))
    assert period.value.field == "end"
    with pytest.raises(reports.ReportTitleMissing) as title:
        reports.report_create(
            title="   ", scope=scope_of(start=YEAR[0], end=YEAR[1]), language="tr", actor=me_officer
        )
    assert title.value.field == "title"
    assert not DonorReport.objects.exists()


def test_only_me_officers_and_center_admins_write_reports(
    ledger: Fixture, center_admin: User
) -> None:
    coordinator = StaffFactory.create(roles=[Role.PROGRAMME_COORDINATOR])
    with pytest.raises(PermissionDenied):
        new_report(coordinator)
    report = new_report(center_admin)
    with pytest.raises(PermissionDenied):
        reports.report_finish(report=report, actor=coordinator)
    assert reports.report_finish(report=report, actor=center_admin).status == "finished"


# The PDF and the XLSX ---------------------------------------------------------------------------


def with_indicators(actor: User) -> None:
    computed(
        actor,
        Measure.ORGANISATIONS,
        code="O1.1",
        targets=[TargetData("2025", *YEAR, Decimal(4))],
    )
    manual(actor, code="O2.1")


def test_the_xlsx_holds_the_worked_figures_as_numbers(ledger: Fixture, me_officer: User) -> None:
    with_indicators(me_officer)
    report = reports.report_finish(report=new_report(me_officer), actor=me_officer)
    data = report_xlsx(report)
    workbook = load_workbook(io.BytesIO(data))
    assert all(len(name) <= 31 for name in workbook.sheetnames)
    summary = dict(sheet_rows(data, 0)[1:])
    headline = ("Organisations", "People", "Service deliveries", "Hours")
    assert [summary[tr(k)] for k in headline] == [
        3,
        3,
        6,
        15,
    ]
    assert summary[tr("Provinces reached")] == 2
    indicators = {row[0]: row for row in sheet_rows(data, 1)[1:]}
    # O1.1: 3 organisations of a target of 4: variance -1, 75 %.
    # No baseline: an empty cell.
    assert indicators["O1.1"][4:10] == (3, 4, "2025", -1, 75, None)
    # O2.1 has no approved value: "no data", in the report's language.
    assert indicators["O2.1"][4] == "veri yok"
    by_kind = {row[0]: row[2:] for row in sheet_rows(data, 2)[1:]}
    assert by_kind == {"training": (2, 2), "support": (2, 1)}
    trends = {(row[0], row[1], row[2]): row[4:] for row in sheet_rows(data, 7)[1:]}
    months = [key for key in trends if key[0] == tr("Month")]
    assert len(months) == 12
    assert trends[(tr("Month"), 2025, 2)] == (2, 1, 2)
    assert sheet_rows(data, 0)[0] == (tr("Item"), tr("Value"))
    sheet = workbook.worksheets[1]
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].font.bold


def test_the_raw_data_is_distinct_organisations_by_quarter_service_province_and_theme(
    ledger: Fixture, me_officer: User
) -> None:
    report = reports.report_finish(report=new_report(me_officer), actor=me_officer)
    rows = sheet_rows(report_xlsx(report), 9)
    assert rows[0][:4] == tuple(tr(h) for h in ("Year", "Quarter", "Service", "Province code"))
    training = ledger.sources["d1"].kind.name_tr
    support = ledger.sources["d3"].kind.name_tr
    environment = theme("environment").name_tr
    cells = {row[:6]: row[6] for row in rows[1:]}
    # d1 A and d2 B (training, Q1), d3 C (support, Q1), d4 A (training, Q2), d5 A (support, Q2);
    # d7 went to a person alone, d8 is withdrawn.
    assert cells == {
        (2025, 1, training, 6, "Ankara", environment): 1,
        (2025, 1, training, 34, "İstanbul", tr("Not recorded")): 1,
        (2025, 1, support, 6, "Ankara", tr("Not recorded")): 1,
        (2025, 2, training, 6, "Ankara", environment): 1,
        (2025, 2, support, 6, "Ankara", environment): 1,
    }


def test_the_pdf_is_made_from_html_with_the_cover_figures_and_no_data(
    ledger: Fixture, me_officer: User
) -> None:
    with_indicators(me_officer)
    report = new_report(me_officer)
    reports.report_save_narrative(
        report=report,
        data=Narrative(title="Faaliyet raporu 2025", summary="Kuruluşlara destek verdik."),
        actor=me_officer,
    )
    report.refresh_from_db()
    html = report_html(report)
    assert "Faaliyet raporu 2025" in html
    assert "Kuruluşlara destek verdik." in html
    # The empty narrative sections are left out.
    assert tr("Next steps") not in html
    assert "veri yok" in html  # O2.1 has no approved value
    assert "%75" in html  # O1.1: 3 of 4, the Turkish way
    assert "Ankara" in html
    assert "<svg" in html
    pdf = report_pdf(report)
    assert pdf.startswith(b"%PDF-")


def test_a_period_with_no_data_still_gives_a_pdf_and_an_xlsx_saying_so(
    ledger: Fixture, me_officer: User
) -> None:
    with_indicators(me_officer)
    report = new_report(me_officer, start=dt.date(2019, 1, 1), end=dt.date(2019, 12, 31))
    report = reports.report_finish(report=report, actor=me_officer)
    html = report_html(report)
    assert "veri yok" in html
    assert report_pdf(report).startswith(b"%PDF-")
    data = report_xlsx(report)
    indicators = {row[0]: row for row in sheet_rows(data, 1)[1:]}
    assert indicators["O2.1"][4] == "veri yok"
    assert sheet_rows(data, 8) == [sheet_rows(data, 8)[0]]  # the activity list: a header only


def test_file_names_are_ascii_and_name_the_period(me_officer: User) -> None:
    def named(start: dt.date, end: dt.date, language: str = "tr") -> str:
        report = DonorReport(title="x", start=start, end=end, language=language)
        return report_filename(report, "pdf")

    assert named(dt.date(2025, 1, 1), dt.date(2025, 12, 31)) == "kaynak-rapor-2025.pdf"
    assert named(dt.date(2025, 4, 1), dt.date(2025, 6, 30), "en") == "kaynak-report-2025-q2.pdf"
    assert (
        named(dt.date(2025, 3, 1), dt.date(2025, 6, 15)) == "kaynak-rapor-2025-03-01-2025-06-15.pdf"
    )


def test_the_demo_has_last_years_report_finished_and_this_years_as_a_draft(
    ledger: Fixture, me_officer: User
) -> None:
    finished, drafted = demo.donor_reports(actor=me_officer, year=2026)
    assert (finished.start, finished.end, finished.status) == (*YEAR, ReportStatus.FINISHED)
    assert Figures.from_json(finished.snapshot).headline.organisations == 3
    assert finished.challenges
    assert (drafted.start.year, drafted.status, drafted.snapshot) == (2026, "draft", "")
