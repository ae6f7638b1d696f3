"""Forms of the academia pages. They parse what was typed; the services decide, and their
``CoachingError`` is shown next to the field it names (``errors.show_error``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kaynak.coaching.academia import LANGUAGES
from kaynak.coaching.models import (
    AcademicProfile,
    OutputKind,
    PartnershipActivityKind,
    PartnershipStatus,
)
from kaynak.core.models import Province, Theme
from kaynak.directory.models import Organisation, Person
from kaynak.programmes.staff_forms import DateInput, provinces_in_order


def _themes() -> Any:
    return Theme.objects.order_by("position")


class PartnershipFilterForm(forms.Form):
    province = forms.ModelChoiceField(
        label=_("Province"), queryset=Province.objects.none(), required=False
    )
    theme = forms.ModelChoiceField(label=_("Theme"), queryset=Theme.objects.none(), required=False)
    status = forms.ChoiceField(
        label=pgettext_lazy("coaching", "Status"),
        choices=[("", _("All")), *PartnershipStatus.choices],
        required=False,
    )

    def __init__(
        self,
        *args: Any,
        themes: Any = None,
        provinces: Any = None,
        with_status: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        province_field = self.fields["province"]
        theme_field = self.fields["theme"]
        assert isinstance(province_field, forms.ModelChoiceField)
        assert isinstance(theme_field, forms.ModelChoiceField)
        province_field.queryset = provinces if provinces is not None else provinces_in_order()
        theme_field.queryset = themes if themes is not None else _themes()
        if not with_status:
            del self.fields["status"]


class AcademicForm(forms.Form):
    """An academic profile: a directory person (chosen from the search) or someone new (name
    and e-mail: the directory's resolver finds them if they are already known)."""

    person = forms.ModelChoiceField(
        label=_("Person"),
        queryset=Person.objects.filter(erased_at__isnull=True),
        required=False,
        widget=forms.RadioSelect,
    )
    full_name = forms.CharField(label=_("Full name (someone new)"), max_length=200, required=False)
    email = forms.EmailField(label=_("E-mail (someone new)"), required=False)
    title = forms.CharField(
        label=_("Academic title"),
        max_length=40,
        required=False,
        help_text=_("e.g. Dr., Doç. Dr., Prof. Dr."),
    )
    institution = forms.CharField(label=_("Institution"), max_length=200)
    department = forms.CharField(label=_("Department"), max_length=200, required=False)
    themes = forms.ModelMultipleChoiceField(
        label=_("Expertise themes"),
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    expertise = forms.CharField(
        label=_("Expertise"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Research areas and methods, in a few lines; matching compares them with what "
            "organisations ask for."
        ),
    )
    provinces = forms.ModelMultipleChoiceField(
        label=_("Provinces"),
        queryset=Province.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Where they can work with an organisation."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=[(code, name) for code, name in LANGUAGES.items()],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    is_available = forms.BooleanField(
        label=_("Available for new partnerships"), required=False, initial=True
    )

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        themes = self.fields["themes"]
        provinces = self.fields["provinces"]
        assert isinstance(themes, forms.ModelMultipleChoiceField)
        assert isinstance(provinces, forms.ModelMultipleChoiceField)
        themes.queryset = _themes()
        provinces.queryset = provinces_in_order()
        self.editing = editing
        if editing:
            for name in ("person", "full_name", "email"):
                del self.fields[name]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.editing:
            return cleaned
        person = cleaned.get("person")
        full_name = " ".join(str(cleaned.get("full_name") or "").split())
        cleaned["full_name"] = full_name
        if person is None and not full_name and "person" not in self.errors:
            self.add_error(
                "person", _("Choose a person from the search, or enter a new name and e-mail.")
            )
        if person is None and full_name and not cleaned.get("email") and "email" not in self.errors:
            self.add_error("email", _("Enter the new person's e-mail address."))
        if isinstance(person, Person) and AcademicProfile.objects.filter(person=person).exists():
            self.add_error("person", _("This person is already an academic; edit their profile."))
        return cleaned


class RequestForm(forms.Form):
    """A partnership request staff file for an organisation (chosen from the search)."""

    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.all(),
        widget=forms.RadioSelect,
        error_messages={"required": _("Search for the organisation and choose it.")},
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None chosen: the organisation's themes."),
    )
    province = forms.ModelChoiceField(
        label=_("Province"),
        queryset=Province.objects.none(),
        required=False,
        help_text=_("Empty: the organisation's province."),
    )
    needs = forms.CharField(
        label=_("Needs"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the organisation wants to work on, in its own words."),
        error_messages={"required": _("Say what the organisation wants to work on.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        themes = self.fields["themes"]
        province = self.fields["province"]
        assert isinstance(themes, forms.ModelMultipleChoiceField)
        assert isinstance(province, forms.ModelChoiceField)
        themes.queryset = _themes()
        province.queryset = provinces_in_order()


class ConfirmForm(forms.Form):
    """Confirm a proposed pair: the partnership's title, theme, province, goals and start."""

    academic = forms.ModelChoiceField(
        queryset=AcademicProfile.objects.all(), widget=forms.HiddenInput
    )
    reason = forms.CharField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=_("Title"), max_length=250)
    theme = forms.ModelChoiceField(label=_("Theme"), queryset=Theme.objects.none())
    province = forms.ModelChoiceField(label=_("Province"), queryset=Province.objects.none())
    goals = forms.CharField(
        label=_("Goals"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        theme = self.fields["theme"]
        province = self.fields["province"]
        assert isinstance(theme, forms.ModelChoiceField)
        assert isinstance(province, forms.ModelChoiceField)
        theme.queryset = _themes()
        province.queryset = provinces_in_order()


class PartnershipForm(forms.Form):
    """A partnership's details and status."""

    title = forms.CharField(label=_("Title"), max_length=250)
    theme = forms.ModelChoiceField(label=_("Theme"), queryset=Theme.objects.none())
    province = forms.ModelChoiceField(label=_("Province"), queryset=Province.objects.none())
    goals = forms.CharField(
        label=_("Goals"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    starts_on = forms.DateField(label=_("Starts on"), widget=DateInput())
    ends_on = forms.DateField(label=_("Ends on"), widget=DateInput(), required=False)
    status = forms.ChoiceField(
        label=pgettext_lazy("coaching", "Status"), choices=PartnershipStatus.choices
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        theme = self.fields["theme"]
        province = self.fields["province"]
        assert isinstance(theme, forms.ModelChoiceField)
        assert isinstance(province, forms.ModelChoiceField)
        theme.queryset = _themes()
        province.queryset = provinces_in_order()


class PublicForm(forms.Form):
    """Show a partnership publicly: only when both sides agreed."""

    is_public = forms.BooleanField(required=False, widget=forms.HiddenInput)
    consent = forms.BooleanField(
        label=_("The organisation and the academic both agreed to show it publicly."),
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("is_public") and not cleaned.get("consent"):
            self.add_error(
                "consent", _("Tick this only once both sides agreed; it is needed to show it.")
            )
        return cleaned


class ActivityForm(forms.Form):
    """Something the partners did together, with who took part. Prefixed: it shares a page
    with the partnership's and the publication's forms, whose fields have the same names."""

    prefix = "activity"

    kind = forms.ChoiceField(label=_("Kind"), choices=PartnershipActivityKind.choices)
    title = forms.CharField(label=_("Title"), max_length=250)
    date = forms.DateField(label=_("Date"), widget=DateInput())
    province = forms.ModelChoiceField(
        label=_("Province"),
        queryset=Province.objects.none(),
        required=False,
        help_text=_("Empty: the partnership's province."),
    )
    participants = forms.ModelMultipleChoiceField(
        label=_("People who took part"),
        queryset=Person.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The organisation's people named here are counted in the service records."),
    )
    participant_count = forms.IntegerField(
        label=_("Number of participants"),
        min_value=0,
        initial=0,
        help_text=_("Everyone who took part, including those not named."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, people: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        province = self.fields["province"]
        participants = self.fields["participants"]
        assert isinstance(province, forms.ModelChoiceField)
        assert isinstance(participants, forms.ModelMultipleChoiceField)
        province.queryset = provinces_in_order()
        if people is not None:
            participants.queryset = people


class OutputForm(forms.Form):
    """A publication of the partnership: a PDF or a web address (prefixed, like
    ``ActivityForm``)."""

    prefix = "output"

    kind = forms.ChoiceField(label=_("Kind"), choices=OutputKind.choices)
    title = forms.CharField(label=_("Title"), max_length=250)
    authors = forms.CharField(label=_("Authors"), max_length=300, required=False)
    published_on = forms.DateField(label=_("Published on"), widget=DateInput())
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    file = forms.FileField(
        label=_("PDF file"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "application/pdf"}),
    )
    link_url = forms.URLField(
        label=_("Web address"),
        required=False,
        assume_scheme="https",
        help_text=_("Where the publication can be read, if it is not uploaded as a PDF."),
    )
