"""A request logged by an agent from a call, the attachment download (agents and the requester
only), the quarantine of mails that made no request, and the public form's prefill for a
member."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from selectolax.lexbor import LexborHTMLParser as HTMLParser
from selectolax.lexbor import LexborNode

from kaynak.accounts.models import Role, User
from kaynak.accounts.tests.factories import StaffFactory, UserFactory
from kaynak.accounts.tests.helpers import url
from kaynak.directory.models import ConsentRecord
from kaynak.directory.tests.factories import (
    AffiliationFactory,
    OrganisationFactory,
    PersonFactory,
    province,
)
from kaynak.helpdesk import attachments, services
from kaynak.helpdesk.forms import STAFF_CONSENT_SOURCE
from kaynak.helpdesk.models import (
    Attachment,
    Channel,
    Direction,
    InternalNote,
    Queue,
    RawMail,
    RawMailStatus,
    Request,
    RequestStatus,
)
from kaynak.helpdesk.tests.factories import (
    MessageFactory,
    RequestFactory,
    agent,
    category,
    eu_queue,
    support_queue,
)
from kaynak.ledger.models import Delivery

pytestmark = pytest.mark.django_db


def one(html: Any, selector: str) -> LexborNode:
    """The one element ``selector`` finds in a page (text or parsed) or a node; it must exist."""
    root = HTMLParser(html) if isinstance(html, str) else html
    node = root.css_first(selector)
    assert node is not None, selector
    return node


PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"


@pytest.fixture(autouse=True)
def _files_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.HELPDESK_FILES_DIR = tmp_path / "helpdesk-files"


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


# A request logged from a call -------------------------------------------------------------------


def phoned(**overrides: Any) -> dict[str, Any]:
    data = {
        "queue": support_queue().pk,
        "category": category("finance-tax").pk,
        "channel": Channel.PHONE,
        "subject": "Bağış makbuzu",
        "body": "Bağış makbuzunu nasıl düzenleriz?",
        "full_name": "Hasan Demir",
        "email": "hasan@yesil-vadi.org.tr",
        "phone": "0532 111 22 33",
        "organisation_name": "Yeşil Vadi Derneği",
        "organisation_province": province(6).pk,
        "language": "tr",
        "consent": "on",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize("language", ["tr", "en"])
def test_an_agent_logs_a_phone_request_with_the_oral_consent(
    language: str, django_capture_on_commit_callbacks: Any
) -> None:
    me = agent()
    client = logged_in(me)
    form = client.get(url("helpdesk:staff-request-new", language=language))
    assert form.status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("helpdesk:staff-request-new", language=language), phoned())
    request = Request.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("helpdesk:staff-request", request.token, language=language)
    assert request.channel == Channel.PHONE
    assert request.organisation is not None
    assert request.organisation.name == "Yeşil Vadi Derneği"
    assert request.requester is not None
    message = request.messages.get(direction=Direction.IN)
    assert message.author == me
    assert message.via == Channel.PHONE
    consent = ConsentRecord.objects.get(person=request.requester)
    assert consent.source == STAFF_CONSENT_SOURCE
    assert [m.to for m in mail.outbox] == [["hasan@yesil-vadi.org.tr"]]


def test_a_logged_request_resolves_into_one_delivery_like_any_other() -> None:
    me = agent()
    client = logged_in(me)
    client.post(url("helpdesk:staff-request-new"), phoned(channel=Channel.IN_PERSON))
    request = Request.objects.get()
    client.post(url("helpdesk:staff-request-action", request.token, "resolve"))
    request.refresh_from_db()
    assert request.status == RequestStatus.RESOLVED
    delivery = Delivery.objects.get(organisation=request.organisation)
    assert delivery.kind.slug == "support"


def test_without_consent_nothing_is_logged_and_the_typed_text_stays() -> None:
    client = logged_in(agent())
    response = client.post(url("helpdesk:staff-request-new", language="en"), phoned(consent=""))
    assert response.status_code == 400
    page = HTMLParser(response.text)
    assert page.css_first("#id_consent_error") is not None
    assert one(page, "textarea[name=body]").text() == "Bağış makbuzunu nasıl düzenleriz?"
    assert not Request.objects.exists()


def test_an_agent_can_log_only_into_their_own_queues() -> None:
    client = logged_in(agent())
    response = client.post(
        url("helpdesk:staff-request-new"),
        phoned(queue=eu_queue().pk, category=category("eu-grant-rules", eu_queue()).pk),
    )
    assert response.status_code == 400
    assert not Request.objects.exists()


# Attachments ------------------------------------------------------------------------------------


def download(client: Client, pk: int) -> tuple[Any, bytes]:
    """The response and its bytes, read to the end: that closes the file (and, through the
    test client, without closing the database connection as ``response.close()`` would)."""
    response = client.get(url("helpdesk:attachment", pk))
    if not response.streaming:
        return response, response.content
    streamed: Any = response  # a FileResponse, which the test client's type does not know
    return response, b"".join(streamed.streaming_content)


def attachment_of(request: Request, name: str = "Tüzük taslağı.pdf") -> Attachment:
    message = MessageFactory.create(request=request)
    return attachments.store(name=name, data=PDF, content_type="application/pdf", message=message)


def test_an_agent_of_the_queue_downloads_an_attachment_with_safe_headers() -> None:
    request = RequestFactory.create()
    attachment = attachment_of(request)
    response, body = download(logged_in(agent()), attachment.pk)
    assert response.status_code == 200
    assert body == PDF
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''T%C3%BCz%C3%BCk%20tasla%C4%9F%C4%B1.pdf" in disposition
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"


def test_an_attachment_stored_as_html_is_never_served_as_a_page() -> None:
    request = RequestFactory.create()
    message = MessageFactory.create(request=request)
    stored = attachments.store(
        name="sayfa.html", data=b"<script>1</script>", content_type="text/html", message=message
    )
    response, _body = download(logged_in(agent()), stored.pk)
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")


def test_who_may_download_an_attachment() -> None:
    member = UserFactory.create()
    person = PersonFactory.create(user=member, emails=[member.email])
    request = RequestFactory.create(requester=person, requester_email=member.email)
    on_message = attachment_of(request)
    note = InternalNote.objects.create(request=request, body="İç not")
    on_note = attachments.store(
        name="ic-not.pdf", data=PDF, content_type="application/pdf", note=note
    )
    cases = [
        (agent(), on_message, 200),
        (agent(), on_note, 200),
        (StaffFactory.create(roles=[Role.CENTER_ADMIN]), on_note, 200),
        (member, on_message, 200),
        (member, on_note, 404),
        (agent(queue=eu_queue()), on_message, 404),
        (UserFactory.create(), on_message, 404),
        (StaffFactory.create(roles=[Role.PROGRAMME_COORDINATOR]), on_message, 404),
    ]
    for user, attachment, status in cases:
        response, _body = download(logged_in(user), attachment.pk)
        assert response.status_code == status, (user.email, attachment.name)
    assert logged_in(agent()).get(url("helpdesk:attachment", 999999)).status_code == 404
    anonymous = Client().get(url("helpdesk:attachment", on_message.pk))
    assert anonymous.status_code == 302


# The quarantine ---------------------------------------------------------------------------------


def a_mail(subject: str = "Vakıf senedi değişikliği") -> bytes:
    message = EmailMessage()
    message["From"] = "Zeynep Çelik <zeynep@kadin-dayanisma.org.tr>"
    message["To"] = "destek@kaynak.example"
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="kadin-dayanisma.org.tr")
    message.set_content("Vakıf senedimizi değiştirmek istiyoruz.\n<b>kalın değil</b>")
    return message.as_bytes()


def quarantined() -> RawMail:
    """A mail quarantined because no queue took mail then."""
    Queue.objects.update(is_active=False)
    raw = services.receive_mail(a_mail())
    Queue.objects.update(is_active=True)
    assert raw.status == RawMailStatus.QUARANTINED
    return raw


@pytest.mark.parametrize("language", ["tr", "en"])
def test_the_quarantine_lists_the_kept_mails_with_their_reason(language: str) -> None:
    raw = quarantined()
    processed = services.receive_mail(a_mail("Başka bir soru"))
    assert processed.status == RawMailStatus.PROCESSED
    client = logged_in(agent())
    listing = client.get(url("helpdesk:staff-quarantine", language=language))
    assert listing.status_code == 200
    assert "Vakıf senedi değişikliği" in listing.text
    assert "Başka bir soru" not in listing.text
    assert raw.reason in listing.text
    detail = client.get(url("helpdesk:staff-quarantined-mail", raw.pk, language=language))
    assert detail.status_code == 200
    assert "zeynep@kadin-dayanisma.org.tr" in detail.text
    assert "&lt;b&gt;kalın değil&lt;/b&gt;" in detail.text  # the mail's text, escaped


def test_trying_a_quarantined_mail_again_files_it_into_a_request() -> None:
    raw = quarantined()
    response = logged_in(agent()).post(
        url("helpdesk:staff-quarantined-mail", raw.pk), {"retry": "1"}
    )
    raw.refresh_from_db()
    assert raw.status == RawMailStatus.PROCESSED
    assert raw.request is not None
    assert response["Location"] == url("helpdesk:staff-request", raw.request.token)
    assert raw.request.messages.get(direction=Direction.IN).raw_message == raw
    assert RawMail.objects.count() == 1  # still one row for one mail


def test_a_mail_that_still_cannot_be_filed_stays_in_quarantine_with_why() -> None:
    raw = quarantined()
    Queue.objects.update(is_active=False)
    response = logged_in(agent()).post(
        url("helpdesk:staff-quarantined-mail", raw.pk, language="en"), {"retry": "1"}
    )
    assert response.status_code == 400
    assert HTMLParser(response.text).css_first(".errorlist") is not None
    raw.refresh_from_db()
    assert raw.status == RawMailStatus.QUARANTINED
    assert not Request.objects.exists()
    assert RawMail.objects.count() == 1


def test_discarding_keeps_the_mail_but_takes_it_off_the_list() -> None:
    raw = quarantined()
    client = logged_in(agent())
    client.post(url("helpdesk:staff-quarantined-mail", raw.pk), {"discard": "1"})
    assert RawMail.objects.filter(pk=raw.pk, status=RawMailStatus.QUARANTINED).exists()
    assert "Vakıf senedi değişikliği" not in client.get(url("helpdesk:staff-quarantine")).text


# The public form's prefill ----------------------------------------------------------------------


def member_of(*organisations: Any) -> User:
    member = UserFactory.create(full_name="Elif Şahin")
    person = PersonFactory.create(user=member, emails=[member.email], full_name="Elif Şahin")
    for organisation in organisations:
        AffiliationFactory.create(person=person, organisation=organisation)
    return member


def test_a_member_finds_their_name_address_and_organisation_filled_in() -> None:
    organisation = OrganisationFactory.create(name="Göç İzleme Derneği")
    member = member_of(organisation)
    page = HTMLParser(logged_in(member).get(url("helpdesk:home")).text)
    assert one(page, "input[name=full_name]").attributes["value"] == "Elif Şahin"
    assert one(page, "input[name=email]").attributes["value"] == member.email
    chosen = page.css_first("select[name=organisation] option[selected]")
    assert chosen is not None
    assert chosen.text() == "Göç İzleme Derneği"


def test_a_member_of_several_organisations_chooses_one_and_the_request_is_for_it(
    django_capture_on_commit_callbacks: Any,
) -> None:
    first = OrganisationFactory.create(name="Göç İzleme Derneği")
    second = OrganisationFactory.create(name="Kent Bostanları Vakfı")
    member = member_of(first, second)
    client = logged_in(member)
    page = HTMLParser(client.get(url("helpdesk:home")).text)
    options = [o.text() for o in page.css("select[name=organisation] option")]
    assert "Göç İzleme Derneği" in options
    assert "Kent Bostanları Vakfı" in options
    client.post(
        url("helpdesk:home"),
        {
            "queue": support_queue().pk,
            "subject": "Vakıf senedi",
            "body": "Senet değişikliği nasıl olur?",
            "full_name": "Elif Şahin",
            "email": member.email,
            "organisation": second.pk,
            "consent": "on",
        },
    )
    assert Request.objects.get().organisation == second


def test_a_member_cannot_send_for_an_organisation_they_do_not_belong_to() -> None:
    mine = OrganisationFactory.create(name="Göç İzleme Derneği")
    other = OrganisationFactory.create(name="Başka Dernek")
    member = member_of(mine)
    response = logged_in(member).post(
        url("helpdesk:home"),
        {
            "queue": support_queue().pk,
            "subject": "Vakıf senedi",
            "body": "Senet değişikliği nasıl olur?",
            "full_name": "Elif Şahin",
            "email": member.email,
            "organisation": other.pk,
            "consent": "on",
        },
    )
    assert response.status_code == 200
    assert not Request.objects.exists()


def test_a_visitor_sees_no_organisation_select() -> None:
    page = HTMLParser(Client().get(url("helpdesk:home")).text)
    assert page.css_first("select[name=organisation]") is None
