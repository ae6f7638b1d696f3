"""Writing the rows of an import in bulk: a few statements for thousands of rows.

Django's ``bulk_create`` builds a model instance and compiles every field of every row into
SQL: about 0.1 ms a row, which was most of an import's time (measured with
``bench/import_speed.py --profile``). Here the values that are the same for every row (the
defaults, the creation time) are prepared once, only the few that differ are prepared per row,
and one ``INSERT … VALUES (…), (…) … RETURNING id`` per batch gives back the new ids in order,
as ``bulk_create`` does on SQLite and PostgreSQL. No signals are sent, as with ``bulk_create``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import DEFAULT_DB_ALIAS, connections, models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.utils import timezone

from kaynak.core.models import AuditEntry

# Rows per INSERT: large enough that statements are few, small enough for SQLite's limit of
# bound parameters (32,766; 999 on old builds) and PostgreSQL's (65,535) at 25 columns.
_ROWS_PER_STATEMENT = 1000


def _batch_size(connection: BaseDatabaseWrapper, columns: int) -> int:
    limit = connection.features.max_query_params or 65_535
    return max(1, min(_ROWS_PER_STATEMENT, limit // columns))


def _preparer(field: models.Field[Any, Any], connection: BaseDatabaseWrapper) -> Any:
    """What turns a value of ``field`` into a query parameter: ``get_db_prep_save``, except
    for text, which goes as it is (what ``get_db_prep_save`` returns for a ``str`` anyway)."""
    prepare = field.get_db_prep_save
    if type(field) in (models.CharField, models.TextField):
        return lambda value: value if type(value) is str else prepare(value, connection)
    return lambda value: prepare(value, connection)


def _insert(
    model: type[models.Model],
    fields: Sequence[str],
    rows: Sequence[Sequence[Any]],
    *,
    returning: bool,
) -> list[int]:
    if not rows:
        return []
    # The connection itself, not the ``django.db.connection`` proxy: values are prepared with
    # it a hundred thousand times, and each attribute through the proxy costs a dictionary
    # look-up of the alias.
    connection = connections[DEFAULT_DB_ALIAS]
    meta = model._meta
    by_attname = {field.attname: field for field in meta.concrete_fields}
    given = [by_attname[name] for name in fields]
    template = model()
    constant_fields: list[models.Field[Any, Any]] = []
    constant_values: list[Any] = []
    for field in meta.concrete_fields:
        if field.primary_key or field.attname in fields:
            continue
        value = field.pre_save(template, add=True)  # the default, or now() for auto_now(_add)
        if hasattr(value, "resolve_expression"):
            raise TypeError(f"{meta.label}.{field.name}: a database default cannot be bulk-set")
        constant_fields.append(field)
        constant_values.append(field.get_db_prep_save(value, connection))
    columns = [*given, *constant_fields]
    prepare = [_preparer(field, connection) for field in given]
    prepared = [
        [*(prep(value) for prep, value in zip(prepare, row, strict=True)), *constant_values]
        for row in rows
    ]
    quote = connection.ops.quote_name
    # Table and column names come from the model, quoted; the values are parameters.
    head = "INSERT INTO {} ({}) ".format(
        quote(meta.db_table), ", ".join(quote(str(field.column)) for field in columns)
    )
    assert meta.pk is not None
    returning_sql = f" RETURNING {quote(str(meta.pk.column))}" if returning else ""
    row_sql = "({})".format(", ".join(["%s"] * len(columns)))
    statements: Iterable[tuple[str, list[Any]]]
    if connection.vendor == "postgresql":
        # One array per column, as Django's bulk_create does on PostgreSQL: a few parameters
        # whatever the number of rows. (psycopg reads a statement's placeholders in Python;
        # 20,000 of them cost more than the insert itself.)
        arrays = ", ".join(f"(%s)::{_array_type(field, connection)}[]" for field in columns)
        unnest = f"SELECT * FROM UNNEST({arrays})"  # noqa: S608 - types from the model
        statements = (
            (head + unnest + returning_sql, [list(column) for column in zip(*batch, strict=True)])
            for batch in _batches(prepared, _ROWS_PER_STATEMENT)
        )
    elif not returning:
        # No ids wanted: one statement executed for every row, SQLite's fastest insert.
        with connection.cursor() as cursor:
            cursor.executemany(head + "VALUES " + row_sql, prepared)
        return []
    else:
        statements = (
            (
                head + "VALUES " + ", ".join([row_sql] * len(batch)) + returning_sql,
                [value for row in batch for value in row],
            )
            for batch in _batches(prepared, _batch_size(connection, len(columns)))
        )
    ids: list[int] = []
    with connection.cursor() as cursor:
        for sql, params in statements:
            cursor.execute(sql, params)
            if returning:
                ids.extend(row[0] for row in cursor.fetchall())
    if returning and len(ids) != len(rows):  # pragma: no cover - ids not returned
        raise RuntimeError(f"{meta.label}: {len(rows)} rows inserted, {len(ids)} ids returned")
    return ids


def _array_type(field: models.Field[Any, Any], connection: BaseDatabaseWrapper) -> str:
    """A column's type without a length ("varchar", not "varchar(300)"): the array of its
    values is cast to it, and no value may be cut."""
    db_type = field.db_type(connection)
    assert db_type is not None
    return db_type.split("(")[0]


def _batches[T](values: Sequence[T], size: int) -> Iterable[Sequence[T]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def insert_rows(
    model: type[models.Model], *, fields: Sequence[str], rows: Sequence[Sequence[Any]]
) -> list[int]:
    """Insert ``rows`` (values of ``fields``, by attribute name: ``province_id``) into
    ``model``'s table, every other field at its default (``auto_now`` ones: now); the new
    primary keys, in the order of ``rows``."""
    return _insert(model, fields, rows, returning=True)


_AUDIT_FIELDS = (
    "created_at",
    "actor_id",
    "action",
    "content_type_id",
    "object_id",
    "object_repr",
    "data",
)


def log_actions(
    action: str,
    *,
    actor: Any,
    model: type[models.Model],
    entries: Iterable[tuple[Any, str, Any]],
) -> None:
    """Audit entries for many objects of ``model`` at once, ``(pk, repr, data)`` each, as
    ``kaynak.core.audit.log_action`` writes them one at a time."""
    user_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    content_type_id = ContentType.objects.get_for_model(model).pk
    now = timezone.now()
    insert_rows(
        AuditEntry,
        fields=(
            "created_at",
            "actor_id",
            "action",
            "content_type_id",
            "object_id",
            "object_repr",
            "data",
        ),
        rows=[
            (now, user_id, action, content_type_id, str(pk), str(text)[:200], data)
            for pk, text, data in entries
        ],
    )
