"""The staff list of partnerships as an XLSX workbook (one row a partnership, as filtered). It
names academics and organisations: the view requires ``coaching.view_partnerships`` and each
export is recorded in the audit log. Dates are dates; text stays text (a cell starting with "="
is not a formula)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kaynak.coaching.queries_academia import PartnershipFilters, partnerships_for_export
from kaynak.core.audit import log_action
from kaynak.core.spreadsheets import workbook_bytes


def partnership_rows(filters: PartnershipFilters) -> Iterator[list[Any]]:
    """The header, then one row per partnership."""
    yield [
        str(_("Title")),
        str(_("Organisation")),
        str(_("Academic")),
        str(_("Institution")),
        str(_("Theme")),
        str(_("Province")),
        str(_("Starts on")),
        str(_("Ends on")),
        str(pgettext_lazy("coaching", "Status")),
        str(_("Public")),
        str(_("Activities")),
        str(_("Publications")),
        str(_("Why this pair")),
        str(_("Address")),
    ]
    for partnership in partnerships_for_export(filters):
        academic = partnership.academic
        yield [
            partnership.title,
            partnership.organisation.name,
            f"{academic.title} {academic.person.full_name}".strip(),
            academic.institution,
            partnership.theme.label,
            partnership.province.label,
            partnership.starts_on,
            partnership.ends_on,
            str(partnership.get_status_display()),
            str(_("Yes")) if partnership.is_public else str(_("No")),
            getattr(partnership, "activity_count", 0),
            getattr(partnership, "output_count", 0),
            partnership.match_reason,
            partnership.slug,
        ]


@transaction.atomic
def _record_export(*, filters: PartnershipFilters, actor: Any) -> None:
    log_action(
        "kaynak.coaching.partnerships.exported",
        actor=actor,
        data={
            "province": filters.province.pk if filters.province else None,
            "theme": filters.theme.slug if filters.theme else None,
            "status": filters.status,
        },
    )


def partnerships_xlsx(*, filters: PartnershipFilters, actor: Any) -> bytes:
    """The workbook: one sheet, "Partnerships"."""
    _record_export(filters=filters, actor=actor)
    return workbook_bytes(
        [(_("Partnerships"), partnership_rows(filters))], date_format="DD.MM.YYYY"
    )
