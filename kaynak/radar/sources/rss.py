"""RSS and Atom feeds (feedparser): each entry is a call, its own page fetched when the source
follows links (a WordPress feed's excerpt rarely states the deadline)."""

from __future__ import annotations

import time
from typing import Any, ClassVar
from urllib.parse import urljoin

import feedparser
from django.utils.translation import gettext as _

from kaynak.radar.candidates import Candidate
from kaynak.radar.fetching import FetchRequest, FetchResult
from kaynak.radar.models import Source
from kaynak.radar.sources.base import Listed, SourceError
from kaynak.radar.sources.common import SUMMARY_LENGTH, candidate_from, plain_text


def _published(entry: Any) -> str | None:
    stamp = entry.get("published_parsed") or entry.get("updated_parsed")
    if not stamp:
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", stamp)


class RssAdapter:
    kind: ClassVar[str] = "rss"
    # Feeds are served as anything from application/rss+xml to text/html; the parser decides.
    accept_types: ClassVar[frozenset[str] | None] = None

    def listing_requests(self, source: Source) -> list[FetchRequest]:
        return [FetchRequest(source.url)]

    def next_request(self, source: Source, result: FetchResult) -> FetchRequest | None:
        return None

    def parse_listing(self, source: Source, result: FetchResult) -> list[Listed]:
        parsed = feedparser.parse(
            result.body, response_headers={"content-type": result.headers.get("content-type", "")}
        )
        if not parsed.get("version"):
            raise SourceError(_("not an RSS or Atom feed"))
        base = result.final_url or result.url or source.url
        listed = []
        for entry in parsed.entries:
            link = entry.get("link") or ""
            title = plain_text(entry.get("title") or "")
            if not link and not title:
                continue
            content = entry.get("content") or []
            html = (content[0].get("value") if content else "") or entry.get("summary") or ""
            summary = plain_text(entry.get("summary") or html)[:SUMMARY_LENGTH]
            url = urljoin(base, link) if link else base
            listed.append(
                Listed(
                    url=url,
                    title=title or summary[:200],
                    item_key=str(entry.get("id") or url)[:300],
                    summary=summary,
                    published=_published(entry),
                    body=html,
                    body_kind="html",
                )
            )
        return listed

    def detail_request(self, source: Source, listed: Listed) -> FetchRequest | None:
        if source.follow_links and listed.url and listed.url != source.url:
            return FetchRequest(listed.url)
        return None

    def candidate(self, source: Source, listed: Listed, detail: FetchResult | None) -> Candidate:
        return candidate_from(listed, detail)

    def config_errors(self, config: dict[str, Any]) -> list[str]:
        return []
