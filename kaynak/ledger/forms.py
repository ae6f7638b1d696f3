"""The reach page's filter: period (year, quarter or a range of dates), service, place, theme.

The same parameters, written by ``reach_filter_params``, make the links from every figure to
the names behind it, so a drill-down reads its filter with this form too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any, cast

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from kaynak.core.models import ApplicantType, Province, Region, Theme
from kaynak.core.text import sort_key
from kaynak.ledger.models import ServiceKind
from kaynak.ledger.queries import ReachFilter, quarter_range

# The value of a place or theme parameter that asks for deliveries where none was recorded.
NOT_RECORDED = "none"

QUARTERS = [
    ("1", _("1st quarter (January–March)")),
    ("2", _("2nd quarter (April–June)")),
    ("3", _("3rd quarter (July–September)")),
    ("4", _("4th quarter (October–December)")),
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        # The browser's date picker sends and shows ISO dates whatever the language.
        super().__init__(attrs, format="%Y-%m-%d")


def _sorted_by_label[T: Province | Region | Theme](objects: Iterable[T]) -> list[T]:
    return sorted(objects, key=lambda obj: sort_key(obj.label))


def _by_type_label(item: tuple[str, ApplicantType]) -> Any:
    return sort_key(item[1].label)


def _choices(form: forms.Form, name: str) -> forms.ChoiceField:
    return cast(forms.ChoiceField, form.fields[name])


class ReachFilterForm(forms.Form):
    """Reads the filter from the query string; ``reach_filter()`` once it is valid."""

    year = forms.ChoiceField(label=_("Year"), required=False)
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
    kind = forms.ChoiceField(label=_("Service"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    province = forms.ChoiceField(label=_("Province"), required=False)
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    organisation_type = forms.ChoiceField(label=_("Organisation type"), required=False)
    programme = forms.CharField(label=_("Programme"), required=False, max_length=200)

    def __init__(self, *args: Any, years: Sequence[int], **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        this_year = timezone.localdate().year
        shown_years = sorted({*years, this_year}, reverse=True)
        _choices(self, "year").choices = [
            ("", _("All years")),
            *((str(year), str(year)) for year in shown_years),
        ]
        # One query each; the choices keep the objects, so cleaning needs no more queries.
        self._kinds = {kind.slug: kind for kind in ServiceKind.objects.order_by("position")}
        self._regions = {region.code: region for region in Region.objects.all()}
        self._provinces = {str(p.plate_code): p for p in Province.objects.all()}
        self._themes = {theme.slug: theme for theme in Theme.objects.all()}
        self._types = {kind.slug: kind for kind in ApplicantType.objects.all()}
        not_recorded = (NOT_RECORDED, _("Not recorded"))
        _choices(self, "kind").choices = [
            ("", _("All services")),
            *((slug, kind.label) for slug, kind in self._kinds.items()),
        ]
        _choices(self, "region").choices = [
            ("", _("All regions")),
            *((r.code, r.label) for r in _sorted_by_label(self._regions.values())),
            not_recorded,
        ]
        _choices(self, "province").choices = [
            ("", _("All provinces")),
            *((str(p.plate_code), p.label) for p in _sorted_by_label(self._provinces.values())),
            not_recorded,
        ]
        _choices(self, "theme").choices = [
            ("", _("All themes")),
            *((t.slug, t.label) for t in _sorted_by_label(self._themes.values())),
            not_recorded,
        ]
        _choices(self, "organisation_type").choices = [
            ("", _("All organisation types")),
            *((slug, t.label) for slug, t in sorted(self._types.items(), key=_by_type_label)),
            not_recorded,
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
        if data.get("quarter") and not data.get("year") and not (start or end):
            self.add_error("quarter", _("Choose the year of the quarter."))
        return data

    def period(self) -> tuple[dt.date | None, dt.date | None]:
        data = self.cleaned_data
        if data.get("start") and data.get("end"):
            return data["start"], data["end"]
        if data.get("year"):
            year = int(data["year"])
            if data.get("quarter"):
                return quarter_range(year, int(data["quarter"]))
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
        return None, None

    def reach_filter(self) -> ReachFilter:
        """The filter the valid form describes."""
        data = self.cleaned_data
        start, end = self.period()
        return ReachFilter(
            start=start,
            end=end,
            kind=self._kinds.get(data.get("kind") or ""),
            region=self._regions.get(data.get("region") or ""),
            province=self._provinces.get(data.get("province") or ""),
            theme=self._themes.get(data.get("theme") or ""),
            no_province=NOT_RECORDED in (data.get("region"), data.get("province")),
            no_theme=data.get("theme") == NOT_RECORDED,
            programme=(data.get("programme") or "").strip(),
            organisation_type=self._types.get(data.get("organisation_type") or ""),
            no_organisation_type=data.get("organisation_type") == NOT_RECORDED,
        )


def reach_filter_params(reach_filter: ReachFilter) -> dict[str, str]:
    """The query-string parameters that ``ReachFilterForm`` reads back as ``reach_filter``."""
    params: dict[str, str] = {}
    if reach_filter.start is not None:
        params["start"] = reach_filter.start.isoformat()
    if reach_filter.end is not None:
        params["end"] = reach_filter.end.isoformat()
    if reach_filter.kind is not None:
        params["kind"] = reach_filter.kind.slug
    if reach_filter.region is not None:
        params["region"] = reach_filter.region.code
    if reach_filter.province is not None:
        params["province"] = str(reach_filter.province.plate_code)
    elif reach_filter.no_province:
        params["province"] = NOT_RECORDED
    if reach_filter.theme is not None:
        params["theme"] = reach_filter.theme.slug
    elif reach_filter.no_theme:
        params["theme"] = NOT_RECORDED
    if reach_filter.organisation_type is not None:
        params["organisation_type"] = reach_filter.organisation_type.slug
    elif reach_filter.no_organisation_type:
        params["organisation_type"] = NOT_RECORDED
    if reach_filter.programme:
        params["programme"] = reach_filter.programme
    return params


def default_filter_data(years: Sequence[int]) -> dict[str, str]:
    """With no filter chosen: the latest year that has deliveries (usually this one)."""
    return {"year": str(years[0] if years else timezone.localdate().year)}


def period_label(start: dt.date | None, end: dt.date | None) -> str:
    """ "2024", "2024 · 2nd quarter (April–June)", "1.3.2024 – 15.6.2024" or "All years"."""
    if start is None or end is None:
        return str(_("All years"))
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return str(start.year)
    for value, label in QUARTERS:
        if (start, end) == quarter_range(start.year, int(value)):
            return f"{start.year} · {label}"
    first, last = (formats.date_format(day, "SHORT_DATE_FORMAT") for day in (start, end))
    return f"{first} – {last}"
