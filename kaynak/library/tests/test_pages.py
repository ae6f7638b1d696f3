"""The library's public pages, in Turkish and English: listing, category, resource (article,
document, video), "was this helpful?", news and its RSS feed."""

from __future__ import annotations

from typing import Any

import feedparser
import pytest
from django.test import Client

from kaynak.accounts.tests.helpers import url
from kaynak.library.models import PublicationStatus, ResourceKind
from kaynak.library.tests.factories import (
    CategoryFactory,
    NewsPostFactory,
    ResourceFactory,
    SeriesFactory,
    days_ago,
    guide_pdf,
)

pytestmark = pytest.mark.django_db


def text(response: Any) -> str:
    return str(response.content.decode())


def test_the_listing_shows_published_resources_in_both_languages(client: Client) -> None:
    ResourceFactory.create(title="Dernek Kuruluşu")
    ResourceFactory.create(title="Taslak Yazı", status=PublicationStatus.DRAFT)
    turkish = client.get(url("library:list"))
    assert turkish.status_code == 200
    assert "Dernek Kuruluşu" in text(turkish)
    assert "Taslak Yazı" not in text(turkish)
    assert url("library:list", language="en").startswith("/en/")
    english = text(client.get(url("library:list", language="en")))
    assert '<html lang="en">' in english
    assert "1 resource found." in english


def test_the_listing_searches_and_htmx_gets_only_the_results(client: Client) -> None:
    ResourceFactory.create(title="İzmir'de vakıf")
    ResourceFactory.create(title="Ankara'da dernek")
    response = client.get(
        url("library:list", language="en") + "?q=IZMIR", headers={"HX-Request": "true"}
    )
    body = text(response)
    assert body.lstrip().startswith('<section id="results"')
    assert "İzmir&#x27;de vakıf" in body
    assert "Ankara" not in body


def test_a_bad_filter_is_explained_and_the_others_apply(client: Client) -> None:
    ResourceFactory.create(title="Dernek defteri")
    ResourceFactory.create(title="Vakıf defteri")
    body = text(client.get(url("library:list", language="en") + "?kind=podcast&q=vakıf"))
    assert "Some filters could not be used" in body
    assert "Vakıf defteri" in body
    assert "Dernek defteri" not in body
    assert 'value="vakıf"' in body  # what was typed is kept


def test_the_listing_runs_a_fixed_number_of_queries(
    client: Client, django_assert_num_queries: Any
) -> None:
    law = CategoryFactory.create()
    for n in range(12):
        ResourceFactory.create(title=f"Soru {n}", category=law, themes=["civil-society"])
    client.get(url("library:list"))  # sessions, center settings: warm
    with django_assert_num_queries(7):
        response = client.get(url("library:list") + "?q=soru")
    assert text(response).count('class="library-card"') == 12


def test_a_category_page_lists_its_resources(client: Client) -> None:
    law = CategoryFactory.create(name_tr="Mevzuat", name_en="Law", slug="mevzuat")
    ResourceFactory.create(title="Tüzük değişikliği", category=law)
    ResourceFactory.create(title="Vergi beyannamesi")
    body = text(client.get(url("library:category", "mevzuat", language="en")))
    assert "<h1>Law</h1>" in body
    assert "Tüzük değişikliği" in body
    assert "Vergi beyannamesi" not in body
    assert client.get(url("library:category", "yok")).status_code == 404


def test_an_article_page_shows_its_body_and_a_draft_is_not_found(client: Client) -> None:
    article = ResourceFactory.create(title="Genel kurul", body="<h2>Çağrı</h2><p>15 gün önce</p>")
    draft = ResourceFactory.create(title="Taslak", status=PublicationStatus.DRAFT)
    body = text(client.get(url("library:resource", article.slug)))
    assert "<h2>Çağrı</h2><p>15 gün önce</p>" in body
    assert "Bu içerik işinize yaradı mı?" in body
    assert client.get(url("library:resource", draft.slug)).status_code == 404


def test_a_document_can_be_downloaded_and_read_on_the_page(client: Client) -> None:
    guide = ResourceFactory.create(
        kind=ResourceKind.DOCUMENT, title="Kuruluş Rehberi", body="", file=guide_pdf()
    )
    body = text(client.get(url("library:resource", guide.slug, language="en")))
    assert "Download the PDF" in body
    assert "İzmir ve diğer illerde" in body  # the text, for screen readers and search
    response = client.get(url("library:download", guide.slug))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]


def test_a_video_page_loads_nothing_from_the_video_site_before_the_click(client: Client) -> None:
    video = ResourceFactory.create(
        kind=ResourceKind.VIDEO, title="İktisadi işletme 1", body="",
        video_url="https://www.youtube.com/watch?v=dQw4w9WgXcQ",
    )  # fmt: skip
    body = text(client.get(url("library:resource", video.slug, language="en")))
    assert "<iframe" not in body
    assert 'data-embed="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ' in body
    assert "Load and play the video" in body
    assert 'href="https://www.youtube.com/watch?v=dQw4w9WgXcQ"' in body  # works without JS
    assert "<img" not in body.split('class="video-consent"')[1].split("</div>")[0]


def test_a_series_is_listed_in_order_on_each_video(client: Client) -> None:
    series = SeriesFactory.create(name_en="Economic enterprises")
    second = ResourceFactory.create(
        kind=ResourceKind.VIDEO, title="Bölüm 2", body="", series=series, series_position=2,
        video_url="https://youtu.be/aaaaaaaaaaa",
    )  # fmt: skip
    ResourceFactory.create(
        kind=ResourceKind.VIDEO, title="Bölüm 1", body="", series=series, series_position=1,
        video_url="https://youtu.be/bbbbbbbbbbb",
    )  # fmt: skip
    body = text(client.get(url("library:resource", second.slug, language="en")))
    assert "Economic enterprises" in body
    assert body.index("Bölüm 1") < body.index('aria-current="page">Bölüm 2')


def test_a_visitor_votes_once_per_session_and_nothing_personal_is_kept(client: Client) -> None:
    article = ResourceFactory.create()
    helpful = url("library:helpful", article.slug, language="en")
    response = client.post(helpful, {"helpful": "yes"})
    assert response.status_code == 302
    client.post(helpful, {"helpful": "no"})
    client.post(helpful, {"helpful": "yes"}, headers={"HX-Request": "true"})
    article.refresh_from_db()
    assert (article.helpful_yes, article.helpful_no) == (1, 0)
    page = text(client.get(url("library:resource", article.slug, language="en")))
    assert "Thank you for your answer." in page
    other = Client()
    other.post(helpful, {"helpful": "no"}, headers={"HX-Request": "true"})
    article.refresh_from_db()
    assert (article.helpful_yes, article.helpful_no) == (1, 1)


def test_voting_needs_a_post(client: Client) -> None:
    article = ResourceFactory.create()
    assert client.get(url("library:helpful", article.slug)).status_code == 405


def test_the_news_list_and_a_post(client: Client) -> None:
    NewsPostFactory.create(title="Eski haber", published_at=days_ago(10))
    post = NewsPostFactory.create(title="Yeni rehber yayında", body="<p>Okuyun.</p>")
    NewsPostFactory.create(title="Taslak haber", status=PublicationStatus.DRAFT)
    body = text(client.get(url("library:news", language="en")))
    assert body.index("Yeni rehber yayında") < body.index("Eski haber")
    assert "Taslak haber" not in body
    page = text(client.get(url("library:news-post", post.slug)))
    assert "<p>Okuyun.</p>" in page


def test_the_news_rss_feed_parses_newest_first(client: Client) -> None:
    NewsPostFactory.create(title="Eski haber", published_at=days_ago(10))
    NewsPostFactory.create(title="Yeni haber", published_at=days_ago(1))
    NewsPostFactory.create(title="Taslak haber", status=PublicationStatus.DRAFT)
    response = client.get(url("library:news-rss"))
    assert response.status_code == 200
    feed = feedparser.parse(response.content)
    assert not feed.bozo
    assert [entry.title for entry in feed.entries] == ["Yeni haber", "Eski haber"]
    assert feed.entries[0].link.endswith("/yeni-haber/")


def test_a_resource_page_runs_a_fixed_number_of_queries(
    client: Client, django_assert_num_queries: Any
) -> None:
    series = SeriesFactory.create()
    law = CategoryFactory.create()
    for n in range(4):
        video = ResourceFactory.create(
            kind=ResourceKind.VIDEO, title=f"Bölüm {n}", body="", series=series,
            series_position=n, category=law, themes=["civil-society"],
            video_url="https://youtu.be/dQw4w9WgXcQ",
        )  # fmt: skip
    client.get(url("library:resource", video.slug))
    with django_assert_num_queries(5):
        response = client.get(url("library:resource", video.slug))
    assert text(response).count("Bölüm") >= 4
