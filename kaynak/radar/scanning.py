"""Scanning a source: fetch its list, keep every body, read each call, ingest it, report.

``scan_source`` runs one scan of one source and returns its ``ScanRun``:

1. the adapter's listing requests (and up to ``MAX_LISTING_PAGES`` further pages) are fetched with a
   conditional GET (the validators of the last body kept for that URL); every answer, a failure
   too, becomes a ``RawItem`` *before* anything parses it;
2. the adapter reads each list into ``Listed`` entries; each entry's own page (or API record) is
   fetched, ``concurrency`` at a time, and kept as a ``RawItem`` too; an entry the list carries
   whole (a feed item without a page to follow) is kept as a ``record`` raw item of its own, so
   every call has one raw item with its outcome and every body can be read again later;
3. an entry whose body and listed fields are those already read (304, or the same SHA-256) is
   "unchanged" without extracting it again; any other becomes a ``Candidate`` and goes to
   ``services.ingest`` in a transaction of its own: one bad item (``SourceError``, a PDF without
   a text layer, any exception) is recorded as failed on its raw item and in the report, and the
   scan goes on.

The source's health follows the list: a scan whose list could be fetched and read is a success
(``last_success_at``, failures reset); otherwise ``consecutive_failures`` grows and
``last_error`` says why (flagged at three). ``next_scan_at`` moves to the next scheduled time.

``reextract`` runs the adapters and ingestion again over kept raw items, without the network:
the path by which a better parser re-reads history.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import logging
import queue
import threading
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from kaynak.core.audit import log_action
from kaynak.radar import services
from kaynak.radar.candidates import Candidate
from kaynak.radar.extraction.text import to_text
from kaynak.radar.fetching import Fetcher, FetchRequest, FetchResult, default_fetcher
from kaynak.radar.models import (
    RawItem,
    RawOutcome,
    RawRole,
    ScanRun,
    ScanStatus,
    ScanTrigger,
    Source,
    SourceKind,
)
from kaynak.radar.sources.base import MAX_LISTING_PAGES, Listed, SourceError

if TYPE_CHECKING:
    from kaynak.accounts.models import User
    from kaynak.radar.sources.base import Adapter

logger = logging.getLogger(__name__)

DEFAULT_CONCURRENCY = 8
# Raw items whose reading stands: an identical body need not be read again.
READ_OUTCOMES = frozenset({RawOutcome.NEW, RawOutcome.UPDATED, RawOutcome.UNCHANGED})
# Kinds whose entries' own fetches are API records rather than web pages.
RECORD_KINDS = frozenset({SourceKind.JSON, SourceKind.EU_FT, SourceKind.GRANTS_GOV})


@dataclass(frozen=True)
class ReportLine:
    """One line of a scan report: a list page or an entry, what became of it and why."""

    url: str
    outcome: str
    reason: str = ""
    opportunity: int | None = None
    source: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "outcome": self.outcome,
            "reason": self.reason,
            "opportunity": self.opportunity,
        }


type Progress = Callable[[ReportLine], None]


def scan_concurrency() -> int:
    """Fetches at once: one source's pages, or sources in ``scan_sources``
    (``RADAR_SCAN_CONCURRENCY``, default 8)."""
    return max(1, int(getattr(settings, "RADAR_SCAN_CONCURRENCY", DEFAULT_CONCURRENCY)))


def adapter_for_source(source: Source) -> Adapter:
    from kaynak.radar.sources import adapter_for  # the adapters' registry

    return adapter_for(source.kind)


def _jsonable(value: Any) -> Any:
    """``value`` as plain JSON types (dates and Decimals from adapters become strings)."""
    return json.loads(json.dumps(value, cls=DjangoJSONEncoder))


def _as_bytes(body: str | bytes) -> bytes:
    return body.encode("utf-8") if isinstance(body, str) else body


def listed_fields(listed: Listed, *, with_body: bool) -> dict[str, Any]:
    """What a raw item keeps of its list entry, to read it again without the list."""
    kept: dict[str, Any] = {
        "url": listed.url,
        "title": listed.title,
        "item_key": listed.item_key,
        "summary": listed.summary,
        "published": listed.published,
        "body_kind": listed.body_kind,
        "fields": listed.fields,
    }
    if with_body:
        body = listed.body
        kept["body"] = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    jsonable: dict[str, Any] = _jsonable(kept)
    return jsonable


def listed_from(raw: RawItem) -> Listed:
    """The list entry a raw item was kept for (see ``listed_fields``)."""
    kept = raw.listed or {}
    body: str | bytes = kept.get("body", "")
    if raw.role == RawRole.RECORD and "body" not in kept:
        body = bytes(raw.body)
    return Listed(
        url=kept.get("url") or raw.url,
        title=kept.get("title") or "",
        item_key=kept.get("item_key") or raw.item_key,
        summary=kept.get("summary") or "",
        published=kept.get("published"),
        body=body,
        body_kind=kept.get("body_kind") or "txt",
        fields=kept.get("fields") or {},
    )


def result_from(raw: RawItem) -> FetchResult:
    """A kept answer as the fetch that brought it, for adapters reading it again."""
    return FetchResult(
        url=raw.url,
        final_url=raw.final_url or raw.url,
        status=raw.status_code,
        headers=dict(raw.headers or {}),
        body=bytes(raw.body),
        sha256=raw.sha256,
        fetched_at=raw.fetched_at,
    )


def previous_body(source: Source, *, url: str, item_key: str = "") -> RawItem | None:
    """The last raw item of ``source`` with a body for this address (or source identifier)."""
    kept = RawItem.objects.filter(source=source).exclude(sha256="").exclude(role=RawRole.LISTING)
    kept = kept.filter(item_key=item_key) if item_key else kept.filter(url=url)
    return kept.defer("body").order_by("-fetched_at", "-id").first()


def previous_listing(source: Source, url: str) -> RawItem | None:
    """The last list kept for this address (without its body, loaded only after a 304)."""
    return (
        RawItem.objects.filter(source=source, role=RawRole.LISTING, url=url)
        .exclude(sha256="")
        .defer("body")
        .order_by("-fetched_at", "-id")
        .first()
    )


def conditional(request: FetchRequest, previous: RawItem | None) -> FetchRequest:
    """``request`` with the validators of the body kept last time (GET only)."""
    if previous is None or request.method.upper() != "GET":
        return request
    headers = previous.headers or {}
    return dataclasses.replace(
        request,
        etag=request.etag or headers.get("etag") or None,
        last_modified=request.last_modified or headers.get("last-modified") or None,
    )


def keep(
    *,
    source: Source,
    scan: ScanRun | None,
    role: str,
    result: FetchResult,
    listed: dict[str, Any] | None = None,
    item_key: str = "",
) -> RawItem:
    """Keep one fetch as it came, before anything reads it (committed at once)."""
    has_body = result.ok and not result.not_modified
    return RawItem.objects.create(
        source=source,
        scan=scan,
        role=role,
        url=result.url[:2000],
        final_url=result.final_url[:2000],
        fetched_at=result.fetched_at,
        status_code=result.status,
        headers=dict(result.headers),
        content_type=result.content_type[:200],
        sha256=result.sha256 if has_body else "",
        body=result.body if has_body else b"",
        item_key=item_key[:300],
        listed=listed or {},
        fetch_error=str(result.error.value) if result.error else "",
        fetch_error_detail=result.error_detail,
        outcome=RawOutcome.PENDING,
    )


def fetch_failure_reason(result: FetchResult) -> str:
    reason = str(result.error.value) if result.error else ""
    return f"{reason}: {result.error_detail}" if result.error_detail else reason


def _mark(raw: RawItem, outcome: str, detail: str = "", opportunity_id: int | None = None) -> None:
    RawItem.objects.filter(pk=raw.pk).update(
        outcome=outcome, outcome_detail=detail[:2000], opportunity_id=opportunity_id
    )


def has_text(candidate: Candidate) -> bool:
    """False for a PDF whose pages carry no text (a scan of paper: nothing to extract). A PDF
    with text is handed on as its text, which extraction reads exactly as it would read the
    PDF, so the PDF is parsed once rather than twice."""
    if candidate.body_kind != "pdf":
        return True
    text = to_text(candidate.body, "pdf")
    if not text.strip():
        return False
    candidate.body, candidate.body_kind = text, "txt"
    return True


def _exception_reason(error: BaseException) -> str:
    message = str(error)
    return f"{type(error).__name__}: {message}" if message else type(error).__name__


class DatabaseGate:
    """Lets threads scanning several sources at once take turns at an SQLite database.

    An in-memory SQLite database (the tests') answers a second connection that wants a table
    another one is using with "table is locked" at once, instead of waiting its turn as a
    database file does (WAL, busy timeout). There a scan holds the gate while it works with the
    database and lets go of it only while it waits for the network. With a database file or
    PostgreSQL the gate is open: scans wait for each other only where the database makes them.
    """

    def __init__(self, *, exclusive: bool) -> None:
        self.lock = threading.Lock() if exclusive else None

    @classmethod
    def for_database(cls) -> DatabaseGate:
        connection = connections["default"]
        in_memory = getattr(connection, "is_in_memory_db", lambda: False)()
        return cls(exclusive=connection.vendor == "sqlite" and in_memory)

    @contextmanager
    def database(self) -> Iterator[None]:
        if self.lock is None:
            yield
            return
        with self.lock:
            yield

    @contextmanager
    def network(self) -> Iterator[None]:
        """Inside ``database()``: let other scans use the database while this one waits."""
        if self.lock is None:
            yield
            return
        self.lock.release()
        try:
            yield
        finally:
            self.lock.acquire()


OPEN_GATE = DatabaseGate(exclusive=False)


@dataclass
class _Entry:
    listed: Listed
    request: FetchRequest | None
    previous: RawItem | None


class _Scan:
    """The state of one running scan; ``run_scan`` does the work."""

    def __init__(
        self,
        *,
        source: Source,
        run: ScanRun,
        adapter: Adapter,
        fetcher: Fetcher,
        concurrency: int,
        progress: Progress | None,
        gate: DatabaseGate,
    ) -> None:
        self.gate = gate
        self.source = source
        self.run = run
        self.adapter = adapter
        self.fetcher = fetcher
        self.concurrency = concurrency
        self.progress = progress
        self.lines: list[ReportLine] = []
        self.listing_errors: list[str] = []

    def report(
        self, url: str, outcome: str, reason: str = "", opportunity: int | None = None
    ) -> None:
        line = ReportLine(url, str(outcome), reason, opportunity, self.source.pk)
        self.lines.append(line)
        if self.progress is not None:
            self.progress(line)

    # The list ---------------------------------------------------------------------------------

    def read_lists(self) -> list[_Entry]:
        errors = self.adapter.config_errors(self.source.config or {})
        if errors:
            reason = " ".join(errors)
            self.listing_errors.append(reason)
            self.report(self.source.url, RawOutcome.FAILED, reason)
            return []
        entries: list[_Entry] = []
        seen: set[str] = set()
        for first in self.adapter.listing_requests(self.source):
            request: FetchRequest | None = first
            for _page in range(MAX_LISTING_PAGES):
                if request is None:
                    break
                request = self.read_list_page(request, entries, seen)
        return entries

    def read_list_page(
        self, request: FetchRequest, entries: list[_Entry], seen: set[str]
    ) -> FetchRequest | None:
        """Fetch and read one page of the list; the next page's request, if any."""
        kept_before = previous_listing(self.source, request.url)
        with self.gate.network():
            result = self.fetcher.fetch_request(
                conditional(request, kept_before), accept_types=self.adapter.accept_types
            )
        raw = keep(source=self.source, scan=self.run, role=RawRole.LISTING, result=result)
        if not result.ok:
            reason = fetch_failure_reason(result)
            _mark(raw, RawOutcome.FAILED, reason)
            self.listing_errors.append(f"{request.url}: {reason}")
            self.report(request.url, RawOutcome.FAILED, reason)
            return None
        # Only entries with a page of their own can have changed behind an unchanged list: the
        # list kept last time is read again to look at those pages (conditionally, so cheaply).
        only_pages = result.not_modified
        if result.not_modified:
            _mark(raw, RawOutcome.NOT_MODIFIED)
            self.report(request.url, RawOutcome.NOT_MODIFIED)
            if kept_before is None:
                return None
            result = result_from(RawItem.objects.get(pk=kept_before.pk))
        try:
            listed = self.adapter.parse_listing(self.source, result)
            next_request = self.adapter.next_request(self.source, result)
        except SourceError as error:
            self.list_unreadable(raw, request.url, str(error))
            return None
        except Exception as error:
            logger.exception(
                "Source %s: the list %s could not be read", self.source.pk, request.url
            )
            self.list_unreadable(raw, request.url, _exception_reason(error))
            return None
        if not only_pages:
            count = _("%(count)d entries") % {"count": len(listed)}
            _mark(raw, RawOutcome.LISTED, count)
            self.report(request.url, RawOutcome.LISTED, count)
        for entry in listed:
            key = entry.item_key or entry.url
            if not key or key in seen:
                continue
            seen.add(key)
            try:
                detail = self.adapter.detail_request(self.source, entry)
            except Exception as error:  # an entry the adapter cannot place: that entry fails
                logger.exception("Source %s: no request for %s", self.source.pk, entry.url)
                self.report(entry.url, RawOutcome.FAILED, _exception_reason(error))
                continue
            if only_pages and detail is None:
                continue
            previous = previous_body(self.source, url=entry.url, item_key=entry.item_key)
            entries.append(_Entry(entry, detail, previous))
        return next_request

    def list_unreadable(self, raw: RawItem, url: str, reason: str) -> None:
        _mark(raw, RawOutcome.FAILED, reason)
        self.listing_errors.append(f"{url}: {reason}")
        self.report(url, RawOutcome.FAILED, reason)

    # The entries ------------------------------------------------------------------------------

    def fetch_entries(self, entries: list[_Entry]) -> Iterator[tuple[_Entry, FetchResult | None]]:
        """Each entry with its own page fetched (``concurrency`` at a time), as they arrive."""
        whole = [entry for entry in entries if entry.request is None]
        for entry in whole:
            yield entry, None
        pages = [entry for entry in entries if entry.request is not None]
        if not pages:
            return
        with ThreadPoolExecutor(max_workers=min(self.concurrency, len(pages))) as pool:
            futures = {
                pool.submit(
                    self.fetcher.fetch_request,
                    conditional(entry.request, self.previous_page(entry)),  # type: ignore[arg-type]
                ): entry
                for entry in pages
            }
            pending = set(futures)
            while pending:
                with self.gate.network():
                    done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    yield futures[future], future.result()

    def previous_page(self, entry: _Entry) -> RawItem | None:
        # Validators belong to the page's own URL; a previous record of another URL has none.
        previous = entry.previous
        if previous is None or entry.request is None or previous.url != entry.request.url:
            return None
        return previous

    def read_entry(self, entry: _Entry, result: FetchResult | None) -> None:
        listed = entry.listed
        if result is None:
            body = _as_bytes(listed.body)
            raw = RawItem.objects.create(
                source=self.source,
                scan=self.run,
                role=RawRole.RECORD,
                url=listed.url[:2000],
                final_url=listed.url[:2000],
                content_type="text/html" if listed.body_kind == "html" else "text/plain",
                sha256=hashlib.sha256(body).hexdigest(),
                body=body,
                item_key=listed.item_key[:300],
                listed=listed_fields(listed, with_body=False),
                fetched_at=self.run.started_at,
            )
        else:
            role = RawRole.RECORD if self.source.kind in RECORD_KINDS else RawRole.DETAIL
            raw = keep(
                source=self.source,
                scan=self.run,
                role=role,
                result=result,
                listed=listed_fields(listed, with_body=True),
                item_key=listed.item_key,
            )
            if not result.ok:
                reason = fetch_failure_reason(result)
                _mark(raw, RawOutcome.FAILED, reason)
                self.report(listed.url, RawOutcome.FAILED, reason)
                return
        previous = entry.previous
        if (
            previous is not None
            and previous.outcome in READ_OUTCOMES
            and previous.opportunity_id is not None
            and (raw.sha256 == previous.sha256 or (result is not None and result.not_modified))
            and raw.listed == previous.listed
        ):
            _mark(raw, RawOutcome.UNCHANGED, opportunity_id=previous.opportunity_id)
            self.report(listed.url, RawOutcome.UNCHANGED, opportunity=previous.opportunity_id)
            return
        if result is not None and result.not_modified:
            # A 304 for a page never read well: read the body kept last time instead.
            if previous is None:
                _mark(raw, RawOutcome.NOT_MODIFIED)
                self.report(listed.url, RawOutcome.NOT_MODIFIED)
                return
            kept = RawItem.objects.get(pk=previous.pk)
            result = result_from(kept)
        self.ingest(raw, lambda: self.adapter.candidate(self.source, listed, result), listed.url)

    def ingest(self, raw: RawItem, make: Callable[[], Candidate], url: str) -> None:
        outcome, reason, opportunity = ingest_one(self.source, raw, make)
        self.report(url, outcome, reason, opportunity)

    def run_scan(self) -> None:
        entries = self.read_lists()
        for entry, result in self.fetch_entries(entries):
            try:
                self.read_entry(entry, result)
            except Exception as error:  # keeping the raw item failed (database): report, go on
                logger.exception("Source %s: entry %s", self.source.pk, entry.listed.url)
                self.report(entry.listed.url, RawOutcome.FAILED, _exception_reason(error))


def ingest_one(
    source: Source, raw: RawItem, make: Callable[[], Candidate], *, actor: Any = None
) -> tuple[str, str, int | None]:
    """Turn one kept body into a candidate and ingest it in a transaction of its own; never
    raises. Returns (outcome, reason, opportunity id) and records them on ``raw``."""
    try:
        candidate = make()
        candidate.raw_item_id = raw.pk
        if not has_text(candidate):
            reason = _("The PDF has no text layer (a scanned document?).")
            _mark(raw, RawOutcome.NO_TEXT, reason)
            return RawOutcome.NO_TEXT, reason, None
        with transaction.atomic():
            result = services.ingest(source=source, candidate=candidate, raw_item=raw, actor=actor)
    except (SourceError, services.RadarError) as error:
        reason = str(getattr(error, "message", error))
        _mark(raw, RawOutcome.FAILED, reason)
        return RawOutcome.FAILED, reason, None
    except Exception as error:
        logger.exception("Source %s: raw item %s could not be ingested", source.pk, raw.pk)
        reason = _exception_reason(error)
        _mark(raw, RawOutcome.FAILED, reason)
        return RawOutcome.FAILED, reason, None
    return result.outcome, "", result.opportunity.pk


def _count(lines: Iterable[ReportLine]) -> dict[str, int]:
    counts = {"new": 0, "updated": 0, "unchanged": 0, "failed": 0}
    for line in lines:
        if line.outcome in {RawOutcome.NEW, RawOutcome.UPDATED, RawOutcome.UNCHANGED}:
            counts[line.outcome] += 1
        elif line.outcome in {RawOutcome.FAILED, RawOutcome.NO_TEXT}:
            counts["failed"] += 1
    return counts


def scan_source(
    *,
    source: Source,
    trigger: str = ScanTrigger.COMMAND,
    started_by: User | None = None,
    progress: Progress | None = None,
    fetcher: Fetcher | None = None,
    concurrency: int | None = None,
    adapter: Adapter | None = None,
    gate: DatabaseGate = OPEN_GATE,
) -> ScanRun:
    """Scan ``source`` now and return its report. Never raises for what a source serves.

    Not one transaction on purpose: each raw item is committed when fetched and each entry is
    ingested in its own transaction, so nothing is lost to a later failure. A disabled source
    is scanned too when asked directly (the schedule never asks)."""
    if source.kind == SourceKind.MANUAL:
        raise services.RadarError(_("Sources entered by editors are not scanned."), code="manual")
    with gate.database():
        run = ScanRun.objects.create(source=source, trigger=trigger, started_by=started_by)
        scan: _Scan | None = None
        crash = ""
        try:
            scan = _Scan(
                source=source,
                run=run,
                adapter=adapter or adapter_for_source(source),
                fetcher=fetcher or default_fetcher(),
                concurrency=concurrency or scan_concurrency(),
                progress=progress,
                gate=gate,
            )
            scan.run_scan()
        except Exception as error:  # a bug, an unknown kind: the scan fails, the report says why
            logger.exception("Scan of source %s failed", source.pk)
            crash = _exception_reason(error)
        lines = scan.lines if scan is not None else []
        errors = ([crash] if crash else []) + (scan.listing_errors if scan is not None else [])
        finish(run, source, lines, errors, actor=started_by)
        return run


def finish(
    run: ScanRun, source: Source, lines: list[ReportLine], errors: list[str], *, actor: Any
) -> None:
    """Close the scan's report and record the source's health and next scan."""
    now = timezone.now()
    counts = _count(lines)
    run.report = [line.as_dict() for line in lines]
    run.finished_at = now
    run.status = ScanStatus.FAILED if errors else ScanStatus.FINISHED
    run.error = "\n".join(errors)[:5000]
    for name, value in counts.items():
        setattr(run, name, value)
    run.save()
    health: dict[str, Any] = {"last_scan_at": now, "next_scan_at": source.next_run_after(now)}
    if errors:
        health |= {
            "consecutive_failures": F("consecutive_failures") + 1,
            "last_error": run.error,
        }
    else:
        health |= {"last_success_at": now, "consecutive_failures": 0, "last_error": ""}
    # An update of these columns only, so an editor's change to the source meanwhile stays.
    Source.objects.filter(pk=source.pk).update(**health)
    source.refresh_from_db(
        fields=[
            "last_scan_at",
            "last_success_at",
            "next_scan_at",
            "consecutive_failures",
            "last_error",
        ]
    )
    log_action(
        "kaynak.radar.source.scanned",
        actor=actor,
        target=source,
        data={"scan": run.pk, "status": run.status, **counts},
    )


def close_thread_connections() -> None:
    """Close this worker thread's database connections. Django leaves an in-memory SQLite
    connection open on ``close()`` (the database would vanish with it); a worker's own
    connection to the shared in-memory database of the tests can go."""
    for connection in connections.all(initialized_only=True):
        raw = connection.connection
        in_memory = getattr(connection, "is_in_memory_db", lambda: False)()
        if connection.vendor == "sqlite" and raw is not None and in_memory:
            raw.close()
            connection.connection = None
        else:
            connection.close()


def scan_sources(
    sources: Iterable[Source],
    *,
    trigger: str = ScanTrigger.COMMAND,
    started_by: User | None = None,
    progress: Progress | None = None,
    fetcher: Fetcher | None = None,
    concurrency: int | None = None,
) -> list[ScanRun]:
    """Scan several sources, ``concurrency`` sources at once; the runs in the order of
    ``sources``. Each of the ``concurrency`` threads takes the next source until none is left,
    keeping one database connection for all its scans and closing it when it is done."""
    chosen = list(sources)
    workers = max(1, min(concurrency or scan_concurrency(), len(chosen) or 1))
    if workers == 1:
        return [
            scan_source(
                source=source,
                trigger=trigger,
                started_by=started_by,
                progress=progress,
                fetcher=fetcher,
            )
            for source in chosen
        ]
    gate = DatabaseGate.for_database()
    lock = threading.Lock()
    todo: queue.SimpleQueue[tuple[int, Source]] = queue.SimpleQueue()
    for position, source in enumerate(chosen):
        todo.put((position, source))
    runs: list[ScanRun | None] = [None] * len(chosen)
    errors: list[BaseException] = []

    def locked(line: ReportLine) -> None:
        if progress is not None:
            with lock:
                progress(line)

    def work() -> None:
        try:
            while True:
                try:
                    position, source = todo.get_nowait()
                except queue.Empty:
                    return
                try:
                    runs[position] = scan_source(
                        source=source,
                        trigger=trigger,
                        started_by=started_by,
                        progress=locked,
                        fetcher=fetcher,
                        # One source's pages one by one: the sources are the pool (and one
                        # source's pages are on one host, spaced by its politeness delay).
                        concurrency=1,
                        gate=gate,
                    )
                except BaseException as error:  # handed to the caller after the others ran
                    errors.append(error)
        finally:
            with gate.database():
                close_thread_connections()

    threads = [
        threading.Thread(target=work, name=f"radar-scan-{number}") for number in range(workers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return [run for run in runs if run is not None]


# The schedule -----------------------------------------------------------------------------------


def due_sources(now: datetime | None = None) -> list[Source]:
    """Enabled, scannable sources whose next scan is due (or was never planned)."""
    now = now or timezone.now()
    return list(
        Source.objects.filter(enabled=True)
        .exclude(kind=SourceKind.MANUAL)
        .filter(Q(next_scan_at__isnull=True) | Q(next_scan_at__lte=now))
        .order_by("next_scan_at", "pk")
    )


def claim(source: Source, now: datetime | None = None) -> bool:
    """Take ``source``'s due scan for this worker: a conditional update that moves
    ``next_scan_at`` on only if nobody moved it since we read it, so two workers (or two beats)
    never scan one source twice."""
    now = now or timezone.now()
    current = Source.objects.filter(pk=source.pk, enabled=True)
    current = (
        current.filter(next_scan_at__isnull=True)
        if source.next_scan_at is None
        else current.filter(next_scan_at=source.next_scan_at)
    )
    planned = source.next_run_after(now)
    if current.update(next_scan_at=planned) != 1:
        return False
    source.next_scan_at = planned
    return True


# Reading history again --------------------------------------------------------------------------


def latest_bodies(*, source: Source | None = None, since: datetime | None = None) -> list[int]:
    """Ids of the newest kept body of every entry (per source and address or identifier)."""
    kept = (
        RawItem.objects.filter(role__in=[RawRole.DETAIL, RawRole.RECORD, RawRole.MANUAL])
        .exclude(sha256="")
        .filter(fetch_error="")
    )
    if source is not None:
        kept = kept.filter(source=source)
    if since is not None:
        kept = kept.filter(fetched_at__gte=since)
    newest: dict[tuple[int, str], int] = {}
    rows = kept.order_by("-fetched_at", "-id").values_list("pk", "source_id", "url", "item_key")
    for pk, source_id, url, item_key in rows.iterator():
        key = (source_id, item_key or url or f"#{pk}")
        newest.setdefault(key, pk)
    return sorted(newest.values())


def reextract(
    *,
    source: Source | None = None,
    since: datetime | None = None,
    progress: Progress | None = None,
) -> dict[str, int]:
    """Read every entry's newest kept body again with today's adapters and extraction, and
    ingest it; no network. Counts of new, updated, unchanged and failed."""
    from kaynak.radar.manual import candidate_from

    counts = {"new": 0, "updated": 0, "unchanged": 0, "failed": 0}
    adapters: dict[int, Adapter | None] = {}
    for pk in latest_bodies(source=source, since=since):
        raw = RawItem.objects.select_related("source").get(pk=pk)
        origin = raw.source
        make: Callable[[], Candidate]
        if raw.role == RawRole.MANUAL:
            make = functools.partial(candidate_from, raw)
        else:
            if origin.pk not in adapters:
                try:
                    adapters[origin.pk] = adapter_for_source(origin)
                except Exception:
                    logger.exception("No adapter for source %s", origin.pk)
                    adapters[origin.pk] = None
            adapter = adapters[origin.pk]
            if adapter is None:
                line = ReportLine(raw.url, RawOutcome.FAILED, _("No adapter for this kind."))
                counts["failed"] += 1
                if progress is not None:
                    progress(line)
                continue
            listed = listed_from(raw)
            detail = result_from(raw) if "body" in (raw.listed or {}) else None

            def make(
                adapter: Adapter = adapter,
                origin: Source = origin,
                listed: Listed = listed,
                detail: FetchResult | None = detail,
            ) -> Candidate:
                return adapter.candidate(origin, listed, detail)

        outcome, reason, opportunity = ingest_one(origin, raw, make)
        key = "failed" if outcome in {RawOutcome.FAILED, RawOutcome.NO_TEXT} else outcome
        counts[key] = counts.get(key, 0) + 1
        if progress is not None:
            progress(ReportLine(raw.url, outcome, reason, opportunity, origin.pk))
    log_action(
        "kaynak.radar.history.reextracted",
        data={"source": source.pk if source else None, **counts},
    )
    return counts
