"""mailin.parse over real-looking RFC 822 messages (tests/mails/*.eml)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kaynak.helpdesk.mailin import UnreadableMail, parse, sniff

MAILS = Path(__file__).parent / "mails"


def mail(name: str) -> bytes:
    return (MAILS / name).read_bytes()


def test_iso_8859_9_quoted_printable_headers_and_body_are_turkish_text() -> None:
    parsed = parse(mail("01-iso-8859-9-quoted-printable.eml"))
    assert parsed.from_name == "Ayşe Yılmaz"
    assert parsed.from_address == "ayse.yilmaz@cagdasgenclik.org.tr"
    assert parsed.subject == "Genel kurul toplantısı çevrim içi yapılabilir mi?"
    assert parsed.to == ("destek@kaynak.example",)
    assert parsed.cc == ("baskan@cagdasgenclik.org.tr",)
    assert "Derneğimizin yıllık genel kurul toplantısını" in parsed.text
    assert parsed.message_id == "<20240603071455.A1B2C3@mail.cagdasgenclik.org.tr>"
    assert parsed.date is not None
    assert parsed.date.astimezone(UTC) == datetime(2024, 6, 3, 7, 14, 55, tzinfo=UTC)
    assert not parsed.is_auto_reply
    assert not parsed.is_bounce
    assert parsed.token == ""


def test_windows_1254_base64_is_decoded() -> None:
    parsed = parse(mail("02-windows-1254-base64.eml"))
    assert parsed.from_name == "Şükran Öztürk"
    assert parsed.subject == "Yardım toplama izni başvurusu"
    assert "Güneşli Vakfı, Şanlıurfa" in parsed.text


def test_utf8_reply_carries_its_token_and_thread_ids() -> None:
    parsed = parse(mail("03-utf8-token-reply.eml"))
    assert parsed.from_name == "İbrahim Çelik"
    assert parsed.token == "DN-2K7F9Q"
    assert parsed.in_reply_to == "<request-41.reply-2@kaynak.example>"
    assert parsed.references == (
        "<request-41@kaynak.example>",
        "<request-41.reply-2@kaynak.example>",
    )
    assert parsed.thread_ids == (
        "<request-41.reply-2@kaynak.example>",
        "<request-41@kaynak.example>",
    )
    assert "Ğ, ü, ş, ı, ö, ç" in parsed.text


def test_outlook_html_only_mail_gets_text_and_sanitised_html() -> None:
    parsed = parse(mail("04-outlook-html-only.eml"))
    assert parsed.from_name == "Mehmet Güneş"
    assert parsed.subject == "Proje bütçesinde personel giderleri"
    assert "personel giderlerini hangi kalemde göstermeliyiz?" in parsed.text
    assert "şablon (https://ornek.org.tr/butce.xlsx)" in parsed.text
    assert "alert" not in parsed.text
    assert "MsoNormal" not in parsed.text
    html = parsed.html_sanitised
    assert "<b>proje bütçesi</b>" in html
    for unsafe in ("<script", "onclick", "<style", "tracker.example", "<img"):
        assert unsafe not in html


def test_gmail_reply_in_turkish_keeps_the_quote_in_the_text_for_strip_quoted() -> None:
    parsed = parse(mail("05-gmail-reply-turkish.eml"))
    assert parsed.token == "DN-7HQ3ZP"
    assert parsed.text.startswith("Teşekkürler, bilgiler çok işimize yaradı.")
    assert "> Genel kurul çağrısı en az 15 gün önce yapılmalıdır." in parsed.text
    assert parsed.html_sanitised  # the HTML alternative is kept, sanitised
    assert parsed.attachments == ()  # the HTML alternative is not an attachment


def test_outlook_reply_subject_with_turkish_prefix_keeps_the_token() -> None:
    parsed = parse(mail("06-outlook-reply-kimden.eml"))
    assert parsed.subject == "YNT: [#DN-4MW8KD] Bağış makbuzu örneği"
    assert parsed.token == "DN-4MW8KD"
    assert "Kimden: Destek Noktası" in parsed.text


def test_auto_submitted_auto_replied_is_an_auto_reply() -> None:
    parsed = parse(mail("07-auto-submitted-auto-replied.eml"))
    assert parsed.is_auto_reply
    assert not parsed.is_bounce
    assert parsed.token == "DN-9RT2LC"


def test_out_of_office_with_x_autoreply_is_an_auto_reply() -> None:
    parsed = parse(mail("08-out-of-office-x-autoreply.eml"))
    assert parsed.is_auto_reply
    assert not parsed.is_bounce


def test_mailer_daemon_report_is_a_bounce_with_the_original_attached() -> None:
    parsed = parse(mail("09-bounce-mailer-daemon.eml"))
    assert parsed.is_bounce
    assert parsed.is_auto_reply
    assert "User unknown" in parsed.text
    [original] = parsed.attachments
    assert original.content_type == "message/rfc822"
    assert b"[#DN-8PL4VW]" in original.data


def test_attachment_types_are_sniffed_not_trusted_and_names_decoded() -> None:
    parsed = parse(mail("10-attachments-pdf-and-exe.eml"))
    assert parsed.subject == "Faaliyet raporu ve fatura"
    pdf, exe = parsed.attachments
    assert pdf.filename == "Faaliyet raporu 2023 çalışma.pdf"
    assert pdf.content_type == "application/pdf"  # declared application/octet-stream
    assert pdf.size == len(pdf.data)
    assert pdf.data.startswith(b"%PDF-")
    assert not pdf.is_executable
    assert exe.filename == "fatura.pdf.exe"  # the ..\..\ path is gone
    assert exe.content_type == "application/x-msdownload"  # declared application/pdf
    assert exe.is_executable


def test_truncated_message_is_unreadable_with_the_reason() -> None:
    with pytest.raises(UnreadableMail) as caught:
        parse(mail("11-truncated.eml"))
    assert "truncated" in caught.value.reason


def test_unlabelled_8bit_turkish_is_repaired() -> None:
    parsed = parse(mail("12-unlabelled-8bit-windows-1254.eml"))
    assert parsed.from_name == "Gülşen Işık"
    assert parsed.subject == "Üyelik aidatı makbuzu"
    assert parsed.text.endswith("Teşekkürler. Gülşen Işık")


def test_turkish_text_mislabelled_latin_1_is_repaired() -> None:
    parsed = parse(mail("13-latin1-label-on-turkish-text.eml"))
    assert parsed.subject == "Başvuru tarihi"
    assert "Şirketimizin sosyal sorumluluk fonu için başvuru" in parsed.text


def test_a_message_over_the_size_limit_is_unreadable() -> None:
    raw = mail("01-iso-8859-9-quoted-printable.eml")
    with pytest.raises(UnreadableMail) as caught:
        parse(raw, max_bytes=len(raw) - 1)
    assert "larger" in caught.value.reason
    assert parse(raw, max_bytes=len(raw)).from_address


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        (b"", "empty"),
        (b"  \r\n\r\n", "empty"),
        (b"just some words\nwithout any header\n", "no headers"),
        (b"Subject: hello\r\n\r\nbody\r\n", "no sender"),
    ],
)
def test_garbage_is_unreadable_with_a_reason(raw: bytes, reason: str) -> None:
    with pytest.raises(UnreadableMail) as caught:
        parse(raw)
    assert reason in caught.value.reason


def test_subject_alone_does_not_make_an_auto_reply() -> None:
    raw = b"From: a@b.org\r\nSubject: Out of Office: question\r\n\r\nA real question.\r\n"
    assert not parse(raw).is_auto_reply
    hinted = b"X-Auto-Response-Suppress: All\r\n" + raw
    assert parse(hinted).is_auto_reply


@pytest.mark.parametrize(
    "header",
    [
        b"Precedence: bulk",
        b"Precedence: junk",
        b"Auto-Submitted: auto-generated",
        b"X-Autorespond: yes",
        b"Return-Path: <>",
    ],
)
def test_machine_headers_make_an_auto_reply(header: bytes) -> None:
    raw = header + b"\r\nFrom: a@b.org\r\nSubject: Hello\r\n\r\nbody\r\n"
    assert parse(raw).is_auto_reply


def test_auto_submitted_no_is_a_person() -> None:
    raw = b"Auto-Submitted: no\r\nFrom: a@b.org\r\nSubject: Hello\r\n\r\nbody\r\n"
    assert not parse(raw).is_auto_reply


def test_token_pattern_is_configurable() -> None:
    import re

    raw = b"From: a@b.org\r\nSubject: Re: (AB/12345) rapor\r\n\r\nbody\r\n"
    assert parse(raw).token == ""
    assert parse(raw, token_pattern=re.compile(r"\((AB/\d+)\)")).token == "AB/12345"


def test_sniff_recognises_office_files_from_their_zip_contents() -> None:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    assert sniff(buffer.getvalue(), "x.zip").endswith("wordprocessingml.document")
    assert sniff(b"PK\x03\x04broken") == "application/zip"
    assert sniff(b"\x00\x01\x02") == "application/octet-stream"


def outcome(raw: bytes) -> str:
    """What parse did; any other exception than UnreadableMail propagates and fails the test."""
    try:
        parse(raw)
    except UnreadableMail as exc:
        return "unreadable with a reason" if exc.reason else "unreadable without a reason"
    return "parsed"


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes_never_raise_anything_but_unreadable_mail(raw: bytes) -> None:
    assert outcome(raw) in {"parsed", "unreadable with a reason"}


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400), st.integers(min_value=0, max_value=6000))
def test_mangled_real_messages_never_crash(noise: bytes, at: int) -> None:
    raw = mail("10-attachments-pdf-and-exe.eml")
    at = at % len(raw)
    assert outcome(raw[:at] + noise + raw[at + len(noise) :]) in {
        "parsed",
        "unreadable with a reason",
    }
