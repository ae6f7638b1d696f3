"""Staff pages of review and decisions: a call's applications (the score sheet), one
application (answers, reviews, reviewers, decision), the rubric, assigning reviewers, the
ranking with bulk decisions, the decision e-mails and sending them, and the XLSX export.

Thin: each view parses the form, calls ``reviewing``, ``decisions`` or ``exports``, and shows
the result or the problem next to the field that caused it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from kaynak.calls import decisions, exports, reviewing
from kaynak.calls.errors import CallError
from kaynak.calls.models import (
    DECISIONS,
    Application,
    ApplicationStatus,
    Call,
    Criterion,
    DecisionTemplate,
    Review,
    ReviewAssignment,
)
from kaynak.calls.review_forms import (
    AssignForm,
    BalancedForm,
    BulkDecisionForm,
    CriterionForm,
    DecisionForm,
    DecisionTemplateForm,
    StatusFilterForm,
)
from kaynak.calls.views.review import application_sheet, file_response
from kaynak.core.audit import history_for
from kaynak.core.permissions import can, permission_required, require

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
LANGUAGES = [("tr", "Türkçe"), ("en", "English")]


def _call(slug: str) -> Call:
    call = Call.objects.select_related("programme").filter(slug=slug).first()
    if call is None:
        raise Http404
    return call


def _application(call: Call, code: str) -> Application:
    application = (
        Application.objects.filter(call=call, code=code)
        .exclude(status=ApplicationStatus.DRAFT)
        .select_related("call", "organisation__province", "person", "user", "decided_by")
        .first()
    )
    if application is None:
        raise Http404
    return application


# The score sheet -----------------------------------------------------------------------------


@permission_required("calls.view_applications")
def applications(request: HttpRequest, slug: str) -> HttpResponse:
    call = _call(slug)
    statuses = [(s.value, s.label) for s in ApplicationStatus if s != ApplicationStatus.DRAFT]
    filters = StatusFilterForm(request.GET or None, statuses=statuses)
    status = filters.cleaned_data["status"] if filters.is_valid() else ""
    rows = list(reviewing.staff_applications(call, status=status))
    for row in rows:
        row.spread = reviewing.spread_of(row)  # type: ignore[attr-defined]
    template = "calls/review/applications.html"
    htmx = getattr(request, "htmx", None)
    return render(
        request,
        f"{template}#results" if htmx and not htmx.history_restore_request else template,
        {"call": call, "rows": rows, "filters": filters, "status": status},
    )


def _application_page(
    request: HttpRequest,
    call: Call,
    application: Application,
    *,
    assign_form: AssignForm | None = None,
    decision_form: DecisionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    sheet = application_sheet(
        application,
        blind=False,
        file_url=lambda key: reverse(
            "calls:staff-application-file", args=[call.slug, application.code, key]
        ),
    )
    return render(
        request,
        "calls/review/application.html",
        {
            "call": call,
            "application": application,
            "criteria": list(call.criteria.order_by("position", "pk")),
            "assignments": reviewing.reviews_of(application),
            "conflicts": list(reviewing.conflicts_for(application)),
            "assign_form": assign_form or AssignForm(),
            "decision_form": decision_form
            or DecisionForm(
                initial={
                    "decision": application.status if application.is_decided else "",
                    "reason": application.decision_reason,
                }
            ),
            "public_status": decisions.public_status_label(application),
            "history": history_for(application)[:30],
            **sheet,
        },
        status=status,
    )


@permission_required("calls.view_applications")
def application_page(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    call = _call(slug)
    return _application_page(request, call, _application(call, code))


@permission_required("calls.view_applications")
def application_file(request: HttpRequest, slug: str, code: str, key: str) -> FileResponse:
    call = _call(slug)
    return file_response(_application(call, code), key, blind=False)


@require_POST
@permission_required("calls.assign_reviewers")
def application_assign(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    call = _call(slug)
    application = _application(call, code)
    form = AssignForm(request.POST)
    if form.is_valid():
        try:
            reviewing.assign(
                application=application, reviewer=form.cleaned_data["reviewer"], actor=request.user
            )
        except CallError as refused:
            form.add_error("reviewer", str(refused.message))
    if not form.is_valid():
        return _application_page(request, call, application, assign_form=form, status=400)
    messages.success(request, _("The reviewer is assigned."))
    return redirect("calls:staff-application", slug=slug, code=code)


@require_POST
@permission_required("calls.assign_reviewers")
def application_unassign(request: HttpRequest, slug: str, code: str, pk: int) -> HttpResponse:
    call = _call(slug)
    application = _application(call, code)
    assignment = ReviewAssignment.objects.filter(application=application, pk=pk).first()
    if assignment is None:
        raise Http404
    try:
        reviewing.unassign(assignment=assignment, actor=request.user)
    except CallError as refused:
        messages.error(request, str(refused.message))
    else:
        messages.success(request, _("The reviewer is taken off this application."))
    return redirect("calls:staff-application", slug=slug, code=code)


@require_POST
@permission_required("calls.assign_reviewers")
def review_reopen(request: HttpRequest, slug: str, code: str, pk: int) -> HttpResponse:
    call = _call(slug)
    application = _application(call, code)
    review = Review.objects.filter(assignment__application=application, pk=pk).first()
    if review is None:
        raise Http404
    reviewing.reopen_review(review=review, actor=request.user)
    messages.success(request, _("The review is open again for its reviewer to change."))
    return redirect("calls:staff-application", slug=slug, code=code)


@require_POST
@permission_required("calls.decide")
def application_decide(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    call = _call(slug)
    application = _application(call, code)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            decisions.decide(
                application=application,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except CallError as refused:
            form.add_error("decision", str(refused.message))
    if not form.is_valid():
        return _application_page(request, call, application, decision_form=form, status=400)
    messages.success(
        request,
        _("The decision is recorded. The applicant is told when you send the e-mails."),
    )
    return redirect("calls:staff-application", slug=slug, code=code)


# The rubric ----------------------------------------------------------------------------------


def _rubric_page(
    request: HttpRequest,
    call: Call,
    form: CriterionForm | None = None,
    editing: Criterion | None = None,
    status: int = 200,
) -> HttpResponse:
    criteria = list(call.criteria.order_by("position", "pk"))
    submitted = Review.objects.filter(
        assignment__application__call=call, submitted_at__isnull=False
    ).count()
    return render(
        request,
        "calls/review/rubric.html",
        {
            "call": call,
            "criteria": criteria,
            "form": form or CriterionForm(),
            "editing": editing,
            "locked": submitted,
            "may_edit": can(request.user, "calls.manage_calls") and not submitted,
        },
        status=status,
    )


def _criterion_values(form: CriterionForm) -> dict[str, Any]:
    return {
        key: form.cleaned_data[key]
        for key in ("name", "name_en", "description", "description_en", "weight")
    }


@permission_required("calls.view_applications")
def rubric(request: HttpRequest, slug: str) -> HttpResponse:
    call = _call(slug)
    if request.method != "POST":
        return _rubric_page(request, call)
    require(request.user, "calls.manage_calls")
    form = CriterionForm(request.POST)
    if form.is_valid():
        try:
            reviewing.criterion_add(call=call, actor=request.user, **_criterion_values(form))
        except CallError as refused:
            form.add_error("weight" if refused.code == "weight" else None, str(refused.message))
    if not form.is_valid():
        return _rubric_page(request, call, form, status=400)
    messages.success(request, _("The criterion is added."))
    return redirect("calls:staff-rubric", slug=slug)


def _criterion(call: Call, pk: int) -> Criterion:
    criterion = Criterion.objects.filter(call=call, pk=pk).select_related("call").first()
    if criterion is None:
        raise Http404
    return criterion


@permission_required("calls.manage_calls")
def rubric_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    call = _call(slug)
    criterion = _criterion(call, pk)
    if request.method != "POST":
        return _rubric_page(request, call, CriterionForm.for_criterion(criterion), criterion)
    form = CriterionForm(request.POST)
    if form.is_valid():
        try:
            reviewing.criterion_update(
                criterion=criterion, actor=request.user, **_criterion_values(form)
            )
        except CallError as refused:
            form.add_error("weight" if refused.code == "weight" else None, str(refused.message))
    if not form.is_valid():
        return _rubric_page(request, call, form, criterion, status=400)
    messages.success(request, _("The criterion is saved."))
    return redirect("calls:staff-rubric", slug=slug)


@require_POST
@permission_required("calls.manage_calls")
def rubric_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    call = _call(slug)
    try:
        reviewing.criterion_delete(criterion=_criterion(call, pk), actor=request.user)
    except CallError as refused:
        messages.error(request, str(refused.message))
    else:
        messages.success(request, _("The criterion is removed."))
    return redirect("calls:staff-rubric", slug=slug)


@require_POST
@permission_required("calls.manage_calls")
def rubric_move(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    call = _call(slug)
    try:
        reviewing.criterion_move(
            criterion=_criterion(call, pk), up=request.POST.get("to") == "up", actor=request.user
        )
    except CallError as refused:
        messages.error(request, str(refused.message))
    return redirect("calls:staff-rubric", slug=slug)


# Reviewers -----------------------------------------------------------------------------------


@permission_required("calls.view_applications")
def reviewers(request: HttpRequest, slug: str) -> HttpResponse:
    call = _call(slug)
    form = BalancedForm(request.POST or None)
    status = 200
    if request.method == "POST":
        require(request.user, "calls.assign_reviewers")
        if form.is_valid():
            try:
                result = reviewing.assign_balanced(
                    call=call, reviewers=list(form.cleaned_data["reviewers"]), actor=request.user
                )
            except CallError as refused:
                form.add_error("reviewers", str(refused.message))
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)d assignment made.",
                        "%(count)d assignments made.",
                        len(result.created),
                    )
                    % {"count": len(result.created)},
                )
                if result.short:
                    messages.warning(
                        request,
                        _(
                            "These applications still need reviewers (everyone chosen has a "
                            "conflict or is already on them): %(codes)s"
                        )
                        % {"codes": ", ".join(a.code for a in result.short)},
                    )
                return redirect("calls:staff-reviewers", slug=slug)
        status = 400
    return render(
        request,
        "calls/review/reviewers.html",
        {
            "call": call,
            "form": form,
            "load": reviewing.review_load(call),
            "conflicts": call.conflicts.select_related("reviewer", "organisation").order_by(
                "-declared_at"
            ),
        },
        status=status,
    )


# Ranking and decisions -----------------------------------------------------------------------


def _judged(call: Call) -> Any:
    return Application.objects.filter(call=call, status__in=reviewing.JUDGED_STATUSES)


def _ranking_page(
    request: HttpRequest, call: Call, form: BulkDecisionForm | None = None, status: int = 200
) -> HttpResponse:
    criteria, rows = reviewing.ranking(call)
    return render(
        request,
        "calls/review/ranking.html",
        {
            "call": call,
            "criteria": criteria,
            "rows": rows,
            "form": form or BulkDecisionForm(applications=_judged(call)),
            "chosen": set(request.POST.getlist("applications")),
        },
        status=status,
    )


@permission_required("calls.view_applications")
def ranking(request: HttpRequest, slug: str) -> HttpResponse:
    return _ranking_page(request, _call(slug))


@require_POST
@permission_required("calls.decide")
def decide_bulk(request: HttpRequest, slug: str) -> HttpResponse:
    call = _call(slug)
    form = BulkDecisionForm(request.POST, applications=_judged(call))
    if form.is_valid():
        try:
            decided = decisions.decide_many(
                applications=list(form.cleaned_data["applications"]),
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except CallError as refused:
            form.add_error(None, str(refused.message))
    if not form.is_valid():
        return _ranking_page(request, call, form, status=400)
    messages.success(
        request,
        ngettext("%(count)d application decided.", "%(count)d applications decided.", len(decided))
        % {"count": len(decided)},
    )
    return redirect("calls:staff-ranking", slug=slug)


@permission_required("calls.view_applications")
def decision_templates(request: HttpRequest, slug: str) -> HttpResponse:
    call = _call(slug)
    saved = {(t.decision, t.language) for t in call.decision_templates.all()}
    rows = [
        {
            "decision": decision,
            "languages": [
                {
                    "code": code,
                    "name": name,
                    "template": decisions.decision_template(call, decision, code),
                    "custom": (decision.value, code) in saved,
                }
                for code, name in LANGUAGES
            ],
        }
        for decision in DECISIONS
    ]
    return render(
        request,
        "calls/review/decisions.html",
        {
            "call": call,
            "rows": rows,
            "pending": list(decisions.to_notify(call).select_related("organisation")),
            "variables": decisions.TEMPLATE_VARIABLES,
        },
    )


@permission_required("calls.view_applications")
def decision_template(
    request: HttpRequest, slug: str, decision: str, language: str
) -> HttpResponse:
    call = _call(slug)
    if decision not in DECISIONS or language not in dict(LANGUAGES):
        raise Http404
    template = decisions.decision_template(call, decision, language)
    form = DecisionTemplateForm(
        request.POST or None, initial={"subject": template.subject, "body": template.body}
    )
    status = 200
    if request.method == "POST":
        require(request.user, "calls.manage_calls")
        if form.is_valid():
            try:
                decisions.template_save(
                    call=call,
                    decision=decision,
                    language=language,
                    subject=form.cleaned_data["subject"],
                    body=form.cleaned_data["body"],
                    actor=request.user,
                )
            except CallError as refused:
                form.add_error(
                    refused.code if refused.code in ("subject", "body") else None,
                    str(refused.message),
                )
            else:
                messages.success(request, _("The e-mail is saved."))
                return redirect(
                    "calls:staff-decision-template", slug=slug, decision=decision, language=language
                )
        status = 400
    # The preview fills in a real application: one with this decision, else any judged one.
    sample = (
        _judged(call)
        .filter(status=decision)
        .select_related("organisation", "person", "call")
        .first()
        or _judged(call).select_related("organisation", "person", "call").first()
    )
    preview = None
    if sample is not None:
        shown = DecisionTemplate(call=call, decision=decision, language=language)
        shown.subject, shown.body = template.subject, template.body
        if form.is_bound and form.is_valid():
            shown.subject, shown.body = form.cleaned_data["subject"], form.cleaned_data["body"]
        preview = decisions.render_decision(sample, shown)
    return render(
        request,
        "calls/review/decision_template.html",
        {
            "call": call,
            "decision": ApplicationStatus(decision),
            "language": dict(LANGUAGES)[language],
            "form": form,
            "sample": sample,
            "preview": preview,
            "variables": decisions.TEMPLATE_VARIABLES,
        },
        status=status,
    )


@require_POST
@permission_required("calls.decide")
def decisions_notify(request: HttpRequest, slug: str) -> HttpResponse:
    call = _call(slug)
    count = decisions.notify(call=call, actor=request.user)
    if count:
        messages.success(
            request,
            ngettext(
                "%(count)d e-mail is on its way.", "%(count)d e-mails are on their way.", count
            )
            % {"count": count},
        )
    else:
        messages.info(request, _("Every decided applicant has already been told."))
    return redirect("calls:staff-decisions", slug=slug)


@permission_required("calls.export_applications")
def export(request: HttpRequest, slug: str) -> HttpResponse:
    call = _call(slug)
    response = HttpResponse(
        exports.applications_xlsx(call=call, actor=request.user), content_type=XLSX
    )
    response["Content-Disposition"] = f'attachment; filename="{call.slug}-applications.xlsx"'
    return response
