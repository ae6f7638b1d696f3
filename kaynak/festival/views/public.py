"""Public pages of the festival: its page, the programme grid (filter by day and theme, htmx),
a session, iCal of the programme and of a session, the participating organisations, the
booklet PDF, and a member's own badge."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.vary import vary_on_headers

from kaynak.core.models import Theme
from kaynak.core.permissions import can
from kaynak.core.printing import pdf_from_html
from kaynak.festival import calendars, documents, participation, queries
from kaynak.festival.forms import ParticipationForm
from kaynak.festival.models import Festival
from kaynak.festival.services import festival_days
from kaynak.programmes.queries import person_of_user

ICAL = "text/calendar; charset=utf-8"


def _is_htmx(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.history_restore_request


def festival_list(request: HttpRequest) -> HttpResponse:
    return render(
        request, "festival/public/list.html", {"festivals": queries.published_festivals()}
    )


def festival_page(request: HttpRequest, slug: str) -> HttpResponse:
    festival = queries.festival_for(request.user, slug)
    return render(
        request,
        "festival/public/festival.html",
        {
            "festival": festival,
            "sessions_count": queries.programme_sessions(festival).count(),
            "organisations_count": festival.participations.count(),
        },
    )


def _day_and_theme(
    request: HttpRequest, festival: Festival
) -> tuple[dt.date | None, Theme | None, list[dt.date]]:
    """The filters as asked; a day or theme that is not the festival's is ignored."""
    days = festival_days(festival)
    day = None
    try:
        asked = dt.date.fromisoformat(request.GET.get("day", ""))
        day = asked if asked in days else None
    except ValueError:
        pass
    theme = Theme.objects.filter(slug=request.GET.get("theme", "")[:40]).first()
    return day, theme, days


@vary_on_headers("HX-Request")
def programme(request: HttpRequest, slug: str) -> HttpResponse:
    festival = queries.festival_for(request.user, slug)
    day, theme, days = _day_and_theme(request, festival)
    sessions = list(queries.programme_sessions(festival, day=day, theme=theme))
    for session in sessions:
        session.seats_left = queries.seats_left(session)  # type: ignore[attr-defined]
    template = "festival/public/programme.html"
    return render(
        request,
        f"{template}#grid" if _is_htmx(request) else template,
        {
            "festival": festival,
            "grid": queries.grid(festival, sessions, queries.venues_of(festival)),
            "days": days,
            "day": day,
            "themes": queries.themes_in_programme(festival),
            "theme": theme,
        },
    )


def session_page(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    festival = queries.festival_for(request.user, slug)
    session = queries.session_for(festival, pk)
    return render(
        request,
        "festival/public/session.html",
        {"festival": festival, "session": session, "seats_left": queries.seats_left(session)},
    )


def _ical(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=ICAL)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def programme_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    festival = queries.festival_for(request.user, slug)
    sessions = queries.programme_sessions(festival)
    return _ical(calendars.calendar(festival, sessions), f"{festival.slug}.ics")


def session_calendar(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    festival = queries.festival_for(request.user, slug)
    session = queries.session_for(festival, pk)
    return _ical(calendars.calendar(festival, [session]), f"{festival.slug}-{session.pk}.ics")


def organisations(request: HttpRequest, slug: str) -> HttpResponse:
    festival = queries.festival_for(request.user, slug)
    return render(
        request,
        "festival/public/organisations.html",
        {"festival": festival, "participations": queries.participations(festival)},
    )


def booklet(request: HttpRequest, slug: str) -> HttpResponse:
    festival = queries.festival_for(request.user, slug)
    response = HttpResponse(
        pdf_from_html(documents.booklet_html(festival)), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="{festival.slug}-programme.pdf"'
    return response


@login_required
def my_badge(request: HttpRequest, slug: str) -> HttpResponse:
    """The logged-in person's badge (made now if they hold a workshop seat), as a PDF."""
    festival = queries.festival_for(request.user, slug)
    person = person_of_user(request.user)
    if person is None:
        raise Http404
    participation.ensure_badges(festival=festival, person=person)
    badge = festival.badges.select_related("person", "organisation").filter(person=person).first()
    if badge is None:
        raise Http404
    pdf = pdf_from_html(documents.badges_html(festival, [badge], "a6"))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="badge-{badge.code}.pdf"'
    return response


@login_required
def take_part(request: HttpRequest, slug: str) -> HttpResponse:
    """A member registers an organisation they belong to: its stand and delegates."""
    festival = queries.festival_for(request.user, slug)
    organisations = [
        organisation
        for organisation in queries.organisations_of_member(request.user)
        if can(request.user, "festival.register_organisation", organisation)
    ]
    forms = {
        organisation.pk: ParticipationForm(
            queries.people_of(organisation),
            request.POST if request.POST.get("organisation") == str(organisation.pk) else None,
            prefix=f"o{organisation.pk}",
            initial=queries.participation_initial(festival, organisation),
        )
        for organisation in organisations
    }
    if request.method == "POST":
        chosen = next(
            (o for o in organisations if str(o.pk) == request.POST.get("organisation")), None
        )
        if chosen is None:
            raise Http404
        form = forms[chosen.pk]
        if form.is_valid():
            participation.register_organisation(
                festival=festival,
                organisation=chosen,
                stand=form.cleaned_data["stand"],
                delegates=form.cleaned_data["delegates"],
                actor=request.user,
            )
            messages.success(request, _("%(name)s takes part.") % {"name": chosen.name})
            return redirect("festival:organisations", slug=festival.slug)
    return render(
        request,
        "festival/public/take_part.html",
        {"festival": festival, "rows": [(o, forms[o.pk]) for o in organisations]},
        status=422 if request.method == "POST" else 200,
    )
