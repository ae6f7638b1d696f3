"""Named reads of the editors' pages: the drafts queue, one call for review with the text it
was read from, sources with their health, scans and raw items."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from kaynak.radar.candidates import BodyKind
from kaynak.radar.extraction.text import to_text
from kaynak.radar.models import (
    DeadlineKind,
    Funder,
    Opportunity,
    OpportunityStatus,
    RawItem,
    ScanRun,
    Source,
)
from kaynak.radar.scanning import result_from
from kaynak.radar.sources.common import body_kind_of

# What "left empty by extraction" means for each field of the queue's filter.
MISSING: dict[str, Q] = {
    "deadline": Q(deadline_kind=DeadlineKind.NONE)
    | Q(deadline_kind=DeadlineKind.FIXED, deadline_date__isnull=True),
    "amount": Q(amount_min__isnull=True, amount_max__isnull=True),
    "applicant_types": Q(has_applicant_types=False),
    "countries": Q(has_countries=False),
    "themes": Q(has_themes=False),
}
# Countries are often rightly empty (a call names none), so "any field" leaves them out.
MISSING_ANY = ("deadline", "amount", "applicant_types", "themes")


def _has(relation: str) -> Exists:
    through = getattr(Opportunity, relation).through
    return Exists(through.objects.filter(opportunity_id=OuterRef("pk")))


def drafts_queue(
    *,
    status: str = OpportunityStatus.DRAFT,
    source: Source | None = None,
    funder: Funder | None = None,
    language: str = "",
    missing: str = "",
) -> QuerySet[Opportunity]:
    """Calls for the editors' queue, newest first, each with ``has_<relation>`` flags so the
    page can name the empty fields without a query per row."""
    calls = (
        Opportunity.objects.select_related("funder")
        .annotate(
            has_applicant_types=_has("applicant_types"),
            has_countries=_has("countries"),
            has_themes=_has("themes"),
        )
        .order_by("-created_at", "-id")
    )
    if status:
        calls = calls.filter(status=status)
    if source is not None:
        calls = calls.filter(Q(links__source=source) | Q(raw_items__source=source)).distinct()
    if funder is not None:
        calls = calls.filter(funder=funder)
    if language:
        calls = calls.filter(language=language)
    if missing == "any":
        condition = Q()
        for name in MISSING_ANY:
            condition |= MISSING[name]
        calls = calls.filter(condition)
    elif missing in MISSING:
        calls = calls.filter(MISSING[missing])
    return calls


def empty_fields(opportunity: Any) -> list[str]:
    """The queue's names of the fields left empty (reads the annotations of ``drafts_queue``)."""
    empty = []
    if opportunity.deadline_kind == DeadlineKind.NONE or (
        opportunity.deadline_kind == DeadlineKind.FIXED and opportunity.deadline_date is None
    ):
        empty.append("deadline")
    if opportunity.amount_min is None and opportunity.amount_max is None:
        empty.append("amount")
    for name in ("applicant_types", "countries", "themes"):
        if not getattr(opportunity, f"has_{name}", True):
            empty.append(name)
    return empty


def opportunity_for_review(pk: int) -> Opportunity:
    try:
        return (
            Opportunity.objects.select_related("funder", "reviewed_by")
            .prefetch_related("applicant_types", "countries", "themes")
            .get(pk=pk)
        )
    except Opportunity.DoesNotExist:
        raise Http404 from None


def next_draft_after(opportunity: Opportunity) -> Opportunity | None:
    """The draft the queue lists after this one (newest first), else the newest draft left."""
    drafts = Opportunity.objects.filter(status=OpportunityStatus.DRAFT).exclude(pk=opportunity.pk)
    older = drafts.filter(
        Q(created_at__lt=opportunity.created_at)
        | Q(created_at=opportunity.created_at, id__lt=opportunity.pk)
    )
    return older.order_by("-created_at", "-id").first() or drafts.order_by("-created_at").first()


def body_kind(raw: RawItem) -> BodyKind:
    """How extraction reads this raw item's body (txt, html or pdf), as the scan did."""
    return body_kind_of(result_from(raw))


@dataclass(frozen=True)
class SourceText:
    raw_item: RawItem | None
    text: str


def source_text(opportunity: Opportunity) -> SourceText:
    """The text the machine read the call from: the latest raw item with a body (the call's
    own page, an API record, an editor's entry), else the call's summary."""
    raw = (
        RawItem.objects.filter(opportunity=opportunity)
        .exclude(body=b"")
        .select_related("source")
        .order_by("-fetched_at", "-id")
        .first()
    )
    if raw is None:
        return SourceText(None, opportunity.summary)
    return SourceText(raw, to_text(bytes(raw.body), body_kind(raw)))


def sources_with_health() -> QuerySet[Source]:
    """Every source, flagged ones first, then by name."""
    return Source.objects.select_related("funder").order_by("-consecutive_failures", "name")


def source_for_staff(pk: int) -> Source:
    try:
        return Source.objects.select_related("funder").get(pk=pk)
    except Source.DoesNotExist:
        raise Http404 from None


def recent_scans(source: Source, limit: int = 20) -> list[ScanRun]:
    return list(source.scans.select_related("started_by").order_by("-started_at")[:limit])


def scan_for_staff(pk: int) -> ScanRun:
    try:
        return ScanRun.objects.select_related("source", "started_by").get(pk=pk)
    except ScanRun.DoesNotExist:
        raise Http404 from None


def scan_items(scan: ScanRun) -> QuerySet[RawItem]:
    """The bodies a scan fetched, without the bodies themselves."""
    return (
        scan.raw_items.select_related("opportunity")
        .defer("body", "headers", "listed", "extracted")
        .order_by("fetched_at", "id")
    )


def raw_item_for_staff(pk: int) -> RawItem:
    try:
        return RawItem.objects.select_related("source", "scan", "opportunity").get(pk=pk)
    except RawItem.DoesNotExist:
        raise Http404 from None
