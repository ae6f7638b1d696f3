"""Pages of coaching engagements: the staff list, rounds, opening one by hand, the engagement's
page (header, plan progress, score change, the action plan edited inline with htmx, sessions),
"my engagements" for coaches and NGO admins, and the plan's PDF and XLSX.

Thin: each view parses a form, calls ``kaynak.coaching.engagements`` (the services) or
``queries_engagements``, and shows the result or the problem next to the field.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_POST

from kaynak.coaching import engagements as services
from kaynak.coaching import exports_engagements as exports
from kaynak.coaching import outcomes
from kaynak.coaching import queries_engagements as queries
from kaynak.coaching.errors import CoachingError, show_error
from kaynak.coaching.forms_engagements import (
    ActionForm,
    EngagementEditForm,
    EngagementFilterForm,
    EngagementOpenForm,
    RoundForm,
    SessionForm,
    action_initial,
    engagement_initial,
    session_initial,
)
from kaynak.coaching.models import (
    Action,
    AssessmentKind,
    AssessmentStage,
    CoachingSession,
    Engagement,
)
from kaynak.core.permissions import can, permission_required

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _engagement(request: HttpRequest, code: str, *, coaching: bool = False) -> Engagement:
    """The engagement the user may see (404 otherwise); ``coaching``: may also work on it."""
    engagement = queries.engagement_for_user(request.user, code)
    if coaching and not can(request.user, "coaching.coach_engagement", engagement):
        raise Http404
    return engagement


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _with_progress(engagements: Iterable[Engagement]) -> list[Any]:
    """The engagements of a list, each with its ``progress`` and ``hours``."""
    found: list[Any] = list(engagements)
    for engagement in found:
        engagement.progress = outcomes.progress_from_counts(
            engagement.actions_total, engagement.actions_done, engagement.actions_dropped
        )
        engagement.hours = Decimal(engagement.session_minutes) / 60
    return found


# Staff ------------------------------------------------------------------------------------------


@permission_required("coaching.view_staff")
def staff_list(request: HttpRequest) -> HttpResponse:
    form = EngagementFilterForm(request.GET)
    if not can(request.user, "coaching.export"):
        # A coach sees only their own engagements: no list of the other coaches.
        del form.fields["coach"]
    found = _with_progress(queries.staff_engagements(request.user, form.filters()))
    query = request.GET.urlencode()
    context = {"form": form, "engagements": found, "query": query}
    template = "coaching/engagements/staff_list.html"
    if _is_htmx(request):
        template += "#results"
    return render(request, template, context)


@permission_required("coaching.export")
def staff_xlsx(request: HttpRequest) -> HttpResponse:
    found = queries.staff_engagements(request.user, EngagementFilterForm(request.GET).filters())
    content = exports.engagements_xlsx(engagements=found, actor=request.user)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="mentorluk-surecleri.xlsx"'
    return response


@permission_required("coaching.view_staff")
def staff_rounds(request: HttpRequest) -> HttpResponse:
    may_manage = can(request.user, "coaching.manage_coaching")
    form = RoundForm(request.POST or None) if may_manage else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                round_ = services.round_create(actor=request.user, **data)
            except CoachingError as error:
                show_error(form, error)
            else:
                messages.success(
                    request, _("The round %(name)s was created.") % {"name": round_.name}
                )
                return redirect("coaching:staff-rounds")
    context = {"rounds": queries.rounds(), "form": form}
    return render(request, "coaching/engagements/staff_rounds.html", context)


@permission_required("coaching.manage_coaching")
def staff_new(request: HttpRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()
    candidates = queries.organisations_matching(q) if q else []
    if request.method == "POST":
        form = EngagementOpenForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                engagement = services.engagement_open(actor=request.user, **data)
            except CoachingError as error:
                show_error(form, error)
            else:
                messages.success(request, _("The coaching engagement was opened."))
                return redirect("coaching:engagement", engagement.code)
    else:
        form = EngagementOpenForm(candidates=candidates)
    context = {"form": form, "q": q, "candidates": candidates}
    return render(request, "coaching/engagements/staff_new.html", context)


# The engagement's page --------------------------------------------------------------------------


def _assessment_link(assessment_pk: int) -> str:
    try:
        return reverse("coaching:assessment", args=[assessment_pk])
    except NoReverseMatch:
        return ""


def _start_links(engagement: Engagement, user: Any) -> list[tuple[str, str]]:
    """Buttons to start the baseline and final assessments the user may make."""
    try:
        base = reverse("coaching:assessment-new")
    except NoReverseMatch:
        return []
    kinds = []
    if can(user, "coaching.coach_engagement", engagement):
        kinds.append(AssessmentKind.COACH)
    if can(user, "coaching.self_assess", engagement.organisation):
        kinds.append(AssessmentKind.SELF)
    labels = {
        (AssessmentStage.BASELINE, AssessmentKind.COACH): _(
            "Start the coach's baseline assessment"
        ),
        (AssessmentStage.FINAL, AssessmentKind.COACH): _("Start the coach's final assessment"),
        (AssessmentStage.BASELINE, AssessmentKind.SELF): _("Start the baseline self-assessment"),
        (AssessmentStage.FINAL, AssessmentKind.SELF): _("Start the final self-assessment"),
    }
    links = []
    for stage in (AssessmentStage.BASELINE, AssessmentStage.FINAL):
        for kind in kinds:
            query = urlencode(
                {
                    "organisation": str(engagement.organisation_id),
                    "engagement": str(engagement.pk),
                    "stage": stage.value,
                    "kind": kind.value,
                }
            )
            label = labels[(stage, kind)]
            links.append((f"{base}?{query}", label))
    return links


def _chart(changes: list[Any]) -> str:
    """Part A's radar chart of the baseline and the final (a radar needs three axes)."""
    if len(changes) < 3:
        return ""
    from kaynak.coaching.charts import radar_chart

    return radar_chart(
        axes=[(c.key, c.name) for c in changes],
        series=[
            (_("Baseline"), {c.key: c.before for c in changes}),
            (pgettext("coaching", "Final"), {c.key: c.after for c in changes}),
        ],
    )


def _plan_context(
    request: HttpRequest,
    engagement: Engagement,
    *,
    add_form: ActionForm | None = None,
    editing: Action | None = None,
    edit_form: ActionForm | None = None,
) -> dict[str, Any]:
    actions = list(queries.plan_of(engagement))
    by_dimension: dict[int, list[Action]] = defaultdict(list)
    for action in actions:
        by_dimension[action.dimension_id].append(action)
    dimensions = []
    for dimension in engagement.instrument.dimensions.order_by("position", "pk"):
        rows = by_dimension.get(dimension.pk, [])
        done = sum(1 for a in rows if a.status == "done")
        dropped = sum(1 for a in rows if a.status == "dropped")
        dimensions.append(
            {
                "dimension": dimension,
                "actions": rows,
                "progress": outcomes.progress_from_counts(len(rows), done, dropped),
            }
        )
    may_coach = can(request.user, "coaching.coach_engagement", engagement)
    if may_coach and add_form is None:
        add_form = ActionForm(engagement=engagement)
    return {
        "engagement": engagement,
        "plan": dimensions,
        "may_coach": may_coach,
        "add_form": add_form,
        "editing": editing,
        "edit_form": edit_form,
    }


def _page(request: HttpRequest, engagement: Engagement, **plan: Any) -> HttpResponse:
    changes = outcomes.engagement_change(engagement)
    assessments = list(queries.assessments_of(engagement))
    context = {
        **_plan_context(request, engagement, **plan),
        "progress": outcomes.plan_progress(engagement),
        "changes": changes,
        "chart": _chart(changes),
        "assessments": [(a, _assessment_link(a.pk)) for a in assessments],
        "start_links": _start_links(engagement, request.user),
        "sessions": list(queries.sessions_of(engagement)),
        "may_see_coach_notes": can(request.user, "coaching.view_coach_notes", engagement),
        "may_edit": can(request.user, "coaching.coach_engagement", engagement),
    }
    return render(request, "coaching/engagements/engagement.html", context)


@login_required
def engagement_page(request: HttpRequest, code: str) -> HttpResponse:
    return _page(request, _engagement(request, code))


@login_required
def engagement_edit(request: HttpRequest, code: str) -> HttpResponse:
    engagement = _engagement(request, code, coaching=True)
    may_assign = can(request.user, "coaching.manage_coaching")
    form = EngagementEditForm(request.POST or None, initial=engagement_initial(engagement))
    if not may_assign:
        form.fields["coach"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.engagement_update(
                engagement=engagement,
                coach=data["coach"] if may_assign else engagement.coach,
                starts_on=data["starts_on"],
                ends_on=data["ends_on"],
                goals=data["goals"],
                status=data["status"],
                closing_note=data["closing_note"],
                actor=request.user,
            )
        except CoachingError as error:
            show_error(form, error)
        else:
            messages.success(request, _("The engagement was saved."))
            return redirect("coaching:engagement", engagement.code)
    context = {"engagement": engagement, "form": form}
    return render(request, "coaching/engagements/engagement_form.html", context)


# The action plan (htmx: the plan partial comes back) --------------------------------------------


def _plan_response(request: HttpRequest, engagement: Engagement, **plan: Any) -> HttpResponse:
    if _is_htmx(request):
        return render(
            request,
            "coaching/engagements/partials/plan.html",
            _plan_context(request, engagement, **plan),
        )
    return _page(request, engagement, **plan)


def _action(engagement: Engagement, pk: int) -> Action:
    action = engagement.actions.filter(pk=pk).select_related("engagement").first()
    if action is None:
        raise Http404
    return action


@login_required
@require_POST
def action_new(request: HttpRequest, code: str) -> HttpResponse:
    engagement = _engagement(request, code, coaching=True)
    form = ActionForm(request.POST, engagement=engagement)
    if form.is_valid():
        try:
            services.action_add(engagement=engagement, actor=request.user, **form.cleaned_data)
        except CoachingError as error:
            show_error(form, error)
        else:
            if not _is_htmx(request):
                return redirect("coaching:engagement", engagement.code)
            return _plan_response(request, engagement)
    return _plan_response(request, engagement, add_form=form)


@login_required
def action_edit(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    engagement = _engagement(request, code, coaching=True)
    action = _action(engagement, pk)
    if request.method != "POST":
        form = ActionForm(initial=action_initial(action), engagement=engagement)
        return _plan_response(request, engagement, editing=action, edit_form=form)
    form = ActionForm(request.POST, engagement=engagement)
    if form.is_valid():
        try:
            services.action_update(action=action, actor=request.user, **form.cleaned_data)
        except CoachingError as error:
            show_error(form, error)
        else:
            if not _is_htmx(request):
                return redirect("coaching:engagement", engagement.code)
            return _plan_response(request, engagement)
    return _plan_response(request, engagement, editing=action, edit_form=form)


@login_required
@require_POST
def action_delete(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    engagement = _engagement(request, code, coaching=True)
    services.action_delete(action=_action(engagement, pk), actor=request.user)
    if not _is_htmx(request):
        return redirect("coaching:engagement", engagement.code)
    return _plan_response(request, engagement)


# Sessions ---------------------------------------------------------------------------------------


def _session(engagement: Engagement, pk: int) -> CoachingSession:
    session = engagement.sessions.filter(pk=pk).select_related("engagement").first()
    if session is None:
        raise Http404
    return session


@login_required
def session_form(request: HttpRequest, code: str, pk: int | None = None) -> HttpResponse:
    """Log a session (``pk`` None) or change one."""
    engagement = _engagement(request, code, coaching=True)
    session = _session(engagement, pk) if pk is not None else None
    initial = session_initial(session) if session else {"date": timezone.localdate()}
    form = SessionForm(request.POST or None, initial=initial, engagement=engagement)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {
            "starts_at": form.starts_at(),
            "minutes": data["minutes"],
            "mode": data["mode"],
            "participants": list(data["participants"]),
            "coach_notes": data["coach_notes"],
            "shared_notes": data["shared_notes"],
            "follow_ups": data["follow_ups"],
            "actor": request.user,
        }
        try:
            if session is None:
                services.session_log(engagement=engagement, **fields)
            else:
                services.session_update(session=session, **fields)
        except CoachingError as error:
            show_error(form, error)
        else:
            messages.success(request, _("The session was saved."))
            return redirect("coaching:engagement", engagement.code)
    context = {"engagement": engagement, "session": session, "form": form}
    return render(request, "coaching/engagements/session_form.html", context)


@login_required
@require_POST
def session_delete(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    engagement = _engagement(request, code, coaching=True)
    services.session_delete(session=_session(engagement, pk), actor=request.user)
    messages.success(request, _("The session was deleted; its service deliveries were withdrawn."))
    return redirect("coaching:engagement", engagement.code)


# Mine and exports -------------------------------------------------------------------------------


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    found = _with_progress(queries.my_engagements(request.user))
    return render(request, "coaching/engagements/mine.html", {"engagements": found})


@login_required
def plan_pdf(request: HttpRequest, code: str) -> HttpResponse:
    engagement = _engagement(request, code)
    response = HttpResponse(exports.plan_pdf(engagement), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="eylem-plani-{engagement.code}.pdf"'
    return response


@login_required
def plan_xlsx(request: HttpRequest, code: str) -> HttpResponse:
    engagement = _engagement(request, code)
    response = HttpResponse(exports.plan_xlsx(engagement), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="eylem-plani-{engagement.code}.xlsx"'
    return response
