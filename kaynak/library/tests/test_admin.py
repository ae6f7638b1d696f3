"""Library editors keep resources in the admin; what a resource lacks is shown at its field."""

from __future__ import annotations

import pytest
from django.test import Client

from kaynak.accounts.models import Role
from kaynak.accounts.tests.factories import StaffFactory
from kaynak.core.models import AuditEntry
from kaynak.library.models import Resource
from kaynak.library.tests.factories import guide_pdf

pytestmark = pytest.mark.django_db

ADD = "/en/yonetim/library/resource/add/"


def form(**fields: object) -> dict[str, object]:
    return {
        "kind": "article", "title": "Genel Kurul Çağrısı", "slug": "", "summary": "",
        "body": "", "video_url": "", "language": "tr", "status": "published",
        "series_position": "0", **fields,
    }  # fmt: skip


def editor_client(role: Role) -> Client:
    client = Client()
    client.force_login(StaffFactory.create(roles=[role]))
    return client


def test_a_support_agent_adds_an_article_through_the_service() -> None:
    client = editor_client(Role.SUPPORT_AGENT)
    response = client.post(ADD, form(slug="genel-kurul", body="Çağrı 15 gün önce yapılır."))
    assert response.status_code == 302, response.content.decode()[:2000]
    resource = Resource.objects.get()
    assert resource.body == "<p>Çağrı 15 gün önce yapılır.</p>"
    assert resource.title_key == "genel kurul cagrisi"
    assert AuditEntry.objects.filter(action="kaynak.library.resource.created").exists()


def test_a_video_on_another_host_is_refused_next_to_its_field() -> None:
    client = editor_client(Role.PROGRAMME_COORDINATOR)
    response = client.post(
        ADD, form(kind="video", slug="video", video_url="https://www.dailymotion.com/video/x1")
    )
    assert response.status_code == 200
    assert "Only YouTube and Vimeo videos can be shown" in response.content.decode()
    assert not Resource.objects.exists()


def test_a_document_uploaded_in_the_admin_has_its_text_read() -> None:
    client = editor_client(Role.SUPPORT_AGENT)
    response = client.post(ADD, form(kind="document", slug="rehber", file=guide_pdf()))
    assert response.status_code == 302
    assert "İzmir" in Resource.objects.get().file_text


def test_staff_without_an_editor_role_cannot_edit_the_library() -> None:
    client = editor_client(Role.RADAR_EDITOR)
    assert client.get(ADD).status_code == 403
    assert client.post(ADD, form(slug="x", body="y")).status_code == 403
    assert not Resource.objects.exists()


def test_a_programme_coordinator_publishes_a_news_post_dated_now() -> None:
    from kaynak.library.models import NewsPost

    client = editor_client(Role.PROGRAMME_COORDINATOR)
    response = client.post(
        "/en/yonetim/library/newspost/add/",
        {"title": "Yeni rehber", "slug": "yeni-rehber", "summary": "", "body": "Yayında.",
         "language": "tr", "status": "published"},
    )  # fmt: skip
    assert response.status_code == 302
    post = NewsPost.objects.get()
    assert post.body == "<p>Yayında.</p>"
    assert post.published_at is not None
