"""The duplicates queue: pairs the resolver proposes, staff's decisions, and its named reads."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import batched
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.db.models.fields.json import KT
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaynak.core.audit import log_action
from kaynak.core.errors import KaynakError
from kaynak.directory.merging.services import KINDS
from kaynak.directory.models import (
    Affiliation,
    CandidateStatus,
    DuplicateCandidate,
    MergeRecord,
    Organisation,
    Person,
    RecordKind,
)

# (left_id, right_id, score, evidence), as the resolver yields them.
Pair = tuple[int, int, float, Sequence[str]]


@transaction.atomic
def duplicate_candidates_refresh(
    *, pairs: Iterable[Pair], kind: RecordKind = RecordKind.ORGANISATION
) -> int:
    """Add the pairs the resolver found to the queue; returns how many are new. A pair already
    in the queue keeps its row, so a decision (not the same, merged) is never proposed again."""
    existing = DuplicateCandidate.objects.filter(kind=kind)
    before = existing.count()
    for chunk in batched(pairs, 1000):
        DuplicateCandidate.objects.bulk_create(
            [
                DuplicateCandidate(
                    kind=kind,
                    left_id=min(left, right),
                    right_id=max(left, right),
                    score=round(float(score), 4),
                    evidence=list(evidence),
                )
                for left, right, score, evidence in chunk
                if left != right
            ],
            # The unique constraint on (kind, left, right) keeps the row that is there.
            ignore_conflicts=True,
        )
    added = existing.count() - before
    log_action(
        "kaynak.directory.duplicate_candidate.refreshed", data={"kind": kind, "added": added}
    )
    return added


@transaction.atomic
def candidate_reject(*, candidate: DuplicateCandidate, actor: Any) -> DuplicateCandidate:
    """Mark a pair as not the same; it is never proposed again."""
    candidate = DuplicateCandidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.status != CandidateStatus.OPEN:
        raise KaynakError(
            _("This pair was already decided: %(status)s.")
            % {"status": candidate.get_status_display()},
            code="already_decided",
        )
    candidate.status = CandidateStatus.REJECTED
    candidate.decided_at = timezone.now()
    candidate.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    candidate.save(update_fields=["status", "decided_at", "decided_by"])
    log_action(
        "kaynak.directory.duplicate_candidate.rejected",
        actor=actor,
        target=candidate,
        data={"kind": candidate.kind, "left": candidate.left_id, "right": candidate.right_id},
    )
    return candidate


def open_candidates(*, kind: RecordKind = RecordKind.ORGANISATION) -> QuerySet[DuplicateCandidate]:
    """Open pairs whose two records both exist, best score first. (A pair about a record merged
    away comes back if that merge is undone.) An erased person's pairs are left out: their data
    is anonymised and they cannot be merged."""
    records: QuerySet[Any] = KINDS[kind].model._base_manager.all()
    if kind == RecordKind.PERSON:
        records = records.filter(erased_at__isnull=True)
    return (
        DuplicateCandidate.objects.filter(kind=kind, status=CandidateStatus.OPEN)
        .filter(
            Exists(records.filter(pk=OuterRef("left_id"))),
            Exists(records.filter(pk=OuterRef("right_id"))),
        )
        .order_by("-score", "left_id", "right_id")
    )


@dataclass(frozen=True)
class OrganisationPair:
    candidate: DuplicateCandidate
    left: Organisation
    right: Organisation


def organisation_pairs(candidates: Iterable[DuplicateCandidate]) -> list[OrganisationPair]:
    """The candidates with both organisations, loaded in one query; a pair whose records do not
    both exist is left out."""
    candidates = list(candidates)
    ids = {c.left_id for c in candidates} | {c.right_id for c in candidates}
    found = Organisation.objects.select_related("province", "legal_form").in_bulk(ids)
    return [
        OrganisationPair(c, found[c.left_id], found[c.right_id])
        for c in candidates
        if c.left_id in found and c.right_id in found
    ]


@dataclass(frozen=True)
class PersonPair:
    candidate: DuplicateCandidate
    left: Person
    right: Person


def person_pairs(candidates: Iterable[DuplicateCandidate]) -> list[PersonPair]:
    """The candidates with both people, their provinces, user accounts and affiliations (with
    the organisations), in two queries whatever the number of pairs; a pair whose people do not
    both exist, or one of whom was erased, is left out."""
    candidates = list(candidates)
    ids = {c.left_id for c in candidates} | {c.right_id for c in candidates}
    affiliations = Affiliation.objects.select_related("organisation").order_by(
        "end_date", "-start_date", "pk"
    )
    found = (
        Person.objects.filter(erased_at__isnull=True)
        .select_related("province", "user")
        .prefetch_related(Prefetch("affiliations", queryset=affiliations))
        .in_bulk(ids)
    )
    return [
        PersonPair(c, found[c.left_id], found[c.right_id])
        for c in candidates
        if c.left_id in found and c.right_id in found
    ]


def _merges(kind: RecordKind, name_field: str) -> QuerySet[MergeRecord]:
    return (
        MergeRecord.objects.filter(kind=kind)
        .defer("snapshot")
        .annotate(merged_name=KT(f"snapshot__merged__fields__{name_field}"))
        .select_related("merged_by", "undone_by")
        .order_by("-merged_at", "-id")
    )


def organisation_merges() -> QuerySet[MergeRecord]:
    """Merges of organisations, newest first, with the merged organisation's name as
    ``merged_name`` (the snapshot itself is not loaded: it can be large)."""
    return _merges(RecordKind.ORGANISATION, "name")


def person_merges() -> QuerySet[MergeRecord]:
    """Merges of people, newest first, with the merged person's name as ``merged_name``."""
    return _merges(RecordKind.PERSON, "full_name")


def survivors_of(records: Iterable[MergeRecord]) -> dict[int, Organisation]:
    """The surviving organisations of ``records`` that still exist, by id."""
    return Organisation.objects.in_bulk({record.survivor_id for record in records})


def surviving_people(records: Iterable[MergeRecord]) -> dict[int, Person]:
    """The surviving people of ``records`` that still exist, by id."""
    return Person.objects.in_bulk({record.survivor_id for record in records})
