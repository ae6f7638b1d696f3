"""The agents' other pages: a request logged from a phone call or a visit, the quarantine of
received mails that made no request, and the attachment download (also the requester's)."""

from __future__ import annotations

from email import message_from_bytes, policy
from email.message import EmailMessage

from django.contrib import messages
from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kaynak.core.permissions import permission_required
from kaynak.helpdesk import mailin, queries, services
from kaynak.helpdesk.forms import STAFF_CONSENT_SOURCE, STAFF_CONSENT_VERSION, StaffRequestForm
from kaynak.helpdesk.services import HelpdeskError

ANSWER = "helpdesk.answer_requests"

# Types a browser would run or render as a page: always sent as plain bytes.
ACTIVE_TYPES = (
    "text/html",
    "image/svg+xml",
    "application/xhtml+xml",
    "text/xml",
    "application/xml",
)


@require_http_methods(["GET", "POST"])
@permission_required(ANSWER)
def new_request(request: HttpRequest) -> HttpResponse:
    """A request told on the phone or at the desk, logged by the agent."""
    if request.method != "POST":
        language = "en" if (get_language() or "tr").startswith("en") else "tr"
        form = StaffRequestForm(initial={"language": language}, user=request.user)
        return render(request, "helpdesk/staff/new_request.html", {"form": form})
    form = StaffRequestForm(request.POST, request.FILES, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        try:
            created = services.submit_request(
                queue=data["queue"],
                category=data["category"],
                subject=data["subject"],
                body=data["body"],
                requester=form.requester(),
                channel=data["channel"],
                language=data["language"],
                actor=request.user,
                attachments=form.uploads(),
                consent_version=STAFF_CONSENT_VERSION,
                consent_source=STAFF_CONSENT_SOURCE,
            )
        except HelpdeskError as refused:
            field = "attachments" if refused.code == "attachment_refused" else None
            form.add_error(field, str(refused.message))
        else:
            messages.success(request, _("Request %(token)s was logged.") % {"token": created.token})
            return redirect("helpdesk:staff-request", created.token)
    return render(request, "helpdesk/staff/new_request.html", {"form": form}, status=400)


def attachment(request: HttpRequest, pk: int) -> HttpResponseBase:
    """An attachment, to the agents of its queue and to its requester; 404 to anyone else, so
    a stranger cannot even learn it exists. Always a download, never shown in the page."""
    if not request.user.is_authenticated:
        from django.contrib.auth.views import redirect_to_login

        return redirect_to_login(request.get_full_path())
    found = queries.attachment_for_user(request.user, pk)
    content_type = found.content_type or "application/octet-stream"
    if content_type.split(";")[0].strip().lower() in ACTIVE_TYPES:
        content_type = "application/octet-stream"
    response = FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=found.name,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


# The quarantine --------------------------------------------------------------------------------


@permission_required(ANSWER)
def quarantine(request: HttpRequest) -> HttpResponse:
    """Received mails that made no request, with why."""
    from django.core.paginator import Paginator

    page = Paginator(queries.quarantine(), 50).get_page(request.GET.get("page"))
    return render(request, "helpdesk/staff/quarantine.html", {"page": page})


def _text_of(data: bytes) -> tuple[list[tuple[str, str]], str]:
    """The headers and a text to read of a kept mail: its text part, else its HTML part
    sanitised to text, else the bytes as they are; never the HTML rendered."""
    try:
        parsed = mailin.parse(data)
    except mailin.UnreadableMail:
        parsed = None
    try:
        message = message_from_bytes(data, policy=policy.default)
        headers = [(str(name), str(value)) for name, value in message.items()]
    except Exception:
        message, headers = None, []
    if parsed is not None and parsed.text:
        return headers, parsed.text
    if isinstance(message, EmailMessage):
        try:
            body = message.get_body(preferencelist=("plain",))
            if body is not None:
                return headers, str(body.get_content())
        except Exception:  # noqa: S110 — fall back to the bytes below
            pass
    return headers, data[:200_000].decode("utf-8", "replace")


@require_http_methods(["GET", "POST"])
@permission_required(ANSWER)
def quarantined_mail(request: HttpRequest, pk: int) -> HttpResponse:
    """One kept mail: its headers and text (escaped); POST ``retry`` files it again,
    ``discard`` takes it off the list (kept all the same)."""
    raw = queries.raw_mail(pk)
    error = ""
    if request.method == "POST":
        try:
            if "retry" in request.POST:
                filed = services.retry_raw_mail(raw=raw, actor=request.user)
                messages.success(request, _("The mail was filed."))
                if filed.request is not None:
                    return redirect("helpdesk:staff-request", filed.request.token)
                return redirect("helpdesk:staff-quarantine")
            services.discard_raw_mail(raw=raw, actor=request.user)
            messages.success(request, _("The mail was taken off the list; it is still kept."))
            return redirect("helpdesk:staff-quarantine")
        except HelpdeskError as refused:
            error = str(refused.message)
        raw.refresh_from_db()
    headers, text = _text_of(bytes(raw.data))
    return render(
        request,
        "helpdesk/staff/quarantined_mail.html",
        {
            "raw": raw,
            "headers": headers,
            "text": text,
            "error": error,
            "discarded": queries.is_discarded(raw),
        },
        status=400 if error else 200,
    )
