"""People: the organisation rules in spirit — name variants, e-mail, phones in any format."""

from __future__ import annotations

import pytest
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from bench.labelled import ascii_tr, lower_tr, upper_tr
from kaynak.directory.resolution import (
    CANDIDATE_THRESHOLD,
    SAME_THRESHOLD,
    PersonRecord,
    person_candidates,
)
from kaynak.directory.resolution.people import (
    cluster_people,
    compare_people,
    frequencies_of,
    link_people,
    name_similarity,
    person_name_words,
    person_pairs,
    person_profile,
)
from kaynak.directory.tests.factories import PersonFactory


def compare(a: dict[str, str], b: dict[str, str]):
    left, right = person_profile(**a), person_profile(**b)
    return compare_people(left, right, frequencies_of([left, right]), prior_bits=-15)


def similar(a: str, b: str) -> float:
    return name_similarity(person_name_words(a), person_name_words(b))


# --- names ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "variant",
    ["AYŞE YILMAZ", "ayse yilmaz", "Yılmaz Ayşe", "YILMAZ, Ayşe", "Dr. Ayşe Yılmaz", "Ayse Yilmaz"],
)
def test_name_order_case_titles_and_turkish_letters_do_not_matter(variant):
    assert similar("Ayşe Yılmaz", variant) == 1.0


def test_a_middle_name_may_be_left_out():
    assert similar("Ayşe Nur Yılmaz", "Ayşe Yılmaz") >= 0.9


def test_names_run_together_are_the_same():
    assert similar("Ayşenur Yılmaz", "Ayşe Nur Yılmaz") >= 0.95


def test_an_initial_stands_for_a_first_name():
    assert 0.8 <= similar("A. Yılmaz", "Ayşe Yılmaz") < 1.0


def test_a_typo_costs_little():
    assert similar("Mehmet Öztürk", "Mehmte Ozturk") >= 0.9


def test_different_first_names_are_different_people():
    assert similar("Ayşe Yılmaz", "Fatma Yılmaz") < 0.6


@given(
    st.sampled_from(["Ayşe", "Çiğdem", "Ilgın", "İpek", "Şükrü", "Gülşen", "Ömer"]),
    st.sampled_from(["Yılmaz", "Öztürk", "Çelik", "Işık", "Ağaoğlu", "Şimşek"]),
)
def test_a_name_always_matches_its_case_ascii_and_reordered_variants(first, last):
    name = f"{first} {last}"
    for variant in (upper_tr(name), lower_tr(name), ascii_tr(name), f"{upper_tr(last)} {first}"):
        assert similar(name, variant) == 1.0


# --- evidence ------------------------------------------------------------------------------


def test_the_same_e_mail_makes_the_same_person_whatever_its_case():
    result = compare(
        {"full_name": "Ayşe Yılmaz", "email": "Ayse.Yilmaz@Gmail.com"},
        {"full_name": "YILMAZ Ayşe", "email": "ayse.yilmaz@gmail.com"},
    )
    assert result.score >= SAME_THRESHOLD
    assert "email" in result.evidence


@pytest.mark.parametrize("written", ["0532 123 45 67", "+90 (532) 123-4567", "5321234567"])
def test_a_phone_in_any_turkish_format_makes_the_same_person(written):
    result = compare(
        {"full_name": "Mehmet Kaya", "phone": "+905321234567"},
        {"full_name": "MEHMET KAYA", "phone": written},
    )
    assert result.score >= SAME_THRESHOLD
    assert "phone" in result.evidence


def test_a_name_alone_is_only_a_candidate():
    result = compare(
        {"full_name": "Ayşe Yılmaz", "city": "İstanbul"},
        {"full_name": "Ayşe Yılmaz", "city": "İST."},
    )
    assert CANDIDATE_THRESHOLD <= result.score < SAME_THRESHOLD


def test_family_members_sharing_a_phone_are_different_people():
    result = compare(
        {"full_name": "Ayşe Yılmaz", "phone": "0532 123 45 67"},
        {"full_name": "Mehmet Yılmaz", "phone": "0532 123 45 67"},
    )
    assert result.score < CANDIDATE_THRESHOLD
    assert result.distinct


def test_colleagues_writing_from_the_office_address_are_different_people():
    result = compare(
        {"full_name": "Ayşe Yılmaz", "email": "info@ornek.org.tr"},
        {"full_name": "Zeynep Kaya", "email": "info@ornek.org.tr"},
    )
    assert result.score < CANDIDATE_THRESHOLD
    assert result.distinct


def test_different_birth_dates_make_namesakes_different_people():
    result = compare(
        {"full_name": "Ayşe Yılmaz", "birth_date": "07.03.1984"},
        {"full_name": "Ayşe Yılmaz", "birth_date": "1990-11-02"},
    )
    assert result.distinct
    assert result.score < SAME_THRESHOLD


def test_an_identity_number_and_birth_date_outweigh_a_mistyped_first_name():
    result = compare(
        {"full_name": "Ayşe Yılmaz", "identifier": "12345678901", "birth_date": "1984-03-07"},
        {"full_name": "Fatma Yılmaz", "identifier": "12345678901", "birth_date": "07.03.1984"},
    )
    assert result.score >= SAME_THRESHOLD


def test_the_same_organisation_and_name_make_the_same_person():
    result = compare(
        {"full_name": "Ayşe Yılmaz", "organisation": "Ege Çevre ve Doğa Koruma Derneği"},
        {"full_name": "AYSE YILMAZ", "organisation": "EGE CEVRE VE DOGA KORUMA DER."},
    )
    assert result.score >= SAME_THRESHOLD
    assert "organisation" in result.evidence


# --- in bulk -------------------------------------------------------------------------------


def test_people_in_one_list_are_clustered_and_namesakes_kept_apart():
    profiles = [
        person_profile(full_name="Ayşe Yılmaz", email="ayse@ornek.org.tr"),
        person_profile(full_name="YILMAZ, Ayşe", email="AYSE@ORNEK.ORG.TR", phone="0532 1234567"),
        person_profile(full_name="Ayşe Nur Yılmaz", phone="+90 532 123 45 67"),
        person_profile(full_name="Ayşe Yılmaz", email="ayse.yilmaz@gmail.com", city="Van"),
        person_profile(full_name="Mehmet Yılmaz", phone="0532 123 45 67"),
    ]
    assert cluster_people(profiles) == [0, 0, 0, 3, 4]
    assert [(i, j) for i, j, _s in person_pairs(profiles)] == [(0, 1), (1, 2)]


def test_two_lists_of_people_are_linked():
    left = [person_profile(full_name="Ayşe Yılmaz", email="ayse@ornek.org.tr")]
    right = [
        person_profile(full_name="Mehmet Kaya", email="mehmet@ornek.org.tr"),
        person_profile(full_name="AYSE YILMAZ", email="Ayse@ornek.org.tr"),
    ]
    assert [(i, j) for i, j, _s in link_people(left, right)] == [(0, 1)]


# --- at the door ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_door_finds_a_known_person_by_e_mail_or_phone():
    ayse = PersonFactory.create(full_name="Ayşe Yılmaz", emails=["ayse@ornek.org.tr"])
    mehmet = PersonFactory.create(full_name="Mehmet Kaya", emails=[], phones=["+905321234567"])
    by_email = person_candidates(PersonRecord("YILMAZ Ayşe", email="Ayse@Ornek.org.tr"))
    by_phone = person_candidates(PersonRecord("Mehmet Kaya", phone="0532 123 45 67"))
    assert [c.id for c in by_email] == [ayse.pk]
    assert by_email[0].score >= SAME_THRESHOLD
    assert [c.id for c in by_phone] == [mehmet.pk]
    assert by_phone[0].score >= SAME_THRESHOLD


@pytest.mark.django_db
def test_the_door_offers_namesakes_as_candidates_only():
    PersonFactory.create(full_name="Ayşe Yılmaz")
    PersonFactory.create(full_name="Ayşe Yılmaz")
    found = person_candidates(PersonRecord("Ayşe Yılmaz"))
    assert len(found) == 2
    assert all(CANDIDATE_THRESHOLD <= c.score < SAME_THRESHOLD for c in found)


@pytest.mark.django_db
def test_the_door_can_look_only_among_people_sharing_an_address_or_phone():
    namesake = PersonFactory.create(full_name="Ayşe Yılmaz", emails=["ayse@baska.org"])
    same = PersonFactory.create(full_name="Ayse YILMAZ", emails=["ayse@ornek.org.tr"])
    record = PersonRecord("Ayşe Yılmaz", email="AYSE@ornek.org.tr")

    everyone = {c.id for c in person_candidates(record)}
    sharing = [c.id for c in person_candidates(record, sharing_contacts=True)]

    assert everyone == {namesake.pk, same.pk}
    assert sharing == [same.pk]


@pytest.mark.django_db
def test_an_erased_person_is_never_offered():
    person = PersonFactory.create(full_name="Ayşe Yılmaz", emails=["ayse@ornek.org.tr"])
    assert person_candidates(PersonRecord("Ayşe Yılmaz", email="ayse@ornek.org.tr"))
    person.erased_at = timezone.now()
    person.save()
    assert person_candidates(PersonRecord("Ayşe Yılmaz", email="ayse@ornek.org.tr")) == []
