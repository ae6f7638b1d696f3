"""A web page listing calls, read with CSS selectors set per source (selectolax, lexbor):

    {"item": "article.duyuru", "title": "h3", "link": "a", "date": "time", "next": "a.next"}

``item`` finds each call on the page; inside it ``title`` gives the title, ``link`` an element
whose ``href`` (resolved against the page's address) is the call's own page, ``date`` (optional)
the date shown; ``next`` (optional) the link to the next page of the list.
"""

from __future__ import annotations

from typing import Any, ClassVar
from urllib.parse import urljoin

from django.utils.translation import gettext as _
from selectolax.lexbor import LexborHTMLParser, LexborNode, SelectolaxError

from kaynak.radar.candidates import Candidate
from kaynak.radar.fetching import FetchRequest, FetchResult
from kaynak.radar.models import Source
from kaynak.radar.sources.base import Listed, SourceError
from kaynak.radar.sources.common import candidate_from, decode_html, plain_text

REQUIRED = ("item", "title", "link")
OPTIONAL = ("date", "next", "summary")


def _tree(result: FetchResult) -> LexborHTMLParser:
    return LexborHTMLParser(decode_html(result.body, result.headers.get("content-type", "")))


def _matches_nothing(selector: str, role: str) -> SourceError:
    return SourceError(
        _('The selector "%(selector)s" (%(role)s) matches nothing on the page.')
        % {"selector": selector, "role": role}
    )


def _href(node: LexborNode) -> str:
    href = node.attributes.get("href")
    if href:
        return href.strip()
    inner = node.css_first("a[href]")
    return (inner.attributes.get("href") or "").strip() if inner is not None else ""


def _text(node: LexborNode | None) -> str:
    return plain_text(node.html or "") if node is not None else ""


class HtmlListAdapter:
    kind: ClassVar[str] = "html"
    accept_types: ClassVar[frozenset[str] | None] = frozenset(
        {"text/html", "application/xhtml+xml"}
    )

    def listing_requests(self, source: Source) -> list[FetchRequest]:
        return [FetchRequest(source.url)]

    def next_request(self, source: Source, result: FetchResult) -> FetchRequest | None:
        selector = source.config.get("next")
        if not selector or not result.ok or not result.body:
            return None
        node = _tree(result).css_first(selector)
        href = _href(node) if node is not None else ""
        if not href:
            return None
        page = result.final_url or result.url
        following = urljoin(page, href)
        if following in {page, result.url} or following.split("#", 1)[0] == page:
            return None
        return FetchRequest(following)

    def parse_listing(self, source: Source, result: FetchResult) -> list[Listed]:
        config = source.config
        tree = _tree(result)
        items = tree.css(config["item"])
        if not items:
            raise _matches_nothing(config["item"], "item")
        page = result.final_url or result.url or source.url
        listed: list[Listed] = []
        titles_found = links_found = False
        for item in items:
            title_node = item.css_first(config["title"])
            link_node = item.css_first(config["link"])
            titles_found |= title_node is not None
            href = _href(link_node) if link_node is not None else ""
            links_found |= bool(href)
            if not href:
                continue
            url = urljoin(page, href)
            title = _text(title_node) or _text(link_node)
            date = None
            if config.get("date"):
                date_node = item.css_first(config["date"])
                if date_node is not None:
                    date = date_node.attributes.get("datetime") or _text(date_node) or None
            summary = ""
            if config.get("summary"):
                summary = _text(item.css_first(config["summary"]))
            listed.append(
                Listed(
                    url=url,
                    title=title or url,
                    item_key=url[:300],
                    summary=summary,
                    published=date,
                    body=item.html or "",
                    body_kind="html",
                )
            )
        if not titles_found:
            raise _matches_nothing(config["title"], "title")
        if not links_found:
            raise _matches_nothing(config["link"], "link")
        return listed

    def detail_request(self, source: Source, listed: Listed) -> FetchRequest | None:
        return FetchRequest(listed.url) if source.follow_links else None

    def candidate(self, source: Source, listed: Listed, detail: FetchResult | None) -> Candidate:
        return candidate_from(listed, detail)

    def config_errors(self, config: dict[str, Any]) -> list[str]:
        errors = []
        for key in REQUIRED:
            if not isinstance(config.get(key), str) or not config[key].strip():
                errors.append(_('"%(key)s" (a CSS selector) is required.') % {"key": key})
        for key in (*REQUIRED, *OPTIONAL):
            selector = config.get(key)
            if isinstance(selector, str) and selector.strip() and not _valid_selector(selector):
                errors.append(
                    _('"%(key)s": "%(selector)s" is not a valid CSS selector.')
                    % {"key": key, "selector": selector}
                )
            elif key in OPTIONAL and selector is not None and not isinstance(selector, str):
                errors.append(_('"%(key)s" must be a CSS selector.') % {"key": key})
        unknown = sorted(set(config) - {*REQUIRED, *OPTIONAL})
        if unknown:
            errors.append(_("Unknown settings: %(keys)s.") % {"keys": ", ".join(unknown)})
        return errors


def _valid_selector(selector: str) -> bool:
    try:
        LexborHTMLParser("<p></p>").css(selector)
    except (SelectolaxError, ValueError):
        return False
    return True
