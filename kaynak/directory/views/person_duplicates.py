"""Staff pages for duplicate people: the queue of pairs the resolver found, the two people side
by side (merge, or "not the same"), and the history of their merges with undo.

Personal data: every page needs ``directory.merge_people``, which only staff who may see people
have (``rules.py``)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from kaynak.core.errors import KaynakError
from kaynak.core.permissions import permission_required
from kaynak.directory import merging
from kaynak.directory.merging import PersonPair
from kaynak.directory.models import DuplicateCandidate, MergeRecord, RecordKind
from kaynak.directory.views.comparison import (
    MergeForm,
    StaffRequest,
    matched_evidence,
    signals,
)

PAGE_SIZE = 25


def _pair_or_404(candidate_id: int) -> PersonPair:
    candidate = get_object_or_404(DuplicateCandidate, pk=candidate_id, kind=RecordKind.PERSON)
    pairs = merging.person_pairs([candidate])
    if not pairs:
        raise Http404  # one of the two was merged away, erased or deleted
    return pairs[0]


@vary_on_headers("HX-Request")
@permission_required("directory.merge_people")
def person_duplicate_list(request: StaffRequest) -> HttpResponse:
    candidates = merging.open_candidates(kind=RecordKind.PERSON)
    page = Paginator(candidates, PAGE_SIZE).get_page(request.GET.get("page"))
    pairs = merging.person_pairs(page.object_list)
    rows = [(pair, signals(pair.candidate.evidence)) for pair in pairs]
    return render(request, "directory/duplicates/people.html", {"page": page, "rows": rows})


@permission_required("directory.merge_people")
def person_duplicate_compare(request: StaffRequest, candidate_id: int) -> HttpResponse:
    pair = _pair_or_404(candidate_id)
    data = request.POST if request.method == "POST" else None
    form = MergeForm(data, pair=pair, kind=RecordKind.PERSON)
    if request.method == "POST" and form.is_valid():
        survivor, merged, values = form.merge_arguments()
        try:
            record = merging.person_merge(
                survivor=survivor, merged=merged, values=values, actor=request.user
            )
        except KaynakError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(
                request,
                _("“%(merged)s” is merged into “%(survivor)s”. You can undo it below.")
                % {"merged": merged.full_name, "survivor": survivor.full_name},
            )
            return redirect(f"{reverse('directory:person_merges')}#merge-{record.pk}")
    context = {
        "pair": pair,
        "form": form,
        "rows": form.rows(),
        "signals": signals(pair.candidate.evidence),
        "same_organisation": "organisation" in matched_evidence(pair.candidate),
        "left_references": merging.reference_counts(pair.left),
        "right_references": merging.reference_counts(pair.right),
    }
    return render(request, "directory/duplicates/compare_people.html", context)


@require_POST
@permission_required("directory.merge_people")
def person_duplicate_reject(request: StaffRequest, candidate_id: int) -> HttpResponse:
    pair = _pair_or_404(candidate_id)
    error = ""
    try:
        candidate = merging.candidate_reject(candidate=pair.candidate, actor=request.user)
    except KaynakError as exc:
        error = str(exc.message)
    else:
        pair = PersonPair(candidate, pair.left, pair.right)
    if request.htmx:
        context = {"pair": pair, "signals": signals(pair.candidate.evidence), "error": error}
        return render(request, "directory/duplicates/people.html#row", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(
            request,
            _(
                "“%(left)s” and “%(right)s” are marked as not the same; the pair is not "
                "proposed again."
            )
            % {"left": pair.left.full_name, "right": pair.right.full_name},
        )
    return redirect("directory:person_duplicates")


@permission_required("directory.merge_people")
def person_merge_history(request: StaffRequest) -> HttpResponse:
    page = Paginator(merging.person_merges(), PAGE_SIZE).get_page(request.GET.get("page"))
    survivors = merging.surviving_people(page.object_list)
    rows = [(record, survivors.get(record.survivor_id)) for record in page.object_list]
    return render(request, "directory/duplicates/person_merges.html", {"page": page, "rows": rows})


@require_POST
@permission_required("directory.merge_people")
def person_merge_undo(request: StaffRequest, record_id: int) -> HttpResponse:
    record = get_object_or_404(MergeRecord, pk=record_id, kind=RecordKind.PERSON)
    try:
        merging.merge_undo(record=record, actor=request.user)
    except KaynakError as exc:
        messages.error(request, str(exc.message))
    else:
        name = record.snapshot["merged"]["fields"].get("full_name", "")
        messages.success(request, _("The merge is undone: “%(name)s” is back.") % {"name": name})
    return redirect(f"{reverse('directory:person_merges')}#merge-{record.pk}")


urlpatterns: list[URLPattern] = [
    path(gettext_lazy("duplicates/people/"), person_duplicate_list, name="person_duplicates"),
    path(
        gettext_lazy("duplicates/people/<int:candidate_id>/"),
        person_duplicate_compare,
        name="person_duplicate",
    ),
    path(
        gettext_lazy("duplicates/people/<int:candidate_id>/not-the-same/"),
        person_duplicate_reject,
        name="person_duplicate_reject",
    ),
    path(gettext_lazy("merges/people/"), person_merge_history, name="person_merges"),
    path(
        gettext_lazy("merges/people/<int:record_id>/undo/"),
        person_merge_undo,
        name="person_merge_undo",
    ),
]
