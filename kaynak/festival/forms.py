"""Forms of the festival's staff pages. They parse and check what was typed; the services
decide (their FestivalError is shown next to the field it names)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from kaynak.calls.staff_forms import DATETIME_FORMATS, ISTANBUL_HELP
from kaynak.core.db import turkish_order
from kaynak.directory.models import Person
from kaynak.festival.errors import FestivalError
from kaynak.festival.models import Festival, Venue
from kaynak.festival.services import festival_days, unique_festival_slug
from kaynak.programmes.models import Programme
from kaynak.programmes.staff_forms import DateInput, LocalDateTimeInput, provinces_in_order

# A service error's field → the form field it is shown next to.
FIELD_OF_ERROR = {"starts_at": "start", "ends_at": "end", "day": "day", "venue": "venue"}


class ScheduleForm(forms.Form):
    """Place a session: venue, day, start and end (Istanbul time)."""

    venue = forms.TypedChoiceField(label=_("Venue"), coerce=int)
    day = forms.TypedChoiceField(label=_("Day"), coerce=dt.date.fromisoformat)
    start = forms.TimeField(label=_("Starts"), widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label=_("Ends"), widget=forms.TimeInput(attrs={"type": "time"}))

    def __init__(self, festival: Festival, venues: list[Venue], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The venues are read once for the page's many forms, not once per form.
        self.venues = {venue.pk: venue for venue in venues}
        self.fields["venue"].choices = [("", "—"), *((v.pk, v.name) for v in venues)]  # type: ignore[attr-defined]
        self.fields["day"].choices = [  # type: ignore[attr-defined]
            (day.isoformat(), f"{day:%d.%m.%Y}") for day in festival_days(festival)
        ]

    def clean_venue(self) -> Venue:
        return self.venues[self.cleaned_data["venue"]]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start is not None and end is not None and end <= start:
            self.add_error("end", _("The session must end after it starts."))
        return data

    def times(self) -> tuple[dt.datetime, dt.datetime]:
        day = self.cleaned_data["day"]
        return (
            timezone.make_aware(dt.datetime.combine(day, self.cleaned_data["start"])),
            timezone.make_aware(dt.datetime.combine(day, self.cleaned_data["end"])),
        )

    def add_service_error(self, error: FestivalError) -> None:
        self.add_error(FIELD_OF_ERROR.get(error.field), str(error.message))


class VenueForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    capacity = forms.IntegerField(label=_("Seats"), min_value=1, required=False)


class VenueEditForm(VenueForm):
    """A venue's name, seats and column in the grid (0 is the first)."""

    position = forms.IntegerField(
        label=_("Position"),
        min_value=0,
        max_value=999,
        help_text=_("The venue's column in the programme grid: smaller numbers come first."),
    )

    def add_service_error(self, error: FestivalError) -> None:
        self.add_error(error.field if error.field in self.fields else None, str(error.message))


def reserved_slugs() -> set[str]:
    """The addresses the staff pages take for themselves ("new" in every language): a festival
    with one of them could not be opened."""
    reserved = set()
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            reserved.add(reverse("festival:staff-new").rstrip("/").rsplit("/", 1)[-1])
    return reserved


class FestivalSettingsForm(forms.Form):
    """What staff change on a festival: name, description, days and place."""

    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea)
    starts_on = forms.DateField(label=_("First day"), widget=DateInput())
    ends_on = forms.DateField(label=_("Last day"), widget=DateInput())
    province = forms.ModelChoiceField(queryset=provinces_in_order(), label=_("Province"))
    city = forms.CharField(label=_("City or district"), max_length=120, required=False)
    venue = forms.CharField(
        label=_("Venue"),
        max_length=250,
        required=False,
        help_text=_("Where the festival takes place, e.g. a congress centre."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on is not None and ends_on is not None and ends_on < starts_on:
            self.add_error("ends_on", _("The last day cannot be before the first day."))
        return data

    def add_service_error(self, error: FestivalError) -> None:
        self.add_error(error.field if error.field in self.fields else None, str(error.message))


def _call_time(label: Any) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        help_text=ISTANBUL_HELP,
        widget=LocalDateTimeInput(),
        input_formats=DATETIME_FORMATS,
    )


class FestivalCreateForm(FestivalSettingsForm):
    """A new festival: its programme and address too, and when its call for workshops opens
    and closes (the call is made as a draft with the standard proposal form)."""

    programme = forms.ModelChoiceField(
        queryset=Programme.objects.none(),
        label=_("Programme"),
        help_text=_("The line of work the festival belongs to."),
    )
    slug = forms.SlugField(
        label=_("Address"),
        max_length=80,
        required=False,
        help_text=_("Empty: made from the name."),
    )
    call_opens_at = _call_time(_("Call for workshops opens"))
    call_closes_at = _call_time(_("Call for workshops closes"))

    field_order = [
        "programme",
        "name",
        "slug",
        "description",
        "starts_on",
        "ends_on",
        "province",
        "city",
        "venue",
        "call_opens_at",
        "call_closes_at",
    ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.filter(  # type: ignore[attr-defined]
            is_active=True
        ).order_by(turkish_order("name"))

    def clean_slug(self) -> str:
        slug = str(self.cleaned_data.get("slug") or "").strip().lower()
        if slug and slug in reserved_slugs():
            raise forms.ValidationError(_("This address is taken by the staff pages."))
        if slug and Festival.objects.filter(slug=slug).exists():
            raise forms.ValidationError(_("Another festival already has this address."))
        return slug

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        opens, closes = data.get("call_opens_at"), data.get("call_closes_at")
        if opens is not None and closes is not None and closes <= opens:
            self.add_error(
                "call_closes_at", _("The call for workshops must open before its deadline.")
            )
        if "slug" in data and not data["slug"] and data.get("name"):
            data["slug"] = unique_festival_slug(data["name"], reserved=reserved_slugs())
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class ParticipationForm(forms.Form):
    """An organisation's stand and delegates (chosen among its current people)."""

    stand = forms.CharField(
        label=_("Stand"), max_length=120, required=False, help_text=_("Empty: no stand.")
    )
    delegates = forms.ModelMultipleChoiceField(
        queryset=Person.objects.none(),
        label=_("Delegates"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, people: Any, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["delegates"].queryset = people  # type: ignore[attr-defined]


class CheckInForm(forms.Form):
    code = forms.CharField(
        label=_("Badge code"),
        max_length=300,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}),
    )
