"""Database helpers: Turkish alphabetical order on SQLite and PostgreSQL alike."""

from __future__ import annotations

from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F
from django.db.models.functions import Collate

from kaynak.core.text import compare_tr

# PostgreSQL ships this ICU collation; on SQLite we register a Python one under the same name,
# so one query sorts the Turkish way on both.
TURKISH_COLLATION = "tr-TR-x-icu"


def turkish_order(field: str, *, descending: bool = False) -> Any:
    """An ``order_by()`` term sorting ``field`` alphabetically by Turkish rules."""
    expression = Collate(F(field), TURKISH_COLLATION)
    return expression.desc() if descending else expression.asc()


def register_sqlite_collation(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_collation(TURKISH_COLLATION, compare_tr)
