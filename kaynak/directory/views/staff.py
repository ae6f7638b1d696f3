"""Staff pages of the directory: every organisation (search, filters, export), an
organisation's people and history, and people with their data export and erasure."""

from __future__ import annotations

import json

from django.contrib import messages
from django.core.serializers.json import DjangoJSONEncoder
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from kaynak.accounts.http import AuthenticatedHttpRequest
from kaynak.core.errors import KaynakError
from kaynak.core.permissions import can, get_object_for_user, permission_required
from kaynak.directory import exports, queries, services
from kaynak.directory.forms import ErasureConfirmForm, PeopleSearchForm, StaffDirectoryFilterForm
from kaynak.directory.models import Affiliation, Organisation
from kaynak.directory.privacy import person_data_export, person_erase
from kaynak.directory.views.public import paginate, render_page_or_partial

STAFF_PAGE_SIZE = 50


@vary_on_headers("HX-Request")
@permission_required("directory.view_staff_directory")
def staff_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = StaffDirectoryFilterForm(request.GET)
    page = paginate(request, queries.staff_directory(form.filters()), STAFF_PAGE_SIZE)
    query = request.GET.copy()
    query.pop("page", None)
    return render_page_or_partial(
        request,
        "directory/staff_list.html",
        "results",
        {"form": form, "page": page, "export_query": query.urlencode()},
    )


def _export_name(extension: str) -> str:
    return f"kuruluslar-{timezone.localdate():%Y-%m-%d}.{extension}"


@permission_required("directory.export_organisations")
def staff_export_csv(request: AuthenticatedHttpRequest) -> StreamingHttpResponse:
    filters = StaffDirectoryFilterForm(request.GET).filters()
    response = StreamingHttpResponse(
        exports.organisations_csv(filters=filters, actor=request.user),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="{_export_name("csv")}"'
    return response


@permission_required("directory.export_organisations")
def staff_export_xlsx(request: AuthenticatedHttpRequest) -> FileResponse:
    filters = StaffDirectoryFilterForm(request.GET).filters()
    return FileResponse(
        exports.organisations_xlsx(filters=filters, actor=request.user),
        as_attachment=True,
        filename=_export_name("xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@permission_required("directory.view_staff_directory")
def staff_organisation(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    organisation = get_object_or_404(
        Organisation.objects.select_related("province", "legal_form", "parent"), pk=pk
    )
    return render(
        request,
        "directory/staff_organisation.html",
        {
            "organisation": organisation,
            "branches": organisation.branches.order_by("name"),
            "current": queries.current_affiliations(organisation),
            "past": queries.past_affiliations(organisation),
            "history": queries.organisation_history(organisation)[:200],
            "may_change": can(request.user, "directory.change_organisation", organisation),
        },
    )


@require_POST
@permission_required("directory.view_staff_directory")
def affiliation_admin(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Confirm (or take back) a person's right to act for their organisation."""
    affiliation = get_object_or_404(
        Affiliation.objects.select_related("person", "organisation"),
        pk=pk,
        end_date__isnull=True,
    )
    organisation: Organisation = get_object_for_user(
        request.user,
        "directory.change_organisation",
        Organisation.objects.all(),
        pk=affiliation.organisation_id,
    )
    is_admin = request.POST.get("is_admin") == "1"
    services.affiliation_set_admin(affiliation=affiliation, is_admin=is_admin, actor=request.user)
    messages.success(
        request,
        (
            _("%(name)s may now act for the organisation.")
            if is_admin
            else _("%(name)s no longer acts for the organisation.")
        )
        % {"name": affiliation.person},
    )
    return redirect("directory:staff_detail", pk=organisation.pk)


@permission_required("directory.view_person")
def staff_people(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = PeopleSearchForm(request.GET)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    page = paginate(request, queries.staff_people(q), STAFF_PAGE_SIZE)
    return render(request, "directory/staff_people.html", {"form": form, "page": page})


@permission_required("directory.view_person")
def staff_person(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = queries.person_detail(pk)
    return render(
        request,
        "directory/staff_person.html",
        {"person": person, "history": queries.person_history(person)[:200]},
    )


@never_cache
@permission_required("directory.export_person_data")
def person_export(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    data = person_data_export(person=queries.person_detail(pk), actor=request.user)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="kisi-{pk}-veriler.json"'
    return response


@permission_required("directory.erase_person")
def person_erase_confirm(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    person = queries.person_detail(pk)
    form = ErasureConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            person_erase(person=person, actor=request.user)
        except KaynakError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("The person's personal data is erased."))
            return redirect("directory:staff_person", pk=person.pk)
    return render(request, "directory/person_erase.html", {"person": person, "form": form})


urlpatterns: list[URLPattern] = [
    path(gettext_lazy("staff/"), staff_list, name="staff_list"),
    path(gettext_lazy("staff/export.csv"), staff_export_csv, name="staff_export_csv"),
    path(gettext_lazy("staff/export.xlsx"), staff_export_xlsx, name="staff_export_xlsx"),
    path(gettext_lazy("staff/<int:pk>/"), staff_organisation, name="staff_detail"),
    path(
        gettext_lazy("staff/affiliations/<int:pk>/admin/"),
        affiliation_admin,
        name="affiliation_admin",
    ),
    path(gettext_lazy("staff/people/"), staff_people, name="staff_people"),
    path(gettext_lazy("staff/people/<int:pk>/"), staff_person, name="staff_person"),
    path(gettext_lazy("staff/people/<int:pk>/export/"), person_export, name="person_export"),
    path(gettext_lazy("staff/people/<int:pk>/erase/"), person_erase_confirm, name="person_erase"),
]
