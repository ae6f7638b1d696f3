"""Staff pages for duplicate records: the queue of pairs the resolver found, the two records side
by side (merge, or "not the same"), and the history of merges with undo.

Organisations and people share these views and their templates; a ``DuplicateQueue`` says what
differs between the two (permission, queries, merge service, URL names, templates), and each URL
pattern passes its queue to the view. The organisations' queue and URLs are here, the people's in
``person_duplicates``; both use the comparison form of ``comparison``."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import wraps
from typing import Any, Protocol

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import QuerySet
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
from kaynak.directory.models import DuplicateCandidate, MergeRecord, Organisation, RecordKind
from kaynak.directory.views.comparison import (
    MergeForm,
    Record,
    RecordPair,
    StaffRequest,
    signals,
)

PAGE_SIZE = 25


class Merge[R: Record](Protocol):
    """``merging.organisation_merge`` or ``merging.person_merge``."""

    def __call__(
        self, *, survivor: R, merged: R, values: dict[str, str], actor: Any
    ) -> MergeRecord: ...


@dataclass(frozen=True)
class DuplicateQueue[R: Record]:
    """What the duplicates pages of one kind of record (organisations, people) need."""

    kind: RecordKind
    permission: str
    # The prefix of the queue's URL names: "directory:{prefix}duplicates", "…duplicate", …
    url_prefix: str
    # The URL name of a record's staff page.
    record_url: str
    # The field that names a record (in a merge's snapshot).
    name_field: str
    pairs: Callable[[Iterable[DuplicateCandidate]], Sequence[RecordPair[R]]]
    # A pair again, with its candidate as a decision left it.
    pair: Callable[[DuplicateCandidate, R, R], RecordPair[R]]
    merge: Merge[R]
    merges: Callable[[], QuerySet[MergeRecord]]
    survivors: Callable[[Iterable[MergeRecord]], Mapping[int, R]]
    # What the comparison shows of the two besides their fields.
    compare_context: Callable[[RecordPair[R]], dict[str, Any]]
    list_template: str
    compare_template: str
    merges_template: str
    # Shows one record of a pair in the queue (as ``record``).
    summary_template: str

    @property
    def list_url(self) -> str:
        return f"directory:{self.url_prefix}duplicates"

    @property
    def compare_url(self) -> str:
        return f"directory:{self.url_prefix}duplicate"

    @property
    def reject_url(self) -> str:
        return f"directory:{self.url_prefix}duplicate_reject"

    @property
    def merges_url(self) -> str:
        return f"directory:{self.url_prefix}merges"

    @property
    def undo_url(self) -> str:
        return f"directory:{self.url_prefix}merge_undo"

    def pair_or_404(self, candidate_id: int) -> RecordPair[R]:
        candidate = get_object_or_404(DuplicateCandidate, pk=candidate_id, kind=self.kind)
        pairs = self.pairs([candidate])
        if not pairs:
            raise Http404  # one of the two was merged away, erased or deleted
        return pairs[0]


def for_staff_who_merge(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """View decorator: ``permission_required`` with the permission of the view's ``queue``."""

    @wraps(view)
    def wrapper(
        request: StaffRequest, *args: Any, queue: DuplicateQueue[Any], **kwargs: Any
    ) -> HttpResponse:
        guarded: Callable[..., HttpResponse] = permission_required(queue.permission)(view)
        return guarded(request, *args, queue=queue, **kwargs)

    return wrapper


@vary_on_headers("HX-Request")
@for_staff_who_merge
def duplicate_list[R: Record](request: StaffRequest, *, queue: DuplicateQueue[R]) -> HttpResponse:
    candidates = merging.open_candidates(kind=queue.kind)
    page = Paginator(candidates, PAGE_SIZE).get_page(request.GET.get("page"))
    pairs = queue.pairs(page.object_list)
    rows = [(pair, signals(pair.candidate.evidence)) for pair in pairs]
    return render(request, queue.list_template, {"queue": queue, "page": page, "rows": rows})


@for_staff_who_merge
def duplicate_compare[R: Record](
    request: StaffRequest, candidate_id: int, *, queue: DuplicateQueue[R]
) -> HttpResponse:
    pair = queue.pair_or_404(candidate_id)
    data = request.POST if request.method == "POST" else None
    form = MergeForm(data, pair=pair, kind=queue.kind)
    if request.method == "POST" and form.is_valid():
        survivor, merged, values = form.merge_arguments()
        try:
            record = queue.merge(
                survivor=survivor, merged=merged, values=values, actor=request.user
            )
        except KaynakError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(
                request,
                _("“%(merged)s” is merged into “%(survivor)s”. You can undo it below.")
                % {"merged": merged, "survivor": survivor},
            )
            return redirect(f"{reverse(queue.merges_url)}#merge-{record.pk}")
    context = {
        "queue": queue,
        "pair": pair,
        "form": form,
        "rows": form.rows(),
        "signals": signals(pair.candidate.evidence),
        "left_references": merging.reference_counts(pair.left),
        "right_references": merging.reference_counts(pair.right),
        **queue.compare_context(pair),
    }
    return render(request, queue.compare_template, context)


@require_POST
@for_staff_who_merge
def duplicate_reject[R: Record](
    request: StaffRequest, candidate_id: int, *, queue: DuplicateQueue[R]
) -> HttpResponse:
    pair = queue.pair_or_404(candidate_id)
    error = ""
    try:
        candidate = merging.candidate_reject(candidate=pair.candidate, actor=request.user)
    except KaynakError as exc:
        error = str(exc.message)
    else:
        pair = queue.pair(candidate, pair.left, pair.right)
    if request.htmx:
        context = {
            "queue": queue,
            "pair": pair,
            "signals": signals(pair.candidate.evidence),
            "error": error,
        }
        return render(request, "directory/duplicates/queue_base.html#row", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(
            request,
            _(
                "“%(left)s” and “%(right)s” are marked as not the same; the pair is not "
                "proposed again."
            )
            % {"left": pair.left, "right": pair.right},
        )
    return redirect(queue.list_url)


@for_staff_who_merge
def merge_history[R: Record](request: StaffRequest, *, queue: DuplicateQueue[R]) -> HttpResponse:
    page = Paginator(queue.merges(), PAGE_SIZE).get_page(request.GET.get("page"))
    survivors = queue.survivors(page.object_list)
    rows = [(record, survivors.get(record.survivor_id)) for record in page.object_list]
    return render(request, queue.merges_template, {"queue": queue, "page": page, "rows": rows})


@require_POST
@for_staff_who_merge
def merge_undo[R: Record](
    request: StaffRequest, record_id: int, *, queue: DuplicateQueue[R]
) -> HttpResponse:
    record = get_object_or_404(MergeRecord, pk=record_id, kind=queue.kind)
    try:
        merging.merge_undo(record=record, actor=request.user)
    except KaynakError as exc:
        messages.error(request, str(exc.message))
    else:
        name = record.snapshot["merged"]["fields"].get(queue.name_field, "")
        messages.success(request, _("The merge is undone: “%(name)s” is back.") % {"name": name})
    return redirect(f"{reverse(queue.merges_url)}#merge-{record.pk}")


def _themes(pair: RecordPair[Organisation]) -> dict[str, Any]:
    return {
        "left_themes": list(pair.left.themes.all()),
        "right_themes": list(pair.right.themes.all()),
    }


ORGANISATIONS = DuplicateQueue[Organisation](
    kind=RecordKind.ORGANISATION,
    permission="directory.merge_organisations",
    url_prefix="",
    record_url="directory:staff_detail",
    name_field="name",
    pairs=merging.organisation_pairs,
    pair=merging.OrganisationPair,
    merge=merging.organisation_merge,
    merges=merging.organisation_merges,
    survivors=merging.survivors_of,
    compare_context=_themes,
    list_template="directory/duplicates/list.html",
    compare_template="directory/duplicates/compare.html",
    merges_template="directory/duplicates/merges.html",
    summary_template="directory/duplicates/organisation_summary.html",
)

QUEUE = {"queue": ORGANISATIONS}

urlpatterns: list[URLPattern] = [
    path(gettext_lazy("duplicates/"), duplicate_list, QUEUE, name="duplicates"),
    path(
        gettext_lazy("duplicates/<int:candidate_id>/"), duplicate_compare, QUEUE, name="duplicate"
    ),
    path(
        gettext_lazy("duplicates/<int:candidate_id>/not-the-same/"),
        duplicate_reject,
        QUEUE,
        name="duplicate_reject",
    ),
    path(gettext_lazy("merges/"), merge_history, QUEUE, name="merges"),
    path(gettext_lazy("merges/<int:record_id>/undo/"), merge_undo, QUEUE, name="merge_undo"),
]
