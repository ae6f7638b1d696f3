"""The EU Support Unit's pages: the registry of EU-funded projects for its staff (list with
filters, totals and an XLSX export; a project's page; its form; meetings; linked requests) and
the public list of supported projects whose lead organisations consented.

Thin: each view parses a form, calls ``kaynak.helpdesk.projects``, and presents the result or the
problem next to the field that caused it.
"""

from __future__ import annotations

import io
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from openpyxl import Workbook

from kaynak.core.audit import history_for
from kaynak.core.permissions import permission_required
from kaynak.helpdesk import projects
from kaynak.helpdesk.forms_eu import (
    LinkRequestForm,
    MeetingForm,
    ProjectFilterForm,
    ProjectForm,
    PublicProjectFilterForm,
    meeting_initial,
    project_initial,
)
from kaynak.helpdesk.models import EUProject, ProjectRequest, TechnicalSupportMeeting

PAGE_SIZE = 50
# Spreadsheet programs run a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _project(pk: int) -> EUProject:
    try:
        return projects.project_for_staff(pk)
    except EUProject.DoesNotExist:
        raise Http404 from None


def _meeting(project: EUProject, pk: int) -> TechnicalSupportMeeting:
    meeting = project.meetings.filter(pk=pk, deleted_at__isnull=True).first()
    if meeting is None:
        raise Http404
    return meeting


def _query_without_page(request: HttpRequest) -> str:
    keep = request.GET.copy()
    keep.pop("page", None)
    return keep.urlencode()


# The registry -----------------------------------------------------------------------------------


@permission_required("helpdesk.view_projects")
def staff_projects(request: HttpRequest) -> HttpResponse:
    form = ProjectFilterForm(request.GET)
    found = projects.projects_for_staff(form.filters())
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "totals": projects.project_totals(found),
        "query": _query_without_page(request),
    }
    template = "helpdesk/eu/staff_list.html"
    if getattr(request, "htmx", False):
        template += "#results"
    return render(request, template, context)


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


@permission_required("helpdesk.view_projects")
def staff_projects_export(request: HttpRequest) -> HttpResponse:
    """The filtered registry as an XLSX sheet, one project a row."""
    found = projects.projects_for_staff(ProjectFilterForm(request.GET).filters())
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("EU projects"))
    sheet.append(
        [
            _("Title"),
            _("Acronym"),
            _("EU programme"),
            _("Reference number"),
            _("Status"),
            _("Lead organisation"),
            _("Partners"),
            _("Total budget (EUR)"),
            _("EU contribution (EUR)"),
            _("EU share (%)"),
            _("Start date"),
            _("End date"),
            _("Provinces"),
            _("Themes"),
            _("Meetings"),
            _("Shown in the public list"),
        ]
    )
    for project in found:
        sheet.append(
            [
                _cell(value)
                for value in (
                    project.title,
                    project.acronym,
                    project.get_programme_display(),
                    project.reference,
                    project.get_status_display(),
                    project.lead.name,
                    ", ".join(
                        f"{p.organisation.name} ({p.get_role_display()})"
                        for p in project.partnerships.all()
                    ),
                    project.total_budget,
                    project.eu_contribution,
                    project.contribution_percent,
                    project.start_date,
                    project.end_date,
                    ", ".join(p.name for p in project.provinces.all()),
                    ", ".join(t.label for t in project.themes.all()),
                    project.meeting_count,  # type: ignore[attr-defined]
                    _("yes") if project.public_consent else _("no"),
                )
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="eu-projects-{stamp}.xlsx"'
    return response


# One project ------------------------------------------------------------------------------------


def _detail(
    request: HttpRequest, project: EUProject, *, link_form: LinkRequestForm | None = None
) -> HttpResponse:
    context = {
        "project": project,
        "meetings": projects.project_meetings(project),
        "links": projects.project_request_links(project),
        "deliveries": projects.project_delivery_count(project),
        "link_form": link_form or LinkRequestForm(),
        "history": history_for(project)[:20],
    }
    return render(
        request, "helpdesk/eu/staff_project.html", context, status=400 if link_form else 200
    )


@permission_required("helpdesk.view_projects")
def staff_project(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _project(pk))


def _save_project(form: ProjectForm, project: EUProject | None, actor: Any) -> EUProject:
    with transaction.atomic():
        data = form.project_data()
        if project is None:
            project = projects.create_project(data=data, actor=actor)
        else:
            project = projects.update_project(project=project, data=data, actor=actor)
        projects.set_public_consent(
            project=project, consent=form.cleaned_data["public_consent"], actor=actor
        )
    return project


def _project_form_page(
    request: HttpRequest, project: EUProject | None, initial: dict[str, Any]
) -> HttpResponse:
    form = ProjectForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = _save_project(form, project, request.user)
        except projects.ProjectError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
        else:
            messages.success(request, _("The project was saved."))
            return redirect("helpdesk:staff-eu-project", saved.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "helpdesk/eu/project_form.html", {"form": form, "project": project}, status=status
    )


@permission_required("helpdesk.manage_projects")
def staff_project_new(request: HttpRequest) -> HttpResponse:
    return _project_form_page(request, None, {})


@permission_required("helpdesk.manage_projects")
def staff_project_edit(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(pk)
    return _project_form_page(request, project, project_initial(project))


# Linked requests --------------------------------------------------------------------------------


@require_POST
@permission_required("helpdesk.manage_projects")
def staff_project_link(request: HttpRequest, pk: int) -> HttpResponse:
    project = _project(pk)
    form = LinkRequestForm(request.POST)
    if form.is_valid():
        found = projects.request_by_code(form.cleaned_data["code"])
        if found is None:
            form.add_error("code", _("No request has this code."))
        else:
            try:
                projects.link_request(project=project, request=found, actor=request.user)
            except projects.ProjectError as error:
                form.add_error("code", str(error.message))
            else:
                messages.success(request, _("The request was linked to the project."))
                return redirect("helpdesk:staff-eu-project", project.pk)
    return _detail(request, project, link_form=form)


@require_POST
@permission_required("helpdesk.manage_projects")
def staff_project_unlink(request: HttpRequest, pk: int, link: int) -> HttpResponse:
    project = _project(pk)
    found = (
        ProjectRequest.objects.filter(project=project, pk=link).select_related("request").first()
    )
    if found is None:
        raise Http404
    projects.unlink_request(link=found, actor=request.user)
    messages.success(request, _("The request is no longer linked to the project."))
    return redirect("helpdesk:staff-eu-project", project.pk)


# Meetings ---------------------------------------------------------------------------------------


def _meeting_form_page(
    request: HttpRequest, project: EUProject, meeting: TechnicalSupportMeeting | None
) -> HttpResponse:
    initial = meeting_initial(meeting) if meeting else {}
    form = MeetingForm(request.POST or None, initial=initial, project=project)
    if request.method == "POST" and form.is_valid():
        try:
            if meeting is None:
                projects.record_meeting(
                    project=project, data=form.meeting_data(), actor=request.user
                )
            else:
                projects.update_meeting(
                    meeting=meeting, data=form.meeting_data(), actor=request.user
                )
        except projects.ProjectError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
        else:
            messages.success(request, _("The meeting was saved."))
            return redirect("helpdesk:staff-eu-project", project.pk)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "project": project, "meeting": meeting}
    return render(request, "helpdesk/eu/meeting_form.html", context, status=status)


@permission_required("helpdesk.manage_projects")
def staff_meeting_new(request: HttpRequest, pk: int) -> HttpResponse:
    return _meeting_form_page(request, _project(pk), None)


@permission_required("helpdesk.manage_projects")
def staff_meeting_edit(request: HttpRequest, pk: int, meeting: int) -> HttpResponse:
    project = _project(pk)
    return _meeting_form_page(request, project, _meeting(project, meeting))


@require_POST
@permission_required("helpdesk.manage_projects")
def staff_meeting_delete(request: HttpRequest, pk: int, meeting: int) -> HttpResponse:
    project = _project(pk)
    projects.delete_meeting(meeting=_meeting(project, meeting), actor=request.user)
    messages.success(request, _("The meeting was deleted; its service deliveries were withdrawn."))
    return redirect("helpdesk:staff-eu-project", project.pk)


# The public list --------------------------------------------------------------------------------


def public_projects(request: HttpRequest) -> HttpResponse:
    """EU-funded projects the unit supported, where the lead organisation consented."""
    form = PublicProjectFilterForm(request.GET)
    found = projects.public_projects(form.filters())
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "query": _query_without_page(request)}
    return render(request, "helpdesk/eu/public_list.html", context)


# The organisation's page ------------------------------------------------------------------------


def register_panels() -> None:
    """Show an organisation's EU projects on its page (to those who may see the registry);
    call from ``HelpdeskConfig.ready``."""
    from kaynak.directory.panels import register_organisation_panel

    register_organisation_panel("helpdesk/eu/organisation_panel.html")
