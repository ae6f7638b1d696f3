"""Two records that may be one, side by side: the resolver's evidence as labels, both records'
values field by field, and the form that merges them (whose record is kept, and whose value
each differing field keeps). Used by the duplicates pages of organisations and of people."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from django import forms
from django.forms.boundfield import BoundField, BoundWidget
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_htmx.middleware import HtmxDetails

from kaynak.accounts.http import AuthenticatedHttpRequest
from kaynak.directory import merging
from kaynak.directory.merging import DICT_FIELDS, LIST_FIELDS, Choice
from kaynak.directory.merging.references import capfirst_tr, concrete_field
from kaynak.directory.merging.services import KINDS
from kaynak.directory.models import (
    CandidateStatus,
    DuplicateCandidate,
    Organisation,
    Person,
    RecordKind,
)
from kaynak.directory.resolution import EVIDENCE_LABELS

LEFT, RIGHT, BOTH = "left", "right", "both"

Record = Organisation | Person

# Which rows of the comparison the resolver found in common, by its evidence.
EVIDENCE_FIELDS: dict[RecordKind, dict[str, set[str]]] = {
    RecordKind.ORGANISATION: {
        "name": {"name"},
        "similar-name": {"name"},
        "acronym": {"short_name"},
        "email-domain": {"emails", "website"},
        "email": {"emails"},
        "phone": {"phones"},
        "registry-no": {"association_registry_no", "foundation_registry_no", "tax_no"},
        "province": {"province"},
    },
    RecordKind.PERSON: {
        "name": {"full_name"},
        "similar-name": {"full_name"},
        "email": {"emails"},
        "phone": {"phones"},
        "province": {"province"},
        "birth-year": {"birth_year"},
        "birth-date": {"birth_year"},
    },
}


class StaffRequest(AuthenticatedHttpRequest):
    htmx: HtmxDetails


class RecordPair[R: Record](Protocol):
    """A candidate pair with both of its records (``merging.OrganisationPair``, ``PersonPair``)."""

    @property
    def candidate(self) -> DuplicateCandidate: ...
    @property
    def left(self) -> R: ...
    @property
    def right(self) -> R: ...


@dataclass(frozen=True)
class Signal:
    code: str
    label: str | Promise
    against: bool  # evidence that the two are different


def signals(evidence: list[str]) -> list[Signal]:
    """The resolver's evidence for a pair, labelled; some of it says the two are different."""
    return [
        Signal(
            code,
            capfirst_tr(EVIDENCE_LABELS.get(code, code)),
            code.startswith("different-") or code == "branch",
        )
        for code in evidence
    ]


def matched_evidence(candidate: DuplicateCandidate) -> set[str]:
    """The evidence codes that say the two records have something in common."""
    return {signal.code for signal in signals(candidate.evidence) if not signal.against}


def shown(record: Record, name: str) -> str:
    """A field's value as people read it (phones as stored: E.164)."""
    field = concrete_field(type(record), name)
    value = getattr(record, name)
    if field.choices and value:
        value = getattr(record, f"get_{name}_display")()
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if isinstance(value, dict):
        return ", ".join(f"{key}: {item}" for key, item in value.items())
    return "" if value is None else str(value)


@dataclass(frozen=True)
class FieldRow:
    """One row of the comparison: a field, both values and, where they differ, the radios."""

    name: str
    label: str | Promise
    left: str
    right: str
    matched: bool
    field: BoundField | None
    radios: dict[str, BoundWidget]


def comparable_fields(kind: RecordKind) -> list[str]:
    """The fields staff choose a value for, in the model's order."""
    model = KINDS[kind].model
    choosable = merging.choosable_fields(kind)
    return [field.name for field in model._meta.concrete_fields if field.name in choosable]


class MergeForm[R: Record](forms.Form):
    """Which record is kept, and for each field that differs, whose value it keeps."""

    def __init__(self, data: Any = None, *, pair: RecordPair[R], kind: RecordKind) -> None:
        super().__init__(data)
        self.pair = pair
        self.kind = kind
        self.model = KINDS[kind].model
        left, right = pair.left, pair.right
        self.fields["keep"] = forms.ChoiceField(
            label=gettext_lazy("Record to keep"),
            choices=[(LEFT, str(left)), (RIGHT, str(right))],
            widget=forms.RadioSelect,
            initial=LEFT,
        )
        self.differing: list[str] = []
        sides = {Choice.SURVIVOR: LEFT, Choice.MERGED: RIGHT, Choice.BOTH: BOTH}
        for name in comparable_fields(kind):
            field = concrete_field(self.model, name)
            if getattr(left, field.attname) == getattr(right, field.attname):
                continue
            self.differing.append(name)
            choices = [(LEFT, shown(left, name) or "—"), (RIGHT, shown(right, name) or "—")]
            if name in LIST_FIELDS | DICT_FIELDS:
                choices.append((BOTH, _("Both")))
            # Not required: a value not sent keeps what the merge keeps when not told.
            self.fields[f"value_{name}"] = forms.ChoiceField(
                label=field.verbose_name,
                choices=choices,
                widget=forms.RadioSelect,
                initial=sides[merging.default_choice(name, left, right)],
                required=False,
            )

    def clean(self) -> dict[str, Any] | None:
        candidate = self.pair.candidate
        if candidate.status != CandidateStatus.OPEN:
            raise forms.ValidationError(
                _("This pair is already decided: %(status)s.")
                % {"status": candidate.get_status_display()}
            )
        return super().clean()

    def rows(self) -> list[FieldRow]:
        fields_of = EVIDENCE_FIELDS[self.kind]
        matched = {
            name
            for code in matched_evidence(self.pair.candidate)
            for name in fields_of.get(code, ())
        }
        rows = []
        for name in comparable_fields(self.kind):
            bound = self[f"value_{name}"] if name in self.differing else None
            rows.append(
                FieldRow(
                    name=name,
                    label=capfirst_tr(concrete_field(self.model, name).verbose_name),
                    left=shown(self.pair.left, name),
                    right=shown(self.pair.right, name),
                    matched=name in matched,
                    field=bound,
                    radios={radio.data["value"]: radio for radio in bound} if bound else {},
                )
            )
        return rows

    def merge_arguments(self) -> tuple[R, R, dict[str, str]]:
        """(survivor, merged, values) for ``organisation_merge`` / ``person_merge``."""
        keep_left = self.cleaned_data["keep"] == LEFT
        pair = self.pair
        survivor, merged = (pair.left, pair.right) if keep_left else (pair.right, pair.left)
        values: dict[str, str] = {}
        for name in self.differing:
            side = self.cleaned_data[f"value_{name}"]
            if not side:
                continue
            kept = side == (LEFT if keep_left else RIGHT)
            values[name] = (
                Choice.BOTH if side == BOTH else Choice.SURVIVOR if kept else Choice.MERGED
            )
        return survivor, merged, values
