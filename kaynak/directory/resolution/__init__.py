"""Identity resolution: is this organisation (or person) one we already know?

The rules are written for users in docs/directory.md. This package is the one place that
applies them, in three ways:

* at the door — ``organisation_candidates(record)``: the known organisations a form, an import
  row or an API call may mean, best first, each with its evidence;
* in bulk — ``cluster_organisations(records)``: which input rows are the same organisation, and
  which known organisation each cluster is;
* for staff — ``duplicate_organisation_pairs()`` and ``duplicate_person_pairs()``: pairs of
  known organisations (people) that may be one, for the duplicates queue.

The public names below are the contract other modules code against. Evidence words used in
``Candidate.evidence`` (and the duplicate pairs) are listed in ``EVIDENCE_LABELS`` with a
translatable label each, for showing them to staff.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kaynak.directory.resolution.scoring import CANDIDATE_THRESHOLD, SAME_THRESHOLD


@dataclass(frozen=True)
class OrganisationRecord:
    """An organisation as typed by someone: a form, an import row, an API call."""

    name: str
    city: str = ""
    email: str = ""
    phone: str = ""
    contact_name: str = ""
    registry_no: str = ""
    website: str = ""


@dataclass(frozen=True)
class Candidate:
    """A known organisation (or person) the record may mean."""

    id: int
    score: float  # 0..1; SAME_THRESHOLD and above: the resolver treats it as the same
    evidence: list[str] = field(default_factory=list)  # e.g. ["name", "email-domain", "phone"]


@dataclass(frozen=True)
class RowMatch:
    """Bulk resolution of one input row."""

    row: int  # 1-based position of the row in the input
    cluster: str  # rows with the same cluster are the same organisation
    organisation_id: int | None  # the known organisation the cluster is, if any
    score: float  # confidence of the row's assignment, 0..1
    # Why (for a row joined to a cluster or a known organisation): e.g. ["name", "phone"].
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class PersonRecord:
    """A person as typed by someone. ``birth_date`` takes "1984", "1984-03-07" or
    "07.03.1984"; ``identifier`` a national id or any number that identifies one person."""

    full_name: str
    email: str = ""
    phone: str = ""
    city: str = ""
    organisation: str = ""
    birth_date: str = ""
    identifier: str = ""
    postcode: str = ""
    address: str = ""


EVIDENCE_LABELS: dict[str, Promise] = {
    "name": _("same name"),
    "similar-name": _("similar name"),
    "acronym": _("acronym of the name"),
    "email-domain": _("same e-mail domain or web site"),
    "email": _("same e-mail address"),
    "phone": _("same phone number"),
    "registry-no": _("same registry or tax number"),
    "province": _("same province"),
    "different-province": _("different province"),
    "different-registry-no": _("different registry or tax number"),
    "different-domain": _("each has its own, different e-mail domain"),
    "ambiguous": _("fits more than one known organisation equally well"),
    "branch": _("one is a branch (or a different branch)"),
    "different-legal-form": _("different legal form"),
    "different-name": _("a place or number in the name differs"),
    "birth-date": _("same birth date"),
    "identifier": _("same identity number"),
    "postcode": _("same postcode"),
    "city": _("same city"),
    "address": _("same address"),
    "organisation": _("same organisation"),
    "birth-year": _("same birth year"),
    "different-birth-year": _("different birth year"),
}


def organisation_candidates(record: OrganisationRecord, *, limit: int = 5) -> list[Candidate]:
    """The known organisations ``record`` may mean, best first (score at least
    ``CANDIDATE_THRESHOLD``; ``SAME_THRESHOLD`` and above: the same one)."""
    from kaynak.directory.resolution import organisations

    profile = organisations.profile_of_record(record)
    return [
        Candidate(id=pk, score=round(c.score, 4), evidence=list(c.evidence))
        for pk, c in organisations.organisation_matches(profile, limit=limit)
    ]


def person_candidates(
    record: PersonRecord, *, limit: int = 5, sharing_contacts: bool = False
) -> list[Candidate]:
    """The known people ``record`` may mean, best first. A name alone never reaches
    ``SAME_THRESHOLD``: an e-mail, phone, birth date or identifier has to agree.

    ``sharing_contacts``: only people with one of the record's e-mail addresses or phone
    numbers (a look-up, not a search: for callers that accept no other evidence)."""
    from kaynak.directory.resolution import people

    profile = people.person_profile(
        full_name=record.full_name,
        email=record.email,
        phone=record.phone,
        city=record.city,
        organisation=record.organisation,
        birth_date=record.birth_date,
        identifier=record.identifier,
        postcode=record.postcode,
        address=record.address,
    )
    with people.PEOPLE.searching() as index:
        among = index.sharing_contacts(profile) if sharing_contacts else index.blocked(profile)
        matches = index.search_among(profile, among, min_score=CANDIDATE_THRESHOLD)[:limit]
    return [
        Candidate(id=pk, score=round(c.score, 4), evidence=list(c.evidence)) for pk, c in matches
    ]


def cluster_organisations(
    records: list[OrganisationRecord], *, against_database: bool = True
) -> list[RowMatch]:
    """One ``RowMatch`` per record, in input order: rows with the same ``cluster`` are one
    organisation. A cluster that is a known organisation is called ``org-<id>`` and carries its
    id; a new one is called ``new-<row>`` after its first row. A row that fits two different
    organisations equally well is linked to neither: its evidence is ``["ambiguous"]`` and its
    score 0.5. With no organisations table (or ``against_database=False``) the rows are
    clustered among themselves. Writes nothing."""
    from kaynak.directory.resolution import organisations

    profiles = [organisations.profile_of_record(record) for record in records]
    resolved = organisations.cluster_records(profiles, against_database=against_database)
    return [
        RowMatch(row=row, cluster=cluster, organisation_id=pk, score=score, evidence=evidence)
        for row, (cluster, pk, score, evidence) in enumerate(resolved, start=1)
    ]


def duplicate_organisation_pairs(
    *, min_score: float = CANDIDATE_THRESHOLD
) -> Iterator[tuple[int, int, float, list[str]]]:
    """Pairs of known organisations that may be one: ``(left_id, right_id, score, evidence)``
    with ``left_id < right_id``, each pair once. A branch and the parent it is linked to are
    never proposed."""
    from kaynak.directory.resolution import organisations

    return organisations.duplicate_pairs(min_score=min_score)


def duplicate_person_pairs(
    *, min_score: float = CANDIDATE_THRESHOLD
) -> Iterator[tuple[int, int, float, list[str]]]:
    """Pairs of known people who may be one: ``(left_id, right_id, score, evidence)`` with
    ``left_id < right_id``, each pair once. Only pairs with something that belongs to the person
    in common (an e-mail, a phone, an identifier) or an organisation are proposed: a name alone
    (even with the province and birth year) is never enough. Erased people are never
    proposed."""
    from kaynak.directory.resolution import people_duplicates

    return people_duplicates.duplicate_pairs(min_score=min_score)


__all__ = [
    "CANDIDATE_THRESHOLD",
    "EVIDENCE_LABELS",
    "SAME_THRESHOLD",
    "Candidate",
    "OrganisationRecord",
    "PersonRecord",
    "RowMatch",
    "cluster_organisations",
    "duplicate_organisation_pairs",
    "duplicate_person_pairs",
    "organisation_candidates",
    "person_candidates",
]
