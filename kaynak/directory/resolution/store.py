"""Keeping an in-memory index in step with a table, cheaply.

Each use asks the database two index-only questions (the newest ``updated_at``, the highest
id; a fraction of a millisecond together), and how many rows there are when those moved or a
second has passed. Nothing changed: the
index is used as is. Newer or new rows: only those are re-read. The row count disagrees with
what was read, or the newest ``updated_at`` went back (a merge was undone, a test rolled back):
every row's id and ``updated_at`` are listed once and compared with what was read, and only
the differences are re-read or dropped.

Writers go through services that ``save()`` (and so touch ``updated_at``); a merge's delete and
an undo's restore are caught by the count. Tests change settings on every set-up, which resets
the indexes (``setting_changed``), so one test's rows never leak into the next.
"""

from __future__ import annotations

import threading
import time
import weakref
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from django.apps import apps
from django.core.signals import setting_changed
from django.db import DatabaseError, connection
from django.db.models import Max, Model


class Index[P](Protocol):
    def __len__(self) -> int: ...
    def add(self, pk: int, profile: P) -> None: ...
    def remove(self, pk: int) -> None: ...


@dataclass(frozen=True)
class _Version:
    count: int
    last_updated: datetime | None
    last_id: int | None


_COUNT_EVERY = 1.0  # seconds
_ALL: weakref.WeakSet[DatabaseIndex[Any, Any]] = weakref.WeakSet()


class DatabaseIndex[P, I: Index[Any]]:
    """One table's rows as profiles in an index, refreshed on each use."""

    def __init__(
        self,
        *,
        model: str,
        fields: Sequence[str],
        build: Callable[[Sequence[Any]], P | None],
        empty: Callable[[], I],
    ) -> None:
        self.model_label = model
        self.fields = tuple(fields)
        self.build = build  # returns None for a row that is not indexed (an erased person)
        self.empty = empty
        self.index: I = empty()
        self.read: dict[int, datetime] = {}  # every row read (indexed or not): its updated_at
        self.version: _Version | None = None
        # Re-entrant: ``searching()`` holds it while ``fresh()`` takes it again.
        self._lock = threading.RLock()
        self._table_seen = False
        self._counted_at = 0.0
        _ALL.add(self)

    def reset(self) -> None:
        with self._lock:
            self.index = self.empty()
            self.read = {}
            self.version = None

    def _model(self) -> type[Model]:
        return apps.get_model(self.model_label)

    def _table_exists(self) -> bool:
        if not self._table_seen:
            try:
                tables = connection.introspection.table_names()
            except DatabaseError:
                return False
            self._table_seen = self._model()._meta.db_table in tables
        return self._table_seen

    def _apply(self, rows: Iterable[Sequence[Any]]) -> None:
        for row in rows:
            pk, updated_at = row[0], row[-1]
            self.read[pk] = updated_at
            profile = self.build(row)
            if profile is None:
                self.index.remove(pk)
            else:
                self.index.add(pk, profile)

    def _forget(self, pks: Iterable[int]) -> None:
        for pk in pks:
            self.read.pop(pk, None)
            self.index.remove(pk)

    @contextmanager
    def searching(self) -> Iterator[I]:
        """The fresh index, held so that no other thread changes it while it is searched
        (the development server is threaded; gunicorn's workers are processes)."""
        with self._lock:
            yield self.fresh()

    def fresh(self) -> I:
        """The index, up to date with the table (empty when the table does not exist)."""
        if not self._table_exists():
            return self.empty()
        manager = self._model()._default_manager
        with self._lock:
            # Separate queries, each answered from an index (one aggregate over all of them
            # makes SQLite scan the table). The count, a little dearer, is asked when the others
            # moved or once a second: a delete without a save (rare) shows within a second.
            last_updated = manager.aggregate(last=Max("updated_at"))["last"]
            last_id = manager.aggregate(last=Max("pk"))["last"]
            known = self.version
            now = time.monotonic()
            if (
                known is not None
                and known.last_updated == last_updated
                and known.last_id == last_id
                and now - self._counted_at < _COUNT_EVERY
            ):
                return self.index
            current = _Version(manager.count(), last_updated, last_id)
            self._counted_at = now
            if known == current:
                return self.index
            rows = manager.values_list(*self.fields, "updated_at")
            went_back = (
                known is not None
                and known.last_updated is not None
                and (current.last_updated is None or current.last_updated < known.last_updated)
            )
            if known is None:
                self._apply(rows.iterator(chunk_size=5000))
            elif not went_back:
                newer = rows.filter(pk__gt=known.last_id or 0)
                if known.last_updated is not None:
                    newer = newer | rows.filter(updated_at__gte=known.last_updated)
                self._apply(newer.iterator(chunk_size=5000))
            if went_back or len(self.read) != current.count:
                self._reconcile(manager, rows)
            self.version = current
            return self.index

    def _reconcile(self, manager: Any, rows: Any) -> None:
        """Compare every row's id and ``updated_at`` with what was read; re-read the
        differences, drop the rows that are gone."""
        stamps = dict(manager.values_list("pk", "updated_at").iterator(chunk_size=20000))
        self._forget([pk for pk in self.read if pk not in stamps])
        changed = [pk for pk, stamp in stamps.items() if self.read.get(pk) != stamp]
        for start in range(0, len(changed), 500):
            self._apply(rows.filter(pk__in=changed[start : start + 500]))


def _reset_all(**kwargs: Any) -> None:
    for database_index in list(_ALL):
        database_index.reset()


# A settings change may point at another database; tests change settings on every set-up.
setting_changed.connect(_reset_all, dispatch_uid="kaynak.directory.resolution.reset")
