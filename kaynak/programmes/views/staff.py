"""Staff pages of activities: the dashboard, an activity's registrations (add, cancel, seats),
the activity form with its sessions, publish, cancel, copy, and the participant exports.

Thin: each view parses the form, calls ``catalogue`` or ``services``, and presents the result
or the problem next to the field that caused it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from kaynak.core.audit import history_for
from kaynak.core.errors import KaynakError
from kaynak.core.permissions import permission_required
from kaynak.directory.models import Organisation, Person
from kaynak.directory.resolution import PersonRecord, person_candidates
from kaynak.programmes import catalogue, exports, services, staff_queries
from kaynak.programmes.catalogue import CatalogueError, SessionEdit
from kaynak.programmes.models import Activity, ActivityStatus, Registration, Session
from kaynak.programmes.services import RegistrationError
from kaynak.programmes.staff_forms import (
    ActivityForm,
    AddRegistrantForm,
    CapacityForm,
    CopyForm,
    ReasonForm,
    SessionForm,
    SessionFormSet,
    session_initial,
)

ACTIVITIES_PAGE_SIZE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _is_htmx(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.history_restore_request


def _activity(pk: int) -> Activity:
    try:
        return staff_queries.activity_for_staff(pk)
    except Activity.DoesNotExist:
        raise Http404 from None


# Dashboard and lists ----------------------------------------------------------------------------


@permission_required("programmes.view_staff")
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "programmes/staff/dashboard.html",
        {"dashboard": staff_queries.dashboard(), "past_days": staff_queries.DASHBOARD_PAST_DAYS},
    )


@vary_on_headers("HX-Request")
@permission_required("programmes.view_staff")
def activity_list(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "")[:200]
    status = request.GET.get("status", "")
    status = status if status in ActivityStatus.values else ""
    page = Paginator(
        staff_queries.staff_activities(q=q, status=status), ACTIVITIES_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    template = "programmes/staff/activities.html"
    return render(
        request,
        f"{template}#results" if _is_htmx(request) else template,
        {"page": page, "q": q, "status": status, "statuses": ActivityStatus.choices},
    )


# An activity and its registrations --------------------------------------------------------------


def _found(
    request: HttpRequest, form: AddRegistrantForm | None
) -> tuple[list[Person], list[Organisation]]:
    """The people and organisations the add form offers: those the search found, and the
    ones already chosen (so a form shown again with an error keeps the choice)."""
    source = request.POST if request.method == "POST" else request.GET
    people = staff_queries.people_to_register(source.get("pq", ""))
    organisations = staff_queries.organisations_to_register(source.get("oq", ""))
    if form is not None and form.is_bound and hasattr(form, "cleaned_data"):
        person = form.cleaned_data.get("person")
        if person is not None and person not in people:
            people[:0] = staff_queries.people_by_id([person.pk])
        organisation = form.cleaned_data.get("organisation")
        if organisation is not None and organisation not in organisations:
            organisations.insert(0, organisation)
    return people, organisations


def _activity_page(
    request: HttpRequest,
    activity: Activity,
    *,
    add_form: AddRegistrantForm | None = None,
    capacity_form: CapacityForm | None = None,
    candidates: list[Person] | None = None,
    status: int = 200,
) -> HttpResponse:
    people, organisations = _found(request, add_form)
    if candidates:
        people = candidates + [p for p in people if p not in candidates]
    groups = staff_queries.registrations_by_status(activity)
    context: dict[str, Any] = {
        "activity": activity,
        "sessions": list(activity.sessions.all()),
        "groups": groups,
        "seats": services.seats_of(activity),
        "add_form": add_form or AddRegistrantForm(initial={"language": activity.language}),
        "capacity_form": capacity_form or CapacityForm(initial={"capacity": activity.capacity}),
        "people_found": people,
        "organisations_found": organisations,
        "pq": (request.POST if request.method == "POST" else request.GET).get("pq", ""),
        "oq": (request.POST if request.method == "POST" else request.GET).get("oq", ""),
        "history": history_for(activity)[:30],
        "now": timezone.now(),
    }
    return render(request, "programmes/staff/activity.html", context, status=status)


@permission_required("programmes.view_staff")
def activity_page(request: HttpRequest, pk: int) -> HttpResponse:
    return _activity_page(request, _activity(pk))


@permission_required("programmes.manage_registrations")
def registrant_search(request: HttpRequest, pk: int) -> HttpResponse:
    """htmx: the people (``pq``) or organisations (``oq``) matching what is typed."""
    activity = get_object_or_404(Activity, pk=pk)
    if "oq" in request.GET:
        return render(
            request,
            "programmes/staff/partials/organisations_found.html",
            {
                "organisations_found": staff_queries.organisations_to_register(request.GET["oq"]),
                "oq": request.GET["oq"],
                "activity": activity,
            },
        )
    return render(
        request,
        "programmes/staff/partials/people_found.html",
        {
            "people_found": staff_queries.people_to_register(request.GET.get("pq", "")),
            "pq": request.GET.get("pq", ""),
            "activity": activity,
        },
    )


# What the registration service says to a registrant, said to staff about someone else.
STAFF_WORDING = {
    "twice": lambda name: _("%(name)s is already registered for this activity.") % {"name": name},
}


@require_POST
@permission_required("programmes.manage_registrations")
def registration_add(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(pk)
    form = AddRegistrantForm(request.POST)
    if not form.is_valid():
        return _activity_page(request, activity, add_form=form, status=400)
    data = form.cleaned_data
    person: Person | None = data["person"]
    if person is None and not data["new_person"]:
        # Someone new: first make sure they are not in the directory already.
        known = staff_queries.people_by_id(
            [
                candidate.id
                for candidate in person_candidates(
                    PersonRecord(
                        full_name=data["full_name"], email=data["email"], phone=data["phone"]
                    )
                )
            ]
        )
        if known:
            form.add_error(
                "new_person",
                _(
                    "The directory may already have this person (listed above). Choose them, "
                    "or tick this box to add a new person."
                ),
            )
            return _activity_page(request, activity, add_form=form, candidates=known, status=400)
    try:
        if person is None:
            registration = catalogue.register_new_person(
                activity=activity,
                by=request.user,
                full_name=data["full_name"],
                email=data["email"],
                phone=data["phone"],
                organisation=data["organisation"],
                language=data["language"],
                override=data["override"],
                reason=data["reason"],
            )
        else:
            registration = services.register(
                activity=activity,
                person=person,
                email=form.email_for(person),
                organisation=data["organisation"],
                language=data["language"],
                by=request.user,
                override=data["override"],
                reason=data["reason"],
            )
    except RegistrationError as exc:
        name = person.full_name if person else data["full_name"]
        wording = STAFF_WORDING.get(exc.code)
        form.add_error(
            "reason" if exc.code == "reason" else None,
            wording(name) if wording else str(exc.message),
        )
        return _activity_page(request, activity, add_form=form, status=400)
    except KaynakError as exc:
        form.add_error(None, str(exc.message))
        return _activity_page(request, activity, add_form=form, status=400)
    messages.success(
        request,
        _("%(name)s is registered: %(status)s.")
        % {"name": registration.person.full_name, "status": registration.get_status_display()},
    )
    return redirect(reverse("programmes:staff-activity", args=[activity.pk]) + "#registrations")


@permission_required("programmes.manage_registrations")
def registration_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    registration = get_object_or_404(
        Registration.objects.select_related("activity", "person", "organisation"), pk=pk
    )
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.cancel_registration(
            registration=registration, by=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(
            request,
            _("The registration of %(name)s is cancelled.")
            % {"name": registration.person.full_name},
        )
        return redirect(
            reverse("programmes:staff-activity", args=[registration.activity_id]) + "#registrations"
        )
    return render(
        request,
        "programmes/staff/registration_cancel.html",
        {"registration": registration, "form": form},
        status=400 if form.is_bound else 200,
    )


@require_POST
@permission_required("programmes.manage_activity")
def activity_capacity(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(pk)
    form = CapacityForm(request.POST)
    if not form.is_valid():
        return _activity_page(request, activity, capacity_form=form, status=400)
    try:
        offers = catalogue.activity_set_capacity(
            activity=activity, capacity=form.cleaned_data["capacity"], by=request.user
        )
    except CatalogueError as exc:
        form.add_error("capacity", str(exc.message))
        return _activity_page(request, activity, capacity_form=form, status=400)
    messages.success(
        request,
        _("Seats changed. Seats offered to the waiting list: %(count)d.") % {"count": len(offers)},
    )
    return redirect("programmes:staff-activity", pk=activity.pk)


# Creating and changing activities ---------------------------------------------------------------


def _session_edits(formset: Any, sessions: dict[int, Session]) -> list[SessionEdit] | None:
    """The formset's rows as catalogue edits; None (with the error on the row) when a row names
    a session of another activity."""
    edits: list[SessionEdit] = []
    form: SessionForm
    for form in formset.forms:
        pk = (form.cleaned_data or {}).get("id")
        removing = bool((form.cleaned_data or {}).get("DELETE"))
        session = sessions.get(pk) if pk else None
        if pk and session is None:
            form.add_error(None, _("This session is not part of the activity any more."))
            return None
        if session is None and (removing or not form.has_changed()):
            continue
        edits.append(
            SessionEdit(session=session, values={} if removing else form.values(), remove=removing)
        )
    return edits


def _activity_form(request: HttpRequest, activity: Activity | None) -> HttpResponse:
    sessions = list(activity.sessions.order_by("starts_at", "pk")) if activity else []
    data = request.POST if request.method == "POST" else None
    form = ActivityForm(
        data,
        instance=activity or Activity(),
        initial=None if activity else {"programme": request.GET.get("programme")},
    )
    formset = SessionFormSet(
        data, prefix="sessions", initial=[session_initial(session) for session in sessions]
    )
    if data is not None and form.is_valid() and formset.is_valid():
        edits = _session_edits(formset, {session.pk: session for session in sessions})
        if edits is not None:
            values = form.changes()
            relations = {
                "programme": form.cleaned_data["programme"],
                "themes": form.cleaned_data["themes"],
                "trainers": form.cleaned_data["trainers"],
            }
            try:
                if activity is None:
                    activity = catalogue.activity_create(
                        by=request.user,
                        title=values.pop("title"),
                        sessions=[edit.values for edit in edits if not edit.remove],
                        **relations,
                        **values,
                    )
                    messages.success(request, _("The activity is saved as a draft."))
                else:
                    catalogue.activity_update(
                        activity=activity, by=request.user, sessions=edits, **relations, **values
                    )
                    messages.success(request, _("The activity is saved."))
            except CatalogueError as exc:
                form.add_error(None, str(exc.message))
            else:
                return redirect("programmes:staff-activity", pk=activity.pk)
    return render(
        request,
        "programmes/staff/activity_form.html",
        {"form": form, "formset": formset, "activity": activity},
        status=400 if data is not None else 200,
    )


@permission_required("programmes.manage_activity")
def activity_new(request: HttpRequest) -> HttpResponse:
    return _activity_form(request, None)


@permission_required("programmes.manage_activity")
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(Activity, pk=pk)
    if activity.status == ActivityStatus.CANCELLED:
        messages.error(request, _("A cancelled activity cannot be changed."))
        return redirect("programmes:staff-activity", pk=pk)
    return _activity_form(request, activity)


@require_POST
@permission_required("programmes.manage_activity")
def activity_publish(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(Activity, pk=pk)
    try:
        catalogue.activity_publish(activity=activity, by=request.user)
    except CatalogueError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The activity is published."))
    return redirect("programmes:staff-activity", pk=pk)


@permission_required("programmes.manage_activity")
def activity_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(pk)
    form = ReasonForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        catalogue.activity_cancel(
            activity=activity, by=request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(request, _("The activity is cancelled and its registrants are told."))
        return redirect("programmes:staff-activity", pk=pk)
    return render(
        request,
        "programmes/staff/activity_cancel.html",
        {"activity": activity, "form": form, "active": services.seats_taken(activity)},
        status=400 if form.is_bound else 200,
    )


@permission_required("programmes.manage_activity")
def activity_copy(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity(pk)
    form = CopyForm(
        request.POST if request.method == "POST" else None, initial={"title": activity.title}
    )
    if request.method == "POST" and form.is_valid():
        try:
            copy = catalogue.activity_copy(
                activity=activity,
                first_day=form.cleaned_data["first_day"],
                province=form.cleaned_data["province"],
                title=form.cleaned_data["title"],
                by=request.user,
            )
        except CatalogueError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(
                request,
                _("Copied as a draft. Check the venues and links, then publish it."),
            )
            return redirect("programmes:staff-activity-edit", pk=copy.pk)
    return render(
        request,
        "programmes/staff/activity_copy.html",
        {"activity": activity, "form": form, "first_day": catalogue.first_day_of(activity)},
        status=400 if form.is_bound else 200,
    )


# Exports ----------------------------------------------------------------------------------------


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"  # personal data
    return response


def _filename(activity: Activity, what: str, extension: str) -> str:
    return f"{activity.slug}-{what}-{timezone.localdate():%Y-%m-%d}.{extension}"


@permission_required("programmes.export_participants")
def participants_csv(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(Activity, pk=pk)
    return _download(
        exports.participants_csv(activity=activity, actor=request.user),
        "text/csv; charset=utf-8",
        _filename(activity, "katilimcilar", "csv"),
    )


@permission_required("programmes.export_participants")
def participants_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(Activity, pk=pk)
    return _download(
        exports.participants_xlsx(activity=activity, actor=request.user),
        XLSX,
        _filename(activity, "katilimcilar", "xlsx"),
    )


@permission_required("programmes.export_participants")
def signin_sheet(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(Activity, pk=pk)
    return _download(
        exports.signin_sheet_pdf(activity=activity, actor=request.user),
        "application/pdf",
        _filename(activity, "imza-listesi", "pdf"),
    )
