"""The API: partnerships (filled by its owner)."""

from ninja import Router

router = Router(tags=["partnerships"])
