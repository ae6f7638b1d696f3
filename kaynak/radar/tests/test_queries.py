"""The public search of calls: filters, text search with Turkish casing, expiry and order."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.http import QueryDict
from django.utils import timezone

from kaynak.radar import search_index
from kaynak.radar.models import DeadlineKind, OpportunityStatus
from kaynak.radar.queries import SearchFilters, Sort, search
from kaynak.radar.tests.factories import FunderFactory, OpportunityFactory, in_days

pytestmark = pytest.mark.django_db


def titles(filters: SearchFilters) -> list[str]:
    return [call.title for call in search(filters)]


def find(**query: Any) -> list[str]:
    return titles(SearchFilters.from_query(query))


def test_filters_round_trip_through_get_parameters() -> None:
    filters = SearchFilters(
        q="kadın istihdamı",
        themes=("environment", "women"),
        applicant_types=("association",),
        countries=("DE", "TR"),
        funder=7,
        currency="EUR",
        amount_min=Decimal("10000"),
        amount_max=Decimal("150000.50"),
        language="tr",
        deadline_from=dt.date(2027, 1, 1),
        deadline_to=dt.date(2027, 3, 31),
        closing_within_days=7,
        include_expired=True,
        sort=Sort.NEWEST,
    )
    assert SearchFilters.from_query(filters.to_query()) == filters
    assert SearchFilters.from_query(QueryDict(filters.querystring())) == filters
    assert SearchFilters().to_query() == {}


def test_bad_parameters_are_explained_and_left_out() -> None:
    filters = SearchFilters.parse(
        QueryDict(
            "amount_min=çok&deadline_from=31.02.2027&language=de&sort=random&funder=x"
            "&closing_within_days=-3&countries=TUR&currency=LIRA&q=su"
        )
    )
    assert {error.field for error in filters.errors} == {
        "amount_min", "deadline_from", "language", "sort", "funder",
        "closing_within_days", "countries", "currency",
    }  # fmt: skip
    assert filters == SearchFilters(q="su")


def test_a_reversed_range_is_an_error_not_an_empty_list() -> None:
    filters = SearchFilters.parse({"amount_min": "5000", "amount_max": "100"})
    assert [error.field for error in filters.errors] == ["amount_max"]
    assert filters.amount_min == Decimal("5000")
    assert filters.amount_max is None


def test_only_published_calls_are_found() -> None:
    OpportunityFactory.create(title="Yayında")
    OpportunityFactory.create(title="Taslak", status=OpportunityStatus.DRAFT)
    OpportunityFactory.create(title="Reddedildi", status=OpportunityStatus.REJECTED)
    assert find() == ["Yayında"]


def test_expired_calls_are_hidden_unless_asked_for() -> None:
    OpportunityFactory.create(title="Açık", deadline_date=in_days(3))
    OpportunityFactory.create(title="Kapandı", deadline_date=in_days(-3))
    OpportunityFactory.create(
        title="Sürekli", deadline_kind=DeadlineKind.ROLLING, deadline_date=None
    )
    assert find() == ["Açık", "Sürekli"]
    assert find(include_expired="1") == ["Kapandı", "Açık", "Sürekli"]
    assert find(include_expired="1", q="kapandı") == ["Kapandı"]


def test_the_default_order_is_soonest_deadline_then_rolling_then_none() -> None:
    OpportunityFactory.create(title="Belirsiz", deadline_kind=DeadlineKind.NONE, deadline_date=None)
    OpportunityFactory.create(
        title="Sürekli", deadline_kind=DeadlineKind.ROLLING, deadline_date=None
    )
    OpportunityFactory.create(title="Geç", deadline_date=in_days(60))
    OpportunityFactory.create(title="Erken", deadline_date=in_days(5))
    assert find() == ["Erken", "Geç", "Sürekli", "Belirsiz"]


def test_newest_first_orders_by_publication() -> None:
    old = OpportunityFactory.create(title="Eski", deadline_date=in_days(5))
    old.published_at = timezone.now() - dt.timedelta(days=10)
    old.save(update_fields=["published_at"])
    OpportunityFactory.create(title="Yeni", deadline_date=in_days(50))
    assert find(sort="newest") == ["Yeni", "Eski"]


def test_closing_within_days_keeps_only_calls_closing_that_soon() -> None:
    OpportunityFactory.create(title="Bu hafta", deadline_date=in_days(6))
    OpportunityFactory.create(title="Gelecek ay", deadline_date=in_days(30))
    OpportunityFactory.create(
        title="Sürekli", deadline_kind=DeadlineKind.ROLLING, deadline_date=None
    )
    assert find(closing_within_days="7") == ["Bu hafta"]


def test_deadline_window_counts_whole_istanbul_days() -> None:
    OpportunityFactory.create(title="İçinde", deadline_date=in_days(10))
    OpportunityFactory.create(title="Son gün", deadline_date=in_days(20))
    OpportunityFactory.create(title="Dışında", deadline_date=in_days(21))
    assert find(deadline_from=in_days(10).isoformat(), deadline_to=in_days(20).isoformat()) == [
        "İçinde",
        "Son gün",
    ]


def test_theme_filter_matches_any_chosen_theme() -> None:
    OpportunityFactory.create(title="Kadın", themes=["women"])
    OpportunityFactory.create(title="Çevre", themes=["environment"])
    OpportunityFactory.create(title="Temasız")
    assert find(themes=["women"]) == ["Kadın"]
    assert sorted(find(themes=["women", "environment"])) == ["Kadın", "Çevre"]


def test_applicant_filter_keeps_calls_open_to_everyone() -> None:
    OpportunityFactory.create(title="Dernekler", applicant_types=["association"])
    OpportunityFactory.create(title="Vakıflar", applicant_types=["foundation"])
    OpportunityFactory.create(title="Herkes")
    assert sorted(find(applicant_types="association")) == ["Dernekler", "Herkes"]


def test_country_filter_keeps_calls_that_name_no_country() -> None:
    OpportunityFactory.create(title="Türkiye", countries=["TR"])
    OpportunityFactory.create(title="Almanya", countries=["DE"])
    OpportunityFactory.create(title="Belirtilmemiş")
    assert sorted(find(countries="tr")) == ["Belirtilmemiş", "Türkiye"]


def test_funder_currency_and_language_filters() -> None:
    funder = FunderFactory.create()
    OpportunityFactory.create(title="Bu fon veren", funder=funder, currency="EUR", language="en")
    OpportunityFactory.create(title="Başkası", currency="TRY")
    assert find(funder=str(funder.pk)) == ["Bu fon veren"]
    assert find(currency="eur") == ["Bu fon veren"]
    assert find(language="en") == ["Bu fon veren"]
    assert find(language="tr") == ["Başkası"]


def test_amount_range_matches_overlapping_grants_and_skips_unknown_amounts() -> None:
    OpportunityFactory.create(title="Küçük", amount_min=None, amount_max=20000)
    OpportunityFactory.create(title="Orta", amount_min=50000, amount_max=150000)
    OpportunityFactory.create(title="Sabit", amount_min=1000000, amount_max=1000000)
    OpportunityFactory.create(title="Bilinmiyor", amount_min=None, amount_max=None)
    assert sorted(find(amount_min="100000")) == ["Orta", "Sabit"]
    assert sorted(find(amount_max="60000")) == ["Küçük", "Orta"]
    assert find(amount_min="30000", amount_max="200000") == ["Orta"]


@pytest.mark.parametrize("typed", ["İzmir", "izmir", "IZMIR", "İZMİR", "Izmir"])
def test_search_ignores_turkish_casing(typed: str) -> None:
    OpportunityFactory.create(title="İzmir Kırsal Kalkınma Hibesi")
    OpportunityFactory.create(title="Ankara Gençlik Fonu")
    assert find(q=typed) == ["İzmir Kırsal Kalkınma Hibesi"]


def test_search_folds_letters_and_punctuation() -> None:
    funder = FunderFactory.create(name="Bir Vakıf", name_en="A Foundation")
    OpportunityFactory.create(title="Sivil Toplum'a Destek", summary="", funder=funder)
    OpportunityFactory.create(title="İSTANBUL Kültür Fonu", summary="", funder=funder)
    OpportunityFactory.create(title="Başka bir çağrı", summary="", funder=funder)
    assert find(q="sivil toplum") == ["Sivil Toplum'a Destek"]
    assert find(q="istanbul") == ["İSTANBUL Kültür Fonu"]
    assert find(q="kultur") == ["İSTANBUL Kültür Fonu"]


def test_search_reads_summary_and_funder_and_english() -> None:
    funder = FunderFactory.create(
        name="Avrupa Birliği Türkiye Delegasyonu", name_en="EU Delegation"
    )
    OpportunityFactory.create(
        title="Civil Society Facility", summary="Grants for human rights defenders.", language="en"
    )
    OpportunityFactory.create(title="Hibe Programı", summary="", funder=funder)
    OpportunityFactory.create(title="Başka", summary="")
    assert find(q="rights defenders") == ["Civil Society Facility"]
    assert find(q="delegasyonu") == ["Hibe Programı"]


def test_words_match_as_prefixes() -> None:
    OpportunityFactory.create(title="Dijital Dönüşüm Programı")
    assert find(q="dijit dönüş") == ["Dijital Dönüşüm Programı"]


def test_a_title_match_ranks_before_a_summary_match() -> None:
    OpportunityFactory.create(
        title="Genel Destek", summary="Çevre projeleri de desteklenir.", deadline_date=in_days(3)
    )
    OpportunityFactory.create(title="Çevre Hibesi", summary="", deadline_date=in_days(40))
    assert find(q="çevre") == ["Çevre Hibesi", "Genel Destek"]
    assert find(q="çevre", sort="deadline") == ["Genel Destek", "Çevre Hibesi"]


def test_an_edited_title_is_found_by_its_new_words() -> None:
    call = OpportunityFactory.create(title="Eski Başlık")
    call.title = "Yepyeni Başlık"
    from kaynak.radar.services import _refresh_derived

    _refresh_derived(call)
    call.save()
    assert find(q="yepyeni") == ["Yepyeni Başlık"]
    assert find(q="eski") == []


def test_search_text_without_words_does_not_filter() -> None:
    OpportunityFactory.create(title="Bir")
    assert find(q="!!!") == ["Bir"]


def test_a_word_finds_its_longer_forms_and_postgresql_also_stems() -> None:
    OpportunityFactory.create(title="Kadınların Kooperatiflerine Destek", summary="")
    OpportunityFactory.create(title="Kadın Girişimciler", summary="")
    assert sorted(find(q="kadın")) == ["Kadın Girişimciler", "Kadınların Kooperatiflerine Destek"]
    # The Turkish stemmer reduces "kadınların" to "kadın"; SQLite's index only knows prefixes.
    stemmed = ["Kadın Girişimciler"] if connection.vendor == "postgresql" else []
    assert sorted(find(q="kadınların")) == [*stemmed, "Kadınların Kooperatiflerine Destek"]


def test_sqlite_without_fts5_falls_back_to_folded_matching(monkeypatch: Any) -> None:
    monkeypatch.setattr(search_index, "sqlite_has_fts5", lambda: False)
    OpportunityFactory.create(title="İzmir Gençlik Hibesi")
    OpportunityFactory.create(title="Ankara Kültür Fonu")
    assert find(q="IZMIR genç") == ["İzmir Gençlik Hibesi"]


def test_search_asks_a_fixed_number_of_queries(django_assert_num_queries: Any) -> None:
    for n in range(5):
        OpportunityFactory.create(title=f"Çağrı {n}", themes=["women"])
    with django_assert_num_queries(2):  # the calls with their funders, then their themes
        assert len(list(search(SearchFilters(q="çağrı", themes=("women",))))) == 5
