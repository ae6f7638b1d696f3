"""Proposing academics for an organisation's partnership request, with the reasons shown.

A proposal's score adds up what staff would look for:

- shared themes (strong): the request's themes among the academic's expertise themes;
- place: the academic works in the request's province (strong), or in the same statistical
  region (weaker); otherwise the pair could still work online;
- words: the organisation's stated needs against the academic's expertise and department.
  Text is compared the Turkish way, so that different phrasings meet: Turkish case folding
  and diacritics stripped (``kaynak.core.text.search_key``), a crude stem (the first five
  letters of a longer word: "engelli", "engellilik", "engellilerin" meet; a short word meets
  the longer words it begins: "genç" and "gençlerin"), a small stop-word list, a short list of
  synonyms across Turkish and English (``SYNONYMS``), and rapidfuzz for near-spellings. Rarer
  shared words weigh more (they say more than "araştırma");
- language: the organisation's working language among the academic's languages;
- availability: an academic not available, or already in ``MAX_ACTIVE`` active partnerships,
  is not proposed; one already busy weighs a little less. An academic who already worked with
  this organisation is proposed but marked.

A proposal needs a shared theme or shared words; place alone is not a reason to pair.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rapidfuzz import fuzz

from kaynak.coaching.models import (
    AcademicProfile,
    Partnership,
    PartnershipRequest,
    PartnershipStatus,
    RequestStatus,
)
from kaynak.core.models import Province, Theme
from kaynak.core.text import search_key

MAX_ACTIVE = 3
STEM_LENGTH = 5
THEME_FIRST, THEME_MORE = 40, 15
SAME_PROVINCE, SAME_REGION = 30, 15
WORDS_MAX, WORD_WEIGHT = 36, 8.0
LANGUAGE_MISSING = -25
BUSY_PENALTY = 5
NEAR_SPELLING = 85  # rapidfuzz ratio for two longer words to count as one ("istihdam", "istidam")

# Folded (``search_key``) words that say nothing about a topic, Turkish and English.
STOP_WORDS = frozenset(
    [
        "ve",
        "ile",
        "bir",
        "bu",
        "su",
        "o",
        "da",
        "de",
        "ki",
        "mi",
        "mu",
        "ya",
        "veya",
        "icin",
        "gibi",
        "kadar",
        "daha",
        "cok",
        "en",
        "her",
        "hem",
        "ama",
        "ancak",
        "olan",
        "olarak",
        "olmak",
        "oldugu",
        "olmasi",
        "yapmak",
        "yapilmasi",
        "yapan",
        "yaptigi",
        "etmek",
        "eden",
        "istiyoruz",
        "istiyor",
        "isteriz",
        "istedigimiz",
        "ihtiyac",
        "ihtiyacimiz",
        "ihtiyaci",
        "uzerine",
        "uzerinde",
        "hakkinda",
        "ilgili",
        "konusunda",
        "konularda",
        "alaninda",
        "alanda",
        "alani",
        "konu",
        "konular",
        "calisma",
        "calismak",
        "calismalar",
        "calisiyoruz",
        "calisan",
        "yeni",
        "bize",
        "biz",
        "bizim",
        "onlarin",
        "kurum",
        "kurumu",
        "kurumumuz",
        "dernek",
        "dernegimiz",
        "destek",
        "destegi",
        "yardim",
        "proje",
        "projesi",
        "projemiz",
        "sonra",
        "once",
        "nasil",
        "neden",
        "hangi",
        "tum",
        "butun",
        "the",
        "and",
        "or",
        "of",
        "in",
        "on",
        "for",
        "to",
        "with",
        "a",
        "an",
        "we",
        "our",
        "us",
        "want",
        "would",
        "like",
        "need",
        "needs",
        "about",
        "from",
        "into",
        "by",
        "as",
        "at",
        "be",
        "is",
        "are",
        "this",
        "that",
        "their",
        "them",
        "they",
        "it",
        "its",
        "work",
        "working",
        "study",
        "studies",
        "project",
        "organisation",
        "organization",
        "help",
        "support",
        "new",
    ]
)

# Stems of longer words just as empty ("çalışmaları", "yapılması", "ihtiyaçlarımız" …).
STOP_STEMS = frozenset(
    [
        "calis",
        "yapil",
        "yapma",
        "istiy",
        "ihtiy",
        "konus",
        "uzeri",
        "hakki",
        "ilgil",
        "olara",
        "deste",
        "proje",
        "kurum",
        "derne",
        "organ",
        "gerek",
        "sagla",
        "artir",
        "gelis",
        "etkin",
        "yardi",
        "hizme",
        "birli",
        "isbir",
    ]
)

# Words that mean the same thing for matching, Turkish and English: each group meets as one.
SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("engelli", "engellilik", "disability", "disabilities", "disabled"),
    ("istihdam", "employment", "employ", "jobs", "isgucu", "labour", "labor"),
    ("genc", "genclik", "youth", "young"),
    ("kadin", "women", "woman"),
    ("yasli", "yaslilik", "ageing", "aging", "elderly", "older"),
    ("goc", "gocmen", "multeci", "migration", "migrant", "migrants", "refugee", "refugees"),
    ("kirsal", "koy", "koyler", "koylu", "rural", "village", "villages"),
    ("cocuk", "child", "children"),
    ("egitim", "education", "educational"),
    ("saglik", "health"),
    ("cevre", "environment", "environmental"),
    ("iklim", "climate"),
    ("ifade", "expression", "speech"),
    ("ozgurluk", "freedom"),
    ("basin", "gazetecilik", "press", "journalism", "medya", "media"),
    ("lgbti", "lgbt", "lgbtq", "queer"),
    ("yoksulluk", "poverty", "poor"),
    ("tarim", "agriculture", "agricultural", "farming", "ciftci", "farmers"),
    ("siddet", "violence"),
    ("savunuculuk", "advocacy"),
    ("politika", "policy", "policies"),
    ("veri", "veriler", "verileri", "data"),
    ("nitel", "qualitative"),
    ("nicel", "quantitative"),
    ("saha", "fieldwork", "field"),
    ("toplumsal cinsiyet", "gender"),
    ("insan haklari", "human rights"),
    ("ayrimcilik", "discrimination"),
    ("erisilebilirlik", "accessibility", "accessible"),
    ("bagimsiz", "independent"),
    ("kalkinma", "development"),
    ("okuryazarlik", "literacy"),
    ("hukuk", "hukuki", "law", "legal"),
    ("haklar", "rights"),
    ("sivil toplum", "civil society"),
    ("gonullu", "volunteer", "volunteers", "volunteering"),
    ("belediye", "municipality", "municipalities", "local government"),
    ("katilim", "participation"),
    ("barinma", "konut", "housing"),
    ("gida", "food"),
    ("afet", "deprem", "disaster", "disasters", "earthquake"),
    ("bakim", "care", "caregiving"),
    ("ruh sagligi", "mental health"),
    ("istismar", "abuse"),
    ("kooperatif", "cooperative", "cooperatives"),
)

# Short words that meet only themselves: as prefixes they would meet unrelated words ("veri",
# data, begins "verilen", given).
EXACT_ONLY = frozenset({"veri", "koy", "hak", "data"})

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


def stem(folded: str) -> str:
    """The crude stem of a folded word: its first ``STEM_LENGTH`` letters."""
    return folded[:STEM_LENGTH]


def _meet(a: str, b: str) -> bool:
    """Whether two folded words are the same word for matching."""
    if a == b or (stem(a) == stem(b) and min(len(a), len(b)) >= STEM_LENGTH):
        return True
    short, long = sorted((a, b), key=len)
    if 3 <= len(short) < STEM_LENGTH and short not in EXACT_ONLY and long.startswith(short):
        return True
    return min(len(a), len(b)) >= 6 and fuzz.ratio(a, b) >= NEAR_SPELLING


@lru_cache(maxsize=1)
def _synonym_keys() -> list[tuple[str, str]]:
    """(folded word, its group's key) for every single-word synonym."""
    pairs: list[tuple[str, str]] = []
    for group in SYNONYMS:
        key = "~" + search_key(group[0]).replace(" ", "_")
        pairs.extend((search_key(word), key) for word in group if " " not in word)
    return pairs


@lru_cache(maxsize=1)
def _phrase_keys() -> list[tuple[tuple[str, ...], str]]:
    pairs: list[tuple[tuple[str, ...], str]] = []
    for group in SYNONYMS:
        key = "~" + search_key(group[0]).replace(" ", "_")
        pairs.extend((tuple(search_key(w).split()), key) for w in group if " " in w)
    return pairs


@lru_cache(maxsize=16384)
def _concept(folded: str) -> str:
    for word, key in _synonym_keys():
        if _meet(folded, word):
            return key
    return stem(folded)


@dataclass(frozen=True)
class Terms:
    """A text's matchable words: concept key → the first word as written."""

    written: dict[str, str] = field(default_factory=dict)
    folded: dict[str, str] = field(default_factory=dict)


@lru_cache(maxsize=4096)
def terms(text: str) -> Terms:
    """The text's words, folded, stop words left out, each under its concept (a synonym
    group's key, else its stem), with the first way it was written."""
    written: dict[str, str] = {}
    folded_of: dict[str, str] = {}
    words = [(raw, search_key(raw)) for raw in _WORD.findall(text or "")]
    folded_words = [folded for _raw, folded in words]
    for phrase, key in _phrase_keys():
        size = len(phrase)
        for i in range(len(folded_words) - size + 1):
            if all(_meet(folded_words[i + j], phrase[j]) for j in range(size)):
                written.setdefault(key, " ".join(raw for raw, _f in words[i : i + size]))
                folded_of.setdefault(key, " ".join(phrase))
    for raw, folded in words:
        for part in folded.split():  # "LGBTİ+" folds to one word; "e-posta" to two
            if len(part) < 3 or part in STOP_WORDS or stem(part) in STOP_STEMS or part.isdigit():
                continue
            key = _concept(part)
            written.setdefault(key, raw)
            folded_of.setdefault(key, part)
    return Terms(written=written, folded=folded_of)


def shared_words(needs: Terms, expertise: Terms) -> list[str]:
    """The concepts the two texts share (keys of ``needs``), in the order of the needs."""
    found: list[str] = []
    for key, folded in needs.folded.items():
        if key in expertise.folded:
            found.append(key)
            continue
        if key.startswith("~"):
            continue
        if any(
            not other.startswith("~") and _meet(folded, word)
            for other, word in expertise.folded.items()
        ):
            found.append(key)
    return found


@dataclass
class Proposal:
    """An academic proposed for a request: the score and the reasons, in the user's language."""

    academic: AcademicProfile
    score: int
    reasons: list[str]
    partnered_before: bool = False
    shared_themes: list[Theme] = field(default_factory=list)


@dataclass
class RequestProposals:
    request: PartnershipRequest
    proposals: list[Proposal]


def candidate_academics() -> QuerySet[AcademicProfile]:
    """Academics who may be proposed, with what scoring reads: available, not erased, and the
    number of their active partnerships."""
    return (
        AcademicProfile.objects.filter(is_available=True, person__erased_at__isnull=True)
        .select_related("person")
        .prefetch_related(
            "themes",
            Prefetch("provinces", queryset=Province.objects.select_related("region")),
        )
        .annotate(
            active_count=Count(
                "partnerships", filter=Q(partnerships__status=PartnershipStatus.ACTIVE)
            )
        )
    )


class _Pool:
    """The candidates and what all of their texts say together (how rare each word is)."""

    def __init__(self, academics: Sequence[AcademicProfile]) -> None:
        self.academics = list(academics)
        self.texts = {a.pk: terms(f"{a.expertise}\n{a.department}") for a in self.academics}
        # What scoring reads of each academic, once (not a related manager per pair).
        self.theme_ids = {a.pk: {theme.pk for theme in a.themes.all()} for a in self.academics}
        self.provinces = {a.pk: list(a.provinces.all()) for a in self.academics}
        self.frequency: Counter[str] = Counter()
        for found in self.texts.values():
            self.frequency.update(found.folded.keys())
        self.partnered: dict[int, set[int]] = {}
        rows = Partnership.objects.filter(academic__in=[a.pk for a in self.academics]).values_list(
            "academic_id", "organisation_id"
        )
        for academic_id, organisation_id in rows:
            self.partnered.setdefault(academic_id, set()).add(organisation_id)

    def weight(self, key: str) -> float:
        """Rarer words weigh more: an inverse document frequency, at least 0.5."""
        count = len(self.academics)
        return max(0.5, math.log((count + 1) / (self.frequency[key] + 0.5)))


def _language_of(request: PartnershipRequest) -> str:
    application = request.application
    return (application.language if application is not None else "") or "tr"


def _score(
    request: PartnershipRequest,
    request_themes: list[Theme],
    academic: AcademicProfile,
    pool: _Pool,
) -> Proposal | None:
    reasons: list[str] = []
    score = 0.0
    academic_theme_ids = pool.theme_ids[academic.pk]
    shared = [theme for theme in request_themes if theme.pk in academic_theme_ids]
    for index, theme in enumerate(shared):
        score += THEME_FIRST if index == 0 else THEME_MORE
        reasons.append(_("Shared theme: %(theme)s") % {"theme": theme.label})
    needs = terms(request.needs)
    words = shared_words(needs, pool.texts[academic.pk])
    if words:
        score += min(WORDS_MAX, sum(WORD_WEIGHT * pool.weight(w) for w in words))
        reasons.append(
            _("Shared words: %(words)s") % {"words": ", ".join(needs.written[w] for w in words)}
        )
    if not shared and not words:
        return None
    province = request.province
    provinces = pool.provinces[academic.pk]
    if province is not None and any(p.pk == province.pk for p in provinces):
        score += SAME_PROVINCE
        reasons.append(_("Works in %(province)s") % {"province": province.label})
    elif province is not None and any(p.region_id == province.region_id for p in provinces):
        score += SAME_REGION
        reasons.append(_("Same region: %(region)s") % {"region": province.region.label})
    else:
        reasons.append(_("Elsewhere: could work online"))
    language = _language_of(request)
    if academic.languages and language not in academic.languages:
        score += LANGUAGE_MISSING
        reasons.append(_("Does not list the organisation's language"))
    active = int(getattr(academic, "active_count", 0))
    if active:
        score -= BUSY_PENALTY * active
        reasons.append(
            ngettext(
                "Already in %(count)d active partnership",
                "Already in %(count)d active partnerships",
                active,
            )
            % {"count": active}
        )
    partnered = request.organisation_id in pool.partnered.get(academic.pk, set())
    if partnered:
        reasons.append(_("Already worked with this organisation"))
    return Proposal(
        academic=academic,
        score=round(score),
        reasons=reasons,
        partnered_before=partnered,
        shared_themes=shared,
    )


def _propose(request: PartnershipRequest, pool: _Pool, limit: int) -> list[Proposal]:
    request_themes = list(request.themes.all())
    proposals = [
        proposal
        for academic in pool.academics
        if int(getattr(academic, "active_count", 0)) < MAX_ACTIVE
        and academic.person_id not in _organisation_people(request)
        and (proposal := _score(request, request_themes, academic, pool)) is not None
        and proposal.score > 0
    ]
    proposals.sort(key=lambda p: (-p.score, p.academic.person.full_name))
    return proposals[:limit]


def _organisation_people(request: PartnershipRequest) -> set[int]:
    # An academic who is also one of the organisation's own people is not proposed to it.
    cached = getattr(request, "_own_people", None)
    if cached is None:
        cached = set(request.organisation.affiliations.values_list("person_id", flat=True))
        request._own_people = cached  # type: ignore[attr-defined]
    return cached


def propose(request: PartnershipRequest, *, limit: int = 5) -> list[Proposal]:
    """The best ``limit`` academics for ``request``, best first, with the reasons."""
    return _propose(request, _Pool(list(candidate_academics())), limit)


def open_requests() -> QuerySet[PartnershipRequest]:
    """Requests waiting for a match, oldest first, with what matching reads."""
    return (
        PartnershipRequest.objects.filter(status=RequestStatus.OPEN)
        .select_related("organisation", "province__region", "application", "round")
        .prefetch_related("themes")
        .order_by("created_at", "pk")
    )


def proposals_for_all_open(
    *, limit: int = 5, requests: Iterable[PartnershipRequest] | None = None
) -> list[RequestProposals]:
    """Every open request with its proposals (the matching page), the academics read once."""
    pool = _Pool(list(candidate_academics()))
    chosen = list(requests) if requests is not None else list(open_requests())
    return [RequestProposals(request, _propose(request, pool, limit)) for request in chosen]
