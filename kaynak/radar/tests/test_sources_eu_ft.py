"""The EU Funding & Tenders search API: multipart JSON parts, one record per language grouped by
reference, several cut-offs, pagination by totalResults."""

from __future__ import annotations

import json
from collections.abc import Iterator
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from pytest_django import Settings

from kaynak.radar.fetching import Fetcher, FetchRequest
from kaynak.radar.models import Source, SourceKind
from kaynak.radar.sources import SourceError, adapter_for, config_errors
from kaynak.radar.sources.eu_ft import DEFAULT_QUERY, SEARCH_URL
from kaynak.radar.tests.fixtures.loopback import (
    LoopbackServer,
    fixture,
    result_from,
    run_adapter,
    serving,
)

adapter = adapter_for(SourceKind.EU_FT)
JSON = "application/json"
TOPIC = "https://ec.europa.eu/info/funding-tenders/opportunities/portal/screen/opportunities"


def eu_source(url: str = SEARCH_URL, language: str = "", **config: Any) -> Source:
    return Source(
        kind=SourceKind.EU_FT,
        url=url,
        language=language,
        config={"text": "civil society", "page_size": 3} | config,
    )


def page(number: int) -> Any:
    url = f"{SEARCH_URL}?apiKey=SEDIA&text=civil+society&pageSize=3&pageNumber={number}"
    return result_from(fixture(f"eu_ft_search_page{number}.json"), url=url, content_type=JSON)


def test_the_search_is_a_post_whose_parts_are_json_with_their_content_type() -> None:
    source = eu_source(languages=["en", "tr"])

    (request,) = adapter.listing_requests(source)

    assert request.method == "POST"
    query = parse_qs(urlsplit(request.url).query)
    assert query == {
        "apiKey": ["SEDIA"],
        "text": ["civil society"],
        "pageSize": ["3"],
        "pageNumber": ["1"],
    }
    parts = {
        name: (filename, json.loads(content), kind)
        for name, filename, content, kind in request.files
    }
    assert parts == {
        "query": (None, DEFAULT_QUERY, "application/json"),
        "languages": (None, ["en", "tr"], "application/json"),
        "sort": (None, {"field": "sortStatus", "order": "ASC"}, "application/json"),
    }


def test_records_in_several_languages_become_one_call_in_english_by_default() -> None:
    litigation, dialogue = adapter.parse_listing(eu_source(), page(1))

    assert litigation.item_key == "CERV-2027-CHAR-LITI"
    assert litigation.title == (
        "Promoting the Charter of Fundamental Rights through strategic litigation"
    )
    assert litigation.url == f"{TOPIC}/topic-details/cerv-2027-char-liti"
    assert "civil society organisations" in str(litigation.body)
    assert litigation.fields == {
        "external_id": "CERV-2027-CHAR-LITI",
        "funder_name": "European Commission",
        "deadline": "2027-03-04T17:00",
        "deadline_kind": "fixed",
        "deadline_timezone": "Europe/Brussels",
        "amount_min": 75000,
        "amount_max": 400000,
        "currency": "EUR",
        "language": "en",
    }
    assert dialogue.item_key == "CERV-2027-CITIZENS-CIV"


def test_the_earliest_cut_off_is_the_deadline_and_the_others_are_kept() -> None:
    _litigation, dialogue = adapter.parse_listing(eu_source(), page(1))

    assert dialogue.fields["deadline"] == "2027-02-11T17:00"
    assert dialogue.fields["other_deadlines"] == [{"date": "2027-09-14T17:00", "label": "cut-off"}]
    # No budget in the record: the grant size is unknown, left to extraction.
    assert "amount_max" not in dialogue.fields
    assert "currency" not in dialogue.fields


def test_the_record_in_the_sources_language_is_preferred() -> None:
    (cascade,) = adapter.parse_listing(eu_source(language="tr"), page(2))

    assert cascade.title == "Aktif Yurttaşlar Fonu: yerel STK'lar için küçük hibeler"
    assert cascade.fields["language"] == "tr"
    assert cascade.url == f"{TOPIC}/competitive-calls-cs/CS-2026-ACTIVE-CITIZENS-TR"
    assert "deadline" not in cascade.fields


def test_pages_are_asked_until_total_results_are_read() -> None:
    following = adapter.next_request(eu_source(), page(1))

    assert following is not None
    assert parse_qs(urlsplit(following.url).query)["pageNumber"] == ["2"]
    assert adapter.next_request(eu_source(), page(2)) is None
    assert adapter.next_request(eu_source(max_pages=1), page(1)) is None


def test_the_topic_api_record_is_the_whole_call() -> None:
    (litigation, _dialogue) = adapter.parse_listing(eu_source(), page(1))

    assert adapter.detail_request(eu_source(), litigation) is None
    candidate = adapter.candidate(eu_source(), litigation, None)
    assert candidate.body_kind == "html"
    assert candidate.fields["amount_max"] == 400000


def test_an_answer_without_results_is_a_source_error() -> None:
    with pytest.raises(SourceError, match='no list at "results"'):
        adapter.parse_listing(eu_source(), result_from(b'{"message": "Forbidden"}'))


def test_config_errors_explain_bad_settings() -> None:
    assert config_errors("eu-ft", {}) == []
    errors = config_errors("eu-ft", {"query": "civil", "languages": "en", "page_size": 0})
    assert '"query" must be a JSON object (the portal\'s search query).' in errors
    assert '"languages" must be a list of language codes such as ["en"].' in errors
    assert '"page_size" must be a whole number from 1 to 100.' in errors


def multipart_parts(body: bytes, content_type: str) -> dict[str, tuple[str, str]]:
    message = BytesParser(policy=HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body
    )
    return {
        str(part.get_param("name", header="content-disposition")): (
            part.get_content_type(),
            bytes(part.get_payload(decode=True)).decode(),
        )
        for part in message.iter_parts()
    }


@pytest.fixture
def fetcher(settings: Settings) -> Iterator[Fetcher]:
    settings.RADAR_ALLOW_LOOPBACK = True
    with Fetcher(host_delay=0, sleep=lambda seconds: None) as chosen:
        yield chosen


def portal(server: LoopbackServer) -> None:
    """A portal that, like the real one, ignores a query part not sent as application/json."""

    def answer(seen: Any) -> tuple[int, dict[str, str], bytes]:
        parts = multipart_parts(seen.body, seen.headers["content-type"])
        if parts["query"][0] != "application/json":
            return 200, {"Content-Type": JSON}, b'{"totalResults": 9999, "results": []}'
        number = parse_qs(urlsplit(seen.path).query)["pageNumber"][0]
        return 200, {"Content-Type": JSON}, fixture(f"eu_ft_search_page{number}.json")

    server.route("/search-api/prod/rest/search", answer, method="POST")


def test_the_portal_on_loopback_receives_json_parts_and_gives_every_call_once(
    fetcher: Fetcher,
) -> None:
    with serving() as server:
        portal(server)
        source = eu_source(f"{server.base_url}/search-api/prod/rest/search")

        candidates = run_adapter(source, fetcher)
        sent = [seen for seen in server.seen if seen.method == "POST"]

    assert [candidate.item_key for candidate in candidates] == [
        "CERV-2027-CHAR-LITI",
        "CERV-2027-CITIZENS-CIV",
        "CS-2026-ACTIVE-CITIZENS-TR",
    ]
    # Two pages, however many attempts a busy machine needed.
    assert {parse_qs(urlsplit(seen.path).query)["pageNumber"][0] for seen in sent} == {"1", "2"}
    parts = multipart_parts(sent[0].body, sent[0].headers["content-type"])
    assert {name: kind for name, (kind, _text) in parts.items()} == {
        "query": "application/json",
        "languages": "application/json",
        "sort": "application/json",
    }
    assert json.loads(parts["query"][1]) == DEFAULT_QUERY


def test_a_request_without_the_part_content_type_would_be_ignored_by_the_portal(
    fetcher: Fetcher,
) -> None:
    with serving() as server:
        portal(server)
        (request,) = adapter.listing_requests(
            eu_source(f"{server.base_url}/search-api/prod/rest/search")
        )
        untyped = FetchRequest(
            request.url,
            method="POST",
            files=tuple(
                (name, None, content, "text/plain") for name, _f, content, _k in request.files
            ),
        )

        result = fetcher.fetch_request(untyped)

    # The fixture portal, like the real one, answers with everything: the filter was lost.
    assert json.loads(result.body)["totalResults"] == 9999
