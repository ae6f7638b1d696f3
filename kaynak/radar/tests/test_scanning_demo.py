"""The demo funders' web served on 127.0.0.1 and scanned for real: drafts with deadlines, a
second scan that finds nothing changed, and an edited page that becomes an update."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kaynak.radar.demo_site import FILES, create_demo_sources, serve_demo_site, server_of
from kaynak.radar.fetching import Fetcher
from kaynak.radar.models import (
    ChangeKind,
    Opportunity,
    OpportunityChange,
    OpportunityStatus,
    RawItem,
    RawOutcome,
    ScanStatus,
)
from kaynak.radar.scanning import scan_source

pytestmark = pytest.mark.django_db


@pytest.fixture
def site(tmp_path: Path, settings: Any) -> Iterator[tuple[str, Path]]:
    """A copy of the demo files (so a test may edit them) served on loopback."""
    settings.RADAR_ALLOW_LOOPBACK = True
    root = tmp_path / "site"
    shutil.copytree(FILES, root)
    with serve_demo_site(root) as base_url:
        yield base_url, root


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    # No politeness delay: every demo source lives on one loopback host.
    with Fetcher(host_delay=0, retries=0, allow_loopback=True) as chosen:
        yield chosen


def scan_all(base_url: str, fetcher: Fetcher) -> list[Any]:
    return [scan_source(source=source, fetcher=fetcher) for source in create_demo_sources(base_url)]


def test_scanning_the_demo_sources_makes_drafts_with_their_deadlines(
    site: tuple[str, Path], fetcher: Fetcher
) -> None:
    base_url, _root = site
    runs = scan_all(base_url, fetcher)

    assert [run.status for run in runs] == [ScanStatus.FINISHED] * 5
    assert [run.new for run in runs] == [3, 4, 3, 2, 2]
    assert sum(run.failed for run in runs) == 0
    drafts = Opportunity.objects.filter(status=OpportunityStatus.DRAFT)
    assert drafts.count() == 14
    by_title = {opportunity.title: opportunity for opportunity in drafts}
    small_grants = by_title["2027 Küçük Hibe Programı: Yerel Dernekler İçin Kapasite Desteği"]
    assert str(small_grants.deadline_date) == "2027-02-15"
    assert small_grants.amount_max == 150000
    # The page in Windows-1254 reads as Turkish, deadline and all.
    tourism = by_title["Kırsal Turizm Altyapısı Mali Destek Programı"]
    assert str(tourism.deadline_date) == "2027-03-12"
    assert tourism.amount_max == 2500000
    # The EU topic is one call, however many languages the API answered in; two cut-offs.
    town = Opportunity.objects.get(external_id="CERV-2027-CITIZENS-TOWN")
    assert len(town.other_deadlines) == 1
    assert Opportunity.objects.filter(external_id="CERV-2027-CIT-ENG").count() == 1
    # Grants.gov: a missing ceiling is unknown, never 0.
    media = Opportunity.objects.get(external_id="SFOP0010149")
    assert media.amount_max is None
    with_deadline = drafts.exclude(deadline_date=None).count()
    assert with_deadline >= 10
    # Every body was kept, with the outcome of what it became.
    kept = RawItem.objects.filter(scan__in=runs)
    assert kept.filter(outcome=RawOutcome.NEW).count() == 14
    assert kept.filter(outcome=RawOutcome.LISTED).count() == 5


def test_a_second_scan_finds_everything_unchanged_and_an_edited_page_is_an_update(
    site: tuple[str, Path], fetcher: Fetcher
) -> None:
    base_url, root = site
    scan_all(base_url, fetcher)
    server = server_of(base_url)
    server.hits.clear()

    again = scan_all(base_url, fetcher)

    assert [run.new for run in again] == [0] * 5
    assert [run.updated for run in again] == [0] * 5
    assert [run.unchanged for run in again] == [3, 4, 3, 2, 2]
    # The feeds and the list answered 304; the pages behind them too.
    listing_outcomes = RawItem.objects.filter(scan__in=again, role="listing").values_list(
        "url", "outcome"
    )
    outcomes = dict(listing_outcomes)
    assert outcomes[f"{base_url}/anadolu-vakfi/feed.xml"] == RawOutcome.NOT_MODIFIED
    assert outcomes[f"{base_url}/kuzey-ege-ajansi/destekler/"] == RawOutcome.NOT_MODIFIED
    assert not RawItem.objects.filter(scan__in=again, outcome=RawOutcome.NEW).exists()
    pages = RawItem.objects.filter(scan__in=again, role="detail")
    assert set(pages.values_list("status_code", flat=True)) == {304}
    assert pages.count() == 10

    page = root / "anadolu-vakfi/2026/11/kucuk-hibe-programi-2027.html"
    page.write_text(
        page.read_text(encoding="utf-8").replace("15 Şubat 2027", "1 Mart 2027"), encoding="utf-8"
    )
    third = scan_all(base_url, fetcher)

    assert third[0].updated == 1
    assert third[0].unchanged == 2
    call = Opportunity.objects.get(title__startswith="2027 Küçük Hibe Programı")
    assert str(call.deadline_date) == "2027-03-01"
    change = OpportunityChange.objects.filter(opportunity=call).first()
    assert change is not None
    assert change.kind == ChangeKind.DEADLINE
    assert change.fields["deadline_date"] == ["2027-02-15", "2027-03-01"]
