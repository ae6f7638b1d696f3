"""Grants.gov: search2 for the list, fetchOpportunity per hit; an unknown award is never 0."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from pytest_django import Settings

from kaynak.core.models import ApplicantType
from kaynak.radar.fetching import Fetcher, FetchRequest
from kaynak.radar.models import Source, SourceKind
from kaynak.radar.sources import SourceError, adapter_for, config_errors
from kaynak.radar.sources.grants_gov import ELIGIBILITY, SEARCH_URL
from kaynak.radar.tests.fixtures.loopback import fixture, result_from, run_adapter, serving

adapter = adapter_for(SourceKind.GRANTS_GOV)
JSON = "application/json"
FETCH_URL = "https://api.grants.gov/v1/api/fetchOpportunity"


def gov_source(url: str = SEARCH_URL, **config: Any) -> Source:
    return Source(
        kind=SourceKind.GRANTS_GOV,
        url=url,
        config={"keyword": "Turkey", "agencies": "DOS-TUR", "rows": 3} | config,
    )


def search(name: str = "grants_gov_search2.json") -> Any:
    return result_from(fixture(name), url=SEARCH_URL, content_type=JSON)


def detail(opportunity_id: str) -> Any:
    return result_from(
        fixture(f"grants_gov_fetch_{opportunity_id}.json"), url=FETCH_URL, content_type=JSON
    )


def candidate_for(opportunity_id: str) -> Any:
    hits = {
        entry.url.rsplit("/", 1)[-1]: entry
        for entry in adapter.parse_listing(gov_source(), search())
    }
    return adapter.candidate(gov_source(), hits[opportunity_id], detail(opportunity_id))


def test_the_search_posts_keyword_statuses_rows_and_start_as_json() -> None:
    (request,) = adapter.listing_requests(gov_source())

    assert request == FetchRequest(
        SEARCH_URL,
        method="POST",
        json={
            "keyword": "Turkey",
            "oppStatuses": "forecasted|posted",
            "rows": 3,
            "startRecordNum": 0,
            "agencies": "DOS-TUR",
        },
    )


def test_hits_are_listed_with_number_agency_and_close_date() -> None:
    first, second, third = adapter.parse_listing(gov_source(), search())

    assert first.title == "U.S. Mission Türkiye Democracy Commission Small Grants"
    assert first.url == "https://www.grants.gov/search-results-detail/358901"
    assert first.item_key == "DOS-TUR-FY27-01"
    assert first.fields == {
        "external_id": "DOS-TUR-FY27-01",
        "funder_name": "U.S. Mission to Turkey",
        "deadline": "2027-01-31",
        "deadline_kind": "fixed",
        "language": "en",
    }
    # No close date, and an impossible one ("02/31/2027"), leave the deadline to extraction.
    assert "deadline" not in second.fields
    assert "deadline" not in third.fields


def test_each_hit_is_detailed_with_fetch_opportunity() -> None:
    first = adapter.parse_listing(gov_source(), search())[0]

    assert adapter.detail_request(gov_source(), first) == FetchRequest(
        FETCH_URL, method="POST", json={"opportunityId": 358901}
    )


def test_award_ceiling_and_floor_give_the_grant_size_in_dollars() -> None:
    candidate = candidate_for("358901")

    assert candidate.fields["amount_min"] == 25000
    assert candidate.fields["amount_max"] == 50000
    assert candidate.fields["currency"] == "USD"
    assert candidate.body_kind == "html"
    assert "Eligible applicants" in str(candidate.body)
    assert candidate.summary.startswith("The Democracy Commission Small Grants Program")


def test_a_missing_ceiling_with_a_zero_floor_is_unknown_never_zero() -> None:
    candidate = candidate_for("358944")

    assert "amount_min" not in candidate.fields
    assert "amount_max" not in candidate.fields
    assert "currency" not in candidate.fields


def test_empty_award_strings_in_a_forecast_are_unknown_and_its_estimated_date_is_read() -> None:
    candidate = candidate_for("359010")

    assert "amount_max" not in candidate.fields
    assert "amount_min" not in candidate.fields
    assert candidate.fields["deadline"] == "2027-04-01"


@pytest.mark.parametrize(
    ("ceiling", "floor", "expected"),
    [
        ("50000", "0", (None, 50000)),
        ("0", "0", (None, None)),
        ("", "", (None, None)),
        ("none", None, (None, None)),
        (None, "10000", (10000, None)),
        ("1,000,000", "250000.50", (250000.5, 1000000)),
    ],
)
def test_award_values_as_grants_gov_writes_them(
    ceiling: str | None, floor: str | None, expected: tuple[Any, Any]
) -> None:
    answer = json.loads(fixture("grants_gov_fetch_358901.json"))
    synopsis = answer["data"]["synopsis"]
    for key, value in (("awardCeiling", ceiling), ("awardFloor", floor)):
        if value is None:
            synopsis.pop(key)
        else:
            synopsis[key] = value
    listed = adapter.parse_listing(gov_source(), search())[0]

    candidate = adapter.candidate(
        gov_source(), listed, result_from(json.dumps(answer).encode(), content_type=JSON)
    )

    assert (candidate.fields.get("amount_min"), candidate.fields.get("amount_max")) == expected
    assert candidate.fields.get("amount_min") != 0
    assert candidate.fields.get("amount_max") != 0


def test_eligibility_codes_become_our_applicant_types() -> None:
    assert candidate_for("358901").fields["applicant_types"] == [
        "association",
        "foundation",
        "university",
    ]
    assert "company" in candidate_for("359010").fields["applicant_types"]


@pytest.mark.django_db
def test_every_mapped_applicant_type_exists() -> None:
    known = set(ApplicantType.objects.values_list("slug", flat=True))

    assert {slug for slugs in ELIGIBILITY.values() for slug in slugs} <= known


def test_a_failed_detail_falls_back_to_the_hit() -> None:
    listed = adapter.parse_listing(gov_source(), search())[0]
    broken = result_from(b"<html>502</html>", content_type="text/html")

    candidate = adapter.candidate(gov_source(), listed, broken)

    assert candidate.title == listed.title
    assert candidate.fields["deadline"] == "2027-01-31"


def test_an_error_answer_is_a_source_error_with_the_api_message() -> None:
    body = b'{"errorcode": 1, "msg": "Invalid agency code", "data": {}}'

    with pytest.raises(SourceError, match="Invalid agency code"):
        adapter.parse_listing(gov_source(), result_from(body, content_type=JSON))


def test_pages_follow_hit_count() -> None:
    following = adapter.next_request(gov_source(), search())

    assert following is not None
    assert following.json["startRecordNum"] == 3
    assert adapter.next_request(gov_source(), search("grants_gov_search2_page2.json")) is None


def test_config_errors_explain_bad_settings() -> None:
    assert config_errors("grants-gov", {"keyword": "Turkey", "rows": 25}) == []
    errors = config_errors("grants-gov", {"keyword": 5, "rows": "many", "colour": 1})
    assert '"keyword" must be text.' in errors
    assert '"rows" must be a whole number from 1 to 1000.' in errors
    assert "Unknown settings: colour." in errors


@pytest.fixture
def fetcher(settings: Settings) -> Iterator[Fetcher]:
    settings.RADAR_ALLOW_LOOPBACK = True
    with Fetcher(host_delay=0, sleep=lambda seconds: None) as chosen:
        yield chosen


def test_grants_gov_on_loopback_gives_every_hit_with_its_details(fetcher: Fetcher) -> None:
    with serving() as server:
        pages = {0: "grants_gov_search2.json", 3: "grants_gov_search2_page2.json"}

        def search2(seen: Any) -> tuple[int, dict[str, str], bytes]:
            start = json.loads(seen.body)["startRecordNum"]
            return 200, {"Content-Type": JSON}, fixture(pages[start])

        def fetch_opportunity(seen: Any) -> tuple[int, dict[str, str], bytes]:
            name = f"grants_gov_fetch_{json.loads(seen.body)['opportunityId']}.json"
            try:
                return 200, {"Content-Type": JSON}, fixture(name)
            except FileNotFoundError:
                return 404, {}, b""

        server.route("/v1/api/search2", search2, method="POST")
        server.route("/v1/api/fetchOpportunity", fetch_opportunity, method="POST")

        candidates = run_adapter(gov_source(f"{server.base_url}/v1/api/search2"), fetcher)

    assert [candidate.item_key for candidate in candidates] == [
        "DOS-TUR-FY27-01",
        "DOS-TUR-FY27-02",
        "DOS-TUR-FY27-03",
        "DOS-TUR-FY27-04",
    ]
    assert candidates[0].fields["amount_max"] == 50000
    assert "amount_max" not in candidates[1].fields
    # The fourth hit's details are missing: its candidate is the hit itself.
    assert candidates[3].fields["deadline"] == "2027-03-15"
