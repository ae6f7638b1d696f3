"""The resolver against the organisations in the database: at the door, in bulk, for staff.

The database's organisations are held in one in-memory ``ProfileIndex`` per process, built on
first use and kept fresh by one cheap query per call (count, newest ``updated_at``, highest
id): new and changed organisations are re-read incrementally, deleted ones dropped. Writers
go through ``kaynak.directory.services``, which save (and so touch ``updated_at``).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from kaynak.directory.resolution.index import ProfileIndex
from kaynak.directory.resolution.names import bare, parse_name, tokens_of
from kaynak.directory.resolution.scoring import (
    CANDIDATE_THRESHOLD,
    EMPTY,
    SAME_THRESHOLD,
    Comparison,
    Profile,
    compare,
    emails_of,
    number_of,
    own_domains,
    phones_of,
    record_profile,
)
from kaynak.directory.resolution.store import DatabaseIndex

_FIELDS = (
    "id",
    "name",
    "short_name",
    "province_id",
    "emails",
    "phones",
    "website",
    "tax_no",
    "association_registry_no",
    "foundation_registry_no",
    "parent_id",
)


def profile_from_row(row: Sequence[Any]) -> Profile:
    """A profile of a stored organisation, from the values of ``_FIELDS``."""
    (pk, name, short_name, province, emails, phones, website, tax, association, foundation) = row[
        :10
    ]
    addresses = emails_of(list(emails or []))
    short = "".join(bare(t) for t in tokens_of(short_name or ""))
    foundation_no = number_of(foundation or "")
    return Profile(
        name=parse_name(name),
        id=pk,
        province=province,
        short=short or parse_name(name).acronym,
        domains=own_domains(addresses, [website] if website else []),
        emails=addresses,
        phones=phones_of(list(phones or [])),
        tax=number_of(tax or ""),
        association_no=number_of(association or ""),
        other_numbers=(foundation_no,) if foundation_no else EMPTY,
        parent_id=row[10],
    )


def _build_organisations(row: Sequence[Any]) -> Profile | None:
    return profile_from_row(row)


DATABASE: DatabaseIndex[Profile, ProfileIndex] = DatabaseIndex(
    model="directory.Organisation",
    fields=_FIELDS,
    build=_build_organisations,
    empty=ProfileIndex,
)


def organisation_matches(
    profile: Profile, *, limit: int = 5, min_score: float = CANDIDATE_THRESHOLD
) -> list[tuple[int, Comparison]]:
    """Known organisations ``profile`` may be, best first."""
    with DATABASE.searching() as index:
        return index.search(profile, min_score=min_score)[:limit]


def profile_of_record(record: Any) -> Profile:
    """The profile of an ``OrganisationRecord``."""
    return record_profile(
        name=record.name,
        city=record.city,
        email=record.email,
        phone=record.phone,
        registry_no=record.registry_no,
        website=record.website,
    )


# --- bulk ----------------------------------------------------------------------------------


class _Clusters:
    """Union-find over unique rows and known organisations, refusing any merge that would put
    two positively different records (``Comparison.distinct``) in one cluster."""

    def __init__(self, profiles: list[Profile], known: dict[int, Profile]) -> None:
        self.profiles = profiles
        self.known = known
        self.parent = list(range(len(profiles)))
        self.members: dict[int, list[int]] = {i: [i] for i in range(len(profiles))}
        self.organisation: dict[int, int] = {}
        self._distinct: dict[tuple[int, int], bool] = {}

    def find(self, i: int) -> int:
        while self.parent[i] != i:
            self.parent[i] = self.parent[self.parent[i]]
            i = self.parent[i]
        return i

    def _differs(self, i: int, j: int) -> bool:
        key = (i, j) if i < j else (j, i)
        if key not in self._distinct:
            self._distinct[key] = compare(self.profiles[i], self.profiles[j]).distinct
        return self._distinct[key]

    def _sample(self, root: int) -> list[int]:
        # The first and last members stand for a big cluster (identical rows were merged
        # before, so clusters are small; this only bounds the worst case).
        members = self.members[root]
        return members if len(members) <= 12 else members[:6] + members[-6:]

    def join(self, i: int, j: int) -> bool:
        a, b = self.find(i), self.find(j)
        if a == b:
            return True
        org_a, org_b = self.organisation.get(a), self.organisation.get(b)
        if org_a is not None and org_b is not None and org_a != org_b:
            return False
        for x in self._sample(a):
            for y in self._sample(b):
                if self._differs(x, y):
                    return False
        for org, root in ((org_a, b), (org_b, a)):
            if org is not None:
                known = self.known[org]
                if any(compare(self.profiles[m], known).distinct for m in self._sample(root)):
                    return False
        if len(self.members[a]) < len(self.members[b]):
            a, b = b, a
        self.parent[b] = a
        self.members[a].extend(self.members.pop(b))
        if org_b is not None:
            self.organisation[a] = org_b
            self.organisation.pop(b, None)
        return True

    def link(self, i: int, organisation: int) -> bool:
        root = self.find(i)
        current = self.organisation.get(root)
        if current is not None:
            return current == organisation
        known = self.known[organisation]
        if any(compare(self.profiles[m], known).distinct for m in self._sample(root)):
            return False
        self.organisation[root] = organisation
        return True


_STRONG = frozenset({"email-domain", "email", "phone", "registry-no"})
_WEAK = frozenset({"name", "similar-name", "acronym", "province"})


def _strength(score: float, evidence: tuple[str, ...]) -> float:
    """The score, with each agreeing detail breaking ties: a row that matches one organisation
    by name and another by name *and* e-mail belongs to the second."""
    return (
        score
        + 0.03 * sum(1 for e in evidence if e in _STRONG)
        + 0.01 * sum(1 for e in evidence if e in _WEAK)
    )


def _ambiguous_rows(
    edges: list[tuple[float, int, int, int, tuple[str, ...]]],
    profiles: list[Profile],
    known: dict[int, Profile],
) -> set[int]:
    """Rows that fit two positively different organisations equally well ("Kadın Dayanışma
    Derneği" with no city, when Van and İzmir each have one): linking either would be a guess,
    so neither is made."""
    targets: dict[int, list[tuple[float, Profile]]] = {}
    for score, kind, i, target, evidence in edges:
        strength = _strength(score, evidence)
        if kind == 0:
            targets.setdefault(i, []).append((strength, known[target]))
        else:
            targets.setdefault(i, []).append((strength, profiles[target]))
            targets.setdefault(target, []).append((strength, profiles[i]))
    ambiguous: set[int] = set()
    for i, found in targets.items():
        if len(found) < 2:
            continue
        found.sort(key=lambda item: -item[0])
        best_strength, best = found[0]
        for strength, other in found[1:]:
            if best_strength - strength > 0.015:
                break
            if compare(best, other).distinct:
                ambiguous.add(i)
                break
    return ambiguous


def cluster_profiles(
    profiles: list[Profile], *, database: ProfileIndex | None
) -> list[tuple[str, int | None, float, tuple[str, ...]]]:
    """(cluster, known organisation id, score, evidence) for each profile, in order.

    Identical rows are resolved once. Every row is compared with the known organisations and
    with the other rows; links at ``SAME_THRESHOLD`` or above are applied strongest first,
    each only if it joins no two positively different records and no two known ones."""
    unique: dict[tuple[Any, ...], int] = {}
    row_to_unique: list[int] = []
    distinct_profiles: list[Profile] = []
    for profile in profiles:
        key = (
            profile.name,
            profile.province,
            profile.short,
            profile.domains,
            profile.emails,
            profile.phones,
            profile.tax,
            profile.association_no,
            profile.other_numbers,
        )
        if key not in unique:
            unique[key] = len(distinct_profiles)
            distinct_profiles.append(profile)
        row_to_unique.append(unique[key])

    # (score, kind: 0 a known organisation / 1 another row, row, target, evidence)
    edges: list[tuple[float, int, int, int, tuple[str, ...]]] = []
    known: dict[int, Profile] = {}
    if database is not None and len(database):
        for i, profile in enumerate(distinct_profiles):
            for pk, comparison in database.search(profile, min_score=SAME_THRESHOLD)[:3]:
                known[pk] = database.profiles[pk]
                edges.append((comparison.score, 0, i, pk, comparison.evidence))
    rows = ProfileIndex()
    for i, profile in enumerate(distinct_profiles):
        rows.add(i, profile)
    seen: set[tuple[int, int]] = set()
    for i, profile in enumerate(distinct_profiles):
        # Blocking is not symmetric (an acronym finds its name, not the other way round).
        for j, comparison in rows.search(profile, exclude=i, min_score=SAME_THRESHOLD):
            pair = (i, j) if i < j else (j, i)
            if pair not in seen:
                seen.add(pair)
                edges.append((comparison.score, 1, pair[0], pair[1], comparison.evidence))
    ambiguous = _ambiguous_rows(edges, distinct_profiles, known)
    edges = [e for e in edges if e[2] not in ambiguous and not (e[1] and e[3] in ambiguous)]
    # Strongest evidence first; ties broken by position, so the result is stable.
    edges.sort(key=lambda e: (-_strength(e[0], e[4]), e[1], e[2], e[3]))
    clusters = _Clusters(distinct_profiles, known)
    joined: dict[int, tuple[float, tuple[str, ...]]] = {}
    for score, kind, i, target, evidence in edges:
        if kind == 0:
            if clusters.link(i, target):
                joined.setdefault(i, (score, evidence))
        elif clusters.join(i, target):
            joined.setdefault(target, (score, evidence))
            joined.setdefault(i, (score, evidence))

    first_row: dict[int, int] = {}
    for row, u in enumerate(row_to_unique, start=1):
        first_row.setdefault(clusters.find(u), row)
    results: list[tuple[str, int | None, float, tuple[str, ...]]] = []
    for u in row_to_unique:
        root = clusters.find(u)
        organisation = clusters.organisation.get(root)
        cluster = f"org-{organisation}" if organisation is not None else f"new-{first_row[root]}"
        if u in ambiguous and u not in joined:
            # Left alone on purpose: say so, with a confidence that says "a guess".
            score, evidence = 0.5, ("ambiguous",)
        else:
            score, evidence = joined.get(u, (1.0, ()))
        results.append((cluster, organisation, round(score, 4), evidence))
    return results


def cluster_records(
    profiles: list[Profile], *, against_database: bool
) -> list[tuple[str, int | None, float, tuple[str, ...]]]:
    """``cluster_profiles`` against the database's organisations (or none)."""
    if not against_database:
        return cluster_profiles(profiles, database=None)
    with DATABASE.searching() as index:
        return cluster_profiles(profiles, database=index)


def duplicate_pairs(*, min_score: float) -> Iterator[tuple[int, int, float, list[str]]]:
    """Pairs of known organisations that may be one, each once, left id first."""
    found: list[tuple[int, int, float, list[str]]] = []
    seen: set[tuple[int, int]] = set()
    with DATABASE.searching() as index:
        for pk in sorted(pk for pk, _p in index.items()):
            profile = index.profiles[pk]
            for other, comparison in index.search(profile, exclude=pk, min_score=min_score):
                pair = (pk, other) if pk < other else (other, pk)
                if pair in seen:
                    continue
                seen.add(pair)
                if profile.parent_id == other or index.profiles[other].parent_id == pk:
                    continue  # a branch and its parent, already linked
                found.append((*pair, round(comparison.score, 4), list(comparison.evidence)))
    yield from found


__all__ = [
    "CANDIDATE_THRESHOLD",
    "DATABASE",
    "SAME_THRESHOLD",
    "cluster_profiles",
    "cluster_records",
    "duplicate_pairs",
    "organisation_matches",
    "phones_of",
    "profile_of_record",
]
