"""Staff pages of the festival: the festivals, one festival (venues, proposals to place, the
grid with a scheduling form per session, publish), participating organisations, badges PDF,
check-in at the door, and marking sessions held.

Thin: each view parses its form, calls a service, and shows the result or the problem next to
the field it belongs to (the double-booking message names the other session).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaynak.core.errors import KaynakError
from kaynak.core.permissions import can, permission_required
from kaynak.core.printing import pdf_from_html
from kaynak.directory.models import Organisation
from kaynak.festival import documents, participation, queries, services
from kaynak.festival.errors import FestivalError
from kaynak.festival.forms import (
    CheckInForm,
    FestivalCreateForm,
    FestivalSettingsForm,
    ParticipationForm,
    ReasonForm,
    ScheduleForm,
    VenueEditForm,
    VenueForm,
)
from kaynak.festival.models import Badge, Festival, FestivalSession, Venue
from kaynak.programmes.staff_queries import organisations_to_register


def _is_htmx(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.history_restore_request


def _festival(slug: str) -> Festival:
    return get_object_or_404(Festival.objects.select_related("province", "programme"), slug=slug)


def _session(festival: Festival, pk: int) -> FestivalSession:
    return get_object_or_404(FestivalSession, festival=festival, pk=pk)


def _back(request: HttpRequest, festival: Festival) -> HttpResponse:
    url = reverse("festival:staff-festival", kwargs={"slug": festival.slug})
    if _is_htmx(request):
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def _schedule_form(
    festival: Festival, session: FestivalSession, data: Any = None, venues: list[Any] | None = None
) -> ScheduleForm:
    initial: dict[str, Any] = {}
    if session.starts_at and session.ends_at:
        start = timezone.localtime(session.starts_at)
        initial = {
            "venue": session.venue_id,
            "day": start.date().isoformat(),
            "start": start.time(),
            "end": timezone.localtime(session.ends_at).time(),
        }
    venues = venues if venues is not None else queries.venues_of(festival)
    return ScheduleForm(festival, venues, data, prefix=f"s{session.pk}", initial=initial)


@permission_required("festival.view_staff")
def festival_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "festival/staff/list.html",
        {
            "festivals": Festival.objects.select_related("province"),
            "can_manage": can(request.user, "festival.manage_festival"),
        },
    )


# Setting up a festival --------------------------------------------------------------------------


@permission_required("festival.manage_festival")
def festival_new(request: HttpRequest) -> HttpResponse:
    """A new festival and its call for workshops (a draft the staff publish on the calls
    pages)."""
    form = FestivalCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            festival = services.festival_create(
                programme=data["programme"],
                name=data["name"],
                slug=data["slug"],
                description=data["description"],
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                province=data["province"],
                city=data["city"],
                venue=data["venue"],
                call_opens_at=data["call_opens_at"],
                call_closes_at=data["call_closes_at"],
                actor=request.user,
            )
        except FestivalError as error:
            form.add_service_error(error)
        except KaynakError as error:  # the calls app refused the call
            form.add_error(None, str(error.message))
        else:
            messages.success(
                request,
                _(
                    "%(name)s was created with its call for workshops. The call is a draft: "
                    "publish it on the call's page."
                )
                % {"name": festival.name},
            )
            return redirect("festival:staff-festival", slug=festival.slug)
    return render(
        request,
        "festival/staff/festival_form.html",
        {"form": form, "festival": None},
        status=422 if form.is_bound else 200,
    )


@permission_required("festival.manage_festival")
def festival_settings(request: HttpRequest, slug: str) -> HttpResponse:
    """The festival's name, description, days and place."""
    festival = _festival(slug)
    initial = {
        "name": festival.name,
        "description": festival.description,
        "starts_on": festival.starts_on,
        "ends_on": festival.ends_on,
        "province": festival.province_id,
        "city": festival.city,
        "venue": festival.venue,
    }
    form = FestivalSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.festival_update(festival=festival, actor=request.user, **data)
        except FestivalError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The festival's settings were saved."))
            return redirect("festival:staff-festival", slug=festival.slug)
    return render(
        request,
        "festival/staff/festival_form.html",
        {"form": form, "festival": festival},
        status=422 if form.is_bound else 200,
    )


@permission_required("festival.manage_festival")
def venue_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Rename a venue, change its seats or its column in the grid."""
    festival = _festival(slug)
    venue = get_object_or_404(Venue, festival=festival, pk=pk)
    initial = {"name": venue.name, "capacity": venue.capacity, "position": venue.position}
    form = VenueEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.venue_update(
                venue=venue,
                name=form.cleaned_data["name"],
                capacity=form.cleaned_data["capacity"],
                position=form.cleaned_data["position"],
                actor=request.user,
            )
        except FestivalError as error:
            form.add_service_error(error)
        else:
            messages.success(request, _("The venue was saved."))
            return redirect("festival:staff-festival", slug=festival.slug)
    return render(
        request,
        "festival/staff/venue_form.html",
        {"form": form, "festival": festival, "venue": venue},
        status=422 if form.is_bound else 200,
    )


def _festival_page(
    request: HttpRequest,
    festival: Festival,
    *,
    forms: dict[int, ScheduleForm] | None = None,
    venue_form: VenueForm | None = None,
    status: int = 200,
) -> HttpResponse:
    forms = forms or {}
    proposals = list(queries.proposals_waiting(festival))
    sessions = list(queries.programme_sessions(festival))
    venues = queries.venues_of(festival)
    for session in [*proposals, *sessions]:
        session.form = forms.get(session.pk) or _schedule_form(  # type: ignore[attr-defined]
            festival, session, venues=venues
        )
    return render(
        request,
        "festival/staff/festival.html",
        {
            "festival": festival,
            "venues": venues,
            "venue_form": venue_form or VenueForm(),
            "proposals": proposals,
            "grid": queries.grid(festival, sessions, venues),
            "participations_count": festival.participations.count(),
            "badges_count": festival.badges.count(),
            "checked_in_count": festival.badges.filter(checked_in_at__isnull=False).count(),
            "can_manage": can(request.user, "festival.manage_festival"),
        },
        status=status,
    )


@permission_required("festival.view_staff")
def festival_page(request: HttpRequest, slug: str) -> HttpResponse:
    return _festival_page(request, _festival(slug))


@require_POST
@permission_required("festival.manage_festival")
def festival_publish(request: HttpRequest, slug: str) -> HttpResponse:
    festival = _festival(slug)
    services.festival_publish(festival=festival, actor=request.user)
    messages.success(request, _("The festival's page and programme are public."))
    return _back(request, festival)


@require_POST
@permission_required("festival.manage_festival")
def venue_add(request: HttpRequest, slug: str) -> HttpResponse:
    festival = _festival(slug)
    form = VenueForm(request.POST)
    if form.is_valid():
        try:
            services.venue_add(
                festival=festival,
                name=form.cleaned_data["name"],
                capacity=form.cleaned_data["capacity"],
                actor=request.user,
            )
            return _back(request, festival)
        except FestivalError as error:
            form.add_error("name", str(error.message))
    return _festival_page(request, festival, venue_form=form, status=422)


@require_POST
@permission_required("festival.manage_festival")
def schedule(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    festival = _festival(slug)
    session = _session(festival, pk)
    form = _schedule_form(festival, session, request.POST)
    if form.is_valid():
        starts_at, ends_at = form.times()
        try:
            services.schedule(
                session=session,
                venue=form.cleaned_data["venue"],
                starts_at=starts_at,
                ends_at=ends_at,
                actor=request.user,
            )
            messages.success(
                request, _("“%(title)s” is in the programme.") % {"title": session.title}
            )
            return _back(request, festival)
        except FestivalError as error:
            form.add_service_error(error)
    if _is_htmx(request):
        return render(
            request,
            "festival/staff/schedule_form.html",
            {"festival": festival, "session": session, "form": form},
        )
    return _festival_page(request, festival, forms={session.pk: form}, status=422)


@require_POST
@permission_required("festival.manage_festival")
def unschedule(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    festival = _festival(slug)
    services.unschedule(session=_session(festival, pk), actor=request.user)
    return _back(request, festival)


@require_POST
@permission_required("festival.manage_festival")
def cancel(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    festival = _festival(slug)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the session is cancelled."))
        return _back(request, festival)
    try:
        services.cancel(
            session=_session(festival, pk), actor=request.user, reason=form.cleaned_data["reason"]
        )
    except KaynakError as error:
        messages.error(request, str(error.message))
    return _back(request, festival)


@require_POST
@permission_required("festival.manage_festival")
def mark_held(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    festival = _festival(slug)
    try:
        services.mark_held(
            session=_session(festival, pk), actor=request.user, held=request.POST.get("held") != "0"
        )
    except KaynakError as error:
        messages.error(request, str(error.message))
    return _back(request, festival)


# Participating organisations and badges ---------------------------------------------------------


@permission_required("festival.view_staff")
def participations(request: HttpRequest, slug: str) -> HttpResponse:
    festival = _festival(slug)
    q = request.GET.get("q", "")[:200]
    found = organisations_to_register(q) if q else []
    taken = set(festival.participations.values_list("organisation_id", flat=True))
    return render(
        request,
        "festival/staff/participations.html",
        {
            "festival": festival,
            "participations": queries.participations(festival),
            "q": q,
            "found": [
                (o, ParticipationForm(queries.people_of(o), prefix=f"o{o.pk}"))
                for o in found
                if o.pk not in taken
            ],
        },
    )


@require_POST
@permission_required("festival.manage_festival")
def participation_add(request: HttpRequest, slug: str, organisation_id: int) -> HttpResponse:
    festival = _festival(slug)
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    form = ParticipationForm(
        queries.people_of(organisation), request.POST, prefix=f"o{organisation.pk}"
    )
    if form.is_valid():
        participation.register_organisation(
            festival=festival,
            organisation=organisation,
            stand=form.cleaned_data["stand"],
            delegates=form.cleaned_data["delegates"],
            actor=request.user,
        )
        messages.success(request, _("%(name)s takes part.") % {"name": organisation.name})
    else:
        messages.error(
            request, "; ".join(str(e) for errors in form.errors.values() for e in errors)
        )
    return redirect("festival:staff-participations", slug=festival.slug)


@permission_required("festival.manage_festival")
def badges_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """Every badge (or one organisation's), A6 or four to an A4 page."""
    festival = _festival(slug)
    participation.ensure_badges(festival=festival)
    organisation = request.GET.get("organisation", "")
    badges = queries.badges(
        festival, organisation_id=int(organisation) if organisation.isdigit() else None
    )
    layout = request.GET.get("layout", "a6")
    pdf = pdf_from_html(documents.badges_html(festival, badges, layout))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{festival.slug}-badges.pdf"'
    return response


# Check-in ---------------------------------------------------------------------------------------


def _check_in_result(
    request: HttpRequest, festival: Festival, badge: Badge | None, first: bool, typed: str = ""
) -> HttpResponse:
    template = "festival/staff/check_in.html"
    return render(
        request,
        f"{template}#result" if _is_htmx(request) else template,
        {
            "festival": festival,
            "form": CheckInForm(),
            "badge": badge,
            "first": first,
            "typed": typed,
            "answered": True,
        },
        # htmx swaps only 2xx answers: the unknown code is told in the page, not by status.
        status=200 if badge is not None or _is_htmx(request) else 404,
    )


@permission_required("festival.check_in")
def check_in_page(request: HttpRequest, slug: str) -> HttpResponse:
    """Type or scan a badge's code: the person is checked in (or was already)."""
    festival = _festival(slug)
    if request.method != "POST":
        return render(
            request, "festival/staff/check_in.html", {"festival": festival, "form": CheckInForm()}
        )
    form = CheckInForm(request.POST)
    typed = request.POST.get("code", "")[:300]
    badge = participation.badge_by_code(festival, typed) if form.is_valid() else None
    first = False
    if badge is not None:
        badge, first = participation.check_in(badge=badge, actor=request.user)
    return _check_in_result(request, festival, badge, first, typed)


@permission_required("festival.check_in")
def check_in_code(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """What a badge's QR code opens: the person, and a button to check them in."""
    festival = _festival(slug)
    badge = participation.badge_by_code(festival, code)
    if badge is None:
        raise Http404
    first = False
    if request.method == "POST":
        badge, first = participation.check_in(badge=badge, actor=request.user)
    return render(
        request,
        "festival/staff/check_in.html",
        {
            "festival": festival,
            "form": CheckInForm(),
            "badge": badge,
            "first": first,
            "answered": request.method == "POST" or badge.checked_in_at is not None,
            "confirm": request.method != "POST" and badge.checked_in_at is None,
        },
    )


@require_POST
@permission_required("festival.check_in")
def check_in_undo(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    festival = _festival(slug)
    badge = participation.badge_by_code(festival, code)
    if badge is None:
        raise Http404
    participation.undo_check_in(badge=badge, actor=request.user)
    messages.success(
        request, _("The check-in of %(name)s was undone.") % {"name": badge.person.full_name}
    )
    return redirect("festival:staff-check-in", slug=festival.slug)
