"""Forms of the staff pages: the period, an indicator with its targets, a reported value."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaynak.core.models import ApplicantType, Province, Region, Theme
from kaynak.core.text import sort_key
from kaynak.impact.models import Indicator, Method
from kaynak.impact.services import IndicatorFilters, TargetData
from kaynak.ledger.forms import QUARTERS, DateInput
from kaynak.ledger.models import ServiceKind
from kaynak.ledger.outcomes import outcome_measures
from kaynak.ledger.queries import quarter_range

NUMBER_ERROR = _("Enter a number, such as 12 or 12.5.")


class PeriodForm(forms.Form):
    """A year, a quarter of a year, or a range of dates; the current year when none is given."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False)
    quarter = forms.ChoiceField(
        label=_("Quarter"), required=False, choices=[("", _("Whole year")), *QUARTERS]
    )
    start = forms.DateField(label=_("From"), required=False, widget=DateInput())
    end = forms.DateField(
        label=_("Until"),
        required=False,
        widget=DateInput(),
        help_text=_("A range of dates replaces the year and quarter."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        cast(forms.ChoiceField, self.fields["year"]).choices = [
            (str(year), str(year)) for year in range(this_year + 5, this_year - 11, -1)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and not end and "end" not in self.errors:
            self.add_error("end", _("Give the last day of the range too."))
        elif end and not start and "start" not in self.errors:
            self.add_error("start", _("Give the first day of the range too."))
        elif start and end and end < start:
            self.add_error("end", _("The range ends before it starts."))
        return data

    def period(self) -> tuple[dt.date, dt.date]:
        """The chosen period (call once the form is valid)."""
        data = self.cleaned_data
        if data.get("start") and data.get("end"):
            return data["start"], data["end"]
        year = data.get("year") or timezone.localdate().year
        if data.get("quarter"):
            return quarter_range(year, int(data["quarter"]))
        return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _by_label[T: Province | Region | Theme | ApplicantType](objects: Any) -> list[T]:
    return sorted(objects, key=lambda obj: sort_key(obj.label))


class IndicatorForm(forms.ModelForm[Indicator]):
    """An indicator's definition; its filters go to the service as ``filters()``."""

    outcome_slug = forms.ChoiceField(label=_("Outcome measure"), required=False)

    class Meta:
        model = Indicator
        fields = [
            "code",
            "name_tr",
            "name_en",
            "description",
            "level",
            "method",
            "unit",
            "measure",
            "kinds",
            "programme",
            "themes",
            "provinces",
            "regions",
            "organisation_types",
            "gender",
            "reached",
            "outcome_slug",
            "baseline_value",
            "baseline_date",
            "is_public",
            "position",
            "active",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "kinds": forms.CheckboxSelectMultiple,
            "regions": forms.CheckboxSelectMultiple,
            "organisation_types": forms.CheckboxSelectMultiple,
            "themes": forms.CheckboxSelectMultiple,
            "provinces": forms.SelectMultiple(attrs={"size": 8}),
            "baseline_date": DateInput(),
        }
        error_messages = {"baseline_value": {"invalid": NUMBER_ERROR}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["outcome_slug"]).choices = [
            ("", "—"),
            *((slug, measure.label) for slug, measure in outcome_measures().items()),
        ]
        self.fields["baseline_value"].localize = True
        self.fields["baseline_value"].widget.is_localized = True
        choices: dict[str, Any] = {
            "kinds": list(ServiceKind.objects.order_by("position")),
            "themes": _by_label(Theme.objects.all()),
            "provinces": _by_label(Province.objects.all()),
            "regions": _by_label(Region.objects.all()),
            "organisation_types": _by_label(ApplicantType.objects.all()),
        }
        for name, objects in choices.items():
            field = cast(forms.ModelMultipleChoiceField[Any], self.fields[name])
            field.choices = [(obj.pk, obj.label) for obj in objects]
        for name in ("code", "name_tr", "name_en", "unit"):
            self.fields[name].widget.attrs.setdefault("autocomplete", "off")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        method = data.get("method")
        if method == Method.COMPUTED and not data.get("measure"):
            self.add_error("measure", _("Choose what a computed indicator counts."))
        if method == Method.OUTCOME and not data.get("outcome_slug"):
            self.add_error(
                "outcome_slug", _("Choose one of the outcome measures the apps provide.")
            )
        return data

    def filters(self) -> IndicatorFilters:
        data = self.cleaned_data
        return IndicatorFilters(
            kinds=list(data.get("kinds") or []),
            themes=list(data.get("themes") or []),
            provinces=list(data.get("provinces") or []),
            regions=list(data.get("regions") or []),
            organisation_types=list(data.get("organisation_types") or []),
        )


class TargetForm(forms.Form):
    label = forms.CharField(
        label=_("Label"), max_length=60, help_text=_("2026, 2026 Q1, Phase 1 …")
    )
    start = forms.DateField(label=_("From"), widget=DateInput())
    end = forms.DateField(label=_("Until"), widget=DateInput())
    value = forms.DecimalField(
        label=_("Target"),
        max_digits=14,
        decimal_places=2,
        localize=True,
        error_messages={"invalid": NUMBER_ERROR},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The target's period ends before it starts."))
        return data


TargetFormSet = formset_factory(TargetForm, extra=2, can_delete=True)


def targets_of(formset: Any) -> list[TargetData]:
    """The targets a valid formset holds: filled rows not marked for deletion."""
    return [
        TargetData(
            label=form.cleaned_data["label"],
            start=form.cleaned_data["start"],
            end=form.cleaned_data["end"],
            value=form.cleaned_data["value"],
            key=form.prefix,
        )
        for form in formset.forms
        # Untouched empty rows have no cleaned data; the indicator's existing targets, even
        # unchanged, do.
        if form.cleaned_data.get("label") and not form.cleaned_data.get("DELETE")
    ]


def target_initial(indicator: Indicator) -> list[dict[str, Any]]:
    return [
        {"label": t.label, "start": t.start, "end": t.end, "value": t.value}
        for t in indicator.targets.order_by("start")
    ]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile[Any]]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class ManualValueForm(forms.Form):
    """A value reported by hand. The value is read as text so that the service can say what
    was wrong with it, and what was typed is shown again."""

    indicator = forms.ModelChoiceField(label=_("Indicator"), queryset=Indicator.objects.none())
    period_start = forms.DateField(label=_("From"), widget=DateInput())
    period_end = forms.DateField(label=_("Until"), widget=DateInput())
    value = forms.CharField(label=_("Value"), max_length=40)
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence = MultipleFileField(
        label=_("Evidence files"),
        required=False,
        help_text=_("PDF, image, Word, Excel, OpenDocument, CSV or text; up to 10 MB each."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField[Indicator], self.fields["indicator"])
        field.queryset = Indicator.objects.filter(method=Method.MANUAL, active=True)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period ends before it starts."))
        return data


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for rejection"), widget=forms.Textarea(attrs={"rows": 2})
    )
