"""Forms of the directory's pages: list filters, an organisation's record, its people,
registering an organisation, and the staff's erasure confirmation."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from kaynak.core.db import turkish_order
from kaynak.core.models import ApplicantType, Province, Theme
from kaynak.directory.models import Organisation, OrganisationStatus
from kaynak.directory.normalize import normalize_email, normalize_phone
from kaynak.directory.queries import OrganisationFilters, OrganisationSort
from kaynak.directory.resolution import OrganisationRecord


def provinces_in_order() -> QuerySet[Province]:
    return Province.objects.order_by(turkish_order("name"))


class LinesField(forms.CharField):
    """One value per line (e-mail addresses, phone numbers), each checked by ``normalize``;
    every bad line is named in the error, and the text stays as typed."""

    widget = forms.Textarea(attrs={"rows": 3})

    def __init__(self, *, normalize: Callable[[str], str], **kwargs: Any) -> None:
        self.normalize = normalize
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(str(v) for v in value)
        return value

    def clean(self, value: Any) -> list[str]:
        text = super().clean(value)
        values: list[str] = []
        errors: list[ValidationError] = []
        for line in str(text or "").replace(",", "\n").replace(";", "\n").splitlines():
            if not line.strip():
                continue
            try:
                values.append(self.normalize(line))
            except ValidationError as exc:
                errors.append(exc)
        if errors:
            raise ValidationError(errors)
        return list(dict.fromkeys(values))


class NormalizedField(forms.CharField):
    """One value (an e-mail address, a phone number) checked and written the one way by
    ``normalize``; left empty, it is ""."""

    def __init__(self, *, normalize: Callable[[str], str], **kwargs: Any) -> None:
        self.normalize = normalize
        super().__init__(**kwargs)

    def clean(self, value: Any) -> str:
        text = str(super().clean(value) or "")
        return self.normalize(text) if text else text


class DirectoryFilterForm(forms.Form):
    """The public directory's search and filters (GET). A bad value is reported and ignored."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    province = forms.ModelChoiceField(
        label=_("Province"),
        queryset=provinces_in_order(),
        required=False,
        empty_label=_("All provinces"),
    )
    theme = forms.ModelChoiceField(
        label=_("Theme"),
        queryset=Theme.objects.order_by("position"),
        to_field_name="slug",
        required=False,
        empty_label=_("All themes"),
    )
    legal_form = forms.ModelChoiceField(
        label=_("Type"),
        queryset=ApplicantType.objects.order_by("position"),
        to_field_name="slug",
        required=False,
        empty_label=_("All types"),
    )

    def _value(self, name: str) -> Any:
        return self.cleaned_data.get(name) if name not in self.errors else None

    def filters(self) -> OrganisationFilters:
        """The valid filters; a filter with a bad value (an unknown province …) is left out."""
        self.is_valid()
        return OrganisationFilters(
            q=self._value("q") or "",
            province=self._value("province"),
            theme=self._value("theme"),
            legal_form=self._value("legal_form"),
        )


class StaffDirectoryFilterForm(DirectoryFilterForm):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *OrganisationStatus.choices],
    )
    verified = forms.TypedChoiceField(
        label=_("Verified"),
        required=False,
        choices=[("", _("Verified or not")), ("yes", _("Verified")), ("no", _("Not verified"))],
        coerce=lambda value: value == "yes",
        empty_value=None,
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            (OrganisationSort.NAME, _("Name (A–Z)")),
            (OrganisationSort.NAME_DESC, _("Name (Z–A)")),
            (OrganisationSort.PROVINCE, _("Province (by plate code)")),
            (OrganisationSort.NEWEST, _("Newest first")),
            (OrganisationSort.UPDATED, _("Recently changed")),
        ],
    )

    def filters(self) -> OrganisationFilters:
        public = super().filters()
        return OrganisationFilters(
            q=public.q,
            province=public.province,
            theme=public.theme,
            legal_form=public.legal_form,
            status=self._value("status") or "",
            verified=self._value("verified"),
            sort=self._value("sort") or OrganisationSort.NAME,
        )


class OrganisationForm(forms.ModelForm[Organisation]):
    """An organisation's record as its admin (or staff) edits it."""

    emails = LinesField(
        label=_("E-mail addresses"),
        normalize=normalize_email,
        help_text=_("One per line."),
    )
    phones = LinesField(
        label=_("Phone numbers"),
        normalize=normalize_phone,
        help_text=_("One per line, in any Turkish format (0532 123 45 67, +90 312 …)."),
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.order_by("position"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Organisation
        fields = [
            "name",
            "short_name",
            "legal_form",
            "province",
            "district",
            "address",
            "emails",
            "phones",
            "website",
            "themes",
            "founding_year",
            "size_band",
            "description",
            "association_registry_no",
            "foundation_registry_no",
            "tax_no",
            "public_listing_consent",
        ]
        widgets = {
            "address": forms.Textarea(attrs={"rows": 3}),
            "description": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        province_field = self.fields["province"]
        assert isinstance(province_field, forms.ModelChoiceField)
        province_field.queryset = provinces_in_order()

    def clean_name(self) -> str:
        name = " ".join(str(self.cleaned_data.get("name") or "").split())
        if not name:
            raise ValidationError(_("Enter the organisation's name."))
        return name

    def changes(self) -> dict[str, Any]:
        """The record's fields as the services take them (themes apart)."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name != "themes"}


class PersonAddForm(forms.Form):
    """Add someone who works at the organisation."""

    full_name = forms.CharField(label=_("Full name"), max_length=200)
    email = NormalizedField(
        normalize=normalize_email, label=_("E-mail address"), max_length=254, required=False
    )
    role = forms.CharField(label=_("Role or title"), max_length=120, required=False)

    def clean_full_name(self) -> str:
        name = " ".join(str(self.cleaned_data.get("full_name") or "").split())
        if not name:
            raise ValidationError(_("Enter the person's name."))
        return name


class OrganisationRegisterForm(forms.Form):
    """A member registers their organisation. Name, province and e-mail are what the resolver
    uses to ask "is it one of these?" before anything is created."""

    name = forms.CharField(label=_("Organisation's name"), max_length=300)
    province = forms.ModelChoiceField(
        label=_("Province"), queryset=provinces_in_order(), empty_label=_("Choose…")
    )
    email = NormalizedField(
        normalize=normalize_email,
        label=_("Organisation's e-mail address"),
        max_length=254,
        help_text=_("The organisation's own address, if it has one."),
    )
    phone = NormalizedField(
        normalize=normalize_phone, label=_("Phone"), max_length=40, required=False
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    legal_form = forms.ModelChoiceField(
        label=_("Type"),
        queryset=ApplicantType.objects.order_by("position"),
        to_field_name="slug",
        required=False,
        empty_label=_("Choose…"),
    )
    none_fit = forms.BooleanField(
        label=_("None of these is my organisation: register it as a new one."),
        required=False,
    )

    def clean_name(self) -> str:
        name = " ".join(str(self.cleaned_data.get("name") or "").split())
        if not name:
            raise ValidationError(_("Enter the organisation's name."))
        return name

    def record(self) -> OrganisationRecord:
        """What the resolver is asked about: the typed values, even while the form is
        incomplete (the candidates follow the typing)."""
        data = self.data
        province = self.cleaned_data.get("province") if hasattr(self, "cleaned_data") else None
        plate = _int_or_none(data.get("province"))
        if province is None and plate is not None:
            province = Province.objects.filter(pk=plate).first()
        return OrganisationRecord(
            name=" ".join(str(data.get("name") or "").split()),
            city=province.name if province else "",
            email=str(data.get("email") or "").strip(),
            phone=str(data.get("phone") or "").strip(),
            website=str(data.get("website") or "").strip(),
        )


def _int_or_none(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class PeopleSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search by name"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )


class ErasureConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "I understand: the person's name and contact details are removed for good and their "
            "account is closed. Their service records stay, anonymous."
        ),
    )
