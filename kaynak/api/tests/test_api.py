from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_openapi_docs_are_served_at_api_docs(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    schema = client.get("/api/openapi.json").json()
    assert schema["info"]["title"] == "Kaynak API"
    assert "/api/v1/provinces" in schema["paths"]


def test_provinces_are_public_and_carry_their_region(client):
    provinces = client.get("/api/v1/provinces").json()
    assert len(provinces) == 81
    assert {
        "plate_code": 35,
        "name": "İzmir",
        "name_en": "İzmir",
        "name_ascii": "Izmir",
        "region": "TR3",
    } in provinces


def test_long_lists_are_paginated_in_one_envelope(client):
    first = client.get("/api/v1/countries", {"page_size": 100}).json()
    assert set(first) == {"items", "count", "page", "pages", "page_size"}
    assert first["count"] >= 250
    assert first["pages"] == 3
    assert len(first["items"]) == 100
    last = client.get("/api/v1/countries", {"page_size": 100, "page": 3}).json()
    assert len(last["items"]) == first["count"] - 200
    codes = {c["code"] for c in first["items"] + last["items"]}
    assert "XK" in codes


def test_invalid_parameters_get_the_common_error_format_in_the_users_language(client):
    response = client.get("/api/v1/countries", {"page": "zero"}, HTTP_ACCEPT_LANGUAGE="tr")
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert error["message"] == "İstek geçerli değil."
    assert error["details"][0]["field"].endswith("page")
    english = client.get("/api/v1/countries", {"page": "zero"}, HTTP_ACCEPT_LANGUAGE="en")
    assert english.json()["error"]["message"] == "The request is not valid."


def test_me_needs_authentication_and_says_so_in_the_error_format(client):
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"
