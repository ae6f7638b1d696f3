"""The staff import page: upload a spreadsheet, check the columns and the preview (errors per
row, and which rows are known organisations), then apply it, all or nothing."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_htmx.middleware import HtmxDetails

from kaynak.accounts.http import AuthenticatedHttpRequest
from kaynak.core.errors import KaynakError
from kaynak.core.permissions import permission_required
from kaynak.directory.importing import apply as importing
from kaynak.directory.importing.forms import ColumnMappingForm, ImportUploadForm
from kaynak.directory.importing.planning import RowStatus, plan_import
from kaynak.directory.importing.queries import recent_imports
from kaynak.directory.models import ImportBatch, ImportStatus

PERMISSION = "directory.import_organisations"
# Rows shown in the preview table; rows with errors are all listed above it.
PREVIEW_ROWS = 500


class StaffRequest(AuthenticatedHttpRequest):
    htmx: HtmxDetails


@permission_required(PERMISSION)
def import_upload(request: StaffRequest) -> HttpResponse:
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        batch = importing.import_batch_create(
            data=form.data_bytes, filename=upload.name or "", actor=request.user
        )
        return redirect("directory:import_preview", batch.pk)
    return render(
        request, "directory/imports/upload.html", {"form": form, "imports": recent_imports()}
    )


@permission_required(PERMISSION)
def import_preview(request: StaffRequest, batch_id: int) -> HttpResponse:
    batch = get_object_or_404(ImportBatch, pk=batch_id)
    if batch.status == ImportStatus.APPLIED:
        return redirect("directory:import_report", batch.pk)
    sheet = importing.batch_sheet(batch)
    mapping = importing.batch_mapping(batch, sheet)
    form = ColumnMappingForm(
        request.POST if request.method == "POST" else None, sheet=sheet, mapping=mapping
    )
    if request.method == "POST" and form.is_valid():
        importing.import_batch_set_mapping(batch=batch, mapping=form.mapping, actor=request.user)
        if not request.htmx:
            return redirect("directory:import_preview", batch.pk)
        mapping = form.mapping
    plan = plan_import(sheet, mapping) if "organisation" in mapping else None
    context = {
        "batch": batch,
        "sheet": sheet,
        "form": form,
        "plan": plan,
        "preview_rows": plan.rows[:PREVIEW_ROWS] if plan else (),
        "hidden_rows": max(0, len(plan.rows) - PREVIEW_ROWS) if plan else 0,
        "error_rows": [p for p in plan.rows if not p.row.ok] if plan else [],
        "counts": {
            "new": plan.count(RowStatus.NEW) if plan else 0,
            "existing": plan.count(RowStatus.EXISTING) if plan else 0,
        },
    }
    if request.htmx:
        return render(request, "directory/imports/preview_body.html", context)
    return render(request, "directory/imports/preview.html", context)


@require_POST
@permission_required(PERMISSION)
def import_apply(request: StaffRequest, batch_id: int) -> HttpResponse:
    batch = get_object_or_404(ImportBatch, pk=batch_id)
    try:
        batch = importing.import_apply(batch=batch, actor=request.user)
    except KaynakError as exc:
        messages.error(request, str(exc.message))
        return redirect("directory:import_preview", batch.pk)
    if batch.status == ImportStatus.FAILED:
        rows = ", ".join(str(e["row"]) for e in batch.report if e["status"] == "error")
        messages.error(
            request,
            _("Nothing was imported: fix rows %(rows)s in the file and upload it again.")
            % {"rows": rows},
        )
    else:
        messages.success(
            request,
            _("Imported. New organisations: %(created)s; rows linked to known ones: %(linked)s.")
            % {"created": batch.rows_created, "linked": batch.rows_linked},
        )
    return redirect("directory:import_report", batch.pk)


@permission_required(PERMISSION)
def import_report(request: StaffRequest, batch_id: int) -> HttpResponse:
    batch = get_object_or_404(ImportBatch.objects.select_related("created_by"), pk=batch_id)
    entries = [
        {**entry, "text": importing.describe_entry(entry)}
        for entry in batch.report
        if isinstance(entry, dict)
    ]
    return render(request, "directory/imports/report.html", {"batch": batch, "entries": entries})


@permission_required(PERMISSION)
def import_file(request: StaffRequest, batch_id: int) -> FileResponse:
    """The kept file, as it was uploaded."""
    batch = get_object_or_404(ImportBatch, pk=batch_id)
    return FileResponse(
        batch.original_file.open("rb"), as_attachment=True, filename=batch.original_name
    )


urlpatterns: list[URLPattern] = [
    path(gettext_lazy("import/"), import_upload, name="import_upload"),
    path(gettext_lazy("import/<int:batch_id>/"), import_preview, name="import_preview"),
    path(gettext_lazy("import/<int:batch_id>/apply/"), import_apply, name="import_apply"),
    path(gettext_lazy("import/<int:batch_id>/report/"), import_report, name="import_report"),
    path(gettext_lazy("import/<int:batch_id>/file/"), import_file, name="import_file"),
]
