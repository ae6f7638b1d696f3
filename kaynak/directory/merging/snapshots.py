"""Rows kept in a merge's snapshot, and put back from it.

Serialised with Django's serialisers into JSON, but with full microseconds (Django's own JSON
encoder cuts them to milliseconds), so that undo gives back the very same timestamps.
"""

from __future__ import annotations

import datetime as dt
import decimal
import json
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from itertools import batched, groupby
from typing import Any

from django.apps import apps
from django.core import serializers
from django.db import models, router
from django.db.models import QuerySet
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.utils.translation import gettext_lazy as _

from kaynak.core.errors import KaynakError

Serialized = dict[str, Any]


class MergeError(KaynakError):
    """A merge or its undo was refused; the message says why, in the user's language."""

    code = "merge_refused"


class _SnapshotEncoder(json.JSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime | dt.date | dt.time):
            return o.isoformat()
        if isinstance(o, decimal.Decimal | uuid.UUID):
            return str(o)
        return super().default(o)


def _model_of(obj: models.Model) -> type[models.Model]:
    return type(obj)


def serialize(objects: Iterable[models.Model], *, with_m2m: bool = False) -> list[Serialized]:
    """Rows as JSON-ready dictionaries (Django's "python" format), in the same order.

    Many-to-many values only ``with_m2m``: they cost a query per row, and a merge keeps the
    rows of many-to-many tables as rows of their own anyway."""
    data: list[Serialized] = []
    for model, group in groupby(objects, key=_model_of):
        rows = list(group)
        fields = None
        if not with_m2m:
            fields = [f.name for f in model._meta.concrete_fields if not f.primary_key]
        data += serializers.serialize("python", rows, fields=fields)
    loaded: list[Serialized] = json.loads(json.dumps(data, cls=_SnapshotEncoder))
    return loaded


def deserialize(data: list[Serialized]) -> list[Any]:
    """``DeserializedObject``s for ``data``; ``.object`` is the unsaved row."""
    return list(serializers.deserialize("python", data))


def moved_reference(
    model: type[models.Model], pk: Any, column: str, old: Any, new: Any
) -> Serialized:
    """A snapshot entry: the row ``model``/``pk`` had ``old`` in ``column``, now ``new``."""
    return {"model": model._meta.label_lower, "pk": pk, "field": column, "old": old, "new": new}


def remove(rows: Sequence[models.Model]) -> tuple[list[Serialized], list[Serialized]]:
    """Delete ``rows`` and whatever their deletion cascades to. Returns the deleted rows,
    serialised in the order to re-create them, and the references the deletion set to NULL."""
    collector = Collector(using=router.db_for_write(type(rows[0])), origin=rows[0])
    try:
        collector.collect(list(rows))
    except (ProtectedError, RestrictedError) as exc:
        blocking = sorted({str(obj._meta.verbose_name) for obj in exc.args[1]})
        raise MergeError(
            _("A row that must be set aside is still used elsewhere: %(what)s.")
            % {"what": ", ".join(blocking)}
        ) from exc
    doomed: list[models.Model] = []
    for batch in collector.fast_deletes:
        doomed.extend(batch.all() if isinstance(batch, QuerySet) else [batch])
    collector.sort()  # the order Collector.delete() deletes in: dependent rows first
    for instances in collector.data.values():
        doomed.extend(sorted(instances, key=lambda obj: obj.pk))
    nulled: list[Serialized] = []
    for (field, value), groups in collector.field_updates.items():
        # Each group is a queryset or a list of rows (django-stubs types it as one row).
        for group in groups:
            updated: Any = group
            pairs = (
                list(updated.values_list("pk", field.attname))
                if isinstance(updated, QuerySet)
                else [(obj.pk, getattr(obj, field.attname)) for obj in updated]
            )
            new = getattr(value, "pk", value)
            nulled += [
                moved_reference(field.model, pk, field.attname, old, new) for pk, old in pairs
            ]
    serialized = serialize(doomed)
    collector.delete()
    return serialized[::-1], nulled


def restore(data: list[Serialized]) -> None:
    """Insert rows a merge deleted again, with their primary keys and timestamps."""
    restored = deserialize(data)
    for item in restored:
        # raw: no auto_now, no save() logic; many-to-many rows come back as rows of their own.
        item.save(save_m2m=False, force_insert=True)
    _check_targets_exist([item.object for item in restored])


def _check_targets_exist(objects: Sequence[models.Model]) -> None:
    """Refuse to restore a row whose foreign key points at something deleted since the merge.
    (The databases check foreign keys only at commit: too late to say why, and to roll back to
    the caller's savepoint.)"""
    wanted: dict[tuple[type[models.Model], str], set[Any]] = defaultdict(set)
    for obj in objects:
        for field in obj._meta.concrete_fields:
            value = getattr(obj, field.attname)
            if isinstance(field, models.ForeignKey) and value is not None:
                target = field.remote_field.model._meta.concrete_model
                assert target is not None
                wanted[target, field.target_field.attname].add(value)
    for (target, column), values in wanted.items():
        existing = target._base_manager.filter(**{f"{column}__in": values})
        if len(set(existing.values_list(column, flat=True))) < len(values):
            raise MergeError(
                _("The merge cannot be undone: a %(what)s it refers to was deleted since.")
                % {"what": target._meta.verbose_name}
            )


def move_back(entries: Iterable[Serialized]) -> int:
    """Point moved references back where they were, where they still point where the merge put
    them. Returns how many could not be moved back (deleted or changed since)."""
    groups: dict[tuple[str, str, Any, Any], list[Any]] = defaultdict(list)
    for entry in entries:
        groups[entry["model"], entry["field"], entry["old"], entry["new"]].append(entry["pk"])
    missed = 0
    for (label, column, old, new), pks in groups.items():
        manager = apps.get_model(label)._base_manager
        for chunk in batched(pks, 500):
            moved = manager.filter(pk__in=chunk, **{column: new}).update(**{column: old})
            missed += len(chunk) - moved
    return missed
