"""Applicant types and countries, from the eligibility part only."""

from __future__ import annotations

import pytest

from kaynak.core.models import ApplicantType, Theme
from kaynak.radar.extraction.audience import APPLICANT_TYPE_SLUGS, EU, extract_audience
from kaynak.radar.extraction.themes import THEME_SLUGS


def types(text: str) -> list[str]:
    return extract_audience(text)["applicant_types"]


def countries(text: str) -> list[str]:
    return extract_audience(text)["countries"]


@pytest.mark.django_db
def test_the_constant_slug_lists_match_the_reference_data_in_the_database() -> None:
    assert set(APPLICANT_TYPE_SLUGS) == set(ApplicantType.objects.values_list("slug", flat=True))
    assert set(THEME_SLUGS) == set(Theme.objects.values_list("slug", flat=True))


@pytest.mark.parametrize(
    "text",
    [
        "Uygun başvuru sahipleri: sivil toplum kuruluşları",
        "Kâr amacı gütmeyen kuruluşlar başvurabilir.",
        "Eligible applicants: non-governmental organisations",
        "Who can apply: registered not-for-profit organizations",
    ],
)
def test_civil_society_phrases_mean_associations_and_foundations(text: str) -> None:
    assert types(text) == ["association", "foundation"]


def test_a_labelled_list_of_applicants_is_read_item_by_item() -> None:
    text = (
        "Uygun başvuru sahipleri:\n- Kooperatifler\n- Belediyeler\n- Üniversiteler\n\n"
        "Bütçe: 1 milyon TL"
    )
    assert types(text) == ["cooperative", "university", "municipality"]


def test_who_may_not_apply_is_left_out() -> None:
    text = (
        "Eligible applicants: NGOs and trade unions.\n"
        "For-profit companies and individuals are not eligible."
    )
    assert types(text) == ["association", "foundation", "union"]


def test_partners_are_not_applicants() -> None:
    text = "Kimler başvurabilir: dernekler; belediyeler ortak olarak yer alabilir."
    assert types(text) == ["association"]


def test_countries_only_come_from_the_eligibility_part() -> None:
    text = (
        "The Embassy of Germany announces a call.\nEligible applicants: NGOs registered in Türkiye."
    )
    assert countries(text) == ["TR"]


def test_no_stated_country_gives_an_empty_list() -> None:
    assert countries("Uygun başvuru sahipleri: dernekler ve vakıflar.") == []


def test_the_western_balkans_are_expanded() -> None:
    assert countries("Organisations from the Western Balkans may apply.") == [
        "AL",
        "BA",
        "ME",
        "MK",
        "RS",
        "XK",
    ]


def test_eu_member_states_are_expanded() -> None:
    assert countries("Eligible applicants: NGOs established in an EU Member State.") == sorted(EU)


def test_ipa_beneficiaries_are_expanded() -> None:
    assert countries("Eligible applicants: NGOs established in an IPA beneficiary.") == [
        "AL", "BA", "ME", "MK", "RS", "TR", "XK",
    ]  # fmt: skip


def test_erasmus_programme_countries_are_expanded() -> None:
    found = countries("Eligible applicants: organisations from Erasmus+ programme countries.")
    assert {"TR", "NO", "IS", "LI", "MK", "RS"} <= set(found)
    assert set(EU) <= set(found)
