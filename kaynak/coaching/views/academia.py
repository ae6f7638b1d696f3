"""Pages of the NGO–academia programme.

- Staff: partnerships (filters, XLSX), academics (find or add a directory person), requests,
  matching (each open request with its proposals and reasons; "Confirm this pair", htmx),
  one partnership (details, status, public with consent, activities, publications).
- Members: "my partnerships" for an academic (who may record activities) and for an NGO admin.
- Public: completed and running public partnerships, and one of them.

Thin: each view parses a form, calls a service or a query, and shows the result or the problem
next to its field, keeping what was typed.
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

from kaynak.coaching import academia, exports_academia, matching, queries_academia
from kaynak.coaching.errors import CoachingError, show_error
from kaynak.coaching.forms_academia import (
    AcademicForm,
    ActivityForm,
    ConfirmForm,
    OutputForm,
    PartnershipFilterForm,
    PartnershipForm,
    PublicForm,
    RequestForm,
)
from kaynak.coaching.models import (
    AcademicProfile,
    Partnership,
    PartnershipActivity,
    PartnershipOutput,
    PartnershipRequest,
    RequestStatus,
)
from kaynak.coaching.queries_academia import PartnershipFilters
from kaynak.core.permissions import can, permission_required

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
STAFF = "coaching/academia/staff"


def _is_htmx(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.history_restore_request


def _filters(form: PartnershipFilterForm) -> PartnershipFilters:
    if not form.is_valid():
        return PartnershipFilters()
    data = form.cleaned_data
    return PartnershipFilters(
        province=data.get("province"), theme=data.get("theme"), status=data.get("status") or ""
    )


# Staff: partnerships ----------------------------------------------------------------------------


@permission_required("coaching.view_partnerships")
def staff_list(request: HttpRequest) -> HttpResponse:
    form = PartnershipFilterForm(request.GET or None)
    return render(
        request,
        f"{STAFF}/list.html",
        {
            "form": form,
            "partnerships": queries_academia.staff_partnerships(_filters(form)),
            "can_manage": can(request.user, "coaching.manage_partnerships"),
            "query": request.GET.urlencode(),
        },
    )


@permission_required("coaching.view_partnerships")
def staff_xlsx(request: HttpRequest) -> HttpResponse:
    filters = _filters(PartnershipFilterForm(request.GET or None))
    response = HttpResponse(
        exports_academia.partnerships_xlsx(filters=filters, actor=request.user), content_type=XLSX
    )
    response["Content-Disposition"] = 'attachment; filename="partnerships.xlsx"'
    return response


def _partnership_page(
    request: HttpRequest,
    partnership: Partnership,
    *,
    form: PartnershipForm | None = None,
    public_form: PublicForm | None = None,
    activity_form: ActivityForm | None = None,
    output_form: OutputForm | None = None,
    status: int = 200,
) -> HttpResponse:
    people = queries_academia.people_for_activity(partnership)
    if form is None:
        form = PartnershipForm(
            initial={
                "title": partnership.title,
                "theme": partnership.theme_id,
                "province": partnership.province_id,
                "goals": partnership.goals,
                "starts_on": partnership.starts_on,
                "ends_on": partnership.ends_on,
                "status": partnership.status,
            }
        )
    return render(
        request,
        f"{STAFF}/partnership.html",
        {
            "partnership": partnership,
            "form": form,
            "public_form": public_form or PublicForm(initial={"is_public": True}),
            "activity_form": activity_form
            or ActivityForm(people=people, initial={"date": timezone.localdate()}),
            "output_form": output_form or OutputForm(),
            "activities": queries_academia.activities_of(partnership),
            "outputs": queries_academia.outputs_of(partnership),
            "can_manage": can(request.user, "coaching.manage_partnerships"),
        },
        status=status,
    )


@permission_required("coaching.view_partnerships")
def staff_partnership(request: HttpRequest, slug: str) -> HttpResponse:
    """The partnership's page; a POST (managers) changes its details and status."""
    partnership = queries_academia.staff_partnership(slug)
    if request.method != "POST":
        return _partnership_page(request, partnership)
    if not can(request.user, "coaching.manage_partnerships"):
        raise Http404
    form = PartnershipForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            academia.partnership_update(partnership=partnership, actor=request.user, **data)
        except CoachingError as error:
            show_error(form, error)
        else:
            messages.success(request, _("The partnership was saved."))
            return redirect("academia:staff-partnership", slug=partnership.slug)
    partnership.refresh_from_db()
    return _partnership_page(request, partnership, form=form, status=422)


@require_POST
@permission_required("coaching.manage_partnerships")
def staff_public(request: HttpRequest, slug: str) -> HttpResponse:
    """Show the partnership publicly (with both sides' consent ticked) or take it off."""
    partnership = queries_academia.staff_partnership(slug)
    form = PublicForm(request.POST)
    if not form.is_valid():
        return _partnership_page(request, partnership, public_form=form, status=422)
    is_public = bool(form.cleaned_data["is_public"])
    academia.partnership_set_public(
        partnership=partnership, is_public=is_public, actor=request.user
    )
    messages.success(
        request,
        _("The partnership and its publications are now public.")
        if is_public
        else _("The partnership is no longer public; its publications are drafts again."),
    )
    return redirect("academia:staff-partnership", slug=partnership.slug)


def _activity_from(
    request: HttpRequest, partnership: Partnership, activity: PartnershipActivity | None
) -> tuple[ActivityForm, PartnershipActivity | None]:
    form = ActivityForm(request.POST, people=queries_academia.people_for_activity(partnership))
    if form.is_valid():
        try:
            saved = academia.activity_save(
                partnership=partnership, actor=request.user, activity=activity, **form.cleaned_data
            )
        except CoachingError as error:
            show_error(form, error)
        else:
            return form, saved
    return form, None


@require_POST
@permission_required("coaching.manage_partnerships")
def activity_add(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = queries_academia.staff_partnership(slug)
    form, saved = _activity_from(request, partnership, None)
    if saved is None:
        return _partnership_page(request, partnership, activity_form=form, status=422)
    messages.success(request, _("The activity was recorded."))
    return redirect("academia:staff-partnership", slug=partnership.slug)


@permission_required("coaching.manage_partnerships")
def activity_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = queries_academia.staff_partnership(slug)
    activity = get_object_or_404(PartnershipActivity, partnership=partnership, pk=pk)
    if request.method == "POST":
        form, saved = _activity_from(request, partnership, activity)
        if saved is not None:
            messages.success(request, _("The activity was saved."))
            return redirect("academia:staff-partnership", slug=partnership.slug)
    else:
        form = ActivityForm(
            people=queries_academia.people_for_activity(partnership),
            initial={
                "kind": activity.kind,
                "title": activity.title,
                "date": activity.date,
                "province": activity.province_id,
                "participants": list(activity.participants.values_list("pk", flat=True)),
                "participant_count": activity.participant_count,
                "note": activity.note,
            },
        )
    return render(
        request,
        f"{STAFF}/activity_form.html",
        {"partnership": partnership, "activity": activity, "form": form},
        status=422 if form.is_bound else 200,
    )


@require_POST
@permission_required("coaching.manage_partnerships")
def activity_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = queries_academia.staff_partnership(slug)
    activity = get_object_or_404(PartnershipActivity, partnership=partnership, pk=pk)
    academia.activity_delete(activity=activity, actor=request.user)
    messages.success(request, _("The activity was deleted; its service records are withdrawn."))
    return redirect("academia:staff-partnership", slug=partnership.slug)


@require_POST
@permission_required("coaching.manage_partnerships")
def output_add(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = queries_academia.staff_partnership(slug)
    form = OutputForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            academia.output_save(partnership=partnership, actor=request.user, **form.cleaned_data)
        except CoachingError as error:
            show_error(form, error)
        else:
            messages.success(
                request,
                _("The publication was recorded; it is in the library.")
                if partnership.is_public
                else _(
                    "The publication was recorded; it is a draft in the library until the "
                    "partnership is public."
                ),
            )
            return redirect("academia:staff-partnership", slug=partnership.slug)
    return _partnership_page(request, partnership, output_form=form, status=422)


@require_POST
@permission_required("coaching.manage_partnerships")
def output_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = queries_academia.staff_partnership(slug)
    output = get_object_or_404(PartnershipOutput, partnership=partnership, pk=pk)
    academia.output_delete(output=output, actor=request.user)
    messages.success(request, _("The publication and its library item were deleted."))
    return redirect("academia:staff-partnership", slug=partnership.slug)


# Staff: academics -------------------------------------------------------------------------------


def _academic_data(data: dict[str, Any]) -> dict[str, Any]:
    return {
        key: data[key]
        for key in (
            "title",
            "institution",
            "department",
            "themes",
            "expertise",
            "provinces",
            "languages",
            "is_available",
        )
    }


@permission_required("coaching.view_partnerships")
def staff_academics(request: HttpRequest) -> HttpResponse:
    """The academics; managers add one: a directory person found by name, or someone new."""
    q = str(request.GET.get("q") or "").strip()
    find = str(request.GET.get("find") or request.POST.get("find") or "").strip()
    form = AcademicForm(request.POST or None, initial={"is_available": True})
    if request.method == "POST":
        if not can(request.user, "coaching.manage_partnerships"):
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                person = data["person"] or academia.academic_person(
                    full_name=data["full_name"], email=data["email"], actor=request.user
                )
                academic = academia.academic_save(
                    person=person, actor=request.user, **_academic_data(data)
                )
            except CoachingError as error:
                show_error(form, error)
            else:
                messages.success(
                    request,
                    _("%(name)s is in the academics list.") % {"name": academic.person.full_name},
                )
                return redirect("academia:staff-academics")
    return render(
        request,
        f"{STAFF}/academics.html",
        {
            "academics": queries_academia.staff_academics(q),
            "people": queries_academia.people_matching(find) if find else [],
            "q": q,
            "find": find,
            "form": form,
            "can_manage": can(request.user, "coaching.manage_partnerships"),
        },
        status=422 if form.is_bound else 200,
    )


@permission_required("coaching.manage_partnerships")
def staff_academic(request: HttpRequest, pk: int) -> HttpResponse:
    """Change an academic's profile."""
    academic = queries_academia.academic_for_staff(pk)
    form = AcademicForm(
        request.POST or None,
        editing=True,
        initial={
            "title": academic.title,
            "institution": academic.institution,
            "department": academic.department,
            "themes": list(academic.themes.values_list("pk", flat=True)),
            "expertise": academic.expertise,
            "provinces": list(academic.provinces.values_list("pk", flat=True)),
            "languages": academic.languages,
            "is_available": academic.is_available,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            academia.academic_save(
                person=academic.person, actor=request.user, **_academic_data(form.cleaned_data)
            )
        except CoachingError as error:
            show_error(form, error)
        else:
            messages.success(request, _("The academic profile was saved."))
            return redirect("academia:staff-academics")
    return render(
        request,
        f"{STAFF}/academic_form.html",
        {"academic": academic, "form": form},
        status=422 if form.is_bound else 200,
    )


# Staff: requests and matching -------------------------------------------------------------------


@permission_required("coaching.view_partnerships")
def staff_requests(request: HttpRequest) -> HttpResponse:
    """The requests; managers file a new one for an organisation found by name."""
    q = str(request.GET.get("q") or request.POST.get("q") or "").strip()
    status = str(request.GET.get("status") or "")
    form = RequestForm(request.POST or None)
    if request.method == "POST":
        if not can(request.user, "coaching.manage_partnerships"):
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                academia.request_save(
                    organisation=data["organisation"],
                    needs=data["needs"],
                    themes=data["themes"],
                    province=data["province"],
                    actor=request.user,
                )
            except CoachingError as error:
                show_error(form, error)
            else:
                messages.success(request, _("The request was filed; see it on the matching page."))
                return redirect("academia:staff-requests")
    chosen = form["organisation"].value() if form.is_bound else None
    found = queries_academia.organisations_matching(q) if q else []
    return render(
        request,
        f"{STAFF}/requests.html",
        {
            "requests": queries_academia.staff_requests(
                status if status in RequestStatus.values else ""
            ),
            "statuses": RequestStatus.choices,
            "status": status,
            "organisations": found,
            "chosen": str(chosen or ""),
            "q": q,
            "form": form,
            "can_manage": can(request.user, "coaching.manage_partnerships"),
        },
        status=422 if form.is_bound else 200,
    )


@require_POST
@permission_required("coaching.manage_partnerships")
def request_close(request: HttpRequest, pk: int) -> HttpResponse:
    partnership_request = get_object_or_404(PartnershipRequest, pk=pk)
    try:
        academia.request_close(request=partnership_request, actor=request.user)
    except CoachingError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The request was closed."))
    return redirect("academia:staff-requests")


def _title_for(partnership_request: PartnershipRequest, theme: Any) -> str:
    organisation = partnership_request.organisation
    name = organisation.short_name or organisation.name
    return f"{theme.label} · {name}" if theme is not None else name


def _confirm_initial(partnership_request: PartnershipRequest, proposal: Any) -> dict[str, Any]:
    themes = proposal.shared_themes or list(partnership_request.themes.all())
    return {
        "academic": proposal.academic.pk,
        "reason": "; ".join(proposal.reasons),
        "title": _title_for(partnership_request, themes[0] if themes else None),
        "theme": themes[0].pk if themes else None,
        "province": partnership_request.province_id,
        "goals": partnership_request.needs,
        "starts_on": timezone.localdate(),
    }


def _with_forms(item: matching.RequestProposals) -> list[tuple[Any, ConfirmForm]]:
    return [
        (
            proposal,
            ConfirmForm(
                prefix=f"r{item.request.pk}-a{proposal.academic.pk}",
                initial=_confirm_initial(item.request, proposal),
            ),
        )
        for proposal in item.proposals
    ]


@permission_required("coaching.view_partnerships")
def matching_page(request: HttpRequest) -> HttpResponse:
    """Each open request with its proposed academics, the reasons, and a form to confirm."""
    entries = [
        {"request": item.request, "proposals": _with_forms(item)}
        for item in matching.proposals_for_all_open()
    ]
    return render(
        request,
        f"{STAFF}/matching.html",
        {"entries": entries, "can_manage": can(request.user, "coaching.manage_partnerships")},
    )


@require_POST
@permission_required("coaching.manage_partnerships")
def matching_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm one proposal of an open request; htmx swaps the request's card."""
    partnership_request = queries_academia.open_request(pk)
    academic_id = str(request.POST.get("academic_id") or "")
    prefix = f"r{pk}-a{academic_id}"
    form = ConfirmForm(request.POST, prefix=prefix)
    if form.is_valid():
        data = form.cleaned_data
        try:
            partnership = academia.partnership_confirm(
                request=partnership_request,
                academic=data["academic"],
                title=data["title"],
                theme=data["theme"],
                province=data["province"],
                goals=data["goals"],
                starts_on=data["starts_on"],
                reason=data["reason"],
                actor=request.user,
            )
        except CoachingError as error:
            show_error(form, error)
        else:
            if _is_htmx(request):
                return render(
                    request,
                    f"{STAFF}/matching.html#confirmed",
                    {"request_item": partnership_request, "partnership": partnership},
                )
            messages.success(
                request,
                _("The partnership “%(title)s” was confirmed.") % {"title": partnership.title},
            )
            return redirect("academia:staff-partnership", slug=partnership.slug)
    item = matching.proposals_for_all_open(requests=[partnership_request])[0]
    pairs = [
        (proposal, form if str(proposal.academic.pk) == academic_id else confirm)
        for proposal, confirm in _with_forms(item)
    ]
    if not any(pair[1] is form for pair in pairs):
        # The academic is no longer proposed (no longer available, say): show the form anyway.
        chosen = form.cleaned_data.get("academic") if hasattr(form, "cleaned_data") else None
        if isinstance(chosen, AcademicProfile):
            pairs.append((matching.Proposal(academic=chosen, score=0, reasons=[]), form))
    context = {
        "entry": {"request": partnership_request, "proposals": pairs},
        "can_manage": True,
    }
    if _is_htmx(request):
        return render(request, f"{STAFF}/matching.html#request-card", context, status=422)
    return render(
        request,
        f"{STAFF}/matching.html",
        {"entries": [context["entry"]], "can_manage": True},
        status=422,
    )


# Members ----------------------------------------------------------------------------------------


@permission_required("coaching.use")
def mine(request: HttpRequest) -> HttpResponse:
    """An academic's partnerships, and those of the organisations the member is an admin of."""
    return render(
        request,
        "coaching/academia/mine.html",
        {
            "as_academic": queries_academia.partnerships_of_academic(request.user),
            "as_organisation": queries_academia.partnerships_of_organisations(request.user),
        },
    )


@permission_required("coaching.use")
def my_partnership(request: HttpRequest, slug: str) -> HttpResponse:
    """One of the member's partnerships; the academic (or staff) records activities here."""
    partnership = queries_academia.partnership_for_member(slug)
    if not can(request.user, "coaching.view_partnership", partnership):
        raise Http404
    may_record = can(request.user, "coaching.record_partnership_activity", partnership)
    people = queries_academia.people_for_activity(partnership)
    form = ActivityForm(people=people, initial={"date": timezone.localdate()})
    status = 200
    if request.method == "POST":
        if not may_record:
            raise Http404
        form, saved = _activity_from(request, partnership, None)
        if saved is not None:
            messages.success(request, _("The activity was recorded."))
            return redirect("academia:my-partnership", slug=partnership.slug)
        status = 422
    return render(
        request,
        "coaching/academia/my_partnership.html",
        {
            "partnership": partnership,
            "activities": queries_academia.activities_of(partnership),
            "outputs": queries_academia.outputs_of(partnership),
            "form": form if may_record else None,
        },
        status=status,
    )


# Public -----------------------------------------------------------------------------------------


def public_list(request: HttpRequest) -> HttpResponse:
    themes, provinces = queries_academia.public_filter_choices()
    form = PartnershipFilterForm(
        request.GET or None, themes=themes, provinces=provinces, with_status=False
    )
    return render(
        request,
        "coaching/academia/public/list.html",
        {"form": form, "partnerships": queries_academia.public_partnerships(_filters(form))},
    )


def public_partnership(request: HttpRequest, slug: str) -> HttpResponse:
    return render(
        request,
        "coaching/academia/public/partnership.html",
        {
            "partnership": queries_academia.public_partnership(slug),
            "list_url": reverse("academia:list"),
        },
    )
