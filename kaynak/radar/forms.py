"""Editors' forms of the funding radar: the drafts queue's filters, the review form of one call
(every field, prefilled), rejection with a reason, and manual entry (a URL, pasted text or a
file). Forms parse and validate; ``services`` and ``manual`` write."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from kaynak.core.models import ApplicantType, Country, Currency, Theme
from kaynak.radar.extraction import audience
from kaynak.radar.models import DeadlineKind, Funder, Opportunity, OpportunityStatus, Source

LANGUAGES = [("tr", _("Turkish")), ("en", _("English"))]
# Zones announcements state most often; a zone already on a call is offered too.
TIME_ZONES = [
    ("", _("Istanbul time (none stated)")),
    ("Europe/Istanbul", "Europe/Istanbul"),
    ("Europe/Brussels", _("Brussels time (CET/CEST)")),
    ("CET", "CET"),
    ("UTC", "UTC"),
    ("Europe/London", "Europe/London"),
    ("America/New_York", _("US Eastern time")),
]
COUNTRY_GROUPS: dict[str, tuple[Any, list[str]]] = {
    "eu": (_("EU Member States"), audience.EU),
    "western-balkans": (_("Western Balkans"), audience.WESTERN_BALKANS),
    "ipa": (_("IPA beneficiaries"), audience.IPA),
    "erasmus": (_("Erasmus+ programme countries"), audience.ERASMUS),
    "eastern-partnership": (_("Eastern Partnership"), audience.EAP),
}
MAX_UPLOAD = 10 * 1024 * 1024


class AmountField(forms.CharField):
    """A money amount as editors type it: ``1.500.000,00``, ``1,500,000.00``, ``1500000`` or
    ``150 000``; empty is "not stated"."""

    default_error_messages = {"invalid": _("Write an amount such as 150000 or 1.500.000,00.")}

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        raw = re.sub(r"[\s\u00a0]", "", super().to_python(value) or "")
        if not raw:
            return None
        if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?|\d+,\d{1,2}", raw):
            raw = raw.replace(".", "").replace(",", ".")  # Turkish: 1.500.000,00
        elif re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?", raw):
            raw = raw.replace(",", "")  # English: 1,500,000.00
        if not re.fullmatch(r"\d{1,14}(?:\.\d{1,2})?", raw):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        try:
            return Decimal(raw)
        except InvalidOperation:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None


class DraftFilterForm(forms.Form):
    """The drafts queue's filters (GET). "Missing" lists calls whose extraction left a field
    empty, the ones most worth a look."""

    MISSING = [
        ("any", _("Any field")),
        ("deadline", _("Deadline")),
        ("amount", _("Amount")),
        ("applicant_types", _("Who may apply")),
        ("countries", _("Countries")),
        ("themes", _("Themes")),
    ]

    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *OpportunityStatus.choices],
    )
    source = forms.ModelChoiceField(
        label=_("Source"), queryset=Source.objects.all(), required=False, empty_label=_("Any")
    )
    funder = forms.ModelChoiceField(
        label=_("Funder"), queryset=Funder.objects.all(), required=False, empty_label=_("Any")
    )
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("Any")), *LANGUAGES]
    )
    missing = forms.ChoiceField(
        label=_("Empty after extraction"), required=False, choices=[("", _("No filter")), *MISSING]
    )


def _zone_choices(current: str) -> list[tuple[str, Any]]:
    known = [value for value, _label in TIME_ZONES]
    return [*TIME_ZONES, *([(current, current)] if current and current not in known else [])]


class OpportunityForm(forms.Form):
    """Every field of a call, as the editor confirms or corrects it."""

    title = forms.CharField(label=_("Title"), max_length=500)
    summary = forms.CharField(
        label=_("Summary"), required=False, widget=forms.Textarea({"rows": 4})
    )
    funder = forms.ModelChoiceField(
        label=_("Funder"),
        queryset=Funder.objects.all(),
        required=False,
        empty_label=_("Not in the list"),
    )
    funder_name = forms.CharField(
        label=_("Funder as written"),
        max_length=300,
        required=False,
        help_text=_("Used when the funder is not in the list."),
    )
    url = forms.URLField(
        label=_("Original announcement"), max_length=2000, required=False, assume_scheme="https"
    )
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGES)
    deadline_kind = forms.ChoiceField(label=_("Deadline kind"), choices=DeadlineKind.choices)
    deadline_date = forms.DateField(
        label=_("Deadline"),
        required=False,
        widget=forms.DateInput({"type": "date"}, format="%Y-%m-%d"),
    )
    deadline_time = forms.TimeField(
        label=_("Time"),
        required=False,
        widget=forms.TimeInput({"type": "time"}, format="%H:%M"),
        help_text=_("Only when the announcement states a time."),
    )
    deadline_timezone = forms.ChoiceField(label=_("Time zone"), required=False, choices=TIME_ZONES)
    other_deadlines = forms.CharField(
        label=_("Other deadlines"),
        required=False,
        widget=forms.Textarea({"rows": 2}),
        help_text=_("One a line: the date as YYYY-MM-DD, then what it is (full application …)."),
    )
    amount_min = AmountField(label=_("Smallest grant"), required=False)
    amount_max = AmountField(label=_("Largest grant"), required=False)
    currency = forms.ChoiceField(label=_("Currency"), required=False)
    applicant_types = forms.ModelMultipleChoiceField(
        label=_("Who may apply"),
        queryset=ApplicantType.objects.all(),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    country_groups = forms.MultipleChoiceField(
        label=_("Add a group of countries"),
        required=False,
        choices=[(key, label) for key, (label, _codes) in COUNTRY_GROUPS.items()],
        widget=forms.CheckboxSelectMultiple,
    )
    countries = forms.ModelMultipleChoiceField(
        label=_("Eligible countries"),
        queryset=Country.objects.all(),
        required=False,
        widget=forms.SelectMultiple({"size": 8}),
        help_text=_("Only countries the announcement states. Hold Ctrl to choose several."),
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.all(),
        to_field_name="slug",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=_("Note on this correction"),
        required=False,
        max_length=500,
        help_text=_("Optional: what was wrong, for the change history."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = str(self.initial.get("deadline_timezone") or "")
        zone_field = self.fields["deadline_timezone"]
        assert isinstance(zone_field, forms.ChoiceField)
        zone_field.choices = _zone_choices(current)
        currency_field = self.fields["currency"]
        assert isinstance(currency_field, forms.ChoiceField)
        currency_field.choices = [
            ("", _("Not stated")),
            *((c.code, f"{c.code} · {c.label}") for c in Currency.objects.all()),
        ]

    def clean_other_deadlines(self) -> list[dict[str, str]]:
        result: list[dict[str, str]] = []
        for number, line in enumerate(self.cleaned_data["other_deadlines"].splitlines(), 1):
            line = line.strip()
            if not line:
                continue
            raw, _sep, label = line.partition(" ")
            try:
                day = date.fromisoformat(raw)
            except ValueError:
                raise ValidationError(
                    _("Line %(number)s: start with a date written YYYY-MM-DD."),
                    code="invalid",
                    params={"number": number},
                ) from None
            result.append({"date": day.isoformat(), "label": label.strip()})
        return result

    def clean_deadline_timezone(self) -> str:
        zone = self.cleaned_data["deadline_timezone"]
        if zone:
            try:
                ZoneInfo(zone)
            except (ZoneInfoNotFoundError, ValueError):
                raise ValidationError(_("Unknown time zone."), code="invalid") from None
        return str(zone)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("deadline_kind")
        missing_date = kind == DeadlineKind.FIXED and not data.get("deadline_date")
        if missing_date and "deadline_date" not in self.errors:
            self.add_error("deadline_date", _("A fixed deadline needs its date."))
        if kind != DeadlineKind.FIXED and data.get("deadline_date"):
            self.add_error(
                "deadline_kind", _("Choose “Fixed deadline” when the call has a deadline date.")
            )
        if data.get("deadline_time") and not data.get("deadline_date"):
            self.add_error("deadline_time", _("A time needs its date."))
        low, high = data.get("amount_min"), data.get("amount_max")
        if low is not None and high is not None and low > high:
            self.add_error("amount_min", _("The smallest grant is larger than the largest."))
        if (low is not None or high is not None) and not data.get("currency"):
            self.add_error("currency", _("Which currency is the amount in?"))
        groups = data.get("country_groups") or []
        if "countries" in data and groups:
            codes = {code for key in groups for code in COUNTRY_GROUPS[key][1]}
            chosen = {country.code for country in data["countries"]}
            data["countries"] = list(Country.objects.filter(code__in=codes | chosen))
        return data

    def values(self) -> dict[str, Any]:
        """Every field as the call stores it (``note`` and the group shortcuts aside)."""
        data = self.cleaned_data
        return {
            "title": data["title"].strip(),
            "summary": data["summary"].strip(),
            "funder": data["funder"],
            "funder_name": data["funder_name"].strip(),
            "url": data["url"],
            "language": data["language"],
            "deadline_kind": data["deadline_kind"],
            "deadline_date": data["deadline_date"],
            "deadline_time": data["deadline_time"],
            "deadline_timezone": data["deadline_timezone"],
            "other_deadlines": data["other_deadlines"],
            "amount_min": data["amount_min"],
            "amount_max": data["amount_max"],
            "currency": data["currency"],
            "applicant_types": sorted(t.slug for t in data["applicant_types"]),
            "countries": sorted(c.code for c in data["countries"]),
            "themes": sorted(t.slug for t in data["themes"]),
        }

    def changes(self, opportunity: Opportunity) -> dict[str, Any]:
        """Only the fields whose value differs from the call's."""
        now = initial_values(opportunity)
        return {name: value for name, value in self.values().items() if now.get(name) != value}


def initial_values(opportunity: Opportunity) -> dict[str, Any]:
    """The call's fields in the form's shapes (M2M as sorted slugs/codes). Reads the M2M
    through prefetched caches where the caller prefetched them."""
    return {
        "title": opportunity.title,
        "summary": opportunity.summary,
        "funder": opportunity.funder,
        "funder_name": opportunity.funder_name,
        "url": opportunity.url,
        "language": opportunity.language,
        "deadline_kind": opportunity.deadline_kind,
        "deadline_date": opportunity.deadline_date,
        "deadline_time": opportunity.deadline_time,
        "deadline_timezone": opportunity.deadline_timezone,
        "other_deadlines": list(opportunity.other_deadlines or []),
        "amount_min": opportunity.amount_min,
        "amount_max": opportunity.amount_max,
        "currency": opportunity.currency,
        "applicant_types": sorted(t.slug for t in opportunity.applicant_types.all()),
        "countries": sorted(c.code for c in opportunity.countries.all()),
        "themes": sorted(t.slug for t in opportunity.themes.all()),
    }


def form_initial(opportunity: Opportunity) -> dict[str, Any]:
    values = initial_values(opportunity)
    values["other_deadlines"] = "\n".join(
        f"{item.get('date', '')} {item.get('label', '')}".strip()
        for item in values["other_deadlines"]
    )
    for name in ("amount_min", "amount_max"):
        if values[name] is not None:
            values[name] = f"{values[name]:f}".rstrip("0").rstrip(".")
    return values


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for rejection"),
        max_length=1000,
        widget=forms.Textarea({"rows": 2}),
        error_messages={"required": _("Say why the call is rejected.")},
    )

    def clean_reason(self) -> str:
        reason = str(self.cleaned_data["reason"]).strip()
        if not reason:
            raise ValidationError(_("Say why the call is rejected."), code="required")
        return reason


class UrlEntryForm(forms.Form):
    url = forms.URLField(label=_("Address of the announcement"), max_length=2000)


class TextEntryForm(forms.Form):
    text = forms.CharField(
        label=_("Text of the announcement"),
        widget=forms.Textarea({"rows": 12}),
        max_length=300_000,
        strip=True,
    )
    title = forms.CharField(label=_("Title"), max_length=500, required=False)
    url = forms.URLField(label=_("Address, if it has one"), max_length=2000, required=False)


class FileEntryForm(forms.Form):
    file = forms.FileField(
        label=_("File"), help_text=_("A PDF, HTML or text file of one announcement, up to 10 MB.")
    )

    def clean_file(self) -> UploadedFile[bytes]:
        upload: UploadedFile[bytes] = self.cleaned_data["file"]
        if (upload.size or 0) > MAX_UPLOAD:
            raise ValidationError(_("The file is larger than 10 MB."), code="too_large")
        return upload
