"""Services: coaching engagements, plans and sessions (filled by its owner)."""

from __future__ import annotations

from kaynak.calls.models import Application


def apply_decision(*, application: Application, previous: str) -> None:
    """An application of a coaching round's call accepted → an engagement; see receivers."""
