"""Calls an editor enters by hand: a pasted address, pasted text, or an uploaded file.

Each is kept first as a ``RawItem`` (role ``manual``) of the one "Entered by editors" source, like
everything a scan fetches, and then ingested; the same call reached later by a scan is matched to
it. Not one transaction on purpose: the raw item stays even when its text cannot be read (a
scanned PDF), so an editor can see what was tried and a better parser can read it again.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from selectolax.lexbor import LexborHTMLParser

from kaynak.core.audit import log_action
from kaynak.radar import services
from kaynak.radar.candidates import BodyKind, Candidate
from kaynak.radar.fetching import Fetcher, FetchResult, default_fetcher
from kaynak.radar.models import RawItem, RawOutcome, RawRole
from kaynak.radar.scanning import fetch_failure_reason, has_text, keep, result_from
from kaynak.radar.services import IngestResult, RadarError
from kaynak.radar.sources.common import body_kind_of, decode_html

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
ACCEPTED_TYPES = frozenset({"text/html", "application/xhtml+xml", "application/pdf", "text/*"})
CONTENT_TYPES: dict[BodyKind, str] = {
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
    "txt": "text/plain; charset=utf-8",
}
# Files that are surely not an announcement we can read: archives (also .docx/.xlsx), images,
# old Office files.
BINARY_SIGNATURES = (b"PK\x03\x04", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\xd0\xcf\x11\xe0")


def html_title(body: bytes) -> str:
    """A page's own heading (its first ``<h1>``, else ``<title>``): menus come first in a page's
    text, so its first line is no title."""
    tree = LexborHTMLParser(decode_html(body))
    for selector in ("main h1", "article h1", "h1", "title"):
        node = tree.css_first(selector)
        text = " ".join(node.text(separator=" ").split()) if node is not None else ""
        if text:
            return text[:500]
    return ""


def candidate_from(raw: RawItem) -> Candidate:
    """The candidate an editor's raw item stands for (also for ``reextract``)."""
    body = bytes(raw.body)
    kept = raw.listed or {}
    kind: BodyKind = kept.get("body_kind") or body_kind_of(result_from(raw))
    title = kept.get("title") or (html_title(body) if kind == "html" else "")
    return Candidate(url=raw.url, title=title, body=body, body_kind=kind, raw_item_id=raw.pk)


def sniff(data: bytes) -> BodyKind | None:
    """What an uploaded file is, from its bytes (never its name): pdf, html, txt or None."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(BINARY_SIGNATURES) or b"\x00" in data[:8192]:
        return None
    head = data[:8192]
    controls = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 12, 13))
    if head and controls / len(head) > 0.01:
        return None
    lowered = head.lower()
    if b"<html" in lowered or b"<!doctype html" in lowered or b"<body" in lowered:
        return "html"
    return "txt"


def _kept(*, url: str, body: bytes, kind: BodyKind, title: str = "", how: str) -> RawItem:
    now = datetime.now(UTC)
    result = FetchResult(
        url=url,
        final_url=url,
        status=None,
        headers={"content-type": CONTENT_TYPES[kind]},
        body=body,
        sha256=hashlib.sha256(body).hexdigest(),
        fetched_at=now,
    )
    return keep(
        source=services.manual_source(),
        scan=None,
        role=RawRole.MANUAL,
        result=result,
        listed={"title": title, "body_kind": kind, "entered_as": how},
    )


def _ingest(*, actor: Any, raw: RawItem, how: str) -> IngestResult:
    candidate = candidate_from(raw)
    if not has_text(candidate):
        message = _(
            "The PDF has no text layer (it is probably a scanned document). Paste the "
            "announcement's text instead."
        )
        RawItem.objects.filter(pk=raw.pk).update(
            outcome=RawOutcome.NO_TEXT, outcome_detail=str(message)
        )
        raise RadarError(message, code="no_text")
    try:
        result = services.ingest(
            source=services.manual_source(), candidate=candidate, raw_item=raw, actor=actor
        )
    except RadarError as error:
        RawItem.objects.filter(pk=raw.pk).update(
            outcome=RawOutcome.FAILED, outcome_detail=str(error.message)
        )
        raise
    log_action(
        "kaynak.radar.manual.entered",
        actor=actor,
        target=result.opportunity,
        data={"how": how, "raw_item": raw.pk, "outcome": result.outcome},
    )
    return result


def enter_url(*, actor: Any, url: str, fetcher: Fetcher | None = None) -> IngestResult:
    """Fetch the announcement at ``url`` (through the same guard as scans) and ingest it."""
    url = url.strip()
    if not url:
        raise RadarError(_("Enter the address of the announcement."), code="url")
    result = (fetcher or default_fetcher()).fetch(url, accept_types=ACCEPTED_TYPES)
    raw = keep(
        source=services.manual_source(),
        scan=None,
        role=RawRole.MANUAL,
        result=result,
        listed={"entered_as": "url"},
    )
    if not result.ok or result.not_modified:
        reason = fetch_failure_reason(result) or str(result.status)
        RawItem.objects.filter(pk=raw.pk).update(outcome=RawOutcome.FAILED, outcome_detail=reason)
        raise RadarError(
            _("The address could not be read (%(reason)s).") % {"reason": reason}, code="fetch"
        )
    kind = body_kind_of(result)
    RawItem.objects.filter(pk=raw.pk).update(listed={"entered_as": "url", "body_kind": kind})
    raw.refresh_from_db()
    return _ingest(actor=actor, raw=raw, how="url")


def enter_text(*, actor: Any, text: str, title: str = "", url: str = "") -> IngestResult:
    """Ingest an announcement's pasted text (with its title and address when known)."""
    if not text.strip():
        raise RadarError(_("Paste the text of the announcement."), code="empty")
    raw = _kept(
        url=url.strip(),
        body=text.strip().encode("utf-8"),
        kind="txt",
        title=title.strip(),
        how="text",
    )
    return _ingest(actor=actor, raw=raw, how="text")


def enter_file(*, actor: Any, uploaded: UploadedFile[bytes]) -> IngestResult:
    """Ingest an uploaded PDF, HTML or text file (at most 10 MB; its type is read from its
    bytes, not its name)."""
    too_large = _("The file is larger than %(size)d MB.") % {"size": MAX_UPLOAD_BYTES // 2**20}
    if uploaded.size is not None and uploaded.size > MAX_UPLOAD_BYTES:
        raise RadarError(too_large, code="too_large")
    chunks: list[bytes] = []
    size = 0
    for chunk in uploaded.chunks():
        size += len(chunk)
        if size > MAX_UPLOAD_BYTES:
            raise RadarError(too_large, code="too_large")
        chunks.append(chunk)
    data = b"".join(chunks)
    if not data.strip():
        raise RadarError(_("The file is empty."), code="empty")
    kind = sniff(data)
    if kind is None:
        raise RadarError(
            _("This file type is not supported: upload a PDF, an HTML page or a text file."),
            code="unsupported",
        )
    raw = _kept(url="", body=data, kind=kind, how="file")
    RawItem.objects.filter(pk=raw.pk).update(
        listed={**raw.listed, "file_name": (uploaded.name or "")[:200]}
    )
    return _ingest(actor=actor, raw=raw, how="file")
