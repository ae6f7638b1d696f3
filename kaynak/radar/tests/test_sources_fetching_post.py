"""POST through the safe fetcher (search APIs): bodies, multipart part types, retries, redirects,
and the guards that still apply."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from pytest_django import Settings

from kaynak.radar.fetching import Fetcher, FetchFailure, FetchRequest, fetch, fetch_many
from kaynak.radar.tests.fixtures.loopback import LoopbackServer, Seen, serving

JSON = "application/json"


@pytest.fixture(scope="module")
def running_server() -> Iterator[LoopbackServer]:
    with serving() as server:
        yield server


@pytest.fixture
def server(running_server: LoopbackServer) -> LoopbackServer:
    running_server.routes.clear()
    running_server.seen.clear()
    return running_server


@pytest.fixture
def fetcher(settings: Settings) -> Iterator[Fetcher]:
    settings.RADAR_ALLOW_LOOPBACK = True
    sleeps: list[float] = []
    with Fetcher(host_delay=0, sleep=sleeps.append) as chosen:
        yield chosen


def posts(server: LoopbackServer) -> list[Seen]:
    return [seen for seen in server.seen if seen.method == "POST"]


def test_multipart_parts_are_sent_with_their_own_content_type(
    server: LoopbackServer, fetcher: Fetcher
) -> None:
    server.reply("/search", b"{}", method="POST", content_type=JSON)

    result = fetch(
        f"{server.base_url}/search?text=x",
        method="POST",
        files=[("query", None, b'{"bool": {}}', JSON), ("languages", None, b'["en"]', JSON)],
        fetcher=fetcher,
    )

    assert result.ok
    assert result.status == 200
    (seen,) = posts(server)
    assert seen.path == "/search?text=x"
    assert seen.headers["content-type"].startswith("multipart/form-data; boundary=")
    body = seen.body.decode()
    assert 'name="query"\r\nContent-Type: application/json\r\n\r\n{"bool": {}}' in body
    assert 'name="languages"\r\nContent-Type: application/json\r\n\r\n["en"]' in body
    assert "filename" not in body


def test_a_json_body_is_posted_as_json(server: LoopbackServer, fetcher: Fetcher) -> None:
    server.reply("/api/search2", b'{"data": {}}', method="POST", content_type=JSON)

    result = fetch(
        f"{server.base_url}/api/search2",
        method="POST",
        json={"keyword": "Türkiye"},
        fetcher=fetcher,
    )

    assert result.ok
    (seen,) = posts(server)
    assert seen.headers["content-type"] == JSON
    assert json.loads(seen.body) == {"keyword": "Türkiye"}


def test_form_data_is_posted_urlencoded(server: LoopbackServer, fetcher: Fetcher) -> None:
    server.reply("/form", b"ok", method="POST")

    fetch(f"{server.base_url}/form", method="POST", data={"q": "hibe"}, fetcher=fetcher)

    (seen,) = posts(server)
    assert seen.headers["content-type"] == "application/x-www-form-urlencoded"
    assert seen.body == b"q=hibe"


def test_conditional_headers_are_sent_with_get_only(
    server: LoopbackServer, fetcher: Fetcher
) -> None:
    server.reply("/search", b"{}", method="POST", content_type=JSON)

    fetch(
        f"{server.base_url}/search",
        method="POST",
        json={},
        etag='"abc"',
        last_modified="Mon, 02 Nov 2026 09:00:00 GMT",
        fetcher=fetcher,
    )

    (seen,) = posts(server)
    assert "if-none-match" not in seen.headers
    assert "if-modified-since" not in seen.headers


def test_a_search_post_is_retried_on_a_server_error(
    server: LoopbackServer, fetcher: Fetcher
) -> None:
    answers = iter([(503, {}, b"busy"), (200, {"Content-Type": JSON}, b'{"ok": true}')])
    server.route("/search", lambda seen: next(answers), method="POST")

    result = fetch(f"{server.base_url}/search", method="POST", json={"q": 1}, fetcher=fetcher)

    assert result.ok
    assert result.body == b'{"ok": true}'
    assert result.attempts == 2
    assert [json.loads(seen.body) for seen in posts(server)] == [{"q": 1}, {"q": 1}]


def test_a_303_after_a_post_is_followed_with_a_get_without_body(
    server: LoopbackServer, fetcher: Fetcher
) -> None:
    server.route("/search", lambda seen: (303, {"Location": "/results"}, b""), method="POST")
    server.reply("/results", b"[]", content_type=JSON)

    result = fetch(f"{server.base_url}/search", method="POST", json={"q": 1}, fetcher=fetcher)

    assert result.ok
    assert result.final_url.endswith("/results")
    assert [(seen.method, seen.path, seen.body) for seen in server.seen[-2:]] == [
        ("POST", "/search", b'{"q":1}'),
        ("GET", "/results", b""),
    ]


def test_a_307_after_a_post_keeps_the_method_and_the_body(
    server: LoopbackServer, fetcher: Fetcher
) -> None:
    server.route("/old", lambda seen: (307, {"Location": "/new"}, b""), method="POST")
    server.reply("/new", b"{}", method="POST", content_type=JSON)

    result = fetch(f"{server.base_url}/old", method="POST", json={"q": 2}, fetcher=fetcher)

    assert result.ok
    assert [(seen.path, seen.body) for seen in posts(server)] == [
        ("/old", b'{"q":2}'),
        ("/new", b'{"q":2}'),
    ]


def test_a_post_to_a_private_address_is_refused_before_anything_is_sent() -> None:
    with Fetcher(
        host_delay=0, respect_robots=False, resolver=lambda host, port: ["10.0.0.7"]
    ) as chosen:
        result = chosen.fetch("https://api.example.org/search", method="POST", json={"q": 1})

    assert result.error is FetchFailure.BLOCKED_ADDRESS


def test_robots_txt_also_governs_posts(server: LoopbackServer, fetcher: Fetcher) -> None:
    server.reply("/robots.txt", b"User-agent: *\nDisallow: /private", content_type="text/plain")
    server.reply("/private/search", b"{}", method="POST")

    result = fetch(f"{server.base_url}/private/search", method="POST", json={}, fetcher=fetcher)

    assert result.error is FetchFailure.ROBOTS
    assert posts(server) == []


def test_fetch_many_sends_each_request_with_its_own_method_and_body(
    server: LoopbackServer, fetcher: Fetcher
) -> None:
    server.route("/echo", lambda seen: (200, {"Content-Type": JSON}, seen.body), method="POST")
    server.reply("/page", b"page")

    results = fetch_many(
        [
            FetchRequest(f"{server.base_url}/echo", method="POST", json={"n": 1}),
            f"{server.base_url}/page",
            FetchRequest(f"{server.base_url}/echo", method="POST", json={"n": 2}),
        ],
        concurrency=2,
        fetcher=fetcher,
    )

    assert [result.body for result in results] == [b'{"n":1}', b"page", b'{"n":2}']


def test_an_unsupported_method_is_a_programming_error(fetcher: Fetcher) -> None:
    with pytest.raises(ValueError, match="DELETE"):
        fetcher.fetch("https://example.org/", method="DELETE")
