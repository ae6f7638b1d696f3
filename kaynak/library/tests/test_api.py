"""The library's public API: resources (search, filters, pages), one resource, the news."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from kaynak.accounts.tests.helpers import url
from kaynak.library.models import PublicationStatus, ResourceKind
from kaynak.library.tests.factories import (
    NewsPostFactory,
    ResourceFactory,
    days_ago,
    guide_pdf,
)

pytestmark = pytest.mark.django_db

API = "/api/v1/library"


def test_the_resource_list_is_public_paginated_and_searchable(client: Client) -> None:
    for n in range(3):
        ResourceFactory.create(title=f"Vergi sorusu {n}", published_at=days_ago(n + 1))
    ResourceFactory.create(title="İzmir'de dernek")
    ResourceFactory.create(title="Taslak", status=PublicationStatus.DRAFT)
    body = client.get(f"{API}/resources?page_size=2").json()
    assert (body["count"], body["pages"], len(body["items"])) == (4, 2, 2)
    found = client.get(f"{API}/resources", {"q": "IZMIR"}).json()
    assert [item["title"] for item in found["items"]] == ["İzmir'de dernek"]
    assert found["items"][0]["url"].endswith(found["items"][0]["slug"] + "/")


def test_the_resource_list_filters_by_kind(client: Client) -> None:
    ResourceFactory.create(title="Makale")
    ResourceFactory.create(
        kind=ResourceKind.VIDEO, title="Video", body="", video_url="https://vimeo.com/76979871"
    )
    items = client.get(f"{API}/resources", {"kind": "video"}).json()["items"]
    assert [(i["title"], i["video_provider"], i["video_id"]) for i in items] == [
        ("Video", "vimeo", "76979871")
    ]


def test_the_list_runs_a_fixed_number_of_queries(
    client: Client, django_assert_num_queries: Any
) -> None:
    for n in range(8):
        ResourceFactory.create(title=f"Soru {n}", themes=["civil-society"])
    with django_assert_num_queries(3):
        assert len(client.get(f"{API}/resources").json()["items"]) == 8


def test_one_resource_has_its_body_and_file_address(client: Client) -> None:
    guide = ResourceFactory.create(
        kind=ResourceKind.DOCUMENT, title="Rehber", body="<p>Özet</p>", file=guide_pdf()
    )
    body = client.get(f"{API}/resources/{guide.slug}").json()
    assert body["body"] == "<p>Özet</p>"
    # The API answers in Turkish unless asked otherwise: the Turkish page's address.
    assert body["file_url"].endswith(url("library:download", guide.slug, language="tr"))
    draft = ResourceFactory.create(status=PublicationStatus.DRAFT)
    assert client.get(f"{API}/resources/{draft.slug}").status_code == 404


def test_the_news_is_newest_first_without_drafts(client: Client) -> None:
    NewsPostFactory.create(title="Eski", published_at=days_ago(9))
    NewsPostFactory.create(title="Yeni", published_at=days_ago(1))
    NewsPostFactory.create(title="Taslak", status=PublicationStatus.DRAFT)
    items = client.get(f"{API}/news").json()["items"]
    assert [item["title"] for item in items] == ["Yeni", "Eski"]
