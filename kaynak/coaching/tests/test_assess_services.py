"""Assessment services and scores: answers saved all or nothing, scores outside 1–4 refused,
completing needs every question, results computed on completion, drafts never count,
completed assessments never change, comparisons across instrument versions by key."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kaynak.coaching import assessing, scores
from kaynak.coaching.errors import CoachingError
from kaynak.coaching.models import Answer, Assessment, Dimension, Indicator
from kaynak.coaching.tests.assess_support import answered
from kaynak.coaching.tests.factories import AssessmentFactory, EngagementFactory, small_instrument
from kaynak.core.models import AuditEntry
from kaynak.directory.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

ALL_FOUR = {"gov-1": 1, "gov-2": 2, "fin-1": 3, "fin-2": 4}


@pytest.mark.parametrize("score", [0, 5, -1])
def test_a_score_outside_1_to_4_is_refused_and_nothing_is_saved(score: int) -> None:
    assessment = AssessmentFactory.create()
    with pytest.raises(CoachingError) as refused:
        assessing.save_answers(
            assessment=assessment,
            answers={"gov-1": (2, "Tutanak var"), "gov-2": (score, "")},
            actor=None,
        )
    assert set(refused.value.fields) == {"gov-2"}
    assert not Answer.objects.filter(assessment=assessment).exists()


def test_an_unknown_question_is_refused_and_nothing_is_saved() -> None:
    assessment = AssessmentFactory.create()
    with pytest.raises(CoachingError) as refused:
        assessing.save_answers(
            assessment=assessment,
            answers={"gov-1": (2, ""), "yok-boyle-soru": (3, "")},
            actor=None,
        )
    assert set(refused.value.fields) == {"yok-boyle-soru"}
    assert not Answer.objects.filter(assessment=assessment).exists()


def test_saving_again_updates_answers_and_clears_a_score() -> None:
    assessment = AssessmentFactory.create()
    assessing.save_answers(
        assessment=assessment, answers={"gov-1": (2, "Karar defteri")}, actor=None
    )
    assessing.save_answers(assessment=assessment, answers={"gov-1": (None, "Düzenli")}, actor=None)
    answer = Answer.objects.get(assessment=assessment)
    assert (answer.score, answer.evidence) == (None, "Düzenli")
    assert AuditEntry.objects.filter(action="kaynak.coaching.assessment.saved").count() == 2


def test_completing_with_a_missing_answer_is_refused_and_names_the_question() -> None:
    assessment = answered({"gov-1": 2, "gov-2": 3, "fin-1": 4}, complete=False)
    with pytest.raises(CoachingError) as refused:
        assessing.complete_assessment(assessment=assessment, actor=None)
    assert set(refused.value.fields) == {"fin-2"}
    assert "Financial management question 2" in str(refused.value.message)
    assessment.refresh_from_db()
    assert assessment.status == "draft"
    assert assessment.results == {}
    assert assessment.overall is None


def test_a_draft_never_counts() -> None:
    draft = answered(ALL_FOUR, complete=False)
    assert draft.results == {}
    assert draft.overall is None
    assert scores.stored_scores(draft) == {}
    # Its answers so far can still be read (for the form), but nothing is stored.
    assert scores.dimension_scores(draft) == {"gov": Decimal("1.50"), "fin": Decimal("3.50")}


def test_results_and_overall_are_the_means_computed_by_hand() -> None:
    when = dt.datetime(2027, 3, 12, 9, 30, tzinfo=dt.UTC)
    assessment = answered({"gov-1": 1, "gov-2": 2, "fin-1": 4, "fin-2": 4}, when=when)
    # gov (1 + 2) / 2 = 1.50; fin (4 + 4) / 2 = 4.00; overall (1.50 + 4.00) / 2 = 2.75.
    assert assessment.results == {"gov": "1.50", "fin": "4.00"}
    assert assessment.overall == Decimal("2.75")
    assert assessment.completed_at == when
    assert assessment.status == "completed"


def test_a_dimension_of_three_questions_rounds_to_two_places() -> None:
    instrument = assessing.default_instrument()
    keys = [i.key for i in assessing.indicators_of(instrument)]
    given = dict.fromkeys(keys, 4)
    given.update({"strateji-misyon": 3, "strateji-plan": 3, "strateji-surdurulebilirlik": 2})
    assessment = answered(given, instrument=instrument)
    # (3 + 3 + 2) / 3 = 2.666… → 2.67; overall (6 × 4.00 + 2.67) / 7 = 3.81.
    assert assessment.results["strateji"] == "2.67"
    assert assessment.overall == Decimal("3.81")


def test_a_completed_assessment_is_never_changed() -> None:
    assessment = answered(ALL_FOUR)
    with pytest.raises(CoachingError):
        assessing.save_answers(assessment=assessment, answers={"gov-1": (4, "")}, actor=None)
    with pytest.raises(CoachingError):
        assessing.complete_assessment(assessment=assessment, actor=None)
    with pytest.raises(CoachingError):
        assessing.assessment_delete(assessment=assessment, actor=None)
    assert Answer.objects.get(assessment=assessment, indicator__key="gov-1").score == 1


def test_a_draft_can_be_deleted_with_its_answers() -> None:
    draft = answered({"gov-1": 2}, complete=False)
    assessing.assessment_delete(assessment=draft, actor=None)
    assert not Assessment.objects.filter(pk=draft.pk).exists()
    assert not Answer.objects.filter(assessment_id=draft.pk).exists()
    assert AuditEntry.objects.filter(action="kaynak.coaching.assessment.deleted").exists()


def test_an_assessment_takes_the_engagement_instrument_else_the_default() -> None:
    engagement = EngagementFactory.create()
    of_engagement = assessing.start_assessment(
        organisation=engagement.organisation,
        kind="coach",
        stage="baseline",
        actor=None,
        engagement=engagement,
    )
    alone = assessing.start_assessment(
        organisation=OrganisationFactory.create(), kind="self", stage="baseline", actor=None
    )
    assert of_engagement.instrument == engagement.instrument
    assert alone.instrument == assessing.default_instrument()
    assert AuditEntry.objects.filter(action="kaynak.coaching.assessment.started").count() == 2


def test_an_engagement_of_another_organisation_is_refused() -> None:
    engagement = EngagementFactory.create()
    with pytest.raises(CoachingError) as refused:
        assessing.start_assessment(
            organisation=OrganisationFactory.create(),
            kind="self",
            stage="baseline",
            actor=None,
            engagement=engagement,
        )
    assert "engagement" in refused.value.fields
    assert not Assessment.objects.exists()


def test_a_coach_assessment_needs_an_engagement() -> None:
    with pytest.raises(CoachingError):
        assessing.start_assessment(
            organisation=OrganisationFactory.create(), kind="coach", stage="final", actor=None
        )


def test_change_compares_dimensions_by_key_across_versions() -> None:
    organisation = OrganisationFactory.create()
    old = small_instrument()
    before = answered(
        {"gov-1": 1, "gov-2": 2, "fin-1": 2, "fin-2": 2}, organisation=organisation, instrument=old
    )
    new = assessing.instrument_new_version(instrument=old, actor=None)
    # The new version drops "fin" and adds "hr".
    Dimension.objects.filter(instrument=new, key="fin").delete()
    hr = Dimension.objects.create(instrument=new, key="hr", position=5, name="İK", name_en="HR")
    Indicator.objects.create(dimension=hr, key="hr-1", text="İK", levels=[])
    after = answered({"gov-1": 3, "gov-2": 4, "hr-1": 2}, organisation=organisation, instrument=new)
    rows = scores.change(before, after)
    assert [(r.key, r.before, r.after, r.change) for r in rows] == [
        ("gov", Decimal("1.50"), Decimal("3.50"), Decimal("2.00"))
    ]
    assert rows[0].name == "Governance"


def test_change_is_none_where_a_score_is_missing() -> None:
    instrument = small_instrument()
    before = answered({"gov-1": 2}, instrument=instrument, complete=False)
    after = answered({"gov-1": 3, "fin-1": 3}, instrument=instrument, complete=False)
    by_key = {r.key: r for r in scores.change(before, after)}
    assert by_key["gov"].change == Decimal("1.00")
    assert by_key["fin"].before is None
    assert by_key["fin"].change is None


def test_previous_completed_prefers_the_same_kind_and_ignores_drafts() -> None:
    organisation = OrganisationFactory.create()
    instrument = small_instrument()
    early = dt.datetime(2026, 1, 5, 10, 0, tzinfo=dt.UTC)
    first = answered(ALL_FOUR, organisation=organisation, instrument=instrument, when=early)
    answered(ALL_FOUR, organisation=organisation, instrument=instrument, complete=False)
    later = answered(
        ALL_FOUR,
        organisation=organisation,
        instrument=instrument,
        when=early + dt.timedelta(days=200),
        stage="final",
    )
    assert assessing.previous_completed(later) == first
    assert assessing.previous_completed(first) is None
