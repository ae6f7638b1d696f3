"""Forms of the public pages: the upcoming list's filters and the registration form."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kaynak.core.models import Province, Region, Theme
from kaynak.directory.forms import NormalizedField
from kaynak.directory.models import Organisation, Person
from kaynak.directory.normalize import normalize_email, normalize_phone
from kaynak.programmes import queries
from kaynak.programmes.models import Activity
from kaynak.programmes.queries import Format, UpcomingFilters
from kaynak.programmes.registering import CONSENT_TEXT, Applicant, OrganisationDecision

NEW_ORGANISATION = "new"


class UpcomingFilterForm(forms.Form):
    """The upcoming list's filters (GET). A bad value is explained next to its field and left
    out; the other filters still apply."""

    province = forms.ModelChoiceField(
        label=_("Province"),
        queryset=queries.provinces_in_order(),
        required=False,
        empty_label=_("All provinces"),
    )
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.order_by("code"),
        required=False,
        empty_label=_("All regions"),
    )
    topic = forms.ModelChoiceField(
        label=_("Topic"),
        queryset=queries.topics_in_order(),
        to_field_name="slug",
        required=False,
        empty_label=_("All topics"),
    )
    theme = forms.ModelChoiceField(
        label=_("Theme"),
        queryset=Theme.objects.order_by("position"),
        to_field_name="slug",
        required=False,
        empty_label=_("All themes"),
    )
    format = forms.ChoiceField(
        label=_("Online or in person"),
        required=False,
        choices=[
            ("", _("Online or in person")),
            (Format.ONLINE, _("Online")),
            (Format.IN_PERSON, _("In person")),
        ],
    )
    month = forms.ChoiceField(
        label=_("Month"),
        required=False,
        error_messages={
            "invalid_choice": _("Choose a month from the list (the coming twelve months).")
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        month = self.fields["month"]
        assert isinstance(month, forms.ChoiceField)
        month.choices = [("", _("Any month"))] + [
            (f"{first:%Y-%m}", formats.date_format(first, "F Y"))
            for first in queries.upcoming_months()
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        province: Province | None = data.get("province")
        region: Region | None = data.get("region")
        if province is not None and region is not None and province.region_id != region.pk:
            self.add_error(
                "region",
                _("%(province)s is not in the region %(region)s: choose one of the two.")
                % {"province": province.label, "region": region.label},
            )
        return data

    def _value(self, name: str) -> Any:
        return self.cleaned_data.get(name) if name not in self.errors else None

    def filters(self) -> UpcomingFilters:
        """The valid filters; a filter with a bad value is left out."""
        self.is_valid()
        month = self._value("month")
        return UpcomingFilters(
            province=self._value("province"),
            region=self._value("region"),
            topic=self._value("topic"),
            theme=self._value("theme"),
            format=self._value("format") or "",
            month=dt.date.fromisoformat(f"{month}-01") if month else None,
        )


def _question_label(question: dict[str, Any]) -> str:
    if (get_language() or "tr").startswith("en") and question.get("text_en"):
        return str(question["text_en"])
    return str(question.get("text", question["key"]))


class RegistrationForm(forms.Form):
    """One form: the person, the organisation they come for (through the directory's guard),
    the activity's eligibility questions and the KVKK consent."""

    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = NormalizedField(
        normalize=normalize_email,
        label=_("E-mail address"),
        max_length=254,
        help_text=_("Your confirmation, reminders and certificate go here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = NormalizedField(
        normalize=normalize_phone,
        label=_("Phone (optional)"),
        max_length=40,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    province = forms.ModelChoiceField(
        label=_("Your province"), queryset=queries.provinces_in_order(), empty_label=_("Choose…")
    )
    language = forms.ChoiceField(
        label=_("Language of your e-mails"), choices=settings.LANGUAGES, initial="tr"
    )
    organisation_name = forms.CharField(
        label=_("Organisation's name"),
        max_length=300,
        required=False,
        help_text=_("The organisation you come for. Leave it empty if you come on your own."),
    )
    organisation_province = forms.ModelChoiceField(
        label=_("Organisation's province"),
        queryset=queries.provinces_in_order(),
        required=False,
        empty_label=_("Choose…"),
    )
    # A candidate's id, or "new"; the page shows the candidates as radio buttons.
    organisation_choice = forms.CharField(required=False, widget=forms.HiddenInput)
    consent = forms.BooleanField(
        label=CONSENT_TEXT,
        error_messages={
            "required": _("Please agree, or we cannot register you: we need your data for it.")
        },
    )

    # Rendered apart from the loop over the other fields.
    PERSON_FIELDS = ("full_name", "email", "phone", "province", "language")
    ORGANISATION_FIELDS = ("organisation_name", "organisation_province")

    def __init__(self, activity: Activity, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.activity = activity
        self.question_fields: list[str] = []
        for question in activity.questions:
            name = f"answer_{question['key']}"
            label = _question_label(question)
            required = bool(question.get("required"))
            messages = {"required": _("Please answer: %(question)s") % {"question": label}}
            if question.get("kind") == "yes-no":
                self.fields[name] = forms.BooleanField(
                    label=label, required=required, error_messages=messages
                )
            else:
                self.fields[name] = forms.CharField(
                    label=label,
                    required=required,
                    max_length=1000,
                    widget=forms.Textarea(attrs={"rows": 2}),
                    error_messages=messages,
                )
            self.question_fields.append(name)

    @classmethod
    def initial_for(cls, person: Person | None, user: Any, language: str) -> dict[str, Any]:
        """A member's details, filled in from their person in the directory."""
        initial: dict[str, Any] = {"language": language}
        if getattr(user, "is_authenticated", False):
            initial["full_name"] = user.full_name
            initial["email"] = user.email
        if person is not None:
            initial.update(
                full_name=person.full_name,
                email=person.emails[0] if person.emails else initial.get("email", ""),
                phone=person.phones[0] if person.phones else "",
                province=person.province_id,
                language=person.language or language,
            )
            affiliation = (
                person.affiliations.filter(end_date__isnull=True, organisation__status="active")
                .select_related("organisation")
                .order_by("-is_admin", "pk")
                .first()
            )
            if affiliation is not None:
                initial["organisation_name"] = affiliation.organisation.name
                initial["organisation_province"] = affiliation.organisation.province_id
        return initial

    def clean_full_name(self) -> str:
        name = " ".join(str(self.cleaned_data.get("full_name") or "").split())
        if not name:
            raise ValidationError(_("Enter your full name."))
        return name

    def clean_organisation_name(self) -> str:
        return " ".join(str(self.cleaned_data.get("organisation_name") or "").split())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("organisation_name") and not data.get("organisation_province"):
            self.add_error(
                "organisation_province",
                _(
                    "Choose the organisation's province: it tells apart organisations with "
                    "the same name."
                ),
            )
        return data

    # What was typed, even while the form is incomplete: the guard follows the typing.

    def typed_organisation(self) -> tuple[str, Province | None]:
        name = " ".join(str(self.data.get("organisation_name") or "").split())
        try:
            plate = int(str(self.data.get("organisation_province") or ""))
        except ValueError:
            return name, None
        return name, Province.objects.filter(pk=plate).first()

    def typed_choice(self) -> str:
        return str(self.data.get("organisation_choice") or "").strip()

    def organisation_decision(self, candidates: list[Organisation]) -> OrganisationDecision | None:
        """Who they come for, or None with the reason added to the form: with candidates on
        the table, they must choose one or say theirs is new. Only an organisation the guard
        offered for what they typed can be chosen."""
        name = self.cleaned_data.get("organisation_name") or ""
        province = self.cleaned_data.get("organisation_province")
        if not name:
            return OrganisationDecision()
        choice = self.typed_choice()
        if choice == NEW_ORGANISATION or (not candidates and not choice):
            return OrganisationDecision(new_name=name, new_province=province)
        chosen = next((o for o in candidates if str(o.pk) == choice), None)
        if chosen is not None:
            return OrganisationDecision(organisation=chosen)
        if choice:
            self.add_error(
                "organisation_name",
                _("Choose one of the organisations listed, or say that yours is not among them."),
            )
        else:
            self.add_error(
                "organisation_name",
                _(
                    "The directory already has organisations like this one. Choose yours below, "
                    "or say that yours is not among them."
                ),
            )
        return None

    def applicant(self) -> Applicant:
        data = self.cleaned_data
        return Applicant(
            full_name=data["full_name"],
            email=data["email"],
            phone=data["phone"],
            province=data["province"],
            language=data["language"],
        )

    def answers(self) -> dict[str, Any]:
        return {
            question["key"]: self.cleaned_data.get(f"answer_{question['key']}")
            for question in self.activity.questions
        }

    def person_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.PERSON_FIELDS]

    def organisation_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.ORGANISATION_FIELDS]

    def answer_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.question_fields]
