"""Safe fetching for the radar: one guarded, polite HTTP request and a bounded pool of them.

GET for pages and feeds; POST (form ``data``, multipart ``files`` whose parts carry their own
content type, or ``json``) for search APIs such as the EU Funding & Tenders portal and Grants.gov.

Pure: no models, no database. Every outcome, good or bad, is a ``FetchResult``; nothing here raises
for a bad page, so a scan never loses an item to an exception.

The SSRF guard resolves the host itself, refuses any non-public address, and then *connects to
the address it checked*: the request goes to ``http(s)://<checked ip>:<port>/...`` with the
original ``Host`` header and, for HTTPS, the original name as SNI (httpcore's ``sni_hostname``
extension), so the certificate is still verified against the host name. A second DNS answer
(rebinding) between the check and the connection is never asked for. Redirects are followed here,
hop by hop, through the same guard. Keep-alive is off so a TLS connection verified for one host
name is never reused for another host on the same address, and ``trust_env`` is off so a proxy
from the environment cannot route around the pinning.
"""

from __future__ import annotations

import dataclasses
import email.utils
import enum
import hashlib
import ipaddress
import socket
import ssl
import threading
import time
import urllib.robotparser
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx
from django.conf import settings

DEFAULT_USER_AGENT = "KaynakRadar/1.0 (+https://kaynak.example/radar)"
DEFAULT_MAX_BYTES = 10 * 1024 * 1024
MAX_REDIRECTS = 5
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
ROBOTS_CACHE_SECONDS = 24 * 60 * 60
ROBOTS_FAILURE_CACHE_SECONDS = 10 * 60

# Cloud metadata endpoints; both are already non-global, listed so the intent survives any change to
# the ``ipaddress`` module's tables.
METADATA_ADDRESSES = frozenset(
    {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}
)

type Address = ipaddress.IPv4Address | ipaddress.IPv6Address
type Resolver = Callable[[str, int], list[str]]
# One multipart part: (field name, file name or None, content, content type).
type Part = tuple[str, str | None, bytes, str]


class FetchFailure(enum.StrEnum):
    """Why a fetch gave no usable body; the value is what a scan report shows."""

    BAD_URL = "bad url"
    BAD_SCHEME = "scheme not allowed"
    DNS = "host not found"
    BLOCKED_ADDRESS = "blocked address"
    ROBOTS = "disallowed by robots.txt"
    TOO_MANY_REDIRECTS = "too many redirects"
    TOO_LARGE = "too large"
    CONTENT_TYPE = "content type not accepted"
    TIMEOUT = "timeout"
    CONNECTION = "connection error"
    HTTP_STATUS = "http error"


# Failures about where a URL points rather than what its server says.
ADDRESS_FAILURES = frozenset(
    {FetchFailure.BAD_URL, FetchFailure.BAD_SCHEME, FetchFailure.DNS, FetchFailure.BLOCKED_ADDRESS}
)


@dataclass(frozen=True)
class FetchResult:
    """One fetch: what was asked, where it ended, and either a body or the reason there is none."""

    url: str
    final_url: str
    status: int | None
    headers: Mapping[str, str]
    body: bytes
    sha256: str
    fetched_at: datetime
    not_modified: bool = False
    error: FetchFailure | None = None
    error_detail: str = ""
    attempts: int = 1

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def content_type(self) -> str:
        return media_type(self.headers.get("content-type", ""))


class BlockedAddress(Exception):
    """The host resolves to an address the guard refuses."""


def media_type(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def allow_loopback_setting() -> bool:
    # Read at call time so ``override_settings`` in tests takes effect.
    return bool(getattr(settings, "RADAR_ALLOW_LOOPBACK", False))


def is_blocked_address(address: str | Address, *, allow_loopback: bool = False) -> bool:
    """Whether the guard refuses ``address``: anything not globally routable, and metadata IPs."""
    ip = ipaddress.ip_address(address) if isinstance(address, str) else address
    if isinstance(ip, ipaddress.IPv6Address):
        # ::ffff:127.0.0.1 reaches 127.0.0.1; judge the IPv4 address it carries.
        mapped = ip.ipv4_mapped or ip.sixtofour
        if mapped is not None:
            ip = mapped
    if ip in METADATA_ADDRESSES:
        return True
    if ip.is_loopback:
        return not allow_loopback
    return (
        ip.is_private
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or not ip.is_global
    )


def system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def resolve_public_addresses(
    host: str, port: int, *, allow_loopback: bool, resolver: Resolver | None = None
) -> list[str]:
    """The addresses to connect to, in the resolver's order, after checking every one.

    Refuses the host if *any* answer is blocked: a name mixing a public and a private address is
    exactly what a rebinding attacker would publish.
    """
    answers = (resolver or system_resolver)(host.strip("[]"), port)
    # getaddrinfo may append a zone to IPv6 link-local answers ("fe80::1%eth0").
    addresses = list(dict.fromkeys(answer.split("%", 1)[0] for answer in answers))
    if not addresses:
        raise OSError("no address")
    for address in addresses:
        if is_blocked_address(address, allow_loopback=allow_loopback):
            raise BlockedAddress(address)
    return addresses


@dataclass
class _HostState:
    next_slot: float = 0.0
    robots: urllib.robotparser.RobotFileParser | None = None
    robots_expires: float = 0.0
    robots_readable: bool = True
    lock: threading.Lock = field(default_factory=threading.Lock)


class Fetcher:
    """Fetches URLs safely and politely, keeping per-host state (delay slots, robots.txt).

    ``clock`` (monotonic seconds) and ``sleep`` are injectable so tests never wait; ``transport``
    and ``resolver`` likewise, for tests of the guard without a network.
    """

    def __init__(
        self,
        *,
        user_agent: str = DEFAULT_USER_AGENT,
        timeout: float = 15.0,
        total_timeout: float = 60.0,
        max_bytes: int = DEFAULT_MAX_BYTES,
        retries: int = 3,
        backoff: float = 1.0,
        max_retry_after: float = 60.0,
        host_delay: float = 2.0,
        respect_robots: bool = True,
        allow_loopback: bool | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        resolver: Resolver | None = None,
        transport: httpx.BaseTransport | None = None,
        verify: ssl.SSLContext | bool = True,
    ) -> None:
        self.user_agent = user_agent
        self.total_timeout = total_timeout
        self.max_bytes = max_bytes
        self.retries = retries
        self.backoff = backoff
        self.max_retry_after = max_retry_after
        self.host_delay = host_delay
        self.respect_robots = respect_robots
        self._allow_loopback = allow_loopback
        self.clock = clock
        self.sleep = sleep
        self.resolver = resolver
        self._hosts: dict[str, _HostState] = {}
        self._hosts_lock = threading.Lock()
        self.client = httpx.Client(
            timeout=httpx.Timeout(timeout),
            follow_redirects=False,
            trust_env=False,
            limits=httpx.Limits(max_keepalive_connections=0),
            transport=transport,
            verify=verify,
        )

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def allow_loopback(self) -> bool:
        if self._allow_loopback is not None:
            return self._allow_loopback
        return allow_loopback_setting()

    def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept_types: Collection[str] | None = None,
        method: str = "GET",
        data: Mapping[str, str] | None = None,
        files: Sequence[Part] = (),
        json: Any = None,
    ) -> FetchResult:
        """Request ``url`` through the guard, following up to five redirects, with retries.

        ``method`` is GET (the default) or POST with a body: form ``data``, multipart ``files``
        (each part sent with its own content type) or ``json``. Conditional requests are
        GET-only: ``etag``/``last_modified`` are ignored for POST, whose answer depends on the
        body, not only on the URL.

        POSTs are retried like GETs (timeouts, connection errors, 429, 5xx): the radar only
        POSTs search queries, which change nothing on the server, so sending one twice is safe.
        """
        method = method.upper()
        if method not in {"GET", "POST"}:
            raise ValueError(f"method {method} is not supported")
        headers = {}
        if method == "GET":
            if etag:
                headers["If-None-Match"] = etag
            if last_modified:
                headers["If-Modified-Since"] = last_modified
        body = _Body(method=method, data=data, files=tuple(files), json=json)
        return self._follow(
            url,
            headers=headers,
            accept_types=accept_types,
            check_robots=self.respect_robots,
            body=body,
        )

    def fetch_request(
        self, request: FetchRequest, *, accept_types: Collection[str] | None = None
    ) -> FetchResult:
        """``fetch`` for a ``FetchRequest`` (what source adapters ask for)."""
        return self.fetch(
            request.url,
            etag=request.etag,
            last_modified=request.last_modified,
            accept_types=accept_types,
            method=request.method,
            data=request.data,
            files=request.files,
            json=request.json,
        )

    def _follow(
        self,
        url: str,
        *,
        headers: Mapping[str, str],
        accept_types: Collection[str] | None,
        check_robots: bool,
        body: _Body | None = None,
    ) -> FetchResult:
        current = url
        attempts = 0
        body = body or _GET
        for _hop in range(MAX_REDIRECTS + 1):
            refusal = self._check_url(current, original=url)
            if refusal is not None:
                return refusal
            if check_robots:
                refusal = self._robots_refusal(url, current)
                if refusal is not None:
                    return refusal
            result, location, used = self._get_with_retries(
                url,
                current,
                headers={"User-Agent": self.user_agent, **headers},
                accept_types=accept_types,
                body=body,
            )
            attempts += used
            if location is None:
                return _with_attempts(result, attempts)
            current = location
            # 301/302/303 turn a POST into a GET without a body, as browsers do; 307/308 keep
            # the method and the body.
            if body.method != "GET" and result.status in {301, 302, 303}:
                body = _GET
        return self._failure(url, current, FetchFailure.TOO_MANY_REDIRECTS, f"> {MAX_REDIRECTS}")

    def _check_url(self, current: str, *, original: str) -> FetchResult | None:
        try:
            parts = urlsplit(current)
            _ = parts.port  # raises ValueError on a bad port
        except ValueError as exc:
            return self._failure(original, current, FetchFailure.BAD_URL, str(exc))
        if parts.scheme not in {"http", "https"}:
            return self._failure(original, current, FetchFailure.BAD_SCHEME, parts.scheme)
        if not parts.hostname:
            return self._failure(original, current, FetchFailure.BAD_URL, "no host")
        return None

    def _pinned_requests(
        self, current: str, headers: dict[str, str], body: _Body
    ) -> list[httpx.Request]:
        """One request per checked address of ``current``'s host; raises BlockedAddress/OSError."""
        parts = urlsplit(current)
        host = parts.hostname or ""
        port = parts.port or (443 if parts.scheme == "https" else 80)
        addresses = resolve_public_addresses(
            host, port, allow_loopback=self.allow_loopback, resolver=self.resolver
        )
        logical = httpx.URL(current)
        host_header = logical.netloc.decode("ascii")
        extensions = {"sni_hostname": host} if parts.scheme == "https" else {}
        return [
            self.client.build_request(
                body.method,
                logical.copy_with(host=address),
                headers={**headers, "Host": host_header},
                extensions=extensions,
                data=dict(body.data) if body.data is not None else None,
                files=[
                    (name, (filename, content, kind))
                    for name, filename, content, kind in body.files
                ]
                or None,
                json=body.json,
            )
            for address in addresses
        ]

    def _send_to_first_reachable(
        self,
        original: str,
        current: str,
        requests: list[httpx.Request],
        accept_types: Collection[str] | None,
    ) -> tuple[FetchResult, str | None, float | None]:
        # A host with an IPv6 answer first is common; where IPv6 has no route, the connection is
        # refused at once and the next checked address is tried, as a browser would.
        for request in requests[:-1]:
            try:
                return self._send(original, current, request, accept_types)
            except httpx.ConnectError:
                continue
        return self._send(original, current, requests[-1], accept_types)

    def _get_with_retries(
        self,
        original: str,
        current: str,
        *,
        headers: dict[str, str],
        accept_types: Collection[str] | None,
        body: _Body,
    ) -> tuple[FetchResult, str | None, int]:
        """One hop: the result, the next URL when it is a redirect, and the attempts used."""
        attempt = 0
        while True:
            attempt += 1
            self._wait_for_host(current)
            retry_after: float | None = None
            try:
                requests = self._pinned_requests(current, headers, body)
            except BlockedAddress as exc:
                return (
                    self._failure(original, current, FetchFailure.BLOCKED_ADDRESS, str(exc)),
                    None,
                    attempt,
                )
            except httpx.InvalidURL as exc:
                return (
                    self._failure(original, current, FetchFailure.BAD_URL, str(exc)),
                    None,
                    attempt,
                )
            except (OSError, UnicodeError) as exc:
                # Name resolution failures are not retried: the answer will not change in seconds.
                return self._failure(original, current, FetchFailure.DNS, str(exc)), None, attempt
            try:
                result, location, retry_after = self._send_to_first_reachable(
                    original, current, requests, accept_types
                )
            except httpx.TimeoutException as exc:
                result = self._failure(
                    original, current, FetchFailure.TIMEOUT, str(exc) or "timeout"
                )
                location = None
            except httpx.TransportError as exc:
                result = self._failure(
                    original, current, FetchFailure.CONNECTION, str(exc) or type(exc).__name__
                )
                location = None
            retryable = result.error in {FetchFailure.TIMEOUT, FetchFailure.CONNECTION} or (
                result.status in RETRY_STATUSES
            )
            if not retryable or attempt > self.retries:
                return result, location, attempt
            delay = self.backoff * 2 ** (attempt - 1)
            if retry_after is not None:
                delay = retry_after
            self.sleep(min(delay, self.max_retry_after))

    def _send(
        self,
        original: str,
        current: str,
        request: httpx.Request,
        accept_types: Collection[str] | None,
    ) -> tuple[FetchResult, str | None, float | None]:
        started = self.clock()
        response = self.client.send(request, stream=True)
        try:
            headers = {key.lower(): value for key, value in response.headers.items()}
            status = response.status_code
            if status in REDIRECT_STATUSES and "location" in headers:
                return (
                    self._result(original, current, status, headers),
                    urljoin(current, headers["location"]),
                    None,
                )
            if status == 304:
                return (
                    self._result(original, current, status, headers, not_modified=True),
                    None,
                    None,
                )
            if status >= 400:
                retry_after = parse_retry_after(headers.get("retry-after"))
                result = self._result(
                    original,
                    current,
                    status,
                    headers,
                    error=FetchFailure.HTTP_STATUS,
                    detail=str(status),
                )
                return result, None, retry_after
            if accept_types is not None and not _accepted(
                headers.get("content-type", ""), accept_types
            ):
                result = self._result(
                    original,
                    current,
                    status,
                    headers,
                    error=FetchFailure.CONTENT_TYPE,
                    detail=headers.get("content-type", ""),
                )
                return result, None, None
            declared = headers.get("content-length", "")
            if declared.isdigit() and int(declared) > self.max_bytes:
                result = self._result(
                    original,
                    current,
                    status,
                    headers,
                    error=FetchFailure.TOO_LARGE,
                    detail=f"{declared} bytes declared",
                )
                return result, None, None
            chunks: list[bytes] = []
            size = 0
            # iter_bytes yields *decoded* bytes, so a small gzip bomb is stopped at the limit too.
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > self.max_bytes:
                    result = self._result(
                        original,
                        current,
                        status,
                        headers,
                        error=FetchFailure.TOO_LARGE,
                        detail=f"more than {self.max_bytes} bytes",
                    )
                    return result, None, None
                if self.clock() - started > self.total_timeout:
                    raise httpx.ReadTimeout("total time exceeded", request=request)
                chunks.append(chunk)
            return (
                self._result(original, current, status, headers, body=b"".join(chunks)),
                None,
                None,
            )
        finally:
            response.close()

    def _result(
        self,
        original: str,
        current: str,
        status: int | None,
        headers: Mapping[str, str],
        *,
        body: bytes = b"",
        not_modified: bool = False,
        error: FetchFailure | None = None,
        detail: str = "",
    ) -> FetchResult:
        return FetchResult(
            url=original,
            final_url=current,
            status=status,
            headers=dict(headers),
            body=body,
            sha256=hashlib.sha256(body).hexdigest(),
            fetched_at=datetime.now(UTC),
            not_modified=not_modified,
            error=error,
            error_detail=detail,
        )

    def _failure(
        self, original: str, current: str, reason: FetchFailure, detail: str
    ) -> FetchResult:
        return self._result(original, current, None, {}, error=reason, detail=detail)

    def _host_state(self, url: str) -> _HostState:
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc.lower()}"
        with self._hosts_lock:
            return self._hosts.setdefault(key, _HostState())

    def _wait_for_host(self, url: str) -> None:
        """Take the next request slot for this host and sleep until it comes.

        Slots are reserved under a lock, then slept outside it, so concurrent workers aimed at one
        host queue up ``host_delay`` apart instead of all waking at once.
        """
        state = self._host_state(url)
        with state.lock:
            now = self.clock()
            slot = max(now, state.next_slot)
            state.next_slot = slot + self.host_delay
        if slot > now:
            self.sleep(slot - now)

    def _robots_refusal(self, original: str, url: str) -> FetchResult | None:
        """A ROBOTS failure if robots.txt (cached per scheme and host) forbids ``url``."""
        state = self._host_state(url)
        with state.lock:
            cached = state.robots_expires > self.clock()
            parser, readable = state.robots, state.robots_readable
        if not cached or parser is None:
            parser, readable, keep_for = self._load_robots(url)
            with state.lock:
                state.robots, state.robots_readable = parser, readable
                state.robots_expires = self.clock() + keep_for
        if not readable:
            return self._failure(original, url, FetchFailure.ROBOTS, "robots.txt unreachable")
        if not parser.can_fetch(self.user_agent, url):
            return self._failure(original, url, FetchFailure.ROBOTS, url)
        return None

    def _load_robots(self, url: str) -> tuple[urllib.robotparser.RobotFileParser, bool, float]:
        """robots.txt read as RFC 9309 says, whether it could be read, and how long to keep it.

        Found: obeyed. Missing (4xx): everything allowed, except 401/403, which urllib's own reader
        takes as "disallow all" and so do we. Unreachable (5xx after retries, network errors, a
        redirect loop): RFC 9309 says assume complete disallow; remembered only briefly. A host the
        guard refuses or DNS cannot find is not a robots.txt question: the page fetch reports it.
        """
        parts = urlsplit(url)
        robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
        parser = urllib.robotparser.RobotFileParser(robots_url)
        result = self._follow(robots_url, headers={}, accept_types=None, check_robots=False)
        if result.error in ADDRESS_FAILURES:
            parser.parse([])
            return parser, True, 0.0
        if result.ok and result.status == 200:
            parser.parse(result.body.decode("utf-8", errors="replace").splitlines())
        elif result.status in {401, 403}:
            parser.parse(["User-agent: *", "Disallow: /"])
        elif result.status is not None and 400 <= result.status < 500:
            parser.parse([])
        else:
            parser.parse(["User-agent: *", "Disallow: /"])
            return parser, False, ROBOTS_FAILURE_CACHE_SECONDS
        return parser, True, ROBOTS_CACHE_SECONDS


def _with_attempts(result: FetchResult, attempts: int) -> FetchResult:
    return dataclasses.replace(result, attempts=attempts)


def _accepted(content_type: str, accept_types: Collection[str]) -> bool:
    kind = media_type(content_type)
    for accepted in accept_types:
        accepted = accepted.lower()
        if accepted == kind or (accepted.endswith("/*") and kind.startswith(accepted[:-1])):
            return True
    return False


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (seconds or an HTTP date); None if absent/bad."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


_default_fetcher: Fetcher | None = None
_default_lock = threading.Lock()


def default_fetcher() -> Fetcher:
    """The process-wide fetcher, so politeness and the robots.txt cache span a whole scan."""
    global _default_fetcher
    with _default_lock:
        if _default_fetcher is None:
            _default_fetcher = Fetcher()
        return _default_fetcher


def fetch(
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    accept_types: Collection[str] | None = None,
    fetcher: Fetcher | None = None,
    method: str = "GET",
    data: Mapping[str, str] | None = None,
    files: Sequence[Part] = (),
    json: Any = None,
) -> FetchResult:
    """Fetch one URL safely; see ``Fetcher.fetch``."""
    return (fetcher or default_fetcher()).fetch(
        url,
        etag=etag,
        last_modified=last_modified,
        accept_types=accept_types,
        method=method,
        data=data,
        files=files,
        json=json,
    )


@dataclass(frozen=True)
class FetchRequest:
    """What to fetch: a URL with the validators saved from its last fetch (GET), or a POST with
    its body (form ``data``, multipart ``files`` parts, or ``json``), for ``fetch_many`` and the
    source adapters."""

    url: str
    etag: str | None = None
    last_modified: str | None = None
    method: str = "GET"
    data: Mapping[str, str] | None = field(default=None, hash=False, compare=True)
    files: tuple[Part, ...] = ()
    json: Any = field(default=None, hash=False, compare=True)


@dataclass(frozen=True)
class _Body:
    method: str = "GET"
    data: Mapping[str, str] | None = None
    files: tuple[Part, ...] = ()
    json: Any = None


_GET = _Body()


def fetch_request(
    request: FetchRequest,
    *,
    accept_types: Collection[str] | None = None,
    fetcher: Fetcher | None = None,
) -> FetchResult:
    """Fetch one ``FetchRequest`` safely; see ``Fetcher.fetch``."""
    return (fetcher or default_fetcher()).fetch_request(request, accept_types=accept_types)


def fetch_many(
    urls: Iterable[str | FetchRequest],
    *,
    concurrency: int = 8,
    accept_types: Collection[str] | None = None,
    fetcher: Fetcher | None = None,
) -> list[FetchResult]:
    """Fetch many URLs with at most ``concurrency`` at once; results in the order of ``urls``."""
    chosen = fetcher or default_fetcher()

    def one(item: str | FetchRequest) -> FetchResult:
        request = FetchRequest(item) if isinstance(item, str) else item
        return chosen.fetch_request(request, accept_types=accept_types)

    with ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        return list(pool.map(one, urls))
