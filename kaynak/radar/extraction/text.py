"""Announcement text from HTML (boilerplate removed), PDF or plain text, encoding repaired.

Structure that carries meaning is kept as labelled lines: a definition list's ``<dt>``/``<dd>``
and a table row's header and cell become ``Label: value``; ``<time datetime>`` becomes its ISO
value; JSON-LD deadline fields become a ``Deadline:`` line.
"""

from __future__ import annotations

import io
import json
import re
from typing import Any

import ftfy
from selectolax.lexbor import LexborHTMLParser as HTMLParser
from selectolax.lexbor import LexborNode as Node

# An announcement is never this long; a bigger body is cut rather than parsed for minutes.
MAX_INPUT = 5_000_000
MAX_TEXT = 300_000
BOILERPLATE = "script, style, noscript, nav, header, footer, aside, form, iframe, svg, button"
BLOCKS = {
    "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "dt", "dd", "br",
    "section", "article", "table", "ul", "ol", "dl", "blockquote", "pre", "main",
}  # fmt: skip
JSONLD_DEADLINE_KEYS = ("applicationDeadline", "deadline", "validThrough", "endDate")


def decode(data: bytes) -> str:
    """UTF-8 when it is, otherwise Windows-1254 (Turkish pages), then mojibake repaired."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1254", errors="replace")
    return fix(text)


def fix(text: str) -> str:
    return ftfy.fix_text(text.replace("\x00", " "), normalization="NFC")


def _jsonld_lines(tree: HTMLParser) -> list[str]:
    lines: list[str] = []
    for node in tree.css('script[type="application/ld+json"]'):
        try:
            data: Any = json.loads(node.text() or "")
        except (ValueError, RecursionError):
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                for key, value in item.items():
                    if key in JSONLD_DEADLINE_KEYS and isinstance(value, str):
                        lines.append(f"Deadline: {value}")
                    elif isinstance(value, dict | list):
                        stack.append(value)
    return lines


def _walk(node: Node, out: list[str]) -> None:
    child = node.child
    while child is not None:
        tag = child.tag
        if tag == "-text":
            out.append(child.text(deep=False) or "")
        elif tag == "time" and child.attributes.get("datetime"):
            out.append(f" {child.attributes['datetime']} ")
        elif tag == "tr":
            cells = [c.text(separator=" ", strip=True) for c in child.css("th, td")]
            out.append("\n" + ": ".join(c for c in cells if c) + "\n")
        elif tag == "dt":
            out.append("\n" + child.text(separator=" ", strip=True).rstrip(":") + ": ")
        elif tag == "dd":
            _walk(child, out)
        else:
            block = tag in BLOCKS
            if block:
                out.append("\n")
            _walk(child, out)
            if block:
                out.append("\n")
        child = child.next


def html_to_text(html: str) -> str:
    tree = HTMLParser(html)
    extra = _jsonld_lines(tree)
    title = tree.css_first("title")
    for node in tree.css(BOILERPLATE):
        node.decompose()
    body = tree.css_first("main") or tree.css_first("article") or tree.body or tree.root
    out: list[str] = []
    if body is not None:
        try:
            _walk(body, out)
        except RecursionError:  # pathologically deep nesting: plain text of the body instead
            out = [body.text(separator="\n")]
    text = "".join(out)
    if title is not None and not tree.css_first("h1"):
        text = title.text(strip=True) + "\n" + text
    return tidy(text + "\n" + "\n".join(extra))


def pdf_to_text(data: bytes) -> str:
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        pages = [page.extract_text() or "" for page in reader.pages]
    except Exception:
        return ""
    text = tidy(fix("\n".join(pages)))
    # a line wrapped inside a paragraph continues in lower case: join it back
    return re.sub(r"(?<=[^\s.:;!?])\n(?=[a-zçğıöşü(])", " ", text)


def tidy(text: str) -> str:
    lines = (re.sub(r"[ \t\u00a0]+", " ", line).strip() for line in text.splitlines())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()[:MAX_TEXT]


def to_text(data: str | bytes, kind: str) -> str:
    """Plain text of one announcement; ``kind`` is ``txt``, ``html`` or ``pdf``."""
    data = data[:MAX_INPUT]
    if kind == "pdf":
        if isinstance(data, str):
            data = data.encode("utf-8", errors="replace")
        return pdf_to_text(data)
    text = decode(data) if isinstance(data, bytes) else fix(data)
    if kind == "html":
        return html_to_text(text)
    return tidy(text)
