"""The resolver against the database: at the door, in bulk, and the duplicates it proposes."""

from __future__ import annotations

import pytest
from django.db import connection

from kaynak.directory.models import Organisation
from kaynak.directory.resolution import (
    CANDIDATE_THRESHOLD,
    SAME_THRESHOLD,
    OrganisationRecord,
    cluster_organisations,
    duplicate_organisation_pairs,
    organisation_candidates,
)
from kaynak.directory.resolution.organisations import DATABASE
from kaynak.directory.services import organisation_update
from kaynak.directory.tests.factories import OrganisationFactory, province

pytestmark = pytest.mark.django_db

EGE = "Ege Çevre ve Doğa Koruma Derneği"


def ids(candidates):
    return [c.id for c in candidates]


@pytest.fixture
def ege():
    return OrganisationFactory.create(
        name=EGE, province=province(35), emails=["info@ecedek.org.tr"], phones=["+902324631212"]
    )


# --- at the door ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "record",
    [
        OrganisationRecord("EGE CEVRE VE DOGA KORUMA DERNEGI"),
        OrganisationRecord("Ege Çevre ve Doğa Koruma Der.", city="IZMIR"),
        OrganisationRecord("ege cevre ve doga korma dernegi", city="35"),
        OrganisationRecord("Ege Çevre ve Doğa Koruma Derneği Genel Merkezi"),
        OrganisationRecord("ECEDEK", city="İzmir"),
    ],
)
def test_the_door_offers_a_known_organisation_however_it_is_typed(ege, record):
    candidates = organisation_candidates(record)
    assert ids(candidates)[:1] == [ege.pk]
    assert candidates[0].score >= SAME_THRESHOLD


def test_the_door_finds_an_organisation_by_its_short_name(ege):
    organisation_update(organisation=ege, actor=None, short_name="EÇEDEK")
    candidates = organisation_candidates(OrganisationRecord("EÇEDEK"))
    assert ids(candidates) == [ege.pk]
    assert candidates[0].evidence == ["acronym"]


def test_the_door_finds_by_phone_or_domain_whatever_the_name(ege):
    by_phone = organisation_candidates(OrganisationRecord("EÇDKD İzmir", phone="0232 463 12 12"))
    by_domain = organisation_candidates(
        OrganisationRecord("Çevre Derneği", email="baskan@ecedek.org.tr")
    )
    assert ege.pk in ids(by_phone)
    assert ege.pk in ids(by_domain)


def test_the_door_offers_nothing_for_an_unknown_organisation(ege):
    assert organisation_candidates(OrganisationRecord("Yeşil Gelecek Vakfı", city="Van")) == []


def test_namesakes_in_two_provinces_are_both_offered_when_no_city_is_typed():
    van = OrganisationFactory.create(name="Kadın Dayanışma Derneği", province=province(65))
    izmir = OrganisationFactory.create(name="Kadın Dayanışma Derneği", province=province(35))
    found = organisation_candidates(OrganisationRecord("KADIN DAYANIŞMA DERNEĞİ"))
    assert set(ids(found)) == {van.pk, izmir.pk}


def test_with_a_city_only_the_namesake_in_that_province_is_offered():
    OrganisationFactory.create(name="Kadın Dayanışma Derneği", province=province(65))
    izmir = OrganisationFactory.create(name="Kadın Dayanışma Derneği", province=province(35))
    found = organisation_candidates(OrganisationRecord("Kadın Dayanışma Derneği", city="İzmir"))
    assert ids(found) == [izmir.pk]


def test_a_gmail_address_does_not_join_namesakes_in_two_provinces():
    van = OrganisationFactory.create(
        name="Kadın Dayanışma Derneği", province=province(65), emails=["kdd.van@gmail.com"]
    )
    record = OrganisationRecord(
        "Kadın Dayanışma Derneği", city="Muş", email="kadindayanisma@gmail.com"
    )
    assert van.pk not in ids(organisation_candidates(record))


def test_the_parent_is_not_offered_for_its_branch(ege):
    branch = OrganisationFactory.create(
        name=f"{EGE} Ankara Şubesi", province=province(6), parent=ege
    )
    found = organisation_candidates(OrganisationRecord(f"{EGE} Ankara Şb.", city="ANK"))
    assert ids(found) == [branch.pk]
    assert ege.pk not in ids(organisation_candidates(OrganisationRecord(f"{EGE} İzmir Şubesi")))


def test_candidates_are_best_first_and_limited():
    for plate in (1, 6, 34, 35, 65, 21, 7):
        OrganisationFactory.create(name="Kadın Dayanışma Derneği", province=province(plate))
    found = organisation_candidates(OrganisationRecord("Kadın Dayanışma Derneği"), limit=3)
    assert len(found) == 3
    assert [c.score for c in found] == sorted((c.score for c in found), reverse=True)
    assert all(c.score >= CANDIDATE_THRESHOLD for c in found)


def test_a_new_organisation_is_seen_at_the_door_at_once(ege):
    assert organisation_candidates(OrganisationRecord("Yeşil Gelecek Vakfı")) == []
    green = OrganisationFactory.create(name="Yeşil Gelecek Vakfı")
    assert ids(organisation_candidates(OrganisationRecord("YESIL GELECEK VAKFI"))) == [green.pk]


def test_a_renamed_organisation_is_found_by_its_new_name(ege):
    organisation_candidates(OrganisationRecord(EGE))
    organisation_update(organisation=ege, actor=None, name="Ege Doğa Derneği")
    assert ids(organisation_candidates(OrganisationRecord("Ege Doga Dernegi"))) == [ege.pk]
    assert organisation_candidates(OrganisationRecord(EGE)) == []


def test_a_deleted_organisation_is_never_offered(ege):
    other = OrganisationFactory.create(name="Yeşil Gelecek Vakfı")
    assert ids(organisation_candidates(OrganisationRecord(EGE))) == [ege.pk]
    Organisation.objects.filter(pk=ege.pk).delete()
    # A delete without a save is noticed by the row count; force the count now.
    DATABASE._counted_at = 0.0
    assert organisation_candidates(OrganisationRecord(EGE)) == []
    assert ids(organisation_candidates(OrganisationRecord("Yeşil Gelecek Vakfı"))) == [other.pk]


def test_a_record_restored_with_its_old_timestamp_is_read_again(ege):
    # Undoing a merge writes the old values back with the old ``updated_at``.
    other = OrganisationFactory.create(name="Yeşil Gelecek Vakfı")
    organisation_candidates(OrganisationRecord(EGE))
    Organisation.objects.filter(pk=other.pk).update(
        name="Mavi Kalem Derneği", updated_at=ege.updated_at
    )
    assert ids(organisation_candidates(OrganisationRecord("Mavi Kalem Derneği"))) == [other.pk]


def test_a_warm_look_up_asks_the_database_two_small_questions(ege, django_assert_num_queries):
    organisation_candidates(OrganisationRecord(EGE))
    DATABASE._counted_at = float("inf")  # the row count was just asked
    with django_assert_num_queries(2):
        organisation_candidates(OrganisationRecord("Ege Cevre Der."))


# --- in bulk -------------------------------------------------------------------------------


def test_rows_are_clustered_in_order_and_linked_to_known_organisations(ege):
    van = OrganisationFactory.create(name="Kadın Dayanışma Derneği", province=province(65))
    rows = [
        OrganisationRecord("EGE CEVRE VE DOGA KORUMA DER.", city="İzmir"),
        OrganisationRecord("Yeşil Gelecek Vakfı", city="Bursa"),
        OrganisationRecord("Kadın Dayanışma Derneği", city="VAN"),
        OrganisationRecord("YESIL GELECEK VAKFI", city="16"),
        OrganisationRecord("Kadın Dayanışma Derneği", city="İzmir"),
        OrganisationRecord("Kadin Dayanisma Dernegi", city="izmir"),
        OrganisationRecord("Ege Çevre ve Doğa Koruma Derneği Ankara Şubesi"),
    ]
    matches = cluster_organisations(rows)
    assert [m.row for m in matches] == [1, 2, 3, 4, 5, 6, 7]
    assert [m.cluster for m in matches] == [
        f"org-{ege.pk}",
        "new-2",
        f"org-{van.pk}",
        "new-2",
        "new-5",
        "new-5",
        "new-7",
    ]
    assert [m.organisation_id for m in matches] == [ege.pk, None, van.pk, None, None, None, None]
    assert all(0 <= m.score <= 1 for m in matches)
    assert "name" in matches[0].evidence


def test_clustering_gives_the_same_answer_every_time(ege):
    rows = [OrganisationRecord(name) for name in [EGE, "ECEDEK", "Ege Cevre Der.", "Umut Vakfı"]]
    assert cluster_organisations(rows) == cluster_organisations(list(rows))


def test_with_an_empty_database_rows_are_clustered_among_themselves():
    rows = [
        OrganisationRecord(EGE),
        OrganisationRecord("EGE ÇEVRE VE DOĞA KORUMA DERN."),
        OrganisationRecord("Kadın Dayanışma Derneği", city="Van"),
        OrganisationRecord("Kadın Dayanışma Derneği", city="İzmir"),
    ]
    matches = cluster_organisations(rows)
    assert [m.cluster for m in matches] == ["new-1", "new-1", "new-3", "new-4"]
    assert {m.organisation_id for m in matches} == {None}


def test_without_an_organisations_table_rows_are_clustered_among_themselves(monkeypatch):
    monkeypatch.setattr(DATABASE, "_table_seen", False)
    monkeypatch.setattr(connection.introspection, "table_names", lambda *args, **kwargs: [])
    matches = cluster_organisations([OrganisationRecord(EGE), OrganisationRecord("ECEDEK")])
    assert [m.cluster for m in matches] == ["new-1", "new-1"]


def test_against_database_false_ignores_the_known_organisations(ege):
    matches = cluster_organisations([OrganisationRecord(EGE)], against_database=False)
    assert matches[0].organisation_id is None
    assert matches[0].cluster == "new-1"


def test_a_row_that_fits_two_known_namesakes_equally_is_linked_to_neither():
    OrganisationFactory.create(name="Kadın Dayanışma Derneği", province=province(65))
    OrganisationFactory.create(name="Kadın Dayanışma Derneği", province=province(35))
    [match] = cluster_organisations([OrganisationRecord("Kadın Dayanışma Derneği")])
    assert match.organisation_id is None
    assert match.evidence == ("ambiguous",)
    assert match.score == 0.5


def test_a_detail_decides_between_known_namesakes():
    OrganisationFactory.create(name="Kadın Dayanışma Derneği", province=province(65))
    izmir = OrganisationFactory.create(
        name="Kadın Dayanışma Derneği", province=province(35), phones=["+902324631212"]
    )
    [match] = cluster_organisations(
        [OrganisationRecord("Kadın Dayanışma Derneği", phone="0 (232) 463 12 12")]
    )
    assert match.organisation_id == izmir.pk
    assert "phone" in match.evidence


def test_a_vague_row_never_chains_two_organisations_into_one_cluster():
    rows = [
        OrganisationRecord("Kadın Dayanışma Derneği", city="Van"),
        OrganisationRecord("Kadın Dayanışma Derneği"),
        OrganisationRecord("Kadın Dayanışma Derneği", city="İzmir"),
    ]
    clusters = [m.cluster for m in cluster_organisations(rows)]
    assert clusters[0] != clusters[2]


# --- for staff -----------------------------------------------------------------------------


def test_duplicate_pairs_find_the_same_organisation_entered_twice(ege):
    twin = OrganisationFactory.create(name="EGE CEVRE VE DOGA KORUMA DERN.", province=province(35))
    OrganisationFactory.create(name="Yeşil Gelecek Vakfı")
    pairs = list(duplicate_organisation_pairs())
    assert [(left, right) for left, right, _score, _evidence in pairs] == [(ege.pk, twin.pk)]
    left, right, score, evidence = pairs[0]
    assert left < right
    assert score >= SAME_THRESHOLD
    assert "name" in evidence
    assert "province" in evidence


def test_duplicate_pairs_leave_namesakes_in_other_provinces_and_branches_alone(ege):
    OrganisationFactory.create(name=EGE, province=province(6))
    OrganisationFactory.create(name=f"{EGE} Ankara Şubesi", province=province(6), parent=ege)
    OrganisationFactory.create(name=f"{EGE} Bursa Şubesi", province=province(16))
    assert list(duplicate_organisation_pairs()) == []


def test_duplicate_pairs_include_weaker_candidates_for_staff_to_judge():
    a = OrganisationFactory.create(name="Yeşil Gelecek Derneği", phones=["+902324631212"])
    b = OrganisationFactory.create(name="Kadın Emeği Derneği", phones=["+902324631212"])
    pairs = list(duplicate_organisation_pairs())
    assert [(x, y) for x, y, _s, _e in pairs] == [(a.pk, b.pk)]
    assert CANDIDATE_THRESHOLD <= pairs[0][2] < SAME_THRESHOLD
    assert list(duplicate_organisation_pairs(min_score=SAME_THRESHOLD)) == []
