"""What a source adapter hands to ingestion: one call as found, before it is matched to a known
``Opportunity``. Adapters (``kaynak.radar.sources``) fill what the source states in structure (an
API's deadline field, a feed's title); extraction fills the rest from the text."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

type BodyKind = Literal["txt", "html", "pdf"]


@dataclass
class Candidate:
    """One call as a source presents it.

    ``body``/``body_kind`` is what extraction reads (the call's own page when the adapter followed
    the link, else the list entry's text). ``fields`` holds values the source states in
    structure; each one, when not ``None``, wins over extraction. Keys are those of
    ``kaynak.radar.extraction.FIELDS`` plus ``other_deadlines`` (list of ``{"date", "label"}``),
    ``funder_name`` and ``summary``.
    """

    url: str
    title: str
    body: str | bytes = ""
    body_kind: BodyKind = "txt"
    item_key: str = ""
    summary: str = ""
    fields: dict[str, Any] = field(default_factory=dict)
    # The raw item whose body this is (detail page, API record or the list itself).
    raw_item_id: int | None = None
