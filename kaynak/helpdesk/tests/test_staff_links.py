"""The staff start page links to the support desk's pages, each for those who may use it."""

from __future__ import annotations

import pytest
from django.test import Client

from kaynak.accounts.models import Role
from kaynak.accounts.tests.factories import StaffFactory
from kaynak.accounts.tests.helpers import url
from kaynak.helpdesk.tests.factories import eu_queue, support_queue

pytestmark = pytest.mark.django_db


def href(name: str) -> str:
    return f'href="{url(name, language="en")}"'


def start_page(*roles: str, queues: tuple[object, ...] = ()) -> str:
    user = StaffFactory.create(roles=list(roles))
    for queue in queues:
        queue.agents.add(user)  # type: ignore[attr-defined]
    client = Client()
    client.force_login(user)
    response = client.get(url("portal:staff", language="en"))
    assert response.status_code == 200
    return response.content.decode()


def test_a_desk_agent_finds_the_inbox_and_reports_but_not_the_eu_projects() -> None:
    page = start_page(Role.SUPPORT_AGENT, queues=(support_queue(),))
    assert href("helpdesk:staff-inbox") in page
    assert href("helpdesk:staff-reports") in page
    assert href("helpdesk:staff-eu-projects") not in page


def test_an_eu_support_agent_also_finds_the_eu_projects() -> None:
    page = start_page(Role.SUPPORT_AGENT, queues=(eu_queue(),))
    assert href("helpdesk:staff-eu-projects") in page


def test_an_me_officer_reads_the_reports_but_has_no_inbox() -> None:
    page = start_page(Role.ME_OFFICER)
    assert href("helpdesk:staff-reports") in page
    assert href("helpdesk:staff-inbox") not in page
