"""Forms of the staff pages that build calls: the call's settings, a question (only the fields
its kind uses), and copying a call to next year.

The forms read and check what was typed; ``building`` writes. Each problem is shown next to the
field (an option's problem names its line), and what was typed stays in the form.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kaynak.calls.building import CHOICE_KINDS, TEXT_KINDS, option_problem
from kaynak.calls.models import Call, Question, QuestionKind
from kaynak.calls.queries import option_text
from kaynak.core.db import turkish_order
from kaynak.core.models import ApplicantType, Province
from kaynak.programmes.models import Programme
from kaynak.programmes.staff_forms import LOCAL_MINUTES, LocalDateTimeInput

DATETIME_FORMATS = [LOCAL_MINUTES, "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"]
ISTANBUL_HELP = _("Istanbul time.")


def _capitalise_labels(form: forms.BaseForm) -> None:
    # The labels reuse the models' lower-case names (one msgid to translate), shown as titles.
    for field in form.fields.values():
        if field.label:
            field.label = capfirst(field.label)


def _datetime_field(label: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        help_text=ISTANBUL_HELP,
        widget=LocalDateTimeInput(),
        input_formats=DATETIME_FORMATS,
    )


class CallForm(forms.ModelForm[Call]):
    """A call's settings: texts, dates, eligibility, the people asked for, review."""

    opens_at = _datetime_field(_("opens"))
    closes_at = _datetime_field(_("deadline"))

    class Meta:
        model = Call
        fields = [
            "programme",
            "title",
            "title_en",
            "slug",
            "description",
            "description_en",
            "opens_at",
            "closes_at",
            "applicant_types",
            "provinces",
            "one_per_organisation",
            "people_label",
            "people_label_en",
            "people_min",
            "people_max",
            "blind_review",
            "reviewers_per_application",
            "spread_threshold",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "description_en": forms.Textarea(attrs={"rows": 6}),
            "applicant_types": forms.CheckboxSelectMultiple,
            "provinces": forms.SelectMultiple(attrs={"size": 8}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        programme: Any = self.fields["programme"]
        # Active programmes, and the call's own even when it is no longer active.
        programme.queryset = Programme.objects.filter(
            Q(is_active=True) | Q(pk=self.instance.programme_id)
        ).order_by(turkish_order("name"))
        types: Any = self.fields["applicant_types"]
        types.queryset = ApplicantType.objects.order_by("position")
        provinces: Any = self.fields["provinces"]
        provinces.queryset = Province.objects.order_by(turkish_order("name"))
        slug = self.fields["slug"]
        slug.required = False
        slug.help_text = _("Leave empty to make one from the title.")
        _capitalise_labels(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and opens >= closes:
            self.add_error("closes_at", _("The deadline must come after the opening."))
        low, high = data.get("people_min"), data.get("people_max")
        if low is not None and high is not None and high < low:
            self.add_error("people_max", _("“At most” cannot be fewer than “at least”."))
        return data

    def fieldsets(self) -> list[tuple[Any, Any, list[forms.BoundField]]]:
        """The form in parts, each with a legend and a note."""
        parts = [
            (
                pgettext_lazy("application call", "The call"),
                "",
                ("programme", "title", "title_en", "slug", "description", "description_en"),
            ),
            (_("Dates"), "", ("opens_at", "closes_at")),
            (
                _("Who may apply"),
                _("Leave a list empty to accept everyone."),
                ("applicant_types", "provinces", "one_per_organisation"),
            ),
            (
                _("People named in an application"),
                _(
                    "E.g. the school's representatives or a workshop's facilitators; "
                    "0 at most asks for nobody."
                ),
                ("people_label", "people_label_en", "people_min", "people_max"),
            ),
            (
                _("Review"),
                "",
                ("blind_review", "reviewers_per_application", "spread_threshold"),
            ),
        ]
        return [(legend, note, [self[name] for name in names]) for legend, note, names in parts]

    def values(self) -> dict[str, Any]:
        """What the services take: plain fields, with eligibility apart."""
        data = dict(self.cleaned_data)
        data.pop("programme")
        return data


class CopyForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=250)
    title_en = forms.CharField(label=_("title (English)"), max_length=250, required=False)
    slug = forms.SlugField(
        label=_("address"),
        max_length=120,
        required=False,
        help_text=_("Leave empty to make one from the title."),
    )
    opens_at = _datetime_field(_("opens"))
    closes_at = _datetime_field(_("deadline"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _capitalise_labels(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and opens >= closes:
            self.add_error("closes_at", _("The deadline must come after the opening."))
        return data


class OptionsField(forms.CharField):
    """A choice question's options, one per line: ``key | Türkçe | English``."""

    widget = forms.Textarea(attrs={"rows": 5})

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(
                " | ".join(part for part in (o["key"], o["tr"], o.get("en", "")) if part)
                for o in value
            )
        return value

    def clean(self, value: Any) -> list[dict[str, str]]:
        text = super().clean(value) or ""
        options: list[dict[str, str]] = []
        problems: list[ValidationError] = []
        seen: set[str] = set()
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split("|")]
            if len(parts) < 2 or len(parts) > 3:
                problems.append(
                    ValidationError(
                        _("Line %(number)d: write “key | Türkçe | English”."),
                        params={"number": number},
                        code="format",
                    )
                )
                continue
            option = {"key": parts[0], "tr": parts[1], "en": parts[2] if len(parts) > 2 else ""}
            problem = option_problem(option, seen)
            if problem:
                problems.append(
                    ValidationError(
                        _("Line %(number)d: %(problem)s."),
                        params={"number": number, "problem": problem},
                        code="option",
                    )
                )
            seen.add(option["key"])
            options.append(option)
        if problems:
            raise ValidationError(problems)
        if len(options) < 2:
            raise ValidationError(
                _("A choice question needs at least two options."), code="too_few"
            )
        return options


# The fields each kind of question uses, beyond the ones every question has.
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    **dict.fromkeys(TEXT_KINDS, ("max_words",)),
    **dict.fromkeys(CHOICE_KINDS, ("options",)),
    QuestionKind.NUMBER: ("min_value", "max_value"),
    QuestionKind.FILE: ("max_file_mb",),
}
COMMON_FIELDS = ("key", "label", "label_en", "help_text", "help_text_en", "required")


def condition_choices(call: Call, before: Question | None) -> list[tuple[str, Any]]:
    """The answers a question may depend on: the options of the choice questions above it,
    grouped by question; each value is ``<question id>:<option key>``."""
    candidates: QuerySet[Question] = call.questions.filter(kind__in=CHOICE_KINDS).order_by(
        "position", "pk"
    )
    if before is not None:
        candidates = candidates.filter(position__lt=before.position) | candidates.filter(
            position=before.position, pk__lt=before.pk
        )
    return [
        (
            question.text,
            [
                (f"{question.pk}:{option['key']}", option_text(option))
                for option in question.options
            ],
        )
        for question in candidates.order_by("position", "pk")
    ]


class QuestionForm(forms.Form):
    """One question; built for one kind, it has only the fields that kind uses."""

    kind = forms.ChoiceField(label=_("kind"), choices=QuestionKind.choices)
    key = forms.CharField(
        label=_("key"),
        max_length=60,
        help_text=_(
            "Small letters, digits and hyphens (e.g. budget). Answers are stored under it."
        ),
    )
    label = forms.CharField(label=_("question"), max_length=300)
    label_en = forms.CharField(label=_("question (English)"), max_length=300, required=False)
    help_text = forms.CharField(
        label=_("help"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    help_text_en = forms.CharField(
        label=_("help (English)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    required = forms.BooleanField(label=_("required"), required=False, initial=True)
    max_words = forms.IntegerField(label=_("at most words"), required=False, min_value=1)
    min_value = forms.DecimalField(
        label=_("smallest"), required=False, max_digits=14, decimal_places=2
    )
    max_value = forms.DecimalField(
        label=_("largest"), required=False, max_digits=14, decimal_places=2
    )
    options = OptionsField(
        label=_("options"),
        help_text=_("One per line: key | Türkçe | English (e.g. yes | Evet | Yes)."),
    )
    max_file_mb = forms.IntegerField(
        label=_("largest file (MB)"), min_value=1, max_value=100, initial=10
    )
    show_when = forms.MultipleChoiceField(
        label=_("show only when the answer is"),
        required=False,
        help_text=_("Leave empty to always show the question. Answers of one question only."),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(
        self,
        *args: Any,
        call: Call,
        kind: str,
        question: Question | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.call = call
        self.question_kind = kind if kind in QuestionKind.values else QuestionKind.SHORT_TEXT
        used = {*COMMON_FIELDS, *KIND_FIELDS.get(self.question_kind, ()), "kind", "show_when"}
        for name in list(self.fields):
            if name not in used:
                del self.fields[name]
        _capitalise_labels(self)
        choices = condition_choices(call, question)
        if choices:
            show_when: Any = self.fields["show_when"]
            show_when.choices = choices
        else:
            del self.fields["show_when"]

    @classmethod
    def initial_for(cls, question: Question) -> dict[str, Any]:
        initial: dict[str, Any] = {
            name: getattr(question, name)
            for name in (*COMMON_FIELDS, "kind", *{f for fs in KIND_FIELDS.values() for f in fs})
        }
        if question.show_if_id:
            initial["show_when"] = [f"{question.show_if_id}:{v}" for v in question.show_if_values]
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") and data["kind"] != self.question_kind:
            self.add_error("kind", _("Choose the kind again: the form was made for another."))
        low, high = data.get("min_value"), data.get("max_value")
        if low is not None and high is not None and low > high:
            self.add_error("max_value", _("The largest value must not be below the smallest."))
        chosen = data.get("show_when") or []
        if len({value.split(":", 1)[0] for value in chosen}) > 1:
            self.add_error("show_when", _("Choose answers of one question only."))
        return data

    def values(self) -> dict[str, Any]:
        """What ``question_add`` / ``question_update`` take."""
        data = dict(self.cleaned_data)
        chosen: list[str] = data.pop("show_when", None) or []
        values = {name: data[name] for name in data}
        values["show_if"] = None
        values["show_if_values"] = []
        if chosen:
            question_id = int(chosen[0].split(":", 1)[0])
            values["show_if"] = self.call.questions.get(pk=question_id)
            values["show_if_values"] = [value.split(":", 1)[1] for value in chosen]
        for kind_fields in KIND_FIELDS.values():
            for name in kind_fields:
                if name not in self.fields:
                    values.setdefault(name, [] if name == "options" else None)
        if "max_file_mb" in values and values["max_file_mb"] is None:
            del values["max_file_mb"]
        return values


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")], required=False)
    to = forms.IntegerField(required=False, min_value=1)
