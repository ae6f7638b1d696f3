"""The radar's API: opportunities (public, also in the CommonGrants shape), sources and drafts
(radar editors)."""

from __future__ import annotations

from ninja import Router

router = Router(tags=["funding radar"])
