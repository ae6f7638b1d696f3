"""Source adapters, one per kind of source (see ``base.Adapter`` for the contract).

``adapter_for(kind)`` gives the adapter of a ``SourceKind``; ``config_errors(kind, config)``
checks a source's settings before it is saved (admin, ``kaynak radar sources import``).
Manual entries have no adapter: editors enter them through ``services``.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from kaynak.radar.sources.base import Adapter, Listed, SourceError
from kaynak.radar.sources.eu_ft import EuFundingTendersAdapter
from kaynak.radar.sources.grants_gov import GrantsGovAdapter
from kaynak.radar.sources.html import HtmlListAdapter
from kaynak.radar.sources.jsonapi import JsonApiAdapter
from kaynak.radar.sources.rss import RssAdapter

__all__ = ["ADAPTERS", "Adapter", "Listed", "SourceError", "adapter_for", "config_errors"]

ADAPTERS: dict[str, Adapter] = {
    adapter.kind: adapter
    for adapter in (
        RssAdapter(),
        HtmlListAdapter(),
        JsonApiAdapter(),
        EuFundingTendersAdapter(),
        GrantsGovAdapter(),
    )
}


def adapter_for(kind: str) -> Adapter:
    """The adapter of a source kind; ``LookupError`` for a kind without one (manual)."""
    try:
        return ADAPTERS[kind]
    except KeyError:
        raise LookupError(f"no adapter for source kind {kind!r}") from None


def config_errors(kind: str, config: Any) -> list[str]:
    """What is wrong with ``config`` for a source of ``kind`` (translated sentences)."""
    if not isinstance(config, dict):
        return [_("The settings must be a JSON object.")]
    adapter = ADAPTERS.get(kind)
    return adapter.config_errors(config) if adapter is not None else []
