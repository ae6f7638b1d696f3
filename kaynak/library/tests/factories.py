"""Factories for the library. Resources and news go through ``services`` (as the admin does), so
their search keys, cleaned HTML and parsed videos are what they are in use."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from factory.declarations import LazyFunction, Sequence
from factory.django import DjangoModelFactory

from kaynak.core.models import Theme
from kaynak.library import services
from kaynak.library.models import (
    Category,
    NewsPost,
    PublicationStatus,
    Resource,
    ResourceKind,
    Series,
    Tag,
)

FIXTURES = Path(__file__).parent / "fixtures"
GUIDE_PDF = FIXTURES / "dernek-rehberi.pdf"


def guide_pdf(name: str = "dernek-rehberi.pdf") -> SimpleUploadedFile:
    """The test PDF (a WeasyPrint guide in Turkish: "Dernek Kuruluş Rehberi … İzmir …")."""
    return SimpleUploadedFile(name, GUIDE_PDF.read_bytes(), content_type="application/pdf")


def days_ago(days: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=days)


class CategoryFactory(DjangoModelFactory[Category]):
    class Meta:
        model = Category
        django_get_or_create = ("slug",)

    name_tr = Sequence(lambda n: f"Dernekler Mevzuatı {n}")
    name_en = Sequence(lambda n: f"Law on associations {n}")
    slug = Sequence(lambda n: f"mevzuat-{n}")


class SeriesFactory(DjangoModelFactory[Series]):
    class Meta:
        model = Series

    name_tr = Sequence(lambda n: f"İktisadi İşletmeler {n}")
    name_en = Sequence(lambda n: f"Economic enterprises {n}")
    slug = Sequence(lambda n: f"iktisadi-isletmeler-{n}")


class TagFactory(DjangoModelFactory[Tag]):
    class Meta:
        model = Tag
        django_get_or_create = ("slug",)

    name = Sequence(lambda n: f"etiket {n}")
    slug = Sequence(lambda n: f"etiket-{n}")


class ResourceFactory(DjangoModelFactory[Resource]):
    """A published article unless told otherwise; ``themes`` takes theme slugs."""

    class Meta:
        model = Resource

    kind = ResourceKind.ARTICLE
    title = Sequence(lambda n: f"Sık Sorulan Soru {n}")
    summary = "Merkeze sık sorulan bir soru."
    body = "<p>Cevap burada.</p>"
    status = PublicationStatus.PUBLISHED
    published_at = LazyFunction(lambda: days_ago(1))

    @classmethod
    def _create(cls, model_class: type[Resource], *args: Any, **kwargs: Any) -> Resource:
        theme_slugs = kwargs.pop("themes", None)
        tags = kwargs.pop("tags", None)
        resource = model_class(**kwargs)
        themes = list(Theme.objects.filter(slug__in=theme_slugs)) if theme_slugs else None
        services.resource_save(resource=resource, actor=None, themes=themes)
        if tags:
            resource.tags.set(tags)
        return resource


class NewsPostFactory(DjangoModelFactory[NewsPost]):
    class Meta:
        model = NewsPost

    title = Sequence(lambda n: f"Haber {n}")
    summary = "Merkezden bir haber."
    body = "Yeni rehberimiz yayında."
    status = PublicationStatus.PUBLISHED
    published_at = LazyFunction(lambda: days_ago(1))

    @classmethod
    def _create(cls, model_class: type[NewsPost], *args: Any, **kwargs: Any) -> NewsPost:
        return services.news_save(post=model_class(**kwargs), actor=None)
