"""Scan benchmark: 200 funder feeds on a slow local server, scanned with the configured concurrency.

    .venv/bin/python bench/radar_scan.py
    # options: --sources 200 --latency 0.2 --concurrency <RADAR_SCAN_CONCURRENCY, 8>
    #          --host-delay 0 --database sqlite|url

A threaded HTTP server on 127.0.0.1 answers every request after ``--latency`` seconds (200 ms).
Each source is an RSS feed of one or two calls (read from the feed: no pages to follow) on a host
name of its own (``src-N.bench.test``, resolved to 127.0.0.1 by the fetcher's injectable
resolver), so the per-host politeness applies per source as it does for real funders. Every
source is scanned once with ``scanning.scan_sources`` (``--concurrency`` sources at once), into a
fresh SQLite database in a temporary directory (or ``KAYNAK_DATABASE_URL`` with ``--database
url``). Each host is asked for its robots.txt and then its feed: two requests per source.

Prints the wall time, the ideal (requests served / concurrency × latency) and their ratio
(target ≤ 1.5), and fails (exit status 1) unless every scan finished with every call new.

``--host-delay`` is the politeness delay between two requests to one host (2 s in production);
it is 0 here by default because robots.txt and the feed are the same host: with 2 s each source
would wait 2 s after its robots.txt, which measures the delay, not the scanner.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaynak.settings")

MONTHS = [
    "Ocak",
    "Şubat",
    "Mart",
    "Nisan",
    "Mayıs",
    "Haziran",
    "Temmuz",
    "Ağustos",
    "Eylül",
    "Ekim",
    "Kasım",
    "Aralık",
]


def feed(number: int, tag: str) -> bytes:
    """A foundation's feed with one or two calls, each with its text in the feed and a deadline
    of its own (so no two of the calls are taken for one)."""
    items = []
    for item in range(1 + number % 2):
        deadline = dt.date(2027, 1, 1) + dt.timedelta(days=2 * number + item)
        day, month = deadline.day, MONTHS[deadline.month - 1]
        items.append(
            f"<item><title>Vakıf {number} – hibe programı {item + 1}</title>"
            f"<link>http://src-{number}.bench.test/{tag}/hibe/{item}</link>"
            f"<guid isPermaLink='false'>{tag}-{number}-{item}</guid>"
            f"<description>Derneklere ve vakıflara {number + 1}0.000 TL'ye kadar hibe. "
            f"Son başvuru tarihi: {day} {month} {deadline.year}</description></item>"
        )
    return (
        "<?xml version='1.0' encoding='UTF-8'?><rss version='2.0'><channel>"
        f"<title>Vakıf {number}</title><link>http://src-{number}.bench.test/</link>"
        f"<description>Hibeler</description>{''.join(items)}</channel></rss>"
    ).encode()


class SlowHandler(BaseHTTPRequestHandler):
    server: SlowServer

    def do_GET(self) -> None:
        time.sleep(self.server.latency)
        with self.server.lock:
            self.server.requests += 1
        host = (self.headers.get("Host") or "").split(":", 1)[0]
        if self.path == "/feed.xml" and host.startswith("src-"):
            number = int(host.split(".", 1)[0].removeprefix("src-"))
            body, status = feed(number, self.server.tag), 200
        else:
            body, status = b"not found", 404
        self.send_response(status)
        self.send_header("Content-Type", "application/rss+xml" if status == 200 else "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class SlowServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256

    def __init__(self, latency: float, tag: str) -> None:
        super().__init__(("127.0.0.1", 0), SlowHandler)
        self.latency = latency
        self.tag = tag
        self.requests = 0
        self.lock = threading.Lock()


@contextlib.contextmanager
def serve(latency: float, tag: str) -> Iterator[SlowServer]:
    server = SlowServer(latency, tag)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sources", type=int, default=200)
    parser.add_argument("--latency", type=float, default=0.2)
    parser.add_argument("--concurrency", type=int, default=0, help="default: the setting")
    parser.add_argument("--host-delay", type=float, default=0.0)
    parser.add_argument(
        "--database",
        choices=["sqlite", "url"],
        default="sqlite",
        help="a fresh SQLite file (default) or KAYNAK_DATABASE_URL as it is",
    )
    args = parser.parse_args()
    workdir = tempfile.TemporaryDirectory(prefix="radar-scan-bench-")
    if args.database == "sqlite":
        os.environ["KAYNAK_DATABASE_URL"] = f"sqlite:///{workdir.name}/bench.sqlite3"
    os.environ["KAYNAK_RADAR_ALLOW_LOOPBACK"] = "1"

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from kaynak.radar.fetching import Fetcher
    from kaynak.radar.models import Opportunity, ScanStatus, Source, SourceKind
    from kaynak.radar.scanning import scan_concurrency, scan_sources

    call_command("migrate", verbosity=0)
    concurrency = args.concurrency or scan_concurrency()
    run_tag = f"bench-{int(time.time())}"
    with serve(args.latency, run_tag) as server:
        port = server.server_address[1]
        sources = [
            Source.objects.create(
                name=f"Bench source {number}",
                kind=SourceKind.RSS,
                url=f"http://src-{number}.bench.test:{port}/feed.xml",
                follow_links=False,
                language="tr",
                starter_key=f"{run_tag}-{number}",
            )
            for number in range(args.sources)
        ]
        fetcher = Fetcher(
            host_delay=args.host_delay,
            retries=0,
            allow_loopback=True,
            resolver=lambda host, port: ["127.0.0.1"],
        )
        before = Opportunity.objects.count()
        started = time.perf_counter()
        runs = scan_sources(sources, fetcher=fetcher, concurrency=concurrency)
        wall = time.perf_counter() - started
        fetcher.close()
        requests = server.requests
    expected = sum(1 + number % 2 for number in range(args.sources))
    read = sum(run.new + run.updated + run.unchanged for run in runs)
    failed = sum(run.failed for run in runs)
    new = Opportunity.objects.count() - before
    ideal = requests / concurrency * args.latency
    ratio = wall / ideal if ideal else float("inf")
    print(
        f"{args.sources} sources on {connection.vendor}, {requests} requests "
        f"({args.latency * 1000:.0f} ms each), concurrency {concurrency}, "
        f"host delay {args.host_delay:g} s"
    )
    print(f"wall time {wall:.2f} s, ideal {ideal:.2f} s, ratio {ratio:.2f} (target ≤ 1.5)")
    print(f"{read} calls read ({new} new), {failed} failed")
    finished = all(run.status == ScanStatus.FINISHED for run in runs)
    workdir.cleanup()
    if not finished or read != expected or failed:
        print(f"FAILED: expected {expected} calls read and every scan finished")
        sys.exit(1)


if __name__ == "__main__":
    main()
