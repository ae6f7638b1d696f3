"""Organisation names, taken apart the way people write them.

"EGE ÇEVRE VE DOĞA KORUMA DER. GENEL MERKEZİ", "Ege Çevre ve Doğa Koruma Derneği" and
"ege cevre ve doga koruma dernegi" all give the same ``OrganisationName``: the words that name
the organisation (``core``), its legal form (``dernek``), no branch. "… İzmir Şubesi" keeps
its branch (``branch="35"``), so a branch never looks like its parent.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz.distance import OSA

from kaynak.core.text import casefold_tr
from kaynak.directory.places import district_names, province_names, province_of

# Canonical legal forms and how people write them (folded: lower-case ASCII). A word counts as
# the legal form only at the end of the name (before a branch or "Genel Merkezi"); full words
# are normalised wherever they stand, so "Kooperatifi" and "Koop." compare equal anywhere.
LEGAL_FORM_WORDS: dict[str, tuple[str, ...]] = {
    "dernek": ("dernegi", "dernek", "association"),
    "vakif": ("vakfi", "vakif", "foundation"),
    "kooperatif": ("kooperatifi", "kooperatif", "cooperative", "coop", "co-op"),
    "federasyon": ("federasyonu", "federasyon", "federation"),
    "konfederasyon": ("konfederasyonu", "konfederasyon", "confederation"),
    "platform": ("platformu", "platform"),
    "sendika": ("sendikasi", "sendika"),
    "birlik": ("birligi", "birlik", "union"),
    "oda": ("odasi", "oda", "chamber"),
    "girisim": ("girisimi", "girisim", "inisiyatifi", "inisiyatif", "initiative"),
    "ag": ("agi", "ag", "network"),
    "belediye": ("belediyesi", "belediye", "municipality"),
    "universite": ("universitesi", "universite", "university"),
    "sirket": ("sirketi", "sirket", "company"),
}
# Abbreviations: only read as a legal form at the end of a name ("Der." yes; "der" inside a
# name is left alone).
LEGAL_FORM_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "dernek": ("der", "dern", "drn", "dr", "dernk", "assoc"),
    "vakif": ("vkf", "vak", "vakf", "vkfi"),
    "kooperatif": ("koop", "kop", "koopr", "kpr"),
    "federasyon": ("fed", "fedr", "fdr"),
    "konfederasyon": ("konf", "konfed", "knf"),
    "platform": ("plt", "pltf", "platf"),
    "sendika": ("sen", "snd", "send"),
    "birlik": ("birl", "brl", "brlg"),
    "oda": ("od",),
    "belediye": ("bld", "bel", "bldy"),
    "universite": ("univ", "unv", "uni"),
    "sirket": ("as", "ltd", "sti", "inc"),
}
# ApplicantType slugs (kaynak.core.reference_data.APPLICANT_TYPES) of each legal form.
LEGAL_FORM_SLUGS: dict[str, str] = {
    "dernek": "association",
    "vakif": "foundation",
    "kooperatif": "cooperative",
    "federasyon": "federation",
    "konfederasyon": "federation",
    "platform": "platform",
    "sendika": "union",
    "birlik": "association",
    "oda": "chamber",
    "girisim": "informal-group",
    "ag": "platform",
    "belediye": "municipality",
    "universite": "university",
    "sirket": "company",
}

_FULL_FORMS = {word: form for form, words in LEGAL_FORM_WORDS.items() for word in words}
_ABBREVIATED_FORMS = {
    word: form for form, words in LEGAL_FORM_ABBREVIATIONS.items() for word in words
}

# Words that make an entity's part, not a new entity: "Şubesi" (a branch), "Genel Merkezi"
# (the head office is the organisation itself), "İktisadi İşletmesi" (an association's
# business arm is the association for identity purposes).
BRANCH_WORDS = frozenset(
    {"subesi", "sube", "sb", "sbs", "subsi", "temsilciligi", "temsilcilik", "branch"}
)
_HEAD_OFFICE_FIRST = frozenset({"genel", "gen", "gnl", "g"})
_HEAD_OFFICE_SECOND = frozenset({"merkezi", "merkez", "mrk", "mer", "mrkz", "merk", "mudurlugu"})
_HEAD_OFFICE_ALONE = frozenset({"genelmerkezi", "genelmerkez", "gm", "hq", "headquarters"})
_ENTERPRISE_FIRST = frozenset({"iktisadi", "ikt", "iktisadı", "iktisat"})
_ENTERPRISE_SECOND = frozenset({"isletmesi", "isletme", "isl", "islt", "isltm"})

# Linking words that carry no identity ("Ege Çevre ve Doğa …"); acronyms may skip them.
STOPWORDS = frozenset({"ve", "ile", "icin", "of", "and", "the", "for", "de", "da", "a"})

# Words so frequent in organisation names that they identify little: they weigh less when
# two names are compared, so "Kadın Dayanışma" and "Kadın Yardımlaşma" stay apart.
COMMON_WORDS = frozenset(
    {
        "turkiye",
        "turk",
        "ulusal",
        "uluslararasi",
        "kadin",
        "kadinlar",
        "genc",
        "gencler",
        "genclik",
        "cocuk",
        "egitim",
        "kultur",
        "sanat",
        "spor",
        "saglik",
        "sosyal",
        "toplum",
        "toplumsal",
        "insan",
        "haklari",
        "hak",
        "cevre",
        "doga",
        "dayanisma",
        "yardimlasma",
        "gelistirme",
        "kalkinma",
        "koruma",
        "destek",
        "destekleme",
        "engelli",
        "engelliler",
        "merkezi",
        "merkez",
        "yasam",
        "umut",
        "sivil",
        "dernekleri",
        "vakiflari",
        "kooperatifleri",
        "calisma",
        "arastirma",
        "gonullu",
        "gonulluleri",
        "emek",
        "kent",
        "halk",
        "dostlari",
        "yardim",
    }
)
COMMON_WEIGHT = 0.6

_NONE: frozenset[str] = frozenset()
_APOSTROPHES = re.compile(r"['’‘`´ʼ]")
_TOKEN = re.compile(r"[0-9a-z]+\.?")
_PARENTHESISED = re.compile(r"\(([^()]*)\)")
_FOLD = str.maketrans({"ç": "c", "ğ": "g", "ı": "i", "ö": "o", "ş": "s", "ü": "u"})


def fold(text: str) -> str:
    """Turkish-casefold and drop diacritics, keeping punctuation (so "Der." keeps its dot)."""
    folded = casefold_tr(text).translate(_FOLD)
    decomposed = unicodedata.normalize("NFKD", folded)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def tokens_of(text: str) -> list[str]:
    """Folded words; a word written with a full stop ("Der.", "Tür.") keeps it, and initials
    ("T.E.G.V.", "İ H D") are joined into one word ("tegv", "ihd")."""
    folded = _APOSTROPHES.sub("", fold(text)).replace("&", " ve ").replace("+", " ")
    raw = _TOKEN.findall(folded)
    joined: list[str] = []
    letters: list[str] = []

    def flush() -> None:
        if len(letters) >= 2:
            joined.append("".join(letters))
        elif letters:
            joined.append(letters[0] + ".")
        letters.clear()

    for token in raw:
        bare = token.rstrip(".")
        if len(bare) == 1 and bare.isalpha() and bare not in {"a"}:
            letters.append(bare)
            continue
        flush()
        joined.append(token)
    flush()
    return joined


def bare(token: str) -> str:
    return token.rstrip(".")


@dataclass(frozen=True, slots=True)
class OrganisationName:
    """An organisation name taken apart. ``core`` is what identifies it; the rest is form."""

    core: tuple[str, ...]  # identifying words, canonical, stopwords removed ("tur." kept so)
    words: tuple[str, ...]  # identifying words with stopwords, for acronyms
    legal_form: str  # canonical legal form ("dernek", "vakif" …) or ""
    branch: str  # "" for a head organisation; the branch's place (plate code) or label
    place_hint: int | None  # a province written after the name ("… Derneği (Van)")
    acronym: str  # an acronym written with the name ("… Derneği (EÇEDEK)") or the name itself
    places: frozenset[str]  # province or district names among the core words
    numbers: frozenset[str]  # numbers in the name ("1 No'lu Şube")
    # Derived once, for fast comparison:
    plain: tuple[str, ...] = ()  # core without full stops
    weights: tuple[float, ...] = ()
    weight: float = 0.0
    compact: str = ""  # the core run together: "siviltoplum"

    @property
    def key(self) -> str:
        return " ".join(self.plain)

    @property
    def legal_form_slug(self) -> str:
        return LEGAL_FORM_SLUGS.get(self.legal_form, "")


def _looks_like_acronym(original: str) -> bool:
    letters = [ch for ch in original if ch.isalpha()]
    return 2 <= len(letters) <= 10 and all(ch.isupper() for ch in letters)


def _strip_tail(words: list[str]) -> tuple[list[str], str, list[str], bool]:
    """Split ``words`` into (name, legal form, branch label, is branch), removing "Genel
    Merkezi" and "İktisadi İşletmesi" wherever they trail."""
    legal_form = ""
    branch_label: list[str] = []
    is_branch = False
    changed = True
    while words and changed:
        changed = False
        last = bare(words[-1])
        if last in _HEAD_OFFICE_ALONE:
            words.pop()
            changed = True
        elif (
            len(words) >= 2
            and bare(words[-2]) in _HEAD_OFFICE_FIRST
            and last in _HEAD_OFFICE_SECOND
        ) or (
            len(words) >= 2 and bare(words[-2]) in _ENTERPRISE_FIRST and last in _ENTERPRISE_SECOND
        ):
            del words[-2:]
            changed = True
        elif last in BRANCH_WORDS and not is_branch and len(words) >= 2:
            is_branch = True
            words.pop()
            # The branch's label runs back to the legal form ("… Derneği Kadıköy İlçe").
            label: list[str] = []
            while words and _form_of(words[-1], at_end=True) == "":
                label.insert(0, words.pop())
                if len(label) == 3:
                    break
            if not words:
                # No legal form before the label: take the last word as the label.
                words, label = label[:-1], label[-1:]
            branch_label = label
            changed = True
        elif not legal_form and _form_of(words[-1], at_end=True):
            legal_form = _form_of(words.pop(), at_end=True)
            changed = True
    return words, legal_form, branch_label, is_branch


def _form_of(token: str, *, at_end: bool) -> str:
    word = bare(token)
    if word in _FULL_FORMS:
        return _FULL_FORMS[word]
    if at_end:
        if word in _ABBREVIATED_FORMS:
            return _ABBREVIATED_FORMS[word]
        # A typo in a long legal-form word at the end ("Dernegı", "Dernei", "Kooperatfi").
        if len(word) >= 6:
            for full, form in _FULL_FORMS.items():
                if (
                    len(full) >= 6
                    and abs(len(full) - len(word)) <= 1
                    and OSA.distance(word, full, score_cutoff=1) <= 1
                ):
                    return form
    return ""


def _branch_key(label: list[str]) -> str:
    if not label:
        return "?"
    plate = province_of(" ".join(bare(t) for t in label))
    words = [bare(t) for t in label if bare(t) not in {"ilce", "il", "merkez", "no", "nolu", "lu"}]
    if (
        plate is not None
        and not any(w.isdigit() for w in words)
        and (len(words) <= 1 or all(province_of(w) == plate for w in words))
    ):
        return str(plate)
    return " ".join(words) or "?"


@lru_cache(maxsize=65536)
def parse_name(name: str) -> OrganisationName:
    """Take an organisation's name apart (cached: the same spellings come back often)."""
    acronym = ""
    place_hint: int | None = None
    # A parenthesised acronym or place: "… Derneği (EÇEDEK)", "… Derneği (Van)".
    for inside in _PARENTHESISED.findall(name):
        stripped = inside.strip()
        if _looks_like_acronym(stripped) and " " not in stripped:
            acronym = "".join(bare(t) for t in tokens_of(stripped))
            name = name.replace(f"({inside})", " ")
        elif (
            stripped
            and province_of(stripped) is not None
            and len(stripped.split()) <= 2
            and not BRANCH_WORDS & {bare(t) for t in tokens_of(stripped)}
        ):
            place_hint = province_of(stripped)
            name = name.replace(f"({inside})", " ")
    words = tokens_of(name)
    words, legal_form, branch_label, is_branch = _strip_tail(words)
    # "… Derneği İzmir" (no "Şubesi"): a place after the legal form says where, not which.
    if legal_form == "" and len(words) >= 3:
        maybe = province_of(bare(words[-1])) if bare(words[-1]) in province_names() else None
        if maybe is not None and _form_of(words[-2], at_end=True):
            place_hint = maybe
            words.pop()
            words, legal_form, more_label, more_branch = _strip_tail(words)
            if more_branch:
                branch_label, is_branch = more_label, True
    # "T.C. … Belediyesi": the state's prefix names no one.
    if len(words) > 1 and bare(words[0]) == "tc":
        words = words[1:]
    canonical = [(_FULL_FORMS.get(bare(t)) or t) for t in words]
    core = tuple(t for t in canonical if bare(t) not in STOPWORDS)
    if not acronym and len(core) == 1:
        acronym = bare(core[0])  # a one-word name may be an acronym ("TEGV", "KAMER")
    known_places = province_names() | district_names()
    places = frozenset(bare(t) for t in core if bare(t) in known_places) or _NONE
    numbers = frozenset(bare(t) for t in canonical if bare(t).isdigit()) or _NONE
    plain = tuple(bare(t) for t in core)
    plain = core if plain == core else plain  # one tuple, not two equal ones
    all_words = tuple(canonical)
    all_words = core if all_words == core else all_words
    weights = tuple(token_weight(t) for t in plain)
    return OrganisationName(
        core=core,
        words=all_words,
        legal_form=legal_form,
        branch=_branch_key(branch_label) if is_branch else "",
        place_hint=place_hint,
        acronym=acronym,
        places=places,
        numbers=numbers,
        plain=plain,
        weights=weights,
        weight=sum(weights),
        compact="".join(plain),
    )


@lru_cache(maxsize=16384)
def without_word(name: OrganisationName, word: str) -> OrganisationName:
    """``name`` with one identifying word left out ("İzmir Kadın Dayanışma" → "Kadın
    Dayanışma"), for names that carry their own province."""
    index = name.plain.index(word)
    core = name.core[:index] + name.core[index + 1 :]
    plain = name.plain[:index] + name.plain[index + 1 :]
    weights = name.weights[:index] + name.weights[index + 1 :]
    return OrganisationName(
        core=core,
        words=tuple(w for w in name.words if bare(w) != word),
        legal_form=name.legal_form,
        branch=name.branch,
        place_hint=name.place_hint,
        acronym=name.acronym,
        places=name.places - {word},
        numbers=name.numbers,
        plain=plain,
        weights=weights,
        weight=sum(weights),
        compact="".join(plain),
    )


def legal_form_slug(name: str) -> str:
    """The applicant type slug the name's legal form suggests ("… Vakfı" → "foundation"), or
    "" when the name does not say."""
    return parse_name(name).legal_form_slug


def token_weight(token: str) -> float:
    return COMMON_WEIGHT if bare(token) in COMMON_WORDS else 1.0


@dataclass(frozen=True, slots=True)
class AcronymFit:
    """How an acronym reads against a name: ``used`` identifying words gave letters, of
    ``content``; ``gaps`` words were skipped between words that gave letters."""

    used: int
    content: int
    gaps: int

    @property
    def complete(self) -> bool:
        return self.used == self.content and not self.gaps


def acronym_fit(acronym: str, words: tuple[str, ...], legal_form: str) -> AcronymFit | None:
    """Whether ``acronym`` abbreviates a name with these ``words`` and legal form, and how:
    every identifying word giving its first letters ("TEGV", "KAGİDER", "TÜSİAD") is complete;
    the leading words only ("EÇEDEK" for "Ege Çevre ve Doğa Koruma Derneği") leaves the rest
    out; words skipped in between are gaps. None when it cannot be read from the name. The first
    two identifying words must both contribute, and what is left at the end must be the legal
    form's abbreviation ("-DER", "-V") or nothing."""
    targets = tuple(bare(w) for w in words if bare(w))
    content = [i for i, w in enumerate(targets) if w not in STOPWORDS]
    if len(acronym) < 2 or len(content) < 2:
        return None
    mandatory = frozenset(content[:2])
    suffixes = _legal_suffixes(legal_form)
    impossible = (-1000, 0, False)
    memo: dict[tuple[int, int], tuple[int, int, bool]] = {}

    def best(pos: int, index: int) -> tuple[int, int, bool]:
        # From here on: (words used − gaps, gaps, whether any word gives letters).
        known = memo.get((pos, index))
        if known is not None:
            return known
        if index == len(targets):
            rest = acronym[pos:]
            result = (0, 0, False) if not rest or rest in suffixes else impossible
            memo[(pos, index)] = result
            return result
        word = targets[index]
        is_content = word not in STOPWORDS
        result = impossible
        if index not in mandatory:
            value, gaps, later = best(pos, index + 1)
            # Skipping an identifying word that a later word follows leaves a gap.
            gap = is_content and later
            result = (value - 1, gaps + 1, later) if gap else (value, gaps, later)
        for take in range(1, min(4, len(word)) + 1):
            if not acronym.startswith(word[:take], pos):
                break
            value, gaps, _later = best(pos + take, index + 1)
            result = max(result, (value + (1 if is_content else 0), gaps, True))
        memo[(pos, index)] = result
        return result

    value, gaps, _any = best(0, 0)
    used = value + gaps
    if value < 0 or used < 2:
        return None
    return AcronymFit(used=used, content=len(content), gaps=gaps)


def _legal_suffixes(legal_form: str) -> frozenset[str]:
    return _SUFFIXES.get(legal_form, _ANY_SUFFIX)


def legal_form_initials(legal_form: str) -> frozenset[str]:
    """First letters an acronym may end with for this legal form ("d" for "-DER")."""
    return frozenset(suffix[0] for suffix in _SUFFIXES.get(legal_form, ()))


_SUFFIXES: dict[str, frozenset[str]] = {
    "dernek": frozenset({"d", "der", "dek", "dern", "dr"}),
    "vakif": frozenset({"v", "vak", "vakfi", "vkf"}),
    "kooperatif": frozenset({"k", "koop", "kop"}),
    "federasyon": frozenset({"f", "fed"}),
    "konfederasyon": frozenset({"k", "konf"}),
    "platform": frozenset({"p", "plt"}),
    "sendika": frozenset({"sen", "s"}),
    "birlik": frozenset({"b", "bir"}),
    "oda": frozenset({"o"}),
    "girisim": frozenset({"g"}),
    "ag": frozenset({"a", "ag"}),
}
# The name does not say: the acronym may end in any legal form's letters.
_ANY_SUFFIX = frozenset().union(*_SUFFIXES.values())
