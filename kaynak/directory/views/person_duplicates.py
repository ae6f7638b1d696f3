"""The duplicates pages (``duplicates``) for people: their queue and URLs.

Personal data: every page needs ``directory.merge_people``, which only staff who may see people
have (``rules.py``)."""

from __future__ import annotations

from typing import Any

from django.urls import URLPattern, path
from django.utils.translation import gettext_lazy

from kaynak.directory import merging
from kaynak.directory.models import Person, RecordKind
from kaynak.directory.views.comparison import RecordPair, matched_evidence
from kaynak.directory.views.duplicates import (
    DuplicateQueue,
    duplicate_compare,
    duplicate_list,
    duplicate_reject,
    merge_history,
    merge_undo,
)


def _same_organisation(pair: RecordPair[Person]) -> dict[str, Any]:
    return {"same_organisation": "organisation" in matched_evidence(pair.candidate)}


PEOPLE = DuplicateQueue[Person](
    kind=RecordKind.PERSON,
    permission="directory.merge_people",
    url_prefix="person_",
    record_url="directory:staff_person",
    name_field="full_name",
    pairs=merging.person_pairs,
    pair=merging.PersonPair,
    merge=merging.person_merge,
    merges=merging.person_merges,
    survivors=merging.surviving_people,
    compare_context=_same_organisation,
    list_template="directory/duplicates/people.html",
    compare_template="directory/duplicates/compare_people.html",
    merges_template="directory/duplicates/person_merges.html",
    summary_template="directory/duplicates/person_summary.html",
)

QUEUE = {"queue": PEOPLE}

urlpatterns: list[URLPattern] = [
    path(gettext_lazy("duplicates/people/"), duplicate_list, QUEUE, name="person_duplicates"),
    path(
        gettext_lazy("duplicates/people/<int:candidate_id>/"),
        duplicate_compare,
        QUEUE,
        name="person_duplicate",
    ),
    path(
        gettext_lazy("duplicates/people/<int:candidate_id>/not-the-same/"),
        duplicate_reject,
        QUEUE,
        name="person_duplicate_reject",
    ),
    path(gettext_lazy("merges/people/"), merge_history, QUEUE, name="person_merges"),
    path(
        gettext_lazy("merges/people/<int:record_id>/undo/"),
        merge_undo,
        QUEUE,
        name="person_merge_undo",
    ),
]
