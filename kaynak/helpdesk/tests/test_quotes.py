"""strip_quoted: what a person newly wrote in a reply, in Turkish and English mail clients."""

from __future__ import annotations

from pathlib import Path

import pytest

from kaynak.helpdesk.mailin import parse
from kaynak.helpdesk.quotes import strip_quoted

MAILS = Path(__file__).parent / "mails"


def test_gmail_turkish_reply_with_wrapped_attribution_keeps_only_the_new_text() -> None:
    text = parse((MAILS / "05-gmail-reply-turkish.eml").read_bytes()).text
    new, quoted = strip_quoted(text)
    assert new == (
        "Teşekkürler, bilgiler çok işimize yaradı.\n"
        "Bir sorum daha var: denetim kurulu raporunu genel kuruldan önce mi sunmalıyız?"
    )
    assert quoted.startswith("5 Haz 2024 Çar, 11:20 tarihinde")
    assert "> Genel kurul çağrısı en az 15 gün önce yapılmalıdır." in quoted


def test_outlook_turkish_kimden_block_and_everything_below_it_is_history() -> None:
    text = parse((MAILS / "06-outlook-reply-kimden.eml").read_bytes()).text
    new, quoted = strip_quoted(text)
    assert new.endswith("Hatice Demir\nMuhasebe Sorumlusu")
    assert "Kimden:" not in new
    assert "Bağış makbuzu örneğini" not in new
    assert quoted.startswith("________________________________\nKimden: Destek Noktası")


def test_html_gmail_quote_becomes_history_too() -> None:
    html_only = (MAILS / "05-gmail-reply-turkish.eml").read_bytes()
    parsed = parse(html_only)
    from kaynak.helpdesk.mailin import html_to_text

    new, _quoted = strip_quoted(html_to_text(parsed.html_sanitised))
    assert new.startswith("Teşekkürler, bilgiler çok işimize yaradı.")
    assert "15 gün" not in new


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        (
            "Thanks, that helps.\n\nOn Mon, Jun 3, 2024 at 10:15 AM Destek <destek@kaynak.example> "
            "wrote:\n> Hello,\n> the deadline is 15 June.\n",
            "Thanks, that helps.",
        ),
        (
            "Thanks, that helps.\n\nOn Mon, Jun 3, 2024 at 10:15 AM Destek Noktası <\n"
            "destek@kaynak.example> wrote:\n\n> Hello\n",
            "Thanks, that helps.",
        ),
        (
            "Tamam, anlaşıldı.\n\n3 Haziran 2024 10:15 tarihinde Destek Noktası "
            "<destek@kaynak.example> şunları yazdı:\n\nMerhaba,\nSon gün 15 Haziran.\n",
            "Tamam, anlaşıldı.",
        ),
        (
            "Teşekkürler.\n\nDestek Noktası <destek@kaynak.example>, 3 Haz 2024 Pzt, 10:15 "
            "tarihinde şunu yazdı:\n> Merhaba\n",
            "Teşekkürler.",
        ),
        (
            "Got it.\n\n-----Original Message-----\nFrom: Destek\nSent: Monday\n\nOld text\n",
            "Got it.",
        ),
        (
            "Anladım.\n\n-----Özgün İleti-----\nKimden: Destek\nTarih: Pazartesi\n\nEski metin\n",
            "Anladım.",
        ),
        (
            "Sure.\n\nFrom: Destek Noktası <destek@kaynak.example>\nSent: Monday, June 3, 2024\n"
            "To: Can <can@example.net>\nSubject: Re: question\n\nOld text\n",
            "Sure.",
        ),
        (
            "Teşekkürler.\n\n*Kimden:* Destek Noktası\n*Gönderildi:* 3 Haziran 2024\n"
            "*Kime:* Ali\n*Konu:* Soru\n\nEski metin\n",
            "Teşekkürler.",
        ),
    ],
)
def test_top_posted_replies_lose_their_history(reply: str, expected: str) -> None:
    new, quoted = strip_quoted(reply)
    assert new == expected
    assert quoted


def test_signature_after_dash_dash_space_is_removed() -> None:
    new, quoted = strip_quoted("Teşekkürler.\n\n-- \nAli Veli\nDernek Başkanı\n")
    assert new == "Teşekkürler."
    assert quoted == "--\nAli Veli\nDernek Başkanı"


def test_signature_ends_where_the_quoted_history_begins() -> None:
    text = "Evet.\n-- \nAli\n\nOn Mon, 3 Jun 2024, Destek wrote:\n> Soru?\n\nBir şey daha.\n"
    new, _quoted = strip_quoted(text)
    assert new == "Evet.\n\nBir şey daha."


def test_bottom_posted_reply_keeps_the_text_after_the_quote() -> None:
    text = (
        "On Mon, 3 Jun 2024 at 10:15, Destek <destek@kaynak.example> wrote:\n"
        "> Which province are you in?\n\nWe are in Van.\n"
    )
    new, quoted = strip_quoted(text)
    assert new == "We are in Van."
    assert "Which province" in quoted


def test_inline_reply_keeps_every_answer_between_the_quotes() -> None:
    text = (
        "3 Haz 2024 Pzt, 10:15 tarihinde Destek <destek@kaynak.example> şunu yazdı:\n"
        "> Derneğinizin adı nedir?\nUmut Derneği.\n> Hangi ildesiniz?\nVan.\n"
    )
    new, quoted = strip_quoted(text)
    assert new == "Umut Derneği.\nVan."
    assert quoted.count("\n> ") == 2


def test_a_message_that_is_all_quote_is_kept_whole() -> None:
    text = "> only a quote\n> nothing new\n"
    assert strip_quoted(text) == ("> only a quote\n> nothing new", "")


def test_ordinary_sentences_with_wrote_or_yazdi_are_not_history() -> None:
    text = "Hocamız bu konuda bir makale yazdı.\nShe wrote a guide.\nFrom now on: thanks.\n"
    new, quoted = strip_quoted(text)
    assert new == text.strip()
    assert quoted == ""


def test_outlook_web_html_reply_in_turkish_loses_its_history() -> None:
    from kaynak.helpdesk.mailin import html_to_text

    html = (
        '<div dir="ltr">Belgeleri yükledik, teşekkürler.</div>'
        '<hr style="display:inline-block;width:98%" tabindex="-1">'
        '<div id="divRplyFwdMsg" dir="ltr"><font face="Calibri"><b>Kimden:</b> Destek Noktası '
        "&lt;destek@kaynak.example&gt;<br><b>Gönderildi:</b> 4 Haziran 2024 Salı 16:40<br>"
        "<b>Kime:</b> Hatice Demir<br><b>Konu:</b> [#DN-4MW8KD] Belgeler</font><div>&nbsp;</div>"
        "</div><div>Merhaba, belgeleri yükler misiniz?</div>"
    )
    new, quoted = strip_quoted(html_to_text(html))
    assert new == "Belgeleri yükledik, teşekkürler."
    assert "belgeleri yükler misiniz" in quoted
