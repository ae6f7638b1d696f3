"""The partnerships API: the public subset for everyone, every partnership for staff; what the
caller may not see answers 404 in the house error format."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from kaynak.accounts.models import Role
from kaynak.accounts.tests.factories import StaffFactory, UserFactory, api_token_for
from kaynak.coaching import academia
from kaynak.coaching.tests.factories import PartnershipFactory
from kaynak.directory.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def staff_client(role: Role = Role.PROGRAMME_COORDINATOR) -> Client:
    _record, token = api_token_for(StaffFactory.create(roles=[role]))
    return Client(headers={"Authorization": f"Bearer {token}"})


@pytest.fixture
def partnerships():
    public = PartnershipFactory.create(title="Açık", is_public=True)
    academia.output_save(
        partnership=public,
        kind="report",
        title="Rapor",
        published_on=dt.date(2026, 1, 1),
        link_url="https://ornek.org/rapor",
        actor=None,
    )
    unlisted = PartnershipFactory.create(
        title="Adsız kuruluş",
        is_public=True,
        organisation=OrganisationFactory.create(public_listing_consent=False),
    )
    private = PartnershipFactory.create(title="Gizli", is_public=False)
    return public, unlisted, private


def test_everyone_lists_only_public_partnerships_without_staff_fields(partnerships):
    public, unlisted, _private = partnerships

    body = Client().get("/api/v1/partnerships").json()

    assert body["count"] == 2
    by_slug = {item["slug"]: item for item in body["items"]}
    assert set(by_slug) == {public.slug, unlisted.slug}
    assert by_slug[public.slug]["organisation"] == public.organisation.name
    assert by_slug[public.slug]["outputs"][0]["title"] == "Rapor"
    assert by_slug[unlisted.slug]["organisation"] is None
    assert by_slug[unlisted.slug]["organisation_id"] is None
    assert by_slug[public.slug]["is_public"] is None
    assert by_slug[public.slug]["match_reason"] is None


def test_a_member_sees_the_public_subset_too(partnerships):
    client = Client()
    client.force_login(UserFactory.create())

    assert client.get("/api/v1/partnerships").json()["count"] == 2


def test_staff_list_every_partnership_with_status_and_request(partnerships):
    public, _unlisted, private = partnerships

    body = staff_client().get("/api/v1/partnerships", {"status": "active"}).json()

    assert body["count"] == 3
    by_slug = {item["slug"]: item for item in body["items"]}
    assert by_slug[private.slug]["is_public"] is False
    assert by_slug[public.slug]["is_public"] is True
    assert "request_id" in by_slug[private.slug]


def test_a_private_partnership_is_not_found_publicly_but_staff_read_it(partnerships):
    _public, _unlisted, private = partnerships

    missing = Client().get(f"/api/v1/partnerships/{private.slug}")
    found = staff_client(Role.ME_OFFICER).get(f"/api/v1/partnerships/{private.slug}")

    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"
    assert found.status_code == 200
    assert found.json()["title"] == "Gizli"


def test_the_public_list_filters_by_theme_and_an_unknown_theme_finds_nothing(partnerships):
    public, _unlisted, _private = partnerships

    same = Client().get("/api/v1/partnerships", {"theme": public.theme.slug}).json()
    unknown = Client().get("/api/v1/partnerships", {"theme": "yok-boyle-tema"}).json()

    assert same["count"] == 2
    assert unknown["count"] == 0
