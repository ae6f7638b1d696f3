"""Video addresses, article HTML and PDF text: the library's pure helpers."""

from __future__ import annotations

import pytest

from kaynak.library.content import (
    DocumentError,
    VideoAddressError,
    clean_body,
    html_to_text,
    parse_video_url,
    pdf_text,
)
from kaynak.library.tests.factories import GUIDE_PDF


@pytest.mark.parametrize(
    "url",
    [
        "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
        "https://youtube.com/watch?v=dQw4w9WgXcQ&t=42s",
        "https://m.youtube.com/watch?feature=share&v=dQw4w9WgXcQ",
        "https://youtu.be/dQw4w9WgXcQ?si=abc",
        "https://www.youtube.com/embed/dQw4w9WgXcQ",
        "https://www.youtube.com/shorts/dQw4w9WgXcQ",
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ",
    ],
)
def test_youtube_addresses_give_the_video_id(url: str) -> None:
    video = parse_video_url(url)
    assert (video.provider, video.video_id) == ("youtube", "dQw4w9WgXcQ")


@pytest.mark.parametrize(
    "url",
    [
        "https://vimeo.com/76979871",
        "https://vimeo.com/channels/staffpicks/76979871",
        "https://player.vimeo.com/video/76979871?h=abc",
    ],
)
def test_vimeo_addresses_give_the_video_id(url: str) -> None:
    video = parse_video_url(url)
    assert (video.provider, video.video_id) == ("vimeo", "76979871")


def test_the_embed_address_is_the_privacy_friendly_one() -> None:
    assert parse_video_url("https://youtu.be/dQw4w9WgXcQ").embed_url.startswith(
        "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    )
    assert "dnt=1" in parse_video_url("https://vimeo.com/76979871").embed_url


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("https://www.dailymotion.com/video/x7tgad0", "www.dailymotion.com"),
        ("https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ", "youtube.com.evil.example"),
        ("https://www.youtube.com/watch?v=short", "does not name a video"),
        ("https://www.youtube.com/channel/UC123", "does not name a video"),
        ("https://vimeo.com/about", "does not name a video"),
        ("javascript:alert(1)", "starting with https://"),
        ("youtu.be/dQw4w9WgXcQ", "starting with https://"),
    ],
)
def test_other_hosts_and_broken_addresses_are_refused_with_the_reason(
    url: str, reason: str
) -> None:
    with pytest.raises(VideoAddressError) as error:
        parse_video_url(url)
    assert reason in str(error.value.message)


def test_article_html_keeps_structure_and_loses_scripts_and_handlers() -> None:
    cleaned = clean_body(
        '<h2>Başlık</h2><p onclick="x()">Metin <a href="https://stgm.org.tr">bağlantı</a></p>'
        "<script>alert(1)</script><iframe src='https://evil.example'></iframe>"
        '<a href="javascript:alert(1)">kötü</a>'
    )
    assert "<h2>Başlık</h2>" in cleaned
    assert "onclick" not in cleaned
    assert "<script" not in cleaned
    assert "alert(1)" not in cleaned
    assert "<iframe" not in cleaned
    assert "javascript:" not in cleaned
    assert 'rel="noopener noreferrer"' in cleaned


def test_plain_text_becomes_paragraphs_and_is_escaped() -> None:
    cleaned = clean_body("Birinci paragraf\nikinci satır\n\nİkinci paragraf: 3 < 5 & 7 > 2")
    assert cleaned == (
        "<p>Birinci paragraf<br>ikinci satır</p><p>İkinci paragraf: 3 &lt; 5 &amp; 7 &gt; 2</p>"
    )
    assert html_to_text(cleaned) == "Birinci paragraf\nikinci satır\nİkinci paragraf: 3 < 5 & 7 > 2"


def test_the_text_of_a_pdf_is_read_with_turkish_letters() -> None:
    text = pdf_text(GUIDE_PDF.read_bytes())
    assert text.startswith("Dernek Kuruluş Rehberi")
    assert "İzmir" in text
    assert "Yardım toplama" in text


def test_a_file_that_is_not_a_pdf_is_refused() -> None:
    with pytest.raises(DocumentError):
        pdf_text(b"GIF89a not a pdf")
    with pytest.raises(DocumentError):
        pdf_text(b"%PDF-1.7 broken beyond repair")
