"""Scores of capacity assessments: a dimension's score is the mean of its questions' scores
(1–4, two decimals, halves rounded up), the overall score the mean of the dimension scores.
Comparisons match dimensions by key, so assessments made with different versions of an
instrument compare on the dimensions they share."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from kaynak.coaching.models import Answer, Assessment, Dimension, Indicator, Instrument
from kaynak.core.i18n import in_language, is_english

TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class DimensionChange:
    """One dimension's score in two assessments and the change between them (None where a
    score is missing)."""

    key: str
    name: str
    before: Decimal | None
    after: Decimal | None
    change: Decimal | None


def rounded(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def mean(values: Iterable[Decimal | int]) -> Decimal | None:
    """The mean of ``values`` to two places, None when there are none."""
    numbers = [Decimal(v) for v in values]
    if not numbers:
        return None
    return rounded(sum(numbers, Decimal(0)) / len(numbers))


def dimension_name(dimension: Dimension, language: str | None = None) -> str:
    """The dimension's name in ``language`` (the active one by default)."""
    return in_language(dimension.name, dimension.name_en, language)


def dimensions_of(assessment: Assessment) -> list[Dimension]:
    """The instrument's dimensions in order (prefetched ones are used as they are)."""
    return sorted(assessment.instrument.dimensions.all(), key=lambda d: (d.position, d.pk))


def dimension_scores(assessment: Assessment) -> dict[str, Decimal | None]:
    """Each dimension's mean score from the answers given so far (drafts too): dimension key →
    score, None for a dimension with no scored answer. In the instrument's order."""
    by_dimension: dict[int, list[int]] = {}
    answers: Iterable[Answer] = assessment.answers.select_related("indicator").filter(
        score__isnull=False
    )
    for answer in answers:
        assert answer.score is not None
        by_dimension.setdefault(answer.indicator.dimension_id, []).append(answer.score)
    return {d.key: mean(by_dimension.get(d.pk, [])) for d in dimensions_of(assessment)}


def overall_score(scores: Mapping[str, Decimal | None]) -> Decimal | None:
    """The mean of the dimension scores that exist."""
    return mean(v for v in scores.values() if v is not None)


def stored_scores(assessment: Assessment) -> dict[str, Decimal | None]:
    """The results written when the assessment was completed (empty for a draft: a draft
    never counts)."""
    if not assessment.is_completed:
        return {}
    return {
        key: None if value in (None, "") else Decimal(str(value))
        for key, value in (assessment.results or {}).items()
    }


def change(before: Assessment, after: Assessment) -> list[DimensionChange]:
    """Per dimension of ``after``'s instrument that ``before`` also measured (matched by key),
    the scores and the change. Completed assessments use their stored results; drafts their
    answers so far."""
    before_scores = stored_scores(before) if before.is_completed else dimension_scores(before)
    after_scores = stored_scores(after) if after.is_completed else dimension_scores(after)
    before_keys = {d.key for d in dimensions_of(before)}
    rows = []
    for dimension in dimensions_of(after):
        if dimension.key not in before_keys:
            continue
        old = before_scores.get(dimension.key)
        new = after_scores.get(dimension.key)
        rows.append(
            DimensionChange(
                key=dimension.key,
                name=dimension_name(dimension),
                before=old,
                after=new,
                change=None if old is None or new is None else new - old,
            )
        )
    return rows


def instrument_name(instrument: Instrument, language: str | None = None) -> str:
    return in_language(instrument.name, instrument.name_en, language)


def indicator_text(indicator: Indicator, language: str | None = None) -> str:
    """The question in ``language`` (the active one by default)."""
    return in_language(indicator.text, indicator.text_en, language)


def level_texts(indicator: Indicator, language: str | None = None) -> list[str]:
    """The four level descriptions (for scores 1–4) in ``language``."""
    key = "en" if is_english(language) else "tr"
    texts = []
    for level in indicator.levels or []:
        if isinstance(level, dict):
            texts.append(str(level.get(key) or level.get("tr") or ""))
        else:
            texts.append(str(level))
    return texts
