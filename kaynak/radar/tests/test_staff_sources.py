"""The editors' source pages: health at a glance (flagged sources first), one source's scans,
"Scan now" queued after the commit, enable/disable audited, a scan's report and a raw item
shown as text, never as HTML."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django.asserts import assertContains

from kaynak.accounts.models import Role, User
from kaynak.accounts.tests.factories import StaffFactory
from kaynak.accounts.tests.helpers import url
from kaynak.core.models import AuditEntry
from kaynak.radar import scanning, services
from kaynak.radar.models import (
    RawItem,
    RawOutcome,
    RawRole,
    ScanRun,
    ScanStatus,
    ScanTrigger,
    Source,
)
from kaynak.radar.tests.factories import OpportunityFactory, SourceFactory

pytestmark = pytest.mark.django_db

A_PAGE = "https://a.example.org/1"


@pytest.fixture
def editor_user() -> User:
    return StaffFactory.create(roles=[Role.RADAR_EDITOR])


@pytest.fixture
def editor(editor_user: User) -> Client:
    client = Client()
    client.force_login(editor_user)
    return client


def test_the_list_shows_each_source_s_health_with_flagged_ones_first(editor: Client) -> None:
    healthy = SourceFactory.create(name="Sağlam kaynak", last_success_at=timezone.now())
    failing = SourceFactory.create(
        name="Bozuk kaynak", consecutive_failures=3, last_error="HTTP 500"
    )

    response = editor.get(url("radar:staff-sources", language="en"))

    assert list(response.context["sources"]) == [failing, healthy]
    assertContains(response, '<tr class="flagged">')
    assertContains(response, "Flagged: failing")
    assertContains(response, "HTTP 500")


def test_a_source_page_lists_its_recent_scans(editor: Client) -> None:
    source = SourceFactory.create()
    scan = ScanRun.objects.create(
        source=source, trigger=ScanTrigger.SCHEDULE, status=ScanStatus.FINISHED, new=4, failed=1
    )

    response = editor.get(url("radar:staff-source", source.pk, language="en"))

    assert response.context["scans"] == [scan]
    assertContains(response, url("radar:staff-scan", scan.pk, language="en"))
    assertContains(response, "Scan now")


def test_scan_now_queues_the_scan_after_the_commit(
    editor: Client, editor_user: User, monkeypatch, django_capture_on_commit_callbacks
) -> None:
    source = SourceFactory.create()
    scanned: list[dict[str, Any]] = []

    def scan_source(**kwargs: Any) -> ScanRun:
        scanned.append(kwargs)
        return ScanRun.objects.create(source=kwargs["source"], trigger=kwargs["trigger"])

    monkeypatch.setattr(scanning, "scan_source", scan_source)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = editor.post(url("radar:staff-source-scan", source.pk, language="en"))

    assert response.status_code == 302
    assert len(callbacks) == 1
    assert scanned == [{"source": source, "trigger": ScanTrigger.EDITOR, "started_by": editor_user}]
    assert AuditEntry.objects.filter(action="kaynak.radar.source.scan_requested").exists()


def test_the_editors_own_entries_are_never_scanned(editor: Client) -> None:
    source = services.manual_source()

    response = editor.post(url("radar:staff-source-scan", source.pk, language="en"), follow=True)

    assertContains(response, "Entries made by editors are not scanned.")


def test_enabling_plans_the_next_scan_and_disabling_stops_it(editor: Client) -> None:
    source = SourceFactory.create(enabled=False)

    editor.post(url("radar:staff-source-enabled", source.pk, language="en"), {"enabled": "1"})
    source.refresh_from_db()
    assert source.enabled
    assert source.next_scan_at is not None
    assert source.next_scan_at.astimezone(timezone.get_current_timezone()).weekday() == 0

    editor.post(url("radar:staff-source-enabled", source.pk, language="en"), {"enabled": "0"})
    source = Source.objects.get(pk=source.pk)
    assert not source.enabled
    assert source.next_scan_at is None
    assert list(
        AuditEntry.objects.filter(action__startswith="kaynak.radar.source.")
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["kaynak.radar.source.enabled", "kaynak.radar.source.disabled"]


def test_a_scan_report_gives_each_item_s_outcome_and_reason_with_links(editor: Client) -> None:
    source = SourceFactory.create()
    call = OpportunityFactory.create()
    scan = ScanRun.objects.create(
        source=source,
        trigger=ScanTrigger.SCHEDULE,
        status=ScanStatus.FINISHED,
        new=1,
        failed=1,
        report=[
            {"url": A_PAGE, "outcome": "new", "reason": "", "opportunity": call.pk},
            {"url": A_PAGE + "2", "outcome": "failed", "reason": "timeout", "opportunity": None},
        ],
    )
    raw = RawItem.objects.create(
        source=source, scan=scan, role=RawRole.DETAIL, url=A_PAGE,
        outcome=RawOutcome.NEW, opportunity=call, body=b"<p>x</p>",
    )  # fmt: skip

    response = editor.get(url("radar:staff-scan", scan.pk, language="en"))

    assertContains(response, "timeout")
    assertContains(response, url("radar:staff-raw-item", raw.pk, language="en"))
    assertContains(response, url("radar:staff-opportunity", call.pk, language="en"))
    assert [line["raw_item"] for line in response.context["lines"]] == [raw.pk, None]


def test_a_raw_item_is_shown_as_text_never_as_html(editor: Client) -> None:
    source: Source = SourceFactory.create()
    raw = RawItem.objects.create(
        source=source,
        role=RawRole.DETAIL,
        url="https://a.example.org/ilan",
        status_code=200,
        content_type="text/html; charset=utf-8",
        headers={"content-type": "text/html; charset=utf-8", "etag": '"abc"'},
        body=b"<html><body><h1>Hibe</h1><script>alert('x')</script></body></html>",
    )

    response = editor.get(url("radar:staff-raw-item", raw.pk, language="en"))

    html = response.content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "&lt;h1&gt;Hibe&lt;/h1&gt;" in html
    assertContains(response, "&quot;abc&quot;")
    assert response.context["text"].strip() == "Hibe"


def test_a_failed_fetch_shows_its_reason(editor: Client) -> None:
    raw = RawItem.objects.create(
        source=SourceFactory.create(),
        role=RawRole.DETAIL,
        url="https://a.example.org/yok",
        fetch_error="timeout",
        fetch_error_detail="No answer in 20 s",
        outcome=RawOutcome.FAILED,
    )

    response = editor.get(url("radar:staff-raw-item", raw.pk, language="en"))

    assertContains(response, "No answer in 20 s")
