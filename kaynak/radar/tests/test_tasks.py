"""The radar's background work: the 15-minute beat queues each due source once, and the scan
task scans the source it names."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from kaynak.accounts.models import Role
from kaynak.accounts.tests.factories import StaffFactory
from kaynak.radar import scanning, tasks
from kaynak.radar.models import ScanRun, ScanTrigger, Source, SourceKind
from kaynak.radar.tests.factories import SourceFactory

pytestmark = pytest.mark.django_db

ISTANBUL = ZoneInfo("Europe/Istanbul")
# A Wednesday afternoon in Istanbul.
NOW = dt.datetime(2026, 11, 25, 15, 0, tzinfo=ISTANBUL)


@pytest.fixture
def scanned(monkeypatch: pytest.MonkeyPatch) -> list[tuple[Source, str, Any]]:
    """Scans asked for, instead of scanning: (source, trigger, who)."""
    calls: list[tuple[Source, str, Any]] = []

    def record(*, source: Source, trigger: str, started_by: Any = None, **kwargs: Any) -> ScanRun:
        calls.append((source, trigger, started_by))
        return ScanRun.objects.create(source=source, trigger=trigger, started_by=started_by)

    monkeypatch.setattr(scanning, "scan_source", record)
    return calls


@time_machine.travel(NOW, tick=False)
def test_the_beat_queues_each_due_enabled_source_once_and_plans_its_next_weekly_scan(
    scanned: list[tuple[Source, str, Any]], django_capture_on_commit_callbacks: Any
) -> None:
    never = SourceFactory.create(next_scan_at=None)
    due = SourceFactory.create(next_scan_at=NOW - dt.timedelta(minutes=5))
    later = SourceFactory.create(next_scan_at=NOW + dt.timedelta(hours=1))
    disabled = SourceFactory.create(enabled=False, next_scan_at=None)
    manual = SourceFactory.create(kind=SourceKind.MANUAL, url="", next_scan_at=None)

    with django_capture_on_commit_callbacks(execute=True):
        queued = tasks.scan_due_sources.call()

    assert queued == 2
    assert sorted(source.pk for source, _trigger, _who in scanned) == sorted([never.pk, due.pk])
    assert {trigger for _source, trigger, _who in scanned} == {ScanTrigger.SCHEDULE}
    monday = dt.datetime(2026, 11, 30, 6, 0, tzinfo=ISTANBUL)
    for source in (never, due):
        source.refresh_from_db()
        assert source.next_scan_at == monday
    for source in (later, disabled, manual):
        source.refresh_from_db()
    assert later.next_scan_at == NOW + dt.timedelta(hours=1)
    assert disabled.next_scan_at is None

    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.scan_due_sources.call() == 0
    assert len(scanned) == 2


@time_machine.travel(NOW, tick=False)
def test_two_workers_that_read_the_same_due_source_scan_it_once() -> None:
    source = SourceFactory.create(next_scan_at=NOW - dt.timedelta(minutes=1))
    first_read = Source.objects.get(pk=source.pk)
    second_read = Source.objects.get(pk=source.pk)

    assert scanning.claim(first_read) is True
    assert scanning.claim(second_read) is False


def test_the_scan_task_scans_the_source_it_names_for_whoever_asked(
    scanned: list[tuple[Source, str, Any]],
) -> None:
    source = SourceFactory.create()
    editor = StaffFactory.create(roles=[Role.RADAR_EDITOR])

    run_id = tasks.scan_source_task.call(source.pk, ScanTrigger.EDITOR, editor.pk)

    assert scanned == [(source, ScanTrigger.EDITOR, editor)]
    assert run_id is not None
    assert ScanRun.objects.get(pk=run_id).source == source
    assert tasks.scan_source_task.call(source.pk + 1000, ScanTrigger.SCHEDULE, None) is None


def test_the_beat_is_in_the_schedule_every_fifteen_minutes() -> None:
    from kaynak.core.schedule import SCHEDULE

    when = dict(SCHEDULE).get("kaynak.radar.tasks.scan_due_sources")

    assert when is not None, "kaynak/core/schedule.py must run the radar's beat"
    hour = dt.datetime(2027, 3, 1, 10, 0, tzinfo=ISTANBUL).replace(tzinfo=None)  # huey: naive
    due = [minute for minute in range(60) if when(hour + dt.timedelta(minutes=minute))]
    assert due == [0, 15, 30, 45]
