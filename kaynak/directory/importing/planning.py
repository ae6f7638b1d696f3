"""What an import would do, row by row: each row checked, then resolved (a new organisation,
the same as an earlier row's, or a known one). Reads only; the preview and the import share it."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kaynak.directory import resolution
from kaynak.directory.importing.reading import Sheet
from kaynak.directory.importing.validation import CleanRow, clean_rows
from kaynak.directory.models import Organisation

# SQLite allows 999 parameters in a query on old builds; stay well below.
CHUNK = 500


class RowStatus(models.TextChoices):
    """What became (or would become) of a row."""

    NEW = "new", gettext_lazy("New organisation")
    SAME_AS_ROW = "same_as_row", gettext_lazy("Same organisation as an earlier row")
    EXISTING = "existing", gettext_lazy("Known organisation")
    ERROR = "error", gettext_lazy("Error")


@dataclass(frozen=True)
class PlannedRow:
    """A row with its resolution: a new organisation, the same as an earlier row's, or a
    known one (``organisation_id``)."""

    row: CleanRow
    cluster: str
    score: float
    organisation_id: int | None
    organisation_name: str  # of the known organisation
    first_row: int  # the first row of the cluster: it creates the organisation

    @property
    def status(self) -> RowStatus:
        if not self.row.ok:
            return RowStatus.ERROR
        if self.organisation_id is not None:
            return RowStatus.EXISTING
        return RowStatus.NEW if self.first_row == self.row.number else RowStatus.SAME_AS_ROW


@dataclass(frozen=True)
class ImportPlan:
    rows: tuple[PlannedRow, ...]

    @property
    def ok(self) -> bool:
        return all(planned.row.ok for planned in self.rows)

    @property
    def rows_to_fix(self) -> list[int]:
        return [planned.row.number for planned in self.rows if not planned.row.ok]

    def count(self, status: RowStatus) -> int:
        return sum(1 for planned in self.rows if planned.status == status)


def resolve_rows(
    rows: Sequence[CleanRow], *, against_database: bool = True
) -> list[resolution.RowMatch]:
    """One ``RowMatch`` per row, in order, ``row`` being the row's number. Rows without a name
    are no organisation: each stands alone, with score 0."""
    named = [row for row in rows if row.name]
    matches = resolution.cluster_organisations(
        [row.record() for row in named], against_database=against_database
    )
    by_number = {
        named[match.row - 1].number: dataclasses.replace(match, row=named[match.row - 1].number)
        for match in matches
    }
    return [
        by_number.get(row.number)
        or resolution.RowMatch(
            row=row.number, cluster=f"unnamed-{row.number}", organisation_id=None, score=0.0
        )
        for row in rows
    ]


def in_chunks[T](values: Sequence[T]) -> Iterable[Sequence[T]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


def _organisation_names(ids: Iterable[int]) -> dict[int, str]:
    unique = sorted(set(ids))
    names: dict[int, str] = {}
    for chunk in in_chunks(unique):
        names.update(Organisation.objects.filter(pk__in=chunk).values_list("pk", "name"))
    return names


def plan_import(sheet: Sheet, mapping: Mapping[str, int]) -> ImportPlan:
    """What importing ``sheet`` under ``mapping`` would do, row by row. Reads only."""
    rows = clean_rows(sheet, mapping)
    matches = resolve_rows(rows)
    names = _organisation_names(m.organisation_id for m in matches if m.organisation_id)
    first_of_cluster: dict[str, int] = {}
    planned: list[PlannedRow] = []
    for row, match in zip(rows, matches, strict=True):
        first_of_cluster.setdefault(match.cluster, row.number)
        planned.append(
            PlannedRow(
                row=row,
                cluster=match.cluster,
                score=match.score,
                organisation_id=match.organisation_id,
                organisation_name=names.get(match.organisation_id or 0, ""),
                first_row=first_of_cluster[match.cluster],
            )
        )
    return ImportPlan(rows=tuple(planned))


def describe_planned(planned: PlannedRow) -> str:
    """What importing a row would do, in words, in the active language."""
    status = planned.status
    if status == RowStatus.ERROR:
        return " ".join(problem.message for problem in planned.row.problems)
    if status == RowStatus.EXISTING:
        return _("Known organisation #%(id)s “%(name)s”.") % {
            "id": planned.organisation_id,
            "name": planned.organisation_name,
        }
    if status == RowStatus.SAME_AS_ROW:
        return _("Same organisation as row %(row)s.") % {"row": planned.first_row}
    return _("New organisation “%(name)s”.") % {"name": planned.row.name}
