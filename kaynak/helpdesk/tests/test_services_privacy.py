"""A requester's data in their export, and erased while the request and its delivery stay."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kaynak.accounts.models import Role
from kaynak.accounts.tests.factories import StaffFactory
from kaynak.directory.privacy import person_data_export, person_erase
from kaynak.helpdesk import services
from kaynak.helpdesk.models import Attachment, Direction, RawMail, Request
from kaynak.helpdesk.services import Requester, Upload
from kaynak.helpdesk.tests.factories import agent, support_queue
from kaynak.ledger.models import Delivery

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture(autouse=True)
def _files_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.HELPDESK_FILES_DIR = tmp_path / "helpdesk-files"


def zeyneps_request() -> Request:
    request = services.submit_request(
        queue=support_queue(),
        subject="Zeynep Çelik'in vakıf sorusu",
        body="Ben Zeynep Çelik, vakfımızın senedi hakkında soruyorum.",
        requester=Requester(full_name="Zeynep Çelik", email="zeynep@ornek.org.tr"),
        attachments=[Upload("senet.pdf", PDF)],
    )
    services.reply(
        request=request, actor=agent(), body="Merhaba Zeynep Çelik, bakıyoruz.", resolve=True
    )
    return request


def test_the_export_lists_the_persons_requests_and_messages() -> None:
    request = zeyneps_request()
    assert request.requester is not None
    data = person_data_export(person=request.requester, actor=None)
    [exported] = data["support_requests"]["requests"]
    assert exported["code"] == request.token
    assert any("vakfımızın senedi" in m["text"] for m in exported["messages"])
    assert exported["messages"][0]["attachments"] == ["senet.pdf"]


def test_erasure_anonymises_the_messages_but_keeps_the_request_and_its_delivery() -> None:
    request = zeyneps_request()
    person = request.requester
    assert person is not None
    services.receive_mail(
        b"From: Zeynep <zeynep@ornek.org.tr>\r\nTo: destek@kaynak.example\r\n"
        b"Subject: Re: [#" + request.token.encode() + b"] soru\r\n\r\nBir sorum daha var.\r\n"
    )
    path = Path(Attachment.objects.get().file.path)
    person_erase(person=person, actor=StaffFactory.create(roles=[Role.CENTER_ADMIN]))
    request.refresh_from_db()
    assert request.requester_email == ""
    assert request.requester_name == ""
    assert "Zeynep" not in request.subject
    assert set(request.messages.filter(direction=Direction.IN).values_list("body", flat=True)) == {
        "[erased]"
    }
    answer = request.messages.filter(direction=Direction.OUT, is_automatic=False).get()
    assert "Zeynep" not in answer.body
    assert "bakıyoruz" in answer.body
    assert not Attachment.objects.exists()
    assert not path.exists()
    assert not RawMail.objects.exists()
    assert (
        Delivery.objects.filter(source_id=str(request.pk), withdrawn_at__isnull=True).count() == 1
    )
