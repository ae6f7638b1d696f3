"""``kaynak directory resolve FILE`` and ``kaynak directory import FILE [--dry-run]``.

``resolve`` is a preview that writes nothing, not even a database: in a fresh checkout with no
database it clusters the rows among themselves. Its standard output is only the JSON array,
so it can be piped; every problem is one sentence on standard error. Rows are numbered from 1
over the data rows under the header (a title above the header and empty rows do not count).
"""

from __future__ import annotations

import json
import sqlite3
from enum import StrEnum
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError, connections
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteDatabase
from django.utils import translation
from django.utils.translation import gettext as _

from kaynak.core.errors import KaynakError
from kaynak.directory.importing.apply import describe_entry, import_apply, import_batch_create
from kaynak.directory.importing.mapping import guess_mapping
from kaynak.directory.importing.planning import (
    ImportPlan,
    describe_planned,
    plan_import,
    resolve_rows,
)
from kaynak.directory.importing.reading import Sheet, read_sheet
from kaynak.directory.importing.validation import clean_rows
from kaynak.directory.models import ImportStatus


class Stop(Exception):
    """End the command with one sentence on standard error."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.message, self.exit_code = message, exit_code


class DatabaseState(StrEnum):
    READY = "ready"
    ABSENT = "absent"  # no database yet, or without the directory's tables
    UNREACHABLE = "unreachable"


def database_state() -> DatabaseState:
    """Whether the database holds the directory's tables, found without creating a database
    that is not there: an SQLite file that does not exist is not opened (opening creates it),
    and one that does is first looked at read-only."""
    connection = connections["default"]
    wanted = {model._meta.db_table for model in apps.get_app_config("directory").get_models()}
    if isinstance(connection, SQLiteDatabase) and not connection.is_in_memory_db():
        path = Path(str(connection.settings_dict["NAME"]))
        if not path.is_file():
            return DatabaseState.ABSENT
        try:
            probe = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        except sqlite3.Error:
            return DatabaseState.UNREACHABLE
        try:
            found = {name for (name,) in probe.execute("SELECT name FROM sqlite_master")}
        except sqlite3.Error:
            return DatabaseState.UNREACHABLE
        finally:
            probe.close()
    else:
        try:
            found = set(connection.introspection.table_names())
        except DatabaseError:
            return DatabaseState.UNREACHABLE
    return DatabaseState.READY if wanted <= found else DatabaseState.ABSENT


class Command(BaseCommand):
    help = "Resolve (preview) or import organisations from a spreadsheet (CSV or XLSX)."
    # `resolve` must work where no database exists; system checks may open one.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="{resolve,import}")
        resolve = actions.add_parser(
            "resolve",
            help="Print which rows are the same organisation, and which known one, as JSON.",
        )
        resolve.add_argument("file", help="A CSV or XLSX file.")
        do_import = actions.add_parser(
            "import", help="Create and link organisations, people and affiliations."
        )
        do_import.add_argument("file", help="A CSV or XLSX file.")
        do_import.add_argument(
            "--dry-run", action="store_true", help="Show what would happen; write nothing."
        )
        for sub in (resolve, do_import):
            sub.add_argument(
                "--language",
                choices=[code for code, _name in settings.LANGUAGES],
                default=settings.LANGUAGE_CODE,
                help="Language of the messages (default: %(default)s).",
            )

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["language"]):
            try:
                if options["action"] == "resolve":
                    self.resolve(Path(options["file"]))
                else:
                    self.import_file(Path(options["file"]), dry_run=options["dry_run"])
            except Stop as stop:
                self.stderr.write(stop.message)
                raise SystemExit(stop.exit_code) from None
            except KaynakError as exc:
                self.stderr.write(str(exc.message))
                raise SystemExit(2) from None

    def read(self, path: Path) -> tuple[bytes, Sheet, dict[str, int]]:
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise Stop(_("The file “%(path)s” does not exist.") % {"path": path}) from None
        except OSError:
            raise Stop(_("The file “%(path)s” cannot be read.") % {"path": path}) from None
        sheet = read_sheet(data, path.name)
        mapping = guess_mapping(sheet.headers)
        if "organisation" not in mapping:
            raise Stop(
                _(
                    "“%(path)s” has no column of organisation names: name it “organisation” "
                    "or “Kuruluş adı”."
                )
                % {"path": path}
            )
        return data, sheet, mapping

    def resolve(self, path: Path) -> None:
        _data, sheet, mapping = self.read(path)
        rows = clean_rows(sheet, mapping)
        state = database_state()
        if state == DatabaseState.UNREACHABLE:
            # Still a useful preview; say why no row is matched to a known organisation.
            self.stderr.write(
                _("The database cannot be reached: the rows are only compared with each other.")
            )
        matches = resolve_rows(rows, against_database=state == DatabaseState.READY)
        output = [
            {
                "row": match.row,
                "cluster": match.cluster,
                "organisation_id": match.organisation_id,
                "score": round(match.score, 4),
            }
            for match in matches
        ]
        self.stdout.write(json.dumps(output, ensure_ascii=False))

    def import_file(self, path: Path, *, dry_run: bool) -> None:
        data, sheet, mapping = self.read(path)
        state = database_state()
        if state == DatabaseState.UNREACHABLE:
            raise Stop(_("The database cannot be reached: check KAYNAK_DATABASE_URL."))
        if state == DatabaseState.ABSENT:
            raise Stop(_("The database is not set up yet: run “kaynak migrate” first."))
        if dry_run:
            self.show_plan(plan_import(sheet, mapping))
            return
        batch = import_apply(
            batch=import_batch_create(data=data, filename=path.name, actor=None), actor=None
        )
        for entry in batch.report:
            self.stdout.write(self.row_line(entry["row"], entry["line"], describe_entry(entry)))
        if batch.status == ImportStatus.FAILED:
            raise Stop(
                _(
                    "Nothing was imported: fix rows %(rows)s and run the import again. "
                    "Import #%(id)s keeps the file and this report."
                )
                % {
                    "rows": _rows(e["row"] for e in batch.report if e["status"] == "error"),
                    "id": batch.pk,
                },
                exit_code=1,
            )
        people = sum(1 for entry in batch.report if entry.get("person_status") == "created")
        self.stdout.write(
            _(
                "Import #%(id)s is applied. New organisations: %(created)s; rows linked to "
                "known ones: %(linked)s; new contact people: %(people)s."
            )
            % {
                "id": batch.pk,
                "created": batch.rows_created,
                "linked": batch.rows_linked,
                "people": people,
            }
        )

    def show_plan(self, plan: ImportPlan) -> None:
        for planned in plan.rows:
            self.stdout.write(
                self.row_line(planned.row.number, planned.row.line, describe_planned(planned))
            )
        if not plan.ok:
            raise Stop(
                _("Nothing would be imported: fix rows %(rows)s.")
                % {"rows": _rows(plan.rows_to_fix)},
                exit_code=1,
            )
        self.stdout.write(_("Dry run: nothing was written."))

    @staticmethod
    def row_line(row: int, line: int, text: str) -> str:
        return _("Row %(row)s (line %(line)s): %(text)s") % {"row": row, "line": line, "text": text}


def _rows(numbers: Any) -> str:
    return ", ".join(str(number) for number in numbers)
