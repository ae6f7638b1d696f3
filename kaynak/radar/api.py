"""The radar's API: opportunities (public, also in the CommonGrants shape), sources and drafts
(radar editors).

- ``GET /radar/opportunities`` and ``/radar/opportunities/{id}``: published calls, narrowed by
  the listing's parameters (``queries.SearchFilters``: q, themes, applicant_types, countries,
  funder, currency, amount_min, amount_max, language, deadline_from, deadline_to,
  closing_within_days, include_expired, sort); a bad value answers 422 with the reason per
  parameter, in the house error format.
- ``GET /radar/opportunities/{id}/commongrants`` and ``/radar/commongrants/opportunities``: the
  same calls as CommonGrants ``OpportunityBase`` records (https://commongrants.org): a stable
  UUID (uuid5 of the call's address on this site), status open/closed, per-award min/max as
  Money (an unknown amount is left out, never 0), ``keyDates.closeDate`` (the deadline, in the
  announcement's wall clock; further cut-offs in ``otherDates``), ``source`` (the original
  announcement) and our applicant types, countries, themes, funder and language as
  ``customFields``. The list uses CommonGrants' paginated envelope.
- ``GET /radar/sources`` (``radar.manage_sources``): every source with its health;
  ``GET /radar/drafts`` and ``/radar/drafts/{id}`` (``radar.review_opportunities``): calls
  waiting for review, with what the machine read and every link they were found through.
"""

from __future__ import annotations

import datetime as dt
import math
import uuid
from decimal import Decimal
from typing import Any, Literal

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError

from kaynak.accounts.api_auth import token_or_session
from kaynak.core.models import ApplicantType, Country, Theme
from kaynak.core.pagination import PageNumber
from kaynak.core.permissions import require
from kaynak.radar import queries
from kaynak.radar.models import (
    Opportunity,
    OpportunityLink,
    OpportunityStatus,
    Source,
)
from kaynak.radar.queries import SearchFilters

router = Router(tags=["funding radar"])


# Schemas ----------------------------------------------------------------------------------------


class OpportunityFilterIn(Schema):
    """The public listing's filters; repeat a multi-valued parameter or separate with commas."""

    q: str | None = Field(None, description="Words in the title, summary or funder")
    themes: list[str] = Field(default_factory=list, description="Theme slugs (any of them)")
    applicant_types: list[str] = Field(
        default_factory=list,
        description="Applicant type slugs; calls that name none are open to all and match",
    )
    countries: list[str] = Field(
        default_factory=list,
        description="ISO alpha-2 codes; calls that name no country match too",
    )
    funder: str | None = Field(None, description="Funder id")
    currency: str | None = Field(None, description="ISO 4217 code, e.g. TRY")
    amount_min: str | None = Field(None, description="The grant range overlaps this minimum")
    amount_max: str | None = Field(None, description="The grant range overlaps this maximum")
    language: str | None = Field(None, description="tr or en")
    deadline_from: str | None = Field(None, description="YYYY-MM-DD (Istanbul days)")
    deadline_to: str | None = Field(None, description="YYYY-MM-DD (Istanbul days)")
    closing_within_days: str | None = Field(None, description="1–366")
    include_expired: str | None = Field(None, description="1: also calls whose deadline passed")
    sort: str | None = Field(None, description="deadline, newest or relevance")


class FunderRef(Schema):
    id: int
    name: str
    kind: str
    website: str


class OpportunityOut(Schema):
    id: int
    title: str
    summary: str
    url: str = Field(description="The original announcement")
    page_url: str = Field(description="The call's page on this site")
    funder: FunderRef | None
    funder_name: str = Field(description="The funder as written, when not in the list")
    language: str
    external_id: str = Field(description="The funder's reference for the call")
    deadline_kind: Literal["fixed", "rolling", "none"]
    deadline_date: dt.date | None = Field(description="In the announcement's wall clock")
    deadline_time: dt.time | None
    deadline_timezone: str = Field(description="As stated; empty means Europe/Istanbul")
    deadline_at: dt.datetime | None = Field(description="The deadline as one instant")
    other_deadlines: list[dict[str, Any]]
    amount_min: Decimal | None = Field(description="Smallest grant; null when not stated")
    amount_max: Decimal | None = Field(description="Largest grant; null when not stated")
    currency: str
    applicant_types: list[str]
    countries: list[str]
    themes: list[str]
    closing_soon: bool
    expired: bool
    published_at: dt.datetime | None
    changed_at: dt.datetime | None


class OpportunityPage(Schema):
    items: list[OpportunityOut]
    count: int
    page: int
    pages: int
    page_size: int


class DraftLinkOut(Schema):
    url: str
    source_id: int | None
    first_seen_at: dt.datetime
    last_seen_at: dt.datetime


class DraftOut(OpportunityOut):
    status: str
    extracted: dict[str, Any] = Field(description="What the machine read")
    links: list[DraftLinkOut]
    created_at: dt.datetime
    updated_at: dt.datetime


class DraftPage(Schema):
    items: list[DraftOut]
    count: int
    page: int
    pages: int
    page_size: int


class SourceOut(Schema):
    id: int
    name: str
    kind: str
    url: str
    funder: FunderRef | None
    language: str
    enabled: bool
    frequency: str
    weekday: int
    at_time: dt.time
    next_scan_at: dt.datetime | None
    last_scan_at: dt.datetime | None
    last_success_at: dt.datetime | None
    consecutive_failures: int
    flagged: bool
    last_error: str
    health: Literal["disabled", "never-scanned", "ok", "failing", "flagged"]


class SourcePage(Schema):
    items: list[SourceOut]
    count: int
    page: int
    pages: int
    page_size: int


# CommonGrants (https://commongrants.org, OpportunityBase) ------------------------------------


class CGMoney(Schema):
    amount: str = Field(description="Decimal as a string, e.g. 10000.00")
    currency: str


class CGFunding(Schema):
    minAwardAmount: CGMoney | None = None
    maxAwardAmount: CGMoney | None = None


class CGStatus(Schema):
    value: Literal["forecasted", "open", "closed", "custom"]
    description: str | None = None


class CGEvent(Schema):
    name: str
    eventType: Literal["singleDate"] = "singleDate"
    date: dt.date
    time: str | None = Field(None, description="HH:MM:SS in the announcement's wall clock")
    description: str | None = None


class CGKeyDates(Schema):
    postDate: CGEvent | None = None
    closeDate: CGEvent | None = None
    otherDates: dict[str, CGEvent] | None = None


class CGCustomField(Schema):
    name: str
    fieldType: Literal["string", "number", "boolean", "object", "array"]
    value: Any
    description: str | None = None


class CGOpportunity(Schema):
    id: uuid.UUID
    title: str
    description: str
    status: CGStatus
    funding: CGFunding
    keyDates: CGKeyDates
    source: str | None = None
    customFields: dict[str, CGCustomField]
    createdAt: dt.datetime
    lastModifiedAt: dt.datetime


class CGPaginationInfo(Schema):
    page: int
    pageSize: int
    totalItems: int
    totalPages: int


class CGOpportunityPage(Schema):
    status: int = 200
    message: str = "Success"
    items: list[CGOpportunity]
    paginationInfo: CGPaginationInfo


# Reading ----------------------------------------------------------------------------------------


def _filters(request: HttpRequest) -> SearchFilters:
    filters = SearchFilters.parse(request.GET)
    if filters.errors:
        raise ValidationError(
            [{"loc": ("query", e.field), "msg": str(e.message)} for e in filters.errors]
        )
    return filters


def _with_relations(calls: QuerySet[Opportunity]) -> QuerySet[Opportunity]:
    return calls.select_related("funder").prefetch_related(
        Prefetch("themes", queryset=Theme.objects.order_by("position")),
        Prefetch("applicant_types", queryset=ApplicantType.objects.order_by("position")),
        Prefetch("countries", queryset=Country.objects.order_by("code")),
    )


def _published() -> QuerySet[Opportunity]:
    return _with_relations(Opportunity.objects.filter(status=OpportunityStatus.PUBLISHED))


def _page_url(call: Opportunity) -> str:
    return settings.SITE_URL + reverse("radar:opportunity", args=[call.pk])


def _funder(call: Opportunity) -> dict[str, Any] | None:
    if call.funder is None:
        return None
    funder = call.funder
    return {"id": funder.pk, "name": funder.name, "kind": funder.kind, "website": funder.website}


def _opportunity(call: Opportunity, now: dt.datetime) -> dict[str, Any]:
    return {
        "id": call.pk,
        "title": call.title,
        "summary": call.summary,
        "url": call.url,
        "page_url": _page_url(call),
        "funder": _funder(call),
        "funder_name": call.funder_name,
        "language": call.language,
        "external_id": call.external_id,
        "deadline_kind": call.deadline_kind,
        "deadline_date": call.deadline_date,
        "deadline_time": call.deadline_time,
        "deadline_timezone": call.deadline_timezone,
        "deadline_at": call.deadline_at,
        "other_deadlines": call.other_deadlines or [],
        "amount_min": call.amount_min,
        "amount_max": call.amount_max,
        "currency": call.currency,
        "applicant_types": [kind.slug for kind in call.applicant_types.all()],
        "countries": [country.code for country in call.countries.all()],
        "themes": [theme.slug for theme in call.themes.all()],
        "closing_soon": queries.closing_soon(call, now=now),
        "expired": queries.is_expired(call, now=now),
        "published_at": call.published_at,
        "changed_at": call.changed_at,
    }


def _draft(call: Opportunity, now: dt.datetime) -> dict[str, Any]:
    shown = _opportunity(call, now)
    shown.update(
        status=call.status,
        extracted=call.extracted or {},
        links=[
            {
                "url": link.url,
                "source_id": link.source_id,
                "first_seen_at": link.first_seen_at,
                "last_seen_at": link.last_seen_at,
            }
            for link in call.links.all()
        ],
        created_at=call.created_at,
        updated_at=call.updated_at,
    )
    return shown


def _health(source: Source) -> str:
    if not source.enabled:
        return "disabled"
    if source.last_scan_at is None:
        return "never-scanned"
    if source.flagged:
        return "flagged"
    return "failing" if source.consecutive_failures else "ok"


def _source(source: Source) -> dict[str, Any]:
    funder = source.funder
    return {
        "id": source.pk,
        "name": source.name,
        "kind": source.kind,
        "url": source.url,
        "funder": (
            {"id": funder.pk, "name": funder.name, "kind": funder.kind, "website": funder.website}
            if funder
            else None
        ),
        "language": source.language,
        "enabled": source.enabled,
        "frequency": source.frequency,
        "weekday": source.weekday,
        "at_time": source.at_time,
        "next_scan_at": source.next_scan_at,
        "last_scan_at": source.last_scan_at,
        "last_success_at": source.last_success_at,
        "consecutive_failures": source.consecutive_failures,
        "flagged": source.flagged,
        "last_error": source.last_error,
        "health": _health(source),
    }


def _paginate(
    request: HttpRequest, calls: QuerySet[Any], pagination: PageNumber.Input
) -> dict[str, Any]:
    page: dict[str, Any] = PageNumber().paginate_queryset(calls, pagination, request)
    return page


# CommonGrants -----------------------------------------------------------------------------------


def commongrants_id(call: Opportunity) -> uuid.UUID:
    """A stable UUID for the call: uuid5 of its address on this site (so two Kaynak sites never
    give the same id to different calls, and the id never changes while the site's does not)."""
    return uuid.uuid5(uuid.NAMESPACE_URL, _page_url(call))


def _money(amount: Decimal | None, currency: str) -> dict[str, str] | None:
    if amount is None or not currency:
        return None
    return {"amount": f"{amount:.2f}", "currency": currency}


def _deadline_event(call: Opportunity) -> dict[str, Any] | None:
    if call.deadline_date is None:
        return None
    zone = call.deadline_timezone or settings.TIME_ZONE
    return {
        "name": "Application deadline",
        "eventType": "singleDate",
        "date": call.deadline_date,
        "time": call.deadline_time.strftime("%H:%M:%S") if call.deadline_time else None,
        "description": f"Time zone: {zone}" if call.deadline_time else "End of the day",
    }


def _other_events(call: Opportunity) -> dict[str, Any] | None:
    events: dict[str, Any] = {}
    for number, item in enumerate(call.other_deadlines or [], start=1):
        if not isinstance(item, dict):
            continue
        text = str(item.get("date") or "")
        try:
            moment = dt.datetime.fromisoformat(text) if "T" in text else None
            date = moment.date() if moment else dt.date.fromisoformat(text)
        except ValueError:
            continue
        events[f"deadline{number}"] = {
            "name": str(item.get("label") or "Another deadline"),
            "eventType": "singleDate",
            "date": date,
            "time": moment.strftime("%H:%M:%S") if moment else None,
        }
    return events or None


def _custom(name: str, field_type: str, value: Any, description: str) -> dict[str, Any]:
    return {"name": name, "fieldType": field_type, "value": value, "description": description}


def commongrants(call: Opportunity, now: dt.datetime) -> dict[str, Any]:
    """The call as a CommonGrants ``OpportunityBase`` record."""
    expired = queries.is_expired(call, now=now)
    funding: dict[str, Any] = {}
    for key, amount in (("minAwardAmount", call.amount_min), ("maxAwardAmount", call.amount_max)):
        money = _money(amount, call.currency)
        if money is not None:
            funding[key] = money
    key_dates: dict[str, Any] = {}
    if call.published_at is not None:
        key_dates["postDate"] = {
            "name": "Published",
            "eventType": "singleDate",
            "date": timezone.localdate(call.published_at),
        }
    if (close := _deadline_event(call)) is not None:
        key_dates["closeDate"] = close
    if (others := _other_events(call)) is not None:
        key_dates["otherDates"] = others
    return {
        "id": commongrants_id(call),
        "title": call.title,
        "description": strip_tags(call.summary).strip() or call.title,
        "status": {
            "value": "closed" if expired else "open",
            "description": (
                "The deadline has passed"
                if expired
                else "Open all year"
                if call.deadline_kind == "rolling"
                else "Accepting applications"
            ),
        },
        "funding": funding,
        "keyDates": key_dates,
        "source": call.url or _page_url(call),
        "customFields": {
            "applicantTypes": _custom(
                "applicantTypes",
                "array",
                [kind.slug for kind in call.applicant_types.all()],
                "Who may apply (Kaynak applicant type slugs); empty: not stated",
            ),
            "countries": _custom(
                "countries",
                "array",
                [country.code for country in call.countries.all()],
                "ISO 3166-1 alpha-2 codes of eligible countries; empty: not stated",
            ),
            "themes": _custom(
                "themes",
                "array",
                [theme.slug for theme in call.themes.all()],
                "Kaynak theme slugs",
            ),
            "funder": _custom("funder", "string", call.funder_label, "Who gives the grant"),
            "language": _custom(
                "language", "string", call.language, "Language of the announcement (tr, en)"
            ),
        },
        "createdAt": call.created_at,
        "lastModifiedAt": call.updated_at,
    }


# Public -----------------------------------------------------------------------------------------


@router.get(
    "/radar/opportunities",
    response=OpportunityPage,
    auth=None,
    summary="Published funding calls, with the listing's filters (soonest deadline first)",
)
def opportunity_list(
    request: HttpRequest,
    filters: Query[OpportunityFilterIn],
    pagination: Query[PageNumber.Input],
) -> dict[str, Any]:
    now = timezone.now()
    found = queries.search(_filters(request), now=now, queryset=_published())
    page = _paginate(request, found, pagination)
    page["items"] = [_opportunity(call, now) for call in page["items"]]
    return page


@router.get(
    "/radar/opportunities/{opportunity_id}",
    response=OpportunityOut,
    auth=None,
    summary="One published funding call",
)
def opportunity_detail(request: HttpRequest, opportunity_id: int) -> dict[str, Any]:
    call = get_object_or_404(_published(), pk=opportunity_id)
    return _opportunity(call, timezone.now())


@router.get(
    "/radar/opportunities/{opportunity_id}/commongrants",
    response=CGOpportunity,
    auth=None,
    exclude_none=True,
    summary="One published funding call as a CommonGrants Opportunity",
)
def opportunity_commongrants(request: HttpRequest, opportunity_id: int) -> dict[str, Any]:
    call = get_object_or_404(_published(), pk=opportunity_id)
    return commongrants(call, timezone.now())


@router.get(
    "/radar/commongrants/opportunities",
    response=CGOpportunityPage,
    auth=None,
    exclude_none=True,
    summary="Published funding calls as CommonGrants Opportunities (the listing's filters)",
)
def commongrants_list(
    request: HttpRequest,
    filters: Query[OpportunityFilterIn],
    pagination: Query[PageNumber.Input],
) -> dict[str, Any]:
    now = timezone.now()
    found = queries.search(_filters(request), now=now, queryset=_published())
    page = _paginate(request, found, pagination)
    return {
        "status": 200,
        "message": "Success",
        "items": [commongrants(call, now) for call in page["items"]],
        "paginationInfo": {
            "page": page["page"],
            "pageSize": page["page_size"],
            "totalItems": page["count"],
            "totalPages": max(1, math.ceil(page["count"] / page["page_size"])),
        },
    }


# Editors ----------------------------------------------------------------------------------------


@router.get(
    "/radar/sources",
    response=SourcePage,
    auth=token_or_session,
    summary="Every source with its schedule and health (radar editors)",
)
def source_list(request: HttpRequest, pagination: Query[PageNumber.Input]) -> dict[str, Any]:
    require(request.user, "radar.manage_sources")
    sources = Source.objects.select_related("funder").order_by("name", "pk")
    page = _paginate(request, sources, pagination)
    page["items"] = [_source(source) for source in page["items"]]
    return page


def _drafts() -> QuerySet[Opportunity]:
    return _with_relations(
        Opportunity.objects.filter(status=OpportunityStatus.DRAFT)
    ).prefetch_related(
        Prefetch("links", queryset=OpportunityLink.objects.order_by("first_seen_at", "id"))
    )


@router.get(
    "/radar/drafts",
    response=DraftPage,
    auth=token_or_session,
    summary="Calls waiting for review, newest first (radar editors)",
)
def draft_list(request: HttpRequest, pagination: Query[PageNumber.Input]) -> dict[str, Any]:
    require(request.user, "radar.review_opportunities")
    now = timezone.now()
    page = _paginate(request, _drafts().order_by("-created_at", "-pk"), pagination)
    page["items"] = [_draft(call, now) for call in page["items"]]
    return page


@router.get(
    "/radar/drafts/{opportunity_id}",
    response=DraftOut,
    auth=token_or_session,
    summary="One call waiting for review, with what the machine read (radar editors)",
)
def draft_detail(request: HttpRequest, opportunity_id: int) -> dict[str, Any]:
    require(request.user, "radar.review_opportunities")
    call = get_object_or_404(_drafts(), pk=opportunity_id)
    return _draft(call, timezone.now())
