"""Helpers the adapters share: reading bodies (charset, JSON, dotted paths), turning source values
into the extraction's field shapes, and the candidate built from a list entry and its page."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from selectolax.lexbor import LexborHTMLParser

from kaynak.radar.candidates import BodyKind, Candidate
from kaynak.radar.extraction.text import decode, fix
from kaynak.radar.fetching import FetchResult
from kaynak.radar.sources.base import Listed, SourceError

CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
SUMMARY_LENGTH = 600
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
PDF_TYPES = frozenset({"application/pdf", "application/x-pdf"})
# Turkish pages often declare ISO-8859-9 (Latin-5) when they mean Windows-1254, its superset.
CHARSET_ALIASES = {"iso-8859-9": "cp1254", "latin5": "cp1254", "windows-1254": "cp1254"}


def _charset_of(content_type: str) -> str | None:
    match = re.search(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", content_type, re.IGNORECASE)
    return match[1].lower() if match else None


def decode_html(body: bytes, content_type: str = "") -> str:
    """A page's text in the charset it declares (header, then ``<meta>``), otherwise UTF-8 when
    it is and Windows-1254 when it is not (``extraction.text.decode``)."""
    declared = _charset_of(content_type)
    if declared is None:
        meta = CHARSET.search(body[:4096])
        declared = meta[1].decode("ascii").lower() if meta else None
    if declared:
        codec = CHARSET_ALIASES.get(declared, declared)
        try:
            return fix(body.decode(codec))
        except (LookupError, UnicodeDecodeError):
            pass
    return decode(body)


def load_json(result: FetchResult) -> Any:
    """The body as JSON, or SourceError saying it is not."""
    try:
        return json.loads(result.body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        raise SourceError(_("The answer is not JSON: %(reason)s") % {"reason": error}) from error


MISSING = object()


def dig(data: Any, path: str) -> Any:
    """The value at a dotted ``path`` ("data.items", "metadata.title.0"); ``MISSING`` when a step
    is absent. An empty path is the data itself."""
    current = data
    for step in path.split(".") if path else []:
        if isinstance(current, dict) and step in current:
            current = current[step]
        elif isinstance(current, list) and step.lstrip("-").isdigit():
            index = int(step)
            if not -len(current) <= index < len(current):
                return MISSING
            current = current[index]
        else:
            return MISSING
    return current


def first(value: Any) -> Any:
    """A scalar from a value that may be a one-item list (as search APIs give metadata)."""
    while isinstance(value, list):
        if not value:
            return None
        value = value[0]
    return None if value is MISSING else value


def text_of(value: Any) -> str:
    value = first(value)
    if value is None:
        return ""
    return re.sub(r"\s+", " ", str(value)).strip()


def plain_text(html: str) -> str:
    """Visible text of an HTML fragment, on one line (for summaries and titles)."""
    if "<" not in html:
        return re.sub(r"\s+", " ", html).strip()
    tree = LexborHTMLParser(html)
    node = tree.body or tree.root
    return re.sub(r"\s+", " ", node.text(separator=" ") if node is not None else "").strip()


def amount(value: Any) -> int | float | None:
    """A grant size from a structured field; None when missing, empty, not a number or not
    above zero (APIs write 0 for "not stated": an unknown size is never 0)."""
    value = first(value)
    if value is None or isinstance(value, bool):
        return None
    text = str(value).strip().replace(",", "").replace(" ", "").lstrip("$€£")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None
    if not number.is_finite() or number <= 0:
        return None
    return int(number) if number == number.to_integral_value() else float(number)


def currency(value: Any) -> str | None:
    code = text_of(value).upper()
    return code if re.fullmatch(r"[A-Z]{3}", code) else None


def deadline(value: Any) -> str | None:
    """``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM`` (wall clock as stated) from an ISO date or
    date-time; None for anything else, so extraction decides from the text."""
    value = first(value)
    if isinstance(value, datetime):
        return _wall_clock(value)
    if isinstance(value, date):
        return value.isoformat()
    text = text_of(value)
    if not text:
        return None
    try:
        if len(text) == 10:
            return date.fromisoformat(text).isoformat()
        return _wall_clock(datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        return None


def _wall_clock(moment: datetime) -> str:
    if (moment.hour, moment.minute) == (0, 0):
        return moment.date().isoformat()
    return moment.strftime("%Y-%m-%dT%H:%M")


def body_kind_of(result: FetchResult) -> BodyKind:
    if result.body.startswith(b"%PDF") or result.content_type in PDF_TYPES:
        return "pdf"
    if result.content_type in HTML_TYPES or b"<html" in result.body[:2048].lower():
        return "html"
    return "txt"


def detail_body(result: FetchResult) -> tuple[str | bytes, BodyKind]:
    """A fetched page as extraction reads it: HTML decoded in its charset, PDF as bytes."""
    kind = body_kind_of(result)
    if kind == "pdf":
        return result.body, kind
    if kind == "html":
        return decode_html(result.body, result.headers.get("content-type", "")), kind
    return decode_html(result.body, result.headers.get("content-type", "")), kind


def candidate_from(listed: Listed, detail: FetchResult | None) -> Candidate:
    """The entry as ingestion reads it: its own page when fetched, else the entry's text."""
    body: str | bytes = listed.body
    kind = listed.body_kind
    if detail is not None and detail.ok and not detail.not_modified and detail.body:
        body, kind = detail_body(detail)
    if not body:
        body = listed.summary or listed.title
        kind = "html" if "<" in str(body) else "txt"
    summary = listed.summary
    if not summary and isinstance(listed.body, str):
        # The entry's own text, without its title (a list item often repeats it first).
        summary = plain_text(listed.body).removeprefix(listed.title).strip()[:SUMMARY_LENGTH]
    return Candidate(
        url=listed.url,
        title=listed.title or plain_text(listed.summary)[:200] or listed.url,
        body=body,
        body_kind=kind,
        item_key=listed.item_key,
        summary=summary,
        fields=dict(listed.fields),
    )
