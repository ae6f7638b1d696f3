"""The triggers of the SQLite full-text index of resources, for migrations that remake the
``library_resource`` table (SQLite drops a table's triggers with it). Written out, like
0002_search_index, so that a migration using them stays what it was."""

from __future__ import annotations

from typing import Any

TRIGGERS = [
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
]


def recreate(apps: Any, schema_editor: Any) -> None:
    """Make the triggers again where the index exists (SQLite with FTS5)."""
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'library_resource_fts'"
        )
        if cursor.fetchone() is None:
            return
    for statement in TRIGGERS:
        schema_editor.execute(statement)
