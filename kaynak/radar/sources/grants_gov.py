"""Grants.gov: ``search2`` for the list, ``fetchOpportunity`` for each hit.

``POST https://api.grants.gov/v1/api/search2`` with JSON ``{"keyword", "oppStatuses":
"forecasted|posted", "rows", "startRecordNum"}`` (plus ``agencies``/``eligibilities``/
``fundingCategories`` when configured) lists hits; each hit's details come from ``POST
…/fetchOpportunity`` with ``{"opportunityId": id}`` (its detail request). The opportunity number
is the call's key. Award ceiling and floor: missing, empty, "none" or "0" mean **unknown**
(None), never 0 — Grants.gov writes 0 when the agency did not state a size. ``closeDate`` is
``MM/DD/YYYY``. Eligibility codes map to our applicant types (``ELIGIBILITY``). Config::

    {"keyword": "Turkey", "rows": 25, "agencies": "DOS-TUR", "max_pages": 4}
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, ClassVar

from django.utils.translation import gettext as _

from kaynak.radar.candidates import Candidate
from kaynak.radar.fetching import FetchRequest, FetchResult
from kaynak.radar.models import Source
from kaynak.radar.sources.base import MAX_LISTING_PAGES, Listed, SourceError
from kaynak.radar.sources.common import amount, candidate_from, load_json, plain_text, text_of

SEARCH_URL = "https://api.grants.gov/v1/api/search2"
DETAIL_PAGE = "https://www.grants.gov/search-results-detail/{id}"
DEFAULT_ROWS = 25
CONFIG_KEYS = {
    "keyword", "rows", "agencies", "eligibilities", "fundingCategories", "oppStatuses",
    "max_pages",
}  # fmt: skip

NGO_TYPES = ["association", "foundation"]
# Grants.gov eligibility codes → our applicant types. 25 ("Others, see the eligibility text")
# maps to nothing: extraction reads the text. 99 ("Unrestricted") opens the call to every kind
# of organisation and to individuals.
ELIGIBILITY: dict[str, list[str]] = {
    "00": ["public-body"],  # State governments
    "01": ["public-body"],  # County governments
    "02": ["municipality"],  # City or township governments
    "04": ["public-body"],  # Special district governments
    "05": ["public-body"],  # Independent school districts
    "06": ["university"],  # Public and State controlled institutions of higher education
    "07": ["public-body"],  # Native American tribal governments (Federally recognized)
    "08": ["public-body"],  # Public housing authorities / Indian housing authorities
    "11": NGO_TYPES,  # Native American tribal organizations (other than governments)
    "12": NGO_TYPES,  # Nonprofits having a 501(c)(3) status, other than higher education
    "13": NGO_TYPES,  # Nonprofits without 501(c)(3) status, other than higher education
    "20": ["university"],  # Private institutions of higher education
    "21": ["individual"],  # Individuals
    "22": ["company"],  # For profit organizations other than small businesses
    "23": ["company"],  # Small businesses
    "25": [],  # Others (see "Additional Information on Eligibility")
    "99": [
        "association", "foundation", "cooperative", "federation", "platform", "university",
        "public-body", "municipality", "chamber", "company", "individual", "union",
    ],  # Unrestricted
}  # fmt: skip


def _close_date(value: Any) -> str | None:
    """``MM/DD/YYYY`` (search2) → ``YYYY-MM-DD``; None when absent or impossible."""
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", text_of(value))
    if not match:
        return None
    try:
        return date(int(match[3]), int(match[1]), int(match[2])).isoformat()
    except ValueError:
        return None


def _response_date(value: Any) -> str | None:
    """``responseDateStr`` of fetchOpportunity ("2027-03-31-00-00-00") → ``YYYY-MM-DD``."""
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", text_of(value))
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3])).isoformat()
    except ValueError:
        return None


def applicant_types(codes: list[Any]) -> list[str]:
    found: set[str] = set()
    for item in codes:
        code = text_of(item.get("id") if isinstance(item, dict) else item)
        found.update(ELIGIBILITY.get(code.zfill(2), []))
    return sorted(found)


def _ok(answer: Any) -> dict[str, Any]:
    if not isinstance(answer, dict) or not isinstance(answer.get("data"), dict):
        raise SourceError(_('The answer has no "data" object.'))
    if answer.get("errorcode") not in (None, 0, "0"):
        raise SourceError(
            _("Grants.gov answered with an error: %(message)s")
            % {"message": text_of(answer.get("msg")) or answer.get("errorcode")}
        )
    data: dict[str, Any] = answer["data"]
    return data


def _opportunity_id(listed: Listed) -> str:
    return listed.url.rstrip("/").rsplit("/", 1)[-1]


class GrantsGovAdapter:
    kind: ClassVar[str] = "grants-gov"
    accept_types: ClassVar[frozenset[str] | None] = None

    def _search(self, source: Source, start: int) -> FetchRequest:
        config = source.config
        body: dict[str, Any] = {
            "keyword": config.get("keyword", ""),
            "oppStatuses": config.get("oppStatuses", "forecasted|posted"),
            "rows": int(config.get("rows") or DEFAULT_ROWS),
            "startRecordNum": start,
        }
        for key in ("agencies", "eligibilities", "fundingCategories"):
            if config.get(key):
                body[key] = config[key]
        return FetchRequest(source.url or SEARCH_URL, method="POST", json=body)

    def listing_requests(self, source: Source) -> list[FetchRequest]:
        return [self._search(source, 0)]

    def next_request(self, source: Source, result: FetchResult) -> FetchRequest | None:
        try:
            data = _ok(load_json(result))
        except SourceError:
            return None
        params = data.get("searchParams") or {}
        start = data.get("startRecord", params.get("startRecordNum", 0))
        rows = int(params.get("rows") or source.config.get("rows") or DEFAULT_ROWS)
        hits, total = data.get("oppHits") or [], data.get("hitCount")
        limit = min(int(source.config.get("max_pages") or MAX_LISTING_PAGES), MAX_LISTING_PAGES)
        following = int(start) + rows
        if not hits or not isinstance(total, int) or following >= total:
            return None
        if following // rows >= limit:
            return None
        return self._search(source, following)

    def parse_listing(self, source: Source, result: FetchResult) -> list[Listed]:
        data = _ok(load_json(result))
        hits = data.get("oppHits")
        if not isinstance(hits, list):
            raise SourceError(_('The answer has no list at "%(path)s".') % {"path": "data.oppHits"})
        listed = []
        for hit in hits:
            identifier, title = text_of(hit.get("id")), text_of(hit.get("title"))
            if not identifier or not title:
                continue
            number = text_of(hit.get("number")) or identifier
            closes = _close_date(hit.get("closeDate"))
            agency = text_of(hit.get("agency"))
            fields: dict[str, Any] = {
                "external_id": number,
                "funder_name": agency or None,
                "deadline": closes,
                "deadline_kind": "fixed" if closes else None,
                "language": "en",
            }
            listed.append(
                Listed(
                    url=DETAIL_PAGE.format(id=identifier),
                    title=title,
                    item_key=number[:300],
                    summary=" · ".join(filter(None, [agency, text_of(hit.get("oppStatus"))])),
                    published=_close_date(hit.get("openDate")),
                    body=f"{title}\n{agency}",
                    body_kind="txt",
                    fields={key: value for key, value in fields.items() if value is not None},
                )
            )
        return listed

    def detail_request(self, source: Source, listed: Listed) -> FetchRequest | None:
        identifier = _opportunity_id(listed)
        if not identifier.isdigit():
            return None
        base = source.url or SEARCH_URL
        fetch_url = base.rsplit("/", 1)[0] + "/fetchOpportunity"
        return FetchRequest(fetch_url, method="POST", json={"opportunityId": int(identifier)})

    def candidate(self, source: Source, listed: Listed, detail: FetchResult | None) -> Candidate:
        fallback = candidate_from(listed, None)
        if detail is None or not detail.ok or not detail.body:
            return fallback
        try:
            data = _ok(load_json(detail))
        except SourceError:
            return fallback
        # A forecast has the same fields as a synopsis, under its own key.
        details = data.get("synopsis") or data.get("forecast") or {}
        if not isinstance(details, dict):
            return fallback
        ceiling, floor = amount(details.get("awardCeiling")), amount(details.get("awardFloor"))
        if ceiling is not None and floor is not None and floor > ceiling:
            floor = None
        description = text_of(details.get("synopsisDesc") or details.get("forecastDesc"))
        eligibility = text_of(details.get("applicantEligibilityDesc"))
        body = "".join(
            [
                f"<h1>{listed.title}</h1>",
                f"<div>{description}</div>" if description else "",
                f"<h2>Eligible applicants</h2><div>{eligibility}</div>" if eligibility else "",
            ]
        )
        fields = dict(listed.fields)
        closes = _response_date(
            details.get("responseDateStr") or details.get("estApplicationResponseDateStr")
        )
        if closes:
            fields |= {"deadline": closes, "deadline_kind": "fixed"}
        types = applicant_types(details.get("applicantTypes") or [])
        fields |= {
            "amount_min": floor,
            "amount_max": ceiling,
            "currency": "USD" if floor or ceiling else None,
            "applicant_types": types or None,
            "funder_name": text_of(details.get("agencyName")) or fields.get("funder_name"),
        }
        return Candidate(
            url=listed.url,
            title=text_of(data.get("opportunityTitle")) or listed.title,
            body=body,
            body_kind="html",
            item_key=listed.item_key,
            summary=plain_text(description)[:600] or listed.summary,
            fields={key: value for key, value in fields.items() if value is not None},
        )

    def config_errors(self, config: dict[str, Any]) -> list[str]:
        errors = []
        for key in ("keyword", "agencies", "eligibilities", "fundingCategories", "oppStatuses"):
            if key in config and not isinstance(config[key], str):
                errors.append(_('"%(key)s" must be text.') % {"key": key})
        for key, top in (("rows", 1000), ("max_pages", 100)):
            value = config.get(key, 1)
            if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= top:
                errors.append(
                    _('"%(key)s" must be a whole number from 1 to %(top)s.')
                    % {"key": key, "top": top}
                )
        unknown = sorted(set(config) - CONFIG_KEYS)
        if unknown:
            errors.append(_("Unknown settings: %(keys)s.") % {"keys": ", ".join(unknown)})
        return errors
