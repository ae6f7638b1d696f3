"""The staff start page links to the indicators for those who may read them."""

from __future__ import annotations

import pytest
from django.test import Client

from kaynak.accounts.models import Role
from kaynak.accounts.tests.factories import StaffFactory
from kaynak.accounts.tests.helpers import url

pytestmark = pytest.mark.django_db


def start_page(role: str) -> str:
    client = Client()
    client.force_login(StaffFactory.create(roles=[role]))
    return client.get(url("portal:staff", language="en")).content.decode()


def test_an_me_officer_finds_the_indicators_and_a_radar_editor_does_not() -> None:
    link = f'href="{url("impact:staff-indicators", language="en")}"'
    assert link in start_page(Role.ME_OFFICER)
    assert link not in start_page(Role.RADAR_EDITOR)
