"""The public listing's filter form (GET). It only renders and explains: what the filters mean
is ``queries.SearchFilters``, which reads the same parameters for the feeds, the API and saved
searches. A bad value is explained next to its field and left out; the others still apply."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kaynak.radar.queries import SearchFilters, Sort

CLOSING_CHOICES = [
    ("", _("Any time")),
    ("7", _("Closing in 7 days")),
    ("14", _("Closing in 14 days")),
    ("30", _("Closing in 30 days")),
]


class AnyCodeMultipleChoiceField(forms.MultipleChoiceField):
    """Offers the countries published calls name, but takes any code (a saved search may name
    one no call names today); ``SearchFilters.parse`` checks the code's shape."""

    def valid_value(self, value: Any) -> bool:
        return True


class ListingFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("e.g. women, İzmir")}),
    )
    themes = forms.MultipleChoiceField(
        label=_("Themes"), required=False, widget=forms.CheckboxSelectMultiple
    )
    applicant_types = forms.MultipleChoiceField(
        label=_("Who may apply"), required=False, widget=forms.CheckboxSelectMultiple
    )
    countries = AnyCodeMultipleChoiceField(
        label=_("Eligible countries"), required=False, widget=forms.CheckboxSelectMultiple
    )
    funder = forms.ChoiceField(label=_("Funder"), required=False)
    language = forms.ChoiceField(
        label=_("Language of the call"),
        required=False,
        choices=[("", _("Any language")), ("tr", _("Turkish")), ("en", _("English"))],
    )
    currency = forms.ChoiceField(label=_("Currency"), required=False)
    amount_min = forms.CharField(
        label=_("Grant at least"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    amount_max = forms.CharField(
        label=_("Grant at most"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
    )
    deadline_from = forms.CharField(
        label=_("Deadline from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    deadline_to = forms.CharField(
        label=_("Deadline until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    closing_within_days = forms.ChoiceField(
        label=_("Closing"), required=False, choices=CLOSING_CHOICES
    )
    include_expired = forms.BooleanField(label=_("Include closed calls"), required=False)
    sort = forms.ChoiceField(
        label=_("Order"),
        required=False,
        choices=[
            ("", _("Best match when searching, else deadline")),
            (Sort.DEADLINE, _("Deadline, soonest first")),
            (Sort.NEWEST, _("Newest first")),
        ],
    )

    def __init__(self, data: Any, *, choices: dict[str, Any]) -> None:
        super().__init__(data)
        self._set_choices("themes", [(t.slug, t.label) for t in choices["themes"]])
        self._set_choices(
            "applicant_types", [(a.slug, a.label) for a in choices["applicant_types"]]
        )
        self._set_choices("countries", [(c.code, c.label) for c in choices["countries"]])
        self._set_choices(
            "funder", [("", _("Any funder")), *((str(f.pk), f.name) for f in choices["funders"])]
        )
        self._set_choices(
            "currency", [("", _("Any currency")), *((c, c) for c in choices["currencies"])]
        )
        self._filters: SearchFilters | None = None

    def _set_choices(self, name: str, choices: list[tuple[str, Any]]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        parsed = SearchFilters.parse(self.data)
        for error in parsed.errors:
            if error.field not in self.errors:
                self.add_error(error.field, str(error.message))
        # A value the form rejected (an unknown theme, funder or currency) is left out too.
        empty = SearchFilters()
        unusable: dict[str, Any] = {name: getattr(empty, name) for name in self.errors}
        self._filters = replace(parsed, **unusable, errors=())
        return data

    def filters(self) -> SearchFilters:
        """The usable filters (a filter with a bad value is left out)."""
        self.is_valid()
        assert self._filters is not None
        return self._filters
