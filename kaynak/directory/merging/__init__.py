"""Merging duplicate records (organisations, people), undoing a merge, and the duplicates queue.

A merge keeps one record (the survivor), takes the values staff chose field by field, moves
every row that refers to the other record (the merged one) to the survivor and deletes the
merged row. References are found generically (``references``): every foreign key, one-to-one
and many-to-many row of every installed model pointing at the model, and every generic foreign
key whose content type is the model's, so an app added later needs no merge code. Where the
survivor already has a row a unique constraint allows only once (one delivery per source ×
subject, one current affiliation per person and organisation, a theme), the survivor's row is
kept and the other one is set aside in the snapshot.

Audit entries are history, not references: those about the merged record keep its old id, and
the merge is logged on the survivor (``kaynak.directory.organisation.merged``). Duplicate
candidates and merge records hold plain ids for the same reason.

``MergeRecord.snapshot`` (JSON from Django's serialisers) holds the merged record as it was, the
survivor before and after, every moved reference (model, pk, column, old and new value) and
every row set aside; ``merge_undo`` restores the previous state from it exactly — same pk, same
timestamps — or refuses when later changes make that unsafe.
"""

from kaynak.directory.merging.queue import (
    OrganisationPair,
    PersonPair,
    candidate_reject,
    duplicate_candidates_refresh,
    open_candidates,
    organisation_merges,
    organisation_pairs,
    person_merges,
    person_pairs,
    surviving_people,
    survivors_of,
)
from kaynak.directory.merging.references import Reference, reference_counts, references_to
from kaynak.directory.merging.services import (
    DICT_FIELDS,
    LIST_FIELDS,
    Choice,
    choosable_fields,
    default_choice,
    merge_undo,
    organisation_merge,
    person_merge,
)
from kaynak.directory.merging.snapshots import MergeError

__all__ = [
    "DICT_FIELDS",
    "LIST_FIELDS",
    "Choice",
    "MergeError",
    "OrganisationPair",
    "PersonPair",
    "Reference",
    "candidate_reject",
    "choosable_fields",
    "default_choice",
    "duplicate_candidates_refresh",
    "merge_undo",
    "open_candidates",
    "organisation_merge",
    "organisation_merges",
    "organisation_pairs",
    "person_merge",
    "person_merges",
    "person_pairs",
    "reference_counts",
    "references_to",
    "surviving_people",
    "survivors_of",
]
