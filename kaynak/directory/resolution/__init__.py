"""Identity resolution: is this organisation (or person) one we already know?

The rules are written for users in docs/directory.md. This package is the one place that
applies them, in three ways:

* at the door — ``organisation_candidates(record)``: the known organisations a form, an import
  row or an API call may mean, best first, each with its evidence;
* in bulk — ``cluster_organisations(records)``: which input rows are the same organisation, and
  which known organisation each cluster is;
* for staff — ``duplicate_organisation_pairs()``: pairs of known organisations that may be one,
  for the duplicates queue.

The public names below are the contract other modules code against.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class OrganisationRecord:
    """An organisation as typed by someone: a form, an import row, an API call."""

    name: str
    city: str = ""
    email: str = ""
    phone: str = ""
    contact_name: str = ""
    registry_no: str = ""
    website: str = ""


@dataclass(frozen=True)
class Candidate:
    """A known organisation (or person) the record may mean."""

    id: int
    score: float  # 0..1; SAME_THRESHOLD and above: the resolver treats it as the same
    evidence: list[str] = field(default_factory=list)  # e.g. ["name", "email-domain", "phone"]


@dataclass(frozen=True)
class RowMatch:
    """Bulk resolution of one input row."""

    row: int  # 1-based position of the row in the input
    cluster: str  # rows with the same cluster are the same organisation
    organisation_id: int | None  # the known organisation the cluster is, if any
    score: float  # confidence of the row's assignment, 0..1


@dataclass(frozen=True)
class PersonRecord:
    full_name: str
    email: str = ""
    phone: str = ""
    city: str = ""
    organisation: str = ""
