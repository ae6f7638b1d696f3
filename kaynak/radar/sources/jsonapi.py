"""A JSON API with a field mapping set per source:

    {"items": "data.calls",
     "fields": {"title": "name", "url": "links.self", "id": "code", "deadline": "closes",
                "summary": "description", "amount_min": "grant.min", "amount_max": "grant.max",
                "currency": "grant.currency"},
     "method": "POST", "body": {"status": "open"}}

``items`` is the dotted path to the list of calls ("" when the answer is the list); each field
is a dotted path inside one item (list indexes as numbers: "titles.0"). ``title`` and ``url`` are
required. ``method`` is GET (default) or POST, which sends ``body`` as JSON.
"""

from __future__ import annotations

from typing import Any, ClassVar
from urllib.parse import urljoin

from django.utils.translation import gettext as _

from kaynak.radar.candidates import Candidate
from kaynak.radar.fetching import FetchRequest, FetchResult
from kaynak.radar.models import Source
from kaynak.radar.sources.base import Listed, SourceError
from kaynak.radar.sources.common import (
    MISSING,
    amount,
    candidate_from,
    currency,
    deadline,
    dig,
    load_json,
    plain_text,
    text_of,
)

FIELD_NAMES = (
    "title", "url", "id", "deadline", "summary", "amount_min", "amount_max", "currency",
)  # fmt: skip
REQUIRED_FIELDS = ("title", "url")


class JsonApiAdapter:
    kind: ClassVar[str] = "json"
    accept_types: ClassVar[frozenset[str] | None] = None

    def listing_requests(self, source: Source) -> list[FetchRequest]:
        config = source.config
        if str(config.get("method", "GET")).upper() == "POST":
            return [FetchRequest(source.url, method="POST", json=config.get("body") or {})]
        return [FetchRequest(source.url)]

    def next_request(self, source: Source, result: FetchResult) -> FetchRequest | None:
        return None

    def parse_listing(self, source: Source, result: FetchResult) -> list[Listed]:
        config = source.config
        mapping: dict[str, str] = config.get("fields", {})
        items = dig(load_json(result), config.get("items", ""))
        if items is MISSING or not isinstance(items, list):
            raise SourceError(
                _('The answer has no list at "%(path)s".') % {"path": config.get("items", "")}
            )
        page = result.final_url or result.url or source.url
        listed = []
        for item in items:
            values = {name: dig(item, path) for name, path in mapping.items()}
            title, link = text_of(values.get("title")), text_of(values.get("url"))
            if not title or not link:
                continue
            summary = text_of(values.get("summary"))
            fields: dict[str, Any] = {
                "deadline": deadline(values.get("deadline")),
                "amount_min": amount(values.get("amount_min")),
                "amount_max": amount(values.get("amount_max")),
                "currency": currency(values.get("currency")),
                "external_id": text_of(values.get("id")) or None,
            }
            url = urljoin(page, link)
            listed.append(
                Listed(
                    url=url,
                    title=title,
                    item_key=(text_of(values.get("id")) or url)[:300],
                    summary=plain_text(summary),
                    body=summary,
                    body_kind="html" if "<" in summary else "txt",
                    fields={key: value for key, value in fields.items() if value is not None},
                )
            )
        if items and not listed:
            raise SourceError(
                _(
                    'No item has both a title (path "%(title)s") and a link (path "%(url)s"): '
                    "the mapping does not match the answer."
                )
                % {"title": mapping.get("title"), "url": mapping.get("url")}
            )
        return listed

    def detail_request(self, source: Source, listed: Listed) -> FetchRequest | None:
        return FetchRequest(listed.url) if source.follow_links else None

    def candidate(self, source: Source, listed: Listed, detail: FetchResult | None) -> Candidate:
        return candidate_from(listed, detail)

    def config_errors(self, config: dict[str, Any]) -> list[str]:
        errors = []
        if not isinstance(config.get("items", ""), str):
            errors.append(_('"items" must be a dotted path such as "data.results".'))
        mapping = config.get("fields")
        if not isinstance(mapping, dict):
            return [*errors, _('"fields" must map field names to dotted paths.')]
        for name in REQUIRED_FIELDS:
            if not mapping.get(name):
                errors.append(_('The field "%(name)s" must be mapped.') % {"name": name})
        for name, path in mapping.items():
            if name not in FIELD_NAMES:
                errors.append(
                    _('Unknown field "%(name)s"; known fields: %(known)s.')
                    % {"name": name, "known": ", ".join(FIELD_NAMES)}
                )
            elif not isinstance(path, str):
                errors.append(_('The path of "%(name)s" must be text.') % {"name": name})
        method = str(config.get("method", "GET")).upper()
        if method not in {"GET", "POST"}:
            errors.append(_('"method" must be GET or POST.'))
        if "body" in config and not isinstance(config["body"], dict | list):
            errors.append(_('"body" must be a JSON object or list.'))
        unknown = sorted(set(config) - {"items", "fields", "method", "body"})
        if unknown:
            errors.append(_("Unknown settings: %(keys)s.") % {"keys": ", ".join(unknown)})
        return errors
