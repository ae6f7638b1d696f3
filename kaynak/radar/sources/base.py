"""The contract between a scan and a source adapter.

A scan (``kaynak.radar.scanning``) asks the source's adapter what to fetch for its list
(``listing_requests``; ``next_request`` for further pages), fetches it (keeping every body as a
``RawItem``), lets the adapter read the list (``parse_listing`` → ``Listed`` entries), fetches each
entry's own page when the adapter asks (``detail_request``), and turns each entry into a
``Candidate`` (``candidate``) for ``kaynak.radar.services.ingest``.

Adapters are pure: no database writes, no network (the scan fetches). They raise ``SourceError``
with a reason a person understands when a body cannot be read as what the source should be
(a "feed" that is not XML, selectors that match nothing, JSON without the mapped list); the scan
records it on the raw item and in the report and goes on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from kaynak.radar.candidates import BodyKind, Candidate
from kaynak.radar.fetching import FetchRequest, FetchResult

if TYPE_CHECKING:
    from kaynak.radar.models import Source


# A scan follows ``next_request`` at most this many times per source (a list whose "next" link
# loops, or an API that always says there is more, must still end).
MAX_LISTING_PAGES = 20


class SourceError(Exception):
    """A fetched body that cannot be read as this source's kind; ``str(error)`` is the reason
    (translated, in the language active when raised)."""


@dataclass(frozen=True)
class Listed:
    """One entry of a list page, feed or API answer."""

    url: str
    title: str = ""
    item_key: str = ""
    summary: str = ""
    published: str | None = None
    # The entry's own text when the source gives it (feed content, an API record's description).
    body: str | bytes = ""
    body_kind: BodyKind = "txt"
    # Values stated in structure (see ``Candidate.fields``).
    fields: dict[str, Any] = field(default_factory=dict)


class Adapter(Protocol):
    kind: ClassVar[str]
    # Media types accepted for listing bodies (None: any).
    accept_types: ClassVar[frozenset[str] | None]

    def listing_requests(self, source: Source) -> list[FetchRequest]: ...

    def next_request(self, source: Source, result: FetchResult) -> FetchRequest | None:
        """The next page of the list after ``result``, if any."""
        ...

    def parse_listing(self, source: Source, result: FetchResult) -> list[Listed]: ...

    def detail_request(self, source: Source, listed: Listed) -> FetchRequest | None:
        """What to fetch for the entry's own page; None when the entry is all there is."""
        ...

    def candidate(
        self, source: Source, listed: Listed, detail: FetchResult | None
    ) -> Candidate: ...

    def config_errors(self, config: dict[str, Any]) -> list[str]:
        """What is wrong with a source's ``config`` for this kind (translated sentences)."""
        ...
