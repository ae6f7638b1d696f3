"""Forms of the EU Support Unit's pages: the registry's filters, a project, a meeting, linking a
request by its code. They check what one field can; the services check the rest and the views
put a service's complaint next to the field it names."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from kaynak.accounts.models import Role
from kaynak.core.db import turkish_order
from kaynak.core.models import Province, Theme
from kaynak.directory.models import Organisation, Person
from kaynak.helpdesk import projects
from kaynak.helpdesk.models import (
    EUProgramme,
    EUProject,
    MeetingMode,
    PartnerRole,
    ProjectStatus,
    TechnicalSupportMeeting,
)

DATE = forms.DateInput({"type": "date"}, format="%Y-%m-%d")


def _organisations() -> Any:
    return Organisation.objects.order_by(turkish_order("name"))


def _themes() -> Any:
    return Theme.objects.order_by("pk")


class ProjectFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"), required=False, widget=forms.TextInput({"type": "search"})
    )
    programme = forms.ChoiceField(
        label=_("EU programme"), required=False, choices=[("", _("All")), *EUProgramme.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *ProjectStatus.choices]
    )
    province = forms.ModelChoiceField(
        label=_("Province"),
        required=False,
        queryset=Province.objects.order_by(turkish_order("name")),
        empty_label=_("All"),
    )
    theme = forms.ModelChoiceField(
        label=_("Theme"), required=False, queryset=_themes(), empty_label=_("All")
    )

    def filters(self) -> projects.ProjectFilters:
        data = self.cleaned_data if self.is_valid() else {}
        return projects.ProjectFilters(
            programme=data.get("programme") or "",
            status=data.get("status") or "",
            province=data.get("province"),
            theme=data.get("theme"),
            text=data.get("q") or "",
        )


class PublicProjectFilterForm(ProjectFilterForm):
    """The public list's filters: no status, the text search kept."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["status"]


class ProjectForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    acronym = forms.CharField(label=_("Acronym"), max_length=40, required=False)
    programme = forms.ChoiceField(label=_("EU programme"), choices=EUProgramme.choices)
    reference = forms.CharField(
        label=_("Reference number"),
        max_length=80,
        required=False,
        help_text=_("E.g. EuropeAid/178371/DD/ACT/TR or a grant agreement number 101…"),
    )
    status = forms.ChoiceField(label=_("Status"), choices=ProjectStatus.choices)
    lead = forms.ModelChoiceField(label=_("Lead organisation"), queryset=_organisations())
    co_applicants = forms.ModelMultipleChoiceField(
        label=_("Co-applicants"),
        required=False,
        queryset=_organisations(),
        widget=forms.SelectMultiple({"size": 6}),
    )
    affiliated_entities = forms.ModelMultipleChoiceField(
        label=_("Affiliated entities"),
        required=False,
        queryset=_organisations(),
        widget=forms.SelectMultiple({"size": 6}),
    )
    associates = forms.ModelMultipleChoiceField(
        label=_("Associates"),
        required=False,
        queryset=_organisations(),
        widget=forms.SelectMultiple({"size": 6}),
    )
    total_budget = forms.DecimalField(
        label=_("Total budget (EUR)"),
        required=False,
        min_value=Decimal(0),
        max_digits=14,
        decimal_places=2,
    )
    eu_contribution = forms.DecimalField(
        label=_("EU contribution (EUR)"),
        required=False,
        min_value=Decimal(0),
        max_digits=14,
        decimal_places=2,
    )
    start_date = forms.DateField(label=_("Start date"), required=False, widget=DATE)
    end_date = forms.DateField(label=_("End date"), required=False, widget=DATE)
    provinces = forms.ModelMultipleChoiceField(
        label=_("Provinces"),
        required=False,
        queryset=Province.objects.order_by(turkish_order("name")),
        widget=forms.SelectMultiple({"size": 8}),
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        required=False,
        queryset=_themes(),
        widget=forms.CheckboxSelectMultiple,
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea({"rows": 4})
    )
    staff_contact = forms.ModelChoiceField(
        label=_("Staff contact"),
        required=False,
        queryset=get_user_model()
        .objects.filter(role_assignments__role__in=[Role.SUPPORT_AGENT, Role.CENTER_ADMIN])
        .distinct()
        .order_by("email"),
    )
    public_consent = forms.BooleanField(
        label=_("The lead organisation agreed to appear in the public list"), required=False
    )

    def clean_reference(self) -> str:
        try:
            return projects.validate_reference(self.cleaned_data["reference"])
        except projects.ProjectError as error:
            raise forms.ValidationError(str(error.message)) from None

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        budget, contribution = data.get("total_budget"), data.get("eu_contribution")
        if budget is not None and contribution is not None and contribution > budget:
            self.add_error(
                "eu_contribution", _("The EU contribution cannot be more than the total budget.")
            )
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The end date cannot be before the start date."))
        return data

    def project_data(self) -> projects.ProjectData:
        data = self.cleaned_data
        return projects.ProjectData(
            title=data["title"],
            acronym=data["acronym"],
            programme=data["programme"],
            reference=data["reference"],
            lead=data["lead"],
            total_budget=data["total_budget"],
            eu_contribution=data["eu_contribution"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            status=data["status"],
            description=data["description"],
            staff_contact=data["staff_contact"],
            provinces=list(data["provinces"]),
            themes=list(data["themes"]),
            partners=projects.partners_from(
                [
                    (PartnerRole.CO_APPLICANT, data["co_applicants"]),
                    (PartnerRole.AFFILIATED_ENTITY, data["affiliated_entities"]),
                    (PartnerRole.ASSOCIATE, data["associates"]),
                ]
            ),
        )


def project_initial(project: EUProject) -> dict[str, Any]:
    """The form's initial values for an existing project."""
    by_role: dict[str, list[int]] = {role: [] for role in PartnerRole.values}
    for partnership in project.partnerships.all():
        by_role[partnership.role].append(partnership.organisation_id)
    return {
        "title": project.title,
        "acronym": project.acronym,
        "programme": project.programme,
        "reference": project.reference,
        "status": project.status,
        "lead": project.lead_id,
        "co_applicants": by_role[PartnerRole.CO_APPLICANT],
        "affiliated_entities": by_role[PartnerRole.AFFILIATED_ENTITY],
        "associates": by_role[PartnerRole.ASSOCIATE],
        "total_budget": project.total_budget,
        "eu_contribution": project.eu_contribution,
        "start_date": project.start_date,
        "end_date": project.end_date,
        "provinces": [p.pk for p in project.provinces.all()],
        "themes": [t.pk for t in project.themes.all()],
        "description": project.description,
        "staff_contact": project.staff_contact_id,
        "public_consent": project.public_consent,
    }


class MeetingForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE)
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=1, max_value=24 * 60, initial=60
    )
    mode = forms.ChoiceField(label=_("Mode"), choices=MeetingMode.choices)
    province = forms.ModelChoiceField(
        label=_("Province"),
        required=False,
        queryset=Province.objects.order_by(turkish_order("name")),
        help_text=_("Empty: each organisation's own province."),
    )
    topics = forms.CharField(label=_("Topics"), widget=forms.Textarea({"rows": 3}))
    organisations = forms.ModelMultipleChoiceField(
        label=_("Attending organisations"),
        queryset=Organisation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    people = forms.ModelMultipleChoiceField(
        label=_("Attending people"),
        required=False,
        queryset=Person.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(
        label=_("Internal notes"), required=False, widget=forms.Textarea({"rows": 3})
    )
    staff = forms.ModelMultipleChoiceField(
        label=_("Staff"),
        required=False,
        queryset=get_user_model()
        .objects.filter(role_assignments__role__in=[Role.SUPPORT_AGENT, Role.CENTER_ADMIN])
        .distinct()
        .order_by("email"),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, project: EUProject, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organisations = projects.organisations_of_project(project)
        pks = [organisation.pk for organisation in organisations]
        field = self.fields["organisations"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Organisation.objects.filter(pk__in=pks).order_by(turkish_order("name"))
        people = self.fields["people"]
        assert isinstance(people, forms.ModelMultipleChoiceField)
        people.queryset = (
            Person.objects.filter(affiliations__organisation_id__in=pks)
            .distinct()
            .order_by(turkish_order("full_name"))
        )
        if not self.is_bound and "organisations" not in self.initial:
            self.initial["organisations"] = [project.lead_id]

    def meeting_data(self) -> projects.MeetingData:
        data = self.cleaned_data
        return projects.MeetingData(
            date=data["date"],
            duration_minutes=data["duration_minutes"],
            mode=data["mode"],
            province=data["province"],
            topics=data["topics"],
            organisations=list(data["organisations"]),
            people=list(data["people"]),
            notes=data["notes"],
            staff=list(data["staff"]),
        )


def meeting_initial(meeting: TechnicalSupportMeeting) -> dict[str, Any]:
    return {
        "date": meeting.date,
        "duration_minutes": meeting.duration_minutes,
        "mode": meeting.mode,
        "province": meeting.province_id,
        "topics": meeting.topics,
        "organisations": [o.pk for o in meeting.organisations.all()],
        "people": [p.pk for p in meeting.people.all()],
        "notes": meeting.notes,
        "staff": [u.pk for u in meeting.staff.all()],
    }


class LinkRequestForm(forms.Form):
    code = forms.CharField(label=_("Request code"), max_length=20, help_text=_("E.g. AB-7KQ4MX"))
