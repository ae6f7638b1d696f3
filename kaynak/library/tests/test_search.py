"""Turkish-aware search of the library and suggestions for a support request being typed."""

from __future__ import annotations

import pytest

from kaynak.library import queries
from kaynak.library.models import PublicationStatus, Resource, ResourceKind
from kaynak.library.queries import LibraryFilters, significant_words, stem, suggest
from kaynak.library.tests.factories import (
    CategoryFactory,
    ResourceFactory,
    TagFactory,
    days_ago,
    guide_pdf,
)

pytestmark = pytest.mark.django_db


def titles(filters: LibraryFilters) -> list[str]:
    return [resource.title for resource in queries.search(filters)]


def test_turkish_capitals_find_each_other_both_ways() -> None:
    ResourceFactory.create(title="İZMİR'DE DERNEK KURMAK")
    ResourceFactory.create(title="Ankara'da vakıf kurmak")
    assert titles(LibraryFilters(q="izmir")) == ["İZMİR'DE DERNEK KURMAK"]
    assert titles(LibraryFilters(q="İzmir")) == ["İZMİR'DE DERNEK KURMAK"]
    assert titles(LibraryFilters(q="VAKIF")) == ["Ankara'da vakıf kurmak"]
    assert titles(LibraryFilters(q="vakif")) == ["Ankara'da vakıf kurmak"]


def test_a_plural_or_case_ending_still_finds_the_word() -> None:
    ResourceFactory.create(title="Dernek üyeliği nasıl sona erer?")
    ResourceFactory.create(title="Vakıf senedi")
    assert titles(LibraryFilters(q="dernekler")) == ["Dernek üyeliği nasıl sona erer?"]
    assert titles(LibraryFilters(q="derneklerin üyeliği")) == ["Dernek üyeliği nasıl sona erer?"]


def test_every_word_must_match() -> None:
    ResourceFactory.create(title="Dernek defterleri")
    ResourceFactory.create(title="Vakıf defterleri")
    assert titles(LibraryFilters(q="defter vakıf")) == ["Vakıf defterleri"]


def test_the_text_of_a_pdf_is_searched() -> None:
    ResourceFactory.create(kind=ResourceKind.DOCUMENT, title="Rehber", body="", file=guide_pdf())
    ResourceFactory.create(title="Başka bir şey")
    assert titles(LibraryFilters(q="tüzük")) == ["Rehber"]


def test_a_title_match_ranks_above_a_body_match() -> None:
    ResourceFactory.create(
        title="Genel sorular", body="<p>Bağış makbuzu da burada anlatılır.</p>",
        published_at=days_ago(1),
    )  # fmt: skip
    ResourceFactory.create(title="Bağış makbuzu nasıl kesilir?", published_at=days_ago(30))
    assert titles(LibraryFilters(q="bağış makbuzu")) == [
        "Bağış makbuzu nasıl kesilir?",
        "Genel sorular",
    ]


def test_drafts_are_never_found() -> None:
    ResourceFactory.create(title="Taslak dernek yazısı", status=PublicationStatus.DRAFT)
    assert titles(LibraryFilters(q="dernek")) == []
    assert titles(LibraryFilters()) == []


def test_filters_narrow_by_kind_category_theme_tag_and_language() -> None:
    law = CategoryFactory.create(slug="mevzuat")
    tag = TagFactory.create(slug="kurulus", name="kuruluş")
    ResourceFactory.create(title="Makale", category=law, themes=["civil-society"], tags=[tag])
    ResourceFactory.create(
        title="Video", kind=ResourceKind.VIDEO, body="", video_url="https://youtu.be/dQw4w9WgXcQ"
    )
    ResourceFactory.create(title="English note", language="en")
    assert titles(LibraryFilters(kind="video")) == ["Video"]
    assert titles(LibraryFilters(category="mevzuat")) == ["Makale"]
    assert titles(LibraryFilters(theme="civil-society")) == ["Makale"]
    assert titles(LibraryFilters(tag="kurulus")) == ["Makale"]
    assert titles(LibraryFilters(language="en")) == ["English note"]


def test_newest_first_without_a_search_text() -> None:
    ResourceFactory.create(title="Eski", published_at=days_ago(10))
    ResourceFactory.create(title="Yeni", published_at=days_ago(1))
    assert titles(LibraryFilters()) == ["Yeni", "Eski"]


def test_stems_and_significant_words() -> None:
    assert stem("dernekler") == "dernek"
    assert stem("derneklerin") == "dernek"
    assert stem("vakiflarda") == "vakif"
    assert stem("eller") == "eller"  # too short a stem to cut
    assert significant_words("Merhaba, derneğimiz için YARDIM TOPLAMA izni nasıl alınır?") == [
        "dernegimiz",
        "yardim",
        "toplama",
        "izni",
        "alinir",
    ]


def test_suggest_ranks_title_matches_first_and_ignores_chance_overlaps() -> None:
    best = ResourceFactory.create(
        title="Yardım toplama izni nasıl alınır?",
        body="<p>Valilikten izin alınır.</p>",
        published_at=days_ago(40),
    )
    second = ResourceFactory.create(
        title="Bağış ve kampanyalar",
        body="<p>İnternetten yardım toplama ve izin süreci.</p>",
        published_at=days_ago(2),
    )
    ResourceFactory.create(title="Vakıf kurmak", body="<p>Yardım etmek isteyenler için.</p>")
    ResourceFactory.create(
        title="Yardım toplama yönetmeliği (taslak)", status=PublicationStatus.DRAFT
    )
    ResourceFactory.create(
        kind=ResourceKind.VIDEO,
        title="Yardım toplama videosu",
        body="",
        video_url="https://youtu.be/dQw4w9WgXcQ",
    )
    found = suggest("Derneğimiz için yardım toplama izni almak istiyoruz, ne yapmalıyız?")
    assert found == [best, second]


def test_suggest_prefers_what_readers_found_helpful_on_a_tie() -> None:
    plain = ResourceFactory.create(title="Aidat borcu", published_at=days_ago(1))
    helpful = ResourceFactory.create(title="Aidat borcu ve üyelik", published_at=days_ago(5))
    Resource.objects.filter(pk=helpful.pk).update(helpful_yes=3)
    assert suggest("aidat borcu")[:2] == [helpful, plain]


def test_suggest_needs_words_that_say_something() -> None:
    ResourceFactory.create(title="Nasıl ve ne için")
    assert suggest("ve ne nasıl için") == []
    assert suggest("") == []


def test_suggest_respects_the_limit() -> None:
    for n in range(7):
        ResourceFactory.create(title=f"Vergi muafiyeti {n}")
    assert len(suggest("vergi muafiyeti")) == 5
    assert len(suggest("vergi muafiyeti", limit=2)) == 2
