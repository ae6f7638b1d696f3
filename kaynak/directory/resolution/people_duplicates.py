"""Pairs of known people who may be one, for the staff duplicates queue.

The people's rules (docs/directory.md) say a name alone is never enough. The queue takes that
one step further: a pair is proposed only when the two share something that belongs to one
person — an e-mail address, a phone number, an identifier — or an organisation, and the
resolver still finds them alike (two wholly different names at one family phone are not).
The same name, province and birth year are shown as evidence but do not propose a pair on
their own: in the national demo (300,000 people, no real duplicates) they proposed 3,180 pairs
of namesakes; with that many people, even rare coincidences add up.

That rule decides how the pairs are found, too. Instead of asking the index about each of
300,000 people (a look-up weighs every name word's postings: minutes of work), everyone is put
in blocks — one per e-mail address, phone number, identifier and organisation — and compared
with the others in their blocks only; a pair the rule accepts always shares a block. A block
larger than ``MAX_BLOCK`` is no evidence (a placeholder address typed for hundreds of people, a
very large organisation) and is skipped.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import replace
from itertools import combinations

from kaynak.directory.resolution.people import PEOPLE, PersonIndex, PersonProfile, compare_people
from kaynak.directory.resolution.scoring import CANDIDATE_THRESHOLD, Comparison

# Any one of these is reason enough to show a pair to staff.
_BELONGS_TO_THE_PERSON = frozenset({"email", "phone", "organisation", "identifier"})
# People in one block are compared pairwise (k² comparisons); larger blocks are skipped.
MAX_BLOCK = 200

Pair = tuple[int, int, float, list[str]]


def _worth_a_look(evidence: list[str]) -> bool:
    return not _BELONGS_TO_THE_PERSON.isdisjoint(evidence)


def _evidence(a: PersonProfile, b: PersonProfile, comparison: Comparison) -> list[str]:
    """The resolver's evidence in the words of stored people (a province, a birth year), with
    what says the two differ."""
    evidence = []
    for code in comparison.evidence:
        if code == "city":
            code = "province"  # a stored person's "city" is their province
        elif code == "birth-date" and (len(a.birth) == 4 or len(b.birth) == 4):
            code = "birth-year"
        evidence.append(code)
    if a.city and b.city and a.city != b.city:
        evidence.append("different-province")
    if a.birth and b.birth and a.birth[:4] != b.birth[:4]:
        evidence.append("different-birth-year")
    return evidence


def _with_organisation(profile: PersonProfile, organisation_id: int) -> PersonProfile:
    return replace(profile, organisation=f"organisation:{organisation_id}")


def _organisations_of(people: dict[int, PersonProfile]) -> dict[int, set[int]]:
    """Person id → the organisations they are (or were) affiliated with, for indexed people."""
    from kaynak.directory.models import Affiliation

    organisations: dict[int, set[int]] = defaultdict(set)
    rows = Affiliation.objects.values_list("person_id", "organisation_id")
    for person_id, organisation_id in rows.iterator(chunk_size=20000):
        if person_id in people:
            organisations[person_id].add(organisation_id)
    return organisations


def _block_keys(profile: PersonProfile) -> Iterator[str]:
    for email in profile.emails:
        yield f"e:{email}"
    for phone in profile.phones:
        yield f"p:{phone}"
    if profile.identifier:
        yield f"n:{profile.identifier}"


def _blocks(
    people: dict[int, PersonProfile], organisations: dict[int, set[int]]
) -> Iterable[list[int]]:
    members: dict[str, list[int]] = defaultdict(list)
    for pk in sorted(people):
        for key in _block_keys(people[pk]):
            members[key].append(pk)
        for organisation_id in organisations.get(pk, ()):
            members[f"o:{organisation_id}"].append(pk)
    return (block for block in members.values() if 2 <= len(block) <= MAX_BLOCK)


def _compare(
    index: PersonIndex, left: int, right: int, shared: set[int]
) -> tuple[float, list[str]]:
    a, b = index.profiles[left], index.profiles[right]
    if shared:
        # The same organisation (whichever of theirs): one key on both sides.
        key = min(shared)
        a, b = _with_organisation(a, key), _with_organisation(b, key)
    comparison = compare_people(a, b, index.frequencies, prior_bits=index.prior_bits)
    return comparison.score, _evidence(a, b, comparison)


def duplicate_pairs(*, min_score: float = CANDIDATE_THRESHOLD) -> Iterator[Pair]:
    """Pairs of known people who may be one: ``(left_id, right_id, score, evidence)`` with
    ``left_id < right_id``, each pair once, worth a staff member's look (see the module).
    Erased people are not in the index, so they are never proposed."""
    found: list[Pair] = []
    seen: set[tuple[int, int]] = set()
    none: set[int] = set()
    with PEOPLE.searching() as index:
        people = index.profiles
        organisations = _organisations_of(people)
        for block in _blocks(people, organisations):
            for pair in combinations(block, 2):  # in id order: left < right
                if pair in seen:
                    continue
                seen.add(pair)
                left, right = pair
                shared = organisations.get(left, none) & organisations.get(right, none)
                score, evidence = _compare(index, left, right, shared)
                if score >= min_score and _worth_a_look(evidence):
                    found.append((left, right, round(score, 4), evidence))
    yield from sorted(found)
