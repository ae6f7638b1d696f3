"""The library's public API: published resources (search ``q`` and the listing's filters,
paginated), one resource by slug, and the news.

- ``GET /library/resources``: ``q``, ``kind``, ``category``, ``theme``, ``tag``, ``language``;
  best match first with ``q``, otherwise newest first.
- ``GET /library/resources/{slug}``: one published resource, with its cleaned HTML body.
- ``GET /library/news``: published news posts, newest first.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema

from kaynak.core.pagination import PageNumber
from kaynak.library import queries
from kaynak.library.models import NewsPost, Resource

router = Router(tags=["library"])


class ResourceFilterIn(Schema):
    q: str = Field("", description="Words in the title, summary, text or PDF")
    kind: str = Field("", description="article, document, video, recording or publication")
    category: str = Field("", description="Category slug")
    theme: str = Field("", description="Theme slug")
    tag: str = Field("", description="Tag slug")
    language: str = Field("", description="tr or en")


class ResourceOut(Schema):
    slug: str
    kind: str
    title: str
    summary: str
    language: str
    category: str | None
    themes: list[str]
    published_at: dt.datetime | None
    url: str
    file_url: str | None
    video_provider: str | None
    video_id: str | None
    watch_url: str | None

    @staticmethod
    def resolve_category(obj: Resource) -> str | None:
        return obj.category.slug if obj.category else None

    @staticmethod
    def resolve_themes(obj: Resource) -> list[str]:
        return [theme.slug for theme in obj.themes.all()]

    @staticmethod
    def resolve_url(obj: Resource) -> str:
        return settings.SITE_URL + reverse("library:resource", args=[obj.slug])

    @staticmethod
    def resolve_file_url(obj: Resource) -> str | None:
        if not obj.file:
            return None
        return settings.SITE_URL + reverse("library:download", args=[obj.slug])

    @staticmethod
    def resolve_video_provider(obj: Resource) -> str | None:
        return obj.video_provider or None

    @staticmethod
    def resolve_video_id(obj: Resource) -> str | None:
        return obj.video_id or None

    @staticmethod
    def resolve_watch_url(obj: Resource) -> str | None:
        return obj.watch_url or None


class ResourceDetailOut(ResourceOut):
    body: str
    tags: list[str]
    helpful_yes: int
    helpful_no: int

    @staticmethod
    def resolve_tags(obj: Resource) -> list[str]:
        return [tag.slug for tag in obj.tags.all()]


class NewsOut(Schema):
    slug: str
    title: str
    summary: str
    body: str
    language: str
    published_at: dt.datetime | None
    url: str

    @staticmethod
    def resolve_url(obj: NewsPost) -> str:
        return settings.SITE_URL + reverse("library:news-post", args=[obj.slug])


class ResourcePage(Schema):
    items: list[ResourceOut]
    count: int
    page: int
    pages: int
    page_size: int


class NewsPage(Schema):
    items: list[NewsOut]
    count: int
    page: int
    pages: int
    page_size: int


def _paginate(
    request: HttpRequest, rows: QuerySet[Any], pagination: PageNumber.Input
) -> dict[str, Any]:
    page: dict[str, Any] = PageNumber().paginate_queryset(rows, pagination, request)
    return page


@router.get(
    "/library/resources",
    response=ResourcePage,
    auth=None,
    summary="Published library resources (best match first with q, else newest first)",
)
def list_resources(
    request: HttpRequest,
    filters: Query[ResourceFilterIn],
    pagination: Query[PageNumber.Input],
) -> dict[str, Any]:
    found = queries.search(queries.LibraryFilters(**filters.dict()))
    return _paginate(request, found, pagination)


@router.get(
    "/library/resources/{slug}", response=ResourceDetailOut, auth=None, summary="One resource"
)
def get_resource(request: HttpRequest, slug: str) -> Resource:
    return queries.published_resource(slug)


@router.get("/library/news", response=NewsPage, auth=None, summary="Published news posts")
def list_news(request: HttpRequest, pagination: Query[PageNumber.Input]) -> dict[str, Any]:
    return _paginate(request, queries.published_news(), pagination)
