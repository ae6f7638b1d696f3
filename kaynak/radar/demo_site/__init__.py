"""A small pretend web of funders, served on 127.0.0.1 for the demo, the tests and the benchmark.

``files/`` holds what real sources look like: two foundations' WordPress-style RSS feeds (3 and 4
calls, each linking to its own page), a development agency's list page with three calls (one page
in Windows-1254), an EU Funding & Tenders search answer (one record per language, several
cut-offs) and Grants.gov ``search2``/``fetchOpportunity`` answers (one without an award ceiling).
``{{BASE}}`` in a file becomes the server's address when served.

    with serve_demo_site() as base_url:
        for definition in demo_sources(base_url):
            ...

The server answers GET with an ``ETag`` and ``Last-Modified`` and a 304 to a matching
conditional GET (so a second scan finds nothing changed), and POST for the two APIs. Fetching
from it needs ``RADAR_ALLOW_LOOPBACK`` (tests, ``kaynak demo``).
"""

from __future__ import annotations

import contextlib
import email.utils
import hashlib
import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

FILES = Path(__file__).resolve().parent / "files"
CONTENT_TYPES = {
    ".xml": "application/rss+xml; charset=utf-8",
    ".html": "text/html; charset=utf-8",
    ".json": "application/json",
    ".txt": "text/plain; charset=utf-8",
    ".pdf": "application/pdf",
}
# POSTed API paths → the file that answers them (Grants.gov's detail by the posted id).
POST_ROUTES = {
    "/eu-ft/search": "eu-ft/search.json",
    "/grants-gov/search2": "grants-gov/search2.json",
}
FETCH_OPPORTUNITY = "/grants-gov/fetchOpportunity"


class DemoHandler(BaseHTTPRequestHandler):
    server: DemoServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        file = self.server.file_for(path)
        if file is None:
            self.reply(404, b"not found", "text/plain; charset=utf-8")
            return
        body = self.server.content(file)
        etag = '"' + hashlib.sha256(body).hexdigest()[:20] + '"'
        modified = email.utils.formatdate(file.stat().st_mtime, usegmt=True)
        if self.headers.get("If-None-Match") == etag:
            self.reply(304, b"", None, {"ETag": etag, "Last-Modified": modified})
            return
        self.reply(200, body, content_type(file, body), {"ETag": etag, "Last-Modified": modified})

    def do_POST(self) -> None:
        path = urlsplit(self.path).path
        length = int(self.headers.get("Content-Length") or 0)
        posted = self.rfile.read(length) if length else b""
        self.server.posts.append((path, posted))
        name = POST_ROUTES.get(path)
        if path == FETCH_OPPORTUNITY:
            try:
                identifier = int(json.loads(posted or b"{}").get("opportunityId"))
            except (TypeError, ValueError, AttributeError):
                identifier = 0
            name = f"grants-gov/fetchOpportunity-{identifier}.json"
        file = self.server.root / name if name else None
        if file is None or not file.is_file():
            error = json.dumps({"errorcode": 1, "msg": "not found"}).encode()
            self.reply(404, error, "application/json")
            return
        self.reply(200, self.server.content(file), "application/json")

    def reply(
        self,
        status: int,
        body: bytes,
        kind: str | None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.server.hits.append(self.path)
        self.send_response(status)
        if kind:
            self.send_header("Content-Type", kind)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if status != 304:
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


def content_type(file: Path, body: bytes) -> str:
    kind = CONTENT_TYPES.get(file.suffix, "application/octet-stream")
    if file.suffix == ".html" and b"charset=windows-1254" in body[:1024].lower():
        return "text/html; charset=windows-1254"
    return kind


class DemoServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, root: Path) -> None:
        super().__init__(("127.0.0.1", 0), DemoHandler)
        self.root = root.resolve()
        self.hits: list[str] = []
        self.posts: list[tuple[str, bytes]] = []

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def file_for(self, path: str) -> Path | None:
        relative = path.lstrip("/")
        if not relative or relative.endswith("/"):
            relative += "index.html"
        file = (self.root / relative).resolve()
        if not file.is_relative_to(self.root) or not file.is_file():
            return None
        return file

    def content(self, file: Path) -> bytes:
        return file.read_bytes().replace(b"{{BASE}}", self.base_url.encode())


@contextlib.contextmanager
def serve_demo_site(root: Path | None = None) -> Iterator[str]:
    """Serve ``root`` (the demo files by default) on 127.0.0.1 in a thread; yields the base
    URL (no trailing slash) and stops the server on exit. ``server_of(base_url)`` gives the
    server (its ``hits`` and ``posts``)."""
    server = DemoServer(root or FILES)
    thread = threading.Thread(target=server.serve_forever, name="radar-demo-site", daemon=True)
    thread.start()
    _running[server.base_url] = server
    try:
        yield server.base_url
    finally:
        _running.pop(server.base_url, None)
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


_running: dict[str, DemoServer] = {}


def server_of(base_url: str) -> DemoServer:
    return _running[base_url]


def demo_sources(base_url: str) -> list[dict[str, Any]]:
    """Source definitions of the demo site: name, kind, url, config, language, follow_links,
    starter_key and the funder (name, name_en, kind, website, country)."""
    return [
        {
            "starter_key": "demo-anadolu-vakfi",
            "name": "Anadolu Sivil Toplum Vakfı – hibe duyuruları",
            "kind": "rss",
            "url": f"{base_url}/anadolu-vakfi/feed.xml",
            "config": {},
            "language": "tr",
            "follow_links": True,
            "funder": {
                "name": "Anadolu Sivil Toplum Vakfı",
                "name_en": "Anatolian Civil Society Foundation",
                "kind": "foundation",
                "website": f"{base_url}/anadolu-vakfi/",
                "country": "TR",
            },
        },
        {
            "starter_key": "demo-ege-kadin-vakfi",
            "name": "Ege Kadın Dayanışma Vakfı – duyurular",
            "kind": "rss",
            "url": f"{base_url}/ege-kadin-vakfi/feed.xml",
            "config": {},
            "language": "tr",
            "follow_links": True,
            "funder": {
                "name": "Ege Kadın Dayanışma Vakfı",
                "name_en": "Aegean Women's Solidarity Foundation",
                "kind": "foundation",
                "website": f"{base_url}/ege-kadin-vakfi/",
                "country": "TR",
            },
        },
        {
            "starter_key": "demo-kuzey-ege-ajansi",
            "name": "Kuzey Ege Kalkınma Ajansı – güncel destekler",
            "kind": "html",
            "url": f"{base_url}/kuzey-ege-ajansi/destekler/",
            "config": {
                "item": "div.duyuru-kart",
                "title": "h3.baslik a",
                "link": "h3.baslik a",
                "date": "span.tarih",
                "summary": "p.ozet",
            },
            "language": "tr",
            "follow_links": True,
            "funder": {
                "name": "Kuzey Ege Kalkınma Ajansı",
                "name_en": "North Aegean Development Agency",
                "kind": "development-agency",
                "website": f"{base_url}/kuzey-ege-ajansi/",
                "country": "TR",
            },
        },
        {
            "starter_key": "demo-eu-ft",
            "name": "EU Funding & Tenders – CERV (demo)",
            "kind": "eu-ft",
            "url": f"{base_url}/eu-ft/search",
            "config": {"text": "CERV", "languages": ["en", "tr"]},
            "language": "",
            "follow_links": False,
            "funder": {
                "name": "Avrupa Komisyonu",
                "name_en": "European Commission",
                "kind": "eu",
                "website": "https://commission.europa.eu/",
                "country": None,
            },
        },
        {
            "starter_key": "demo-grants-gov",
            "name": "Grants.gov – U.S. Mission to Türkiye (demo)",
            "kind": "grants-gov",
            "url": f"{base_url}/grants-gov/search2",
            "config": {"agencies": "DOS-TUR", "rows": 25},
            "language": "en",
            "follow_links": True,
            "funder": {
                "name": "ABD Büyükelçiliği Ankara",
                "name_en": "U.S. Mission to Türkiye",
                "kind": "embassy",
                "website": "https://tr.usembassy.gov/",
                "country": "US",
            },
        },
    ]


def create_demo_sources(base_url: str, *, enabled: bool = True) -> list[Any]:
    """Funders and sources of ``demo_sources`` in the database (again: updated, not doubled)."""
    from kaynak.core.models import Country
    from kaynak.radar.models import Funder, Source

    sources = []
    for definition in demo_sources(base_url):
        about = dict(definition["funder"])
        country = Country.objects.filter(code=about.pop("country") or "").first()
        funder, _created = Funder.objects.update_or_create(
            name=about.pop("name"), defaults={**about, "country": country}
        )
        fields = {
            key: definition[key]
            for key in ("name", "kind", "url", "config", "language", "follow_links")
        }
        source, _created = Source.objects.update_or_create(
            starter_key=definition["starter_key"],
            defaults={**fields, "funder": funder, "enabled": enabled},
        )
        sources.append(source)
    return sources
