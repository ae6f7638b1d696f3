"""The radar's API: published calls (also as CommonGrants Opportunities), sources and drafts for
radar editors."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from kaynak.accounts.models import Role, User
from kaynak.accounts.tests.factories import StaffFactory, api_token_for
from kaynak.radar.models import DeadlineKind, OpportunityLink, OpportunityStatus
from kaynak.radar.tests.factories import OpportunityFactory, SourceFactory, in_days

pytestmark = pytest.mark.django_db

API = "/api/v1/radar"


def bearer(user: User) -> dict[str, str]:
    _token, raw = api_token_for(user)
    return {"Authorization": f"Bearer {raw}"}


@pytest.fixture
def editor() -> dict[str, str]:
    return bearer(StaffFactory.create(roles=[Role.RADAR_EDITOR]))


def test_the_public_list_has_published_open_calls_soonest_first(client: Client) -> None:
    OpportunityFactory.create(title="Geç", deadline_date=in_days(40))
    OpportunityFactory.create(title="Erken", deadline_date=in_days(4), themes=["women"])
    OpportunityFactory.create(title="Taslak", status=OpportunityStatus.DRAFT)
    OpportunityFactory.create(title="Kapandı", deadline_date=in_days(-1))
    body = client.get(f"{API}/opportunities").json()
    assert [item["title"] for item in body["items"]] == ["Erken", "Geç"]
    assert body["count"] == 2
    assert body["page"] == 1
    first = body["items"][0]
    assert first["themes"] == ["women"]
    assert first["closing_soon"] is True
    assert first["amount_max"] == "500000.00"
    assert first["currency"] == "TRY"
    assert first["page_url"].endswith(f"/{first['id']}/")


def test_the_public_list_takes_the_listing_filters(client: Client) -> None:
    OpportunityFactory.create(title="İzmir Kadın Hibesi", themes=["women"], currency="EUR")
    OpportunityFactory.create(title="Ankara Çevre Fonu", themes=["environment"])
    OpportunityFactory.create(title="Kapanmış İzmir", deadline_date=in_days(-3))

    def titles(query: str) -> list[str]:
        return [
            item["title"] for item in client.get(f"{API}/opportunities?{query}").json()["items"]
        ]

    assert titles("q=IZMIR") == ["İzmir Kadın Hibesi"]
    assert titles("q=izmir&include_expired=1") == ["Kapanmış İzmir", "İzmir Kadın Hibesi"]
    assert titles("themes=environment") == ["Ankara Çevre Fonu"]
    assert sorted(titles("themes=environment&themes=women")) == [
        "Ankara Çevre Fonu",
        "İzmir Kadın Hibesi",
    ]
    assert titles("currency=EUR") == ["İzmir Kadın Hibesi"]


def test_bad_filters_answer_422_with_the_reason_per_parameter(client: Client) -> None:
    response = client.get(f"{API}/opportunities?amount_min=lots&deadline_to=2027-13-01")
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    assert {d["field"] for d in error["details"]} == {"query.amount_min", "query.deadline_to"}


def test_one_call_is_public_only_when_published(client: Client) -> None:
    call = OpportunityFactory.create(
        title="Yayında", countries=["TR"], applicant_types=["association"]
    )
    draft = OpportunityFactory.create(status=OpportunityStatus.DRAFT)
    body = client.get(f"{API}/opportunities/{call.pk}").json()
    assert body["title"] == "Yayında"
    assert body["countries"] == ["TR"]
    assert body["applicant_types"] == ["association"]
    assert client.get(f"{API}/opportunities/{draft.pk}").status_code == 404
    assert client.get(f"{API}/opportunities/{draft.pk}/commongrants").status_code == 404


def test_a_call_in_the_commongrants_shape(client: Client) -> None:
    call = OpportunityFactory.create(
        title="Civil Society Facility",
        summary="<p>Grants for <b>human rights</b> defenders.</p>",
        amount_min=None,
        amount_max=150000,
        currency="EUR",
        deadline_date=dt.date(2099, 3, 31),
        deadline_time=dt.time(17, 0),
        deadline_timezone="Europe/Brussels",
        other_deadlines=[{"date": "2099-06-30", "label": "Full application"}],
        themes=["women"],
        applicant_types=["association", "foundation"],
        countries=["TR", "AL"],
        url="https://ec.example.org/csf",
        language="en",
    )
    body = client.get(f"{API}/opportunities/{call.pk}/commongrants").json()
    assert uuid.UUID(body["id"]).version == 5
    assert body["title"] == "Civil Society Facility"
    assert body["description"] == "Grants for human rights defenders."
    assert body["status"]["value"] == "open"
    assert body["funding"] == {"maxAwardAmount": {"amount": "150000.00", "currency": "EUR"}}
    close = body["keyDates"]["closeDate"]
    assert close["eventType"] == "singleDate"
    assert close["date"] == "2099-03-31"
    assert close["time"] == "17:00:00"
    assert "Europe/Brussels" in close["description"]
    assert body["keyDates"]["otherDates"]["deadline1"]["name"] == "Full application"
    assert body["source"] == "https://ec.example.org/csf"
    custom = body["customFields"]
    assert custom["applicantTypes"]["fieldType"] == "array"
    assert sorted(custom["applicantTypes"]["value"]) == ["association", "foundation"]
    assert custom["countries"]["value"] == ["AL", "TR"]
    assert custom["themes"]["value"] == ["women"]
    assert custom["language"] == {
        "name": "language", "fieldType": "string", "value": "en",
        "description": "Language of the announcement (tr, en)",
    }  # fmt: skip
    assert custom["funder"]["value"] == call.funder_label
    assert dt.datetime.fromisoformat(body["createdAt"])
    assert dt.datetime.fromisoformat(body["lastModifiedAt"])


def test_the_commongrants_id_is_stable_and_unique(client: Client) -> None:
    one, two = OpportunityFactory.create(), OpportunityFactory.create()
    first = client.get(f"{API}/opportunities/{one.pk}/commongrants").json()["id"]
    again = client.get(f"{API}/opportunities/{one.pk}/commongrants").json()["id"]
    other = client.get(f"{API}/opportunities/{two.pk}/commongrants").json()["id"]
    assert first == again
    assert first != other


def test_unknown_amounts_and_deadlines_are_left_out_never_zero(client: Client) -> None:
    call = OpportunityFactory.create(
        amount_min=None, amount_max=None, deadline_kind=DeadlineKind.ROLLING, deadline_date=None
    )
    body = client.get(f"{API}/opportunities/{call.pk}/commongrants").json()
    assert body["funding"] == {}
    assert "closeDate" not in body["keyDates"]
    assert body["status"]["value"] == "open"


def test_a_closed_call_has_the_closed_status(client: Client) -> None:
    call = OpportunityFactory.create(deadline_date=in_days(-5))
    body = client.get(f"{API}/opportunities/{call.pk}/commongrants").json()
    assert body["status"]["value"] == "closed"


def test_the_commongrants_list_pages_like_the_protocol(client: Client) -> None:
    for n in range(3):
        OpportunityFactory.create(title=f"Çağrı {n}", deadline_date=in_days(n + 1))
    body = client.get(f"{API}/commongrants/opportunities?page_size=2").json()
    assert body["status"] == 200
    assert body["paginationInfo"] == {"page": 1, "pageSize": 2, "totalItems": 3, "totalPages": 2}
    assert [item["title"] for item in body["items"]] == ["Çağrı 0", "Çağrı 1"]


def test_lists_ask_a_fixed_number_of_queries(
    client: Client, django_assert_max_num_queries: Any, django_assert_num_queries: Any
) -> None:
    for _n in range(3):
        OpportunityFactory.create(
            themes=["women"], countries=["TR"], applicant_types=["association"]
        )
    with django_assert_max_num_queries(8) as captured:
        client.get(f"{API}/opportunities")
    few = len(captured)
    for _n in range(10):
        OpportunityFactory.create(
            themes=["women"], countries=["TR"], applicant_types=["association"]
        )
    with django_assert_num_queries(few):
        client.get(f"{API}/opportunities")
    with django_assert_num_queries(few):
        client.get(f"{API}/commongrants/opportunities")


def test_sources_and_drafts_are_for_radar_editors_only(client: Client) -> None:
    SourceFactory.create()
    draft = OpportunityFactory.create(status=OpportunityStatus.DRAFT)
    # Staff of another role: tokens are for staff only.
    someone = bearer(StaffFactory.create(roles=[Role.PROGRAMME_COORDINATOR]))
    for path in ("/sources", "/drafts", f"/drafts/{draft.pk}"):
        assert client.get(f"{API}{path}").status_code == 401
        assert client.get(f"{API}{path}", headers=someone).status_code == 403


def test_editors_see_sources_with_their_health(client: Client, editor: dict[str, str]) -> None:
    SourceFactory.create(
        name="A Sağlıklı", last_scan_at=timezone.now(), last_success_at=timezone.now()
    )
    SourceFactory.create(name="B Sorunlu", last_scan_at=timezone.now(), consecutive_failures=3)
    SourceFactory.create(name="C Kapalı", enabled=False)
    SourceFactory.create(name="D Yeni")
    items = client.get(f"{API}/sources", headers=editor).json()["items"]
    assert [(s["name"], s["health"]) for s in items] == [
        ("A Sağlıklı", "ok"),
        ("B Sorunlu", "flagged"),
        ("C Kapalı", "disabled"),
        ("D Yeni", "never-scanned"),
    ]
    assert items[1]["flagged"] is True


def test_editors_read_drafts_with_what_the_machine_read(
    client: Client, editor: dict[str, str]
) -> None:
    source = SourceFactory.create()
    draft = OpportunityFactory.create(
        title="Taslak Çağrı", status=OpportunityStatus.DRAFT, extracted={"deadline": "2027-01-01"}
    )
    OpportunityLink.objects.create(
        opportunity=draft, source=source, url="https://a.example.org/1", canonical_url="a"
    )
    OpportunityFactory.create(title="Yayında")
    listed = client.get(f"{API}/drafts", headers=editor).json()
    assert [item["title"] for item in listed["items"]] == ["Taslak Çağrı"]
    body = client.get(f"{API}/drafts/{draft.pk}", headers=editor).json()
    assert body["status"] == "draft"
    assert body["extracted"] == {"deadline": "2027-01-01"}
    assert body["links"][0]["source_id"] == source.pk


def _refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [ref for value in node.values() for ref in _refs(value)]
    if isinstance(node, list):
        return [ref for value in node for ref in _refs(value)]
    return []


def test_the_endpoints_are_in_a_valid_openapi_schema(client: Client) -> None:
    schema = client.get("/api/openapi.json").json()
    assert schema["openapi"].startswith("3.")
    components = schema["components"]["schemas"]
    # Every reference resolves (no validator is installed; this is what breaks in practice).
    for ref in _refs(schema):
        assert ref.startswith("#/components/schemas/")
        assert ref.removeprefix("#/components/schemas/") in components, ref
    for path, operations in schema["paths"].items():
        if path.startswith("/api/v1/radar/"):
            for operation in operations.values():
                assert "200" in operation["responses"], path
                assert operation["operationId"]
    assert {
        "/api/v1/radar/opportunities",
        "/api/v1/radar/opportunities/{opportunity_id}",
        "/api/v1/radar/opportunities/{opportunity_id}/commongrants",
        "/api/v1/radar/commongrants/opportunities",
        "/api/v1/radar/sources",
        "/api/v1/radar/drafts",
        "/api/v1/radar/drafts/{opportunity_id}",
    } <= set(schema["paths"])
