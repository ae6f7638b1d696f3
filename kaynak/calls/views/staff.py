"""Staff pages that build calls: the list of calls, a new call, a call's page with its form
builder (questions in order, moved with htmx), its settings, publish / unpublish, copy to next
year and a preview of the form as applicants see it.

Thin: each view reads a form, calls ``building`` and shows the result, or the problem next to
the field that caused it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaynak.calls import building, queries
from kaynak.calls.errors import CallError
from kaynak.calls.models import Call, Question, QuestionKind
from kaynak.calls.staff_forms import CallForm, CopyForm, MoveForm, QuestionForm
from kaynak.core.audit import history_for
from kaynak.core.permissions import can, permission_required

# A service's error code that is not the name of the form's field.
FIELD_OF_CODE = {"show_if": "show_when", "show_if_values": "show_when"}


def _is_htmx(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.history_restore_request


def _call(slug: str) -> Call:
    try:
        return queries.call_for_staff(slug)
    except Call.DoesNotExist:
        raise Http404 from None


def _question(call: Call, pk: int) -> Question:
    try:
        return call.questions.select_related("call").get(pk=pk)
    except Question.DoesNotExist:
        raise Http404 from None


def _show_error(form: Any, exc: CallError) -> None:
    """The service's message next to the field it names (or above the form)."""
    field = FIELD_OF_CODE.get(exc.code, exc.code)
    form.add_error(field if field in form.fields else None, str(exc.message))


# The list and a new call ------------------------------------------------------------------------


@permission_required("calls.view_staff")
def call_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "calls/staff/call_list.html",
        {
            "calls": list(queries.staff_calls()),
            "may_manage": can(request.user, "calls.manage_calls"),
        },
    )


def _save_call(request: HttpRequest, form: CallForm, call: Call | None) -> Call | None:
    values = form.values()
    eligibility = {
        "applicant_types": values.pop("applicant_types"),
        "provinces": values.pop("provinces"),
    }
    try:
        if call is None:
            return building.call_create(
                by=request.user,
                programme=form.cleaned_data["programme"],
                title=values.pop("title"),
                opens_at=values.pop("opens_at"),
                closes_at=values.pop("closes_at"),
                **eligibility,
                **values,
            )
        if not values.get("slug"):
            values["slug"] = call.slug
        return building.call_update(
            call=call,
            by=request.user,
            programme=form.cleaned_data["programme"],
            **eligibility,
            **values,
        )
    except CallError as exc:
        _show_error(form, exc)
        return None


@permission_required("calls.manage_calls")
def call_new(request: HttpRequest) -> HttpResponse:
    form = CallForm(request.POST or None, instance=Call())
    if request.method == "POST" and form.is_valid():
        call = _save_call(request, form, None)
        if call is not None:
            messages.success(request, _("The call is saved as a draft. Now add its questions."))
            return redirect("calls:staff-call", slug=call.slug)
    return render(
        request,
        "calls/staff/call_form.html",
        {"form": form, "call": None},
        status=400 if form.is_bound else 200,
    )


# A call -----------------------------------------------------------------------------------------


def _questions_context(request: HttpRequest, call: Call) -> dict[str, Any]:
    return {
        "call": call,
        "questions": list(queries.form_questions(call)),
        "may_manage": can(request.user, "calls.manage_calls"),
        "submitted": building.has_submissions(call),
    }


@permission_required("calls.view_staff")
def call_page(request: HttpRequest, slug: str) -> HttpResponse:
    call = _call(slug)
    context = {
        **_questions_context(request, call),
        "kinds": QuestionKind.choices,
        "is_open": call.is_open(),
        "history": history_for(call)[:20],
        "now": timezone.now(),
    }
    return render(request, "calls/staff/call_page.html", context)


@permission_required("calls.manage_calls")
def call_settings(request: HttpRequest, slug: str) -> HttpResponse:
    call = _call(slug)
    form = CallForm(request.POST or None, instance=call)
    if request.method == "POST" and form.is_valid():
        saved = _save_call(request, form, _call(slug))
        if saved is not None:
            messages.success(request, _("The call is saved."))
            return redirect("calls:staff-call", slug=saved.slug)
    return render(
        request,
        "calls/staff/call_form.html",
        {"form": form, "call": _call(slug)},
        status=400 if form.is_bound else 200,
    )


@require_POST
@permission_required("calls.manage_calls")
def call_publish(request: HttpRequest, slug: str) -> HttpResponse:
    call = _call(slug)
    try:
        building.call_publish(call=call, by=request.user)
    except CallError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The call is published."))
    return redirect("calls:staff-call", slug=call.slug)


@require_POST
@permission_required("calls.manage_calls")
def call_unpublish(request: HttpRequest, slug: str) -> HttpResponse:
    call = _call(slug)
    try:
        building.call_unpublish(call=call, by=request.user)
    except CallError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The call is a draft again; the public no longer sees it."))
    return redirect("calls:staff-call", slug=call.slug)


@permission_required("calls.manage_calls")
def call_copy(request: HttpRequest, slug: str) -> HttpResponse:
    call = _call(slug)
    form = CopyForm(request.POST or None, initial={"title": call.title, "title_en": call.title_en})
    if request.method == "POST" and form.is_valid():
        try:
            copy = building.call_copy(call=call, by=request.user, **form.cleaned_data)
        except CallError as exc:
            _show_error(form, exc)
        else:
            messages.success(request, _("The copy is saved as a draft. Check it, then publish."))
            return redirect("calls:staff-call", slug=copy.slug)
    return render(
        request,
        "calls/staff/call_copy.html",
        {"form": form, "call": call},
        status=400 if form.is_bound else 200,
    )


@permission_required("calls.view_staff")
def call_preview(request: HttpRequest, slug: str) -> HttpResponse:
    call = _call(slug)
    return render(
        request,
        "calls/staff/call_preview.html",
        {"call": call, "shown": queries.questions_as_shown(call)},
    )


# Questions --------------------------------------------------------------------------------------


def _question_form_page(
    request: HttpRequest, call: Call, question: Question | None
) -> HttpResponse:
    source = request.POST if request.method == "POST" else request.GET
    kind = source.get("kind") or (question.kind if question else QuestionKind.SHORT_TEXT)
    if request.method == "POST":
        form = QuestionForm(request.POST, call=call, kind=kind, question=question)
    else:
        initial = QuestionForm.initial_for(question) if question else {}
        if _is_htmx(request):
            # The kind changed: keep what was typed in the other fields.
            typed = {name: request.GET.get(name) for name in request.GET if name != "show_when"}
            typed.pop("csrfmiddlewaretoken", None)
            initial.update(typed, show_when=request.GET.getlist("show_when"))
        initial["kind"] = kind
        form = QuestionForm(initial=initial, call=call, kind=kind, question=question)
    if request.method == "POST" and form.is_valid():
        try:
            if question is None:
                building.question_add(call=call, by=request.user, **form.values())
                messages.success(request, _("The question is added."))
            else:
                building.question_update(question=question, by=request.user, **form.values())
                messages.success(request, _("The question is saved."))
        except CallError as exc:
            _show_error(form, exc)
        else:
            return redirect(reverse("calls:staff-call", args=[call.slug]) + "#questions")
    template = "calls/staff/call_question_form.html"
    context = {
        "call": call,
        "question": question,
        "form": form,
        "submitted": building.has_submissions(call),
    }
    return render(
        request,
        f"{template}#question-form" if _is_htmx(request) else template,
        context,
        status=400 if form.is_bound else 200,
    )


@permission_required("calls.manage_calls")
def question_new(request: HttpRequest, slug: str) -> HttpResponse:
    return _question_form_page(request, _call(slug), None)


@permission_required("calls.manage_calls")
def question_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    call = _call(slug)
    return _question_form_page(request, call, _question(call, pk))


@require_POST
@permission_required("calls.manage_calls")
def question_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    call = _call(slug)
    question = _question(call, pk)
    try:
        building.question_delete(question=question, by=request.user)
    except CallError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The question is removed."))
    return redirect(reverse("calls:staff-call", args=[call.slug]) + "#questions")


@require_POST
@permission_required("calls.manage_calls")
def question_move(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Move a question up or down (htmx: the list is answered in place, with any refusal)."""
    call = _call(slug)
    question = _question(call, pk)
    form = MoveForm(request.POST)
    problem = ""
    if form.is_valid() and (form.cleaned_data["direction"] or form.cleaned_data["to"]):
        try:
            building.question_move(
                question=question,
                by=request.user,
                direction=form.cleaned_data["direction"],
                to=form.cleaned_data["to"],
            )
        except CallError as exc:
            problem = str(exc.message)
    else:
        problem = _("Move the question up or down.")
    if _is_htmx(request):
        return render(
            request,
            "calls/staff/call_page.html#questions",
            {**_questions_context(request, call), "problem": problem},
        )
    if problem:
        messages.error(request, problem)
    return redirect(reverse("calls:staff-call", args=[call.slug]) + "#questions")
