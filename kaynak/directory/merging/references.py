"""Which rows refer to a record, found generically, and which of them a unique constraint keeps
from moving to another record.

Every foreign key and one-to-one column of every installed model that points at the model
counts, including the rows of many-to-many tables (an organisation's themes) — and the object id
of every generic foreign key whose content type is the model's (a delivery's source). An app
added later is therefore merged without code of its own.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q, QuerySet
from django.utils.functional import Promise
from django.utils.translation import get_language

from kaynak.core.text import upper_tr

# Rows that record history keep pointing at the record they were written about: audit entries
# about a merged record stay under its old id (its history; undo brings it back under that id).
HISTORY_MODELS = frozenset({"core.auditentry"})


def capfirst_tr(text: str | Promise | None) -> str:
    """The text with a capital first letter, Turkish-style on Turkish pages ("il" → "İl")."""
    value = str(text or "")
    first = upper_tr(value[:1]) if (get_language() or "tr").startswith("tr") else value[:1].upper()
    return first + value[1:]


def concrete_field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    """The concrete field ``name`` (a field name or an attname) of ``model``."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{model._meta.label}.{name} is not a concrete field")
    return field


@dataclass(frozen=True)
class Reference:
    """A column that can refer to a record of some model: a foreign key (also the rows of
    many-to-many tables), or the object id of a generic foreign key with its content type."""

    model: type[models.Model]
    column: str  # attname of the column that holds the reference
    target_column: str  # attname of the referenced value on the record (its pk, or to_field)
    name: str  # for people: the verbose name of the column
    content_type_column: str = ""  # generic foreign keys: the content type's column
    content_type_id: int | None = None

    def value_for(self, record: models.Model) -> Any:
        """What this column holds when it refers to ``record``."""
        value = getattr(record, self.target_column)
        if self.content_type_column:
            # The object id column may be text: compare in its own type.
            return concrete_field(self.model, self.column).to_python(value)
        return value

    def rows(self, value: Any) -> QuerySet[Any]:
        where: dict[str, Any] = {self.column: value}
        if self.content_type_column:
            where[self.content_type_column] = self.content_type_id
        return self.model._base_manager.filter(**where)

    @property
    def moves_primary_key(self) -> bool:
        return self.column == self.model._meta.pk.attname

    @property
    def label(self) -> str:
        return f"{capfirst_tr(self.model._meta.verbose_name_plural)} ({self.name})"


def references_to(model: type[models.Model]) -> list[Reference]:
    """Every column of every installed model that can refer to a record of ``model``."""
    found: list[Reference] = []
    content_type = ContentType.objects.get_for_model(model)
    for related in apps.get_models(include_auto_created=True):
        meta = related._meta
        if meta.proxy or not meta.managed or meta.label_lower in HISTORY_MODELS:
            continue
        for field in meta.local_concrete_fields:
            if (
                isinstance(field, models.ForeignKey)
                and not field.remote_field.parent_link
                and field.remote_field.model._meta.concrete_model is model
            ):
                found.append(
                    Reference(
                        related,
                        field.attname,
                        field.target_field.attname,
                        name=str(field.verbose_name),
                    )
                )
        for private in meta.private_fields:
            if isinstance(private, GenericForeignKey):
                found.append(
                    Reference(
                        related,
                        concrete_field(related, private.fk_field).attname,
                        model._meta.pk.attname,
                        name=str(concrete_field(related, private.fk_field).verbose_name),
                        content_type_column=concrete_field(related, private.ct_field).attname,
                        content_type_id=content_type.pk,
                    )
                )
    return found


def reference_counts(record: models.Model) -> list[tuple[str, int]]:
    """How many rows refer to ``record``, per kind of reference. Many-to-many rows are left out:
    pages show them as the record's own field (its themes)."""
    counts = []
    for reference in references_to(type(record)):
        if reference.model._meta.auto_created:
            continue
        count = reference.rows(reference.value_for(record)).count()
        if count:
            counts.append((reference.label, count))
    return counts


def _unique_sets(reference: Reference) -> list[tuple[list[str], Q | None]]:
    """The unique constraints the reference's column takes part in: for each, its other
    columns and its condition."""
    meta = reference.model._meta
    columns = {field.name: field.attname for field in meta.local_concrete_fields}
    sets: list[tuple[list[str], Q | None]] = []
    if concrete_field(reference.model, reference.column).unique:
        sets.append(([], None))
    together: list[tuple[Sequence[str], Q | None]] = [
        (names, None) for names in meta.unique_together
    ]
    together += [
        (constraint.fields, constraint.condition)
        for constraint in meta.constraints
        if isinstance(constraint, models.UniqueConstraint) and constraint.fields
    ]
    for names, condition in together:
        attnames = [columns[name] for name in names]
        if reference.column in attnames:
            sets.append(([c for c in attnames if c != reference.column], condition))
    return sets


def colliding_rows(reference: Reference, old: Any, new: Any) -> set[Any]:
    """Primary keys of the rows referring to ``old`` that a unique constraint forbids moving to
    ``new``, because a row referring to ``new`` already holds the same values (one delivery per
    source × subject, one current affiliation …). NULLs never collide, as in the database."""
    found: set[Any] = set()
    for others, condition in _unique_sets(reference):
        theirs, ours = reference.rows(old), reference.rows(new)
        if condition is not None:
            theirs, ours = theirs.filter(condition), ours.filter(condition)
        if not others:
            if ours.exists():
                found.update(theirs.values_list("pk", flat=True))
            continue
        # Compared here rather than with a correlated subquery: both sides come by an indexed
        # foreign key, and PostgreSQL planned the subquery as a nested loop over fresh tables
        # (29 s for 10,000 deliveries a side; the whole merge takes 2 s this way).
        taken = set(ours.values_list(*others))
        found.update(
            pk
            for pk, *values in theirs.values_list("pk", *others)
            if None not in values and tuple(values) in taken
        )
    return found
