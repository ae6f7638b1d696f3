"""Safe fetching against a real HTTP server on 127.0.0.1, and the SSRF guard on its own."""

from __future__ import annotations

import contextlib
import hashlib
import ipaddress
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from pytest_django import Settings

from kaynak.radar.fetching import (
    Fetcher,
    FetchFailure,
    FetchRequest,
    fetch,
    fetch_many,
    is_blocked_address,
    parse_retry_after,
    resolve_public_addresses,
)

# 0.0.0.0, spelled so the linter does not take it for a server binding to every interface.
UNSPECIFIED = str(ipaddress.IPv4Address(0))

type Reply = tuple[int, dict[str, str], bytes]
type Route = Callable[["Handler"], Reply]


@dataclass
class FakeClock:
    """Monotonic time that only moves when someone sleeps: tests never wait."""

    now: float = 1000.0
    sleeps: list[float] = field(default_factory=list)

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


class Handler(BaseHTTPRequestHandler):
    server: FixtureServer

    def do_GET(self) -> None:
        self.server.hits.append(self.path)
        route = self.server.routes.get(self.path)
        status, headers, body = route(self) if route else (404, {}, b"not found")
        self.send_response(status)
        for name, value in headers.items():
            if value:  # an empty value means "leave this header out"
                self.send_header(name, value)
        if "Content-Length" not in headers and status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if status != 304:
            # The client may stop reading, as it should past its size limit.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class FixtureServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.routes: dict[str, Route] = {}
        self.hits: list[str] = []

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def reply(
        self, path: str, status: int = 200, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> None:
        self.routes[path] = lambda handler: (status, headers or {}, body)


@pytest.fixture(scope="module")
def running_server() -> Iterator[FixtureServer]:
    # One server per module: shutting one down costs half a second of serve_forever's polling.
    fixture = FixtureServer()
    thread = threading.Thread(target=fixture.serve_forever, daemon=True)
    thread.start()
    yield fixture
    fixture.shutdown()
    fixture.server_close()
    thread.join()


@pytest.fixture
def server(running_server: FixtureServer) -> FixtureServer:
    running_server.routes.clear()
    running_server.hits.clear()
    return running_server


@pytest.fixture
def loopback_allowed(settings: Settings) -> None:
    settings.RADAR_ALLOW_LOOPBACK = True


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def fetcher(clock: FakeClock, loopback_allowed: None) -> Iterator[Fetcher]:
    with Fetcher(clock=clock, sleep=clock.sleep, host_delay=0, backoff=1.0) as chosen:
        yield chosen


HTML = {"Content-Type": "text/html; charset=utf-8"}


def test_a_page_is_fetched_with_status_headers_body_and_hash(
    server: FixtureServer, fetcher: Fetcher
) -> None:
    server.reply("/calls", body=b"<h1>Hibe</h1>", headers=HTML)
    before = datetime.now(UTC)

    result = fetch(f"{server.base_url}/calls", fetcher=fetcher)

    assert result.ok
    assert result.status == 200
    assert result.body == b"<h1>Hibe</h1>"
    assert result.sha256 == hashlib.sha256(b"<h1>Hibe</h1>").hexdigest()
    assert result.content_type == "text/html"
    assert result.final_url == f"{server.base_url}/calls"
    assert before <= result.fetched_at <= datetime.now(UTC)


def test_the_request_names_the_radar_as_user_agent(server: FixtureServer, fetcher: Fetcher) -> None:
    seen: list[str] = []

    def remember(handler: Handler) -> Reply:
        seen.append(handler.headers["User-Agent"])
        return 200, {}, b"ok"

    server.routes["/ua"] = remember
    fetch(f"{server.base_url}/ua", fetcher=fetcher)

    assert seen == [fetcher.user_agent]


def etag_route(handler: Handler) -> Reply:
    if handler.headers.get("If-None-Match") == '"v2"':
        return 304, {"ETag": '"v2"'}, b""
    return 200, {"ETag": '"v2"'}, b"feed"


def test_a_matching_etag_gives_not_modified(server: FixtureServer, fetcher: Fetcher) -> None:
    server.routes["/feed"] = etag_route

    first = fetch(f"{server.base_url}/feed", fetcher=fetcher)
    again = fetch(f"{server.base_url}/feed", etag=first.headers["etag"], fetcher=fetcher)
    stale = fetch(f"{server.base_url}/feed", etag='"v1"', fetcher=fetcher)

    assert (first.status, first.not_modified, first.body) == (200, False, b"feed")
    assert (again.status, again.not_modified, again.ok, again.body) == (304, True, True, b"")
    assert (stale.status, stale.not_modified) == (200, False)


def test_an_unchanged_last_modified_gives_not_modified(
    server: FixtureServer, fetcher: Fetcher
) -> None:
    stamp = "Mon, 23 Nov 2026 06:00:00 GMT"

    def route(handler: Handler) -> Reply:
        if handler.headers.get("If-Modified-Since") == stamp:
            return 304, {}, b""
        return 200, {"Last-Modified": stamp}, b"page"

    server.routes["/page"] = route

    first = fetch(f"{server.base_url}/page", fetcher=fetcher)
    again = fetch(
        f"{server.base_url}/page", last_modified=first.headers["last-modified"], fetcher=fetcher
    )

    assert first.body == b"page"
    assert again.not_modified


def test_redirects_are_followed_to_the_final_url(server: FixtureServer, fetcher: Fetcher) -> None:
    server.reply("/old", 301, headers={"Location": "/middle"})
    server.reply("/middle", 302, headers={"Location": f"{server.base_url}/new"})
    server.reply("/new", body=b"here")

    result = fetch(f"{server.base_url}/old", fetcher=fetcher)

    assert result.ok
    assert result.body == b"here"
    assert result.url == f"{server.base_url}/old"
    assert result.final_url == f"{server.base_url}/new"


@pytest.mark.parametrize(
    "target",
    [
        "http://10.0.0.5/admin",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[fd00:ec2::254]/",
        "http://[::ffff:10.0.0.1]/",
        f"http://{UNSPECIFIED}/",
    ],
)
def test_a_redirect_to_a_private_or_metadata_address_is_refused(
    server: FixtureServer, fetcher: Fetcher, target: str
) -> None:
    server.reply("/go", 302, headers={"Location": target})

    result = fetch(f"{server.base_url}/go", fetcher=fetcher)

    assert result.error == FetchFailure.BLOCKED_ADDRESS
    assert result.final_url == target
    assert result.body == b""


def test_a_redirect_loop_stops_after_five_redirects(
    server: FixtureServer, fetcher: Fetcher
) -> None:
    server.reply("/a", 302, headers={"Location": "/b"})
    server.reply("/b", 302, headers={"Location": "/a"})

    result = fetch(f"{server.base_url}/a", fetcher=fetcher)

    assert result.error == FetchFailure.TOO_MANY_REDIRECTS
    assert server.hits.count("/a") + server.hits.count("/b") == 6


def test_a_streamed_body_over_the_limit_is_stopped(server: FixtureServer, clock: FakeClock) -> None:
    def huge(handler: Handler) -> Reply:
        # No Content-Length the client could check first: it must count while reading.
        handler.close_connection = True
        return 200, {"Content-Length": ""}, b"x" * 2_000_000

    server.routes["/huge"] = huge
    with Fetcher(clock=clock, sleep=clock.sleep, max_bytes=64_000, allow_loopback=True) as small:
        result = fetch(f"{server.base_url}/huge", fetcher=small)

    assert result.error == FetchFailure.TOO_LARGE
    assert str(result.error) == "too large"
    assert result.body == b""


def test_a_declared_length_over_the_limit_is_refused_before_reading(
    server: FixtureServer, clock: FakeClock
) -> None:
    server.reply("/big", body=b"y" * 10_000)
    with Fetcher(clock=clock, sleep=clock.sleep, max_bytes=1_000, allow_loopback=True) as small:
        result = fetch(f"{server.base_url}/big", fetcher=small)

    assert result.error == FetchFailure.TOO_LARGE
    assert "10000" in result.error_detail


def test_a_body_at_the_limit_is_kept(server: FixtureServer, clock: FakeClock) -> None:
    server.reply("/exact", body=b"z" * 1_000)
    with Fetcher(clock=clock, sleep=clock.sleep, max_bytes=1_000, allow_loopback=True) as small:
        result = fetch(f"{server.base_url}/exact", fetcher=small)

    assert result.ok
    assert len(result.body) == 1_000


def test_a_content_type_that_is_not_accepted_is_refused(
    server: FixtureServer, fetcher: Fetcher
) -> None:
    server.reply("/doc", body=b"%PDF-1.7", headers={"Content-Type": "application/pdf"})
    server.reply(
        "/feed", body=b"<rss/>", headers={"Content-Type": "application/rss+xml; charset=utf-8"}
    )

    refused = fetch(f"{server.base_url}/doc", accept_types={"text/html"}, fetcher=fetcher)
    accepted = fetch(
        f"{server.base_url}/feed", accept_types={"text/*", "application/rss+xml"}, fetcher=fetcher
    )

    assert refused.error == FetchFailure.CONTENT_TYPE
    assert refused.error_detail == "application/pdf"
    assert refused.body == b""
    assert accepted.ok
    assert accepted.body == b"<rss/>"


def test_a_server_error_is_retried_with_backoff(
    server: FixtureServer, fetcher: Fetcher, clock: FakeClock
) -> None:
    replies: Iterator[Reply] = iter([(503, {}, b"busy"), (503, {}, b"busy"), (200, {}, b"ok")])
    server.routes["/flaky"] = lambda handler: next(replies)

    result = fetch(f"{server.base_url}/flaky", fetcher=fetcher)

    assert result.ok
    assert result.body == b"ok"
    assert result.attempts == 3
    assert clock.sleeps == [1.0, 2.0]


def test_too_many_requests_waits_as_retry_after_says(
    server: FixtureServer, fetcher: Fetcher, clock: FakeClock
) -> None:
    replies: Iterator[Reply] = iter([(429, {"Retry-After": "0"}, b"slow down"), (200, {}, b"ok")])
    server.routes["/limited"] = lambda handler: next(replies)

    result = fetch(f"{server.base_url}/limited", fetcher=fetcher)

    assert result.ok
    assert clock.sleeps == [0.0]


def test_a_long_retry_after_is_capped(server: FixtureServer, clock: FakeClock) -> None:
    replies: Iterator[Reply] = iter([(503, {"Retry-After": "86400"}, b""), (200, {}, b"ok")])
    server.routes["/later"] = lambda handler: next(replies)
    with Fetcher(
        clock=clock, sleep=clock.sleep, host_delay=0, max_retry_after=30, allow_loopback=True
    ) as capped:
        result = fetch(f"{server.base_url}/later", fetcher=capped)

    assert result.ok
    assert clock.sleeps == [30]


def test_a_server_that_keeps_failing_is_reported_after_the_retries(
    server: FixtureServer, fetcher: Fetcher, clock: FakeClock
) -> None:
    server.reply("/down", 503, body=b"down")

    result = fetch(f"{server.base_url}/down", fetcher=fetcher)

    assert result.error == FetchFailure.HTTP_STATUS
    assert result.status == 503
    assert result.attempts == 4
    assert clock.sleeps == [1.0, 2.0, 4.0]


def test_a_client_error_is_not_retried(server: FixtureServer, fetcher: Fetcher) -> None:
    result = fetch(f"{server.base_url}/missing", fetcher=fetcher)

    assert result.error == FetchFailure.HTTP_STATUS
    assert result.status == 404
    assert server.hits.count("/missing") == 1


def test_robots_txt_is_obeyed_and_read_once_per_host(
    server: FixtureServer, fetcher: Fetcher
) -> None:
    server.reply("/robots.txt", body=b"User-agent: *\nDisallow: /private/\n")
    server.reply("/private/list", body=b"secret")
    server.reply("/calls", body=b"open")

    refused = fetch(f"{server.base_url}/private/list", fetcher=fetcher)
    allowed = fetch(f"{server.base_url}/calls", fetcher=fetcher)
    fetch(f"{server.base_url}/calls", fetcher=fetcher)

    assert refused.error == FetchFailure.ROBOTS
    assert allowed.ok
    assert "/private/list" not in server.hits
    assert server.hits.count("/robots.txt") == 1


def test_a_missing_robots_txt_allows_everything(server: FixtureServer, fetcher: Fetcher) -> None:
    server.reply("/calls", body=b"open")

    assert fetch(f"{server.base_url}/calls", fetcher=fetcher).ok


def test_a_redirected_robots_txt_is_followed(server: FixtureServer, fetcher: Fetcher) -> None:
    server.reply("/robots.txt", 301, headers={"Location": "/static/robots.txt"})
    server.reply("/static/robots.txt", body=b"User-agent: *\nDisallow: /drafts/\n")

    result = fetch(f"{server.base_url}/drafts/1", fetcher=fetcher)

    assert result.error == FetchFailure.ROBOTS


def test_a_robots_txt_behind_a_login_disallows_everything(
    server: FixtureServer, fetcher: Fetcher
) -> None:
    server.reply("/robots.txt", 403)
    server.reply("/calls", body=b"open")

    assert fetch(f"{server.base_url}/calls", fetcher=fetcher).error == FetchFailure.ROBOTS
    assert "/calls" not in server.hits


def test_an_unreachable_robots_txt_disallows_everything_for_a_while(
    server: FixtureServer, fetcher: Fetcher, clock: FakeClock
) -> None:
    server.reply("/robots.txt", 503)
    server.reply("/calls", body=b"open")

    refused = fetch(f"{server.base_url}/calls", fetcher=fetcher)
    server.reply("/robots.txt", 404)
    still_refused = fetch(f"{server.base_url}/calls", fetcher=fetcher)
    clock.now += 11 * 60
    allowed = fetch(f"{server.base_url}/calls", fetcher=fetcher)

    assert refused.error == FetchFailure.ROBOTS
    assert refused.error_detail == "robots.txt unreachable"
    assert still_refused.error == FetchFailure.ROBOTS
    assert allowed.ok
    assert server.hits.count("/calls") == 1


def test_requests_to_one_host_are_spaced_by_the_host_delay(
    server: FixtureServer, clock: FakeClock, loopback_allowed: None
) -> None:
    server.reply("/a", body=b"a")
    with Fetcher(clock=clock, sleep=clock.sleep, host_delay=2.5, respect_robots=False) as polite:
        for _ in range(3):
            fetch(f"{server.base_url}/a", fetcher=polite)

    assert clock.sleeps == [2.5, 2.5]


def test_no_delay_is_added_when_the_host_was_left_alone_long_enough(
    server: FixtureServer, clock: FakeClock, loopback_allowed: None
) -> None:
    server.reply("/a", body=b"a")
    with Fetcher(clock=clock, sleep=clock.sleep, host_delay=2.5, respect_robots=False) as polite:
        fetch(f"{server.base_url}/a", fetcher=polite)
        clock.now += 10
        fetch(f"{server.base_url}/a", fetcher=polite)

    assert clock.sleeps == []


def test_fetch_many_keeps_order_and_never_exceeds_the_concurrency(
    server: FixtureServer, fetcher: Fetcher
) -> None:
    in_flight = 0
    most = 0
    lock = threading.Lock()
    # Two requests must meet here: proves two run at once; the counter proves never three.
    pair = threading.Barrier(2, timeout=10)

    def slow(handler: Handler) -> Reply:
        nonlocal in_flight, most
        with lock:
            in_flight += 1
            most = max(most, in_flight)
        pair.wait()
        with lock:
            in_flight -= 1
        return 200, {}, handler.path.encode()

    paths = [f"/item/{number}" for number in range(6)]
    for path in paths:
        server.routes[path] = slow

    results = fetch_many(
        [f"{server.base_url}{path}" for path in paths], concurrency=2, fetcher=fetcher
    )

    assert [result.body for result in results] == [path.encode() for path in paths]
    assert most == 2


def test_fetch_many_sends_each_urls_own_validators(server: FixtureServer, fetcher: Fetcher) -> None:
    server.routes["/feed"] = etag_route
    server.reply("/other", body=b"other")

    unchanged, fresh, plain = fetch_many(
        [
            FetchRequest(f"{server.base_url}/feed", etag='"v2"'),
            FetchRequest(f"{server.base_url}/feed", etag='"v1"'),
            f"{server.base_url}/other",
        ],
        concurrency=3,
        fetcher=fetcher,
    )

    assert unchanged.not_modified
    assert fresh.body == b"feed"
    assert plain.body == b"other"


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.org/calls",
        "gopher://example.org/",
        "javascript:alert(1)",
    ],
)
def test_schemes_other_than_http_and_https_are_refused(fetcher: Fetcher, url: str) -> None:
    result = fetch(url, fetcher=fetcher)

    assert result.error == FetchFailure.BAD_SCHEME


def test_a_redirect_to_another_scheme_is_refused(server: FixtureServer, fetcher: Fetcher) -> None:
    server.reply("/go", 302, headers={"Location": "file:///etc/passwd"})

    assert fetch(f"{server.base_url}/go", fetcher=fetcher).error == FetchFailure.BAD_SCHEME


def test_loopback_is_refused_unless_the_setting_allows_it(
    server: FixtureServer, settings: Settings, clock: FakeClock
) -> None:
    settings.RADAR_ALLOW_LOOPBACK = False
    server.reply("/calls", body=b"open")
    with Fetcher(clock=clock, sleep=clock.sleep) as guarded:
        result = fetch(f"{server.base_url}/calls", fetcher=guarded)

    assert result.error == FetchFailure.BLOCKED_ADDRESS
    assert server.hits == []


# --- the guard on its own ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "10.1.2.3",
        "172.16.0.1",
        "172.31.255.255",
        "192.168.0.10",
        "127.0.0.1",
        "127.8.9.10",
        "::1",
        "fe80::1",
        "fc00::1",
        "169.254.169.254",
        "169.254.10.10",
        "fd00:ec2::254",
        "::ffff:127.0.0.1",
        "::ffff:10.0.0.1",
        "::ffff:169.254.169.254",
        UNSPECIFIED,
        "::",
        "224.0.0.1",
        "ff02::1",
        "240.0.0.1",
        "100.64.0.1",
        "2002:7f00:1::",
    ],
)
def test_the_guard_refuses_non_public_addresses(address: str) -> None:
    assert is_blocked_address(address)


@pytest.mark.parametrize(
    "address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8"]
)
def test_the_guard_lets_public_addresses_through(address: str) -> None:
    assert not is_blocked_address(address)


@pytest.mark.parametrize("address", ["127.0.0.1", "::1", "::ffff:127.0.0.1"])
def test_the_loopback_allowance_opens_loopback_only(address: str) -> None:
    assert not is_blocked_address(address, allow_loopback=True)


@pytest.mark.parametrize("address", ["10.0.0.1", "169.254.169.254", "fd00:ec2::254", UNSPECIFIED])
def test_the_loopback_allowance_keeps_everything_else_closed(address: str) -> None:
    assert is_blocked_address(address, allow_loopback=True)


def fake_getaddrinfo(answers: dict[str, list[str]]) -> Callable[..., list[Any]]:
    def resolve(host: str, port: int, *args: Any, **kwargs: Any) -> list[Any]:
        if host not in answers:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")
        return [
            (
                socket.AF_INET6 if ":" in ip else socket.AF_INET,
                socket.SOCK_STREAM,
                6,
                "",
                (ip, port),
            )
            for ip in answers[host]
        ]

    return resolve


@pytest.mark.parametrize(
    "answers",
    [
        ["10.0.0.7"],
        ["127.0.0.1"],
        ["::1"],
        ["fe80::1"],
        ["169.254.169.254"],
        ["::ffff:127.0.0.1"],
        [UNSPECIFIED],
    ],
)
def test_a_host_name_resolving_to_a_blocked_address_is_refused(
    monkeypatch: pytest.MonkeyPatch, clock: FakeClock, answers: list[str]
) -> None:
    monkeypatch.setattr(socket, "getaddrinfo", fake_getaddrinfo({"funder.example": answers}))
    with Fetcher(clock=clock, sleep=clock.sleep, allow_loopback=False) as guarded:
        result = fetch("http://funder.example/calls", fetcher=guarded)

    assert result.error == FetchFailure.BLOCKED_ADDRESS


def test_a_host_name_with_one_private_answer_among_public_ones_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(
        socket, "getaddrinfo", fake_getaddrinfo({"mixed.example": ["93.184.216.34", "10.0.0.1"]})
    )

    with pytest.raises(Exception, match=r"10\.0\.0\.1"):
        resolve_public_addresses("mixed.example", 80, allow_loopback=False)


def test_an_unknown_host_is_reported_not_raised(
    monkeypatch: pytest.MonkeyPatch, clock: FakeClock
) -> None:
    monkeypatch.setattr(socket, "getaddrinfo", fake_getaddrinfo({}))
    with Fetcher(clock=clock, sleep=clock.sleep) as guarded:
        result = fetch("https://nowhere.example/", fetcher=guarded)

    assert result.error == FetchFailure.DNS


def public_fetcher(
    clock: FakeClock, handler: Callable[[httpx.Request], httpx.Response], answers: list[list[str]]
) -> Fetcher:
    """A fetcher whose DNS gives ``answers`` in turn and whose network is ``handler``."""
    replies = iter(answers)
    return Fetcher(
        clock=clock,
        sleep=clock.sleep,
        allow_loopback=False,
        respect_robots=False,
        host_delay=0,
        resolver=lambda host, port: next(replies),
        transport=httpx.MockTransport(handler),
    )


def test_the_connection_goes_to_the_checked_address_with_the_original_host(
    clock: FakeClock,
) -> None:
    seen: list[httpx.Request] = []

    def network(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, content=b"ok")

    with public_fetcher(clock, network, [["93.184.216.34"]]) as pinned:
        result = fetch("https://funder.example:8443/calls?page=2", fetcher=pinned)

    assert result.ok
    assert result.final_url == "https://funder.example:8443/calls?page=2"
    (request,) = seen
    assert str(request.url) == "https://93.184.216.34:8443/calls?page=2"
    assert request.headers["Host"] == "funder.example:8443"
    assert request.extensions["sni_hostname"] == "funder.example"


def test_a_rebinding_answer_on_the_next_hop_is_refused(clock: FakeClock) -> None:
    seen: list[str] = []

    def network(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(302, headers={"Location": "/second"})

    # Same name, second answer private: the second hop is checked again and never sent.
    with public_fetcher(clock, network, [["93.184.216.34"], ["10.0.0.1"]]) as pinned:
        result = fetch("http://funder.example/first", fetcher=pinned)

    assert result.error == FetchFailure.BLOCKED_ADDRESS
    assert seen == ["http://93.184.216.34/first"]


def test_a_redirect_from_a_public_host_to_loopback_is_refused(clock: FakeClock) -> None:
    seen: list[str] = []

    def network(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(302, headers={"Location": "http://127.0.0.1:8000/admin/"})

    with public_fetcher(clock, network, [["93.184.216.34"], ["127.0.0.1"]]) as pinned:
        result = fetch("http://funder.example/", fetcher=pinned)

    assert result.error == FetchFailure.BLOCKED_ADDRESS
    assert result.final_url == "http://127.0.0.1:8000/admin/"
    assert seen == ["http://93.184.216.34/"]


def test_when_one_checked_address_refuses_the_next_is_tried(clock: FakeClock) -> None:
    seen: list[str] = []

    def network(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.host)
        if request.url.host == "2606:4700::1111":
            raise httpx.ConnectError("Network is unreachable", request=request)
        return httpx.Response(200, content=b"ok")

    with public_fetcher(clock, network, [["2606:4700::1111", "93.184.216.34"]]) as pinned:
        result = fetch("http://funder.example/", fetcher=pinned)

    assert result.ok
    assert result.attempts == 1
    assert seen == ["2606:4700::1111", "93.184.216.34"]


def test_every_answer_is_checked_before_any_is_tried(clock: FakeClock) -> None:
    seen: list[str] = []

    def network(request: httpx.Request) -> httpx.Response:
        seen.append(request.url.host)
        return httpx.Response(200, content=b"ok")

    with public_fetcher(clock, network, [["93.184.216.34", "169.254.169.254"]]) as pinned:
        result = fetch("http://funder.example/", fetcher=pinned)

    assert result.error == FetchFailure.BLOCKED_ADDRESS
    assert seen == []


def test_a_malformed_url_is_reported_not_raised(fetcher: Fetcher) -> None:
    assert fetch("http://exa mple.org:99999/", fetcher=fetcher).error == FetchFailure.BAD_URL


def test_a_connection_timeout_is_retried_then_reported(clock: FakeClock) -> None:
    def network(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectTimeout("timed out", request=request)

    with public_fetcher(clock, network, [["93.184.216.34"]] * 4) as pinned:
        result = fetch("http://funder.example/", fetcher=pinned)

    assert result.error == FetchFailure.TIMEOUT
    assert result.attempts == 4
    assert clock.sleeps == [1.0, 2.0, 4.0]


def test_a_refused_connection_is_reported_as_a_connection_error(clock: FakeClock) -> None:
    def network(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    with public_fetcher(clock, network, [["93.184.216.34"]] * 4) as pinned:
        result = fetch("http://funder.example/", fetcher=pinned)

    assert result.error == FetchFailure.CONNECTION


def test_retry_after_may_be_an_http_date() -> None:
    now = datetime(2026, 11, 23, 6, 0, tzinfo=UTC)

    assert parse_retry_after("Mon, 23 Nov 2026 06:00:30 GMT", now=now) == 30
    assert parse_retry_after("120", now=now) == 120
    assert parse_retry_after("soon", now=now) is None
    assert parse_retry_after(None) is None
