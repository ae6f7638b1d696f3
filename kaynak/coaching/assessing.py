"""Capacity assessments: starting one, saving answers to a draft, completing it (its results
are written then and never change), deleting a draft; new versions of an instrument. And the
named reads the assessment pages, exports and API share.

A draft never counts: only a completed assessment has ``results`` and ``overall``. An
instrument version that has assessments is frozen; changing it means a new version, which
becomes the current one while the old one stays with its assessments.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kaynak.coaching import scores
from kaynak.coaching.errors import CoachingError
from kaynak.coaching.models import (
    HIGHEST_SCORE,
    LOWEST_SCORE,
    Answer,
    Assessment,
    AssessmentKind,
    AssessmentStage,
    AssessmentStatus,
    Dimension,
    Engagement,
    Indicator,
    Instrument,
)
from kaynak.core.audit import log_action
from kaynak.core.permissions import can
from kaynak.directory.models import Affiliation, Organisation

DEFAULT_INSTRUMENT_SLUG = "kaynak-kapasite"
MAX_EVIDENCE_CHARS = 4000


# Instruments ------------------------------------------------------------------------------------


def default_instrument() -> Instrument:
    """The current version of the shipped instrument ("kaynak-kapasite")."""
    return Instrument.objects.get(slug=DEFAULT_INSTRUMENT_SLUG, is_current=True)


def instrument_is_frozen(instrument: Instrument) -> bool:
    """A version with assessments keeps its dimensions and questions as they were."""
    return instrument.pk is not None and instrument.assessments.exists()


def frozen_message(instrument: Instrument) -> str:
    return str(
        _(
            "Version {version} of this instrument already has assessments, so its dimensions "
            "and questions can no longer change. Make a new version and change that one."
        ).format(version=instrument.version)
    )


@transaction.atomic
def instrument_new_version(*, instrument: Instrument, actor: Any) -> Instrument:
    """Copy ``instrument`` (dimensions, questions, level texts) as the next version of its slug
    and make the copy current; the old versions stay for their assessments."""
    versions = Instrument.objects.select_for_update().filter(slug=instrument.slug)
    highest = max(v.version for v in versions)
    versions.filter(is_current=True).update(is_current=False)
    copy = Instrument.objects.create(
        slug=instrument.slug,
        version=highest + 1,
        name=instrument.name,
        name_en=instrument.name_en,
        description=instrument.description,
        description_en=instrument.description_en,
        is_current=True,
    )
    for dimension in instrument.dimensions.prefetch_related("indicators").order_by("position"):
        new_dimension = Dimension.objects.create(
            instrument=copy,
            key=dimension.key,
            position=dimension.position,
            name=dimension.name,
            name_en=dimension.name_en,
            description=dimension.description,
            description_en=dimension.description_en,
        )
        Indicator.objects.bulk_create(
            Indicator(
                dimension=new_dimension,
                key=indicator.key,
                position=indicator.position,
                text=indicator.text,
                text_en=indicator.text_en,
                levels=indicator.levels,
            )
            for indicator in dimension.indicators.all()
        )
    log_action(
        "kaynak.coaching.instrument.versioned",
        actor=actor,
        target=copy,
        data={"from": instrument.pk, "version": copy.version},
    )
    return copy


# Assessments ------------------------------------------------------------------------------------


@transaction.atomic
def start_assessment(
    *,
    organisation: Organisation,
    kind: str,
    stage: str,
    actor: Any,
    engagement: Engagement | None = None,
    instrument: Instrument | None = None,
) -> Assessment:
    """A new draft assessment of ``organisation`` with the engagement's instrument (else the
    default instrument's current version)."""
    if kind not in AssessmentKind.values:
        raise CoachingError(_("Choose who makes the assessment."), fields={"kind": _("Choose.")})
    if stage not in AssessmentStage.values:
        raise CoachingError(
            _("Choose the stage of the assessment."), fields={"stage": _("Choose.")}
        )
    if engagement is not None and engagement.organisation_id != organisation.pk:
        raise CoachingError(
            _("The coaching engagement belongs to another organisation."),
            fields={"engagement": _("Choose an engagement of this organisation.")},
        )
    if kind == AssessmentKind.COACH and engagement is None:
        raise CoachingError(
            _("A coach's assessment belongs to a coaching engagement."),
            fields={"engagement": _("Choose the coaching engagement.")},
        )
    if instrument is None:
        instrument = engagement.instrument if engagement is not None else default_instrument()
    assessment = Assessment.objects.create(
        organisation=organisation,
        instrument=instrument,
        engagement=engagement,
        kind=kind,
        stage=stage,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    log_action(
        "kaynak.coaching.assessment.started",
        actor=actor,
        target=assessment,
        data={"kind": kind, "stage": stage, "instrument": instrument.pk},
    )
    return assessment


def _locked_draft(assessment: Assessment) -> Assessment:
    locked = Assessment.objects.select_for_update().get(pk=assessment.pk)
    if locked.status != AssessmentStatus.DRAFT:
        raise CoachingError(
            _("This assessment is completed; its answers and results no longer change."),
            code="assessment_completed",
        )
    return locked


def indicators_of(instrument: Instrument) -> list[Indicator]:
    """The instrument's questions in order (dimension, then question)."""
    return list(
        Indicator.objects.filter(dimension__instrument=instrument)
        .select_related("dimension")
        .order_by("dimension__position", "dimension__pk", "position", "pk")
    )


@transaction.atomic
def save_answers(
    *, assessment: Assessment, answers: Mapping[str, tuple[int | None, str]], actor: Any
) -> Assessment:
    """Save ``answers`` (question key → (score 1–4 or None, evidence)) to a draft. All or
    nothing: a score outside 1–4 or an unknown question refuses every answer."""
    locked = _locked_draft(assessment)
    by_key = {i.key: i for i in indicators_of(locked.instrument)}
    problems: dict[str, str | Any] = {}
    for key, (score, evidence) in answers.items():
        if key not in by_key:
            problems[key] = _("This question is not part of the instrument.")
        elif score is not None and (
            isinstance(score, bool)
            or not isinstance(score, int)
            or not LOWEST_SCORE <= score <= HIGHEST_SCORE
        ):
            problems[key] = _("Choose one of the levels from 1 to 4.")
        elif len(evidence or "") > MAX_EVIDENCE_CHARS:
            problems[key] = _("Write at most {count} characters of evidence.").format(
                count=MAX_EVIDENCE_CHARS
            )
    if problems:
        raise CoachingError(
            _("Some answers could not be saved; nothing was saved. See the questions marked."),
            code="invalid_answers",
            fields=problems,
        )
    existing = {a.indicator_id: a for a in locked.answers.all()}
    changed = []
    for key, (score, evidence) in answers.items():
        indicator = by_key[key]
        evidence = (evidence or "").strip()
        answer = existing.get(indicator.pk)
        if answer is None:
            if score is None and not evidence:
                continue
            Answer.objects.create(
                assessment=locked, indicator=indicator, score=score, evidence=evidence
            )
            changed.append(key)
        elif answer.score != score or answer.evidence != evidence:
            answer.score = score
            answer.evidence = evidence
            answer.save(update_fields=["score", "evidence"])
            changed.append(key)
    if changed:
        locked.save(update_fields=["updated_at"])
        log_action(
            "kaynak.coaching.assessment.saved",
            actor=actor,
            target=locked,
            data={"questions": sorted(changed)},
        )
    return locked


@transaction.atomic
def complete_assessment(
    *, assessment: Assessment, actor: Any, now: dt.datetime | None = None
) -> Assessment:
    """Complete a draft whose every question is scored: its results (mean per dimension) and
    overall score are written, and it no longer changes."""
    locked = _locked_draft(assessment)
    scored = set(locked.answers.filter(score__isnull=False).values_list("indicator_id", flat=True))
    missing = [i for i in indicators_of(locked.instrument) if i.pk not in scored]
    if missing:
        raise CoachingError(
            ngettext(
                "One question has no score yet: {questions}.",
                "{count} questions have no score yet: {questions}.",
                len(missing),
            ).format(
                count=len(missing),
                questions="; ".join(scores.indicator_text(i) for i in missing),
            ),
            code="assessment_incomplete",
            fields={i.key: _("Choose a level for this question.") for i in missing},
        )
    results = scores.dimension_scores(locked)
    locked.results = {key: None if v is None else str(v) for key, v in results.items()}
    locked.overall = scores.overall_score(results)
    locked.status = AssessmentStatus.COMPLETED
    locked.completed_at = now or timezone.now()
    locked.completed_by = actor if getattr(actor, "is_authenticated", False) else None
    locked.save(
        update_fields=["results", "overall", "status", "completed_at", "completed_by", "updated_at"]
    )
    log_action(
        "kaynak.coaching.assessment.completed",
        actor=actor,
        target=locked,
        data={"overall": str(locked.overall), "results": locked.results},
    )
    return locked


@transaction.atomic
def assessment_delete(*, assessment: Assessment, actor: Any) -> None:
    """Delete a draft (a completed assessment is kept for good)."""
    locked = _locked_draft(assessment)
    log_action(
        "kaynak.coaching.assessment.deleted",
        actor=actor,
        target=locked,
        data={"organisation": locked.organisation_id, "kind": locked.kind},
    )
    locked.delete()


# Who may do what (object checks the rules need together) ------------------------------------


def may_edit(user: Any, assessment: Assessment) -> bool:
    """A draft self-assessment: the organisation's admins (and its coach); a draft coach's
    assessment: the engagement's coach (and coordinators)."""
    if assessment.status != AssessmentStatus.DRAFT or not user.is_authenticated:
        return False
    engagement = assessment.engagement
    if engagement is not None and can(user, "coaching.coach_engagement", engagement):
        return True
    return assessment.kind == AssessmentKind.SELF and can(
        user, "coaching.self_assess", assessment.organisation
    )


def may_view(user: Any, assessment: Assessment) -> bool:
    """Completed: everyone the rule lets see the organisation's assessments. A draft: those who
    may edit it, and staff who see all assessments."""
    if not can(user, "coaching.view_assessments", assessment):
        return False
    if assessment.is_completed:
        return True
    return may_edit(user, assessment) or can(user, "coaching.export")


# Reads ------------------------------------------------------------------------------------------


def organisations_acted_for(user: Any) -> list[Organisation]:
    """The organisations the user is a current admin of, by name."""
    if not user.is_authenticated:
        return []
    affiliations = (
        Affiliation.objects.filter(
            person__user=user,
            person__erased_at__isnull=True,
            is_admin=True,
            end_date__isnull=True,
        )
        .select_related("organisation")
        .order_by("organisation__name", "organisation__pk")
    )
    seen: dict[int, Organisation] = {}
    for affiliation in affiliations:
        seen.setdefault(affiliation.organisation_id, affiliation.organisation)
    return list(seen.values())


def assessments_with_details() -> QuerySet[Assessment]:
    return Assessment.objects.select_related(
        "organisation", "instrument", "engagement", "created_by", "completed_by"
    )


def assessments_of_organisations(organisations: list[Organisation]) -> QuerySet[Assessment]:
    """The organisations' assessments, drafts first then newest completed."""
    return assessments_with_details().filter(organisation__in=organisations)


def assessments_for_user(user: Any) -> QuerySet[Assessment]:
    """Every assessment for staff who see all; else the assessments of the organisations the
    user acts for (not the coach's drafts) and of the engagements they coach."""
    queryset = assessments_with_details()
    if can(user, "coaching.export"):
        return queryset
    if not user.is_authenticated:
        return queryset.none()
    organisations = organisations_acted_for(user)
    own = Q(organisation__in=organisations) & (
        Q(status=AssessmentStatus.COMPLETED) | Q(kind=AssessmentKind.SELF)
    )
    return queryset.filter(own | Q(engagement__coach=user))


def assessment_for_display(pk: int) -> Assessment | None:
    """One assessment with its instrument's dimensions and questions and its answers."""
    return (
        assessments_with_details()
        .prefetch_related(
            Prefetch(
                "instrument__dimensions",
                queryset=Dimension.objects.order_by("position", "pk").prefetch_related(
                    Prefetch("indicators", queryset=Indicator.objects.order_by("position", "pk"))
                ),
            ),
            Prefetch("answers", queryset=Answer.objects.select_related("indicator")),
        )
        .filter(pk=pk)
        .first()
    )


def previous_completed(assessment: Assessment) -> Assessment | None:
    """The organisation's completed assessment before this one (the same kind preferred)."""
    if not assessment.is_completed:
        earlier = Assessment.objects.filter(
            organisation_id=assessment.organisation_id, status=AssessmentStatus.COMPLETED
        )
    else:
        earlier = Assessment.objects.filter(
            organisation_id=assessment.organisation_id,
            status=AssessmentStatus.COMPLETED,
            completed_at__lt=assessment.completed_at,
        )
    earlier = earlier.exclude(pk=assessment.pk).select_related("instrument")
    same_kind = earlier.filter(kind=assessment.kind).order_by("-completed_at", "-pk").first()
    return same_kind or earlier.order_by("-completed_at", "-pk").first()


def instruments_with_use() -> QuerySet[Instrument]:
    """Every instrument version with how many assessments use it."""
    return Instrument.objects.annotate(
        assessment_count=Count("assessments", distinct=True),
        dimension_count=Count("dimensions", distinct=True),
    ).order_by("slug", "-version")


def completed_assessments() -> QuerySet[Assessment]:
    """Every completed assessment with what the exports show, oldest first."""
    return (
        assessments_with_details()
        .filter(status=AssessmentStatus.COMPLETED)
        .select_related("organisation__province")
        .prefetch_related(
            Prefetch("instrument__dimensions", queryset=Dimension.objects.order_by("position"))
        )
        .order_by("completed_at", "pk")
    )
