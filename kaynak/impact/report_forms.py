"""Forms of the donor report pages: a new report (title, period, programme, language) and a
draft's narrative."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from kaynak.impact.figures import programmes
from kaynak.impact.forms import PeriodForm
from kaynak.impact.models import ReportLanguage
from kaynak.impact.reports import Narrative


class ReportForm(PeriodForm):
    """A new donor report: its title, its period (a year, a quarter or dates), a programme
    ("" for all) and the language it is written in."""

    title = forms.CharField(label=_("Title"), max_length=200)
    programme = forms.ChoiceField(label=_("Programme"), required=False)
    language = forms.ChoiceField(
        label=_("Language of the report"),
        choices=ReportLanguage.choices,
        initial=ReportLanguage.TURKISH,
    )

    field_order = ["title", "year", "quarter", "start", "end", "programme", "language"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["programme"]).choices = [
            ("", _("All programmes")),
            *((name, name) for name in programmes()),
        ]
        self.fields["title"].widget.attrs.setdefault("autocomplete", "off")


class NarrativeForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    achievements = forms.CharField(
        label=_("Achievements"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    challenges = forms.CharField(
        label=_("Challenges and lessons learned"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    next_steps = forms.CharField(
        label=_("Next steps"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def narrative(self) -> Narrative:
        return Narrative(**self.cleaned_data)
