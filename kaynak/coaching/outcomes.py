"""The coaching app's outcome measures, registered in ``kaynak.ledger.outcomes`` (filled by
the engagements' owner)."""

from __future__ import annotations


def register() -> None:
    pass
