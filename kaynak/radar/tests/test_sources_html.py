"""HTML list pages read with per-source CSS selectors, in Windows-1254 too, with pagination."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from pytest_django import Settings

from kaynak.radar.fetching import Fetcher, FetchRequest
from kaynak.radar.models import Source, SourceKind
from kaynak.radar.sources import SourceError, adapter_for, config_errors
from kaynak.radar.tests.fixtures.loopback import fixture, result_from, run_adapter, serving

adapter = adapter_for(SourceKind.HTML)
PAGE = "https://ajans.example.gov.tr/duyurular"
CONFIG = {
    "item": "div.duyuru",
    "title": "h3.baslik",
    "link": "h3.baslik a",
    "date": "span.tarih",
    "summary": "p.ozet",
    "next": "a.sonraki",
}
# The server declares no charset: the page's <meta> must be read.
NO_CHARSET = "text/html"


def list_source(url: str = PAGE, **config: Any) -> Source:
    return Source(kind=SourceKind.HTML, url=url, config=CONFIG | config, follow_links=True)


def page_one() -> Any:
    return result_from(fixture("html_list_cp1254_page1.html"), url=PAGE, content_type=NO_CHARSET)


def test_items_of_a_windows_1254_page_are_listed_with_turkish_letters_intact() -> None:
    first, second = adapter.parse_listing(list_source(), page_one())

    assert first.title == "2027 Yılı Sivil Toplum Destek Programı İlanı"
    assert first.url == "https://ajans.example.gov.tr/duyurular/2027-sivil-toplum-destek-programi"
    assert first.published == "02.11.2026"
    assert first.summary == "Kâr amacı gütmeyen kuruluşlar için başvurular başladı."
    assert second.title == "Özel Sektör Fizibilite Desteği Çağrısı"
    # A relative link is resolved against the page's address.
    assert second.url == "https://ajans.example.gov.tr/duyurular/ozel-sektor-fizibilite"
    assert "�" not in first.title + second.title


def test_a_windows_1254_page_without_any_declared_charset_is_decoded_right() -> None:
    body = "<div class='duyuru'><h3 class='baslik'><a href='/x'>Şartlı Çağrı Ğİ</a></h3></div>"
    result = result_from(body.encode("cp1254"), url=PAGE, content_type=NO_CHARSET)

    (entry,) = adapter.parse_listing(list_source(), result)

    assert entry.title == "Şartlı Çağrı Ğİ"


def test_a_charset_in_the_content_type_header_wins_over_guessing() -> None:
    body = "<div class='duyuru'><h3 class='baslik'><a href='/x'>İlan ığüşöç</a></h3></div>"
    result = result_from(
        body.encode("iso-8859-9"), url=PAGE, content_type="text/html; charset=ISO-8859-9"
    )

    (entry,) = adapter.parse_listing(list_source(), result)

    assert entry.title == "İlan ığüşöç"


@pytest.mark.parametrize(
    ("config", "named"),
    [
        ({"item": "li.call"}, '"li.call" (item)'),
        ({"title": "h2.nope"}, '"h2.nope" (title)'),
        ({"link": "span.tarih"}, '"span.tarih" (link)'),
    ],
)
def test_selectors_that_match_nothing_are_named_in_the_error(
    config: dict[str, str], named: str
) -> None:
    with pytest.raises(SourceError) as raised:
        adapter.parse_listing(list_source(**config), page_one())

    assert str(raised.value) == f"The selector {named} matches nothing on the page."


def test_an_item_without_its_own_title_takes_the_link_text() -> None:
    body = (
        b"<div class='duyuru'><h3 class='baslik'><a href='/a'>First</a></h3></div>"
        b"<div class='duyuru'><a class='x' href='/b'>Second call</a></div>"
    )
    source = list_source(link="a")

    first, second = adapter.parse_listing(source, result_from(body, url=PAGE))

    assert (first.title, second.title) == ("First", "Second call")


def test_the_next_page_link_is_followed_and_a_page_linking_to_itself_ends_the_list() -> None:
    assert adapter.next_request(list_source(), page_one()) == FetchRequest(f"{PAGE}?sayfa=2")

    looping = result_from(b"<a class='sonraki' href='/duyurular'>next</a>", url=PAGE)
    assert adapter.next_request(list_source(), looping) is None
    assert adapter.next_request(list_source(next=None), page_one()) is None


def test_the_candidate_reads_the_detail_page_decoded_from_windows_1254() -> None:
    (entry, _other) = adapter.parse_listing(list_source(), page_one())
    detail = result_from(
        fixture("html_detail_cp1254.html"), url=entry.url, content_type="text/html"
    )

    candidate = adapter.candidate(list_source(), entry, detail)

    assert candidate.body_kind == "html"
    assert "Son Başvuru Tarihi: 12 Şubat 2027" in str(candidate.body)
    assert candidate.title == entry.title


def test_without_following_links_the_candidate_reads_the_list_entry() -> None:
    (entry, _other) = adapter.parse_listing(list_source(), page_one())
    source = list_source()
    source.follow_links = False

    assert adapter.detail_request(source, entry) is None
    candidate = adapter.candidate(source, entry, None)
    assert "Kâr amacı gütmeyen" in str(candidate.body)


def test_a_pdf_detail_is_handed_over_as_pdf_bytes() -> None:
    (entry, _other) = adapter.parse_listing(list_source(), page_one())
    detail = result_from(b"%PDF-1.7 ...", url=entry.url, content_type="application/pdf")

    candidate = adapter.candidate(list_source(), entry, detail)

    assert candidate.body_kind == "pdf"
    assert candidate.body == b"%PDF-1.7 ..."


def test_config_errors_name_missing_and_invalid_selectors() -> None:
    assert config_errors("html", CONFIG) == []
    errors = config_errors("html", {"item": "div[[", "title": "", "colour": "red"})
    assert '"title" (a CSS selector) is required.' in errors
    assert '"link" (a CSS selector) is required.' in errors
    assert '"item": "div[[" is not a valid CSS selector.' in errors
    assert "Unknown settings: colour." in errors
    assert config_errors("html", ["not", "an", "object"]) == ["The settings must be a JSON object."]


@pytest.fixture
def fetcher(settings: Settings) -> Iterator[Fetcher]:
    settings.RADAR_ALLOW_LOOPBACK = True
    with Fetcher(host_delay=0, sleep=lambda seconds: None) as chosen:
        yield chosen


def test_a_paginated_windows_1254_list_on_loopback_gives_candidates_from_detail_pages(
    fetcher: Fetcher,
) -> None:
    with serving() as server:
        server.reply("/duyurular", fixture("html_list_cp1254_page1.html"), content_type="text/html")
        server.reply(
            "/duyurular?sayfa=2", fixture("html_list_cp1254_page2.html"), content_type="text/html"
        )
        server.reply(
            "/duyurular/2027-sivil-toplum-destek-programi",
            fixture("html_detail_cp1254.html"),
            content_type="text/html; charset=windows-1254",
        )
        candidates = run_adapter(list_source(f"{server.base_url}/duyurular"), fetcher)

    assert [candidate.title for candidate in candidates] == [
        "2027 Yılı Sivil Toplum Destek Programı İlanı",
        "Özel Sektör Fizibilite Desteği Çağrısı",
        "Çocuk ve Gençlik Mali Destek Programı Sonuçları",
    ]
    assert "Azami destek tutarı: 1.500.000,00 TL" in str(candidates[0].body)


def test_an_entry_without_a_summary_selector_is_summarised_from_its_own_text() -> None:
    (entry, _other) = adapter.parse_listing(list_source(summary=None), page_one())
    detail = result_from(
        fixture("html_detail_cp1254.html"), url=entry.url, content_type="text/html"
    )

    candidate = adapter.candidate(list_source(), entry, detail)

    assert entry.summary == ""
    assert candidate.summary == "02.11.2026 Kâr amacı gütmeyen kuruluşlar için başvurular başladı."
