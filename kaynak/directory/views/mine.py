"""The member's "My organisation" pages: the organisations they act for, their record and people,
and registering an organisation — asking the resolver first whether it is already known."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from kaynak.accounts.http import AuthenticatedHttpRequest
from kaynak.core.errors import KaynakError
from kaynak.core.permissions import get_object_for_user, permission_required
from kaynak.directory import queries, services
from kaynak.directory.forms import OrganisationForm, OrganisationRegisterForm, PersonAddForm
from kaynak.directory.models import Affiliation, Organisation
from kaynak.directory.resolution import Candidate, OrganisationRecord, organisation_candidates

CHANGE = "directory.change_organisation"


def _organisation_to_change(request: AuthenticatedHttpRequest, pk: int) -> Organisation:
    """The organisation, if the user administers it (or is staff who may); otherwise 404."""
    organisation: Organisation = get_object_for_user(
        request.user, CHANGE, Organisation.objects.select_related("province", "legal_form"), pk=pk
    )
    return organisation


def _form_errors_from(form: OrganisationForm | PersonAddForm, exc: Exception) -> None:
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    elif isinstance(exc, KaynakError):
        form.add_error(None, str(exc.message))
    else:
        form.add_error(None, exc.messages if isinstance(exc, ValidationError) else str(exc))


@login_required
def my_organisations(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(
        request,
        "directory/mine.html",
        {
            "organisations": queries.organisations_administered_by(request.user),
            "claims": queries.pending_claims_of(request.user),
        },
    )


@login_required
def organisation_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation_to_change(request, pk)
    # The form works on its own copy: a ModelForm writes the typed values into its instance,
    # and the service must see the record as it was to log what changed.
    form = OrganisationForm(
        request.POST if request.method == "POST" else None,
        instance=Organisation.objects.get(pk=organisation.pk),
        initial={"themes": list(organisation.themes.all())},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(
                organisation=organisation,
                actor=request.user,
                themes=form.cleaned_data["themes"],
                **form.changes(),
            )
        except (ValidationError, KaynakError) as exc:
            _form_errors_from(form, exc)
        else:
            messages.success(request, _("The organisation's record is saved."))
            return redirect("directory:edit", pk=organisation.pk)
    return render(request, "directory/edit.html", {"organisation": organisation, "form": form})


@login_required
def organisation_people(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    organisation = _organisation_to_change(request, pk)
    form = PersonAddForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_person_add(
                organisation=organisation,
                full_name=form.cleaned_data["full_name"],
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                actor=request.user,
            )
        except (ValidationError, KaynakError) as exc:
            _form_errors_from(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s is added to the organisation's people.")
                % {"name": form.cleaned_data["full_name"]},
            )
            return redirect("directory:people", pk=organisation.pk)
    return render(
        request,
        "directory/people.html",
        {
            "organisation": organisation,
            "current": queries.current_affiliations(organisation),
            "past": queries.past_affiliations(organisation),
            "form": form,
        },
    )


@require_POST
@login_required
def affiliation_end(
    request: AuthenticatedHttpRequest, pk: int, affiliation_pk: int
) -> HttpResponse:
    organisation = _organisation_to_change(request, pk)
    affiliation = get_object_or_404(
        Affiliation.objects.select_related("person"), pk=affiliation_pk, organisation=organisation
    )
    services.affiliation_end(affiliation=affiliation, actor=request.user)
    messages.success(
        request,
        _("%(name)s no longer works at the organisation.") % {"name": affiliation.person},
    )
    return redirect("directory:people", pk=organisation.pk)


def _candidates(record: OrganisationRecord) -> list[tuple[Candidate, Organisation]]:
    """The resolver's candidates with their organisations, best first."""
    if not record.name.strip():
        return []
    found = organisation_candidates(record, limit=5)
    organisations = queries.organisations_by_id([candidate.id for candidate in found])
    return [(c, organisations[c.id]) for c in found if c.id in organisations]


@permission_required("directory.register_organisation")
def register(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = OrganisationRegisterForm(request.POST if request.method == "POST" else None)
    candidates: list[tuple[Candidate, Organisation]] = []
    if request.method == "POST":
        valid = form.is_valid()
        candidates = _candidates(form.record())
        if "join" in request.POST:
            # Choosing a known organisation needs only what found it, not a complete form.
            return _join(request, form, candidates)
        if valid and (not candidates or form.cleaned_data["none_fit"]):
            organisation = services.organisation_register(
                user=request.user,
                name=form.cleaned_data["name"],
                province=form.cleaned_data["province"],
                emails=[form.cleaned_data["email"]],
                phones=[form.cleaned_data["phone"]] if form.cleaned_data["phone"] else [],
                website=form.cleaned_data["website"],
                legal_form=form.cleaned_data["legal_form"],
            )
            messages.success(
                request,
                _("%(name)s is registered, and you are its admin.") % {"name": organisation},
            )
            return redirect("directory:edit", pk=organisation.pk)
        if valid:
            # Known organisations look like this one: the member chooses, or says none fits.
            form.add_error(
                None,
                _(
                    "The directory already has organisations like this one. Choose yours, or "
                    "tick “None of these is my organisation” to register it as a new one."
                ),
            )
    return render(request, "directory/register.html", {"form": form, "candidates": candidates})


def _join(
    request: AuthenticatedHttpRequest,
    form: OrganisationRegisterForm,
    candidates: list[tuple[Candidate, Organisation]],
) -> HttpResponse:
    """Link the member to the candidate they chose. Only an organisation the resolver offered
    for what they typed can be chosen, so the form cannot claim arbitrary records."""
    chosen = request.POST.get("join", "")
    organisation = next((o for _c, o in candidates if str(o.pk) == chosen), None)
    if organisation is None:
        form.add_error(None, _("Choose one of the organisations listed below."))
        return render(request, "directory/register.html", {"form": form, "candidates": candidates})
    affiliation = services.organisation_join(user=request.user, organisation=organisation)
    if affiliation.is_admin:
        messages.info(request, _("You already act for %(name)s.") % {"name": organisation})
    else:
        messages.success(
            request,
            _(
                "You are now linked to %(name)s. A staff member will confirm that you may act "
                "for it; until then you cannot edit its record."
            )
            % {"name": organisation},
        )
    return redirect("directory:mine")


@require_GET
@permission_required("directory.register_organisation")
def register_candidates(request: HttpRequest) -> HttpResponse:
    """htmx: the candidates for what is typed so far, as the register page's partial."""
    form = OrganisationRegisterForm(request.GET)
    return render(
        request,
        "directory/register.html#candidates",
        {"form": form, "candidates": _candidates(form.record())},
    )


urlpatterns: list[URLPattern] = [
    path(gettext_lazy("mine/"), my_organisations, name="mine"),
    path(gettext_lazy("mine/<int:pk>/"), organisation_edit, name="edit"),
    path(gettext_lazy("mine/<int:pk>/people/"), organisation_people, name="people"),
    path(
        gettext_lazy("mine/<int:pk>/people/<int:affiliation_pk>/end/"),
        affiliation_end,
        name="affiliation_end",
    ),
    path(gettext_lazy("register/"), register, name="register"),
    path(gettext_lazy("register/candidates/"), register_candidates, name="register_candidates"),
]
