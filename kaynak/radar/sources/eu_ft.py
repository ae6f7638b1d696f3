"""The EU Funding & Tenders portal's search API (SEDIA).

One POST per page to ``…/search-api/prod/rest/search?apiKey=SEDIA&text=…&pageSize=50&pageNumber=N``
with a multipart body whose parts ``query``, ``languages`` and ``sort`` are JSON and **sent with
the content type application/json**: a part without it is taken as plain text and the portal
silently ignores the filter (and returns every tender in the EU).

The answer has one record per language of each topic, so records are grouped by ``reference``
(the topic's identifier when there is none) and the record in the source's language is kept,
else English, else the first. ``reference`` is the call's key. A topic may have several
cut-offs (``metadata.deadlineDate`` is a list): the earliest is the deadline, the others go to
``other_deadlines``. Config (all optional)::

    {"text": "civil society", "query": {"bool": {"must": [...]}}, "languages": ["en"],
     "sort": {"field": "sortStatus", "order": "ASC"}, "page_size": 50, "max_pages": 10}
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

from kaynak.radar.candidates import Candidate
from kaynak.radar.fetching import FetchRequest, FetchResult, Part
from kaynak.radar.models import Source
from kaynak.radar.sources.base import MAX_LISTING_PAGES, Listed, SourceError
from kaynak.radar.sources.common import candidate_from, first, load_json, plain_text, text_of

SEARCH_URL = "https://api.tech.ec.europa.eu/search-api/prod/rest/search"
TOPIC_URL = (
    "https://ec.europa.eu/info/funding-tenders/opportunities/portal/screen/opportunities/"
    "topic-details/{identifier}"
)
CASCADE_URL = (
    "https://ec.europa.eu/info/funding-tenders/opportunities/portal/screen/opportunities/"
    "competitive-calls-cs/{identifier}"
)
# Portal codes: type 1 = call topic, 2 = call for proposals, 8 = cascade funding (calls by
# projects that pass EU money on, often to NGOs); status 31094501 = forthcoming, 31094502 = open.
DEFAULT_QUERY: dict[str, Any] = {
    "bool": {
        "must": [
            {"terms": {"type": ["1", "2", "8"]}},
            {"terms": {"status": ["31094501", "31094502"]}},
        ]
    }
}
DEFAULT_SORT = {"field": "sortStatus", "order": "ASC"}
DEFAULT_PAGE_SIZE = 50
BRUSSELS = ZoneInfo("Europe/Brussels")
CONFIG_KEYS = {"text", "query", "languages", "sort", "page_size", "max_pages"}


def _json_part(name: str, value: Any) -> Part:
    return (name, None, json.dumps(value, ensure_ascii=False).encode(), "application/json")


def _page_url(base: str, config: dict[str, Any], page: int) -> str:
    parts = urlsplit(base)
    query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
    query |= {
        "apiKey": query.get("apiKey", "SEDIA"),
        "text": config.get("text") or "***",
        "pageSize": str(config.get("page_size") or DEFAULT_PAGE_SIZE),
        "pageNumber": str(page),
    }
    return urlunsplit(parts._replace(query=urlencode(query)))


def _page_of(url: str) -> int:
    values = parse_qs(urlsplit(url).query).get("pageNumber") or ["1"]
    return int(values[-1]) if values[-1].isdigit() else 1


def _cut_off(value: str) -> tuple[datetime, str] | None:
    """A portal deadline ("2027-03-04T16:00:00.000+0000") as an instant and as the wall clock in
    Brussels, where the portal's deadlines are set (usually 17:00 CET/CEST)."""
    try:
        moment = datetime.fromisoformat(value.replace(".000", "").replace("+0000", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=BRUSSELS), moment.strftime("%Y-%m-%dT%H:%M")
    local = moment.astimezone(BRUSSELS)
    if (moment.hour, moment.minute, moment.second) == (0, 0, 0):
        # A bare date stored as midnight UTC: the day, without an invented time.
        return moment, moment.date().isoformat()
    return moment, local.strftime("%Y-%m-%dT%H:%M")


def _budget(metadata: dict[str, Any]) -> tuple[int | None, int | None]:
    """The smallest and largest EU contribution per grant from ``budgetOverview`` (a JSON
    string), over all the topic's actions; Nones when the portal does not state them."""
    raw = first(metadata.get("budgetOverview"))
    try:
        overview = json.loads(raw) if isinstance(raw, str) else raw
    except ValueError:
        return None, None
    if not isinstance(overview, dict):
        return None, None
    lows: list[int] = []
    highs: list[int] = []
    for actions in (overview.get("budgetTopicActionMap") or {}).values():
        for action in actions if isinstance(actions, list) else []:
            low, high = action.get("minContribution"), action.get("maxContribution")
            if isinstance(low, int | float) and low > 0:
                lows.append(int(low))
            if isinstance(high, int | float) and high > 0:
                highs.append(int(high))
    return (min(lows) if lows else None), (max(highs) if highs else None)


def _language(record: dict[str, Any]) -> str:
    return text_of(record.get("language") or record.get("metadata", {}).get("language")).lower()


def _choose(records: list[dict[str, Any]], preferred: str) -> dict[str, Any]:
    for language in (preferred, "en"):
        for record in records:
            if language and _language(record) == language:
                return record
    return records[0]


class EuFundingTendersAdapter:
    kind: ClassVar[str] = "eu-ft"
    accept_types: ClassVar[frozenset[str] | None] = None

    def _request(self, source: Source, page: int) -> FetchRequest:
        config = source.config
        return FetchRequest(
            _page_url(source.url or SEARCH_URL, config, page),
            method="POST",
            files=(
                _json_part("query", config.get("query") or DEFAULT_QUERY),
                _json_part("languages", config.get("languages") or ["en"]),
                _json_part("sort", config.get("sort") or DEFAULT_SORT),
            ),
        )

    def listing_requests(self, source: Source) -> list[FetchRequest]:
        return [self._request(source, 1)]

    def next_request(self, source: Source, result: FetchResult) -> FetchRequest | None:
        try:
            answer = load_json(result)
        except SourceError:
            return None
        page = _page_of(result.url)
        size = int(source.config.get("page_size") or DEFAULT_PAGE_SIZE)
        total = answer.get("totalResults") if isinstance(answer, dict) else None
        limit = min(int(source.config.get("max_pages") or MAX_LISTING_PAGES), MAX_LISTING_PAGES)
        if not isinstance(total, int) or page * size >= total or page >= limit:
            return None
        return self._request(source, page + 1)

    def parse_listing(self, source: Source, result: FetchResult) -> list[Listed]:
        answer = load_json(result)
        records = answer.get("results") if isinstance(answer, dict) else None
        if not isinstance(records, list):
            raise SourceError(_('The answer has no list at "%(path)s".') % {"path": "results"})
        groups: dict[str, list[dict[str, Any]]] = {}
        for record in records:
            if not isinstance(record, dict):
                continue
            metadata = record.get("metadata") or {}
            key = text_of(record.get("reference")) or text_of(metadata.get("identifier"))
            if key:
                groups.setdefault(key, []).append(record)
        return [self._listed(key, _choose(group, source.language)) for key, group in groups.items()]

    def _listed(self, key: str, record: dict[str, Any]) -> Listed:
        metadata: dict[str, Any] = record.get("metadata") or {}
        identifier = text_of(metadata.get("identifier")) or key
        kind = text_of(metadata.get("type"))
        template = CASCADE_URL if kind == "8" else TOPIC_URL
        url = template.format(identifier=identifier.lower() if kind != "8" else identifier)
        cut_offs = sorted(
            filter(None, (_cut_off(str(value)) for value in metadata.get("deadlineDate") or []))
        )
        low, high = _budget(metadata)
        description = text_of(metadata.get("descriptionByte")) or text_of(record.get("content"))
        summary = plain_text(text_of(record.get("summary")) or text_of(metadata.get("callTitle")))
        language = _language(record)
        fields: dict[str, Any] = {
            "external_id": key,
            "funder_name": "European Commission",
            "deadline": cut_offs[0][1] if cut_offs else None,
            "deadline_kind": "fixed" if cut_offs else None,
            "deadline_timezone": "Europe/Brussels" if cut_offs and "T" in cut_offs[0][1] else None,
            "other_deadlines": [
                {"date": wall_clock, "label": "cut-off"} for _moment, wall_clock in cut_offs[1:]
            ],
            "amount_min": low,
            "amount_max": high,
            "currency": "EUR" if low or high else None,
            "language": language if language in {"tr", "en"} else None,
        }
        title = text_of(metadata.get("title")) or text_of(record.get("title")) or identifier
        return Listed(
            url=url,
            title=title,
            item_key=key[:300],
            summary=summary,
            body=description or summary,
            body_kind="html",
            fields={name: value for name, value in fields.items() if value not in (None, [])},
        )

    def detail_request(self, source: Source, listed: Listed) -> FetchRequest | None:
        # The portal's topic page is a JavaScript application; the API record is all there is.
        return None

    def candidate(self, source: Source, listed: Listed, detail: FetchResult | None) -> Candidate:
        return candidate_from(listed, detail)

    def config_errors(self, config: dict[str, Any]) -> list[str]:
        errors = []
        if "text" in config and not isinstance(config["text"], str):
            errors.append(_('"text" must be the search words.'))
        if "query" in config and not isinstance(config["query"], dict):
            errors.append(_('"query" must be a JSON object (the portal\'s search query).'))
        languages = config.get("languages", ["en"])
        if not isinstance(languages, list) or not all(isinstance(v, str) for v in languages):
            errors.append(_('"languages" must be a list of language codes such as ["en"].'))
        if "sort" in config and not isinstance(config["sort"], dict):
            errors.append(_('"sort" must be a JSON object.'))
        for key in ("page_size", "max_pages"):
            value = config.get(key, 1)
            if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 100:
                errors.append(_('"%(key)s" must be a whole number from 1 to 100.') % {"key": key})
        unknown = sorted(set(config) - CONFIG_KEYS)
        if unknown:
            errors.append(_("Unknown settings: %(keys)s.") % {"keys": ", ".join(unknown)})
        return errors
