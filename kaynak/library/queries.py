"""Named reads of the library: published resources and news, the listing's search and filters,
and ``suggest()`` — articles that may answer a support request while it is being typed.

Search follows the funding radar's approach (``kaynak/radar/search_index.py``), on either
database:

- PostgreSQL: Turkish full-text search (``to_tsvector('turkish', …)``: title weight A, summary
  B, body and PDF text C — so "dernekler" finds "dernek") *or* folded word-prefix matching on
  ``search_text`` ("izmir" finds "İZMİR"), ranked by ``ts_rank``.
- SQLite: the FTS5 table ``library_resource_fts`` (``title`` = ``title_key``, ``body`` =
  ``search_text``), created by migration ``0002_search_index`` and kept in step by triggers;
  every word is a prefix, and a Turkish plural or case ending is also tried without it
  ("dernekler" → "dernekler"* OR "dernek"*); ranked by ``bm25`` with the title ten times the
  body. Without FTS5, folded ``LIKE`` at word starts, unranked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import F, FloatField, Prefetch, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.shortcuts import get_object_or_404
from django.utils import timezone

from kaynak.core.db import sqlite_has_fts5
from kaynak.core.models import Theme
from kaynak.core.text import search_key
from kaynak.core.text import search_words as words
from kaynak.library.models import (
    Category,
    NewsPost,
    PublicationStatus,
    Resource,
    ResourceKind,
)

# Turkish plural and case endings tried off a search word (longest first); the stem left must
# keep at least MIN_STEM letters, so "eller" is not cut to "el".
SUFFIXES = (
    "lerinden", "larindan", "lerinde", "larinda", "lerine", "larina", "lerin", "larin",
    "leri", "lari", "lere", "lara", "lerde", "larda", "ler", "lar",
    "nin", "nun", "inin", "unun", "dan", "den", "tan", "ten", "da", "de", "ta", "te",
)  # fmt: skip
MIN_STEM = 4
# Words too common to say what a request is about (folded, Turkish and English).
_STOPWORDS_TEXT = """
    ve ile bir bu su o da de mi mu ki icin gibi ama fakat veya ya ne nasil neden nedir
    hangi hangisi var yok olan olarak olur olursa olmak midir mudur mi bana beni biz bizim
    sizin siz merhaba selam tesekkurler lutfen acaba kadar daha cok en her ise hem sey yapmak
    yapabilir yapmaliyiz istiyoruz istiyorum gerekir gerekiyor hakkinda konusunda
    the a an and or of to in on for is are be can how what why do does with about our we you i
    my please hello thanks"""
STOPWORDS = frozenset(_STOPWORDS_TEXT.split())


def stem(word: str) -> str:
    """``word`` without one Turkish plural/case ending, or ``word`` if none fits."""
    for suffix in SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= MIN_STEM:
            return word[: -len(suffix)]
    return word


def _word_condition(word: str) -> Q:
    condition = Q()
    for form in {word, stem(word)}:
        condition |= Q(search_text__startswith=form) | Q(search_text__contains=f" {form}")
    return condition


def folded_match(text: str) -> Q:
    """Every word of ``text`` (or its stem) starts a word of ``search_text``."""
    condition = Q()
    for word in words(text):
        condition &= _word_condition(word)
    return condition


def _fts_expression(text: str) -> str:
    # Folded words are [0-9a-z]+ only, so quoting each is safe; "word"* is a prefix query.
    parts = []
    for word in words(text):
        forms = sorted({word, stem(word)})
        parts.append("(" + " OR ".join(f'"{form}"*' for form in forms) + ")")
    return " AND ".join(parts)


def matching(resources: QuerySet[Resource], text: str) -> tuple[QuerySet[Resource], bool]:
    """``resources`` narrowed to those matching ``text``; the bool says whether they carry a
    ``search_rank`` annotation (higher is better)."""
    if not words(text):
        return resources, False
    if connection.vendor == "postgresql":
        vector = (
            SearchVector("title", weight="A", config="turkish")
            + SearchVector("summary", weight="B", config="turkish")
            + SearchVector("body_text", "file_text", weight="C", config="turkish")
        )
        query = SearchQuery(text, config="turkish", search_type="websearch")
        annotated = resources.annotate(search_vector=vector, search_rank=SearchRank(vector, query))
        return annotated.filter(Q(search_vector=query) | folded_match(text)), True
    if connection.vendor == "sqlite" and sqlite_has_fts5():
        expression = _fts_expression(text)
        # The table name is a constant; the search words are a parameter.
        matches = RawSQL(
            "SELECT rowid FROM library_resource_fts WHERE library_resource_fts MATCH %s",
            (expression,),
        )
        rank = RawSQL(
            "SELECT -bm25(library_resource_fts, 10.0, 1.0) FROM library_resource_fts "
            "WHERE library_resource_fts MATCH %s AND rowid = library_resource.id",
            (expression,),
            output_field=FloatField(),
        )
        return resources.filter(pk__in=matches).annotate(search_rank=rank), True
    return resources.filter(folded_match(text)), False


# --- the listing ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class LibraryFilters:
    """What the listing is narrowed to; an empty value does not filter. ``kind`` is a
    ``ResourceKind`` value, ``category``/``theme``/``tag`` slugs, ``language`` tr or en."""

    q: str = ""
    kind: str = ""
    category: str = ""
    theme: str = ""
    tag: str = ""
    language: str = ""

    def to_query(self) -> dict[str, str]:
        return {name: value for name, value in self.__dict__.items() if value}


def published() -> QuerySet[Resource]:
    """Published resources with what a card shows (category, series, themes) loaded."""
    return (
        Resource.objects.filter(status=PublicationStatus.PUBLISHED)
        .select_related("category", "series")
        .prefetch_related(Prefetch("themes", queryset=Theme.objects.order_by("position")))
    )


def search(filters: LibraryFilters) -> QuerySet[Resource]:
    """Published resources matching ``filters``: with a search text the best match first,
    otherwise (and on ties) the newest first."""
    resources = published()
    if filters.kind:
        resources = resources.filter(kind=filters.kind)
    if filters.category:
        resources = resources.filter(category__slug=filters.category)
    if filters.theme:
        resources = resources.filter(
            pk__in=Resource.themes.through.objects.filter(theme__slug=filters.theme).values(
                "resource_id"
            )
        )
    if filters.tag:
        resources = resources.filter(
            pk__in=Resource.tags.through.objects.filter(tag__slug=filters.tag).values("resource_id")
        )
    if filters.language:
        resources = resources.filter(language=filters.language)
    resources, ranked = matching(resources, filters.q)
    if ranked:
        return resources.order_by(F("search_rank").desc(), "-published_at", "-id")
    return resources.order_by("-published_at", "-id")


def published_resource(slug: str) -> Resource:
    """A published resource for its page (404 otherwise), with everything the page shows."""
    return get_object_or_404(
        Resource.objects.filter(status=PublicationStatus.PUBLISHED)
        .select_related("category", "series", "recording_session__activity")
        .prefetch_related("themes", "tags"),
        slug=slug,
    )


def series_neighbours(resource: Resource) -> list[Resource]:
    """The other published resources of ``resource``'s series, in order (empty if none)."""
    if resource.series_id is None:
        return []
    return list(
        Resource.objects.filter(status=PublicationStatus.PUBLISHED, series_id=resource.series_id)
        .order_by("series_position", "published_at", "id")
        .only("slug", "title", "series_position", "series_id")
    )


def categories_in_use() -> list[Category]:
    """Categories with at least one published resource, in their order."""
    return list(
        Category.objects.filter(resources__status=PublicationStatus.PUBLISHED)
        .distinct()
        .order_by("position", "slug")
    )


def filter_choices() -> dict[str, Any]:
    return {
        "kinds": ResourceKind.choices,
        "categories": categories_in_use(),
        "themes": list(
            Theme.objects.filter(
                pk__in=Resource.themes.through.objects.filter(
                    resource__status=PublicationStatus.PUBLISHED
                ).values("theme_id")
            ).order_by("position")
        ),
    }


def published_news() -> QuerySet[NewsPost]:
    """Published news posts, newest first (none dated in the future)."""
    return NewsPost.objects.filter(
        status=PublicationStatus.PUBLISHED, published_at__lte=timezone.now()
    ).order_by("-published_at", "-id")


def published_news_post(slug: str) -> NewsPost:
    return get_object_or_404(published_news(), slug=slug)


# --- suggestions while a support request is typed ------------------------------------------------

TITLE_WEIGHT = 3
TEXT_WEIGHT = 1
MAX_CANDIDATES = 200


def significant_words(text: str) -> list[str]:
    """The words of ``text`` that say what it is about: folded, stop words and words shorter
    than three letters left out, each once, each reduced to its stem."""
    seen: list[str] = []
    for word in search_key(text).split():
        if len(word) < 3 or word in STOPWORDS:
            continue
        form = stem(word)
        if form not in seen:
            seen.append(form)
    return seen[:20]


def _has_word(key: str, form: str) -> bool:
    return key.startswith(form) or f" {form}" in key


def suggest(text: str, limit: int = 5) -> list[Resource]:
    """The published articles most likely to answer a request that reads ``text``.

    The rule: take the request's significant words (``significant_words``: folded, no stop
    words, Turkish endings stripped). An article scores ``TITLE_WEIGHT`` for each word that
    starts a word of its title and ``TEXT_WEIGHT`` for each that starts a word of its summary,
    text or PDF. It is suggested only if a word is in its title or at least two words are in
    its text (one shared word is chance). Best score first; then the share of readers who
    found it helpful; then the newest.
    """
    forms = significant_words(text)
    if not forms:
        return []
    any_word = Q()
    for form in forms:
        any_word |= Q(search_text__startswith=form) | Q(search_text__contains=f" {form}")
    candidates = (
        Resource.objects.filter(status=PublicationStatus.PUBLISHED, kind=ResourceKind.ARTICLE)
        .filter(any_word)
        .only(
            "slug",
            "title",
            "summary",
            "title_key",
            "search_text",
            "helpful_yes",
            "helpful_no",
            "published_at",
            "kind",
        )
        .order_by("-published_at")[:MAX_CANDIDATES]
    )
    scored: list[tuple[int, float, float, Resource]] = []
    for resource in candidates:
        in_title = sum(1 for form in forms if _has_word(resource.title_key, form))
        in_text = sum(1 for form in forms if _has_word(resource.search_text, form))
        if in_title == 0 and in_text < 2:
            continue
        score = TITLE_WEIGHT * in_title + TEXT_WEIGHT * in_text
        votes = resource.helpful_yes + resource.helpful_no
        helpful_share = resource.helpful_yes / votes if votes else 0.5
        published = resource.published_at.timestamp() if resource.published_at else 0.0
        scored.append((score, helpful_share, published, resource))
    scored.sort(key=lambda item: (item[0], item[1], item[2]), reverse=True)
    return [item[3] for item in scored[:limit]]
