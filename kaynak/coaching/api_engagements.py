"""The API: engagements (filled by its owner)."""

from ninja import Router

router = Router(tags=["engagements"])
