"""Scanning one source against files served on 127.0.0.1: every body kept before parsing, one bad
item never loses another, the report and the source's health, pages bounded, and re-extraction of
kept bodies without the network."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import pytest
from django.contrib.contenttypes.models import ContentType
from pypdf import PdfWriter

from kaynak.radar.candidates import Candidate
from kaynak.radar.demo_site import serve_demo_site, server_of
from kaynak.radar.fetching import Fetcher, FetchRequest, FetchResult
from kaynak.radar.models import (
    Opportunity,
    RawItem,
    RawOutcome,
    RawRole,
    ScanStatus,
    ScanTrigger,
    Source,
    SourceKind,
)
from kaynak.radar.scanning import reextract, scan_source, scan_sources
from kaynak.radar.services import RadarError
from kaynak.radar.sources import adapter_for
from kaynak.radar.sources.base import MAX_LISTING_PAGES, Listed
from kaynak.radar.tests.factories import SourceFactory

pytestmark = pytest.mark.django_db

PAGE = """<html><head><meta charset="utf-8"><title>{title}</title></head><body><main>
<h1>{title}</h1><p>Derneklere ve vakıflara hibe verilecektir.</p>
<p>Azami destek tutarı: {amount} TL</p><p>Son başvuru tarihi: {deadline}</p></main></body></html>
"""


def feed(base_url: str, *paths: str) -> str:
    items = "".join(
        f"<item><title>Çağrı {path}</title><link>{base_url}/{path}</link>"
        f"<guid isPermaLink='false'>{path}</guid><description>Çağrı {path}</description></item>"
        for path in paths
    )
    return (
        "<?xml version='1.0' encoding='UTF-8'?><rss version='2.0'><channel><title>Vakıf</title>"
        f"<link>{base_url}/</link><description>Hibeler</description>{items}</channel></rss>"
    )


def blank_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@dataclass
class Site:
    base_url: str
    root: Path

    def write(self, path: str, content: str | bytes) -> None:
        file = self.root / path
        file.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            file.write_text(content, encoding="utf-8")
        else:
            file.write_bytes(content)

    def page(self, path: str, *, title: str, deadline: str, amount: str = "100.000") -> None:
        self.write(path, PAGE.format(title=title, deadline=deadline, amount=amount))

    @property
    def hits(self) -> list[str]:
        return server_of(self.base_url).hits


@pytest.fixture
def site(tmp_path: Path, settings: Any) -> Iterator[Site]:
    settings.RADAR_ALLOW_LOOPBACK = True
    with serve_demo_site(tmp_path) as base_url:
        yield Site(base_url, tmp_path)


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(host_delay=0, retries=0, allow_loopback=True) as chosen:
        yield chosen


def rss_source(site: Site, **kwargs: Any) -> Source:
    values: dict[str, Any] = {"kind": SourceKind.RSS, "url": f"{site.base_url}/feed.xml"}
    return SourceFactory.create(**(values | kwargs))


class Exploding:
    """The RSS adapter, except that the entry at ``bad_url`` makes ``candidate`` raise."""

    kind: ClassVar[str] = "rss"
    accept_types: ClassVar[frozenset[str] | None] = None

    def __init__(self, bad_url: str) -> None:
        self.inner = adapter_for("rss")
        self.bad_url = bad_url

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def candidate(self, source: Source, listed: Listed, detail: FetchResult | None) -> Candidate:
        if listed.url == self.bad_url:
            raise ZeroDivisionError("a bug in an adapter")
        return self.inner.candidate(source, listed, detail)


def test_every_entry_is_kept_and_read_and_one_bad_entry_never_loses_another(
    site: Site, fetcher: Fetcher, caplog: pytest.LogCaptureFixture
) -> None:
    paths = ["ok-1.html", "missing.html", "scan.pdf", "bug.html", "ok-2.html"]
    site.write("feed.xml", feed(site.base_url, *paths))
    site.page("ok-1.html", title="Kadın Kooperatifleri Hibesi", deadline="10 Mart 2027")
    site.write("scan.pdf", blank_pdf())
    site.page("bug.html", title="Hatalı", deadline="1 Nisan 2027")
    site.page("ok-2.html", title="Gençlik Hibesi", deadline="20 Nisan 2027", amount="50.000")
    source = rss_source(site)

    with caplog.at_level(logging.ERROR, logger="kaynak.radar.scanning"):
        run = scan_source(
            source=source, fetcher=fetcher, adapter=Exploding(f"{site.base_url}/bug.html")
        )

    assert run.status == ScanStatus.FINISHED
    assert (run.new, run.updated, run.unchanged, run.failed) == (2, 0, 0, 3)
    report = {line["url"].rsplit("/", 1)[-1]: line for line in run.report}
    assert report["feed.xml"]["outcome"] == "listed"
    assert report["ok-1.html"]["outcome"] == "new"
    assert (
        report["ok-1.html"]["opportunity"] == Opportunity.objects.get(url__endswith="ok-1.html").pk
    )
    assert report["missing.html"] == {
        "url": f"{site.base_url}/missing.html",
        "outcome": "failed",
        "reason": "http error: 404",
        "opportunity": None,
    }
    assert report["scan.pdf"]["outcome"] == "no-text"
    assert "no text layer" in report["scan.pdf"]["reason"]
    assert report["bug.html"]["reason"] == "ZeroDivisionError: a bug in an adapter"
    assert report["ok-2.html"]["outcome"] == "new"
    assert "ZeroDivisionError" in caplog.text
    # Every fetch is kept, the failed one too, each with its outcome.
    kept = {raw.url.rsplit("/", 1)[-1]: raw for raw in RawItem.objects.filter(scan=run)}
    assert kept["feed.xml"].role == RawRole.LISTING
    assert kept["feed.xml"].outcome == RawOutcome.LISTED
    assert kept["missing.html"].status_code == 404
    assert kept["missing.html"].fetch_error == "http error"
    assert kept["missing.html"].outcome == RawOutcome.FAILED
    assert kept["scan.pdf"].outcome == RawOutcome.NO_TEXT
    assert bytes(kept["scan.pdf"].body).startswith(b"%PDF")
    assert kept["bug.html"].outcome == RawOutcome.FAILED
    assert kept["ok-2.html"].outcome == RawOutcome.NEW
    assert kept["ok-2.html"].opportunity is not None
    assert str(kept["ok-2.html"].opportunity.deadline_date) == "2027-04-20"
    source.refresh_from_db()
    assert source.consecutive_failures == 0
    assert source.last_success_at == run.finished_at


def test_a_source_whose_list_cannot_be_read_is_flagged_after_three_scans_and_healed_by_one(
    site: Site, fetcher: Fetcher
) -> None:
    site.write("feed.xml", "<html><body>Bakım çalışması</body></html>")
    source = rss_source(site)

    runs = [scan_source(source=source, fetcher=fetcher) for _ in range(3)]

    assert [run.status for run in runs] == [ScanStatus.FAILED] * 3
    assert runs[0].report[0]["outcome"] == "failed"
    assert "not an RSS or Atom feed" in runs[0].report[0]["reason"]
    source.refresh_from_db()
    assert source.consecutive_failures == 3
    assert source.flagged
    assert "not an RSS or Atom feed" in source.last_error
    assert source.last_success_at is None
    finished = runs[-1].finished_at
    assert finished is not None
    assert source.next_scan_at == source.next_run_after(finished)
    # The body that could not be read is kept as it came.
    raw = RawItem.objects.filter(scan=runs[0]).get()
    assert bytes(raw.body) == "<html><body>Bakım çalışması</body></html>".encode()
    assert raw.outcome == RawOutcome.FAILED

    site.write("feed.xml", feed(site.base_url, "ok.html"))
    site.page("ok.html", title="Hibe", deadline="5 Mayıs 2027")
    healed = scan_source(source=source, fetcher=fetcher)

    assert healed.status == ScanStatus.FINISHED
    source.refresh_from_db()
    assert (source.consecutive_failures, source.flagged, source.last_error) == (0, False, "")
    assert source.last_success_at == healed.finished_at


def test_an_unreachable_list_fails_the_scan_with_the_fetch_reason(fetcher: Fetcher) -> None:
    source = SourceFactory.create(url="http://10.0.0.1/feed.xml")

    run = scan_source(source=source, fetcher=fetcher)

    assert run.status == ScanStatus.FAILED
    assert run.report[0]["reason"].startswith("blocked address")
    raw = RawItem.objects.get(scan=run)
    assert (raw.fetch_error, raw.outcome) == ("blocked address", RawOutcome.FAILED)
    source.refresh_from_db()
    assert source.consecutive_failures == 1


def test_settings_the_adapter_refuses_fail_the_scan_before_any_fetch(
    site: Site, fetcher: Fetcher
) -> None:
    source = SourceFactory.create(kind=SourceKind.HTML, url=f"{site.base_url}/list.html", config={})

    run = scan_source(source=source, fetcher=fetcher)

    assert run.status == ScanStatus.FAILED
    assert '"item" (a CSS selector) is required.' in run.error
    assert site.hits == []


class Endless:
    """An HTML list whose "next page" never ends."""

    kind: ClassVar[str] = "html"
    accept_types: ClassVar[frozenset[str] | None] = None

    def listing_requests(self, source: Source) -> list[FetchRequest]:
        return [FetchRequest(f"{source.url}?page=1")]

    def next_request(self, source: Source, result: FetchResult) -> FetchRequest | None:
        page = int(result.url.rsplit("=", 1)[-1])
        return FetchRequest(f"{source.url}?page={page + 1}")

    def parse_listing(self, source: Source, result: FetchResult) -> list[Listed]:
        return []

    def detail_request(self, source: Source, listed: Listed) -> FetchRequest | None:
        return None

    def candidate(self, source: Source, listed: Listed, detail: FetchResult | None) -> Candidate:
        raise AssertionError("no entries")

    def config_errors(self, config: dict[str, Any]) -> list[str]:
        return []


def test_a_list_that_never_ends_is_read_no_further_than_the_page_limit(
    site: Site, fetcher: Fetcher
) -> None:
    site.write("list.html", "<html><body>liste</body></html>")
    source = SourceFactory.create(kind=SourceKind.HTML, url=f"{site.base_url}/list.html")

    run = scan_source(source=source, fetcher=fetcher, adapter=Endless())

    assert run.status == ScanStatus.FINISHED
    assert RawItem.objects.filter(scan=run, role=RawRole.LISTING).count() == MAX_LISTING_PAGES


def test_entries_carried_whole_by_the_feed_are_kept_as_records_and_compared_by_their_hash(
    site: Site, fetcher: Fetcher
) -> None:
    site.write(
        "feed.xml",
        feed(site.base_url, "a", "b").replace(
            "<description>Çağrı a</description>",
            "<description>Derneklere hibe. Son başvuru tarihi: 3 Haziran 2027</description>",
        ),
    )
    source = rss_source(site, follow_links=False)

    first = scan_source(source=source, fetcher=fetcher)
    records = RawItem.objects.filter(scan=first, role=RawRole.RECORD)

    assert first.new == 2
    assert records.count() == 2
    assert not any("/a" in hit and "feed" not in hit for hit in site.hits)
    call = Opportunity.objects.get(url=f"{site.base_url}/a")
    assert str(call.deadline_date) == "2027-06-03"

    # The feed changed (another entry), its first two entries did not.
    site.write(
        "feed.xml",
        feed(site.base_url, "a", "b", "c").replace(
            "<description>Çağrı a</description>",
            "<description>Derneklere hibe. Son başvuru tarihi: 3 Haziran 2027</description>",
        ),
    )
    second = scan_source(source=source, fetcher=fetcher)

    assert (second.new, second.unchanged) == (1, 2)


def test_a_disabled_source_is_scanned_when_asked_directly(site: Site, fetcher: Fetcher) -> None:
    site.write("feed.xml", feed(site.base_url))
    source = rss_source(site, enabled=False)

    run = scan_source(source=source, trigger=ScanTrigger.EDITOR, fetcher=fetcher)

    assert run.status == ScanStatus.FINISHED
    assert run.trigger == ScanTrigger.EDITOR


def test_the_manual_source_is_never_scanned() -> None:
    source = SourceFactory.create(kind=SourceKind.MANUAL, url="")

    with pytest.raises(RadarError):
        scan_source(source=source)


class NoNetwork(Fetcher):
    def fetch_request(self, *args: Any, **kwargs: Any) -> FetchResult:
        raise AssertionError("re-extraction must not fetch")

    def fetch(self, *args: Any, **kwargs: Any) -> FetchResult:
        raise AssertionError("re-extraction must not fetch")


def test_reextract_reads_kept_bodies_again_with_a_better_parser_and_no_network(
    site: Site, fetcher: Fetcher, monkeypatch: pytest.MonkeyPatch
) -> None:
    site.write("feed.xml", feed(site.base_url, "p.html", "q.html"))
    site.page("p.html", title="Kırsal Kalkınma Hibesi", deadline="8 Temmuz 2027")
    site.page("q.html", title="Kültür Sanat Hibesi", deadline="9 Temmuz 2027")
    source = rss_source(site)
    scan_source(source=source, fetcher=fetcher)
    scan_source(source=source, fetcher=fetcher)  # unchanged: a second body per page
    site.root.joinpath("p.html").unlink()  # the network is not asked again anyway
    monkeypatch.setattr("kaynak.radar.fetching._default_fetcher", NoNetwork())

    # A "better parser": this time the adapter also reads the amount in euros.
    rss = adapter_for("rss")
    original = rss.candidate

    def better(source: Source, listed: Listed, detail: FetchResult | None) -> Candidate:
        found = original(source, listed, detail)
        found.fields["currency"] = "EUR"
        return found

    monkeypatch.setattr(rss, "candidate", better)
    lines: list[Any] = []
    counts = reextract(source=source, progress=lines.append)

    assert counts == {"new": 0, "updated": 2, "unchanged": 0, "failed": 0}
    assert sorted(line.url.rsplit("/", 1)[-1] for line in lines) == ["p.html", "q.html"]
    assert set(Opportunity.objects.values_list("currency", flat=True)) == {"EUR"}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_several_sources_are_scanned_at_once_each_with_its_own_report(
    site: Site, fetcher: Fetcher
) -> None:
    # Threads see committed rows only, hence a transactional test; an earlier one's flush may
    # have removed content types this process still has cached (the audit log needs them).
    ContentType.objects.clear_cache()
    sources = []
    for number in range(4):
        site.write(f"{number}/feed.xml", feed(site.base_url, f"{number}/a.html"))
        site.page(f"{number}/a.html", title=f"Hibe programı {number}", deadline="1 Ekim 2027")
        sources.append(SourceFactory.create(url=f"{site.base_url}/{number}/feed.xml"))
    seen: list[Any] = []

    runs = scan_sources(sources, fetcher=fetcher, concurrency=3, progress=seen.append)

    assert [run.source_id for run in runs] == [source.pk for source in sources]
    assert [(run.status, run.new) for run in runs] == [(ScanStatus.FINISHED, 1)] * 4
    assert Opportunity.objects.count() == 4
    assert sorted(line.source for line in seen if line.outcome == "new") == sorted(
        source.pk for source in sources
    )
