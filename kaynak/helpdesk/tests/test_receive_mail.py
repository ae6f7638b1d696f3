"""receive_mail with real RFC 822 messages: new requests, threading by headers and by the code
in the subject, reopening, auto-replies and loops, quarantine, attachments, spam."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from typing import Any

import pytest
from django.core import mail

from kaynak.directory.tests.factories import PersonFactory
from kaynak.helpdesk import services
from kaynak.helpdesk.models import (
    Channel,
    Direction,
    Message,
    RawMail,
    RawMailStatus,
    Request,
    RequestStatus,
)
from kaynak.helpdesk.services import Requester
from kaynak.helpdesk.tests.factories import RequestFactory, agent, eu_queue, support_queue

pytestmark = pytest.mark.django_db

MAILS = Path(__file__).parent / "mails"


@pytest.fixture(autouse=True)
def _files_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.HELPDESK_FILES_DIR = tmp_path / "helpdesk-files"


def eml(name: str) -> bytes:
    return (MAILS / name).read_bytes()


def compose(
    *,
    sender: str = "Zeynep Çelik <zeynep@kadin-dayanisma.org.tr>",
    to: str = "destek@kaynak.example",
    subject: str = "Vakıf senedi değişikliği",
    body: str = "Vakıf senedimizi değiştirmek istiyoruz.",
    **headers: str,
) -> bytes:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="kadin-dayanisma.org.tr")
    for name, value in headers.items():
        message[name.replace("_", "-")] = value
    message.set_content(body)
    return message.as_bytes()


def web_request() -> Request:
    return services.submit_request(
        queue=support_queue(),
        subject="Genel kurul çağrısı",
        body="Genel kurulu ne zaman ilan etmeliyiz?",
        requester=Requester(full_name="Zeynep Çelik", email="zeynep@kadin-dayanisma.org.tr"),
    )


def test_a_new_mail_in_turkish_encoding_becomes_a_request_with_a_confirmation(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        raw = services.receive_mail(eml("01-iso-8859-9-quoted-printable.eml"))
    assert raw.status == RawMailStatus.PROCESSED
    request = raw.request
    assert request is not None
    assert request.channel == Channel.EMAIL
    assert request.queue == support_queue()  # the default queue
    assert request.requester is not None
    assert request.requester.emails == ["ayse.yilmaz@cagdasgenclik.org.tr"]
    incoming = request.messages.get(direction=Direction.IN)
    assert incoming.raw_message == raw
    assert bytes(raw.data) == eml("01-iso-8859-9-quoted-printable.eml")
    [confirmation] = mail.outbox
    assert confirmation.to == ["ayse.yilmaz@cagdasgenclik.org.tr"]
    assert f"[#{request.token}]" in confirmation.subject


def test_mail_to_a_queues_address_lands_in_that_queue() -> None:
    queue = eu_queue()
    queue.email = "ab@kaynak.example"
    queue.save()
    raw = services.receive_mail(compose(to="AB Destek <ab@kaynak.example>"))
    assert raw.request is not None
    assert raw.request.queue == queue
    assert raw.request.token.startswith("AB-")


def test_a_reply_threads_by_in_reply_to_and_its_quoted_history_is_kept_apart() -> None:
    request = web_request()
    ours = request.messages.get(direction=Direction.OUT)
    body = (
        "Teşekkürler, anladım.\n\n"
        "5 Haz 2024 Çar, 11:20 tarihinde Destek Noktası <destek@kaynak.example> şunu yazdı:\n"
        "> Genel kurul çağrısı en az 15 gün önce yapılmalıdır.\n"
    )
    data = compose(subject="Re: Genel kurul çağrısı", body=body, In_Reply_To=ours.message_id)
    raw = services.receive_mail(data)
    assert raw.request == request
    reply = Message.objects.filter(raw_message=raw).get()
    assert reply.body == "Teşekkürler, anladım."
    assert "15 gün önce" in reply.quoted
    assert bytes(raw.data) == data  # the raw message keeps the history too
    assert Request.objects.count() == 1


def test_a_reply_threads_by_the_code_in_the_subject_when_the_headers_are_unknown() -> None:
    request = RequestFactory.create(token="DN-2K7F9Q")
    raw = services.receive_mail(eml("03-utf8-token-reply.eml"))
    assert raw.request == request
    assert "KDV istisnası" in request.messages.get(direction=Direction.IN).body


def test_a_requester_reply_reopens_a_resolved_request_and_keeps_one_delivery() -> None:
    request = RequestFactory.create(token="DN-7HQ3ZP")
    services.resolve(request=request, actor=agent(), notify=False)
    services.receive_mail(eml("05-gmail-reply-turkish.eml"))
    request.refresh_from_db()
    assert request.status == RequestStatus.OPEN
    assert request.resolved_at is None
    message = request.messages.get(direction=Direction.IN)
    assert "denetim kurulu raporunu" in message.body
    assert "15 gün" not in message.body
    assert "15 gün" in message.quoted
    services.resolve(request=request, actor=agent(), notify=False)
    from kaynak.ledger.models import Delivery

    assert Delivery.objects.filter(source_id=str(request.pk)).count() == 1


def test_a_requester_reply_resumes_a_waiting_request() -> None:
    request = web_request()
    services.reply(request=request, actor=agent(), body="Tüzüğü gönderir misiniz?", wait=True)
    services.receive_mail(compose(subject=f"Re: [#{request.token}] Genel kurul", body="Ekte."))
    request.refresh_from_db()
    assert request.status == RequestStatus.OPEN
    assert request.resolution_due is not None


def test_a_reply_to_a_closed_request_starts_a_new_one() -> None:
    request = web_request()
    services.close(request=request)
    raw = services.receive_mail(compose(subject=f"Re: [#{request.token}] Genel kurul"))
    assert raw.request is not None
    assert raw.request != request


@pytest.mark.parametrize(
    "name",
    [
        "07-auto-submitted-auto-replied.eml",
        "08-out-of-office-x-autoreply.eml",
        "09-bounce-mailer-daemon.eml",
    ],
)
def test_auto_replies_and_bounces_are_kept_but_make_no_request_and_get_no_answer(
    name: str, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        raw = services.receive_mail(eml(name))
    assert raw.status == RawMailStatus.IGNORED_AUTO
    assert raw.request is None
    assert not Request.objects.exists()
    assert mail.outbox == []


def test_mail_from_the_desk_itself_is_a_loop() -> None:
    queue = support_queue()
    queue.email = "destek@kaynak.example"
    queue.save()
    raw = services.receive_mail(compose(sender="Destek Noktası <destek@kaynak.example>"))
    assert raw.status == RawMailStatus.IGNORED_LOOP
    looped = services.receive_mail(compose(X_Kaynak_Request="DN-2K7F9Q"))
    assert looped.status == RawMailStatus.IGNORED_LOOP
    assert not Request.objects.exists()


def test_a_flood_from_one_address_is_cut_and_automatic_answers_are_capped(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.HELPDESK_MAX_MAILS_PER_HOUR = 3
    settings.HELPDESK_MAX_AUTO_REPLIES_PER_HOUR = 2
    with django_capture_on_commit_callbacks(execute=True):
        statuses = [services.receive_mail(compose(subject=f"Soru {n}")).status for n in range(4)]
    assert statuses == [RawMailStatus.PROCESSED] * 3 + [RawMailStatus.IGNORED_LOOP]
    assert len(mail.outbox) == 2


@pytest.mark.parametrize(
    "raw", [eml("11-truncated.eml"), b"\x00\x01\x02garbage", b"no headers at all\n"]
)
def test_unreadable_mail_is_quarantined_with_the_reason_never_lost(raw: bytes) -> None:
    kept = services.receive_mail(raw)
    assert kept.status == RawMailStatus.QUARANTINED
    assert kept.reason
    assert bytes(RawMail.objects.get().data) == raw
    assert not Request.objects.exists()


def test_a_dangerous_attachment_is_refused_by_its_bytes_and_the_sender_told_why(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        raw = services.receive_mail(eml("10-attachments-pdf-and-exe.eml"))
    message = Message.objects.get(raw_message=raw)
    [kept] = message.attachments.all()
    assert kept.content_type == "application/pdf"
    assert [refused["name"] for refused in message.refused_attachments] == ["fatura.pdf.exe"]
    refusal = [sent for sent in mail.outbox if "fatura.pdf.exe" in sent.body]
    assert len(refusal) == 1
    assert refusal[0].to == ["osman@koydestek.org"]


def test_mail_from_an_address_marked_as_spam_is_ignored() -> None:
    raw = services.receive_mail(compose())
    assert raw.request is not None
    services.mark_spam(request=raw.request, actor=agent())
    again = services.receive_mail(compose(subject="Yine ben"))
    assert again.status == RawMailStatus.IGNORED_SPAM
    assert Request.objects.count() == 1


def test_the_same_mail_delivered_twice_is_filed_once() -> None:
    data = compose()
    first = services.receive_mail(data)
    second = services.receive_mail(data)
    assert second.request == first.request
    assert Message.objects.filter(direction=Direction.IN).count() == 1


def test_a_known_sender_is_matched_to_their_directory_record() -> None:
    person = PersonFactory.create(
        full_name="Zeynep Çelik", emails=["zeynep@kadin-dayanisma.org.tr"]
    )
    raw = services.receive_mail(compose())
    assert raw.request is not None
    assert raw.request.requester == person
