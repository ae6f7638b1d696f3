"""Staff pages for duplicate organisations: the queue of pairs the resolver found, the two
records side by side (merge, or "not the same"), and the history of merges with undo."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.forms.boundfield import BoundField, BoundWidget
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.middleware import HtmxDetails

from kaynak.accounts.http import AuthenticatedHttpRequest
from kaynak.core.errors import KaynakError
from kaynak.core.permissions import permission_required
from kaynak.directory import merging
from kaynak.directory.merging import DICT_FIELDS, LIST_FIELDS, Choice, OrganisationPair
from kaynak.directory.merging.references import capfirst_tr, concrete_field
from kaynak.directory.models import (
    CandidateStatus,
    DuplicateCandidate,
    MergeRecord,
    Organisation,
    RecordKind,
)
from kaynak.directory.resolution import EVIDENCE_LABELS

PAGE_SIZE = 25
LEFT, RIGHT, BOTH = "left", "right", "both"

# Which rows of the comparison the resolver found in common, by its evidence.
EVIDENCE_FIELDS = {
    "name": {"name"},
    "similar-name": {"name"},
    "acronym": {"short_name"},
    "email-domain": {"emails", "website"},
    "email": {"emails"},
    "phone": {"phones"},
    "registry-no": {"association_registry_no", "foundation_registry_no", "tax_no"},
    "province": {"province"},
}


class StaffRequest(AuthenticatedHttpRequest):
    htmx: HtmxDetails


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


def _shown(organisation: Organisation, name: str) -> str:
    """A field's value as people read it."""
    field = concrete_field(Organisation, name)
    value = getattr(organisation, name)
    if field.choices and value:
        value = getattr(organisation, f"get_{name}_display")()
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


def _comparable_fields() -> list[str]:
    choosable = merging.choosable_fields(RecordKind.ORGANISATION)
    return [field.name for field in Organisation._meta.concrete_fields if field.name in choosable]


class MergeForm(forms.Form):
    """Which record is kept, and for each field that differs, whose value it keeps."""

    def __init__(self, data: Any = None, *, pair: OrganisationPair) -> None:
        super().__init__(data)
        self.pair = pair
        left, right = pair.left, pair.right
        self.fields["keep"] = forms.ChoiceField(
            label=gettext_lazy("Record to keep"),
            choices=[(LEFT, left.name), (RIGHT, right.name)],
            widget=forms.RadioSelect,
            initial=LEFT,
        )
        self.differing: list[str] = []
        sides = {Choice.SURVIVOR: LEFT, Choice.MERGED: RIGHT, Choice.BOTH: BOTH}
        for name in _comparable_fields():
            attname = concrete_field(Organisation, name).attname
            if getattr(left, attname) == getattr(right, attname):
                continue
            self.differing.append(name)
            choices = [(LEFT, _shown(left, name) or "—"), (RIGHT, _shown(right, name) or "—")]
            if name in LIST_FIELDS | DICT_FIELDS:
                choices.append((BOTH, _("Both")))
            # Not required: a value not sent keeps what the merge keeps when not told.
            self.fields[f"value_{name}"] = forms.ChoiceField(
                label=concrete_field(Organisation, name).verbose_name,
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
        matched = {
            name
            for signal in signals(self.pair.candidate.evidence)
            if not signal.against
            for name in EVIDENCE_FIELDS.get(signal.code, ())
        }
        rows = []
        for name in _comparable_fields():
            bound = self[f"value_{name}"] if name in self.differing else None
            rows.append(
                FieldRow(
                    name=name,
                    label=capfirst_tr(concrete_field(Organisation, name).verbose_name),
                    left=_shown(self.pair.left, name),
                    right=_shown(self.pair.right, name),
                    matched=name in matched,
                    field=bound,
                    radios={radio.data["value"]: radio for radio in bound} if bound else {},
                )
            )
        return rows

    def merge_arguments(self) -> tuple[Organisation, Organisation, dict[str, str]]:
        """(survivor, merged, values) for ``organisation_merge``."""
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


def _pair_or_404(candidate_id: int) -> OrganisationPair:
    candidate = get_object_or_404(DuplicateCandidate, pk=candidate_id, kind=RecordKind.ORGANISATION)
    pairs = merging.organisation_pairs([candidate])
    if not pairs:
        raise Http404  # one of the two was merged away or deleted
    return pairs[0]


@vary_on_headers("HX-Request")
@permission_required("directory.merge_organisations")
def duplicate_list(request: StaffRequest) -> HttpResponse:
    page = Paginator(merging.open_candidates(), PAGE_SIZE).get_page(request.GET.get("page"))
    pairs = merging.organisation_pairs(page.object_list)
    rows = [(pair, signals(pair.candidate.evidence)) for pair in pairs]
    return render(request, "directory/duplicates/list.html", {"page": page, "rows": rows})


@permission_required("directory.merge_organisations")
def duplicate_compare(request: StaffRequest, candidate_id: int) -> HttpResponse:
    pair = _pair_or_404(candidate_id)
    form = MergeForm(request.POST if request.method == "POST" else None, pair=pair)
    if request.method == "POST" and form.is_valid():
        survivor, merged, values = form.merge_arguments()
        try:
            record = merging.organisation_merge(
                survivor=survivor, merged=merged, values=values, actor=request.user
            )
        except KaynakError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(
                request,
                _("“%(merged)s” is merged into “%(survivor)s”. You can undo it below.")
                % {"merged": merged.name, "survivor": survivor.name},
            )
            return redirect(f"{reverse('directory:merges')}#merge-{record.pk}")
    context = {
        "pair": pair,
        "form": form,
        "rows": form.rows(),
        "signals": signals(pair.candidate.evidence),
        "left_references": merging.reference_counts(pair.left),
        "right_references": merging.reference_counts(pair.right),
        "left_themes": list(pair.left.themes.all()),
        "right_themes": list(pair.right.themes.all()),
    }
    return render(request, "directory/duplicates/compare.html", context)


@require_POST
@permission_required("directory.merge_organisations")
def duplicate_reject(request: StaffRequest, candidate_id: int) -> HttpResponse:
    pair = _pair_or_404(candidate_id)
    error = ""
    try:
        candidate = merging.candidate_reject(candidate=pair.candidate, actor=request.user)
    except KaynakError as exc:
        error = str(exc.message)
    else:
        pair = OrganisationPair(candidate, pair.left, pair.right)
    if request.htmx:
        context = {"pair": pair, "signals": signals(pair.candidate.evidence), "error": error}
        return render(request, "directory/duplicates/list.html#row", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(
            request,
            _(
                "“%(left)s” and “%(right)s” are marked as not the same; the pair is not "
                "proposed again."
            )
            % {"left": pair.left.name, "right": pair.right.name},
        )
    return redirect("directory:duplicates")


@permission_required("directory.merge_organisations")
def merge_history(request: StaffRequest) -> HttpResponse:
    page = Paginator(merging.organisation_merges(), PAGE_SIZE).get_page(request.GET.get("page"))
    survivors = merging.survivors_of(page.object_list)
    rows = [(record, survivors.get(record.survivor_id)) for record in page.object_list]
    return render(request, "directory/duplicates/merges.html", {"page": page, "rows": rows})


@require_POST
@permission_required("directory.merge_organisations")
def merge_undo(request: StaffRequest, record_id: int) -> HttpResponse:
    record = get_object_or_404(MergeRecord, pk=record_id, kind=RecordKind.ORGANISATION)
    try:
        merging.merge_undo(record=record, actor=request.user)
    except KaynakError as exc:
        messages.error(request, str(exc.message))
    else:
        name = record.snapshot["merged"]["fields"].get("name", "")
        messages.success(request, _("The merge is undone: “%(name)s” is back.") % {"name": name})
    return redirect(f"{reverse('directory:merges')}#merge-{record.pk}")


urlpatterns: list[URLPattern] = [
    path(gettext_lazy("duplicates/"), duplicate_list, name="duplicates"),
    path(gettext_lazy("duplicates/<int:candidate_id>/"), duplicate_compare, name="duplicate"),
    path(
        gettext_lazy("duplicates/<int:candidate_id>/not-the-same/"),
        duplicate_reject,
        name="duplicate_reject",
    ),
    path(gettext_lazy("merges/"), merge_history, name="merges"),
    path(gettext_lazy("merges/<int:record_id>/undo/"), merge_undo, name="merge_undo"),
]
