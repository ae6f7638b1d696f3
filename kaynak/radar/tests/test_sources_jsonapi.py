"""A generic JSON API read through a per-source field mapping."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from pytest_django import Settings

from kaynak.radar.fetching import Fetcher, FetchRequest
from kaynak.radar.models import Source, SourceKind
from kaynak.radar.sources import SourceError, adapter_for, config_errors
from kaynak.radar.tests.fixtures.loopback import fixture, result_from, run_adapter, serving

adapter = adapter_for(SourceKind.JSON)
URL = "https://sivildusun.example/api/calls"
JSON = "application/json"
MAPPING = {
    "items": "data.calls",
    "fields": {
        "title": "name",
        "url": "links.self",
        "id": "code",
        "deadline": "closes",
        "summary": "description",
        "amount_min": "grant.min",
        "amount_max": "grant.max",
        "currency": "grant.currency",
    },
}


def api_source(url: str = URL, **config: Any) -> Source:
    return Source(kind=SourceKind.JSON, url=url, config=MAPPING | config, follow_links=False)


def answer(body: bytes | None = None) -> Any:
    return result_from(body or fixture("json_api_calls.json"), url=URL, content_type=JSON)


def test_mapped_fields_become_structured_values_in_the_extraction_shapes() -> None:
    first, second = adapter.parse_listing(api_source(), answer())

    assert first.title == "Sivil Düşün Destek Programı 2027"
    assert first.url == "https://sivildusun.example/calls/sdf-2027-01"
    assert first.item_key == "SDF-2027-01"
    assert first.fields == {
        "deadline": "2027-02-28T17:00",
        "amount_min": 5000,
        "amount_max": 20000,
        "currency": "EUR",
        "external_id": "SDF-2027-01",
    }
    assert first.body_kind == "html"
    assert "hareketlilik" in first.summary
    # Empty and zero amounts are unknown, not 0; an absent deadline is left to extraction.
    assert second.fields == {"external_id": "SDF-2027-02"}


def test_an_item_without_title_or_link_is_skipped() -> None:
    entries = adapter.parse_listing(api_source(), answer())

    assert [entry.item_key for entry in entries] == ["SDF-2027-01", "SDF-2027-02"]


def test_an_answer_that_is_not_json_is_a_source_error() -> None:
    with pytest.raises(SourceError, match="The answer is not JSON"):
        adapter.parse_listing(api_source(), answer(b"<html>maintenance</html>"))


def test_a_mapping_whose_list_path_is_absent_is_a_source_error_naming_it() -> None:
    with pytest.raises(SourceError, match=r'no list at "data\.items"'):
        adapter.parse_listing(api_source(items="data.items"), answer())


def test_a_mapping_that_matches_no_item_is_a_source_error() -> None:
    source = api_source(fields={"title": "heading", "url": "href"})

    with pytest.raises(SourceError, match="the mapping does not match the answer"):
        adapter.parse_listing(source, answer())


def test_a_top_level_list_is_read_with_an_empty_items_path() -> None:
    body = json.dumps([{"name": "Çağrı", "links": {"self": "/c/1"}}]).encode()

    (entry,) = adapter.parse_listing(api_source(items=""), answer(body))

    assert entry.url == "https://sivildusun.example/c/1"
    assert entry.item_key == entry.url


def test_a_post_api_sends_the_configured_body_as_json() -> None:
    (request,) = adapter.listing_requests(api_source(method="POST", body={"status": "open"}))

    assert request == FetchRequest(URL, method="POST", json={"status": "open"})


def test_config_errors_explain_a_bad_mapping() -> None:
    assert config_errors("json", MAPPING) == []
    errors = config_errors("json", {"items": 3, "fields": {"name": "title"}, "method": "PUT"})
    assert '"items" must be a dotted path such as "data.results".' in errors
    assert 'The field "title" must be mapped.' in errors
    assert 'The field "url" must be mapped.' in errors
    assert any(error.startswith('Unknown field "name"') for error in errors)
    assert '"method" must be GET or POST.' in errors
    assert config_errors("json", {}) == ['"fields" must map field names to dotted paths.']


@pytest.fixture
def fetcher(settings: Settings) -> Iterator[Fetcher]:
    settings.RADAR_ALLOW_LOOPBACK = True
    with Fetcher(host_delay=0, sleep=lambda seconds: None) as chosen:
        yield chosen


def test_a_json_api_on_loopback_gives_candidates_with_detail_pages(fetcher: Fetcher) -> None:
    with serving() as server:
        server.reply("/api/calls", fixture("json_api_calls.json"), method="POST", content_type=JSON)
        server.reply("/calls/sdf-2027-01", b"<html><body><p>Son tarih: 28 Subat</p></body></html>")
        source = api_source(f"{server.base_url}/api/calls", method="POST", body={"open": True})
        source.follow_links = True

        first, second = run_adapter(source, fetcher)
        sent = json.loads(server.seen[1].body)

    assert sent == {"open": True}
    assert first.body_kind == "html"
    assert "Son tarih" in str(first.body)
    assert first.fields["amount_max"] == 20000
    assert second.title == "Hızlı Destek"
