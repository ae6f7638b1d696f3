"""Forms of the festival's staff pages. They parse and check what was typed; the services
decide (their FestivalError is shown next to the field it names)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kaynak.directory.models import Person
from kaynak.festival.errors import FestivalError
from kaynak.festival.models import Festival, Venue
from kaynak.festival.services import festival_days

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
