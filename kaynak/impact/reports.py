"""Donor reports: the only writers of ``DonorReport``, and how its figures are read.

A report is a draft while staff write its narrative; its figures are then counted from the
ledger on every request. Finishing it stores every figure (``figures.Figures``) as a snapshot
in the report's language: from then on the report, narrative included, never changes, however
the ledger is corrected later. ``differences()`` shows what today's figures would say instead;
a corrected report is a copy (a new draft) finished again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kaynak.core.audit import log_action
from kaynak.core.permissions import require
from kaynak.impact.figures import BREAKDOWNS, Figures, Scope, compute_figures
from kaynak.impact.models import DonorReport, ReportLanguage, ReportStatus
from kaynak.impact.services import ImpactError


class ReportError(ImpactError):
    code = "report"


class ReportFinished(ReportError):
    code = "report_finished"


class ReportPeriodError(ReportError):
    code = "report_period"


class ReportTitleMissing(ReportError):
    code = "report_title"


@dataclass(frozen=True)
class Narrative:
    """What staff write in a draft: its title and narrative sections (each may be empty)."""

    title: str
    summary: str = ""
    achievements: str = ""
    challenges: str = ""
    next_steps: str = ""


NARRATIVE_FIELDS = ("summary", "achievements", "challenges", "next_steps")


def scope_of(*, start: dt.date, end: dt.date, programme: str = "") -> Scope:
    """The scope of a period and programme; a period that ends before it starts is refused
    with a message for the "until" field."""
    if end < start:
        raise ReportPeriodError(_("The period ends before it starts."), field="end")
    return Scope(start=start, end=end, programme=programme.strip())


def report_scope(report: DonorReport) -> Scope:
    return Scope(start=report.start, end=report.end, programme=report.programme)


def _clean_title(title: str) -> str:
    cleaned = " ".join(title.split())
    if not cleaned:
        raise ReportTitleMissing(_("Give the report a title."), field="title")
    return cleaned[:200]


def _locked_draft(report: DonorReport, refusal: str | Promise) -> DonorReport:
    locked = DonorReport.objects.select_for_update().get(pk=report.pk)
    if locked.status != ReportStatus.DRAFT:
        raise ReportFinished(refusal)
    return locked


@transaction.atomic
def report_create(*, title: str, scope: Scope, language: str, actor: Any) -> DonorReport:
    """Start a draft donor report for ``scope`` in ``language`` ("tr" or "en")."""
    require(actor, "impact.manage_reports")
    if language not in ReportLanguage.values:
        raise ReportError(_("Choose Turkish or English."), field="language")
    report = DonorReport.objects.create(
        title=_clean_title(title),
        start=scope.start,
        end=scope.end,
        programme=scope.programme,
        language=language,
        created_by=actor,
    )
    log_action(
        "kaynak.impact.report.created",
        actor=actor,
        target=report,
        data={"start": str(scope.start), "end": str(scope.end), "programme": scope.programme},
    )
    return report


@transaction.atomic
def report_save_narrative(*, report: DonorReport, data: Narrative, actor: Any) -> DonorReport:
    """Save a draft's title and narrative sections."""
    require(actor, "impact.manage_reports")
    locked = _locked_draft(
        report, _("This report is finished and can no longer be edited; copy it as a new draft.")
    )
    locked.title = _clean_title(data.title)
    for name in NARRATIVE_FIELDS:
        setattr(locked, name, getattr(data, name).strip())
    locked.save(update_fields=["title", *NARRATIVE_FIELDS, "updated_at"])
    log_action("kaynak.impact.report.narrative_saved", actor=actor, target=locked)
    return locked


@transaction.atomic
def report_finish(*, report: DonorReport, actor: Any) -> DonorReport:
    """Count every figure of the report now, in its language, and freeze them with the
    narrative: the report never changes again."""
    require(actor, "impact.manage_reports")
    locked = _locked_draft(report, _("This report is already finished."))
    with translation.override(locked.language):
        counted = compute_figures(report_scope(locked), report=True)
    locked.snapshot = counted.to_json()
    locked.status = ReportStatus.FINISHED
    locked.finished_by = actor
    locked.finished_at = timezone.now()
    locked.save(update_fields=["snapshot", "status", "finished_by", "finished_at", "updated_at"])
    log_action(
        "kaynak.impact.report.finished",
        actor=actor,
        target=locked,
        data={
            "organisations": counted.headline.organisations,
            "people": counted.headline.people,
            "deliveries": counted.headline.deliveries,
        },
    )
    return locked


@transaction.atomic
def report_copy(*, report: DonorReport, actor: Any) -> DonorReport:
    """A new draft with the report's title, period, programme, language and narrative: how a
    finished report is corrected."""
    require(actor, "impact.manage_reports")
    copy = DonorReport.objects.create(
        title=report.title,
        start=report.start,
        end=report.end,
        programme=report.programme,
        language=report.language,
        created_by=actor,
        **{name: getattr(report, name) for name in NARRATIVE_FIELDS},
    )
    log_action("kaynak.impact.report.copied", actor=actor, target=copy, data={"from": report.pk})
    return copy


@transaction.atomic
def report_delete(*, report: DonorReport, actor: Any) -> None:
    """Delete a draft; a finished report is kept for good."""
    require(actor, "impact.manage_reports")
    locked = _locked_draft(report, _("A finished report cannot be deleted."))
    log_action(
        "kaynak.impact.report.deleted", actor=actor, data={"pk": locked.pk, "title": locked.title}
    )
    locked.delete()


# Reading ----------------------------------------------------------------------------------------


def figures_of(report: DonorReport, *, full: bool = True) -> Figures:
    """The report's figures: its snapshot when finished, else counted now in its language
    (``full=False``: without the activity list and raw data, for a quick preview)."""
    if report.is_finished:
        return Figures.from_json(report.snapshot)
    with translation.override(report.language):
        return compute_figures(report_scope(report), report=full)


@dataclass(frozen=True)
class Change:
    """One figure that differs between a finished report and today's ledger.

    ``section``: "headline", a breakdown ("by_kind" …) or "indicators"; ``key``: the headline
    measure, the row's key or the indicator's code; ``label``: what the row is called in the
    report; ``measure``: "organisations", "people", "deliveries", "hours", "provinces" or
    "value". ``then`` or ``now`` is None when the row or the value was not there ("no data").
    """

    section: str
    key: str
    label: str
    measure: str
    then: int | Decimal | None
    now: int | Decimal | None

    @property
    def difference(self) -> int | Decimal | None:
        if self.then is None or self.now is None:
            return None
        return self.now - self.then

    @property
    def section_label(self) -> str:
        return str(SECTION_LABELS[self.section])

    @property
    def measure_label(self) -> str:
        return str(MEASURE_LABELS[self.measure])


SECTION_LABELS = {
    "headline": _("Summary figures"),
    "by_kind": _("By service"),
    "by_theme": _("By theme"),
    "by_organisation_type": _("By organisation type"),
    "by_region": _("By region"),
    "by_province": _("By province"),
    "indicators": _("Indicators"),
}
MEASURE_LABELS = {
    "organisations": _("Organisations"),
    "people": _("People"),
    "deliveries": _("Service deliveries"),
    "hours": _("Hours"),
    "provinces": _("Provinces reached"),
    "value": _("Value"),
}
HEADLINE_MEASURES = ("organisations", "people", "deliveries", "hours", "provinces")


def compare(then: Figures, now: Figures) -> list[Change]:
    """Every figure of ``then`` that ``now`` counts differently (rows that appeared or went
    too), in the order of the report."""
    changes: list[Change] = []
    for name in HEADLINE_MEASURES:
        old, new = getattr(then.headline, name), getattr(now.headline, name)
        if old != new:
            changes.append(Change("headline", name, str(MEASURE_LABELS[name]), name, old, new))
    for breakdown in BREAKDOWNS:
        old_rows = {row.key: row for row in getattr(then, breakdown)}
        new_rows = {row.key: row for row in getattr(now, breakdown)}
        for key in [*old_rows, *(key for key in new_rows if key not in old_rows)]:
            old_row, new_row = old_rows.get(key), new_rows.get(key)
            label = old_row.label if old_row else new_rows[key].label
            for measure in ("organisations", "people"):
                old = getattr(old_row, measure) if old_row else None
                new = getattr(new_row, measure) if new_row else None
                if old != new:
                    changes.append(Change(breakdown, key, label, measure, old, new))
    old_values = {row.code: row for row in then.indicators}
    new_values = {row.code: row for row in now.indicators}
    for code in [*old_values, *(code for code in new_values if code not in old_values)]:
        old_indicator, new_indicator = old_values.get(code), new_values.get(code)
        old = old_indicator.value if old_indicator else None
        new = new_indicator.value if new_indicator else None
        if old != new or (old_indicator is None) != (new_indicator is None):
            name = old_indicator.name if old_indicator else new_values[code].name
            changes.append(Change("indicators", code, f"{code} {name}", "value", old, new))
    return changes


def differences(report: DonorReport) -> list[Change]:
    """What changed between a finished report's snapshot and today's figures (only what
    changed; empty for a draft, whose figures are today's)."""
    if not report.is_finished:
        return []
    with translation.override(report.language):
        # Counted in the report's language, so that rows are named as in the snapshot.
        today = compute_figures(report_scope(report))
    return compare(figures_of(report), today)
