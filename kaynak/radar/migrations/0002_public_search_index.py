"""The SQLite full-text index of calls (FTS5), kept in step by triggers on radar_opportunity.

Runs only on SQLite, and only where the SQLite library has FTS5 (elsewhere search falls back to
LIKE on ``search_text``); PostgreSQL searches with its own Turkish full-text search
(``kaynak.radar.search_index``). The SQL is written out here, not imported, so this migration
stays what it was whatever the module becomes.
"""

import contextlib
import sqlite3

from django.db import migrations

# Written out in full (no string building): the table, three triggers, and the rows so far.
CREATE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS radar_opportunity_fts USING fts5("
    "title, body, tokenize = 'unicode61 remove_diacritics 2')",
    "CREATE TRIGGER IF NOT EXISTS radar_opportunity_fts_insert "
    "AFTER INSERT ON radar_opportunity BEGIN "
    "INSERT INTO radar_opportunity_fts(rowid, title, body) "
    "VALUES (new.id, new.title_key, new.search_text); END",
    "CREATE TRIGGER IF NOT EXISTS radar_opportunity_fts_delete "
    "AFTER DELETE ON radar_opportunity BEGIN "
    "DELETE FROM radar_opportunity_fts WHERE rowid = old.id; END",
    "CREATE TRIGGER IF NOT EXISTS radar_opportunity_fts_update "
    "AFTER UPDATE OF title_key, search_text ON radar_opportunity BEGIN "
    "DELETE FROM radar_opportunity_fts WHERE rowid = old.id; "
    "INSERT INTO radar_opportunity_fts(rowid, title, body) "
    "VALUES (new.id, new.title_key, new.search_text); END",
    "INSERT INTO radar_opportunity_fts(rowid, title, body) "
    "SELECT id, title_key, search_text FROM radar_opportunity",
]
DROP = [
    "DROP TRIGGER IF EXISTS radar_opportunity_fts_insert",
    "DROP TRIGGER IF EXISTS radar_opportunity_fts_delete",
    "DROP TRIGGER IF EXISTS radar_opportunity_fts_update",
    "DROP TABLE IF EXISTS radar_opportunity_fts",
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
        ("radar", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_index, drop_index)]
