"""Forms of the staff pages of activities: the activity with its sessions, copying, seats,
adding a registrant, and the reasons staff give when they cancel or override.

The forms only read and check what was typed; ``catalogue`` and ``services`` write. A problem is
explained next to its field, and what was typed stays in the form.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from kaynak.core.db import turkish_order
from kaynak.core.models import Province, Theme
from kaynak.core.text import search_key
from kaynak.directory.models import Organisation, Person
from kaynak.directory.normalize import normalize_email, normalize_phone
from kaynak.programmes.catalogue import unique_slug
from kaynak.programmes.models import Activity, Programme, Session, Topic, Trainer

# What <input type="datetime-local"> sends and shows (Istanbul time, the current time zone).
LOCAL_MINUTES = "%Y-%m-%dT%H:%M"


def provinces_in_order() -> QuerySet[Province]:
    return Province.objects.order_by(turkish_order("name"))


class LocalDateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format=LOCAL_MINUTES)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def _datetime_field(label: Any, *, required: bool = True, help_text: Any = "") -> Any:
    return forms.DateTimeField(
        label=label,
        required=required,
        help_text=help_text,
        widget=LocalDateTimeInput(),
        input_formats=[LOCAL_MINUTES, "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M"],
    )


class QuestionsField(forms.CharField):
    """Eligibility questions, one per line: ``*`` before a question makes it required, ``?``
    makes it a yes/no question ("*? Are you on your organisation's board?")."""

    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.known: list[dict[str, Any]] = []

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(_question_line(question) for question in value)
        return value

    def clean(self, value: Any) -> list[dict[str, Any]]:
        text = super().clean(value)
        keys_by_text = {str(q.get("text", "")): str(q["key"]) for q in self.known if "key" in q}
        questions: list[dict[str, Any]] = []
        used: set[str] = set()
        for line in str(text or "").splitlines():
            line = line.strip()
            required = yes_no = False
            while line[:1] in ("*", "?"):
                required = required or line[0] == "*"
                yes_no = yes_no or line[0] == "?"
                line = line[1:].strip()
            if not line:
                continue
            if len(line) > 300:
                raise ValidationError(_("A question may be at most 300 characters long."))
            key = keys_by_text.get(line) or slugify(search_key(line))[:40].strip("-") or "soru"
            base, number = key, 1
            while key in used:
                number += 1
                key = f"{base}-{number}"
            used.add(key)
            previous = next((q for q in self.known if q.get("text") == line), {})
            questions.append(
                {
                    "key": key,
                    "text": line,
                    "text_en": previous.get("text_en", ""),
                    "required": required,
                    "kind": "yes-no" if yes_no else "text",
                }
            )
        return questions


def _question_line(question: dict[str, Any]) -> str:
    marks = ("*" if question.get("required") else "") + (
        "?" if question.get("kind") == "yes-no" else ""
    )
    return f"{marks} {question.get('text', '')}".strip()


class ActivityForm(forms.ModelForm[Activity]):
    """An activity's description, seats, registration window and completion rule."""

    slug = forms.SlugField(
        label=_("Address"),
        max_length=120,
        required=False,
        help_text=_("The end of the activity's web address. Left empty: made from the title."),
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.order_by("position"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    trainers = forms.ModelMultipleChoiceField(
        label=_("Trainers"),
        queryset=Trainer.objects.order_by(turkish_order("name"), "pk"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    registration_opens_at = _datetime_field(
        _("Registration opens"), required=False, help_text=_("Empty: as soon as it is published.")
    )
    registration_closes_at = _datetime_field(
        _("Registration closes"),
        required=False,
        help_text=_("Empty: when the first session starts."),
    )
    questions = QuestionsField(
        label=_("Eligibility questions"),
        help_text=_(
            "One question per line. Start a line with * if it must be answered, with ? for a "
            "yes/no question (both: *?)."
        ),
    )

    class Meta:
        model = Activity
        fields = [
            "programme",
            "kind",
            "title",
            "slug",
            "topic",
            "themes",
            "language",
            "description",
            "target_audience",
            "trainers",
            "registration_required",
            "capacity",
            "seats_per_organisation",
            "waitlist",
            "offer_hours",
            "registration_opens_at",
            "registration_closes_at",
            "questions",
            "completion_percent",
            "certificates",
            "feedback",
            "feedback_anonymous",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "target_audience": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        programme = self.fields["programme"]
        assert isinstance(programme, forms.ModelChoiceField)
        programme.queryset = Programme.objects.filter(is_active=True).order_by(
            turkish_order("name"), "pk"
        )
        topic = self.fields["topic"]
        assert isinstance(topic, forms.ModelChoiceField)
        topic.queryset = Topic.objects.order_by(turkish_order("name_tr"), "pk")
        questions = self.fields["questions"]
        assert isinstance(questions, QuestionsField)
        questions.known = list(self.instance.questions or [])
        self.fields["completion_percent"].widget.attrs["max"] = 100

    def clean_title(self) -> str:
        title = " ".join(str(self.cleaned_data.get("title") or "").split())
        if not title:
            raise ValidationError(_("Enter the activity's title."))
        return title

    def clean_completion_percent(self) -> int:
        value = int(self.cleaned_data["completion_percent"])
        if value > 100:
            raise ValidationError(_("Enter a percentage between 0 and 100."))
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        opens = cleaned.get("registration_opens_at")
        closes = cleaned.get("registration_closes_at")
        if opens and closes and closes <= opens:
            self.add_error("registration_closes_at", _("Registration must close after it opens."))
        if not cleaned.get("slug"):
            if self.instance._state.adding:
                if cleaned.get("title"):
                    cleaned["slug"] = unique_slug(cleaned["title"])
            else:
                cleaned["slug"] = self.instance.slug
        return cleaned

    def changes(self) -> dict[str, Any]:
        """The activity's own fields, as ``catalogue.activity_update`` takes them."""
        return {
            name: self.cleaned_data[name]
            for name in self.Meta.fields
            if name not in ("programme", "themes", "trainers")
        }


class SessionForm(forms.Form):
    """One session of the activity form."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(
        label=_("Session title"),
        max_length=200,
        required=False,
        help_text=_('Optional, e.g. "Day 2: budgeting".'),
    )
    starts_at = _datetime_field(_("Starts"))
    ends_at = _datetime_field(_("Ends"))
    online = forms.BooleanField(label=_("Online"), required=False)
    province = forms.ModelChoiceField(
        label=_("Province"),
        queryset=provinces_in_order(),
        required=False,
        help_text=_("Needed for a session in person."),
    )
    venue = forms.CharField(label=_("Venue"), max_length=250, required=False)
    address = forms.CharField(
        label=_("Address"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    meeting_url = forms.URLField(
        label=_("Meeting link"),
        required=False,
        assume_scheme="https",
        help_text=_("Shown only to those registered."),
    )
    stream_url = forms.URLField(label=_("Live stream link"), required=False, assume_scheme="https")
    recording_url = forms.URLField(label=_("Recording"), required=False, assume_scheme="https")
    capacity = forms.IntegerField(
        label=_("Seats in this session"),
        min_value=1,
        required=False,
        help_text=_("Only when the room is smaller than the activity's seats."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("A session must end after it starts."))
        if not cleaned.get("online") and not cleaned.get("province"):
            self.add_error("province", _('Choose the province, or tick "Online".'))
        return cleaned

    def values(self) -> dict[str, Any]:
        """The session's fields, as the catalogue takes them."""
        values = {name: value for name, value in self.cleaned_data.items() if name != "id"}
        values.pop("DELETE", None)
        for text in ("title", "venue", "address", "meeting_url", "stream_url", "recording_url"):
            values[text] = values.get(text) or ""
        return values


class BaseSessionFormSet(forms.BaseFormSet[SessionForm]):
    default_error_messages = {
        "too_few_forms": _("An activity needs at least one session."),
    }

    def clean(self) -> None:
        super().clean()
        if any(self.errors):
            return
        seen: set[int] = set()
        for form in self.forms:
            pk = form.cleaned_data.get("id") if form.cleaned_data else None
            if pk:
                if pk in seen:
                    raise ValidationError(_("A session appears twice in the form."))
                seen.add(pk)


SessionFormSet = forms.formset_factory(
    SessionForm,
    formset=BaseSessionFormSet,
    extra=1,
    min_num=1,
    validate_min=True,
    can_delete=True,
)


def session_initial(session: Session) -> dict[str, Any]:
    return {
        "id": session.pk,
        "title": session.title,
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "online": session.online,
        "province": session.province_id,
        "venue": session.venue,
        "address": session.address,
        "meeting_url": session.meeting_url,
        "stream_url": session.stream_url,
        "recording_url": session.recording_url,
        "capacity": session.capacity,
    }


class CopyForm(forms.Form):
    """Copy an activity to a new first day (and province)."""

    first_day = forms.DateField(
        label=_("First day"),
        widget=DateInput(),
        input_formats=["%Y-%m-%d", "%d.%m.%Y"],
        help_text=_("Every session moves with the first and keeps its time of day."),
    )
    province = forms.ModelChoiceField(
        label=_("Province"),
        queryset=provinces_in_order(),
        required=False,
        empty_label=_("The same as now"),
        help_text=_("In-person sessions move here; their venue is left for you to fill in."),
    )
    title = forms.CharField(label=_("Title"), max_length=250, required=False)

    def clean_first_day(self) -> dt.date:
        day: dt.date = self.cleaned_data["first_day"]
        if day < timezone.localdate():
            raise ValidationError(_("Choose a day from today on."))
        return day


class CapacityForm(forms.Form):
    capacity = forms.IntegerField(
        label=_("Seats"),
        min_value=1,
        required=False,
        help_text=_("Empty: no limit. New seats are offered to the waiting list at once."),
    )


class ReasonForm(forms.Form):
    """Why staff do something over the rules (cancel a registration or an activity)."""

    reason = forms.CharField(
        label=_("Reason"),
        max_length=250,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"required": _("Say why: it is kept with the record.")},
    )

    def clean_reason(self) -> str:
        reason = " ".join(str(self.cleaned_data.get("reason") or "").split())
        if not reason:
            raise ValidationError(_("Say why: it is kept with the record."))
        return reason


class AddRegistrantForm(forms.Form):
    """Staff register someone from the directory, or someone new; over the rules (a full
    activity, a closed window, the per-organisation limit) only with a reason."""

    person = forms.ModelChoiceField(
        label=_("Person"),
        queryset=Person.objects.filter(erased_at__isnull=True),
        required=False,
        widget=forms.RadioSelect,
    )
    full_name = forms.CharField(label=_("Full name (someone new)"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone (someone new)"), max_length=40, required=False)
    new_person = forms.BooleanField(
        label=_("None of the people found: add a new person to the directory"), required=False
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.all(),
        required=False,
        widget=forms.RadioSelect,
    )
    email = forms.EmailField(
        label=_("E-mail"),
        required=False,
        help_text=_("Where this registration's mail goes. Empty: the person's first address."),
    )
    language = forms.ChoiceField(label=_("Language of the mail"), choices=settings.LANGUAGES)
    override = forms.BooleanField(
        label=_("Over the rules"),
        required=False,
        help_text=_(
            "A seat even when the activity is full, registration is closed or the organisation "
            "has used its seats."
        ),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=250,
        required=False,
        help_text=_("Needed over the rules; kept with the registration."),
    )

    def clean_phone(self) -> str:
        phone = str(self.cleaned_data.get("phone") or "").strip()
        return normalize_phone(phone) if phone else ""

    def clean_email(self) -> str:
        email = str(self.cleaned_data.get("email") or "").strip()
        return normalize_email(email) if email else ""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        person: Person | None = cleaned.get("person")
        full_name = " ".join(str(cleaned.get("full_name") or "").split())
        cleaned["full_name"] = full_name
        if person is None and not full_name and "person" not in self.errors:
            self.add_error("person", _("Choose a person from the search, or enter a new name."))
        if person is None and full_name and not cleaned.get("email") and "email" not in self.errors:
            self.add_error("email", _("Enter the new person's e-mail address."))
        if (
            person is not None
            and not cleaned.get("email")
            and not person.emails
            and "email" not in self.errors
        ):
            self.add_error("email", _("This person has no e-mail address: enter one."))
        if cleaned.get("override") and not str(cleaned.get("reason") or "").strip():
            self.add_error("reason", _("Say why you add this person over the rules."))
        return cleaned

    def email_for(self, person: Person) -> str:
        return str(self.cleaned_data.get("email") or (person.emails[0] if person.emails else ""))
