"""The public listing of funding calls and a call's page, in Turkish and English."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django.asserts import assertContains

from kaynak.accounts.tests.helpers import url
from kaynak.radar.models import DeadlineKind, OpportunityLink, OpportunityStatus
from kaynak.radar.public_display import format_amount
from kaynak.radar.tests.factories import FunderFactory, OpportunityFactory, in_days

pytestmark = pytest.mark.django_db


def page_text(response: Any) -> str:
    return response.content.decode()


def test_the_listing_shows_published_open_calls_only(client: Client) -> None:
    OpportunityFactory.create(title="Açık Çağrı")
    OpportunityFactory.create(title="Taslak Çağrı", status=OpportunityStatus.DRAFT)
    OpportunityFactory.create(title="Kapanmış Çağrı", deadline_date=in_days(-2))
    response = client.get(url("radar:list"))
    assert response.status_code == 200
    html = page_text(response)
    assert "Açık Çağrı" in html
    assert "Taslak Çağrı" not in html
    assert "Kapanmış Çağrı" not in html
    english = page_text(client.get(url("radar:list", language="en")))
    assert "1 call found." in english


def test_closed_calls_appear_with_the_switch_and_are_marked(client: Client) -> None:
    OpportunityFactory.create(title="Kapanmış Çağrı", deadline_date=in_days(-2))
    html = page_text(client.get(url("radar:list", language="en") + "?include_expired=1"))
    assert "Kapanmış Çağrı" in html
    assert "Closed" in html
    assert "Hide closed calls" in html


def test_the_listing_is_in_the_language_of_its_address(client: Client) -> None:
    assert url("radar:list", language="en").startswith("/en/")
    assert not url("radar:list", language="tr").startswith("/en/")
    html = page_text(client.get(url("radar:list", language="en")))
    assert "Funding calls" in html
    assert '<html lang="en">' in html


def test_filters_narrow_the_listing(client: Client) -> None:
    OpportunityFactory.create(
        title="Kadın Hibesi", themes=["women"], currency="EUR", amount_max=90000
    )
    OpportunityFactory.create(title="Çevre Hibesi", themes=["environment"])
    html = page_text(client.get(url("radar:list", language="en") + "?themes=women"))
    assert "Kadın Hibesi" in html
    assert "Çevre Hibesi" not in html
    html = page_text(client.get(url("radar:list", language="en") + "?q=cevre"))
    assert "Çevre Hibesi" in html
    assert "Kadın Hibesi" not in html


def test_closing_in_seven_days_is_one_click_away(client: Client) -> None:
    OpportunityFactory.create(title="Bu Hafta Kapanıyor", deadline_date=in_days(3))
    OpportunityFactory.create(title="Gelecek Ay", deadline_date=in_days(40))
    html = page_text(client.get(url("radar:list", language="en")))
    assert 'href="?closing_within_days=7"' in html
    html = page_text(client.get(url("radar:list", language="en") + "?closing_within_days=7"))
    assert "Bu Hafta Kapanıyor" in html
    assert "Gelecek Ay" not in html
    assert "Closing soon" in html


def test_bad_filter_values_are_explained_not_a_server_error(client: Client) -> None:
    OpportunityFactory.create(title="Bir Çağrı")
    response = client.get(
        url("radar:list", language="en")
        + "?amount_min=lots&deadline_from=2027-02-31&themes=no-such-theme&page=x&sort=zzz"
    )
    assert response.status_code == 200
    html = page_text(response)
    assert "Some filters could not be used" in html
    assert "Write the amount as a number" in html
    assert "Write the date as YYYY-MM-DD" in html
    assert "Bir Çağrı" in html  # the bad filters are left out
    assert 'value="lots"' in html  # what was typed is kept


def test_an_htmx_request_gets_only_the_results(client: Client) -> None:
    OpportunityFactory.create(title="Bir Çağrı")
    response = client.get(url("radar:list", language="en"), headers={"HX-Request": "true"})
    html = page_text(response)
    assert html.lstrip().startswith('<section id="results"')
    assert "Bir Çağrı" in html
    assert "<html" not in html
    assert "HX-Request" in response["Vary"]


def test_the_listing_pages_and_keeps_filters(client: Client) -> None:
    for n in range(25):
        OpportunityFactory.create(
            title=f"Çağrı {n:02d}", themes=["women"], deadline_date=in_days(n + 1)
        )
    html = page_text(client.get(url("radar:list", language="en") + "?themes=women"))
    assert "25 calls found." in html
    assert "Çağrı 19" in html
    assert "Çağrı 20" not in html
    assert "themes=women&amp;page=2" in html
    html = page_text(client.get(url("radar:list", language="en") + "?themes=women&page=2"))
    assert "Çağrı 20" in html


def test_the_listing_asks_the_same_number_of_queries_for_5_or_20_calls(
    client: Client, django_assert_max_num_queries: Any, django_assert_num_queries: Any
) -> None:
    for n in range(5):
        OpportunityFactory.create(title=f"Çağrı {n}", themes=["women", "environment"])
    client.get(url("radar:list", language="en"))  # warm caches (center settings, …)
    with django_assert_max_num_queries(12) as captured:
        client.get(url("radar:list", language="en") + "?q=çağrı")
    few = len(captured)
    for n in range(15):
        OpportunityFactory.create(title=f"Yeni Çağrı {n}", themes=["women"])
    with django_assert_num_queries(few):
        client.get(url("radar:list", language="en") + "?q=çağrı")


def test_the_call_page_shows_every_field(client: Client) -> None:
    funder = FunderFactory.create(name="Avrupa Birliği Türkiye Delegasyonu")
    call = OpportunityFactory.create(
        title="Sivil Toplum Diyaloğu",
        funder=funder,
        amount_min=Decimal("50000"),
        amount_max=Decimal("150000"),
        currency="EUR",
        external_id="CSD-2027",
        themes=["women"],
        applicant_types=["association"],
        countries=["TR"],
        url="https://example.org/cagri",
    )
    OpportunityLink.objects.create(
        opportunity=call, url="https://delegasyon.example.org/csd", canonical_url="x"
    )
    html = page_text(client.get(url("radar:opportunity", call.pk)))
    assert "Sivil Toplum Diyaloğu" in html
    assert "Avrupa Birliği Türkiye Delegasyonu" in html
    assert "50.000 € – 150.000 €" in html
    assert "CSD-2027" in html
    assert "Kadın" in html
    assert "Dernek" in html
    assert "https://example.org/cagri" in html
    assert "https://delegasyon.example.org/csd" in html


def test_amounts_are_written_turkish_style_in_turkish() -> None:
    assert format_amount(Decimal("1500000"), "TRY", turkish=True) == "1.500.000 ₺"
    assert format_amount(Decimal("150000"), "EUR", turkish=True) == "150.000 €"
    assert format_amount(Decimal("2500.50"), "USD", turkish=True) == "2.500,50 $"
    assert format_amount(Decimal("1500000"), "TRY", turkish=False) == "₺1,500,000"
    assert format_amount(Decimal("10000"), "CHF", turkish=False) == "10,000 CHF"


def test_a_deadline_in_another_zone_is_also_shown_in_turkiye_time(client: Client) -> None:
    call = OpportunityFactory.create(
        deadline_date=dt.date(2099, 3, 31), deadline_time=dt.time(17, 0),
        deadline_timezone="Europe/Brussels",
    )  # fmt: skip
    html = page_text(client.get(url("radar:opportunity", call.pk)))
    assert "31 Mart 2099, 17:00 (Brüksel saati)" in html
    assert "31 Mart 2099, 18:00" in html  # 17:00 CEST (UTC+2) is 18:00 in Türkiye (UTC+3)
    istanbul = OpportunityFactory.create(
        deadline_date=dt.date(2099, 3, 31), deadline_time=dt.time(17, 0)
    )
    html = page_text(client.get(url("radar:opportunity", istanbul.pk)))
    assert "31 Mart 2099, 17:00" in html
    assert "deadline-local" not in html  # no second clock for a deadline in Türkiye time


def test_rolling_calls_say_so(client: Client) -> None:
    call = OpportunityFactory.create(deadline_kind=DeadlineKind.ROLLING, deadline_date=None)
    html = page_text(client.get(url("radar:opportunity", call.pk, language="en")))
    assert "Open all year" in html


def test_an_expired_call_says_it_has_closed(client: Client) -> None:
    call = OpportunityFactory.create(deadline_date=in_days(-1))
    html = page_text(client.get(url("radar:opportunity", call.pk, language="en")))
    assert "This call has closed" in html


def test_a_call_closing_soon_carries_a_badge(client: Client) -> None:
    call = OpportunityFactory.create(deadline_date=in_days(2))
    html = page_text(client.get(url("radar:opportunity", call.pk, language="en")))
    assert "Closing soon" in html


def test_an_html_summary_is_sanitised(client: Client) -> None:
    call = OpportunityFactory.create(
        summary="<p>Destek <b>verilecek</b>.</p><script>alert(1)</script>"
        '<a href="javascript:alert(2)" onclick="x()">bağlantı</a>'
    )
    html = page_text(client.get(url("radar:opportunity", call.pk)))
    assert "<b>verilecek</b>" in html
    assert "alert(1)" not in html
    assert "javascript:" not in html
    assert "onclick" not in html


def test_drafts_and_rejected_calls_have_no_public_page(client: Client) -> None:
    draft = OpportunityFactory.create(status=OpportunityStatus.DRAFT)
    rejected = OpportunityFactory.create(status=OpportunityStatus.REJECTED)
    assert client.get(url("radar:opportunity", draft.pk)).status_code == 404
    assert client.get(url("radar:opportunity", rejected.pk)).status_code == 404
    assert client.get(url("radar:opportunity", 999999)).status_code == 404


def test_links_to_save_and_track_appear_only_where_those_pages_exist(client: Client) -> None:
    from django.urls import NoReverseMatch, reverse

    call = OpportunityFactory.create()
    html = page_text(client.get(url("radar:opportunity", call.pk, language="en")))
    try:
        track = reverse("radar:track", args=[call.pk])
    except NoReverseMatch:
        assert "Track this call" not in html
    else:
        assert track in html
    listing = page_text(client.get(url("radar:list", language="en") + "?themes=women"))
    try:
        subscribe = reverse("radar:subscribe")
    except NoReverseMatch:
        assert "Save this search" not in listing
    else:
        assert f"{subscribe}?themes=women" in listing


def test_the_page_is_published_and_updated_at_the_right_time(client: Client) -> None:
    call = OpportunityFactory.create(published_at=timezone.now())
    assert client.get(url("radar:opportunity", call.pk)).status_code == 200


def test_a_moved_deadline_is_shown_on_the_call_page(client) -> None:
    from kaynak.accounts.models import Role
    from kaynak.accounts.tests.factories import StaffFactory
    from kaynak.radar import services

    call = OpportunityFactory.create(deadline_date=dt.date(2099, 3, 15))
    services.edit(
        opportunity=call,
        actor=StaffFactory.create(roles=[Role.RADAR_EDITOR]),
        changes={"deadline_date": dt.date(2099, 4, 5)},
    )

    page = client.get(url("radar:opportunity", call.pk, language="en"))

    assertContains(page, "Changes since publication")
    assertContains(page, "deadline 15 March 2099 → 5 April 2099")
