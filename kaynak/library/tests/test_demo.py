"""The demo library: articles, videos in two series, news; a PDF guide where WeasyPrint runs."""

from __future__ import annotations

import random

import pytest
from rich.progress import Progress

from kaynak.core.demo import DemoContext
from kaynak.library import demo, queries
from kaynak.library.models import NewsPost, Resource, ResourceKind

pytestmark = pytest.mark.django_db


def build() -> DemoContext:
    context = DemoContext(scale="small", rng=random.Random(1), progress=Progress(disable=True))
    demo.build(context)
    return context


def test_the_demo_library_has_articles_video_series_and_news_and_can_be_built_twice() -> None:
    build()
    assert Resource.objects.filter(kind=ResourceKind.ARTICLE).count() == len(demo.ARTICLES)
    videos = Resource.objects.filter(kind=ResourceKind.VIDEO)
    assert videos.count() == 5
    assert set(videos.values_list("video_provider", flat=True)) == {"youtube"}
    assert NewsPost.objects.count() == len(demo.NEWS)
    before = Resource.objects.count()
    build()
    assert Resource.objects.count() == before
    assert queries.suggest("Yardım toplama izni için nereye başvurmalıyız?")[0].title == (
        "Yardım toplama izni nasıl alınır?"
    )


@pytest.mark.needs_tool("lib:pango-1.0")
def test_the_demo_guide_is_a_pdf_whose_text_is_searchable() -> None:
    build()
    guide = Resource.objects.get(kind=ResourceKind.DOCUMENT)
    assert "Kuruluş bildirimi" in guide.file_text
    assert [
        r.title for r in queries.search(queries.LibraryFilters(q="tüzük", kind="document"))
    ] == ["Dernek Kuruluş Rehberi"]
