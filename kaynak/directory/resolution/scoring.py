"""How alike two organisations are, and why: the identity rules of docs/directory.md as code.

A ``Profile`` is an organisation reduced to what identifies it (its parsed name, province,
own e-mail/web domains, phones, registry numbers). ``compare(a, b)`` gives a score in 0..1,
the evidence behind it, and whether the two are *positively different* (a branch and its
parent, two provinces without a strong signal, two legal forms …), which bulk clustering uses
so that a vague row never chains two different organisations together.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from rapidfuzz.distance import OSA
from rapidfuzz.fuzz import ratio

from kaynak.directory.normalize import FREE_MAIL_DOMAINS, normalize_phone
from kaynak.directory.places import province_of
from kaynak.directory.resolution.names import (
    OrganisationName,
    acronym_fit,
    bare,
    parse_name,
    tokens_of,
    without_word,
)

# At or above SAME_THRESHOLD the resolver treats two records as one organisation (bulk
# clustering links them; the door offers the match first). Between CANDIDATE_THRESHOLD and
# SAME_THRESHOLD it is a possible duplicate: shown to the person at the door, queued for staff.
SAME_THRESHOLD = 0.85
CANDIDATE_THRESHOLD = 0.6

# Several e-mails or phones in one cell: "a@x.org; b@y.org", "0532 … / 0212 …", "… veya …".
_SPLIT_CONTACTS = re.compile(r"[;,/|\n]+|\s+(?:ve|veya|or|and)\s+")
_DIGITS = re.compile(r"\d")
# E-mails, phones, numbers: a profile has none, one or two, so a sorted tuple holds them (a
# frozenset costs 216 bytes even empty; 100,000 profiles hold several each).
Values = tuple[str, ...]
EMPTY: Values = ()


def collected(values: Iterable[str]) -> Values:
    return tuple(sorted(set(values)))


def shares(a: Values, b: Values) -> bool:
    return any(value in b for value in a)


@dataclass(slots=True)
class Profile:
    """What identifies one organisation, normalised once."""

    name: OrganisationName
    id: int | None = None
    province: int | None = None
    short: str = ""  # folded acronym (the short name, or one written with the name)
    domains: Values = EMPTY  # its own e-mail and web domains (no free mail)
    emails: Values = EMPTY  # full addresses, free mail included
    phones: Values = EMPTY  # E.164
    tax: str = ""  # digits
    association_no: str = ""  # digits
    other_numbers: Values = EMPTY  # numbers of unknown kind (digits)
    parent_id: int | None = None
    numbers: Values = field(init=False)  # every registry or tax number

    def __post_init__(self) -> None:
        self.numbers = collected(
            [*self.other_numbers, *(n for n in (self.tax, self.association_no) if n)]
        )


@dataclass(frozen=True, slots=True)
class Comparison:
    score: float
    evidence: tuple[str, ...]
    # Positively different: never the same organisation by name alone (branch vs parent,
    # two provinces, two legal forms, two registry numbers of one kind …).
    distinct: bool = False


def split_contacts(value: str) -> list[str]:
    return [part.strip() for part in _SPLIT_CONTACTS.split(value or "") if part.strip()]


def phones_of(values: list[str] | str) -> Values:
    """E.164 numbers of whatever was typed; what is not a phone number is left out."""
    parts = split_contacts(values) if isinstance(values, str) else values
    phones: set[str] = set()
    for part in parts:
        if part.startswith("+") and part[1:].isdigit():
            phones.add(part)  # already E.164 (stored values)
            continue
        try:
            phones.add(normalize_phone(part))
        except ValidationError:
            continue
    return collected(phones)


def emails_of(values: list[str] | str) -> Values:
    parts = split_contacts(values) if isinstance(values, str) else values
    return collected(
        e.strip().strip("<>").lower() for e in parts if "@" in e and "." in e.rsplit("@", 1)[-1]
    )


def host_of(url: str) -> str:
    url = url.strip().lower()
    if not url:
        return ""
    if "://" not in url:
        url = "http://" + url
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return ""
    for prefix in ("www.", "www2.", "mail."):
        if host.startswith(prefix):
            host = host[len(prefix) :]
    return host if "." in host else ""


def own_domains(emails: Values, websites: list[str]) -> Values:
    """Domains that can identify an organisation: its web site's, and its e-mail addresses'
    unless they are free-mail providers anyone can use."""
    domains = {e.rsplit("@", 1)[-1] for e in emails}
    domains.update(host_of(w) for w in websites)
    return collected(d for d in domains if d and d not in FREE_MAIL_DOMAINS)


def number_of(value: str) -> str:
    digits = "".join(_DIGITS.findall(value or ""))
    return digits if len(digits) >= 4 and set(digits) != {"0"} else ""


def record_profile(
    *,
    name: str,
    city: str = "",
    email: str = "",
    phone: str = "",
    registry_no: str = "",
    website: str = "",
    short_name: str = "",
) -> Profile:
    """A profile of something typed (a form, an import row)."""
    parsed = parse_name(name)
    province = province_of(city) if city else None
    if province is None:
        province = parsed.place_hint
    emails = emails_of(email)
    number = number_of(registry_no)
    short = "".join(bare(t) for t in tokens_of(short_name)) or parsed.acronym
    return Profile(
        name=parsed,
        province=province,
        short=short,
        domains=own_domains(emails, [website] if website else []),
        emails=emails,
        phones=phones_of(phone),
        tax=number if len(number) == 10 else "",
        other_numbers=(number,) if number and len(number) != 10 else EMPTY,
    )


# --- comparing two names -------------------------------------------------------------------


def _token_similarity(a: str, b: str) -> float:
    """Two different words: 0.9 when one abbreviates the other ("Tür." / "Türkiye"), 0.88 a
    typo apart, 0.76 two typos apart (long words only), else 0."""
    ba, bb = bare(a), bare(b)
    # "Tür." for "Türkiye": a word written with a full stop abbreviates any word it begins.
    if (a.endswith(".") and len(ba) >= 2 and bb.startswith(ba)) or (
        b.endswith(".") and len(bb) >= 2 and ba.startswith(bb)
    ):
        return 0.9
    shorter, longer = sorted((len(ba), len(bb)))
    if shorter < 4 or longer < 5 or longer - shorter > 2 or ba.isdigit() or bb.isdigit():
        return 0.0
    allowed = 2 if shorter >= 9 else 1
    distance = OSA.distance(ba, bb, score_cutoff=allowed)
    if distance > allowed:
        return 0.0
    return 1.0 - 0.12 * distance


def name_similarity(a: OrganisationName, b: OrganisationName) -> float:
    """0..1: how alike the identifying words are. Word order does not matter; a small typo
    costs little; a word one name has and the other lacks costs its weight."""
    if not a.plain or not b.plain:
        return 0.0
    if a.plain == b.plain:
        return 1.0
    if a.compact == b.compact:
        return 0.97
    # Equal words first (cheap), then the rest pairwise, best pairs first.
    positions: dict[str, list[int]] = {}
    for j, word in enumerate(b.plain):
        positions.setdefault(word, []).append(j)
    matched = 0.0
    left_rest: list[int] = []
    used: set[int] = set()
    for i, word in enumerate(a.plain):
        free = positions.get(word)
        if free:
            j = free.pop()
            used.add(j)
            matched += (a.weights[i] + b.weights[j]) / 2
        else:
            left_rest.append(i)
    right_rest = [j for j in range(len(b.plain)) if j not in used]
    if left_rest and right_rest:
        pairs = []
        for i in left_rest:
            for j in right_rest:
                similarity = _token_similarity(a.core[i], b.core[j])
                if similarity:
                    pairs.append((similarity, i, j))
        pairs.sort(reverse=True)
        used_left: set[int] = set()
        for similarity, i, j in pairs:
            if i in used_left or j in used:
                continue
            used_left.add(i)
            used.add(j)
            matched += similarity * (a.weights[i] + b.weights[j]) / 2
    score = matched / max(a.weight, b.weight)
    if score < 0.95 and abs(len(a.compact) - len(b.compact)) <= 3:
        # Words run together or split ("Siviltoplum", "Sivil Toplum") with a typo.
        joined = ratio(a.compact, b.compact, score_cutoff=93) / 100
        if joined:
            score = max(score, joined - 0.04)
    return score


def _acronym_similarity(a: Profile, b: Profile) -> float:
    """``a`` is written as an acronym (one word): how well it stands for ``b``."""
    acronym = a.short or a.name.acronym
    if not acronym or len(b.name.core) < 2:
        return 0.0
    if b.short and b.short == acronym:
        return 0.95  # the organisation's own short name
    fit = acronym_fit(acronym, b.name.words, b.name.legal_form or a.name.legal_form)
    if fit is None:
        return 0.0
    if fit.complete:
        return 0.93  # every word's initials: "TEGV"
    if not fit.gaps:
        return 0.86  # the leading words: "EÇEDEK"
    return 0.76 + 0.07 * fit.used / fit.content  # words skipped in between: only a candidate


def _own_province_optional(a: Profile, b: Profile) -> float:
    """ "İzmir Kadın Dayanışma Derneği" and "Kadın Dayanışma Derneği", both in İzmir: a name
    may carry its own province or not. Only when the province is the organisations' own, and
    a little less sure than the same name."""
    if not a.name.places or b.name.places or len(a.name.core) < 3:
        return 0.0
    provinces = {p for p in (a.province, b.province) if p is not None}
    if len(provinces) != 1:
        return 0.0
    (plate,) = provinces
    best = 0.0
    for word in a.name.places:
        if province_of(word, guess=False) == plate:
            best = max(best, name_similarity(without_word(a.name, word), b.name) * 0.9)
    return best


def _is_acronym_side(p: Profile, other: Profile) -> bool:
    return len(p.name.core) == 1 and len(other.name.core) >= 2


# --- comparing two organisations -----------------------------------------------------------


def compare(a: Profile, b: Profile) -> Comparison:
    """Score two organisations by the identity rules; see the module docstring."""
    evidence: list[str] = []
    acronym = False
    if _is_acronym_side(a, b):
        similarity = max(_acronym_similarity(a, b), name_similarity(a.name, b.name) * 0.9)
        acronym = similarity >= 0.75
    elif _is_acronym_side(b, a):
        similarity = max(_acronym_similarity(b, a), name_similarity(a.name, b.name) * 0.9)
        acronym = similarity >= 0.75
    else:
        similarity = name_similarity(a.name, b.name)
        if similarity < SAME_THRESHOLD:
            similarity = max(similarity, _own_province_optional(a, b), _own_province_optional(b, a))
        if a.short and a.short == b.short and len(a.short) >= 3 and similarity < 0.8:
            similarity = 0.8  # one short name, two spellings of the full name
            acronym = True
    if acronym:
        evidence.append("acronym")
    elif similarity >= CANDIDATE_THRESHOLD:
        evidence.append("name" if similarity >= 0.999 else "similar-name")

    registry = shares(a.numbers, b.numbers)
    registry_conflict = (a.tax and b.tax and a.tax != b.tax) or (
        a.association_no and b.association_no and a.association_no != b.association_no
    )
    domain = shares(a.domains, b.domains)
    phone = shares(a.phones, b.phones)
    email = shares(a.emails, b.emails)
    if registry:
        evidence.append("registry-no")
    if domain:
        evidence.append("email-domain")
    if phone:
        evidence.append("phone")
    if email and not domain:
        evidence.append("email")
    strong = registry or domain or phone

    branch_differs = a.name.branch != b.name.branch
    legal_differs = bool(
        a.name.legal_form and b.name.legal_form and a.name.legal_form != b.name.legal_form
    )
    places_differ = bool(a.name.places and b.name.places and a.name.places != b.name.places)
    numbers_differ = a.name.numbers != b.name.numbers
    provinces_differ = bool(a.province and b.province and a.province != b.province)
    if a.province and a.province == b.province:
        evidence.append("province")

    if registry_conflict:
        evidence.append("different-registry-no")
        return Comparison(min(similarity, 0.5), tuple(evidence), distinct=True)
    if branch_differs or legal_differs or places_differ or numbers_differ:
        evidence.append(
            "branch"
            if branch_differs
            else "different-legal-form"
            if legal_differs
            else "different-name"
        )
        if strong and similarity >= 0.5 and not branch_differs:
            # Two legal forms (or places) under one roof: perhaps a typing mistake, for staff
            # to judge. A branch and its parent are never that: the branch is linked instead.
            return Comparison(0.6 + 0.1 * similarity, tuple(evidence), distinct=True)
        return Comparison(min(similarity, 0.55), tuple(evidence), distinct=True)
    if registry:
        return Comparison(max(0.97, similarity), tuple(evidence))
    if provinces_differ:
        evidence.append("different-province")
        if strong and similarity >= 0.75:
            return Comparison(min(0.99, 0.86 + 0.1 * similarity), tuple(evidence))
        if strong:
            return Comparison(0.6 + 0.15 * similarity, tuple(evidence), distinct=True)
        return Comparison(min(similarity * 0.6, 0.55), tuple(evidence), distinct=True)
    if strong:
        if similarity >= 0.7:
            return Comparison(min(0.99, max(similarity, 0.9 + 0.09 * similarity)), tuple(evidence))
        # Different names at one address or phone: umbrella bodies share offices.
        return Comparison(0.6 + 0.2 * similarity, tuple(evidence), distinct=similarity < 0.4)
    if email:
        # One mailbox (even a free one) registering two similar names: the same organisation.
        # Under different names it may be a person who registers for several.
        if similarity >= 0.7:
            return Comparison(min(0.99, max(similarity, 0.9 + 0.08 * similarity)), tuple(evidence))
        return Comparison(0.5 + 0.2 * similarity, tuple(evidence), distinct=similarity < 0.4)
    if a.domains and b.domains:
        # Each has its own domain, and they differ: most organisations have one.
        evidence.append("different-domain")
        similarity -= 0.06
    if "province" in evidence and similarity >= 0.75:
        similarity = min(1.0, similarity + 0.03)
    return Comparison(similarity, tuple(evidence), distinct=similarity < 0.4 and not acronym)
