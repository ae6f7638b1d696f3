"""Staff pages for duplicate organisations: the queue of pairs the resolver found, the two
records side by side (merge, or "not the same"), and the history of merges with undo. The
people's pages are in ``person_duplicates``; both share ``comparison``."""

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
from kaynak.directory.merging import OrganisationPair
from kaynak.directory.models import DuplicateCandidate, MergeRecord, RecordKind
from kaynak.directory.views.comparison import MergeForm, StaffRequest, signals

PAGE_SIZE = 25


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
    data = request.POST if request.method == "POST" else None
    form = MergeForm(data, pair=pair, kind=RecordKind.ORGANISATION)
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
