"""The staff list as a spreadsheet: CSV (streamed, with a BOM so Turkish Excel reads UTF-8)
or XLSX (openpyxl's write-only mode, written to a temporary file, so memory stays flat)."""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterator
from typing import IO, Any

from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from kaynak.core.audit import log_action
from kaynak.core.spreadsheets import safe_cells
from kaynak.directory.models import Organisation
from kaynak.directory.queries import OrganisationFilters, organisation_for_export

CHUNK = 2000
# Spreadsheet programs run a cell that starts with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _columns() -> list[tuple[str | Promise, Any]]:
    return [
        (_("ID"), lambda o: o.pk),
        (_("Name"), lambda o: o.name),
        (_("Short name"), lambda o: o.short_name),
        (_("Type"), lambda o: o.legal_form.label if o.legal_form else ""),
        (_("Province"), lambda o: o.province.name if o.province else ""),
        (_("District"), lambda o: o.district),
        (_("Address"), lambda o: o.address),
        (_("E-mail addresses"), lambda o: ", ".join(o.emails)),
        (_("Phone numbers"), lambda o: ", ".join(o.phones)),
        (_("Website"), lambda o: o.website),
        (_("Themes"), lambda o: ", ".join(t.label for t in o.themes.all())),
        (_("Founding year"), lambda o: o.founding_year or ""),
        (_("Size"), lambda o: o.get_size_band_display()),
        (_("Association registry no."), lambda o: o.association_registry_no),
        (_("Foundation registry no."), lambda o: o.foundation_registry_no),
        (_("Tax no."), lambda o: o.tax_no),
        (_("Status"), lambda o: o.get_status_display()),
        (_("Verified"), lambda o: _yes_no(o.verified)),
        (_("Listed in the public directory"), lambda o: _yes_no(o.public_listing_consent)),
        (_("Parent organisation"), lambda o: o.parent.name if o.parent else ""),
        (_("Created"), lambda o: timezone.localtime(o.created_at).strftime("%Y-%m-%d %H:%M")),
        (_("Last changed"), lambda o: timezone.localtime(o.updated_at).strftime("%Y-%m-%d %H:%M")),
    ]


def _yes_no(value: bool) -> str:
    return str(_("yes") if value else _("no"))


def _rows(queryset: Any) -> Iterator[list[Any]]:
    columns = _columns()
    yield [str(title) for title, _value in columns]
    organisation: Organisation
    for organisation in queryset.iterator(chunk_size=CHUNK):
        yield [value(organisation) for _title, value in columns]


def _safe_text(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Echo:
    """A file-like object that hands back what is written, for streaming ``csv.writer``."""

    def write(self, value: str) -> str:
        return value


@transaction.atomic
def _record_export(*, filters: OrganisationFilters, file_format: str, actor: Any) -> None:
    log_action(
        "kaynak.directory.organisations.exported",
        actor=actor,
        data={"format": file_format, "filters": filters.as_audit_data()},
    )


def organisations_csv(*, filters: OrganisationFilters, actor: Any) -> Iterator[str]:
    """The filtered staff list as CSV lines, the first one starting with a UTF-8 BOM. The
    export is recorded now; the lines are produced as the response is sent."""
    _record_export(filters=filters, file_format="csv", actor=actor)
    return _csv_lines(filters)


def _csv_lines(filters: OrganisationFilters) -> Iterator[str]:
    writer = csv.writer(_Echo())
    rows = _rows(organisation_for_export(filters))
    yield "\ufeff" + writer.writerow(next(rows))
    for row in rows:
        yield writer.writerow([_safe_text(value) for value in row])


def organisations_xlsx(*, filters: OrganisationFilters, actor: Any) -> IO[bytes]:
    """The filtered staff list as an XLSX workbook in a temporary file, positioned at 0."""
    _record_export(filters=filters, file_format="xlsx", actor=actor)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(_("Organisations"))[:31])
    rows = _rows(organisation_for_export(filters))
    sheet.append(next(rows))
    for row in rows:
        sheet.append(safe_cells(sheet, row))
    output = tempfile.TemporaryFile()  # noqa: SIM115 — the response closes it
    workbook.save(output)
    output.seek(0)
    return output
