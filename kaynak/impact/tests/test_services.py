"""The writers: indicators, targets (no overlap), values reported by hand and their approval."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from kaynak.accounts.models import Role, User
from kaynak.accounts.tests.factories import StaffFactory
from kaynak.core.errors import PermissionDenied
from kaynak.core.models import AuditEntry
from kaynak.impact import services
from kaynak.impact.models import Indicator, ManualValue, Measure, Method, Target, ValueStatus
from kaynak.impact.services import IndicatorFilters, TargetData
from kaynak.impact.tests.conftest import Q1, Q2, YEAR, computed, manual
from kaynak.ledger import outcomes
from kaynak.programmes.models import FeedbackResponse
from kaynak.programmes.outcomes import knowledge_gain
from kaynak.programmes.tests.factories import ActivityFactory


def test_overlapping_targets_are_refused_with_both_labels_and_nothing_changes(
    me_officer: User,
) -> None:
    indicator = computed(
        me_officer, Measure.ORGANISATIONS, targets=[TargetData("2025", *YEAR, Decimal(10))]
    )
    with pytest.raises(services.TargetsOverlap) as refused:
        services.targets_set(
            indicator=indicator,
            targets=[
                TargetData("2025 Q1", *Q1, Decimal(3)),
                TargetData("Faz 1", dt.date(2025, 3, 31), dt.date(2025, 8, 1), Decimal(5)),
            ],
            actor=me_officer,
        )
    assert "“2025 Q1”" in str(refused.value.message)
    assert "“Faz 1”" in str(refused.value.message)
    assert list(Target.objects.values_list("label", flat=True)) == ["2025"]


def test_the_overlap_message_is_translated(me_officer: User) -> None:
    indicator = computed(me_officer, Measure.ORGANISATIONS)
    with pytest.raises(services.TargetsOverlap) as refused:
        services.targets_set(
            indicator=indicator,
            targets=[TargetData("A", *YEAR, Decimal(1)), TargetData("B", *Q2, Decimal(1))],
            actor=me_officer,
        )
    with translation.override("en"):
        assert "overlap" in str(refused.value.message)


def test_a_new_indicator_with_overlapping_targets_is_not_saved_at_all(me_officer: User) -> None:
    with pytest.raises(services.TargetsOverlap):
        computed(
            me_officer,
            Measure.PEOPLE,
            targets=[TargetData("A", *YEAR, Decimal(1)), TargetData("B", *Q1, Decimal(1))],
        )
    assert not Indicator.objects.exists()


def test_adjacent_targets_are_fine_and_replace_the_old_set(me_officer: User) -> None:
    indicator = computed(
        me_officer, Measure.PEOPLE, targets=[TargetData("2025", *YEAR, Decimal(10))]
    )
    services.targets_set(
        indicator=indicator,
        targets=[TargetData("Q2", *Q2, Decimal(2)), TargetData("Q1", *Q1, Decimal(1))],
        actor=me_officer,
    )
    assert list(indicator.targets.values_list("label", flat=True)) == ["Q1", "Q2"]
    assert AuditEntry.objects.filter(action="kaynak.impact.targets.set").count() == 2


def test_a_target_that_ends_before_it_starts_is_refused(me_officer: User) -> None:
    indicator = computed(me_officer, Measure.PEOPLE)
    with pytest.raises(services.ImpactError, match="ends before it starts"):
        services.targets_set(
            indicator=indicator,
            targets=[TargetData("X", dt.date(2025, 5, 1), dt.date(2025, 4, 1), Decimal(1))],
            actor=me_officer,
        )


def test_creating_an_indicator_is_audited(me_officer: User) -> None:
    indicator = computed(me_officer, Measure.DELIVERIES)
    entry = AuditEntry.objects.get(action="kaynak.impact.indicator.created")
    assert (entry.actor, entry.object_id) == (me_officer, str(indicator.pk))


def test_a_computed_indicator_needs_a_measure(me_officer: User) -> None:
    with pytest.raises(services.ImpactError) as refused:
        services.indicator_create(
            indicator=Indicator(code="Y", name_tr="y", name_en="y", unit="x", measure=""),
            filters=IndicatorFilters(),
            actor=me_officer,
        )
    assert refused.value.field == "measure"


def test_an_outcome_indicator_needs_a_known_measure(
    me_officer: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(outcomes, "_measures", {})
    with pytest.raises(services.ImpactError) as refused:
        services.indicator_create(
            indicator=Indicator(
                code="O", name_tr="o", name_en="o", unit="score", method=Method.OUTCOME,
                outcome_slug="knowledge-gain",
            ),
            filters=IndicatorFilters(),
            actor=me_officer,
        )  # fmt: skip
    assert refused.value.field == "outcome_slug"
    assert not Indicator.objects.exists()


def test_a_manual_indicator_keeps_no_ledger_filters(me_officer: User) -> None:
    indicator = services.indicator_create(
        indicator=Indicator(
            code="M", name_tr="m", name_en="m", unit="x", method=Method.MANUAL,
            measure=Measure.PEOPLE, gender="woman",
        ),
        filters=IndicatorFilters(),
        actor=me_officer,
    )  # fmt: skip
    indicator.refresh_from_db()
    assert (indicator.measure, indicator.gender) == ("", "")


def test_only_those_who_manage_indicators_may_define_them(db: None) -> None:
    coordinator = StaffFactory.create(roles=[Role.PROGRAMME_COORDINATOR])
    with pytest.raises(PermissionDenied):
        computed(coordinator, Measure.PEOPLE)


@pytest.mark.parametrize("typed", ["on iki", "12..5", "NaN", "", "1e400", "Infinity"])
def test_a_value_that_is_not_a_number_is_refused_clearly(me_officer: User, typed: str) -> None:
    indicator = manual(me_officer)
    with pytest.raises(services.NotANumber) as refused:
        services.manual_value_enter(
            indicator=indicator, period_start=Q1[0], period_end=Q1[1], value=typed,
            actor=me_officer,
        )  # fmt: skip
    assert refused.value.field == "value"
    assert not ManualValue.objects.exists()


@pytest.mark.parametrize(
    ("typed", "value"), [("12", "12"), ("12,5", "12.5"), ("12.5", "12.5"), ("1 250", "1250")]
)
def test_values_are_read_as_people_write_them(typed: str, value: str) -> None:
    assert services.parse_value(typed) == Decimal(value)


def test_values_are_entered_only_for_manual_indicators(me_officer: User) -> None:
    indicator = computed(me_officer, Measure.PEOPLE)
    with pytest.raises(services.ImpactError, match="reported manually"):
        services.manual_value_enter(
            indicator=indicator, period_start=Q1[0], period_end=Q1[1], value="3",
            actor=me_officer,
        )  # fmt: skip


def test_any_staff_member_enters_and_an_me_officer_approves(
    me_officer: User, settings, tmp_path
) -> None:
    settings.IMPACT_FILES_DIR = tmp_path
    agent = StaffFactory.create(roles=[Role.SUPPORT_AGENT])
    coordinator = StaffFactory.create(roles=[Role.PROGRAMME_COORDINATOR])
    indicator = manual(me_officer)
    entered = services.manual_value_enter(
        indicator=indicator,
        period_start=Q1[0],
        period_end=Q1[1],
        value="4",
        evidence=[SimpleUploadedFile("yayinlar.pdf", b"%PDF-1.4", "application/pdf")],
        actor=agent,
    )
    assert entered.status == ValueStatus.ENTERED
    assert entered.evidence.get().name == "yayinlar.pdf"
    assert (tmp_path / entered.evidence.get().file.name).exists()
    with pytest.raises(PermissionDenied):
        services.manual_value_approve(value=entered, actor=coordinator)
    approved = services.manual_value_approve(value=entered, actor=me_officer)
    assert (approved.status, approved.decided_by) == (ValueStatus.APPROVED, me_officer)
    assert approved.decided_at is not None
    assert approved.decided_at <= timezone.now()
    with pytest.raises(services.ImpactError, match="already been decided"):
        services.manual_value_reject(value=entered, reason="geç", actor=me_officer)


def test_nobody_approves_or_rejects_their_own_value(me_officer: User, center_admin: User) -> None:
    indicator = manual(me_officer)
    entered = services.manual_value_enter(
        indicator=indicator, period_start=Q1[0], period_end=Q1[1], value="4", actor=me_officer
    )
    with pytest.raises(services.ImpactError, match="Someone else"):
        services.manual_value_approve(value=entered, actor=me_officer)
    with pytest.raises(services.ImpactError, match="Someone else"):
        services.manual_value_reject(value=entered, reason="x", actor=me_officer)
    rejected = services.manual_value_reject(value=entered, reason="Kanıt eksik", actor=center_admin)
    assert (rejected.status, rejected.rejection_reason) == (ValueStatus.REJECTED, "Kanıt eksik")
    assert AuditEntry.objects.filter(action="kaynak.impact.value.rejected").exists()


def test_a_rejection_needs_a_reason(me_officer: User, center_admin: User) -> None:
    entered = services.manual_value_enter(
        indicator=manual(me_officer), period_start=Q1[0], period_end=Q1[1], value="4",
        actor=me_officer,
    )  # fmt: skip
    with pytest.raises(services.ImpactError) as refused:
        services.manual_value_reject(value=entered, reason="  ", actor=center_admin)
    assert refused.value.field == "reason"


@pytest.mark.parametrize(
    ("name", "size", "message"),
    [("betik.exe", 10, "only PDF"), ("rapor.pdf", 11 * 1024 * 1024, "larger than 10 MB")],
)
def test_evidence_of_a_wrong_type_or_too_large_is_refused(
    me_officer: User, name: str, size: int, message: str
) -> None:
    with pytest.raises(services.ImpactError, match=message):
        services.manual_value_enter(
            indicator=manual(me_officer), period_start=Q1[0], period_end=Q1[1], value="1",
            evidence=[SimpleUploadedFile(name, b"x" * size)], actor=me_officer,
        )  # fmt: skip
    assert not ManualValue.objects.exists()


def test_the_programmes_register_the_knowledge_gain(db: None) -> None:
    assert "knowledge-gain" in outcomes.outcome_measures()
    activity = ActivityFactory.create()
    for before, after, day in [(2, 4, 10), (3, 4, 12), (1, 5, 15)]:
        FeedbackResponse.objects.create(
            activity=activity, content=4, trainer=4, organisation=4,
            knowledge_before=before, knowledge_after=after,
            submitted_at=dt.datetime(2025, 2, day, 12, tzinfo=dt.UTC),
        )  # fmt: skip
    # (2 + 1 + 4) / 3
    assert knowledge_gain(*Q1) == Decimal("2.33")
    assert knowledge_gain(*Q2) is None
