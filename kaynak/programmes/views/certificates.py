"""Certificate pages: the public check by code, the PDF for its holder (signed link or account)
and for staff, and the staff page of an activity's certificates (issue, bulk issue, re-issue,
revoke)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kaynak.accounts.http import AuthenticatedHttpRequest
from kaynak.core.errors import KaynakError
from kaynak.core.permissions import permission_required
from kaynak.programmes import certificates, links
from kaynak.programmes.models import Activity, Certificate, Registration


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Certificate code"),
        max_length=40,
        help_text=gettext_lazy("Printed at the foot of the certificate, next to its QR code."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_code(self) -> str:
        code = certificates.normalise_code(self.cleaned_data["code"])
        if not certificates.looks_like_code(code):
            raise forms.ValidationError(
                _("A certificate code has ten letters and digits, for example 7KX4M9QR2T.")
            )
        return code


class RevokeForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=250)


class ReissueForm(forms.Form):
    holder_name = forms.CharField(label=gettext_lazy("Corrected name"), max_length=200)


# Public -----------------------------------------------------------------------------------------


def certificate_check(request: HttpRequest) -> HttpResponse:
    """The form to type a code; a valid one goes to the certificate's page."""
    form = CodeForm(request.GET or None)
    if form.is_valid():
        return redirect("programmes:certificate", code=form.cleaned_data["code"])
    return render(request, "programmes/certificates/check.html", {"form": form})


def certificate_verify(request: HttpRequest, code: str) -> HttpResponse:
    """What the QR code opens: the certificate's facts and whether it is valid, or a 404 page
    that says no certificate has this code."""
    normalised = certificates.normalise_code(code)
    if normalised != code and certificates.looks_like_code(normalised):
        return redirect("programmes:certificate", code=normalised)
    certificate = certificates.certificate_by_code(code)
    context: dict[str, Any] = {"form": CodeForm(initial={"code": code}), "code": code}
    if certificate is None:
        return render(request, "programmes/certificates/verify.html", context, status=404)
    context.update(
        certificate=certificate,
        days=certificates.format_days(certificate.first_day, certificate.last_day),
        hours=certificates.format_hours(certificate.hours),
        revoked_reason=certificates.revocation_reason(certificate),
    )
    return render(request, "programmes/certificates/verify.html", context)


def _pdf_response(certificate: Certificate, *, download: bool = True) -> HttpResponse:
    response = HttpResponse(
        certificates.render_certificate_pdf(certificate), content_type="application/pdf"
    )
    disposition = "attachment" if download else "inline"
    response["Content-Disposition"] = (
        f'{disposition}; filename="{certificates.pdf_filename(certificate)}"'
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _holders_certificate(code: str, registration: Registration | None) -> Certificate:
    """The holder's valid certificate ``code`` (or the one that replaced it), else 404."""
    certificate = certificates.certificate_by_code(code)
    if certificate is None or registration is None:
        raise Http404
    if certificate.registration_id != registration.pk:
        raise Http404
    if certificate.replaced_by is not None:
        certificate = certificate.replaced_by
    if not certificate.is_valid:
        raise Http404
    return certificate


def certificate_pdf(request: HttpRequest, code: str, token: str) -> HttpResponse:
    """The holder's PDF by the signed link of their registration (no account needed)."""
    registration = links.registration_from_token(token)
    return _pdf_response(_holders_certificate(code, registration))


@login_required
def my_certificate_pdf(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """The PDF for the logged-in person who holds the certificate."""
    registration = Registration.objects.filter(
        certificates__code=certificates.normalise_code(code), person__user=request.user
    ).first()
    return _pdf_response(_holders_certificate(code, registration))


# Staff ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FailedAction:
    """A re-issue or revoke that was refused: shown again on its row, with what was typed."""

    certificate_id: int
    action: str  # "reissue" or "revoke"
    value: str
    error: str


def _staff_page(
    request: AuthenticatedHttpRequest, activity: Activity, failed: FailedAction | None = None
) -> HttpResponse:
    rows = certificates.certificate_rows(activity)
    context = {
        "activity": activity,
        "rows": rows,
        "issuable": sum(1 for row in rows if row.can_issue),
        "failed": failed,
    }
    return render(
        request,
        "programmes/certificates/staff.html",
        context,
        status=400 if failed is not None else 200,
    )


@permission_required("programmes.manage_certificates")
def staff_certificates(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(Activity.objects.select_related("programme"), pk=pk)
    return _staff_page(request, activity)


@require_POST
@permission_required("programmes.manage_certificates")
def staff_issue_all(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(Activity, pk=pk)
    try:
        result = certificates.issue_certificates(activity=activity, by=request.user)
    except KaynakError as exc:
        messages.error(request, str(exc.message))
        return redirect("programmes:staff-certificates", pk=activity.pk)
    return render(
        request,
        "programmes/certificates/bulk_result.html",
        {"activity": activity, "result": result},
    )


@require_POST
@permission_required("programmes.manage_certificates")
def staff_issue(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    registration = get_object_or_404(Registration.objects.select_related("person"), pk=pk)
    try:
        certificate = certificates.issue_certificate(registration=registration, by=request.user)
    except KaynakError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(
            request,
            _("Certificate %(code)s issued to %(name)s.")
            % {"code": certificate.code, "name": certificate.holder_name},
        )
    return redirect("programmes:staff-certificates", pk=registration.activity_id)


def _certificate_or_404(code: str) -> Certificate:
    certificate = certificates.certificate_by_code(code)
    if certificate is None:
        raise Http404
    return certificate


@require_POST
@permission_required("programmes.manage_certificates")
def staff_reissue(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    certificate = _certificate_or_404(code)
    activity = certificate.registration.activity
    form = ReissueForm(request.POST)
    typed = request.POST.get("holder_name", "")
    try:
        if not form.is_valid():
            raise KaynakError(" ".join(str(e) for e in form.errors["holder_name"]))
        replacement = certificates.reissue_certificate(
            certificate=certificate, by=request.user, holder_name=form.cleaned_data["holder_name"]
        )
    except KaynakError as exc:
        failed = FailedAction(certificate.pk, "reissue", typed, str(exc.message))
        return _staff_page(request, activity, failed)
    messages.success(
        request,
        _("Certificate %(old)s is revoked; %(new)s is issued to %(name)s.")
        % {"old": certificate.code, "new": replacement.code, "name": replacement.holder_name},
    )
    return redirect("programmes:staff-certificates", pk=activity.pk)


@require_POST
@permission_required("programmes.manage_certificates")
def staff_revoke(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    certificate = _certificate_or_404(code)
    activity = certificate.registration.activity
    form = RevokeForm(request.POST)
    typed = request.POST.get("reason", "")
    try:
        if not form.is_valid():
            raise KaynakError(" ".join(str(e) for e in form.errors["reason"]))
        certificates.revoke_certificate(
            certificate=certificate, reason=form.cleaned_data["reason"], by=request.user
        )
    except KaynakError as exc:
        failed = FailedAction(certificate.pk, "revoke", typed, str(exc.message))
        return _staff_page(request, activity, failed)
    messages.success(request, _("Certificate %(code)s is revoked.") % {"code": certificate.code})
    return redirect("programmes:staff-certificates", pk=activity.pk)


@permission_required("programmes.manage_certificates")
def staff_certificate_pdf(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """Any certificate's PDF, revoked ones marked as such."""
    return _pdf_response(_certificate_or_404(code))
