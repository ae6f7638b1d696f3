"""The only writers of indicators, targets and manually reported values.

Approval: a manual value counts once someone allowed to approve values (an M&E officer or a
center admin) approved it, and that someone is never the person who entered it (four eyes: the
figure goes to the donor). A rejected value stays, with its reason, and the corrected figure is
entered again as a new value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kaynak.core.audit import log_action
from kaynak.core.errors import KaynakError
from kaynak.core.models import ApplicantType, Province, Region, Theme
from kaynak.core.permissions import require
from kaynak.impact.models import (
    Evidence,
    Indicator,
    ManualValue,
    Method,
    Target,
    ValueStatus,
)
from kaynak.ledger.models import ServiceKind
from kaynak.ledger.outcomes import outcome_measures

EVIDENCE_EXTENSIONS = frozenset(
    {".pdf", ".png", ".jpg", ".jpeg", ".docx", ".xlsx", ".odt", ".ods", ".csv", ".txt"}
)
DEFAULT_MAX_EVIDENCE_BYTES = 10 * 1024 * 1024


class ImpactError(KaynakError):
    """A rule of indicators was broken; ``field`` names the form field it belongs beside."""

    def __init__(
        self, message: str | Promise, *, code: str | None = None, field: str | None = None
    ) -> None:
        super().__init__(message, code=code)
        self.field = field


class TargetsOverlap(ImpactError):
    code = "targets_overlap"


class NotANumber(ImpactError):
    code = "not_a_number"


@dataclass(frozen=True)
class IndicatorFilters:
    """The filters of a computed indicator; empty ones do not narrow."""

    kinds: Collection[ServiceKind] = ()
    themes: Collection[Theme] = ()
    provinces: Collection[Province] = ()
    regions: Collection[Region] = ()
    organisation_types: Collection[ApplicantType] = ()


@dataclass(frozen=True)
class TargetData:
    label: str
    start: dt.date
    end: dt.date
    value: Decimal
    # Where the target came from (a form's prefix), to show an error beside it.
    key: str = field(default="", compare=False)


def _check_indicator(indicator: Indicator) -> None:
    if indicator.method == Method.COMPUTED and not indicator.measure:
        raise ImpactError(
            _("Choose what a computed indicator counts."), code="no_measure", field="measure"
        )
    if indicator.method == Method.OUTCOME and indicator.outcome_slug not in outcome_measures():
        raise ImpactError(
            _("Choose one of the outcome measures the apps provide."),
            code="unknown_outcome",
            field="outcome_slug",
        )
    if indicator.baseline_date is not None and indicator.baseline_value is None:
        raise ImpactError(
            _("Give the baseline value of the baseline date."),
            code="no_baseline_value",
            field="baseline_value",
        )


def _save_indicator(
    indicator: Indicator,
    filters: IndicatorFilters,
    targets: Sequence[TargetData] | None,
    actor: Any,
    verb: str,
) -> Indicator:
    require(actor, "impact.manage_indicators")
    if indicator.method != Method.COMPUTED:
        # Only computed indicators count deliveries: no measure or filter to mislead a reader.
        indicator.measure = ""
        indicator.programme = ""
        indicator.gender = ""
        indicator.reached = ""
        filters = IndicatorFilters()
    if indicator.method != Method.OUTCOME:
        indicator.outcome_slug = ""
    _check_indicator(indicator)
    indicator.save()
    indicator.kinds.set(list(filters.kinds))
    indicator.themes.set(list(filters.themes))
    indicator.provinces.set(list(filters.provinces))
    indicator.regions.set(list(filters.regions))
    indicator.organisation_types.set(list(filters.organisation_types))
    log_action(
        f"kaynak.impact.indicator.{verb}",
        actor=actor,
        target=indicator,
        data={"code": indicator.code, "method": indicator.method, "measure": indicator.measure},
    )
    if targets is not None:
        targets_set(indicator=indicator, targets=targets, actor=actor)
    return indicator


@transaction.atomic
def indicator_create(
    *,
    indicator: Indicator,
    filters: IndicatorFilters,
    targets: Sequence[TargetData] | None = None,
    actor: Any,
) -> Indicator:
    """Save a new indicator (an unsaved instance) with its filters and, given, its targets."""
    if not indicator._state.adding:
        raise ValueError("indicator_create takes an unsaved indicator.")
    return _save_indicator(indicator, filters, targets, actor, "created")


@transaction.atomic
def indicator_update(
    *,
    indicator: Indicator,
    filters: IndicatorFilters,
    targets: Sequence[TargetData] | None = None,
    actor: Any,
) -> Indicator:
    """Save the changes to an indicator, its filters and, given, the whole set of its targets.
    A computed indicator whose filters select nothing is allowed: its value is zero."""
    if indicator._state.adding:
        raise ValueError("indicator_update takes a saved indicator.")
    return _save_indicator(indicator, filters, targets, actor, "updated")


def _check_targets(targets: Sequence[TargetData]) -> None:
    for target in targets:
        if target.end < target.start:
            raise ImpactError(
                _("The target's period ends before it starts."),
                code="target_period",
                field=target.key,
            )
    ordered = sorted(targets, key=lambda t: (t.start, t.end))
    for earlier, later in pairwise(ordered):
        if later.start <= earlier.end:
            raise TargetsOverlap(
                _(
                    "The periods of the targets “%(first)s” and “%(second)s” overlap: a day "
                    "can belong to one target only."
                )
                % {"first": earlier.label, "second": later.label},
                field=later.key,
            )


@transaction.atomic
def targets_set(*, indicator: Indicator, targets: Sequence[TargetData], actor: Any) -> list[Target]:
    """Replace the indicator's targets with ``targets``; refused (nothing changed) when two
    periods overlap or one ends before it starts."""
    require(actor, "impact.manage_indicators")
    _check_targets(targets)
    Indicator.objects.select_for_update().filter(pk=indicator.pk).first()
    indicator.targets.all().delete()
    made = Target.objects.bulk_create(
        Target(indicator=indicator, label=t.label, start=t.start, end=t.end, value=t.value)
        for t in sorted(targets, key=lambda t: t.start)
    )
    log_action(
        "kaynak.impact.targets.set",
        actor=actor,
        target=indicator,
        data={
            "targets": [
                {"label": t.label, "start": str(t.start), "end": str(t.end), "value": str(t.value)}
                for t in made
            ]
        },
    )
    return made


def parse_value(text: str | Decimal) -> Decimal:
    """A reported value: a Decimal, or text such as "12", "12.5", "12,5" or "1 250"."""
    if isinstance(text, Decimal):
        number = text
    else:
        cleaned = str(text).strip().replace(" ", "").replace("\u00a0", "")
        if "," in cleaned and "." not in cleaned:
            cleaned = cleaned.replace(",", ".")
        try:
            number = Decimal(cleaned)
        except InvalidOperation:
            number = Decimal("NaN")
    if not number.is_finite():
        raise NotANumber(
            _("“%(value)s” is not a number. Write a number such as 12 or 12.5.") % {"value": text},
            field="value",
        )
    if abs(number) >= Decimal("1e12"):
        raise NotANumber(_("This number is too large."), field="value")
    return number.quantize(Decimal("0.01"))


def _max_evidence_bytes() -> int:
    return int(getattr(settings, "IMPACT_MAX_EVIDENCE_BYTES", DEFAULT_MAX_EVIDENCE_BYTES))


def check_evidence(files: Sequence[UploadedFile[Any]]) -> None:
    """Refuse files of a type we do not keep or larger than the limit."""
    limit = _max_evidence_bytes()
    for upload in files:
        name = upload.name or ""
        if PurePath(name).suffix.lower() not in EVIDENCE_EXTENSIONS:
            raise ImpactError(
                _("“%(name)s”: only PDF, image, Word, Excel, OpenDocument, CSV or text files.")
                % {"name": name},
                code="evidence_type",
                field="evidence",
            )
        if (upload.size or 0) > limit:
            raise ImpactError(
                _("“%(name)s” is larger than %(megabytes)s MB.")
                % {"name": name, "megabytes": limit // (1024 * 1024)},
                code="evidence_size",
                field="evidence",
            )


@transaction.atomic
def manual_value_enter(
    *,
    indicator: Indicator,
    period_start: dt.date,
    period_end: dt.date,
    value: str | Decimal,
    note: str = "",
    evidence: Sequence[UploadedFile[Any]] = (),
    actor: Any,
) -> ManualValue:
    """Report a value of a manual indicator for a period, with its evidence files; it waits
    for approval."""
    require(actor, "impact.enter_values")
    if indicator.method != Method.MANUAL:
        raise ImpactError(
            _("Values are entered only for indicators reported manually."),
            code="not_manual",
            field="indicator",
        )
    if period_end < period_start:
        raise ImpactError(_("The period ends before it starts."), code="period", field="period_end")
    number = parse_value(value)
    check_evidence(evidence)
    reported = ManualValue.objects.create(
        indicator=indicator,
        period_start=period_start,
        period_end=period_end,
        value=number,
        note=note,
        entered_by=actor,
    )
    for upload in evidence:
        Evidence.objects.create(
            value=reported,
            file=upload,
            name=(upload.name or "")[:200],
            content_type=(upload.content_type or "application/octet-stream")[:120],
            size=upload.size or 0,
        )
    log_action(
        "kaynak.impact.value.entered",
        actor=actor,
        target=reported,
        data={"indicator": indicator.code, "value": str(number), "files": len(evidence)},
    )
    return reported


def _decide(value: ManualValue, actor: Any) -> ManualValue:
    require(actor, "impact.approve_values")
    locked = ManualValue.objects.select_for_update().get(pk=value.pk)
    if locked.status != ValueStatus.ENTERED:
        raise ImpactError(_("This value has already been decided."), code="already_decided")
    if locked.entered_by_id is not None and locked.entered_by_id == actor.pk:
        raise ImpactError(
            _("Someone else must approve or reject a value you entered."), code="own_value"
        )
    return locked


@transaction.atomic
def manual_value_approve(*, value: ManualValue, actor: Any) -> ManualValue:
    """Approve an entered value: from now on it counts in the indicator's results."""
    decided = _decide(value, actor)
    decided.status = ValueStatus.APPROVED
    decided.decided_by = actor
    decided.decided_at = timezone.now()
    decided.save(update_fields=["status", "decided_by", "decided_at"])
    log_action("kaynak.impact.value.approved", actor=actor, target=decided)
    return decided


@transaction.atomic
def manual_value_reject(*, value: ManualValue, reason: str, actor: Any) -> ManualValue:
    """Reject an entered value, saying why; it never counts."""
    if not reason.strip():
        raise ImpactError(_("Say why the value is rejected."), code="no_reason", field="reason")
    decided = _decide(value, actor)
    decided.status = ValueStatus.REJECTED
    decided.decided_by = actor
    decided.decided_at = timezone.now()
    decided.rejection_reason = reason.strip()
    decided.save(update_fields=["status", "decided_by", "decided_at", "rejection_reason"])
    log_action("kaynak.impact.value.rejected", actor=actor, target=decided, data={"reason": reason})
    return decided
