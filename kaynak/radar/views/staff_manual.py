"""Manual entry: an editor pastes an address or an announcement's text, or uploads a file; the
call it becomes (a new draft, or the known call it matched) opens for review."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kaynak.core.permissions import permission_required
from kaynak.radar import manual
from kaynak.radar.forms import FileEntryForm, TextEntryForm, UrlEntryForm
from kaynak.radar.services import IngestResult, RadarError

# The field of each form a service's error belongs beside.
ERROR_FIELD = {"url": "url", "text": "text", "file": "file"}


def _enter(request: HttpRequest, how: str, form: forms.Form) -> IngestResult:
    data = form.cleaned_data
    if how == "url":
        return manual.enter_url(actor=request.user, url=data["url"])
    if how == "text":
        return manual.enter_text(
            actor=request.user, text=data["text"], title=data["title"], url=data["url"]
        )
    return manual.enter_file(actor=request.user, uploaded=data["file"])


@permission_required("radar.review_opportunities")
def manual_entry(request: HttpRequest) -> HttpResponse:
    how = request.POST.get("how", "") if request.method == "POST" else ""
    bound = {
        "url": UrlEntryForm(request.POST, prefix="url") if how == "url" else None,
        "text": TextEntryForm(request.POST, prefix="text") if how == "text" else None,
        "file": FileEntryForm(request.POST, request.FILES, prefix="file")
        if how == "file"
        else None,
    }
    forms_shown: dict[str, Any] = {
        "url": bound["url"] or UrlEntryForm(prefix="url"),
        "text": bound["text"] or TextEntryForm(prefix="text"),
        "file": bound["file"] or FileEntryForm(prefix="file"),
    }
    form = bound.get(how)
    if form is not None and form.is_valid():
        try:
            result = _enter(request, how, form)
        except RadarError as error:
            form.add_error(ERROR_FIELD[how], str(error.message))
        else:
            if result.outcome == "new":
                messages.success(request, _("A new draft was made: check its fields."))
            else:
                messages.info(
                    request,
                    _("This is a call the radar already knows; it is shown here.")
                    if result.outcome == "unchanged"
                    else _("This is a call the radar already knows; what was new was added."),
                )
            return redirect("radar:staff-opportunity", result.opportunity.pk)
    status = 400 if form is not None else 200
    return render(
        request,
        "radar/staff/manual.html",
        {"forms": forms_shown, "how": how},
        status=status,
    )
