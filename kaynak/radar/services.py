"""The verbs of the funding radar's calls. Scans, the editors' pages, the API and the CLI call
these; nothing else writes ``Opportunity`` and its links and changes.

``ingest`` turns what a source presents (a ``Candidate``) into a call: it reads the fields
(structure the source states first, then extraction from the text), finds the call if it is
already known (``find_match``: the funder's reference, the canonical address, or the same
funder, deadline and a similar title), and either creates a draft or applies what changed. A
known call changes only in the fields whose *machine reading through the same link* changed, so
an editor's correction survives every re-scan of an unchanged page, while a real change at the
source (a deadline moved, a corrigendum) is applied and recorded as a notable change.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from rapidfuzz import fuzz

from kaynak.core.audit import log_action
from kaynak.core.errors import KaynakError
from kaynak.core.models import ApplicantType, Country, Theme
from kaynak.core.text import search_key
from kaynak.radar.candidates import Candidate
from kaynak.radar.extraction import extract_text
from kaynak.radar.extraction.text import to_text
from kaynak.radar.models import (
    ChangeKind,
    ChangeOrigin,
    DeadlineKind,
    Funder,
    Opportunity,
    OpportunityChange,
    OpportunityLink,
    OpportunityStatus,
    RawItem,
    RawOutcome,
    Source,
    SourceKind,
)

MANUAL_SOURCE_KEY = "manual-entries"
SUMMARY_LENGTH = 600
# Title similarity (rapidfuzz token_set_ratio on folded titles) to call two announcements one call:
# with the same funder and deadline, or — whoever announced it — with the same deadline.
SAME_FUNDER_SIMILARITY = 85
ANY_FUNDER_SIMILARITY = 95
# Without a deadline only the same funder and a near-identical title make one call.
NO_DEADLINE_SIMILARITY = 95
MATCH_WINDOW_DAYS = 400

# The fields the machine reads and a scan may change; values are JSON-able (see ``reading_of``).
MACHINE_FIELDS = (
    "title", "summary", "language", "external_id", "funder_name",
    "deadline_kind", "deadline_date", "deadline_time", "deadline_timezone", "other_deadlines",
    "amount_min", "amount_max", "currency", "applicant_types", "countries", "themes",
)  # fmt: skip
EDITABLE_FIELDS = (*MACHINE_FIELDS, "url", "funder")
RELATION_FIELDS = {"applicant_types": "slug", "countries": "code", "themes": "slug"}
# A scan's change to one of these reaches subscribers ("deadline extended", new eligibility …).
NOTABLE_FIELDS = frozenset(
    {"deadline_kind", "deadline_date", "deadline_time", "amount_min", "amount_max", "currency",
     "applicant_types", "countries"}
)  # fmt: skip
DEADLINE_FIELDS = frozenset({"deadline_kind", "deadline_date", "deadline_time"})
CORRIGENDUM = re.compile(
    r"\b(corrigend(um|a)|amendment|d[üu]zeltme|tadil|de[ğg]i[şs]iklik\s+ilan|s[üu]re\s+uzat)",
    re.IGNORECASE,
)
TRACKING_PARAMETERS = re.compile(r"^(utm_.*|fbclid|gclid|mc_cid|mc_eid|_hs\w*|ref|source)$")


class RadarError(KaynakError):
    code = "radar"


@dataclass(frozen=True)
class IngestResult:
    outcome: str  # "new", "updated" or "unchanged" (RawOutcome values)
    opportunity: Opportunity
    change: OpportunityChange | None = None


# Small pure helpers -----------------------------------------------------------------------------


def normalise_url(url: str) -> str:
    """One spelling per address: scheme and host lower-cased, default port, fragment and tracking
    parameters dropped, query sorted, trailing slash removed."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return url.strip()
    if not parts.scheme or not parts.hostname:
        return url.strip()
    scheme = parts.scheme.lower()
    host = parts.hostname.lower().removeprefix("www.")
    if port and (scheme, port) not in {("http", 80), ("https", 443)}:
        host = f"{host}:{port}"
    query = sorted(
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not TRACKING_PARAMETERS.match(key.lower())
    )
    path = parts.path.rstrip("/") or "/"
    # http and https of one page are one page.
    return urlunsplit(("https" if scheme == "http" else scheme, host, path, urlencode(query), ""))


def zone_of(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name) if name else ZoneInfo(settings.TIME_ZONE)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo(settings.TIME_ZONE)


def deadline_instant(
    date: dt.date | None, time: dt.time | None, zone_name: str | None
) -> dt.datetime | None:
    """The deadline as one instant: the stated wall-clock time in the stated zone (Europe/Istanbul
    when none is stated); a date without a time ends at 23:59:59 that day."""
    if date is None:
        return None
    moment = dt.datetime.combine(date, time or dt.time(23, 59, 59), tzinfo=zone_of(zone_name))
    return moment.astimezone(dt.UTC)


def _parse_deadline(value: Any) -> tuple[str | None, str | None]:
    """``YYYY-MM-DD`` or ``YYYY-MM-DDTHH:MM`` → (date, time) as ISO strings, or Nones."""
    if not isinstance(value, str):
        return None, None
    match = re.fullmatch(r"(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}))?(?::\d{2})?.*", value.strip())
    if not match:
        return None, None
    try:
        dt.date.fromisoformat(match[1])
        if match[2]:
            dt.time.fromisoformat(match[2])
    except ValueError:
        return None, None
    return match[1], match[2]


def _number(value: Any) -> str | None:
    if value is None or value == "":
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    if not number.is_finite() or number < 0:
        return None
    return format(number.normalize(), "f")


TITLE_WORDS = re.compile(
    r"hibe|fon\b|fonu|destek|program|çağrı|teklif|yarışma|burs|ödül|"
    r"call|grant|fund|proposals|initiative|competition|award|fellowship|scheme",
    re.IGNORECASE,
)
TITLE_SUFFIX = re.compile(r"\s+[|–—-]\s+[^|–—-]{2,80}$")


def guess_title(body: str | bytes, kind: str, text: str) -> str:
    """A title when the source gives none: the page's ``<h1>`` (or its ``og:title``/``<title>``
    without the site's name), else the first of the opening lines that names a grant, call or
    programme, else the first line."""
    if kind == "html" and body:
        from selectolax.lexbor import LexborHTMLParser

        from kaynak.radar.extraction.text import decode

        tree = LexborHTMLParser(decode(body) if isinstance(body, bytes) else body)
        node = tree.css_first("h1")
        if node is not None and len(node.text(strip=True)) > 3:
            return re.sub(r"\s+", " ", node.text(strip=True))[:500]
        meta = tree.css_first('meta[property="og:title"]')
        value = (meta.attributes.get("content") or "") if meta is not None else ""
        if not value and (node := tree.css_first("title")) is not None:
            value = TITLE_SUFFIX.sub("", node.text(strip=True))
        if len(value.strip()) > 3:
            return re.sub(r"\s+", " ", value).strip()[:500]
    lines = [line.strip() for line in text.splitlines() if len(line.strip()) > 3][:8]
    if kind == "pdf":
        lines = _join_wrapped(lines)
    for line in lines:
        if TITLE_WORDS.search(line) and _title_like(line):
            return line[:500]
    if not lines:
        return ""
    # A text that opens with prose: its first sentence, cut at a word near 150 characters.
    first = re.split(r"(?<=[.!?])\s", lines[0], maxsplit=1)[0]
    return first if len(first) <= 160 else first[:150].rsplit(" ", 1)[0] + " …"


def _join_wrapped(lines: list[str]) -> list[str]:
    """A PDF's heading wraps over short lines ("UNHCR Türkiye – Call for" / "Expression of
    Interest"): a line without closing punctuation goes on with the next short, capitalised,
    unlabelled line (twice at most)."""
    joined: list[str] = []
    index = 0
    while index < len(lines):
        line, joins = lines[index], 0
        while (
            joins < 2
            and index + 1 < len(lines)
            and not line.endswith((".", ":", ";", ",", "!", "?"))
            and len(lines[index + 1].split()) <= 6
            and ":" not in lines[index + 1]
            and not lines[index + 1].endswith(".")
            and lines[index + 1][:1].isupper()
        ):
            index += 1
            joins += 1
            line = f"{line} {lines[index]}"
        joined.append(line)
        index += 1
    return joined


def _title_like(line: str) -> bool:
    """Not a sentence ("… are invited."), not a labelled line ("Destek türleri: …") unless the
    label is a reference code ("HORIZON-CL2-2027-01: …"), not a paragraph."""
    if len(line) > 160 or len(line.split()) > 20 or line.endswith((":", ".", ",", ";")):
        return False
    label = re.match(r"([^:]{1,40}):\s", line)
    return not (
        label
        and len(label[1].split()) <= 3
        and not re.search(r"\d|call|notice|çağrı|duyuru", label[1], re.IGNORECASE)
    )


def _summary_of(text: str, title: str) -> str:
    body = text.strip()
    if body.startswith(title):
        body = body[len(title) :].strip()
    body = re.sub(r"\s+", " ", body)
    if len(body) <= SUMMARY_LENGTH:
        return body
    cut = body[:SUMMARY_LENGTH].rsplit(" ", 1)[0]
    return cut + " …"


# Reading a candidate ----------------------------------------------------------------------------


def read_candidate(source: Source, candidate: Candidate) -> dict[str, Any]:
    """Every machine field of ``candidate`` as JSON-able values: structure the source states
    first, extraction from the body for the rest."""
    text = to_text(candidate.body, candidate.body_kind) if candidate.body else ""
    if not text and candidate.summary:
        text = to_text(candidate.summary, "html")
    fields = extract_text(text) if text else extract_text(candidate.title)
    stated = {key: value for key, value in candidate.fields.items() if value is not None}
    fields |= {key: value for key, value in stated.items() if key in fields}

    title = re.sub(r"\s+", " ", candidate.title or "").strip()[:500] or guess_title(
        candidate.body, candidate.body_kind, text
    )
    date, time = _parse_deadline(fields.get("deadline"))
    kind = fields.get("deadline_kind") or (DeadlineKind.FIXED if date else DeadlineKind.NONE)
    if kind == DeadlineKind.FIXED and date is None:
        kind = DeadlineKind.NONE
    if date is not None:
        kind = DeadlineKind.FIXED
    other = [
        item
        for item in stated.get("other_deadlines", [])
        if isinstance(item, dict) and _parse_deadline(item.get("date"))[0]
    ]
    amount_min, amount_max = _number(fields.get("amount_min")), _number(fields.get("amount_max"))
    if amount_min and amount_max and Decimal(amount_min) > Decimal(amount_max):
        amount_min, amount_max = amount_max, amount_min
    summary = stated.get("summary") or candidate.summary
    summary = to_text(summary, "html") if summary and "<" in summary else (summary or "")
    language = source.language or fields.get("language") or "tr"
    return {
        "title": title,
        "summary": _summary_of(summary or text, title),
        "language": language if language in {"tr", "en"} else "tr",
        "external_id": str(stated.get("external_id") or candidate.item_key or "")[:200]
        if source.kind in {SourceKind.EU_FT, SourceKind.GRANTS_GOV, SourceKind.JSON}
        else str(stated.get("external_id") or "")[:200],
        "funder_name": str(stated.get("funder_name") or "")[:300],
        "deadline_kind": str(kind),
        "deadline_date": date,
        "deadline_time": time,
        "deadline_timezone": (fields.get("deadline_timezone") or "") if date else "",
        "other_deadlines": other,
        "amount_min": amount_min,
        "amount_max": amount_max,
        "currency": (fields.get("currency") or "")[:3] if (amount_min or amount_max) else "",
        "applicant_types": sorted(set(fields.get("applicant_types") or [])),
        "countries": sorted(set(fields.get("countries") or [])),
        "themes": sorted(set(fields.get("themes") or [])),
    }


def reading_of(opportunity: Opportunity) -> dict[str, Any]:
    """The call's current values of every machine field, JSON-able like ``read_candidate``."""
    values: dict[str, Any] = {}
    for name in MACHINE_FIELDS:
        if name in RELATION_FIELDS:
            key = RELATION_FIELDS[name]
            values[name] = sorted(getattr(opportunity, name).values_list(key, flat=True))
            continue
        value = getattr(opportunity, name)
        if isinstance(value, dt.time):
            value = value.strftime("%H:%M")
        elif isinstance(value, dt.date):
            value = value.isoformat()
        elif isinstance(value, Decimal):
            value = format(value.normalize(), "f")
        values[name] = value
    return values


def _assign(opportunity: Opportunity, values: Mapping[str, Any]) -> None:
    """Set machine fields from JSON-able values (relations after the row exists)."""
    for name, value in values.items():
        if name in RELATION_FIELDS:
            continue
        if name == "deadline_date":
            value = dt.date.fromisoformat(value) if value else None
        elif name == "deadline_time":
            value = dt.time.fromisoformat(value) if value else None
        elif name in {"amount_min", "amount_max"}:
            value = Decimal(value) if value not in (None, "") else None
        elif value is None:
            value = [] if name == "other_deadlines" else ""
        setattr(opportunity, name, value)


def _assign_relations(opportunity: Opportunity, values: Mapping[str, Any]) -> None:
    models = {"applicant_types": ApplicantType, "countries": Country, "themes": Theme}
    for name, key in RELATION_FIELDS.items():
        if name in values:
            rows = models[name].objects.filter(**{f"{key}__in": values[name] or []})  # type: ignore[attr-defined]
            getattr(opportunity, name).set(rows)


def _refresh_derived(opportunity: Opportunity) -> None:
    opportunity.deadline_at = deadline_instant(
        opportunity.deadline_date, opportunity.deadline_time, opportunity.deadline_timezone
    )
    funder = opportunity.funder.name if opportunity.funder_id and opportunity.funder else ""
    opportunity.search_text = search_key(
        f"{opportunity.title} {opportunity.summary} {funder} {opportunity.funder_name}"
    )
    opportunity.title_key = search_key(opportunity.title)[:500]
    opportunity.canonical_url = normalise_url(opportunity.url) if opportunity.url else ""


def _funder_for(source: Source, reading: Mapping[str, Any]) -> Funder | None:
    name = reading.get("funder_name")
    if name:
        key = search_key(name)
        known = Funder.objects.filter(search_text__contains=key).first()
        if known is not None:
            return known
    return source.funder


# Finding a known call ---------------------------------------------------------------------------


def find_match(
    reading: Mapping[str, Any], canonical_url: str, funder: Funder | None
) -> Opportunity | None:
    """The known call this reading is, or None: the funder's reference, then the address (of the
    call or any link it was reached by), then the same deadline with a similar title."""
    if reading.get("external_id"):
        found = Opportunity.objects.filter(external_id=reading["external_id"]).first()
        if found is not None:
            return found
    if canonical_url:
        found = Opportunity.objects.filter(canonical_url=canonical_url).first()
        if found is None:
            link = (
                OpportunityLink.objects.filter(canonical_url=canonical_url)
                .select_related("opportunity")
                .first()
            )
            found = link.opportunity if link else None
        if found is not None:
            return found
    title_key = search_key(reading.get("title") or "")
    if not title_key:
        return None
    since = timezone.now() - dt.timedelta(days=MATCH_WINDOW_DAYS)
    pool = Opportunity.objects.filter(created_at__gte=since)
    if reading.get("deadline_date"):
        pool = pool.filter(deadline_date=reading["deadline_date"])
    elif funder is not None:
        pool = pool.filter(deadline_date__isnull=True, funder=funder)
    else:
        return None
    best: tuple[float, Opportunity] | None = None
    for candidate in pool.only("id", "title_key", "funder_id", "deadline_date")[:200]:
        score = fuzz.token_set_ratio(title_key, candidate.title_key)
        same_funder = funder is not None and candidate.funder_id == funder.pk
        if reading.get("deadline_date"):
            needed = SAME_FUNDER_SIMILARITY if same_funder else ANY_FUNDER_SIMILARITY
        else:
            needed = NO_DEADLINE_SIMILARITY
        if score >= needed and (best is None or score > best[0]):
            best = (score, candidate)
    return Opportunity.objects.get(pk=best[1].pk) if best else None


# Ingesting --------------------------------------------------------------------------------------


def _empty(value: Any) -> bool:
    return value in (None, "", [], {})


def _change_kind(changed: Iterable[str], reading: Mapping[str, Any]) -> tuple[str, bool]:
    names = set(changed)
    if CORRIGENDUM.search(f"{reading.get('title', '')} {reading.get('summary', '')[:300]}"):
        return ChangeKind.CORRIGENDUM, True
    if names & DEADLINE_FIELDS:
        return ChangeKind.DEADLINE, True
    return ChangeKind.UPDATED, bool(names & NOTABLE_FIELDS)


@transaction.atomic
def ingest(
    *,
    source: Source,
    candidate: Candidate,
    raw_item: RawItem | None = None,
    actor: Any = None,
) -> IngestResult:
    """Make ``candidate`` a draft call, or apply it to the known call it is."""
    reading = read_candidate(source, candidate)
    if not reading["title"]:
        raise RadarError(_("The announcement has no title and no text."), code="no_text")
    url = candidate.url.strip()
    canonical = normalise_url(url) if url else ""
    funder = _funder_for(source, reading)
    now = timezone.now()
    origin = ChangeOrigin.EDITOR if source.kind == SourceKind.MANUAL else ChangeOrigin.SCAN
    opportunity = find_match(reading, canonical, funder)

    if opportunity is None:
        opportunity = Opportunity(url=url[:2000], funder=funder, extracted=reading)
        _assign(opportunity, reading)
        _refresh_derived(opportunity)
        opportunity.save()
        _assign_relations(opportunity, reading)
        if url:
            OpportunityLink.objects.create(
                opportunity=opportunity,
                source=source,
                url=url[:2000],
                canonical_url=canonical,
                extracted=reading,
            )
        change = OpportunityChange.objects.create(
            opportunity=opportunity,
            origin=origin,
            kind=ChangeKind.CREATED,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            raw_item=raw_item,
            fields={name: [None, value] for name, value in reading.items() if not _empty(value)},
        )
        log_action(
            "kaynak.radar.opportunity.found",
            actor=actor,
            target=opportunity,
            data={"source": source.pk},
        )
        return _done(raw_item, RawOutcome.NEW, opportunity, reading, change)

    link = opportunity.links.filter(canonical_url=canonical).first() if canonical else None
    current = reading_of(opportunity)
    if link is not None:
        previous = link.extracted or {}
        # Apply what the source now says differently from what it said before.
        updates = {
            name: value
            for name, value in reading.items()
            if name in previous and previous[name] != value and current[name] != value
        }
        link.extracted = reading
        link.last_seen_at = now
        link.save(update_fields=["extracted", "last_seen_at"])
    else:
        # Another address of a known call: it fills what the call does not say yet.
        updates = {
            name: value
            for name, value in reading.items()
            if _empty(current[name]) and not _empty(value)
        }
        if url:
            OpportunityLink.objects.create(
                opportunity=opportunity,
                source=source,
                url=url[:2000],
                canonical_url=canonical,
                extracted=reading,
            )
    if not updates:
        # Only a new link is news; an address-less entry (pasted text) read again is not.
        outcome = RawOutcome.UPDATED if link is None and url else RawOutcome.UNCHANGED
        return _done(raw_item, outcome, opportunity, reading, None)

    kind, notable = _change_kind(updates, reading)
    _assign(opportunity, updates)
    if funder is not None and opportunity.funder_id is None:
        opportunity.funder = funder
    opportunity.extracted = {**opportunity.extracted, **updates}
    if notable and opportunity.status == OpportunityStatus.PUBLISHED:
        opportunity.changed_at = now
    _refresh_derived(opportunity)
    opportunity.save()
    _assign_relations(opportunity, updates)
    change = OpportunityChange.objects.create(
        opportunity=opportunity,
        origin=origin,
        kind=kind,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        raw_item=raw_item,
        fields={name: [current[name], value] for name, value in updates.items()},
        notable=notable,
    )
    log_action(
        "kaynak.radar.opportunity.updated",
        actor=actor,
        target=opportunity,
        data={"source": source.pk, "fields": sorted(updates)},
    )
    return _done(raw_item, RawOutcome.UPDATED, opportunity, reading, change)


def _done(
    raw_item: RawItem | None,
    outcome: str,
    opportunity: Opportunity,
    reading: dict[str, Any],
    change: OpportunityChange | None,
) -> IngestResult:
    if raw_item is not None:
        raw_item.outcome = outcome
        raw_item.outcome_detail = ""
        raw_item.opportunity = opportunity
        raw_item.extracted = reading
        raw_item.extracted_at = timezone.now()
        raw_item.save(
            update_fields=["outcome", "outcome_detail", "opportunity", "extracted", "extracted_at"]
        )
    return IngestResult(outcome=outcome, opportunity=opportunity, change=change)


def manual_source() -> Source:
    """The one source of everything editors enter by hand (created on first use)."""
    with translation.override(settings.LANGUAGE_CODE):
        name = str(_("Entered by editors"))
    source, _created = Source.objects.get_or_create(
        starter_key=MANUAL_SOURCE_KEY,
        defaults={"name": name, "kind": SourceKind.MANUAL, "enabled": False},
    )
    return source


# Editors' verbs ---------------------------------------------------------------------------------


def _clean_edit(opportunity: Opportunity, changes: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise RadarError(
            _("These fields cannot be changed: %(fields)s") % {"fields": ", ".join(sorted(unknown))}
        )
    merged = reading_of(opportunity) | {"url": opportunity.url} | dict(changes)
    if not str(merged.get("title") or "").strip():
        raise RadarError(_("A call needs a title."), code="title")
    if merged.get("language") not in {"tr", "en"}:
        raise RadarError(_("The language must be Turkish or English."), code="language")
    if merged.get("deadline_kind") == DeadlineKind.FIXED and not merged.get("deadline_date"):
        raise RadarError(_("A fixed deadline needs a date."), code="deadline")
    low, high = _number(merged.get("amount_min")), _number(merged.get("amount_max"))
    if low is not None and high is not None and Decimal(low) > Decimal(high):
        raise RadarError(
            _("The smallest grant cannot be larger than the largest grant."), code="amount"
        )
    currency = str(merged.get("currency") or "")
    if currency and not re.fullmatch(r"[A-Z]{3}", currency):
        raise RadarError(
            _("The currency must be a three-letter code such as TRY."), code="currency"
        )
    if (low or high) and not currency:
        raise RadarError(_("An amount needs a currency."), code="currency")
    zone = merged.get("deadline_timezone")
    if zone:
        try:
            ZoneInfo(zone)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise RadarError(_("Unknown time zone: %(zone)s") % {"zone": zone}) from error
    return dict(changes)


def _jsonable(name: str, value: Any) -> Any:
    if name in RELATION_FIELDS:
        return sorted(value or [])
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, Funder):
        return value.pk
    return value


@transaction.atomic
def edit(
    *, opportunity: Opportunity, actor: Any, changes: Mapping[str, Any], note: str = ""
) -> OpportunityChange | None:
    """An editor's correction of some fields; every edit is kept as a change. Values are Python
    (dates, times, Decimals, slug/code lists, a Funder or None for ``funder``)."""
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    cleaned = _clean_edit(
        opportunity, {name: _jsonable(name, value) for name, value in changes.items()}
    )
    before = reading_of(opportunity) | {"url": opportunity.url, "funder": opportunity.funder_id}
    diff = {name: [before[name], value] for name, value in cleaned.items() if before[name] != value}
    if not diff:
        return None
    scalar = {name: value for name, value in cleaned.items() if name not in {"funder", "url"}}
    _assign(opportunity, scalar)
    if "url" in cleaned:
        opportunity.url = cleaned["url"] or ""
    if "funder" in cleaned:
        opportunity.funder = Funder.objects.filter(pk=cleaned["funder"]).first()
    if opportunity.deadline_kind != DeadlineKind.FIXED:
        opportunity.deadline_date = opportunity.deadline_time = None
        opportunity.deadline_timezone = ""
    notable = bool(set(diff) & NOTABLE_FIELDS)
    if notable and opportunity.status == OpportunityStatus.PUBLISHED:
        opportunity.changed_at = timezone.now()
    _refresh_derived(opportunity)
    opportunity.save()
    _assign_relations(opportunity, scalar)
    change = OpportunityChange.objects.create(
        opportunity=opportunity,
        origin=ChangeOrigin.EDITOR,
        kind=ChangeKind.EDITED,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        fields=diff,
        note=note,
        notable=notable and opportunity.status == OpportunityStatus.PUBLISHED,
    )
    log_action(
        "kaynak.radar.opportunity.edited",
        actor=actor,
        target=opportunity,
        data={"fields": sorted(diff)},
    )
    return change


def _set_status(
    opportunity: Opportunity, actor: Any, status: str, kind: str, note: str = ""
) -> Opportunity:
    opportunity = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
    before = opportunity.status
    opportunity.status = status
    opportunity.reviewed_by = actor if getattr(actor, "is_authenticated", False) else None
    if status == OpportunityStatus.PUBLISHED and opportunity.published_at is None:
        opportunity.published_at = timezone.now()
    opportunity.rejection_reason = note if status == OpportunityStatus.REJECTED else ""
    opportunity.save(
        update_fields=["status", "reviewed_by", "published_at", "rejection_reason", "updated_at"]
    )
    OpportunityChange.objects.create(
        opportunity=opportunity,
        origin=ChangeOrigin.EDITOR,
        kind=kind,
        actor=opportunity.reviewed_by,
        fields={"status": [before, status]},
        note=note,
    )
    log_action(f"kaynak.radar.opportunity.{kind}", actor=actor, target=opportunity)
    return opportunity


@transaction.atomic
def publish(*, opportunity: Opportunity, actor: Any) -> Opportunity:
    """Show the call on the public listing, in feeds and digests."""
    if not opportunity.title.strip():
        raise RadarError(_("A call needs a title."), code="title")
    if opportunity.deadline_kind == DeadlineKind.FIXED and opportunity.deadline_date is None:
        raise RadarError(_("A fixed deadline needs a date."), code="deadline")
    if not (opportunity.url or opportunity.summary):
        raise RadarError(
            _("Add the original link or a summary before publishing."), code="no_content"
        )
    return _set_status(opportunity, actor, OpportunityStatus.PUBLISHED, ChangeKind.PUBLISHED)


@transaction.atomic
def reject(*, opportunity: Opportunity, actor: Any, reason: str) -> Opportunity:
    """Not a call for our NGOs (a tender, a job advert, a duplicate …); the reason is kept."""
    if not reason.strip():
        raise RadarError(_("Say why the call is rejected."), code="reason")
    return _set_status(
        opportunity, actor, OpportunityStatus.REJECTED, ChangeKind.REJECTED, reason.strip()
    )


@transaction.atomic
def reopen(*, opportunity: Opportunity, actor: Any) -> Opportunity:
    """Back to drafts (off the listing) for another look."""
    return _set_status(opportunity, actor, OpportunityStatus.DRAFT, ChangeKind.REOPENED)
