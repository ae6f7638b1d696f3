"""A reviewer's pages: their reviews (to do and done, per call), the review of one application
(the application as the call lets them see it, the rubric, save or submit), declaring a
conflict of interest, and the application's files.

Reviewers see only their own assignments: any other application is a 404, as is one they
declared a conflict with.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kaynak.calls import reviewing
from kaynak.calls.answers import answer_text, visible_questions
from kaynak.calls.errors import CallError
from kaynak.calls.models import Application, ApplicationFile, QuestionKind, ReviewAssignment
from kaynak.calls.review_forms import ConflictForm, ReviewForm
from kaynak.core.permissions import can, permission_required


def application_sheet(application: Application, *, blind: bool, file_url: Any) -> dict[str, Any]:
    """What an application's page shows: the answers to the questions asked (in the call's
    order), its files (``file_url(key)`` links them; with ``blind`` named "File 1" …) and
    the people it names (none with ``blind``)."""
    language = "en" if application.language.startswith("en") else "tr"
    files = {f.question_key: f for f in application.files.all()}
    answers: list[dict[str, Any]] = []
    number = 0
    for question in visible_questions(application.call, application.answers or {}):
        if question.kind == QuestionKind.FILE:
            found = files.get(question.key)
            if found is None:
                answers.append({"question": question, "text": ""})
                continue
            number += 1
            answers.append(
                {
                    "question": question,
                    "file": found,
                    "file_name": _("File %(number)d") % {"number": number}
                    if blind
                    else found.original_name,
                    "file_url": file_url(question.key),
                }
            )
        else:
            value = (application.answers or {}).get(question.key)
            answers.append({"question": question, "text": answer_text(question, value, language)})
    return {
        "answers": answers,
        "people": [] if blind else list(application.people.all()),
        "people_count": application.people.count(),
        "blind": blind,
    }


def file_response(application: Application, key: str, *, blind: bool) -> FileResponse:
    """The application's file for question ``key`` as a download (a neutral name when blind)."""
    found = ApplicationFile.objects.filter(application=application, question_key=key).first()
    if found is None:
        raise Http404
    name = found.original_name
    if blind:
        extension = name.rsplit(".", 1)[-1] if "." in name else ""
        name = f"{application.code}-{key}" + (f".{extension}" if extension else "")
    return FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=name,
        content_type=found.content_type or "application/octet-stream",
    )


def _assignment(request: HttpRequest, code: str) -> ReviewAssignment:
    assignment = reviewing.assignment_for(reviewer=request.user, code=code)  # type: ignore[arg-type]
    if assignment is None or not can(
        request.user, "calls.review_application", assignment.application
    ):
        raise Http404
    return assignment


@permission_required("calls.view_staff")
def my_reviews(request: HttpRequest) -> HttpResponse:
    calls: OrderedDict[Any, dict[str, list[ReviewAssignment]]] = OrderedDict()
    for assignment in reviewing.reviewer_assignments(request.user):  # type: ignore[arg-type]
        group = calls.setdefault(assignment.application.call, {"todo": [], "done": []})
        review = getattr(assignment, "review", None)
        done = review is not None and review.submitted_at is not None
        group["done" if done else "todo"].append(assignment)
    return render(request, "calls/review/mine.html", {"calls": calls})


def _review_page(
    request: HttpRequest,
    assignment: ReviewAssignment,
    form: ReviewForm | None = None,
    status: int = 200,
) -> HttpResponse:
    application = assignment.application
    call = application.call
    review = getattr(assignment, "review", None)
    criteria = list(call.criteria.order_by("position", "pk"))
    if form is None:
        form = ReviewForm(criteria=criteria, initial=ReviewForm.initial_from(review))
    sheet = application_sheet(
        application,
        blind=call.blind_review,
        file_url=lambda key: reverse_review_file(application.code, key),
    )
    return render(
        request,
        "calls/review/review.html",
        {
            "assignment": assignment,
            "application": application,
            "call": call,
            "review": review,
            "submitted": review is not None and review.submitted_at is not None,
            "form": form,
            "conflict_form": ConflictForm(),
            **sheet,
        },
        status=status,
    )


def reverse_review_file(code: str, key: str) -> str:
    return reverse("calls:review-file", args=[code, key])


@permission_required("calls.view_staff")
def review_page(request: HttpRequest, code: str) -> HttpResponse:
    assignment = _assignment(request, code)
    if request.method != "POST":
        return _review_page(request, assignment)
    criteria = list(assignment.application.call.criteria.order_by("position", "pk"))
    form = ReviewForm(request.POST, criteria=criteria)
    if not form.is_valid():
        return _review_page(request, assignment, form, status=400)
    try:
        reviewing.review_save(
            assignment=assignment,
            scores=form.scores(),
            comment=form.cleaned_data["comment"],
            actor=request.user,
            submit=form.submitting,
        )
    except CallError as refused:
        form.add_error(None, str(refused.message))
        return _review_page(request, assignment, form, status=400)
    if form.submitting:
        messages.success(request, _("Your review is submitted. Thank you!"))
        return redirect("calls:reviews")
    messages.success(request, _("Your draft is saved."))
    return redirect("calls:review", code=code)


@require_POST
@permission_required("calls.view_staff")
def review_conflict(request: HttpRequest, code: str) -> HttpResponse:
    assignment = _assignment(request, code)
    application = assignment.application
    form = ConflictForm(request.POST)
    if not form.is_valid() or application.organisation is None:
        return _review_page(request, assignment, status=400)
    reviewing.declare_conflict(
        call=application.call,
        reviewer=request.user,  # type: ignore[arg-type]
        organisation=application.organisation,
        note=form.cleaned_data["note"],
    )
    messages.success(
        request,
        _(
            "Your conflict of interest is recorded; this application is no longer yours to "
            "review, and the call's staff will ask someone else."
        ),
    )
    return redirect("calls:reviews")


@permission_required("calls.view_staff")
def review_file(request: HttpRequest, code: str, key: str) -> FileResponse:
    assignment = _assignment(request, code)
    return file_response(
        assignment.application, key, blind=assignment.application.call.blind_review
    )
