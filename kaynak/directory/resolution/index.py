"""An in-memory blocking index of organisation profiles: which few of 100,000 organisations are
worth scoring against a record.

Blocks: the identifying words of the name (a typo away too, through a deletion index: a word
and every spelling of it with one letter left out), the short name, the first letters of the
first words and the legal form (so "EÇEDEK" finds "Ege Çevre ve Doğa … Derneği"), own e-mail
and web domains, phones, registry numbers. A record is scored only against organisations that
share enough of its name's weight (prefix filtering: the rarest words first, each further word
pruning) or a contact; at most ``_MAX_SCORED`` of them, most alike first.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Iterator
from itertools import chain

from kaynak.directory.resolution.names import (
    STOPWORDS,
    acronym_fit,
    bare,
    legal_form_initials,
)
from kaynak.directory.resolution.scoring import Comparison, Profile, compare

# Words shared by more organisations than this are too common to block on alone.
_MAX_POSTINGS = 3000
# How many blocked organisations are scored in full, most promising first.
_MAX_SCORED = 150
# An acronym: how many names it is tried against, and how many fits are enough.
_MAX_ACRONYM_TRIED = 300
_MAX_ACRONYM_FITS = 25


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


class ProfileIndex:
    """Profiles by id, with the blocks that find them."""

    def __init__(self) -> None:
        self.profiles: dict[int, Profile] = {}
        self._words: dict[str, set[int]] = {}
        self._variants: dict[str, set[str]] = {}  # a word with one letter deleted → words
        # "d:domain", "p:+90…", "r:123", "a:acronym", …: most keys have one organisation, held
        # as a bare id (a set of one costs 200 bytes more, 20 MB per 100,000 organisations).
        self._keys: dict[str, int | set[int]] = {}
        self._sorted_words: list[str] | None = None
        self._spellings: dict[str, tuple[str, ...]] = {}
        self._merged_cache: dict[str, set[int]] = {}

    def __len__(self) -> int:
        return len(self.profiles)

    def __contains__(self, pk: int) -> bool:
        return pk in self.profiles

    # --- writing ---------------------------------------------------------------------------

    def add(self, pk: int, profile: Profile) -> None:
        if pk in self.profiles:
            self.remove(pk)
        self.profiles[pk] = profile
        self._merged_cache.clear()
        for word in self._words_of(profile):
            postings = self._words.get(word)
            if postings is None:
                self._words[word] = postings = set()
                self._sorted_words = None
                self._spellings.clear()
                if len(word) >= 5:
                    for variant in _deletions(word):
                        self._variants.setdefault(variant, set()).add(word)
            postings.add(pk)
        for key in self._keys_of(profile):
            held = self._keys.get(key)
            if held is None:
                self._keys[key] = pk
            elif isinstance(held, int):
                if held != pk:
                    self._keys[key] = {held, pk}
            else:
                held.add(pk)

    def remove(self, pk: int) -> None:
        profile = self.profiles.pop(pk, None)
        if profile is None:
            return
        self._merged_cache.clear()
        for word in self._words_of(profile):
            postings = self._words.get(word)
            if postings is not None:
                postings.discard(pk)
        for key in self._keys_of(profile):
            held = self._keys.get(key)
            if held == pk:
                del self._keys[key]
            elif isinstance(held, set):
                held.discard(pk)
                if len(held) == 1:
                    self._keys[key] = next(iter(held))

    @staticmethod
    def _words_of(profile: Profile) -> set[str]:
        return {t for t in profile.name.plain if len(t) >= 2}

    def _keyed(self, key: str) -> set[int] | tuple[int, ...]:
        """The ids under a key (read only)."""
        held = self._keys.get(key)
        if held is None:
            return ()
        return (held,) if isinstance(held, int) else held

    @staticmethod
    def _direct_keys(profile: Profile) -> set[str]:
        """The keys that find an organisation by themselves: its domains, phones, numbers,
        e-mails, short name and name run together."""
        keys = {f"d:{d}" for d in profile.domains}
        keys.update(f"p:{p}" for p in profile.phones)
        keys.update(f"r:{n}" for n in profile.numbers)
        keys.update(f"e:{e}" for e in profile.emails)
        if profile.short:
            keys.add(f"a:{profile.short}")
        if profile.name.compact:
            keys.add(f"c:{profile.name.compact}")
        return keys

    @classmethod
    def _keys_of(cls, profile: Profile) -> set[str]:
        keys = cls._direct_keys(profile)
        if profile.province is not None:
            keys.add(f"v:{profile.province}")
        # For acronyms: the first letters of the first three words, or of the first two and
        # the legal form ("TEGV" → "teg"; "EÇEDEK" → "ecd"; "TOG" → "tg" for a two-word name).
        words = [bare(t) for t in profile.name.words if bare(t) and bare(t) not in STOPWORDS]
        if len(words) >= 2:
            two = words[0][0] + words[1][0]
            if len(words) >= 3:
                keys.add(f"j:{two}{words[2][0]}")
            else:
                keys.add(f"j2:{two}")
            keys.update(
                f"j:{two}{initial}" for initial in legal_form_initials(profile.name.legal_form)
            )
        return keys

    # --- reading ---------------------------------------------------------------------------

    def _spellings_of(self, token: str) -> tuple[str, ...]:
        """Indexed words this word may be: itself, a typo away, or (for "Tür.") beginning so."""
        cached = self._spellings.get(token)
        if cached is not None:
            return cached
        word = bare(token)
        spellings: set[str] = {word} if word in self._words else set()
        if len(word) >= 4:
            # A letter missing ("Filz"), extra ("Fillz") or wrong ("Fikiz"): through the
            # spellings with one letter deleted, on both sides.
            spellings.update(self._variants.get(word, ()))
            if len(word) >= 5:
                for variant in _deletions(word):
                    if variant in self._words:
                        spellings.add(variant)
                    spellings.update(self._variants.get(variant, ()))
        if token.endswith(".") and len(word) >= 2:
            spellings.update(self._words_beginning(word))
        result = tuple(sorted(spellings))
        if len(self._spellings) > 100_000:
            self._spellings.clear()
        self._spellings[token] = result
        return result

    def _postings_of(self, token: str) -> list[set[int]]:
        """The organisations with each spelling of this word (not merged: merging copies)."""
        return [self._words[spelling] for spelling in self._spellings_of(token)]

    def _merged(self, token: str, sets: list[set[int]]) -> set[int]:
        """Every organisation with some spelling of ``token`` (read only)."""
        if len(sets) == 1:
            return sets[0]
        merged = self._merged_cache.get(token)
        if merged is None:
            merged = set().union(*sets)
            if len(self._merged_cache) > 20_000:
                self._merged_cache.clear()
            self._merged_cache[token] = merged
        return merged

    def _words_beginning(self, prefix: str) -> Iterator[str]:
        if self._sorted_words is None:
            self._sorted_words = sorted(self._words)
        words = self._sorted_words
        start = bisect_left(words, prefix)
        for word in words[start : start + 200]:
            if not word.startswith(prefix):
                break
            yield word

    def blocked(
        self, profile: Profile, *, exclude: int | None = None, min_score: float = 0.0
    ) -> list[int]:
        """The ids worth scoring against ``profile``, most promising first."""
        found: set[int] = set()
        # Only the direct keys (the province and acronym keys are for ``_acronym_candidates``);
        # the others cost more to make than the whole look-up.
        for key in self._direct_keys(profile):
            found.update(self._keyed(key))
        name = profile.name
        if name.acronym and len(name.core) == 1:
            found |= self._acronym_candidates(
                profile.short or name.acronym, name.legal_form, profile.province
            )
        # Prefix filtering: a name sharing at least a share θ of this name's weight shares one
        # of the rarest words that together carry more than 1 − θ of it.
        # (θ: the score wanted, less the province bonus; names below 0.5 are never wanted.)
        share = min(0.9, max(0.5, min_score - 0.03))
        postings = sorted(
            (
                (merged, len(merged), weight)
                for merged, weight in (
                    (self._merged(token, self._postings_of(token)), weight)
                    for token, plain, weight in zip(
                        name.core, name.plain, name.weights, strict=True
                    )
                    if len(plain) >= 2
                )
            ),
            key=lambda item: item[1],
        )
        chosen = 0
        covered = 0.0
        while chosen < len(postings) and (chosen == 0 or covered <= name.weight * (1 - share)):
            covered += postings[chosen][2]
            chosen += 1
        if sum(size for _ids, size, _w in postings[:chosen]) <= _MAX_POSTINGS or len(postings) < 2:
            alive: set[int] = set().union(*(ids for ids, _size, _w in postings[:chosen]))
        else:
            # Only common words: start from the names sharing the two rarest.
            alive = postings[0][0] & postings[1][0]
        # Then every word prunes: a name lacking more than 1 − θ of this name's weight is out.
        allowed = name.weight * (1 - share) + 1e-9
        missing: dict[int, float] = {}
        for having, _size, weight in postings:
            if weight > allowed:
                alive &= having  # lacking this word alone rules a name out
                continue
            for pk in alive - having:
                lacking = missing.get(pk, 0.0) + weight
                if lacking > allowed:
                    alive.discard(pk)
                else:
                    missing[pk] = lacking
        # Nor can a name score θ when it is much longer than this one.
        profiles = self.profiles
        shared = {pk: name.weight - missing.get(pk, 0.0) for pk in alive}
        ranked = sorted(
            (
                pk
                for pk, weight in shared.items()
                if weight >= share * profiles[pk].name.weight - 1e-9
            ),
            key=lambda pk: (-shared[pk], pk),
        )[:_MAX_SCORED]
        result = list(dict.fromkeys(chain(sorted(found), ranked)))
        if exclude is not None:
            result = [pk for pk in result if pk != exclude]
        return result

    def _acronym_candidates(self, acronym: str, legal_form: str, province: int | None) -> set[int]:
        """Organisations ``acronym`` may stand for: their short name, or names it abbreviates.

        Among 100,000 names a three-letter acronym fits hundreds ("KDD": every "K… D…
        Derneği"), so a derived fit is looked for only in the record's province when it has one
        (elsewhere it could not be the same organisation without a strong signal, and those are
        found by their own blocks), and only the first few fits otherwise."""
        found = set(self._keyed(f"c:{acronym}"))
        found.update(self._keyed(f"a:{acronym}"))
        # The first word gives the first one to three letters, the second word the next one
        # to three; the letter after those is the third word's or the legal form's.
        keys = set()
        for first in range(1, 4):
            for second in range(1, 4):
                end = first + second
                if end < len(acronym):
                    keys.add(f"j:{acronym[0]}{acronym[first]}{acronym[end]}")
                elif end == len(acronym) and first < len(acronym):
                    keys.add(f"j2:{acronym[0]}{acronym[first]}")
        pool: set[int] = set()
        for key in keys:
            pool.update(self._keyed(key))
        if province is not None:
            pool.intersection_update(self._keyed(f"v:{province}"))
        fits = 0
        for pk in sorted(pool - found)[:_MAX_ACRONYM_TRIED]:
            name = self.profiles[pk].name
            if acronym_fit(acronym, name.words, name.legal_form or legal_form):
                found.add(pk)
                fits += 1
                if fits >= _MAX_ACRONYM_FITS:
                    break
        return found

    def search(
        self, profile: Profile, *, exclude: int | None = None, min_score: float = 0.0
    ) -> list[tuple[int, Comparison]]:
        """Scored matches for ``profile``, best first."""
        scored = []
        for pk in self.blocked(profile, exclude=exclude, min_score=min_score):
            comparison = compare(profile, self.profiles[pk])
            if comparison.score >= min_score:
                scored.append((pk, comparison))
        scored.sort(key=lambda item: (-item[1].score, item[0]))
        return scored

    def items(self) -> Iterable[tuple[int, Profile]]:
        return self.profiles.items()

    def ids(self) -> list[int]:
        return list(self.profiles)
