"""Calls entered by editors: a pasted address, pasted text or an uploaded file, each kept as a raw
item of the "Entered by editors" source before it is read, with a clear error when it cannot be."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pypdf import PdfWriter

from kaynak.accounts.models import Role
from kaynak.accounts.tests.factories import StaffFactory
from kaynak.core.audit import history_for
from kaynak.radar import manual
from kaynak.radar.demo_site import serve_demo_site
from kaynak.radar.fetching import Fetcher
from kaynak.radar.models import OpportunityStatus, RawItem, RawOutcome, RawRole, SourceKind
from kaynak.radar.scanning import reextract
from kaynak.radar.services import RadarError, manual_source

pytestmark = pytest.mark.django_db

CORPUS = Path(__file__).parent / "corpus"
TEXT = """Gençlik Çalışmaları Hibe Programı 2027

Gençlik dernekleri ve vakıflarına yönelik hibe programı başvuruya açılmıştır.
Azami destek tutarı: 80.000 TL
Son başvuru tarihi: 14 Mayıs 2027
"""


@pytest.fixture
def editor() -> Any:
    return StaffFactory.create(roles=[Role.RADAR_EDITOR])


@pytest.fixture
def fetcher() -> Iterator[Fetcher]:
    with Fetcher(host_delay=0, retries=0, allow_loopback=True) as chosen:
        yield chosen


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def blank_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_pasted_text_becomes_a_draft_kept_as_an_editors_raw_item(editor: Any) -> None:
    result = manual.enter_text(actor=editor, text=TEXT, url="https://genc.example.org/hibe")

    call = result.opportunity
    assert result.outcome == "new"
    assert call.status == OpportunityStatus.DRAFT
    assert call.title == "Gençlik Çalışmaları Hibe Programı 2027"
    assert str(call.deadline_date) == "2027-05-14"
    assert call.amount_max == 80000
    raw = RawItem.objects.get(opportunity=call)
    assert (raw.role, raw.outcome, raw.source.kind) == (RawRole.MANUAL, RawOutcome.NEW, "manual")
    assert raw.source == manual_source()
    assert bytes(raw.body).decode() == TEXT.strip()
    assert "kaynak.radar.manual.entered" in [entry.action for entry in history_for(call)]


def test_empty_text_is_refused_and_nothing_is_kept(editor: Any) -> None:
    with pytest.raises(RadarError) as refused:
        manual.enter_text(actor=editor, text="  \n ")

    assert refused.value.code == "empty"
    assert not RawItem.objects.exists()


def test_a_pasted_address_is_fetched_through_the_guard_and_read(
    editor: Any, fetcher: Fetcher, settings: Any
) -> None:
    settings.RADAR_ALLOW_LOOPBACK = True
    with serve_demo_site() as base_url:
        url = f"{base_url}/kuzey-ege-ajansi/destekler/turizm-altyapi-2027.html"
        result = manual.enter_url(actor=editor, url=url, fetcher=fetcher)

    assert result.opportunity.title == "Kırsal Turizm Altyapısı Mali Destek Programı"
    assert str(result.opportunity.deadline_date) == "2027-03-12"
    assert RawItem.objects.get(opportunity=result.opportunity).status_code == 200


def test_an_unreachable_address_says_why_and_keeps_the_failed_fetch(
    editor: Any, fetcher: Fetcher, settings: Any
) -> None:
    settings.RADAR_ALLOW_LOOPBACK = True
    with serve_demo_site() as base_url, pytest.raises(RadarError) as refused:
        manual.enter_url(actor=editor, url=f"{base_url}/yok.html", fetcher=fetcher)

    assert str(refused.value.message) == "The address could not be read (http error: 404)."
    raw = RawItem.objects.get()
    assert (raw.outcome, raw.fetch_error, raw.status_code) == (RawOutcome.FAILED, "http error", 404)


def test_an_address_inside_the_network_is_refused(editor: Any, fetcher: Fetcher) -> None:
    guarded = Fetcher(host_delay=0, retries=0, allow_loopback=False)

    with pytest.raises(RadarError) as refused:
        manual.enter_url(
            actor=editor, url="http://169.254.169.254/latest/meta-data/", fetcher=guarded
        )

    assert "blocked address" in str(refused.value.message)


def test_an_uploaded_pdf_is_read_whatever_its_name_says(editor: Any) -> None:
    data = (CORPUS / "024-ajans-pdf-turizm.pdf").read_bytes()

    result = manual.enter_file(actor=editor, uploaded=upload("duyuru.txt", data))

    raw = RawItem.objects.get(opportunity=result.opportunity)
    assert raw.content_type == "application/pdf"
    assert raw.listed["file_name"] == "duyuru.txt"
    assert result.opportunity.deadline_date is not None


def test_a_scanned_pdf_without_text_is_kept_and_the_error_says_so(editor: Any) -> None:
    with pytest.raises(RadarError) as refused:
        manual.enter_file(actor=editor, uploaded=upload("tarama.pdf", blank_pdf()))

    assert refused.value.code == "no_text"
    assert "no text layer" in str(refused.value.message)
    raw = RawItem.objects.get()
    assert raw.outcome == RawOutcome.NO_TEXT
    assert bytes(raw.body).startswith(b"%PDF")


@pytest.mark.parametrize(
    "content",
    [b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, b"PK\x03\x04" + b"\x00" * 64, bytes(range(256)) * 4],
    ids=["image", "word-file", "binary"],
)
def test_files_that_are_not_announcements_are_refused(editor: Any, content: bytes) -> None:
    with pytest.raises(RadarError) as refused:
        manual.enter_file(actor=editor, uploaded=upload("duyuru.pdf", content))

    assert refused.value.code == "unsupported"
    assert not RawItem.objects.exists()


def test_a_file_over_ten_megabytes_is_refused(editor: Any) -> None:
    big = b"a" * (10 * 1024 * 1024 + 1)

    with pytest.raises(RadarError) as refused:
        manual.enter_file(actor=editor, uploaded=upload("buyuk.txt", big))

    assert refused.value.code == "too_large"


def test_an_html_upload_in_windows_1254_reads_as_turkish(editor: Any) -> None:
    html = (
        "<html><head><meta charset='windows-1254'></head><body><h1>Engelli Hakları Hibesi</h1>"
        "<p>Uygun başvuru sahipleri: dernekler ve vakıflar.</p>"
        "<p>Son başvuru tarihi: 2 Haziran 2027</p></body></html>"
    ).encode("cp1254")

    result = manual.enter_file(actor=editor, uploaded=upload("ilan.html", html))

    assert result.opportunity.title == "Engelli Hakları Hibesi"
    assert str(result.opportunity.deadline_date) == "2027-06-02"


def test_editors_entries_are_read_again_by_reextract(editor: Any) -> None:
    first = manual.enter_text(actor=editor, text=TEXT)

    counts = reextract(source=manual_source())

    assert counts == {"new": 0, "updated": 0, "unchanged": 1, "failed": 0}
    assert manual_source().kind == SourceKind.MANUAL
    assert RawItem.objects.get().opportunity == first.opportunity
