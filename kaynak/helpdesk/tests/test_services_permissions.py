"""Who may see and answer requests, manage queues, read reports and open attachments."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from kaynak.accounts.models import Role
from kaynak.accounts.tests.factories import StaffFactory, UserFactory
from kaynak.core.permissions import can
from kaynak.directory.tests.factories import PersonFactory
from kaynak.helpdesk import services
from kaynak.helpdesk.models import Direction
from kaynak.helpdesk.services import Requester, Upload
from kaynak.helpdesk.tests.factories import agent, eu_queue, support_queue

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture(autouse=True)
def _files_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.HELPDESK_FILES_DIR = tmp_path / "helpdesk-files"


def test_agents_answer_requests_of_their_own_queue_only() -> None:
    support_agent, eu_agent = agent(), agent(queue=eu_queue())
    admin = StaffFactory.create(roles=[Role.CENTER_ADMIN])
    assert can(support_agent, "helpdesk.answer_requests", support_queue())
    assert not can(eu_agent, "helpdesk.answer_requests", support_queue())
    assert can(eu_agent, "helpdesk.view_requests")  # the list, filtered by queue later
    assert can(admin, "helpdesk.answer_requests", eu_queue())
    coordinator = StaffFactory.create(roles=[Role.PROGRAMME_COORDINATOR])
    assert not can(coordinator, "helpdesk.view_requests")
    assert not can(UserFactory.create(), "helpdesk.view_requests")


def test_queues_are_managed_by_center_admins_and_reports_read_by_agents_and_me() -> None:
    admin = StaffFactory.create(roles=[Role.CENTER_ADMIN])
    me_officer = StaffFactory.create(roles=[Role.ME_OFFICER])
    assert can(admin, "helpdesk.manage_queues")
    assert not can(agent(), "helpdesk.manage_queues")
    assert can(me_officer, "helpdesk.view_reports")
    assert can(agent(), "helpdesk.view_reports")
    assert not can(StaffFactory.create(roles=[Role.RADAR_EDITOR]), "helpdesk.view_reports")


def test_an_attachment_is_open_to_the_queues_agents_and_the_requester_not_to_others() -> None:
    member = UserFactory.create(email="zeynep@ornek.org.tr")
    PersonFactory.create(full_name="Zeynep Çelik", emails=["zeynep@ornek.org.tr"], user=member)
    request = services.submit_request(
        queue=support_queue(),
        subject="Senet",
        body="Ekte senedimiz.",
        requester=Requester(full_name="Zeynep Çelik", email="zeynep@ornek.org.tr"),
        actor=member,
        attachments=[Upload("senet.pdf", PDF)],
    )
    attachment = request.messages.get(direction=Direction.IN).attachments.get()
    staff = agent()
    note = services.add_note(
        request=request, actor=staff, body="İç not", attachments=[Upload("not.pdf", PDF)]
    )
    internal = note.attachments.get()
    assert can(staff, "helpdesk.view_attachment", attachment)
    assert can(member, "helpdesk.view_attachment", attachment)
    assert not can(member, "helpdesk.view_attachment", internal)
    assert not can(UserFactory.create(), "helpdesk.view_attachment", attachment)
    assert not can(agent(queue=eu_queue()), "helpdesk.view_attachment", attachment)
