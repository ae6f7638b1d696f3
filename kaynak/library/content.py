"""Pure helpers of the library: video addresses, article HTML, PDF text. No database.

- ``parse_video_url``: a YouTube or Vimeo address → provider and id, and the privacy-friendly
  embed address (``www.youtube-nocookie.com``, Vimeo with ``dnt=1``); any other host is refused.
- ``clean_body``: article HTML cleaned with nh3 (a short allow-list); text with no tag at all
  is split into paragraphs at blank lines, so an editor may also write plain text.
- ``pdf_text``: the text of a PDF (pypdf), for search and the accessible text view.
"""

from __future__ import annotations

import html
import io
import re
from dataclasses import dataclass
from typing import IO
from urllib.parse import parse_qs, urlsplit

import nh3
from django.utils.html import strip_tags
from django.utils.translation import gettext_lazy as _
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from kaynak.core.errors import KaynakError

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "ul", "ol", "li", "a", "strong", "em", "b", "i",
    "blockquote", "table", "thead", "tbody", "tr", "th", "td", "code", "pre", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "th": {"scope"}, "td": {"colspan"}}
MAX_PDF_PAGES = 300
_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_VIMEO_ID = re.compile(r"^[0-9]{6,12}$")
_TAG = re.compile(r"<[a-zA-Z/!]")


class VideoAddressError(KaynakError):
    code = "video_address"


class DocumentError(KaynakError):
    code = "document"


@dataclass(frozen=True)
class Video:
    provider: str  # "youtube" or "vimeo"
    video_id: str

    @property
    def embed_url(self) -> str:
        """The player address: no cookies before play (YouTube), do-not-track (Vimeo)."""
        if self.provider == "youtube":
            return f"https://www.youtube-nocookie.com/embed/{self.video_id}?autoplay=1&rel=0"
        return f"https://player.vimeo.com/video/{self.video_id}?autoplay=1&dnt=1"

    @property
    def watch_url(self) -> str:
        if self.provider == "youtube":
            return f"https://www.youtube.com/watch?v={self.video_id}"
        return f"https://vimeo.com/{self.video_id}"


YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "youtube-nocookie.com",
                 "www.youtube-nocookie.com"}  # fmt: skip
VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}


def parse_video_url(url: str) -> Video:
    """The video a YouTube or Vimeo address points to; ``VideoAddressError`` for anything else.

    Accepted: youtube.com/watch?v=ID, youtu.be/ID, youtube.com/embed/ID, /shorts/ID, /live/ID,
    youtube-nocookie.com/embed/ID; vimeo.com/ID, vimeo.com/channels/x/ID, player.vimeo.com/video/ID.
    """
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower()
    segments = [s for s in parts.path.split("/") if s]
    if parts.scheme not in {"http", "https"} or not host:
        raise VideoAddressError(_("Write the full address of the video, starting with https://."))
    candidate = ""
    if host in YOUTUBE_HOSTS:
        if segments[:1] == ["watch"]:
            candidate = (parse_qs(parts.query).get("v") or [""])[0]
        elif len(segments) >= 2 and segments[0] in {"embed", "shorts", "live", "v"}:
            candidate = segments[1]
        if _YOUTUBE_ID.match(candidate):
            return Video("youtube", candidate)
        raise VideoAddressError(_("This YouTube address does not name a video."))
    if host == "youtu.be":
        candidate = segments[0] if segments else ""
        if _YOUTUBE_ID.match(candidate):
            return Video("youtube", candidate)
        raise VideoAddressError(_("This YouTube address does not name a video."))
    if host in VIMEO_HOSTS:
        candidate = next((s for s in reversed(segments) if s.isdigit()), "")
        if _VIMEO_ID.match(candidate):
            return Video("vimeo", candidate)
        raise VideoAddressError(_("This Vimeo address does not name a video."))
    raise VideoAddressError(
        _("Only YouTube and Vimeo videos can be shown (this address is on %(host)s).")
        % {"host": host}
    )


def clean_body(text: str) -> str:
    """Safe HTML for an article or news post (see ``ALLOWED_TAGS``); links get
    ``rel="noopener noreferrer"``. Plain text becomes paragraphs."""
    text = text.strip()
    if not text:
        return ""
    if not _TAG.search(text):
        paragraphs = [p.strip() for p in re.split(r"\n\s*\n", text) if p.strip()]
        text = "".join(
            "<p>" + "<br>".join(html.escape(line) for line in p.splitlines()) + "</p>"
            for p in paragraphs
        )
    return nh3.clean(
        text,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
    ).strip()


def html_to_text(body: str) -> str:
    """Plain text of cleaned HTML, blocks on their own lines."""
    spaced = re.sub(r"</(p|h[2-4]|li|tr|blockquote|pre)>|<br\s*/?>", "\n", body)
    text = html.unescape(strip_tags(spaced))
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def pdf_text(stream: IO[bytes] | bytes) -> str:
    """The text of a PDF, page after page; ``DocumentError`` if it is not a readable PDF."""
    data = stream if isinstance(stream, bytes) else stream.read()
    if not data.startswith(b"%PDF"):
        raise DocumentError(_("This file is not a PDF."))
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise DocumentError(_("This PDF is locked with a password; upload an open copy."))
        pages = [page.extract_text() or "" for page in reader.pages[:MAX_PDF_PAGES]]
    except (PdfReadError, ValueError, KeyError) as exc:
        raise DocumentError(_("This PDF could not be read; save it again and upload it.")) from exc
    lines = "\n".join(pages).splitlines()
    return "\n".join(" ".join(line.split()) for line in lines if line.strip())
