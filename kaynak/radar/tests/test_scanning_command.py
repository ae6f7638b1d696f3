"""``kaynak radar scan`` and ``kaynak radar reextract``: progress per item, a report per source,
a failing exit status when a source failed."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kaynak.radar.demo_site import create_demo_sources, serve_demo_site
from kaynak.radar.fetching import Fetcher
from kaynak.radar.models import ScanRun, ScanTrigger
from kaynak.radar.tests.factories import SourceFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def base_url(settings: Any, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    settings.RADAR_ALLOW_LOOPBACK = True
    # The command uses the process-wide fetcher; here without the politeness delay.
    fast = Fetcher(host_delay=0, retries=0, allow_loopback=True)
    monkeypatch.setattr("kaynak.radar.fetching._default_fetcher", fast)
    with serve_demo_site() as url:
        yield url
    fast.close()


def radar(*args: str) -> str:
    out = io.StringIO()
    call_command("radar", *args, stdout=out)
    return out.getvalue()


def test_scan_shows_each_item_and_a_report_per_source(base_url: str) -> None:
    feed, *_others = create_demo_sources(base_url, enabled=False)

    output = radar("scan", "--source", str(feed.pk))

    assert "(disabled: scanned because it was named)" in output
    assert f"listed        {base_url}/anadolu-vakfi/feed.xml" in output
    assert (
        f"  new           {base_url}/anadolu-vakfi/2026/11/kucuk-hibe-programi-2027.html" in output
    )
    assert f"#{feed.pk} {feed.name}: 3 new, 0 updated, 0 unchanged, 0 failed" in output
    assert ScanRun.objects.get().trigger == ScanTrigger.COMMAND


def test_scan_without_options_scans_the_enabled_sources_and_fails_when_one_failed(
    base_url: str,
) -> None:
    sources = create_demo_sources(base_url)
    broken = SourceFactory.create(url=f"{base_url}/yok.xml")
    out = io.StringIO()

    with pytest.raises(CommandError) as failed:
        call_command("radar", "scan", "--concurrency", "1", stdout=out)

    assert str(failed.value) == f"1 of {len(sources) + 1} sources failed."
    assert f"{base_url}/yok.xml: http error: 404" in out.getvalue()
    assert ScanRun.objects.count() == len(sources) + 1
    assert f"#{broken.pk} {broken.name}: 0 new" in out.getvalue()


def test_scan_of_an_unknown_source_says_so() -> None:
    with pytest.raises(CommandError, match="No scannable source with id 999"):
        radar("scan", "--source", "999")


def test_reextract_reads_history_again_with_a_summary(base_url: str) -> None:
    feed, *_others = create_demo_sources(base_url)
    radar("scan", "--source", str(feed.pk))

    output = radar("reextract", "--source", str(feed.pk), "--since", "2026-01-01")

    assert output.strip().endswith("Read again: 0 new, 0 updated, 3 unchanged, 0 failed")
    assert output.count("unchanged") == 4


def test_reextract_refuses_a_date_it_cannot_read() -> None:
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        radar("reextract", "--since", "31.02.2026")
