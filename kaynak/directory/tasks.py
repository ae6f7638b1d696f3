"""Background work of the directory, run by the worker through Django's ``django.tasks`` API."""

from __future__ import annotations

from django.tasks import task

from kaynak.directory.merging import duplicate_candidates_refresh
from kaynak.directory.models import RecordKind
from kaynak.directory.resolution import duplicate_organisation_pairs, duplicate_person_pairs


@task()
def refresh_duplicate_candidates() -> int:
    """Queue the pairs of organisations the resolver thinks may be one (scheduled nightly); a
    pair staff decided on is never proposed again. Returns how many pairs are new."""
    return duplicate_candidates_refresh(pairs=duplicate_organisation_pairs())


@task()
def refresh_person_duplicate_candidates() -> int:
    """Queue the pairs of people the resolver thinks may be one (scheduled nightly); a pair
    staff decided on is never proposed again. Returns how many pairs are new."""
    return duplicate_candidates_refresh(pairs=duplicate_person_pairs(), kind=RecordKind.PERSON)
