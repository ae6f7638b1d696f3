"""Staff pages of the school: cohorts, a cohort's page (modules, participants by
organisation), the attendance matrix, adding modules, enrolling by hand, withdrawing, and
graduation. Thin: each view parses a form, calls ``services`` and shows the result or the
problem next to the field."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaynak.core.errors import KaynakError
from kaynak.core.permissions import can, permission_required
from kaynak.programmes import staff_queries as programmes_staff_queries
from kaynak.school import certificates, queries, services
from kaynak.school.forms import CohortForm, EnrolForm, ModuleForm, ReasonForm
from kaynak.school.models import Graduation
from kaynak.school.progress import Verdict, cohort_progress


@permission_required("school.view_cohorts")
def cohort_list(request: HttpRequest) -> HttpResponse:
    return render(request, "school/staff/cohorts.html", {"cohorts": queries.staff_cohorts()})


@permission_required("school.manage_cohorts")
def cohort_new(request: HttpRequest) -> HttpResponse:
    form = CohortForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            cohort = services.cohort_create(actor=request.user, **data)
        except KaynakError as refused:
            form.add_error(None, str(refused.message))
        else:
            return redirect("school:staff-cohort", slug=cohort.slug)
    return render(request, "school/staff/cohort_form.html", {"form": form})


@permission_required("school.view_cohorts")
def cohort_page(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = queries.cohort_for_staff(slug)
    board = cohort_progress(cohort)
    return render(
        request,
        "school/staff/cohort.html",
        {
            "cohort": cohort,
            "board": board,
            "withdrawn": queries.withdrawn_participants(cohort),
            "may_manage": can(request.user, "school.manage_cohorts"),
            "verdicts": [(v, board.count(v)) for v in Verdict],
        },
    )


@permission_required("school.view_cohorts")
def attendance_matrix(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = queries.cohort_for_staff(slug)
    return render(
        request, "school/staff/matrix.html", {"cohort": cohort, "board": cohort_progress(cohort)}
    )


@permission_required("school.manage_cohorts")
def module_new(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = queries.cohort_for_staff(slug)
    form = ModuleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.module_add(
                cohort=cohort,
                actor=request.user,
                activity=data["activity"],
                title=data["title"] or "",
                province=data["province"],
                venue=data["venue"] or "",
                first_day=data["first_day"],
                days=data["days"],
                starts=data["starts"],
                ends=data["ends"],
            )
        except KaynakError as refused:
            form.add_error(None, str(refused.message))
        else:
            messages.success(request, _("The module was added; the participants are registered."))
            return redirect("school:staff-cohort", slug=cohort.slug)
    return render(request, "school/staff/module_form.html", {"cohort": cohort, "form": form})


@permission_required("school.manage_cohorts")
def enrol(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = queries.cohort_for_staff(slug)
    q = request.GET.get("q", "")[:200]
    form = EnrolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            participant = services.enrol(
                cohort=cohort,
                person=form.cleaned_data["person"],
                organisation=form.cleaned_data["organisation"],
                actor=request.user,
            )
        except KaynakError as refused:
            form.add_error(None, str(refused.message))
        else:
            messages.success(
                request,
                _("%(name)s joined the cohort.") % {"name": participant.person.full_name},
            )
            return redirect("school:staff-cohort", slug=cohort.slug)
    return render(
        request,
        "school/staff/enrol.html",
        {
            "cohort": cohort,
            "form": form,
            "q": q,
            "people": programmes_staff_queries.people_to_register(q),
        },
    )


@permission_required("school.manage_cohorts")
def withdraw(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    cohort = queries.cohort_for_staff(slug)
    participant = queries.participant_for_staff(cohort, pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw(
                participant=participant, reason=form.cleaned_data["reason"], actor=request.user
            )
        except KaynakError as refused:
            form.add_error("reason", str(refused.message))
        else:
            messages.success(
                request,
                _("%(name)s left the cohort.") % {"name": participant.person.full_name},
            )
            return redirect("school:staff-cohort", slug=cohort.slug)
    return render(
        request,
        "school/staff/withdraw.html",
        {"cohort": cohort, "participant": participant, "form": form},
    )


@require_POST
@permission_required("school.manage_cohorts")
def graduate(request: HttpRequest, slug: str) -> HttpResponse:
    cohort = queries.cohort_for_staff(slug)
    run = services.graduate(cohort=cohort, actor=request.user)
    return render(request, "school/staff/graduation_result.html", {"cohort": cohort, "run": run})


@permission_required("school.manage_cohorts")
def revoke(request: HttpRequest, code: str) -> HttpResponse:
    graduation = queries.graduation_for_staff(code)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.revoke(
                graduation=graduation, reason=form.cleaned_data["reason"], actor=request.user
            )
        except KaynakError as refused:
            form.add_error("reason", str(refused.message))
        else:
            messages.success(request, _("The graduation certificate was revoked."))
            return redirect("school:staff-cohort", slug=graduation.participant.cohort.slug)
    return render(request, "school/staff/revoke.html", {"graduation": graduation, "form": form})


@permission_required("school.view_cohorts")
def graduation_pdf(request: HttpRequest, code: str) -> HttpResponse:
    graduation = queries.graduation_for_staff(code)
    return _pdf(graduation)


def _pdf(graduation: Graduation) -> HttpResponse:
    response = HttpResponse(
        certificates.render_graduation_pdf(graduation), content_type="application/pdf"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{certificates.pdf_filename(graduation)}"'
    )
    return response
