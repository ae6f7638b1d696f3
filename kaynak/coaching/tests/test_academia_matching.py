"""Matching proposes academics for a request, with reasons in the user's language: shared themes,
place, shared words of the needs and the expertise (phrased differently: inflected Turkish,
English, near-spellings), availability."""

from __future__ import annotations

import pytest
from django.utils import translation

from kaynak.calls.tests.factories import ApplicationFactory
from kaynak.coaching import matching
from kaynak.coaching.models import AcademicProfile, PartnershipRequest
from kaynak.coaching.tests.factories import (
    AcademicProfileFactory,
    PartnershipFactory,
    PartnershipRequestFactory,
)
from kaynak.core.models import Theme
from kaynak.directory.tests.factories import AffiliationFactory, province

pytestmark = pytest.mark.django_db

ANKARA, KONYA, IZMIR, VAN = 6, 42, 35, 65


def theme(slug: str) -> Theme:
    return Theme.objects.get(slug=slug)


def academic(
    expertise: str,
    *,
    themes: tuple[str, ...] = (),
    provinces: tuple[int, ...] = (),
    **kwargs: object,
) -> AcademicProfile:
    profile: AcademicProfile = AcademicProfileFactory.create(
        expertise=expertise, department="", **kwargs
    )
    profile.themes.set([theme(slug) for slug in themes])
    profile.provinces.set([province(plate) for plate in provinces])
    return profile


def request_for(
    needs: str, *, themes: tuple[str, ...] = (), plate: int = ANKARA
) -> PartnershipRequest:
    request: PartnershipRequest = PartnershipRequestFactory.create(
        needs=needs, province=province(plate)
    )
    request.themes.set([theme(slug) for slug in themes])
    return request


def proposal_for(request: PartnershipRequest, profile: AcademicProfile) -> matching.Proposal:
    found = [p for p in matching.propose(request, limit=50) if p.academic == profile]
    assert found, f"{profile} was not proposed"
    return found[0]


# Words ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("needs", "expertise", "shared"),
    [
        # Turkish inflections meet through the stem.
        (
            "Engellilerin bağımsız yaşamı ve istihdamı",
            "Engellilik çalışmaları; istihdam politikaları",
            ["Engellilerin", "istihdamı"],
        ),
        # A short word meets its inflected forms ("genç" / "gençlerin").
        ("Gençlerin katılımı", "Genç katılımı ve yerel yönetimler", ["Gençlerin", "katılımı"]),
        # Capitals, dotted and dotless I, the Turkish way.
        ("İKLİM DEĞİŞİKLİĞİ", "iklim değişikliğine uyum", ["İKLİM", "DEĞİŞİKLİĞİ"]),
        # English expertise meets Turkish needs through the synonyms.
        (
            "Yaşlı kadınların yoksulluğu",
            "Poverty among older women; ageing studies",
            ["Yaşlı", "kadınların", "yoksulluğu"],
        ),
        # A near-spelling still meets.
        ("Mültecilerin istidamı", "Göç ve istihdam", ["Mültecilerin", "istidamı"]),
    ],
)
def test_needs_and_expertise_phrased_differently_share_words(needs, expertise, shared):
    request = request_for(needs, plate=VAN)
    profile = academic(expertise)

    reasons = proposal_for(request, profile).reasons

    assert f"Shared words: {', '.join(shared)}" in reasons


def test_words_that_say_nothing_do_not_make_a_match():
    request = request_for("Bu konuda bir proje yapmak istiyoruz ve desteğe ihtiyacımız var.")
    academic("Bu alanda projeler yapıyorum, destek olmak isterim.", provinces=(ANKARA,))

    assert matching.propose(request) == []


def test_unrelated_texts_in_the_same_province_are_not_a_match():
    request = request_for("Kent bostanları ve gıda güvenliği")
    academic("Osmanlı diplomasi tarihi", provinces=(ANKARA,))

    assert matching.propose(request) == []


# Themes, place, ranking -------------------------------------------------------------------------


def test_reasons_name_the_shared_theme_and_the_province():
    request = request_for("Saha araştırması", themes=("disability",), plate=IZMIR)
    profile = academic("Nitel yöntemler", themes=("disability",), provinces=(IZMIR,))

    reasons = proposal_for(request, profile).reasons

    assert "Shared theme: Disability" in reasons
    assert "Works in İzmir" in reasons or "Works in Izmir" in reasons


def test_the_same_region_is_a_weaker_reason_than_the_same_province():
    request = request_for("Kadın kooperatifleri", themes=("women",), plate=ANKARA)
    same_province = academic("Kadın emeği", themes=("women",), provinces=(ANKARA,))
    same_region = academic("Kadın emeği", themes=("women",), provinces=(KONYA,))
    elsewhere = academic("Kadın emeği", themes=("women",), provinces=(VAN,))

    proposals = matching.propose(request)

    assert [p.academic for p in proposals] == [same_province, same_region, elsewhere]
    assert "Same region: West Anatolia" in proposals[1].reasons
    assert "Elsewhere: could work online" in proposals[2].reasons


def test_reasons_follow_the_users_language():
    request = request_for("Engelli istihdamı", themes=("disability",))
    profile = academic("Engelli istihdamı", themes=("disability",), provinces=(ANKARA,))

    with translation.override("tr"):
        reasons = proposal_for(request, profile).reasons

    assert any("Engellilik" in reason for reason in reasons)


def test_a_shared_theme_and_words_rank_above_words_alone():
    request = request_for("Engelli gençlerin istihdamı", themes=("disability",))
    both = academic("Engelli istihdamı", themes=("disability",))
    words_only = academic("Engelli istihdamı")

    assert [p.academic for p in matching.propose(request)] == [both, words_only]


def test_the_organisations_language_missing_lowers_the_score_and_says_so():
    request = request_for("Göçmen kadınlar", themes=("migration",))
    request.application = ApplicationFactory.create(
        organisation=request.organisation, language="en"
    )
    request.save()
    speaks = academic("Göç", themes=("migration",), languages=["tr", "en"])
    does_not = academic("Göç", themes=("migration",), languages=["tr"])

    proposals = matching.propose(request)

    assert [p.academic for p in proposals] == [speaks, does_not]
    assert "Does not list the organisation's language" in proposals[1].reasons


# Availability -----------------------------------------------------------------------------------


def test_an_academic_not_available_is_not_proposed():
    request = request_for("Engelli istihdamı", themes=("disability",))
    academic("Engelli istihdamı", themes=("disability",), is_available=False)

    assert matching.propose(request) == []


def test_an_academic_in_three_active_partnerships_is_not_proposed_one_in_one_is_marked():
    request = request_for("Engelli istihdamı", themes=("disability",))
    busy = academic("Engelli istihdamı", themes=("disability",))
    PartnershipFactory.create_batch(3, academic=busy)
    somewhat = academic("Engelli istihdamı", themes=("disability",))
    PartnershipFactory.create(academic=somewhat)
    PartnershipFactory.create(academic=somewhat, status="completed")

    proposals = matching.propose(request)

    assert [p.academic for p in proposals] == [somewhat]
    assert "Already in 1 active partnership" in proposals[0].reasons


def test_an_academic_who_worked_with_the_organisation_is_proposed_and_marked():
    request = request_for("Engelli istihdamı", themes=("disability",))
    profile = academic("Engelli istihdamı", themes=("disability",))
    PartnershipFactory.create(
        academic=profile, organisation=request.organisation, status="completed"
    )

    proposal = proposal_for(request, profile)

    assert proposal.partnered_before
    assert "Already worked with this organisation" in proposal.reasons


def test_one_of_the_organisations_own_people_is_not_proposed_to_it():
    request = request_for("Engelli istihdamı", themes=("disability",))
    profile = academic("Engelli istihdamı", themes=("disability",))
    AffiliationFactory.create(person=profile.person, organisation=request.organisation)

    assert matching.propose(request) == []


def test_the_matching_page_reads_the_academics_once_for_every_request(
    django_assert_max_num_queries,
):
    for index in range(6):
        academic("Engelli istihdamı ve gençlik", themes=("disability",), provinces=(ANKARA,))
        request_for(f"Engelli gençler {index}", themes=("disability", "youth"))

    with django_assert_max_num_queries(20):
        results = matching.proposals_for_all_open()

    assert len(results) == 6
    assert all(len(item.proposals) == 5 for item in results)
