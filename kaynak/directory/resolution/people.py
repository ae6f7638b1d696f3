"""People: is this the same person? The organisation rules in spirit, for people.

A name is compared word by word in any order ("YILMAZ Ayşe" is "Ayşe Yılmaz"), Turkish letters
folded, a middle name optional ("Ayşe Nur Yılmaz"), an initial allowed ("A. Yılmaz"), a typo
forgiven. A name alone is weak evidence: many people share one. E-mail addresses, phones (any
Turkish format, compared in E.164), a birth date or an identifier are what make two records one
person; a different birth date or identifier makes them two.

The evidence is weighed the Fellegi–Sunter way: each field that agrees or disagrees adds its
log-likelihood ratio (how much likelier that outcome is for one person than for two), common
names counting for less than rare ones, and the sum becomes a probability.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import chain
from typing import Any

from rapidfuzz.distance import OSA, JaroWinkler
from rapidfuzz.fuzz import token_set_ratio

from kaynak.directory.places import province_of
from kaynak.directory.resolution import PersonRecord
from kaynak.directory.resolution.names import bare, fold, parse_name, tokens_of
from kaynak.directory.resolution.scoring import (
    CANDIDATE_THRESHOLD,
    EMPTY,
    SAME_THRESHOLD,
    Comparison,
    Values,
    emails_of,
    phones_of,
    shares,
)
from kaynak.directory.resolution.store import DatabaseIndex

TITLES = frozenset(
    {
        "dr",
        "prof",
        "doc",
        "av",
        "sn",
        "sayin",
        "bay",
        "bayan",
        "hanim",
        "bey",
        "mr",
        "mrs",
        "ms",
        "miss",
        "uzm",
        "op",
        "yrd",
        "arastirma",
        "gorevlisi",
        "ogr",
        "gor",
    }
)
_DIGITS = re.compile(r"\d+")
# Evidence that singles a person out; without one of these a match is never "the same".
_DETAILS = frozenset(
    {"email", "phone", "birth-date", "identifier", "postcode", "address", "organisation"}
)


@dataclass(frozen=True, slots=True)
class PersonProfile:
    """What identifies one person, normalised once."""

    names: tuple[str, ...]  # folded name words, titles removed; "a." for an initial
    emails: Values = EMPTY
    phones: Values = EMPTY
    city: str = ""  # the province's plate code when it is one, else the folded text
    organisation: str = ""  # the organisation's identifying words
    birth: str = ""  # YYYYMMDD, or YYYY when only the year is known
    identifier: str = ""  # a national id or similar, digits and letters
    postcode: str = ""
    address: str = ""  # folded
    # Derived once, for fast comparison:
    plain: tuple[str, ...] = field(init=False)  # the name words without full stops
    ordered: tuple[str, ...] = field(init=False)  # the same, sorted
    compact: str = field(init=False)  # run together: "aysenur"

    def __post_init__(self) -> None:
        plain = tuple(bare(n) for n in self.names)
        object.__setattr__(self, "plain", plain)
        object.__setattr__(self, "ordered", tuple(sorted(self.names)))
        object.__setattr__(self, "compact", "".join(plain))


def person_name_words(full_name: str) -> tuple[str, ...]:
    words = [w for w in tokens_of(full_name) if bare(w) not in TITLES]
    return tuple(w if len(bare(w)) > 1 else bare(w) + "." for w in words)


def _birth(value: str) -> str:
    digits = "".join(_DIGITS.findall(value or ""))
    if len(digits) == 8:
        # DD.MM.YYYY (Turkish order) or YYYYMMDD.
        if int(digits[:4]) > 1800:
            return digits
        return digits[4:] + digits[2:4] + digits[:2]
    if len(digits) == 4:
        return digits
    return ""


@lru_cache(maxsize=4096)
def _city(value: str) -> str:
    if not value:
        return ""
    plate = province_of(value, guess=False)
    return str(plate) if plate is not None else " ".join(fold(value).split())


def person_profile(
    *,
    full_name: str,
    email: str | Iterable[str] = "",
    phone: str | Iterable[str] = "",
    city: str = "",
    organisation: str = "",
    birth_date: str = "",
    identifier: str = "",
    postcode: str = "",
    address: str = "",
) -> PersonProfile:
    return PersonProfile(
        names=person_name_words(full_name),
        emails=emails_of(email if isinstance(email, str) else list(email)) if email else EMPTY,
        phones=phones_of(phone if isinstance(phone, str) else list(phone)) if phone else EMPTY,
        city=_city(city),
        organisation=parse_name(organisation).key if organisation else "",
        birth=_birth(birth_date),
        identifier="".join(ch for ch in fold(identifier) if ch.isalnum()) if identifier else "",
        postcode="".join(ch for ch in fold(postcode) if ch.isalnum()) if postcode else "",
        address=" ".join(fold(address).split()) if address else "",
    )


# --- comparing two names -------------------------------------------------------------------


def _word_similarity(a: str, b: str) -> float:
    if a == b:
        return 1.0
    ba, bb = bare(a), bare(b)
    if ba == bb:
        return 1.0
    if (a.endswith(".") and len(ba) == 1 and bb.startswith(ba)) or (
        b.endswith(".") and len(bb) == 1 and ba.startswith(bb)
    ):
        return 0.75  # an initial
    if min(len(ba), len(bb)) < 3:
        return 0.0
    similarity = JaroWinkler.normalized_similarity(ba, bb)
    if OSA.distance(ba, bb, score_cutoff=1) <= 1 and min(len(ba), len(bb)) >= 4:
        similarity = max(similarity, 0.9)
    return similarity if similarity >= 0.85 else 0.0


def name_similarity(a: Sequence[str], b: Sequence[str]) -> float:
    """0..1; word order free, middle names optional, initials and typos forgiven."""
    if not a or not b:
        return 0.0
    if sorted(a) == sorted(b):
        return 1.0
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    pairs = sorted(
        ((_word_similarity(x, y), i, j) for i, x in enumerate(short) for j, y in enumerate(long)),
        reverse=True,
    )
    used_short: set[int] = set()
    used_long: set[int] = set()
    matched = 0.0
    for similarity, i, j in pairs:
        if similarity == 0.0:
            break
        if i in used_short or j in used_long:
            continue
        used_short.add(i)
        used_long.add(j)
        matched += similarity
    if len(short) >= 2:
        score = matched / len(short) * (1 - 0.08 * (len(long) - len(short)))
    else:
        score = matched / len(long)
    compact_a = "".join(bare(w) for w in a)
    compact_b = "".join(bare(w) for w in b)
    if compact_a == compact_b:
        score = max(score, 0.97)  # "Ayşenur" and "Ayşe Nur"
    return score


# --- weighing the evidence -----------------------------------------------------------------


def _bits(m: float, u: float) -> float:
    return math.log2(m / u)


class Frequencies:
    """How common each name word, city and postcode is among the people searched, kept up to
    date as people are added and removed (common names weigh less)."""

    # Smoothing: a collection of a few people says little about how common a name is, so
    # frequencies lean towards a typical value until the collection is large.
    PRIOR_COUNT = 1000
    TYPICAL_WORD = 0.01
    TYPICAL_CITY = 0.02
    TYPICAL_POSTCODE = 0.001

    def __init__(self) -> None:
        self.words: Counter[str] = Counter()
        self.cities: Counter[str] = Counter()
        self.postcodes: Counter[str] = Counter()
        self.total = 0

    def add(self, profile: PersonProfile, sign: int = 1) -> None:
        self.total += sign
        for word in set(profile.plain):
            self.words[word] += sign
        if profile.city:
            self.cities[profile.city] += sign
        if profile.postcode:
            self.postcodes[profile.postcode] += sign

    def remove(self, profile: PersonProfile) -> None:
        self.add(profile, -1)

    def _share(self, count: int, typical: float) -> float:
        return (count + self.PRIOR_COUNT * typical) / (self.total + self.PRIOR_COUNT)

    def word(self, word: str) -> float:
        return self._share(self.words.get(bare(word), 0), self.TYPICAL_WORD)

    def city(self, city: str) -> float:
        return self._share(self.cities.get(city, 0), self.TYPICAL_CITY)

    def postcode(self, postcode: str) -> float:
        return self._share(self.postcodes.get(postcode, 0), self.TYPICAL_POSTCODE)


def frequencies_of(profiles: Iterable[PersonProfile]) -> Frequencies:
    frequencies = Frequencies()
    for profile in profiles:
        frequencies.add(profile)
    return frequencies


def _birth_bits(a: str, b: str) -> tuple[float, bool]:
    """(weight, conflict) of two birth dates."""
    if not a or not b:
        return 0.0, False
    if a == b:
        return _bits(0.9, 1 / (365 * 70) if len(a) == 8 else 1 / 70), False
    if len(a) == 4 or len(b) == 4:
        return (_bits(0.9, 1 / 70), False) if a[:4] == b[:4] else (_bits(0.05, 0.98), True)
    swapped = a[:4] + a[6:8] + a[4:6] == b
    if swapped or OSA.distance(a, b) <= 1:
        return _bits(0.07, 0.002), False
    return _bits(0.03, 0.99), True


def _number_bits(a: str, b: str) -> tuple[float, bool]:
    if not a or not b:
        return 0.0, False
    if a == b:
        return _bits(0.92, 1e-7), False
    if min(len(a), len(b)) >= 5 and OSA.distance(a, b) <= 1:
        return _bits(0.06, 1e-5), False
    return _bits(0.02, 0.999), True


def compare_people(
    a: PersonProfile, b: PersonProfile, frequencies: Frequencies, *, prior_bits: float
) -> Comparison:
    """Score two people: the probability they are one, and the evidence."""
    evidence: list[str] = []
    weight = prior_bits
    conflict = False
    similarity = 1.0 if a.ordered == b.ordered and a.names else name_similarity(a.names, b.names)
    if similarity >= 0.999:
        u = 1.0
        for word in {bare(n) for n in a.names if not n.endswith(".")}:
            u *= frequencies.word(word)
        weight += _bits(0.8, max(u, 1e-9))
        evidence.append("name")
    elif similarity >= 0.9:
        weight += _bits(0.1, 0.0005)
        evidence.append("similar-name")
    elif similarity >= 0.8:
        weight += _bits(0.05, 0.005)
        evidence.append("similar-name")
    elif similarity >= 0.5:
        weight += _bits(0.03, 0.05)
    else:
        weight += _bits(0.02, 0.94)

    if a.emails and b.emails:
        if shares(a.emails, b.emails):
            weight += _bits(0.7, 1e-6)
            evidence.append("email")
        else:
            weight += _bits(0.3, 1.0)
    if a.phones and b.phones:
        if shares(a.phones, b.phones):
            weight += _bits(0.7, 1e-5)
            evidence.append("phone")
        else:
            weight += _bits(0.3, 1.0)
    bits, birth_conflict = _birth_bits(a.birth, b.birth)
    weight += bits
    if bits > 0:
        evidence.append("birth-date")
    bits, number_conflict = _number_bits(a.identifier, b.identifier)
    weight += bits
    if bits > 0:
        evidence.append("identifier")
    conflict = birth_conflict or number_conflict
    if a.postcode and b.postcode:
        if a.postcode == b.postcode:
            weight += _bits(0.88, frequencies.postcode(a.postcode))
            evidence.append("postcode")
        elif OSA.distance(a.postcode, b.postcode) <= 1:
            weight += _bits(0.07, 0.01)
        else:
            weight += _bits(0.05, 0.99)
    if a.city and b.city:
        if a.city == b.city:
            weight += _bits(0.88, frequencies.city(a.city))
            evidence.append("city")
        elif JaroWinkler.normalized_similarity(a.city, b.city) >= 0.9:
            weight += _bits(0.06, 0.01)
        else:
            weight += _bits(0.06, 0.98)
    if a.address and b.address:
        address = token_set_ratio(a.address, b.address) / 100
        if address >= 0.9:
            weight += _bits(0.75, 0.0005)
            evidence.append("address")
        elif address >= 0.75:
            weight += _bits(0.15, 0.005)
        else:
            weight += _bits(0.1, 0.99)
    if a.organisation and b.organisation:
        if a.organisation == b.organisation:
            weight += _bits(0.5, 0.01)
            evidence.append("organisation")
        else:
            weight += _bits(0.5, 0.99)

    probability = 1 / (1 + 2 ** (-weight)) if weight > -60 else 0.0
    score = probability
    if not _DETAILS.intersection(evidence):
        # A name (and a city) alone: many people share one. Only a detail makes it the same.
        score = min(score, SAME_THRESHOLD - 0.05)
    if score < SAME_THRESHOLD and similarity >= 0.85 and not conflict:
        # A namesake is worth showing at the door, never enough to be the same person.
        score = max(score, min(SAME_THRESHOLD - 0.05, CANDIDATE_THRESHOLD + similarity * 0.2))
    # Two full names that differ are two people, whatever contacts they share: families share a
    # phone, colleagues an office address. Only what belongs to one person — an identity
    # number, a full birth date — outweighs a name written wholly differently (a nickname, a
    # mistyped field). A lone word (a missing first name) is only weak evidence either way.
    personal = "identifier" in evidence or ("birth-date" in evidence and len(a.birth) == 8)
    different_names = similarity < 0.6 and min(len(a.names), len(b.names)) >= 2 and not personal
    if different_names and score >= CANDIDATE_THRESHOLD:
        score = CANDIDATE_THRESHOLD - 0.01
    distinct = conflict or different_names or similarity < 0.4
    return Comparison(round(score, 6), tuple(evidence), distinct=distinct)


# --- an index of people --------------------------------------------------------------------


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


class PersonIndex:
    """People by id, blocked on name words (a typo away too) and identifying details."""

    MAX_SCORED = 60

    def __init__(self) -> None:
        self.profiles: dict[int, PersonProfile] = {}
        self._words: dict[str, set[int]] = {}
        self._variants: dict[str, set[str]] = {}
        self._keys: dict[str, set[int]] = {}
        self.frequencies = Frequencies()

    def __len__(self) -> int:
        return len(self.profiles)

    def __contains__(self, pk: int) -> bool:
        return pk in self.profiles

    def ids(self) -> list[int]:
        return list(self.profiles)

    @staticmethod
    def _words_of(profile: PersonProfile) -> set[str]:
        return {bare(n) for n in profile.names if len(bare(n)) >= 2}

    @staticmethod
    def _keys_of(profile: PersonProfile) -> set[str]:
        keys = {f"e:{e}" for e in profile.emails}
        keys.update(f"p:{p}" for p in profile.phones)
        if profile.identifier:
            keys.add(f"n:{profile.identifier}")
        if len(profile.birth) == 8:
            keys.add(f"b:{profile.birth}")
        if profile.compact:
            keys.add(f"c:{profile.compact}")
        return keys

    def add(self, pk: int, profile: PersonProfile) -> None:
        if pk in self.profiles:
            self.remove(pk)
        self.profiles[pk] = profile
        self.frequencies.add(profile)
        for word in self._words_of(profile):
            postings = self._words.get(word)
            if postings is None:
                self._words[word] = postings = set()
                if len(word) >= 4:
                    for variant in _deletions(word):
                        self._variants.setdefault(variant, set()).add(word)
            postings.add(pk)
        for key in self._keys_of(profile):
            self._keys.setdefault(key, set()).add(pk)

    def remove(self, pk: int) -> None:
        profile = self.profiles.pop(pk, None)
        if profile is None:
            return
        self.frequencies.remove(profile)
        for word in self._words_of(profile):
            self._words.get(word, set()).discard(pk)
        for key in self._keys_of(profile):
            self._keys.get(key, set()).discard(pk)

    @property
    def prior_bits(self) -> float:
        # One person among N: the odds that a record is one particular known person.
        return -math.log2(max(len(self.profiles), 1000))

    def _postings_of(self, word: str) -> set[int]:
        found = set(self._words.get(word, ()))
        if len(word) >= 4:
            spellings = set(self._variants.get(word, ()))
            for variant in _deletions(word):
                if variant in self._words:
                    spellings.add(variant)
                spellings.update(self._variants.get(variant, ()))
            for spelling in spellings:
                found |= self._words[spelling]
        return found

    def blocked(self, profile: PersonProfile) -> list[int]:
        strong: set[int] = set()
        for key in self._keys_of(profile):
            strong |= self._keys.get(key, set())
        words = self._words_of(profile)
        postings = [self._postings_of(w) for w in words]
        counts: Counter[int] = Counter(chain.from_iterable(p for p in postings if len(p) < 5000))
        # Sharing one name word is common (a surname); two make a candidate. The rest come in
        # through an identifying detail (above).
        needed = min(2, len(words))
        ranked = sorted(
            (pk for pk, n in counts.items() if n >= needed), key=lambda pk: (-counts[pk], pk)
        )[: self.MAX_SCORED]
        return list(dict.fromkeys(chain(sorted(strong), ranked)))

    def sharing_contacts(self, profile: PersonProfile) -> list[int]:
        """The people with one of this profile's e-mails or phones, in id order."""
        found: set[int] = set()
        for key in chain((f"e:{e}" for e in profile.emails), (f"p:{p}" for p in profile.phones)):
            found |= self._keys.get(key, set())
        return sorted(found)

    def search(
        self, profile: PersonProfile, *, min_score: float = 0.0, exclude: int | None = None
    ) -> list[tuple[int, Comparison]]:
        return self.search_among(
            profile, self.blocked(profile), min_score=min_score, exclude=exclude
        )

    def search_among(
        self,
        profile: PersonProfile,
        ids: Iterable[int],
        *,
        min_score: float = 0.0,
        exclude: int | None = None,
    ) -> list[tuple[int, Comparison]]:
        """Scored matches for ``profile`` among the people ``ids``, best first."""
        frequencies = self.frequencies
        prior = self.prior_bits
        scored = []
        for pk in ids:
            if pk == exclude:
                continue
            comparison = compare_people(profile, self.profiles[pk], frequencies, prior_bits=prior)
            if comparison.score >= min_score:
                scored.append((pk, comparison))
        scored.sort(key=lambda item: (-item[1].score, item[0]))
        return scored


def person_pairs(
    profiles: Sequence[PersonProfile], *, min_score: float = SAME_THRESHOLD
) -> list[tuple[int, int, float]]:
    """Pairs (i < j, score) of the same person within one list (deduplication)."""
    index = PersonIndex()
    for i, profile in enumerate(profiles):
        index.add(i, profile)
    pairs: dict[tuple[int, int], float] = {}
    for i, profile in enumerate(profiles):
        for j, comparison in index.search(profile, min_score=min_score, exclude=i):
            key = (i, j) if i < j else (j, i)
            pairs[key] = max(pairs.get(key, 0.0), comparison.score)
    return sorted((i, j, s) for (i, j), s in pairs.items())


def link_people(
    left: Sequence[PersonProfile],
    right: Sequence[PersonProfile],
    *,
    min_score: float = SAME_THRESHOLD,
) -> list[tuple[int, int, float]]:
    """Pairs (i in left, j in right, score) of the same person across two lists."""
    index = PersonIndex()
    for j, profile in enumerate(right):
        index.add(j, profile)
    return [
        (i, j, comparison.score)
        for i, profile in enumerate(left)
        for j, comparison in index.search(profile, min_score=min_score)
    ]


def profile_from_person_row(row: Sequence[Any]) -> PersonProfile:
    """A profile of a stored person, from (id, full_name, emails, phones, province_id,
    birth_year)."""
    _pk, full_name, emails, phones, province, birth_year = row[:6]
    return PersonProfile(
        names=person_name_words(full_name),
        emails=emails_of(list(emails or [])),
        phones=phones_of(list(phones or [])),
        city=str(province) if province else "",
        birth=str(birth_year) if birth_year else "",
    )


def _build_person(row: Sequence[Any]) -> PersonProfile | None:
    if row[6] is not None:  # erased: anonymised data identifies no one
        return None
    return profile_from_person_row(row)


PEOPLE: DatabaseIndex[PersonProfile, PersonIndex] = DatabaseIndex(
    model="directory.Person",
    fields=("id", "full_name", "emails", "phones", "province_id", "birth_year", "erased_at"),
    build=_build_person,
    empty=PersonIndex,
)


def _details_without_key(record: PersonRecord) -> tuple[str, ...]:
    """A record's details that can agree with a person's without sharing a key of the index:
    a birth date or identifier a typo away, the same organisation, postcode or address."""
    return (
        record.birth_date,
        record.identifier,
        record.organisation,
        record.postcode,
        record.address,
    )


def same_person_of_each(records: Sequence[PersonRecord]) -> list[int | None]:
    """For each record, in order, the known person it is the same as, if any: the best of
    ``person_candidates(record, limit=1)`` when its score reaches ``SAME_THRESHOLD``.

    Faster than asking record by record (an import asks about thousands of contact people): the
    index is checked for freshness and held once for them all, and for a record with only a
    name, e-mails and phones only the people sharing one of those e-mails or phones are scored,
    because without a shared detail a score stays below ``SAME_THRESHOLD``
    (``compare_people``), and such people are found by their keys. Other records are searched
    in full."""
    found: list[int | None] = []
    with PEOPLE.searching() as index:
        for record in records:
            profile = person_profile(
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
            if any(_details_without_key(record)):
                matches = index.search(profile, min_score=CANDIDATE_THRESHOLD)[:1]
            else:
                sharing = index.sharing_contacts(profile)
                matches = index.search_among(profile, sharing, min_score=CANDIDATE_THRESHOLD)[:1]
            # Rounded as ``person_candidates`` gives it.
            same = bool(matches) and round(matches[0][1].score, 4) >= SAME_THRESHOLD
            found.append(matches[0][0] if same else None)
    return found


def cluster_people(profiles: Sequence[PersonProfile]) -> list[int]:
    """A cluster number for each profile (the index of its first member): the same person,
    linked strongest first, never joining two positively different people, and not at all
    when a record fits two different people equally well (a bare "Ayşe Yılmaz")."""
    frequencies = frequencies_of(profiles)
    prior = -math.log2(max(len(profiles), 1000))
    index = PersonIndex()
    for i, profile in enumerate(profiles):
        index.add(i, profile)
    edges: dict[tuple[int, int], float] = {}
    for i, profile in enumerate(profiles):
        for j, comparison in index.search(profile, min_score=SAME_THRESHOLD, exclude=i):
            key = (i, j) if i < j else (j, i)
            edges[key] = max(edges.get(key, 0.0), comparison.score)

    def differs(x: int, y: int) -> bool:
        return compare_people(profiles[x], profiles[y], frequencies, prior_bits=prior).distinct

    # A record whose two best matches are different people (about equally likely) is left
    # alone.
    neighbours: dict[int, list[tuple[float, int]]] = {}
    for (i, j), score in edges.items():
        neighbours.setdefault(i, []).append((score, j))
        neighbours.setdefault(j, []).append((score, i))
    ambiguous = set()
    for i, found in neighbours.items():
        found.sort(reverse=True)
        if (
            len(found) >= 2
            and found[0][0] - found[1][0] < 0.02
            and differs(found[0][1], found[1][1])
        ):
            ambiguous.add(i)

    parent = list(range(len(profiles)))
    members: dict[int, list[int]] = {i: [i] for i in range(len(profiles))}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for (i, j), _score in sorted(edges.items(), key=lambda item: (-item[1], item[0])):
        if i in ambiguous or j in ambiguous:
            continue
        a, b = find(i), find(j)
        if a == b:
            continue
        if any(differs(x, y) for x in members[a][:8] for y in members[b][:8]):
            continue
        if len(members[a]) < len(members[b]):
            a, b = b, a
        parent[b] = a
        members[a].extend(members.pop(b))
    first: dict[int, int] = {}
    return [first.setdefault(find(i), i) for i in range(len(profiles))]
