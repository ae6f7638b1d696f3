"""Forms of the coaching engagements' pages: they parse what was typed; the services in
``kaynak.coaching.engagements`` decide, and their ``CoachingError.fields`` come back next to
the fields (``show_error``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kaynak.calls.models import Call
from kaynak.coaching import queries_engagements as queries
from kaynak.coaching.models import (
    Action,
    ActionStatus,
    CoachingRound,
    CoachingSession,
    Dimension,
    Engagement,
    EngagementStatus,
    Instrument,
    SessionMode,
)
from kaynak.core.db import turkish_order
from kaynak.directory.models import Organisation, Person
from kaynak.programmes.models import Programme

DATE = forms.DateInput({"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput({"type": "time"}, format="%H:%M")


class _CoachChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name or obj.email)


class EngagementFilterForm(forms.Form):
    round = forms.ModelChoiceField(
        label=pgettext_lazy("coaching", "Round"),
        queryset=CoachingRound.objects.order_by("-starts_on", "name"),
        required=False,
        empty_label=_("All rounds"),
    )
    status = forms.ChoiceField(
        label=pgettext_lazy("coaching", "Status"),
        choices=[("", _("All statuses")), *EngagementStatus.choices],
        required=False,
    )
    coach = _CoachChoice(
        label=_("Coach"), queryset=queries.coaches(), required=False, empty_label=_("All coaches")
    )

    def filters(self) -> queries.EngagementFilters:
        if not self.is_valid():
            return queries.EngagementFilters()
        data = self.cleaned_data
        return queries.EngagementFilters(
            round=data.get("round"), status=data.get("status") or "", coach=data.get("coach")
        )


class RoundForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    programme = forms.ModelChoiceField(
        label=_("Programme"), queryset=Programme.objects.order_by(turkish_order("name"))
    )
    call = forms.ModelChoiceField(
        label=pgettext_lazy("application call", "Call"),
        queryset=Call.objects.order_by("-created_at"),
        required=False,
        help_text=_("Accepting an application of this call opens an engagement."),
    )
    instrument = forms.ModelChoiceField(
        label=_("Assessment instrument"),
        queryset=Instrument.objects.filter(is_current=True).order_by("slug"),
    )
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE)


class EngagementOpenForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    round = forms.ModelChoiceField(
        label=pgettext_lazy("coaching", "Round"),
        queryset=CoachingRound.objects.order_by("-starts_on", "name"),
        required=False,
        empty_label=_("No round"),
    )
    coach = _CoachChoice(label=_("Coach"), queryset=queries.coaches(), required=False)
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE)
    goals = forms.CharField(label=_("Goals"), widget=forms.Textarea({"rows": 4}), required=False)

    def __init__(self, *args: Any, candidates: list[Organisation] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.ModelChoiceField)
        if self.is_bound:
            field.queryset = Organisation.objects.all()
        else:
            field.queryset = Organisation.objects.filter(
                pk__in=[o.pk for o in candidates or []]
            ).order_by(turkish_order("name"), "pk")


class EngagementEditForm(forms.Form):
    coach = _CoachChoice(label=_("Coach"), queryset=queries.coaches(), required=False)
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE)
    goals = forms.CharField(label=_("Goals"), widget=forms.Textarea({"rows": 4}), required=False)
    status = forms.ChoiceField(
        label=pgettext_lazy("coaching", "Status"), choices=EngagementStatus.choices
    )
    closing_note = forms.CharField(
        label=_("Closing note"),
        widget=forms.Textarea({"rows": 3}),
        required=False,
        help_text=_("Needed when the engagement ends early."),
    )


def engagement_initial(engagement: Engagement) -> dict[str, Any]:
    return {
        "coach": engagement.coach_id,
        "starts_on": engagement.starts_on,
        "ends_on": engagement.ends_on,
        "goals": engagement.goals,
        "status": engagement.status,
        "closing_note": engagement.closing_note,
    }


class ActionForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("coaching", "Action"), max_length=300)
    dimension = forms.ModelChoiceField(label=_("Dimension"), queryset=Dimension.objects.none())
    # Not required here: the service says why an owner is needed, next to the field.
    owner = forms.CharField(
        label=pgettext_lazy("coaching", "Owner"),
        max_length=200,
        required=False,
        help_text=_("A person or a role, e.g. the treasurer."),
    )
    due_on = forms.DateField(label=_("Due on"), widget=DATE, required=False)
    status = forms.ChoiceField(
        label=pgettext_lazy("coaching", "Status"),
        choices=ActionStatus.choices,
        initial=ActionStatus.TODO,
    )

    def __init__(self, *args: Any, engagement: Engagement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["dimension"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = engagement.instrument.dimensions.order_by("position", "pk")


def action_initial(action: Action) -> dict[str, Any]:
    return {
        "title": action.title,
        "dimension": action.dimension_id,
        "owner": action.owner,
        "due_on": action.due_on,
        "status": action.status,
    }


class _PersonChoices(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.full_name)


class SessionForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE)
    time = forms.TimeField(label=_("Time"), widget=TIME)
    minutes = forms.IntegerField(label=_("Duration (minutes)"), min_value=1, max_value=24 * 60)
    mode = forms.ChoiceField(label=_("Mode"), choices=SessionMode.choices)
    participants = _PersonChoices(
        label=_("Participants"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("People of the organisation who took part."),
    )
    shared_notes = forms.CharField(
        label=_("Notes shared with the organisation"),
        widget=forms.Textarea({"rows": 3}),
        required=False,
    )
    follow_ups = forms.CharField(
        label=_("Follow-ups"), widget=forms.Textarea({"rows": 2}), required=False
    )
    coach_notes = forms.CharField(
        label=_("Coach's notes"),
        widget=forms.Textarea({"rows": 3}),
        required=False,
        help_text=_("Seen by the coach and the center's staff only."),
    )

    def __init__(self, *args: Any, engagement: Engagement, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["participants"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = (
            Person.objects.filter(
                affiliations__organisation=engagement.organisation, erased_at__isnull=True
            )
            .distinct()
            .order_by(turkish_order("full_name"), "pk")
        )

    def starts_at(self) -> dt.datetime:
        """The date and time typed, in Istanbul time."""
        data = self.cleaned_data
        return timezone.make_aware(dt.datetime.combine(data["date"], data["time"]))


def session_initial(session: CoachingSession) -> dict[str, Any]:
    local = timezone.localtime(session.starts_at)
    return {
        "date": local.date(),
        "time": local.time().replace(second=0, microsecond=0),
        "minutes": session.minutes,
        "mode": session.mode,
        "participants": [p.pk for p in session.participants.all()],
        "shared_notes": session.shared_notes,
        "follow_ups": session.follow_ups,
        "coach_notes": session.coach_notes,
    }
