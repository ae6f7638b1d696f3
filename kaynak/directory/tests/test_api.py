"""The directory over the API: organisations (public subset for everyone, full for staff),
people (staff), and the resolver."""

from __future__ import annotations

import pytest
from django.test import Client

from kaynak.accounts.models import Role, User
from kaynak.accounts.tests.factories import StaffFactory, UserFactory, api_token_for
from kaynak.core.audit import history_for
from kaynak.core.models import Theme
from kaynak.directory.models import Organisation
from kaynak.directory.tests.factories import (
    AffiliationFactory,
    OrganisationFactory,
    PersonFactory,
    province,
)

pytestmark = pytest.mark.django_db

PUBLIC_FIELDS = {
    "id",
    "name",
    "short_name",
    "legal_form",
    "province",
    "district",
    "website",
    "themes",
    "description",
    "founding_year",
    "parent_id",
}
STAFF_ONLY_FIELDS = {
    "association_registry_no",
    "foundation_registry_no",
    "tax_no",
    "address",
    "emails",
    "phones",
    "social_links",
    "size_band",
    "public_listing_consent",
    "status",
    "verified",
    "created_at",
    "updated_at",
}


def bearer(user: User) -> dict[str, str]:
    _token, raw = api_token_for(user)
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def staff_headers() -> dict[str, str]:
    return bearer(StaffFactory.create(roles=[Role.ME_OFFICER]))


@pytest.fixture
def listed() -> Organisation:
    organisation = OrganisationFactory.create(
        name="İzmir Çevre Derneği",
        province=province(35),
        emails=["info@izmircevre.org"],
        phones=["+902321234567"],
        tax_no="1234567890",
    )
    organisation.themes.set([Theme.objects.get(slug="environment")])
    return organisation


@pytest.fixture
def unlisted() -> Organisation:
    return OrganisationFactory.create(
        name="Gizli Dayanışma Derneği", province=province(35), public_listing_consent=False
    )


def test_visitors_get_the_public_subset_of_listed_organisations_only(client, listed, unlisted):
    response = client.get("/api/v1/organisations")

    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"items", "count", "page", "pages", "page_size"}
    assert body["count"] == 1
    [item] = body["items"]
    assert set(item) == PUBLIC_FIELDS
    assert item["name"] == "İzmir Çevre Derneği"
    assert item["province"] == {"plate_code": 35, "name": "İzmir"}
    assert item["themes"] == ["environment"]
    assert item["legal_form"] == "association"
    assert "info@izmircevre.org" not in response.content.decode()


def test_staff_get_every_organisation_with_every_field(client, listed, unlisted, staff_headers):
    body = client.get("/api/v1/organisations", headers=staff_headers).json()

    assert body["count"] == 2
    assert {item["name"] for item in body["items"]} == {listed.name, unlisted.name}
    item = next(item for item in body["items"] if item["id"] == listed.pk)
    assert set(item) == PUBLIC_FIELDS | STAFF_ONLY_FIELDS
    assert item["emails"] == ["info@izmircevre.org"]
    assert item["tax_no"] == "1234567890"


def test_a_staff_session_works_as_well_as_a_token(listed, unlisted):
    client = Client()
    client.force_login(StaffFactory.create(roles=[Role.SUPPORT_AGENT]))

    assert client.get("/api/v1/organisations").json()["count"] == 2


def test_a_members_session_sees_the_public_subset(listed, unlisted):
    client = Client()
    client.force_login(UserFactory.create())

    body = client.get("/api/v1/organisations").json()

    assert [item["id"] for item in body["items"]] == [listed.pk]
    assert set(body["items"][0]) == PUBLIC_FIELDS


@pytest.mark.parametrize("q", ["izmir", "İZMİR", "Izmir", "cevre", "ÇEVRE"])
def test_search_folds_turkish_letters(client, listed, q):
    OrganisationFactory.create(name="Ankara Gençlik Derneği", province=province(6))

    body = client.get("/api/v1/organisations", {"q": q}).json()

    assert [item["id"] for item in body["items"]] == [listed.pk]


def test_filters_by_province_theme_and_type(client, listed):
    OrganisationFactory.create(name="Ankara Çevre Derneği", province=province(6)).themes.set(
        [Theme.objects.get(slug="environment")]
    )
    OrganisationFactory.create(name="İzmir Çocuk Derneği", province=province(35))

    def ids(**params):
        return [item["id"] for item in client.get("/api/v1/organisations", params).json()["items"]]

    assert ids(province=35, theme="environment") == [listed.pk]
    assert ids(province=35, theme="environment", legal_form="foundation") == []
    assert len(ids(theme="environment")) == 2


def test_an_unknown_filter_is_an_error_in_the_common_format(client):
    response = client.get("/api/v1/organisations", {"theme": "yok-boyle-tema"})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "bad_request"


def test_the_list_is_paginated(client):
    for n in range(7):
        OrganisationFactory.create(name=f"Dernek {n}")

    body = client.get("/api/v1/organisations", {"page_size": 5, "page": 2}).json()

    assert (body["count"], body["page"], body["pages"], body["page_size"]) == (7, 2, 2, 5)
    assert len(body["items"]) == 2


def test_detail_of_an_unlisted_organisation_is_404_for_visitors_and_members(
    client, listed, unlisted, staff_headers
):
    assert client.get(f"/api/v1/organisations/{listed.pk}").status_code == 200
    response = client.get(f"/api/v1/organisations/{unlisted.pk}")
    assert response.status_code == 404
    assert response.json() == {"error": {"code": "not_found", "message": "Bulunamadı."}}
    member = Client()
    member.force_login(UserFactory.create())
    assert member.get(f"/api/v1/organisations/{unlisted.pk}").status_code == 404
    staff = client.get(f"/api/v1/organisations/{unlisted.pk}", headers=staff_headers).json()
    assert staff["emails"] == []
    assert staff["public_listing_consent"] is False


def test_an_invalid_token_is_refused_even_for_public_data(client, listed):
    response = client.get("/api/v1/organisations", headers={"Authorization": "Bearer kyn_yanlis"})

    assert response.status_code == 401


def test_an_ngo_admin_changes_their_organisation_and_not_another(listed, unlisted):
    user = UserFactory.create()
    AffiliationFactory.create(
        organisation=listed, person=PersonFactory.create(user=user), is_admin=True
    )
    client = Client()
    client.force_login(user)

    response = client.patch(
        f"/api/v1/organisations/{listed.pk}",
        {"description": "Kıyılarımızı koruyoruz.", "themes": ["environment", "youth"]},
        content_type="application/json",
    )

    assert response.status_code == 200
    assert response.json()["description"] == "Kıyılarımızı koruyoruz."
    listed.refresh_from_db()
    assert sorted(listed.themes.values_list("slug", flat=True)) == ["environment", "youth"]
    assert history_for(listed)[0].actor == user
    other = client.patch(
        f"/api/v1/organisations/{unlisted.pk}",
        {"description": "Ele geçirildi"},
        content_type="application/json",
    )
    assert other.status_code == 404
    unlisted.refresh_from_db()
    assert unlisted.description == ""


def test_changing_needs_authentication_and_validates_input(client, listed, staff_headers):
    path = f"/api/v1/organisations/{listed.pk}"

    assert client.patch(path, {"name": "X"}, content_type="application/json").status_code == 401
    bad = client.patch(
        path, {"emails": ["yanlis"]}, content_type="application/json", headers=staff_headers
    )
    assert bad.status_code == 400
    assert bad.json()["error"]["code"] == "invalid"
    unknown = client.patch(
        path, {"province": 99}, content_type="application/json", headers=staff_headers
    )
    assert unknown.status_code == 400
    listed.refresh_from_db()
    assert listed.emails == ["info@izmircevre.org"]
    assert listed.province_id == 35


def test_people_are_for_staff_only(client, staff_headers):
    person = PersonFactory.create(full_name="Çiğdem Işık", emails=["cigdem@ornek.org"])
    AffiliationFactory.create(person=person, role="Başkan")
    member = Client()
    member.force_login(UserFactory.create())

    assert client.get("/api/v1/people").status_code == 401
    assert member.get("/api/v1/people").status_code == 403
    assert member.get(f"/api/v1/people/{person.pk}").status_code == 404
    body = client.get("/api/v1/people", {"q": "CIGDEM"}, headers=staff_headers).json()
    assert [item["full_name"] for item in body["items"]] == ["Çiğdem Işık"]
    detail = client.get(f"/api/v1/people/{person.pk}", headers=staff_headers).json()
    assert detail["emails"] == ["cigdem@ornek.org"]
    assert detail["affiliations"][0]["role"] == "Başkan"


def test_staff_ask_the_resolver_which_organisations_a_record_may_be(client, staff_headers):
    known = OrganisationFactory.create(
        name="Ege Çevre ve Doğa Koruma Derneği", province=province(35)
    )
    OrganisationFactory.create(name="Van Kadın Dayanışma Derneği", province=province(65))

    response = client.post(
        "/api/v1/resolve",
        {"name": "EGE CEVRE VE DOGA KORUMA DER.", "city": "izmir"},
        content_type="application/json",
        headers=staff_headers,
    )

    assert response.status_code == 200
    candidates = response.json()
    assert candidates[0]["id"] == known.pk
    assert candidates[0]["name"] == known.name
    assert candidates[0]["province"] == {"plate_code": 35, "name": "İzmir"}
    assert 0 < candidates[0]["score"] <= 1
    assert all(c["name"] != "Van Kadın Dayanışma Derneği" for c in candidates)


def test_the_resolver_is_for_staff_and_checks_its_input(client, staff_headers):
    member = Client()
    member.force_login(UserFactory.create())

    assert (
        client.post("/api/v1/resolve", {"name": "X"}, content_type="application/json").status_code
        == 401
    )
    assert (
        member.post("/api/v1/resolve", {"name": "X"}, content_type="application/json").status_code
        == 403
    )
    invalid = client.post(
        "/api/v1/resolve", {"city": "izmir"}, content_type="application/json", headers=staff_headers
    )
    assert invalid.status_code == 422
    assert invalid.json()["error"]["code"] == "validation_error"


def test_the_openapi_schema_documents_the_directory(client):
    paths = client.get("/api/openapi.json").json()["paths"]

    assert {
        "/api/v1/organisations",
        "/api/v1/organisations/{organisation_id}",
        "/api/v1/people",
        "/api/v1/resolve",
    } <= set(paths)
