"""Named reads of imports."""

from __future__ import annotations

from django.db.models import QuerySet

from kaynak.directory.models import ImportBatch


def recent_imports(*, limit: int = 20) -> QuerySet[ImportBatch]:
    """The latest imports, newest first, with who uploaded them."""
    return ImportBatch.objects.select_related("created_by").order_by("-created_at", "-id")[:limit]
