"""The school's staff forms. They check what a person can fix next to the field; the services
have the last word (their ``SchoolError`` is shown on the form)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from kaynak.calls.models import Call
from kaynak.core.db import turkish_order
from kaynak.core.models import Province
from kaynak.directory.models import Organisation, Person
from kaynak.programmes.models import Activity, ActivityKind, ActivityStatus, Programme
from kaynak.school.models import Cohort


class CohortForm(forms.ModelForm[Cohort]):
    class Meta:
        model = Cohort
        fields = [
            "programme",
            "call",
            "name",
            "slug",
            "year",
            "required_modules",
            "people_per_organisation",
            "status",
            "description",
        ]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = Programme.objects.filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["call"].queryset = Call.objects.order_by("-opens_at")  # type: ignore[attr-defined]
        self.fields["required_modules"].min_value = 1  # type: ignore[attr-defined]


class ModuleForm(forms.Form):
    """A new module (title, place, days and times) or an existing school activity."""

    activity = forms.ModelChoiceField(
        label=_("An existing school activity"),
        queryset=Activity.objects.none(),
        required=False,
        help_text=_("Or leave empty and describe a new module below."),
    )
    title = forms.CharField(label=_("Title"), max_length=250, required=False)
    province = forms.ModelChoiceField(
        label=_("Province"), queryset=Province.objects.none(), required=False
    )
    venue = forms.CharField(label=_("Venue"), max_length=250, required=False)
    first_day = forms.DateField(
        label=_("First day"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    days = forms.IntegerField(label=_("Number of days"), min_value=1, max_value=14, initial=3)
    starts = forms.TimeField(
        label=_("Each day from"),
        initial=dt.time(9, 30),
        widget=forms.TimeInput(attrs={"type": "time"}),
    )
    ends = forms.TimeField(
        label=_("until"), initial=dt.time(17, 0), widget=forms.TimeInput(attrs={"type": "time"})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = Activity.objects.filter(  # type: ignore[attr-defined]
            kind=ActivityKind.SCHOOL_MODULE, school_module__isnull=True
        ).exclude(status=ActivityStatus.CANCELLED)
        self.fields["province"].queryset = Province.objects.order_by(turkish_order("name"))  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("activity") is None:
            if not (data.get("title") or "").strip():
                self.add_error("title", _("Give the new module a title."))
            if data.get("first_day") is None:
                self.add_error("first_day", _("Say on which day the module starts."))
            if data.get("province") is None:
                self.add_error("province", _("Say in which province the module takes place."))
            starts, ends = data.get("starts"), data.get("ends")
            if starts and ends and ends <= starts:
                self.add_error("ends", _("A day must end after it starts."))
        return data


class EnrolForm(forms.Form):
    person = forms.ModelChoiceField(
        label=_("Person"), queryset=Person.objects.filter(erased_at__isnull=True)
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.all(), required=False
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=250)
