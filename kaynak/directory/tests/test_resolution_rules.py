"""The identity rules of docs/directory.md, one by one, on two typed records (no database)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bench.labelled import ascii_tr, lower_tr, upper_tr
from kaynak.directory.resolution import CANDIDATE_THRESHOLD, SAME_THRESHOLD
from kaynak.directory.resolution.names import legal_form_slug, parse_name
from kaynak.directory.resolution.scoring import Comparison, compare, record_profile

EGE = "Ege Çevre ve Doğa Koruma Derneği"


def score(a: str, b: str, *, city_a: str = "", city_b: str = "", **extra: str) -> Comparison:
    left = {k[:-2]: v for k, v in extra.items() if k.endswith("_a")}
    right = {k[:-2]: v for k, v in extra.items() if k.endswith("_b")}
    return compare(
        record_profile(name=a, city=city_a, **left), record_profile(name=b, city=city_b, **right)
    )


def same(a: str, b: str, **kwargs: str) -> bool:
    return score(a, b, **kwargs).score >= SAME_THRESHOLD


# --- what does not make a new organisation ---------------------------------------------------


@pytest.mark.parametrize(
    "variant",
    [
        "EGE CEVRE VE DOGA KORUMA DERNEGI",
        "EGE ÇEVRE VE DOĞA KORUMA DERNEĞİ",
        "ege çevre ve doğa koruma derneği",
        "Ege Cevre ve Doga Koruma Dernegi",
    ],
)
def test_case_and_turkish_letters_written_in_ascii_do_not_make_a_new_organisation(variant):
    assert same(EGE, variant)


@pytest.mark.parametrize(
    "variant",
    [
        "Ege Çevre ve Doğa Koruma Der.",
        "Ege Çevre ve Doğa Koruma Dern.",
        "Ege Çevre ve Doğa Koruma Drn.",
        "Ege Çevre ve Doğa Koruma Dernek",
        "EGE CEVRE VE DOGA KORUMA DER",
    ],
)
def test_abbreviations_of_dernegi_are_the_same_organisation(variant):
    assert same(EGE, variant)


@pytest.mark.parametrize(
    ("full", "abbreviated"),
    [
        ("Toprak Ana Vakfı", "Toprak Ana Vkf."),
        ("Toprak Ana Vakfı", "Toprak Ana Vak."),
        ("Toprak Ana Vakfı", "TOPRAK ANA VAKIF"),
        ("Kadın Emeği Kooperatifi", "Kadın Emeği Koop."),
        ("Kadın Emeği Kooperatifi", "Kadın Emeği Kop."),
        ("Engelliler Spor Federasyonu", "Engelliler Spor Fed."),
        ("Kent Hakları Platformu", "Kent Hakları Platform"),
        ("Eğitim İşçileri Sendikası", "Eğitim İşçileri Sendika"),
        ("Tabipler Birliği", "Tabipler Birlik"),
        ("Mühendisler Odası", "Mühendisler Oda"),
        ("Kadın Emeği Ağı", "Kadın Emeği Ağ"),
        ("Kent Girişimi", "Kent Girişim"),
        ("Kamu Emekçileri Konfederasyonu", "Kamu Emekçileri Konfederasyon"),
    ],
)
def test_other_legal_forms_and_their_abbreviations_are_the_same(full, abbreviated):
    assert same(full, abbreviated)


def test_a_missing_legal_form_is_the_same_organisation():
    assert same(EGE, "Ege Çevre ve Doğa Koruma")


@pytest.mark.parametrize(
    "suffix", ["Genel Merkezi", "Gen. Mrk.", "GENEL MERKEZİ", "İktisadi İşletmesi"]
)
def test_head_office_and_business_arm_are_the_organisation_itself(suffix):
    assert same(EGE, f"{EGE} {suffix}")


@pytest.mark.parametrize(
    "variant",
    [
        "  Ege  Çevre ve Doğa Koruma Derneği.",
        "Ege Çevre - Doğa Koruma Derneği",
        "Ege Çevre & Doğa Koruma Derneği",
        "Ege Çevre ve Doğa Koruma Derneği,",
        "Ege Çevre Ve Doğa Koruma Derneği",
    ],
)
def test_punctuation_stray_spaces_and_linking_words_do_not_matter(variant):
    assert same(EGE, variant)


@pytest.mark.parametrize(
    "typo",
    [
        "Ege Çevre ve Doğa Korma Derneği",  # a letter missing
        "Ege Çevre ve Doğa Korumma Derneği",  # a letter doubled
        "Ege Çevre ve Doğa Kourma Derneği",  # two letters swapped
        "Ege Çevre ve Doğa Koruna Derneği",  # a neighbouring key
    ],
)
def test_a_small_typo_is_the_same_organisation(typo):
    assert same(EGE, typo)


def test_words_run_together_are_the_same_organisation():
    assert same("Sivil Toplum Geliştirme Derneği", "Siviltoplum Geliştirme Derneği")


@pytest.mark.parametrize("acronym", ["EÇEDEK", "ECEDEK"])
def test_an_acronym_of_the_name_is_the_same_organisation(acronym):
    assert same(EGE, acronym)


@pytest.mark.parametrize(
    ("name", "acronym"),
    [
        ("Türkiye Eğitim Gönüllüleri Vakfı", "TEGV"),
        ("Türkiye Eğitim Gönüllüleri Vakfı", "T.E.G.V."),
        ("Kadın Girişimciler Derneği", "KAGİDER"),
        ("Çağdaş Yaşamı Destekleme Derneği", "ÇYDD"),
        ("Toplum Gönüllüleri Vakfı", "TOG"),
    ],
)
def test_acronyms_made_the_usual_ways_are_recognised(name, acronym):
    assert same(name, acronym)
    assert "acronym" in score(name, acronym).evidence


def test_an_acronym_written_with_the_name_is_its_short_name():
    assert same("EÇEDEK", "Ege Çevre ve Doğa Koruma Derneği (EÇEDEK)")
    assert parse_name(f"{EGE} (EÇEDEK)").acronym == "ecedek"


def test_an_acronym_that_skips_words_in_the_middle_is_only_a_candidate():
    result = score("Spastik Çocuklar Su ve Teknoloji Derneği", "SÇTD")
    assert CANDIDATE_THRESHOLD <= result.score < SAME_THRESHOLD


def test_letters_that_cannot_be_read_from_the_name_are_not_its_acronym():
    assert score(EGE, "TEGV").score < CANDIDATE_THRESHOLD


# --- hard negatives ----------------------------------------------------------------------------


def test_a_branch_is_its_own_organisation_and_never_its_parent_by_name():
    result = score(EGE, f"{EGE} İzmir Şubesi")
    assert result.score < CANDIDATE_THRESHOLD
    assert result.distinct
    assert "branch" in result.evidence


def test_a_branch_abbreviated_is_still_a_branch():
    assert parse_name("Kadın Dayanışma Der. İzmir Şb.").branch == "35"
    assert parse_name("KADIN DAYANIŞMA DERNEĞİ İZMİR ŞUBESİ").branch == "35"
    assert same("Kadın Dayanışma Derneği İzmir Şubesi", "KADIN DAYANISMA DER. IZMIR SB.")


def test_a_place_after_the_name_says_where_but_a_branch_in_brackets_is_a_branch():
    assert parse_name("KADIN DAYANIŞMA DERNEĞİ - VAN").place_hint == 65
    assert parse_name("Kadın Dayanışma Derneği (Van)").branch == ""
    assert parse_name("Kadın Dayanışma Derneği (Van Şubesi)").branch == "65"


def test_a_branch_stays_apart_from_its_parent_even_on_the_parents_domain():
    result = score(
        EGE,
        f"{EGE} Ankara Şubesi",
        email_a="info@ecedek.org.tr",
        email_b="ankara@ecedek.org.tr",
    )
    assert result.score < SAME_THRESHOLD
    assert result.distinct


def test_two_branches_in_different_places_are_different_organisations():
    result = score(f"{EGE} İzmir Şubesi", f"{EGE} Ankara Şubesi")
    assert result.distinct
    assert result.score < CANDIDATE_THRESHOLD


def test_the_same_name_in_van_and_izmir_is_two_organisations():
    result = score(
        "Kadın Dayanışma Derneği", "Kadın Dayanışma Derneği", city_a="Van", city_b="İzmir"
    )
    assert result.score < CANDIDATE_THRESHOLD
    assert result.distinct
    assert "different-province" in result.evidence


@pytest.mark.parametrize(
    ("signal_a", "signal_b"),
    [
        ({"email_a": "info@kadindayanisma.org.tr"}, {"email_b": "baskan@kadindayanisma.org.tr"}),
        ({"phone_a": "0432 214 12 12"}, {"phone_b": "+90 (432) 2141212"}),
        ({"registry_no_a": "65-045-012"}, {"registry_no_b": "65045012"}),
    ],
)
def test_a_strong_signal_joins_the_same_name_across_provinces(signal_a, signal_b):
    result = score(
        "Kadın Dayanışma Derneği",
        "Kadın Dayanışma Derneği",
        city_a="Van",
        city_b="İzmir",
        **signal_a,
        **signal_b,
    )
    assert result.score >= SAME_THRESHOLD


def test_free_mail_domains_are_no_evidence():
    result = score(
        "Kadın Dayanışma Derneği",
        "Kadın Dayanışma Derneği",
        city_a="Van",
        city_b="İzmir",
        email_a="kdd.van@gmail.com",
        email_b="kdd.izmir@gmail.com",
    )
    assert result.score < CANDIDATE_THRESHOLD
    assert "email-domain" not in result.evidence


def test_two_different_names_sharing_a_phone_are_only_candidates():
    result = score(
        "Yeşil Gelecek Derneği",
        "Kadın Emeği Derneği",
        phone_a="0232 463 12 12",
        phone_b="+90 232 463 1212",
    )
    assert CANDIDATE_THRESHOLD <= result.score < SAME_THRESHOLD
    assert "phone" in result.evidence


def test_an_umbrella_body_sharing_its_members_office_is_not_the_member():
    result = score(
        "Ege Kadın Dernekleri Federasyonu",
        "İzmir Kadın Dayanışma Derneği",
        phone_a="0232 463 12 12",
        phone_b="0232 463 12 12",
    )
    assert result.score < CANDIDATE_THRESHOLD
    assert result.distinct


def test_two_different_names_at_one_domain_are_not_the_same():
    result = score(
        "Kadın Dayanışma Derneği",
        "Yeşil Gelecek Derneği",
        email_a="info@ornek.org.tr",
        email_b="bilgi@ornek.org.tr",
    )
    assert result.score < SAME_THRESHOLD


def test_an_association_and_a_foundation_of_one_name_are_two_legal_entities():
    result = score("Toprak Ana Derneği", "Toprak Ana Vakfı")
    assert result.distinct
    assert result.score < CANDIDATE_THRESHOLD
    assert "different-legal-form" in result.evidence


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Kadın Dayanışma Derneği", "Kadın Yardımlaşma Derneği"),
        ("Genç Yaşam Derneği", "Genç Umut Derneği"),
        ("Van Kadın Derneği", "Muş Kadın Derneği"),
        ("Eğitim Sen Ankara 1 No'lu Şube", "Eğitim Sen Ankara 2 No'lu Şube"),
        ("Doğa Koruma Derneği", "Ege Doğa Koruma Derneği"),
    ],
)
def test_similar_names_of_different_organisations_are_not_the_same(a, b):
    assert score(a, b).score < SAME_THRESHOLD


def test_different_registry_numbers_of_one_kind_mean_different_organisations():
    result = score(
        "Kadın Dayanışma Derneği",
        "Kadın Dayanışma Derneği",
        registry_no_a="1234567890",
        registry_no_b="1234567899",
    )
    assert result.distinct
    assert result.score < SAME_THRESHOLD


def test_the_same_name_with_no_city_on_one_side_is_the_same():
    assert same("Kadın Dayanışma Derneği", "KADIN DAYANISMA DERNEGI", city_a="Van")


def test_the_city_is_read_the_same_way_on_both_sides():
    assert same(EGE, EGE, city_a="İZM", city_b="Karşıyaka")
    assert "province" in score(EGE, EGE, city_a="İZM", city_b="Karşıyaka").evidence


def test_the_legal_form_suggests_the_applicant_type():
    assert legal_form_slug("Toprak Ana Vkf.") == "foundation"
    assert legal_form_slug("Ege Çevre Der.") == "association"
    assert legal_form_slug("Kadın Emeği Koop.") == "cooperative"
    assert legal_form_slug("Ege Çevre") == ""


# --- properties --------------------------------------------------------------------------------

WORDS = [
    "Ege", "Çevre", "Doğa", "Koruma", "Kadın", "Dayanışma", "Işık", "Gençlik", "Eğitim",
    "Kültür", "Şehit", "Aileleri", "Ilgaz", "Ağaç", "Öğretmenler", "Üretim", "İnsan", "Hakları",
    "Çiftçiler", "Göçmen", "Sığınak", "Umut", "Yarın", "Güneş", "Kırsal", "Kalkınma",
]  # fmt: skip
FORMS = ["Derneği", "Vakfı", "Kooperatifi", "Federasyonu", "Platformu", "Girişimi", "Birliği"]
names = st.builds(
    lambda words, form: " ".join([*words, form]),
    st.lists(st.sampled_from(WORDS), min_size=2, max_size=5, unique=True),
    st.sampled_from(FORMS),
)


@given(names)
def test_a_name_always_matches_its_own_case_and_ascii_variants(name):
    for variant in (upper_tr(name), lower_tr(name), ascii_tr(name), ascii_tr(upper_tr(name))):
        assert same(name, variant), variant


@given(names, st.sampled_from(["Genel Merkezi", "Gen. Mrk."]))
def test_a_name_always_matches_itself_with_genel_merkezi(name, suffix):
    assert same(name, f"{name} {suffix}")


@given(names, names)
def test_the_score_does_not_depend_on_which_record_comes_first(a, b):
    assert score(a, b).score == pytest.approx(score(b, a).score)
    assert score(a, b).distinct == score(b, a).distinct


@given(names, st.sampled_from(["Van", "İzmir", "Muş", "Ankara"]))
def test_a_name_in_two_provinces_is_never_the_same_without_a_strong_signal(name, city):
    other = "Edirne"
    assert score(name, name, city_a=city, city_b=other).score < SAME_THRESHOLD


@given(names, st.sampled_from(["İzmir", "Kadıköy", "Van"]))
def test_a_branch_never_matches_its_parent_by_name(name, place):
    assert score(name, f"{name} {place} Şubesi").score < SAME_THRESHOLD


def test_a_typo_in_the_legal_form_is_still_the_legal_form():
    assert parse_name("Ege Çevre ve Doğa Koruma Dernei").legal_form == "dernek"
    assert same(EGE, "Ege Çevre ve Doğa Koruma Dernegı")


def test_the_state_prefix_tc_names_no_one():
    assert same("T.C. Kadıköy Belediyesi", "Kadıköy Belediyesi")


def test_a_name_may_carry_its_own_province_or_not():
    assert same("İzmir Kadın Dayanışma Derneği", "Kadın Dayanışma Derneği", city_a="İzmir")
    assert same(
        "Kadın Dayanışma Derneği", "IZMIR KADIN DAYANISMA DERNEGI", city_a="35", city_b="İzmir"
    )
    # Another province's name in it is another organisation.
    assert not same("Van Kadın Dayanışma Derneği", "Kadın Dayanışma Derneği", city_a="İzmir")
