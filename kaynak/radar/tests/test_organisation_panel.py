"""The radar's links on an organisation's own pages, added through the directory's panels."""

from __future__ import annotations

import pytest
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains

from kaynak.accounts.tests.factories import UserFactory
from kaynak.accounts.tests.helpers import url
from kaynak.directory.panels import organisation_panels
from kaynak.directory.tests.factories import AffiliationFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db


def test_the_radar_registers_its_panel() -> None:
    assert "radar/tracking/includes/organisation_links.html" in organisation_panels()


def test_an_organisations_admin_finds_matching_calls_and_the_pipeline_on_its_pages() -> None:
    organisation = OrganisationFactory.create(public_listing_consent=True)
    user = UserFactory.create()
    AffiliationFactory.create(
        organisation=organisation, person=PersonFactory.create(user=user), is_admin=True
    )
    client = Client()
    client.force_login(user)

    for page in (
        url("directory:detail", organisation.pk, language="en"),
        url("directory:mine", language="en"),
    ):
        response = client.get(page)
        assertContains(response, url("radar:for-organisation", organisation.pk, language="en"))
        assertContains(response, url("radar:pipeline", organisation.pk, language="en"))


def test_a_visitor_sees_no_funding_links_on_a_public_profile() -> None:
    organisation = OrganisationFactory.create(public_listing_consent=True)

    response = Client().get(url("directory:detail", organisation.pk, language="en"))

    assert response.status_code == 200
    assertNotContains(response, url("radar:pipeline", organisation.pk, language="en"))
    assertNotContains(response, url("radar:for-organisation", organisation.pk, language="en"))
