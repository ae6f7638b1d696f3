from __future__ import annotations

import pytest
from django.db.models import Count

from kaynak.core.db import turkish_order
from kaynak.core.models import ApplicantType, Country, Currency, Province, Region, Theme

pytestmark = pytest.mark.django_db


def test_there_are_81_provinces_with_plate_codes_1_to_81():
    assert sorted(Province.objects.values_list("plate_code", flat=True)) == list(range(1, 82))


def test_provinces_spread_over_the_12_nuts1_regions_as_turkstat_defines_them():
    per_region = dict(Region.objects.annotate(n=Count("provinces")).values_list("code", "n"))
    assert per_region == {
        "TR1": 1,
        "TR2": 5,
        "TR3": 8,
        "TR4": 8,
        "TR5": 3,
        "TR6": 8,
        "TR7": 8,
        "TR8": 10,
        "TR9": 6,
        "TRA": 7,
        "TRB": 8,
        "TRC": 9,
    }
    assert Province.objects.get(name="Van").region_id == "TRB"
    assert Province.objects.get(plate_code=34).name == "İstanbul"


def test_province_ascii_names_drop_turkish_letters():
    assert Province.objects.get(plate_code=63).name_ascii == "Sanliurfa"
    assert Province.objects.get(plate_code=76).name_ascii == "Igdir"


def test_provinces_sort_in_turkish_alphabetical_order_in_the_database():
    names = list(Province.objects.order_by(turkish_order("name")).values_list("name", flat=True))
    # C before Ç, I before İ, O before Ö, S before Ş, U before Ü.
    assert names.index("Bursa") < names.index("Çanakkale") < names.index("Denizli")
    assert names.index("Iğdır") < names.index("Isparta") < names.index("İstanbul")
    assert names.index("Osmaniye") < names.index("Rize")
    assert names.index("Sivas") < names.index("Şanlıurfa") < names.index("Tekirdağ")
    assert names.index("Uşak") < names.index("Van")
    assert names[-1] == "Zonguldak"


def test_countries_include_turkey_in_turkish_and_kosovo():
    assert Country.objects.get(code="TR").name_tr == "Türkiye"
    assert Country.objects.get(code="DE").name_tr == "Almanya"
    kosovo = Country.objects.get(code="XK")
    assert (kosovo.name_tr, kosovo.name_en) == ("Kosova", "Kosovo")
    assert Country.objects.count() >= 250


def test_currencies_include_lira_and_euro_with_turkish_names():
    assert Currency.objects.get(code="TRY").name_tr == "Türk Lirası"
    assert Currency.objects.get(code="EUR").name_en == "Euro"


def test_theme_and_applicant_type_slugs_are_the_stable_ones_other_apps_rely_on():
    assert set(Theme.objects.values_list("slug", flat=True)) == {
        "children",
        "youth",
        "women",
        "gender-equality",
        "lgbti",
        "disability",
        "ageing",
        "human-rights",
        "freedom-of-expression",
        "media",
        "democracy",
        "civil-society",
        "migration",
        "health",
        "poverty",
        "labour",
        "environment",
        "rural-development",
        "culture-arts",
        "education",
        "disaster",
        "peace",
    }
    assert set(ApplicantType.objects.values_list("slug", flat=True)) == {
        "association",
        "foundation",
        "cooperative",
        "federation",
        "platform",
        "informal-group",
        "university",
        "public-body",
        "municipality",
        "chamber",
        "company",
        "individual",
        "union",
    }


def test_labels_follow_the_active_language():
    from django.utils import translation

    theme = Theme.objects.get(slug="environment")
    with translation.override("tr"):
        assert str(theme) == "Çevre ve iklim"
    with translation.override("en"):
        assert str(theme) == "Environment and climate"
