"""The resolver on the labelled sets of bench/labelled.py: the train set it was tuned on and the
held-out set (another seed, other words) it never saw must score alike."""

from __future__ import annotations

import pytest

from bench.labelled import (
    Vocabulary,
    organisation_set,
    pairwise_scores,
    person_set,
)
from kaynak.directory.resolution import OrganisationRecord, cluster_organisations
from kaynak.directory.resolution.people import cluster_people, person_profile


def organisation_f1(split: str) -> tuple[float, float, float]:
    labelled = organisation_set(split, entities=300)  # type: ignore[arg-type]
    records = [
        OrganisationRecord(
            name=r.name,
            city=r.city,
            email=r.email,
            phone=r.phone,
            registry_no=r.registry_no,
            website=r.website,
        )
        for r in labelled.rows
    ]
    matches = cluster_organisations(records, against_database=False)
    return pairwise_scores([r.entity for r in labelled.rows], [m.cluster for m in matches])


def people_scores(split: str) -> tuple[float, float, float]:
    labelled = person_set(split, people=300)  # type: ignore[arg-type]
    profiles = [
        person_profile(
            full_name=r.full_name,
            email=r.email,
            phone=r.phone,
            city=r.city,
            organisation=r.organisation,
            birth_date=r.birth_date,
        )
        for r in labelled.rows
    ]
    return pairwise_scores([r.person for r in labelled.rows], cluster_people(profiles))


def test_the_generator_gives_the_same_set_for_the_same_seed():
    assert organisation_set("train", entities=50) == organisation_set("train", entities=50)
    assert person_set("held-out", people=50) == person_set("held-out", people=50)


def test_train_and_held_out_sets_use_different_words():
    train, held_out = Vocabulary.of("train"), Vocabulary.of("held-out")
    for field in ("subjects", "purposes", "abstract", "people", "surnames", "first_f"):
        assert not set(getattr(train, field)) & set(getattr(held_out, field)), field


def test_the_sets_hold_the_hard_negatives():
    kinds = {e.kind for e in organisation_set("train", entities=300).entities}
    assert {"namesake", "branch", "twin-form", "one-word-apart", "umbrella"} <= kinds
    variants = {v for r in organisation_set("train", entities=300).rows for v in r.variants}
    assert {"acronym", "typo", "legal-abbreviation", "no-legal-form", "upper-ascii"} <= variants
    assert {"head-office", "city-spelling", "branch"} <= variants


@pytest.mark.parametrize("split", ["train", "held-out"])
def test_organisations_are_clustered_well_on_both_sets(split):
    precision, recall, f1 = organisation_f1(split)
    assert precision >= 0.95
    assert recall >= 0.93
    assert f1 >= 0.95


def test_the_held_out_set_scores_close_to_the_train_set():
    assert abs(organisation_f1("train")[2] - organisation_f1("held-out")[2]) <= 0.03


@pytest.mark.parametrize("split", ["train", "held-out"])
def test_people_are_never_merged_on_a_name_alone(split):
    precision, recall, _f1 = people_scores(split)
    assert precision >= 0.95
    assert recall >= 0.55
