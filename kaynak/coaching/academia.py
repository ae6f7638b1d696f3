"""Services: academics, partnership requests, partnerships, activities and outputs (filled by
its owner)."""

from __future__ import annotations

from kaynak.calls.models import Application


def apply_decision(*, application: Application, previous: str) -> None:
    """An application of a partnership round's call accepted → a request; see receivers."""
