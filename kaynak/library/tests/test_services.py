"""Writing resources and news: what each kind needs, what is derived, all or nothing."""

from __future__ import annotations

from typing import Any

import pytest

from kaynak.accounts.tests.factories import StaffFactory
from kaynak.core.models import AuditEntry
from kaynak.library import services
from kaynak.library.models import (
    NewsPost,
    PublicationStatus,
    Resource,
    ResourceKind,
)
from kaynak.library.services import ResourceInvalid
from kaynak.library.tests.factories import NewsPostFactory, ResourceFactory, guide_pdf
from kaynak.programmes.tests.factories import SessionFactory

pytestmark = pytest.mark.django_db


def test_an_article_is_saved_with_clean_html_search_keys_and_a_slug() -> None:
    actor = StaffFactory.create()
    resource = services.resource_save(
        resource=Resource(
            kind=ResourceKind.ARTICLE,
            title="İzmir'de Dernek Kuruluşu",
            body="<p>Kuruluş <b>bildirimi</b></p><script>x()</script>",
            status=PublicationStatus.PUBLISHED,
        ),
        actor=actor,
    )
    resource.refresh_from_db()
    assert resource.slug == "izmir-de-dernek-kurulusu"
    assert resource.body == "<p>Kuruluş <b>bildirimi</b></p>"
    assert resource.title_key == "izmir de dernek kurulusu"
    assert "kurulus bildirimi" in resource.search_text
    assert resource.published_at is not None
    entry = AuditEntry.objects.get(action="kaynak.library.resource.created")
    assert entry.actor == actor


def test_a_document_has_its_pdf_text_searchable() -> None:
    resource = ResourceFactory.create(
        kind=ResourceKind.DOCUMENT, title="Rehber", body="", file=guide_pdf()
    )
    resource.refresh_from_db()
    assert "İzmir ve diğer illerde" in resource.file_text
    assert "izmir ve diger illerde" in resource.search_text
    assert str(resource.file.name).startswith("library/rehber")


def test_deleting_a_document_removes_its_file_once_committed(
    django_capture_on_commit_callbacks: Any,
) -> None:
    resource = ResourceFactory.create(
        kind=ResourceKind.DOCUMENT, title="Silinecek", body="", file=guide_pdf()
    )
    name, storage = str(resource.file.name), resource.file.storage

    with django_capture_on_commit_callbacks(execute=True):
        services.resource_delete(resource=resource, actor=None)
        assert storage.exists(name)  # not before the deletion is committed

    assert not Resource.objects.filter(title="Silinecek").exists()
    assert not storage.exists(name)
    assert AuditEntry.objects.filter(action="kaynak.library.resource.deleted").count() == 1


def test_a_file_that_is_not_a_pdf_is_refused_and_nothing_is_written() -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("rehber.pdf", b"MZ not a pdf", content_type="application/pdf")
    with pytest.raises(ResourceInvalid) as error:
        services.resource_save(
            resource=Resource(kind=ResourceKind.DOCUMENT, title="Sahte", file=fake), actor=None
        )
    assert "file" in error.value.problems
    assert not Resource.objects.exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"kind": ResourceKind.ARTICLE, "body": "  "}, "body"),
        ({"kind": ResourceKind.DOCUMENT}, "file"),
        ({"kind": ResourceKind.VIDEO}, "video_url"),
        (
            {"kind": ResourceKind.VIDEO, "video_url": "https://dailymotion.com/video/x1"},
            "video_url",
        ),
        ({"kind": ResourceKind.RECORDING}, "recording_session"),
    ],
)
def test_what_a_kind_needs_is_explained_per_field(fields: dict[str, str], field: str) -> None:
    with pytest.raises(ResourceInvalid) as error:
        services.resource_save(resource=Resource(title="Eksik", **fields), actor=None)
    assert field in error.value.problems
    assert not Resource.objects.exists()


def test_a_video_keeps_its_provider_and_id() -> None:
    resource = ResourceFactory.create(
        kind=ResourceKind.VIDEO, body="", video_url="https://youtu.be/dQw4w9WgXcQ"
    )
    assert (resource.video_provider, resource.video_id) == ("youtube", "dQw4w9WgXcQ")


def test_a_recording_takes_its_video_from_the_session() -> None:
    session = SessionFactory.create(recording_url="https://vimeo.com/76979871")
    resource = ResourceFactory.create(
        kind=ResourceKind.RECORDING, body="", recording_session=session
    )
    assert (resource.video_provider, resource.video_id) == ("vimeo", "76979871")
    assert resource.watch_url == "https://vimeo.com/76979871"


def test_a_recording_on_another_platform_is_linked_not_embedded() -> None:
    session = SessionFactory.create(recording_url="https://kayit.example.org/webinar-12")
    resource = ResourceFactory.create(
        kind=ResourceKind.RECORDING, body="", recording_session=session
    )
    assert resource.video_id == ""
    assert resource.watch_url == "https://kayit.example.org/webinar-12"


def test_two_resources_cannot_share_an_address() -> None:
    ResourceFactory.create(title="Aynı Başlık")
    with pytest.raises(ResourceInvalid) as error:
        ResourceFactory.create(title="Aynı Başlık")
    assert "slug" in error.value.problems


def test_a_news_post_is_cleaned_and_dated_when_published() -> None:
    post = NewsPostFactory.create(
        body="<p>Yeni <em>rehber</em></p><img src=x onerror=alert(1)>", published_at=None
    )
    post.refresh_from_db()
    assert post.body == "<p>Yeni <em>rehber</em></p>"
    assert post.published_at is not None
    assert NewsPost.objects.count() == 1
    assert AuditEntry.objects.filter(action="kaynak.library.news.created").count() == 1


def test_a_news_post_cannot_take_the_address_of_the_news_feed() -> None:
    with pytest.raises(ResourceInvalid):
        NewsPostFactory.create(slug="rss")
    assert not NewsPost.objects.exists()


def test_a_helpful_vote_counts_once_and_only_on_published_resources() -> None:
    resource = ResourceFactory.create()
    draft = ResourceFactory.create(status=PublicationStatus.DRAFT)
    services.helpful_vote(resource=resource, helpful=True)
    services.helpful_vote(resource=resource, helpful=False)
    services.helpful_vote(resource=draft, helpful=True)
    resource.refresh_from_db()
    draft.refresh_from_db()
    assert (resource.helpful_yes, resource.helpful_no) == (1, 1)
    assert draft.helpful_yes == 0
