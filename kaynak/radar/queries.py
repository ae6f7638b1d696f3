"""Named reads of published funding calls: the public listing's filters (``SearchFilters``),
``search()`` and the detail page's read. Drafts and rejected calls are never returned here.

``SearchFilters`` is also what a saved search keeps (``SavedSearch.query`` holds
``SearchFilters.to_query()``), so the listing, the feeds, the API and the digests narrow the same
way. Its values are plain (slugs, ISO codes, numbers, dates): no database objects.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db.models import Case, F, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kaynak.core.models import ApplicantType, Country, Theme
from kaynak.radar import search_index
from kaynak.radar.models import DeadlineKind, Opportunity, OpportunityLink, OpportunityStatus

CLOSING_SOON_DAYS = 7
LANGUAGES = ("tr", "en")


class Sort:
    """How the listing is ordered. ``RELEVANCE`` needs a search text; without one the deadline
    decides. The default (empty) is relevance when there is a text, else the deadline."""

    DEFAULT = ""
    DEADLINE = "deadline"  # soonest first; rolling and no-deadline calls after the dated ones
    NEWEST = "newest"  # most recently published first
    RELEVANCE = "relevance"

    CHOICES = (DEADLINE, NEWEST, RELEVANCE)


class FilterError(ValueError):
    """One GET parameter with a value the listing cannot use: ``field`` names the parameter,
    ``message`` says why in the user's language."""

    def __init__(self, field: str, message: str | Promise) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def _values(query: Mapping[str, Any], name: str) -> list[str]:
    """Every non-empty value of a parameter, from a QueryDict (``getlist``), or a plain dict
    whose value is a string or a list of strings. Comma-separated values are split too."""
    getlist = getattr(query, "getlist", None)
    raw: Any = getlist(name) if getlist is not None else query.get(name, [])
    if raw is None:
        raw = []
    if isinstance(raw, (str, int, float, Decimal)):
        raw = [raw]
    out: list[str] = []
    for item in raw:
        for part in str(item).split(","):
            if part.strip():
                out.append(part.strip())
    return out


def _one(query: Mapping[str, Any], name: str) -> str:
    values = _values(query, name)
    return values[0] if values else ""


def _truthy(text: str) -> bool:
    return text.lower() in {"1", "true", "on", "yes", "evet"}


@dataclass(frozen=True)
class SearchFilters:
    """What the listing of published calls is narrowed to; an empty value does not filter.

    - ``q``: words searched in title, summary and funder (Turkish full-text search on
      PostgreSQL, folded prefix matching everywhere: "izmir" finds "İZMİR");
    - ``themes``, ``applicant_types``: slugs; a call matches if it has *any* of them
      (a call that names no applicant type is open to all, so it matches an applicant filter);
    - ``countries``: ISO alpha-2 codes; a call matches if it names one of them or names none;
    - ``funder``: a Funder id; ``currency``: an ISO 4217 code; ``language``: "tr" or "en";
    - ``amount_min``/``amount_max``: the call's grant range overlaps this range (a call with
      no amount stated does not match an amount filter);
    - ``deadline_from``/``deadline_to``: the deadline falls on these days (Istanbul days);
    - ``closing_within_days``: the deadline falls within this many days from now;
    - ``include_expired``: also calls whose deadline passed (hidden by default);
    - ``sort``: one of ``Sort.CHOICES`` or empty for the default.
    """

    q: str = ""
    themes: tuple[str, ...] = ()
    applicant_types: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    funder: int | None = None
    currency: str = ""
    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    language: str = ""
    deadline_from: dt.date | None = None
    deadline_to: dt.date | None = None
    closing_within_days: int | None = None
    include_expired: bool = False
    sort: str = Sort.DEFAULT
    # Problems found by ``parse`` (parameter → message); not part of the search itself.
    errors: tuple[FilterError, ...] = field(default=(), compare=False, repr=False)

    # --- reading and writing GET parameters ---------------------------------------------------

    @classmethod
    def parse(cls, query: Mapping[str, Any]) -> SearchFilters:
        """Read GET parameters (a QueryDict or a dict); a parameter with a bad value is left out
        and explained in ``errors``, the others still apply."""
        errors: list[FilterError] = []
        values: dict[str, Any] = {}

        values["q"] = " ".join(_one(query, "q").split())[:200]
        values["themes"] = tuple(sorted(set(_values(query, "themes"))))
        values["applicant_types"] = tuple(sorted(set(_values(query, "applicant_types"))))
        values["countries"] = tuple(sorted({c.upper() for c in _values(query, "countries")}))
        for code in values["countries"]:
            if len(code) != 2 or not code.isalpha():
                errors.append(
                    FilterError("countries", _("A country is a two-letter code such as TR or DE."))
                )
                values["countries"] = ()
                break

        funder = _one(query, "funder")
        if funder:
            if funder.isdigit():
                values["funder"] = int(funder)
            else:
                errors.append(FilterError("funder", _("Choose a funder from the list.")))

        currency = _one(query, "currency").upper()
        if currency:
            if len(currency) == 3 and currency.isalpha():
                values["currency"] = currency
            else:
                errors.append(
                    FilterError("currency", _("A currency is a three-letter code such as TRY."))
                )

        for name in ("amount_min", "amount_max"):
            text = _one(query, name).replace(" ", "")
            if not text:
                continue
            try:
                amount = Decimal(text)
            except InvalidOperation:
                amount = None
            if amount is None or not amount.is_finite() or amount < 0 or amount >= 10**14:
                errors.append(FilterError(name, _("Write the amount as a number, e.g. 50000.")))
            else:
                values[name] = amount
        if (
            values.get("amount_min") is not None
            and values.get("amount_max") is not None
            and values["amount_min"] > values["amount_max"]
        ):
            errors.append(
                FilterError("amount_max", _("The largest amount is smaller than the smallest."))
            )
            values.pop("amount_max")

        language = _one(query, "language").lower()
        if language:
            if language in LANGUAGES:
                values["language"] = language
            else:
                errors.append(FilterError("language", _("Choose Turkish or English.")))

        for name in ("deadline_from", "deadline_to"):
            text = _one(query, name)
            if not text:
                continue
            try:
                values[name] = dt.date.fromisoformat(text)
            except ValueError:
                errors.append(
                    FilterError(name, _("Write the date as YYYY-MM-DD, e.g. 2027-03-31."))
                )
        if (
            values.get("deadline_from") is not None
            and values.get("deadline_to") is not None
            and values["deadline_from"] > values["deadline_to"]
        ):
            errors.append(
                FilterError("deadline_to", _("The end of the deadline window is before its start."))
            )
            values.pop("deadline_to")

        days = _one(query, "closing_within_days")
        if days:
            if days.isdigit() and 1 <= int(days) <= 366:
                values["closing_within_days"] = int(days)
            else:
                errors.append(
                    FilterError(
                        "closing_within_days", _("Write a number of days between 1 and 366.")
                    )
                )

        values["include_expired"] = _truthy(_one(query, "include_expired"))

        sort = _one(query, "sort")
        if sort:
            if sort in Sort.CHOICES:
                values["sort"] = sort
            else:
                errors.append(FilterError("sort", _("Choose an order from the list.")))

        return cls(**values, errors=tuple(errors))

    @classmethod
    def from_query(cls, query: Mapping[str, Any]) -> SearchFilters:
        """Read GET parameters or a saved ``SavedSearch.query``; bad values are left out (see
        ``parse`` for the reasons)."""
        return cls.parse(query)

    def to_query(self) -> dict[str, str | list[str]]:
        """The non-empty filters as GET parameters (lists for the multi-valued ones), JSON-safe
        for ``SavedSearch.query``; ``from_query(f.to_query()) == f``."""
        out: dict[str, str | list[str]] = {}
        if self.q:
            out["q"] = self.q
        for name in ("themes", "applicant_types", "countries"):
            items = getattr(self, name)
            if items:
                out[name] = list(items)
        if self.funder is not None:
            out["funder"] = str(self.funder)
        if self.currency:
            out["currency"] = self.currency
        for name in ("amount_min", "amount_max"):
            amount = getattr(self, name)
            if amount is not None:
                out[name] = format(amount.normalize(), "f")
        if self.language:
            out["language"] = self.language
        if self.deadline_from is not None:
            out["deadline_from"] = self.deadline_from.isoformat()
        if self.deadline_to is not None:
            out["deadline_to"] = self.deadline_to.isoformat()
        if self.closing_within_days is not None:
            out["closing_within_days"] = str(self.closing_within_days)
        if self.include_expired:
            out["include_expired"] = "1"
        if self.sort:
            out["sort"] = self.sort
        return out

    def querystring(self, **changes: Any) -> str:
        """The filters as a URL query string (without "?"), optionally with some changed."""
        target = replace(self, **changes) if changes else self
        return urlencode(target.to_query(), doseq=True)

    @property
    def is_empty(self) -> bool:
        return not self.to_query()

    @property
    def effective_sort(self) -> str:
        if self.sort:
            return self.sort
        return Sort.RELEVANCE if self.q else Sort.DEADLINE


# --- reading calls ------------------------------------------------------------------------------


def _istanbul() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _start_of_day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=_istanbul())


def published() -> QuerySet[Opportunity]:
    """Published calls with what a list row shows (funder, themes) loaded up front."""
    return (
        Opportunity.objects.filter(status=OpportunityStatus.PUBLISHED)
        .select_related("funder")
        .prefetch_related(
            Prefetch("themes", queryset=Theme.objects.order_by("position")),
        )
    )


def _not_expired(now: dt.datetime) -> Q:
    # Rolling and no-deadline calls never expire; a fixed deadline without a date cannot be
    # said to have passed either.
    return Q(deadline_at__isnull=True) | Q(deadline_at__gte=now)


def _amount_overlaps(low: Decimal | None, high: Decimal | None) -> Q:
    # The call's range [amount_min or amount_max, amount_max or amount_min] overlaps [low, high].
    known = Q(amount_min__isnull=False) | Q(amount_max__isnull=False)
    condition = known
    if low is not None:
        condition &= Q(amount_max__gte=low) | Q(amount_max__isnull=True, amount_min__gte=low)
    if high is not None:
        condition &= Q(amount_min__lte=high) | Q(amount_min__isnull=True, amount_max__lte=high)
    return condition


def search(
    filters: SearchFilters,
    *,
    now: dt.datetime | None = None,
    queryset: QuerySet[Opportunity] | None = None,
) -> QuerySet[Opportunity]:
    """Published calls matching ``filters``, in the order they ask for (the deadline by
    default: soonest first, rolling and no-deadline calls after; with a search text, the best
    match first, then the deadline). ``queryset`` narrows further (e.g. one call, for a digest)."""
    now = now or timezone.now()
    calls = queryset if queryset is not None else published()
    calls = calls.filter(status=OpportunityStatus.PUBLISHED)

    if not filters.include_expired:
        calls = calls.filter(_not_expired(now))
    if filters.themes:
        calls = calls.filter(
            pk__in=Opportunity.themes.through.objects.filter(theme__slug__in=filters.themes).values(
                "opportunity_id"
            )
        )
    if filters.applicant_types:
        through = Opportunity.applicant_types.through.objects
        calls = calls.filter(
            Q(
                pk__in=through.filter(applicanttype__slug__in=filters.applicant_types).values(
                    "opportunity_id"
                )
            )
            | ~Q(pk__in=through.values("opportunity_id"))
        )
    if filters.countries:
        through_c = Opportunity.countries.through.objects
        calls = calls.filter(
            Q(pk__in=through_c.filter(country__code__in=filters.countries).values("opportunity_id"))
            | ~Q(pk__in=through_c.values("opportunity_id"))
        )
    if filters.funder is not None:
        calls = calls.filter(funder_id=filters.funder)
    if filters.currency:
        calls = calls.filter(currency=filters.currency)
    if filters.amount_min is not None or filters.amount_max is not None:
        calls = calls.filter(_amount_overlaps(filters.amount_min, filters.amount_max))
    if filters.language:
        calls = calls.filter(language=filters.language)
    if filters.deadline_from is not None:
        calls = calls.filter(deadline_at__gte=_start_of_day(filters.deadline_from))
    if filters.deadline_to is not None:
        calls = calls.filter(
            deadline_at__lt=_start_of_day(filters.deadline_to + dt.timedelta(days=1))
        )
    if filters.closing_within_days is not None:
        calls = calls.filter(
            deadline_at__gte=now,
            deadline_at__lte=now + dt.timedelta(days=filters.closing_within_days),
        )

    ranked = False
    if filters.q:
        calls, ranked = search_index.matching(calls, filters.q)

    # Dated calls first (soonest first), then rolling, then no deadline stated.
    undated_last = Case(
        When(deadline_at__isnull=False, then=Value(0)),
        When(deadline_kind=DeadlineKind.ROLLING, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    sort = filters.effective_sort
    if sort == Sort.NEWEST:
        return calls.order_by(F("published_at").desc(nulls_last=True), "-pk")
    if sort == Sort.RELEVANCE and ranked:
        return calls.order_by(F("search_rank").desc(), undated_last, "deadline_at", "-pk")
    return calls.order_by(undated_last, "deadline_at", "-pk")


def closing_soon(opportunity: Opportunity, *, now: dt.datetime | None = None) -> bool:
    """The deadline is within ``CLOSING_SOON_DAYS`` and has not passed."""
    now = now or timezone.now()
    at = opportunity.deadline_at
    return at is not None and now <= at <= now + dt.timedelta(days=CLOSING_SOON_DAYS)


def is_expired(opportunity: Opportunity, *, now: dt.datetime | None = None) -> bool:
    now = now or timezone.now()
    return opportunity.deadline_at is not None and opportunity.deadline_at < now


def published_call(pk: int) -> Opportunity:
    """One published call with everything its page shows, or 404."""
    try:
        return (
            Opportunity.objects.filter(status=OpportunityStatus.PUBLISHED)
            .select_related("funder", "funder__country")
            .prefetch_related(
                Prefetch("themes", queryset=Theme.objects.order_by("position")),
                Prefetch("applicant_types", queryset=ApplicantType.objects.order_by("position")),
                Prefetch("countries", queryset=Country.objects.order_by("code")),
                Prefetch("links", queryset=OpportunityLink.objects.order_by("first_seen_at", "id")),
            )
            .get(pk=pk)
        )
    except Opportunity.DoesNotExist as exc:
        raise Http404("No such published call.") from exc


def filter_choices() -> dict[str, Any]:
    """What the listing's filter form offers: themes, applicant types, countries named by
    published calls, funders of published calls, currencies in use."""
    live = Opportunity.objects.filter(status=OpportunityStatus.PUBLISHED)
    from kaynak.radar.models import Funder

    return {
        "themes": list(Theme.objects.order_by("position")),
        "applicant_types": list(ApplicantType.objects.order_by("position")),
        "countries": list(
            Country.objects.filter(
                pk__in=Opportunity.countries.through.objects.filter(
                    opportunity__status=OpportunityStatus.PUBLISHED
                ).values("country_id")
            ).order_by("code")
        ),
        "funders": list(Funder.objects.filter(pk__in=live.values("funder_id")).order_by("name")),
        "currencies": sorted(
            set(live.exclude(currency="").values_list("currency", flat=True).distinct())
        ),
    }
