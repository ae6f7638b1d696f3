"""The SQLite full-text index of resources (FTS5), kept in step by triggers on
library_resource.

Runs only on SQLite, and only where the SQLite library has FTS5 (elsewhere search falls back to
LIKE on ``search_text``); PostgreSQL searches with its own Turkish full-text search
(``kaynak.library.queries``). The SQL is written out here so this migration stays what it was.
"""

import contextlib
import sqlite3

from django.db import migrations

CREATE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS library_resource_fts USING fts5("
    "title, body, tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS library_resource_fts_insert "
    "AFTER INSERT ON library_resource BEGIN "
    "INSERT INTO library_resource_fts(rowid, title, body) "
    "VALUES (new.id, new.title_key, new.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS library_resource_fts_delete "
    "AFTER DELETE ON library_resource BEGIN "
    "DELETE FROM library_resource_fts WHERE rowid = old.id; END",
    "CREATE TRIGGER IF NOT EXISTS library_resource_fts_update "
    "AFTER UPDATE OF title_key, search_text ON library_resource BEGIN "
    "DELETE FROM library_resource_fts WHERE rowid = old.id; "
    "INSERT INTO library_resource_fts(rowid, title, body) "
    "VALUES (new.id, new.title_key, new.search_text); END",
    "INSERT INTO library_resource_fts(rowid, title, body) "
    "SELECT id, title_key, search_text FROM library_resource",
]
DROP = [
    "DROP TRIGGER IF EXISTS library_resource_fts_insert",
    "DROP TRIGGER IF EXISTS library_resource_fts_delete",
    "DROP TRIGGER IF EXISTS library_resource_fts_update",
    "DROP TABLE IF EXISTS library_resource_fts",
]


def _fts5_available() -> bool:
    try:
        with contextlib.closing(sqlite3.connect(":memory:")) as probe:
            probe.execute("CREATE VIRTUAL TABLE probe USING fts5(x)")
    except sqlite3.OperationalError:
        return False
    return True


def create_index(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "sqlite" or not _fts5_available():
        return
    for statement in CREATE:
        schema_editor.execute(statement)


def drop_index(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor != "sqlite":
        return
    for statement in DROP:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [
        ("library", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_index, drop_index)]
