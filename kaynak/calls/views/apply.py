"""The applicant's pages: start an application (choose the organisation), the form that saves
itself as they type, files, the submission with its confirmation, the application's page
(status, answers, files, receipt, withdraw) and "My applications".

Login is required to apply; after logging in the applicant comes back to the form. Another
person's application is a 404, never a 403.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from kaynak.accounts.http import AuthenticatedHttpRequest
from kaynak.calls import answers as answer_rules
from kaynak.calls import applying, receipts
from kaynak.calls.errors import CallError
from kaynak.calls.models import (
    ACTIVE_STATUSES,
    Application,
    ApplicationStatus,
    Call,
    CallStatus,
    Question,
    QuestionKind,
)
from kaynak.core.models import Province, Theme
from kaynak.core.permissions import can, get_object_for_user
from kaynak.directory.models import Affiliation, Organisation
from kaynak.programmes import queries as programme_queries
from kaynak.programmes.registering import OrganisationDecision
from kaynak.programmes.views.public import is_partial_request

OTHER = "other"
NEW_ORGANISATION = "new"
MAX_PEOPLE_ROWS = 50


# Queries of these pages ----------------------------------------------------------------------


def published_call(slug: str) -> Call:
    return get_object_or_404(Call, slug=slug, status=CallStatus.PUBLISHED)


def applications_of_user(user: Any) -> QuerySet[Application]:
    """The user's own applications, newest first, with what the lists show."""
    return (
        Application.objects.filter(user=user)
        .select_related("call", "organisation")
        .order_by("-created_at", "-pk")
    )


def current_affiliations(user: Any) -> list[Affiliation]:
    return list(
        Affiliation.objects.filter(
            person__user=user,
            person__erased_at__isnull=True,
            end_date__isnull=True,
            organisation__status="active",
        )
        .select_related("organisation", "organisation__province")
        .order_by("-is_admin", "pk")
    )


def _application_for(request: HttpRequest, code: str, action: str) -> Application:
    return get_object_for_user(  # type: ignore[no-any-return]
        request.user,
        action,
        Application.objects.select_related("call", "organisation", "person", "user"),
        code=code,
    )


# Starting: the organisation ------------------------------------------------------------------


class StartForm(forms.Form):
    """Which organisation the application is for: one they work for, or another one named
    (through the directory's guard)."""

    organisation = forms.ChoiceField(
        label=gettext_lazy("Organisation"), widget=forms.RadioSelect, required=True
    )
    organisation_name = forms.CharField(
        label=gettext_lazy("Organisation's name"), max_length=300, required=False
    )
    organisation_province = forms.ModelChoiceField(
        label=gettext_lazy("Organisation's province"),
        queryset=programme_queries.provinces_in_order(),
        required=False,
        empty_label=gettext_lazy("Choose…"),
    )

    def __init__(self, affiliations: list[Affiliation], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, Any]] = [
            (str(a.organisation_id), a.organisation.name) for a in affiliations
        ]
        choices.append((OTHER, gettext_lazy("Another organisation")))
        organisation = self.fields["organisation"]
        assert isinstance(organisation, forms.ChoiceField)
        organisation.choices = choices
        if affiliations:
            self.initial.setdefault("organisation", str(affiliations[0].organisation_id))
        else:
            self.initial.setdefault("organisation", OTHER)

    def typed_organisation(self) -> tuple[str, Province | None]:
        name = " ".join(str(self.data.get("organisation_name") or "").split())
        try:
            plate = int(str(self.data.get("organisation_province") or ""))
        except ValueError:
            return name, None
        return name, Province.objects.filter(pk=plate).first()

    def typed_choice(self) -> str:
        return str(self.data.get("organisation_choice") or "").strip()

    def decision(
        self, affiliations: list[Affiliation], candidates: list[Organisation]
    ) -> OrganisationDecision | None:
        """The organisation chosen, or None with the reason next to the field."""
        chosen = self.cleaned_data["organisation"]
        if chosen != OTHER:
            found = next((a for a in affiliations if str(a.organisation_id) == chosen), None)
            if found is None:
                self.add_error("organisation", _("Choose one of your organisations."))
                return None
            return OrganisationDecision(organisation=found.organisation)
        name, province = self.typed_organisation()
        if not name:
            self.add_error("organisation_name", _("Write your organisation's name."))
            return None
        if province is None:
            self.add_error(
                "organisation_province",
                _(
                    "Choose the organisation's province: it tells apart organisations with the "
                    "same name."
                ),
            )
            return None
        choice = self.typed_choice()
        if choice == NEW_ORGANISATION or (not candidates and not choice):
            return OrganisationDecision(new_name=name, new_province=province)
        picked = next((o for o in candidates if str(o.pk) == choice), None)
        if picked is not None:
            return OrganisationDecision(organisation=picked)
        self.add_error(
            "organisation_name",
            _(
                "The directory already has organisations like this one. Choose yours below, "
                "or say that yours is not among them."
            ),
        )
        return None


def _apply_page(
    request: HttpRequest,
    call: Call,
    *,
    form: StartForm | None = None,
    candidates: list[Organisation] | None = None,
    duplicate: Application | None = None,
    status: int = 200,
) -> HttpResponse:
    affiliations = current_affiliations(request.user)
    now = timezone.now()
    return render(
        request,
        "calls/apply/start.html",
        {
            "call": call,
            "is_open": call.is_open(now),
            "closed_message": applying.closed_message(call, now) if not call.is_open(now) else "",
            "form": form or StartForm(affiliations),
            "candidates": candidates or [],
            "choice": form.typed_choice() if form is not None and form.is_bound else "",
            "duplicate": duplicate,
            "own": [
                a
                for a in applications_of_user(request.user).filter(call=call)
                if a.status in ACTIVE_STATUSES
            ],
        },
        status=status,
    )


@never_cache
@login_required
def apply(request: AuthenticatedHttpRequest, slug: str) -> HttpResponse:
    """Start an application: choose the organisation (GET shows the choice)."""
    call = published_call(slug)
    if request.method != "POST":
        return _apply_page(request, call)
    affiliations = current_affiliations(request.user)
    form = StartForm(affiliations, request.POST)
    name, province = form.typed_organisation()
    candidates = (
        programme_queries.organisation_candidates_for(name, province)
        if request.POST.get("organisation") == OTHER
        else []
    )
    decision = form.decision(affiliations, candidates) if form.is_valid() else None
    if decision is None:
        return _apply_page(request, call, form=form, candidates=candidates, status=400)
    try:
        application = applying.start_application(
            call=call, user=request.user, organisation=decision, language=get_language() or "tr"
        )
    except applying.DuplicateApplication as duplicate:
        form.add_error(None, str(duplicate.message))
        return _apply_page(
            request,
            call,
            form=form,
            candidates=candidates,
            duplicate=duplicate.existing
            if can(request.user, "calls.view_application", duplicate.existing)
            else None,
            status=409,
        )
    except CallError as refused:
        form.add_error(None, str(refused.message))
        return _apply_page(request, call, form=form, candidates=candidates, status=400)
    return redirect("calls:application", code=application.code)


@require_GET
@login_required
def apply_candidates(request: HttpRequest, slug: str) -> HttpResponse:
    """htmx: the guard's candidates for the organisation typed so far."""
    published_call(slug)
    form = StartForm([], request.GET)
    name, province = form.typed_organisation()
    return render(
        request,
        "programmes/public/includes/organisation_candidates.html",
        {
            "candidates": programme_queries.organisation_candidates_for(name, province),
            "choice": form.typed_choice(),
        },
    )


# The form ------------------------------------------------------------------------------------


@dataclass
class QuestionField:
    """One asked question on the form, with what is typed and what is wrong."""

    question: Question
    value: Any
    error: str = ""
    file: Any = None

    @property
    def name(self) -> str:
        return f"q-{self.question.key}"

    @property
    def values(self) -> list[str]:
        value = self.value
        if isinstance(value, list):
            return [str(v) for v in value]
        return [] if value in (None, "") else [str(value)]

    @property
    def text(self) -> str:
        return "" if self.value is None else str(self.value)

    @property
    def words(self) -> int:
        return answer_rules.word_count(self.text)

    @property
    def options(self) -> list[dict[str, Any]]:
        language = get_language() or "tr"
        chosen = set(self.values)
        return [
            {
                "key": str(o.get("key")),
                "label": answer_rules.option_label(self.question, str(o.get("key")), language),
                "checked": str(o.get("key")) in chosen,
            }
            for o in self.question.options or []
            if isinstance(o, dict)
        ]


@dataclass
class FormState:
    """The form as shown: the asked questions, the people rows and the messages."""

    fields: list[QuestionField]
    people: list[applying.PersonRow]
    people_errors: dict[int, str] = field(default_factory=dict)
    people_problems: list[str] = field(default_factory=list)

    @property
    def shown(self) -> str:
        return ",".join(f.question.key for f in self.fields)


def typed_answers(request: HttpRequest, questions: list[Question]) -> dict[str, Any]:
    typed: dict[str, Any] = {}
    for question in questions:
        name = f"q-{question.key}"
        if question.kind == QuestionKind.MULTI_CHOICE:
            typed[question.key] = request.POST.getlist(name)
        elif name in request.POST:
            typed[question.key] = request.POST.get(name, "")
    return typed


def typed_people(request: HttpRequest) -> list[applying.PersonRow]:
    try:
        count = min(int(request.POST.get("people-count", "0")), MAX_PEOPLE_ROWS)
    except ValueError:
        count = 0
    removed = request.POST.get("people-remove", "")
    rows = []
    for i in range(count):
        if removed == str(i):
            continue
        rows.append(
            applying.PersonRow(
                full_name=request.POST.get(f"people-{i}-full_name", ""),
                email=request.POST.get(f"people-{i}-email", ""),
                role=request.POST.get(f"people-{i}-role", ""),
            )
        )
    return rows


def form_state(
    application: Application,
    *,
    typed: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    people: list[applying.PersonRow] | None = None,
    people_errors: dict[int, str] | None = None,
    people_problems: list[str] | None = None,
    extra_row: bool = False,
) -> FormState:
    """What the form shows: typed values where given (so nothing typed is lost), else the
    stored ones; visibility follows the cleaned answers."""
    questions = answer_rules.questions_of(application.call)
    shown_answers = dict(application.answers)
    if typed is not None:
        clean, _errors = answer_rules.validate(
            application.call, typed, final=False, questions=questions
        )
        shown_answers = clean
    visible = answer_rules.visible_questions(application.call, shown_answers, questions=questions)
    files = {f.question_key: f for f in application.files.all()}
    errors = errors or {}
    fields = []
    for question in visible:
        value = (typed or {}).get(question.key, application.answers.get(question.key))
        if typed is not None and question.key not in typed:
            value = application.answers.get(question.key)
        fields.append(
            QuestionField(
                question=question,
                value=value,
                error=errors.get(question.key, ""),
                file=files.get(question.key),
            )
        )
    if people is None:
        people = [
            applying.PersonRow(p.full_name, p.email, p.role)
            for p in application.people.order_by("position", "pk")
        ]
    people = list(people)
    if (
        (extra_row or not people)
        and application.call.people_max
        and len(people) < application.call.people_max
    ):
        people.append(applying.PersonRow())
    return FormState(
        fields=fields,
        people=people,
        people_errors=people_errors or {},
        people_problems=people_problems or [],
    )


def _choices() -> dict[str, Any]:
    return {
        "provinces": list(programme_queries.provinces_in_order()),
        "themes": list(Theme.objects.order_by("position")),
        "accept": answer_rules.ACCEPT_ATTRIBUTE,
        "accepted_types": answer_rules.ACCEPTED_NAMES,
    }


def _application_page(
    request: HttpRequest,
    application: Application,
    *,
    state: FormState | None = None,
    saved_at: Any = None,
    status: int = 200,
) -> HttpResponse:
    now = timezone.now()
    editable = (
        application.status == ApplicationStatus.DRAFT
        and application.call.is_open(now)
        and can(request.user, "calls.edit_application", application)
    )
    is_owner = can(request.user, "calls.edit_application", application)
    blind = (
        application.call.blind_review
        and not is_owner
        and not can(request.user, "calls.view_applications")
    )
    context: dict[str, Any] = {
        "application": application,
        "call": application.call,
        "editable": editable,
        "is_owner": is_owner,
        "blind": blind,
        "closed_message": applying.closed_message(application.call, now)
        if application.status == ApplicationStatus.DRAFT and not application.call.is_open(now)
        else "",
        "saved_at": saved_at,
        "can_withdraw": is_owner and application.status == ApplicationStatus.SUBMITTED,
    }
    if editable:
        context["state"] = state or form_state(application)
        context.update(_choices())
    else:
        context["rows"] = receipts.answer_rows(application)
        context["files"] = list(application.files.all())
        context["people"] = list(application.people.order_by("position", "pk"))
    return render(request, "calls/apply/application.html", context, status=status)


@never_cache
@login_required
def application_detail(request: HttpRequest, code: str) -> HttpResponse:
    """The application's page: the form while it is an open draft, else its status and
    answers."""
    application = _application_for(request, code, "calls.view_application")
    if request.GET.get("more") == "1" and application.status == ApplicationStatus.DRAFT:
        # "Add a person" saved the draft and came back here for one more empty row.
        return _application_page(
            request, application, state=form_state(application, extra_row=True)
        )
    return _application_page(request, application)


def _save_typed(
    request: HttpRequest, application: Application
) -> tuple[applying.DraftResult, dict[str, Any], list[applying.PersonRow]]:
    questions = answer_rules.questions_of(application.call)
    typed = typed_answers(request, questions)
    people = typed_people(request) if "people-count" in request.POST else None
    result = applying.save_draft(
        application=application, answers=typed, people=people, actor=request.user
    )
    return result, typed, people or []


@never_cache
@require_POST
@login_required
def application_save(request: HttpRequest, code: str) -> HttpResponse:
    """Save the draft: htmx autosave (answers "Saved 10:42", the counters and errors, and the
    questions again when a condition changed), or the form's Save button (the page again)."""
    application = _application_for(request, code, "calls.edit_application")
    try:
        result, typed, people = _save_typed(request, application)
    except CallError as refused:
        if is_partial_request(request):
            return render(
                request, "calls/apply/partials/save_refused.html", {"message": refused.message}
            )
        messages.error(request, str(refused.message))
        return redirect("calls:application", code=code)
    saved_at = timezone.localtime()
    extra_row = request.POST.get("people-add") == "1"
    state = form_state(
        result.application,
        typed=typed,
        errors=result.errors,
        people=people if "people-count" in request.POST else None,
        people_errors=result.people_errors,
        extra_row=extra_row,
    )
    if is_partial_request(request):
        return render(
            request,
            "calls/apply/partials/saved.html",
            {
                "application": result.application,
                "call": result.application.call,
                "state": state,
                "saved_at": saved_at,
                "questions_changed": request.POST.get("shown", "") != state.shown,
                **_choices(),
            },
        )
    if result.errors or result.people_errors:
        return _application_page(request, result.application, state=state, saved_at=saved_at)
    # Everything was saved: go back to the page with a GET, so that reloading it never posts
    # an older form again over what was typed since.
    if extra_row:
        return redirect(reverse("calls:application", kwargs={"code": code}) + "?more=1")
    if "people-remove" not in request.POST:
        messages.success(request, _("Your draft is saved."))
    return redirect("calls:application", code=code)


@never_cache
@require_POST
@login_required
def application_upload(request: HttpRequest, code: str, key: str) -> HttpResponse:
    """Upload the file of a file question (the form's other answers are saved with it; a
    refused file leaves them as typed, with the reason next to the file)."""
    application = _application_for(request, code, "calls.edit_application")
    try:
        result, typed, people = _save_typed(request, application)
    except CallError as refused:
        messages.error(request, str(refused.message))
        return redirect("calls:application", code=code)
    errors = dict(result.errors)
    uploaded = request.FILES.get(f"q-{key}")
    if uploaded is None:
        errors[key] = _("Choose a file to upload.")
    else:
        try:
            applying.upload_file(
                application=result.application,
                question_key=key,
                stream=uploaded,
                name=uploaded.name or "file",
                size=uploaded.size or 0,
                actor=request.user,
            )
        except CallError as refused:
            errors[key] = str(refused.message)
    if errors.get(key):
        state = form_state(
            result.application,
            typed=typed,
            errors=errors,
            people=people if "people-count" in request.POST else None,
            people_errors=result.people_errors,
        )
        return _application_page(request, result.application, state=state, status=400)
    messages.success(request, _("The file is uploaded."))
    return redirect(f"{reverse('calls:application', kwargs={'code': code})}#q-{key}")


@never_cache
@require_POST
@login_required
def application_remove_file(request: HttpRequest, code: str, key: str) -> HttpResponse:
    application = _application_for(request, code, "calls.edit_application")
    try:
        _save_typed(request, application)
        applying.remove_file(application=application, question_key=key, actor=request.user)
    except CallError as refused:
        messages.error(request, str(refused.message))
    return redirect("calls:application", code=code)


@never_cache
@login_required
def application_file(request: HttpRequest, code: str, key: str) -> FileResponse:
    """Stream a file of the application (the applicant and staff only: never a public URL)."""
    application = _application_for(request, code, "calls.view_application")
    if not (
        can(request.user, "calls.edit_application", application)
        or can(request.user, "calls.view_applications")
        or can(request.user, "calls.review_application", application)
    ):
        raise Http404
    stored = application.files.filter(question_key=key).first()
    if stored is None:
        raise Http404
    response = FileResponse(
        stored.file.open("rb"),
        as_attachment=True,
        filename=stored.original_name,
        content_type=stored.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@never_cache
@login_required
def application_submit(request: HttpRequest, code: str) -> HttpResponse:
    """GET: the confirmation (the answers once more, the consent); POST: submit."""
    application = _application_for(request, code, "calls.edit_application")
    if application.status != ApplicationStatus.DRAFT:
        return redirect("calls:application", code=code)
    if request.method == "POST":
        try:
            applying.submit(
                application=application,
                actor=request.user,
                consent=request.POST.get("consent") == "on",
            )
        except applying.SubmissionInvalid as invalid:
            if invalid.errors or invalid.people_errors:
                state = form_state(
                    application,
                    errors=invalid.errors,
                    people_problems=invalid.people_errors,
                )
                messages.error(request, str(invalid.message))
                return _application_page(request, application, state=state, status=400)
            return _submit_page(request, application, error=str(invalid.message), status=400)
        except CallError as refused:
            return _submit_page(request, application, error=str(refused.message), status=400)
        messages.success(
            request,
            _("Your application is submitted. The receipt is on its way to you by e-mail."),
        )
        return redirect("calls:application", code=code)
    return _submit_page(request, application)


def _submit_page(
    request: HttpRequest, application: Application, *, error: str = "", status: int = 200
) -> HttpResponse:
    now = timezone.now()
    return render(
        request,
        "calls/apply/submit.html",
        {
            "application": application,
            "call": application.call,
            "rows": receipts.answer_rows(application),
            "people": list(application.people.order_by("position", "pk")),
            "consent_text": applying.CONSENT_TEXT,
            "error": error,
            "deadline": applying.istanbul_time(application.call.closes_at),
            "is_open": application.call.is_open(now),
            "closed_message": applying.closed_message(application.call, now),
        },
        status=status,
    )


@never_cache
@login_required
def application_withdraw(request: HttpRequest, code: str) -> HttpResponse:
    """GET: are you sure? POST: withdraw (a submitted application) or delete (a draft)."""
    application = _application_for(request, code, "calls.edit_application")
    error = ""
    if request.method == "POST":
        try:
            if application.status == ApplicationStatus.DRAFT:
                applying.discard_draft(application=application, actor=request.user)
                messages.success(request, _("The draft is deleted."))
                return redirect("calls:mine")
            applying.withdraw(application=application, actor=request.user)
        except CallError as refused:
            error = str(refused.message)
        else:
            messages.success(request, _("The application is withdrawn."))
            return redirect("calls:application", code=code)
    return render(
        request,
        "calls/apply/withdraw.html",
        {"application": application, "call": application.call, "error": error},
        status=400 if error else 200,
    )


@never_cache
@login_required
def application_receipt(request: HttpRequest, code: str) -> HttpResponse:
    """The receipt PDF of a submitted application."""
    application = _application_for(request, code, "calls.view_application")
    if application.submitted_at is None:
        raise Http404
    response = HttpResponse(receipts.receipt_pdf(application), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{receipts.receipt_filename(application)}"'
    )
    return response


@never_cache
@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """My applications: every application of the member's account, newest first."""
    return render(
        request,
        "calls/apply/mine.html",
        {"applications": list(applications_of_user(request.user)), "now": timezone.now()},
    )
