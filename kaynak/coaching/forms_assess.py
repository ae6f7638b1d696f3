"""The assessment form: per question, its four levels as radio buttons (the level texts are
the labels) and an evidence box. Built from the assessment's instrument version, in the
page's language. A score outside 1–4 is refused here as in the service."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kaynak.coaching import scores
from kaynak.coaching.assessing import MAX_EVIDENCE_CHARS
from kaynak.coaching.models import (
    HIGHEST_SCORE,
    LOWEST_SCORE,
    Assessment,
    AssessmentStage,
    Dimension,
    Indicator,
)
from kaynak.core.i18n import is_english

SCORE_ERROR = _("Choose one of the levels from 1 to 4.")


def score_field(key: str) -> str:
    return f"score-{key}"


def evidence_field(key: str) -> str:
    return f"evidence-{key}"


@dataclass
class QuestionFields:
    indicator: Indicator
    text: str
    score: forms.BoundField
    evidence: forms.BoundField


@dataclass
class DimensionSection:
    dimension: Dimension
    name: str
    description: str
    questions: list[QuestionFields]


class AssessmentForm(forms.Form):
    """The answers of one draft assessment; ``answers()`` gives them as the service takes
    them."""

    def __init__(self, assessment: Assessment, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.assessment = assessment
        self.dimensions = sorted(
            assessment.instrument.dimensions.all(), key=lambda d: (d.position, d.pk)
        )
        saved = {a.indicator_id: a for a in assessment.answers.all()}
        for dimension in self.dimensions:
            for indicator in dimension.indicators.all():
                levels = scores.level_texts(indicator)
                choices = [
                    (str(n), f"{n} · {levels[n - 1] if n - 1 < len(levels) else ''}")
                    for n in range(LOWEST_SCORE, HIGHEST_SCORE + 1)
                ]
                self.fields[score_field(indicator.key)] = forms.TypedChoiceField(
                    label=scores.indicator_text(indicator),
                    choices=choices,
                    coerce=int,
                    empty_value=None,
                    required=False,
                    widget=forms.RadioSelect,
                    error_messages={"invalid_choice": SCORE_ERROR},
                )
                self.fields[evidence_field(indicator.key)] = forms.CharField(
                    label=pgettext_lazy("coaching", "Evidence"),
                    help_text=_("What shows this level: a document, a decision, a record."),
                    required=False,
                    max_length=MAX_EVIDENCE_CHARS,
                    widget=forms.Textarea(attrs={"rows": 2}),
                )
                answer = saved.get(indicator.pk)
                if answer is not None:
                    self.initial[score_field(indicator.key)] = (
                        str(answer.score) if answer.score else None
                    )
                    self.initial[evidence_field(indicator.key)] = answer.evidence

    def sections(self) -> list[DimensionSection]:
        """The fields grouped by dimension, in the instrument's order."""
        return [
            DimensionSection(
                dimension=dimension,
                name=scores.dimension_name(dimension),
                description=(
                    dimension.description_en
                    if is_english() and dimension.description_en
                    else dimension.description
                ),
                questions=[
                    QuestionFields(
                        indicator=indicator,
                        text=scores.indicator_text(indicator),
                        score=self[score_field(indicator.key)],
                        evidence=self[evidence_field(indicator.key)],
                    )
                    for indicator in dimension.indicators.all()
                ],
            )
            for dimension in self.dimensions
        ]

    def answers(self) -> dict[str, tuple[int | None, str]]:
        """Question key → (score or None, evidence), from the valid form."""
        result: dict[str, tuple[int | None, str]] = {}
        for dimension in self.dimensions:
            for indicator in dimension.indicators.all():
                score = self.cleaned_data.get(score_field(indicator.key))
                evidence = self.cleaned_data.get(evidence_field(indicator.key)) or ""
                result[indicator.key] = (score, evidence)
        return result

    def add_service_errors(self, fields: dict[str, Any]) -> None:
        """Put the service's messages (by question key) next to their questions."""
        for key, message in fields.items():
            name = score_field(key)
            self.add_error(name if name in self.fields else None, str(message))


class StartForm(forms.Form):
    """Which organisation starts a self-assessment, and at which stage."""

    organisation = forms.TypedChoiceField(label=_("Organisation"), coerce=int)
    stage = forms.ChoiceField(
        label=_("Stage of the assessment"),
        choices=AssessmentStage.choices,
        initial=AssessmentStage.BASELINE,
    )

    def __init__(self, organisations: list[Any], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [(o.pk, o.name) for o in organisations]
        if len(organisations) == 1:
            field.widget = forms.HiddenInput()
            field.initial = organisations[0].pk
