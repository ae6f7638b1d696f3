"""RSS and Atom feeds: entries become listed calls; a body that is not a feed is a clear error."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from pytest_django import Settings

from kaynak.radar.fetching import Fetcher, FetchRequest
from kaynak.radar.models import Source, SourceKind
from kaynak.radar.sources import SourceError, adapter_for
from kaynak.radar.tests.fixtures.loopback import fixture, result_from, run_adapter, serving

RSS = "application/rss+xml; charset=UTF-8"
adapter = adapter_for(SourceKind.RSS)


def feed_source(url: str = "https://ornekvakfi.org.tr/feed/", **extra: object) -> Source:
    return Source(kind=SourceKind.RSS, url=url, config={}, **extra)


def test_wordpress_feed_entries_are_listed_with_link_title_guid_date_and_content() -> None:
    result = result_from(
        fixture("feed_wordpress.xml"), url="https://ornekvakfi.org.tr/feed/", content_type=RSS
    )

    first, second = adapter.parse_listing(feed_source(), result)

    assert first.url == "https://ornekvakfi.org.tr/2026/11/yerel-esitlik-hibe-programi-2027/"
    assert first.title == "Yerel Eşitlik Hibe Programı 2027 Başvuruları Başladı"
    assert first.item_key == "https://ornekvakfi.org.tr/?p=4182"
    assert first.published == "2026-11-02T09:12:44Z"
    assert first.body_kind == "html"
    assert "Son Başvuru Tarihi:</strong> 15 Ocak 2027" in str(first.body)
    assert first.summary.startswith("Toplumsal cinsiyet eşitliği alanında")
    assert "<p>" not in first.summary
    # Without content:encoded the description is the entry's text.
    assert "yıl boyunca açıktır" in str(second.body)


def test_atom_links_are_resolved_against_the_feed_address_and_html_titles_are_flattened() -> None:
    result = result_from(
        fixture("feed_atom.xml"),
        url="https://embassy.example/grants/feed.atom",
        content_type="application/atom+xml",
    )

    (entry,) = adapter.parse_listing(
        feed_source("https://embassy.example/grants/feed.atom"), result
    )

    assert entry.url == "https://embassy.example/grants/human-rights-2027"
    assert entry.title == "Human Rights Small Grants 2027"
    assert entry.item_key == "tag:embassy.example,2026:grants/hr-2027"


@pytest.mark.parametrize(
    "body",
    [
        fixture("feed_not_xml.html"),
        b"",
        b"\x00\x01binary",
        b'{"items": []}',
    ],
    ids=["html page", "empty", "binary", "json"],
)
def test_a_body_that_is_not_a_feed_is_a_source_error_not_a_crash(body: bytes) -> None:
    with pytest.raises(SourceError, match="not an RSS or Atom feed"):
        adapter.parse_listing(feed_source(), result_from(body, content_type=RSS))


def test_a_valid_feed_without_entries_lists_nothing() -> None:
    body = b'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title></channel></rss>'
    assert adapter.parse_listing(feed_source(), result_from(body, content_type=RSS)) == []


def test_each_entry_page_is_fetched_only_when_the_source_follows_links() -> None:
    (entry, _other) = adapter.parse_listing(
        feed_source(), result_from(fixture("feed_wordpress.xml"), content_type=RSS)
    )

    assert adapter.detail_request(feed_source(follow_links=True), entry) == FetchRequest(entry.url)
    assert adapter.detail_request(feed_source(follow_links=False), entry) is None


def test_without_a_detail_page_the_candidate_reads_the_feed_content() -> None:
    (entry, _other) = adapter.parse_listing(
        feed_source(), result_from(fixture("feed_wordpress.xml"), content_type=RSS)
    )

    candidate = adapter.candidate(feed_source(follow_links=False), entry, None)

    assert candidate.url == entry.url
    assert candidate.title == entry.title
    assert candidate.body_kind == "html"
    assert "150.000 TL" in str(candidate.body)
    assert candidate.item_key == "https://ornekvakfi.org.tr/?p=4182"
    assert candidate.summary


@pytest.fixture
def fetcher(settings: Settings) -> Iterator[Fetcher]:
    settings.RADAR_ALLOW_LOOPBACK = True
    with Fetcher(host_delay=0, sleep=lambda seconds: None) as chosen:
        yield chosen


def test_a_feed_served_on_loopback_is_read_with_each_entry_page(fetcher: Fetcher) -> None:
    with serving() as server:
        feed = fixture("feed_wordpress.xml").replace(
            b"https://ornekvakfi.org.tr/", f"{server.base_url}/".encode()
        )
        server.reply("/feed/", feed, content_type=RSS)
        server.reply(
            "/2026/11/yerel-esitlik-hibe-programi-2027/",
            "<html><body><p>Son başvuru: 20 Ocak 2027</p></body></html>".encode(),
        )
        source = feed_source(f"{server.base_url}/feed/", follow_links=True)

        first, second = run_adapter(source, fetcher)

    assert first.body_kind == "html"
    assert "20 Ocak 2027" in str(first.body)
    # The second entry's page is missing (404): the candidate falls back to the feed's text.
    assert "yıl boyunca açıktır" in str(second.body)
    assert second.title == "Gençlik Fonu: Küçük Hibeler"
