"""Forms of review and decisions: the rubric, assigning reviewers, a reviewer's score sheet,
decisions (one or many) and the decision e-mails.

The forms only read and check what was typed; ``reviewing`` and ``decisions`` write. A problem
is explained next to its field, and what was typed stays in the form.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kaynak.accounts.models import User
from kaynak.calls.decisions import template_problem
from kaynak.calls.models import DECISIONS, SCORE_MAX, SCORE_MIN, Application, Criterion
from kaynak.calls.reviewing import LEVELS, eligible_reviewers
from kaynak.core.i18n import in_language

DECISION_CHOICES = [(status.value, status.label) for status in DECISIONS]


class CriterionForm(forms.Form):
    name = forms.CharField(label=_("Criterion (Turkish)"), max_length=200)
    name_en = forms.CharField(label=_("Criterion (English)"), max_length=200, required=False)
    description = forms.CharField(
        label=_("What to look for (Turkish)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    description_en = forms.CharField(
        label=_("What to look for (English)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    weight = forms.DecimalField(
        label=_("Weight"),
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0.01"),
        initial=Decimal(1),
        help_text=_("How much this criterion counts compared with the others."),
    )

    @classmethod
    def for_criterion(cls, criterion: Criterion) -> CriterionForm:
        return cls(
            initial={
                "name": criterion.name,
                "name_en": criterion.name_en,
                "description": criterion.description,
                "description_en": criterion.description_en,
                "weight": criterion.weight,
            }
        )


def _reviewer_label(user: User) -> str:
    return f"{user.full_name} ({user.email})" if user.full_name else user.email


class ReviewerChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return _reviewer_label(obj)


class ReviewersChoiceField(forms.ModelMultipleChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        return _reviewer_label(obj)


class AssignForm(forms.Form):
    reviewer = ReviewerChoiceField(queryset=User.objects.none(), label=_("Reviewer"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = eligible_reviewers()  # type: ignore[attr-defined]


class BalancedForm(forms.Form):
    reviewers = ReviewersChoiceField(
        queryset=User.objects.none(),
        label=_("Reviewers"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Each submitted application gets the call's number of reviewers from these, the "
            "work spread evenly and conflicts of interest skipped."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].queryset = eligible_reviewers()  # type: ignore[attr-defined]


class ConflictForm(forms.Form):
    note = forms.CharField(
        label=_("Why (optional; staff see it)"),
        max_length=500,
        required=False,
        widget=forms.TextInput,
    )


SCORE_CHOICES = [(value, f"{value} · {LEVELS[value]}") for value in range(SCORE_MIN, SCORE_MAX + 1)]


class ReviewForm(forms.Form):
    """One score (1–5) and comment per criterion, and a general comment. Saving a draft
    accepts gaps; submitting needs every score."""

    comment = forms.CharField(
        label=_("General comments"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    def __init__(self, *args: Any, criteria: list[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=criterion.label,
                choices=SCORE_CHOICES,
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
                help_text=in_language(criterion.description, criterion.description_en),
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Comment on %(criterion)s") % {"criterion": criterion.label},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    @property
    def submitting(self) -> bool:
        return bool(self.data.get("submit"))

    def rows(self) -> list[tuple[Criterion, forms.BoundField, forms.BoundField]]:
        return [(c, self[f"score_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.submitting:
            for criterion in self.criteria:
                name = f"score_{criterion.pk}"
                if data.get(name) is None and name not in self.errors:
                    self.add_error(name, _("Score this criterion before submitting."))
        return data

    def scores(self) -> dict[int, tuple[int | None, str]]:
        return {
            c.pk: (
                self.cleaned_data.get(f"score_{c.pk}"),
                self.cleaned_data.get(f"comment_{c.pk}", ""),
            )
            for c in self.criteria
        }

    @classmethod
    def initial_from(cls, review: Any) -> dict[str, Any]:
        if review is None:
            return {}
        initial: dict[str, Any] = {"comment": review.comment}
        for score in review.scores.all():
            initial[f"score_{score.criterion_id}"] = score.value
            initial[f"comment_{score.criterion_id}"] = score.comment
        return initial


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISION_CHOICES)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Goes into the e-mail as {reason}; the applicant reads it."),
    )


class BulkDecisionForm(DecisionForm):
    applications = forms.ModelMultipleChoiceField(
        queryset=Application.objects.none(),
        label=_("Applications"),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one application.")},
    )

    def __init__(self, *args: Any, applications: QuerySet[Application], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["applications"].queryset = applications  # type: ignore[attr-defined]


def _check_variables(text: str) -> str:
    problem = template_problem(text)
    if problem:
        raise ValidationError(problem, code="variable")
    return text


class DecisionTemplateForm(forms.Form):
    subject = forms.CharField(label=_("Subject"), max_length=200)
    body = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 14}))

    def clean_subject(self) -> str:
        return _check_variables(self.cleaned_data["subject"])

    def clean_body(self) -> str:
        return _check_variables(self.cleaned_data["body"])


class StatusFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args: Any, statuses: list[tuple[str, Any]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Any status")), *statuses]  # type: ignore[attr-defined]
