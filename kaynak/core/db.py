"""Database helpers: Turkish alphabetical order on SQLite and PostgreSQL alike, whether
SQLite can do full-text search (FTS5), setting a many-to-many field, and a free address (slug)."""

from __future__ import annotations

import contextlib
import functools
import sqlite3
from collections.abc import Iterable
from typing import Any

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F
from django.db.models.functions import Collate
from django.utils.text import slugify

from kaynak.core.text import compare_tr, search_key

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


@functools.cache
def sqlite_has_fts5() -> bool:
    """Whether this Python's SQLite library was built with FTS5 (asked once, in memory: no query
    on the real database). The search-index migrations ask the same, so their tables exist
    exactly then."""
    try:
        with contextlib.closing(sqlite3.connect(":memory:")) as probe:
            probe.execute("CREATE VIRTUAL TABLE probe USING fts5(x)")
    except sqlite3.OperationalError:
        return False
    return True


def set_related(instance: models.Model, field: str, rows: Iterable[models.Model] | None) -> bool:
    """Set the many-to-many ``field`` of ``instance`` to ``rows`` if they differ (None leaves it
    as it is); True when it changed, so a service can say what it changed in the audit log."""
    if rows is None:
        return False
    manager = getattr(instance, field)
    wanted = {row.pk for row in rows}
    if wanted == set(manager.values_list("pk", flat=True)):
        return False
    manager.set(list(wanted))
    return True


def free_slug(
    rows: models.QuerySet[Any],
    text: str,
    *,
    fallback: str,
    max_length: int,
    reserved: Iterable[str] = (),
) -> str:
    """An address (slug) made from ``text`` (Turkish letters folded: "Işık Çağ" → "isik-cag")
    that no row of ``rows`` has and that is not ``reserved``: numbered ("-2", "-3" …) when
    taken; ``fallback`` when ``text`` has no letters. The base is cut at ``max_length``."""
    base = slugify(search_key(text))[:max_length].strip("-") or fallback
    used = set(rows.filter(slug__startswith=base).values_list("slug", flat=True)) | set(reserved)
    candidate, number = base, 1
    while candidate in used:
        number += 1
        candidate = f"{base}-{number}"
    return candidate
