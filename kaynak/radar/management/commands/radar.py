"""``kaynak radar extract FILE``: the fields of one announcement (.txt, .html or .pdf) as one
JSON object on standard output. Touches neither the database nor the network."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from kaynak.radar.extraction import extract

SUFFIXES = {".txt": "txt", ".text": "txt", ".html": "html", ".htm": "html", ".pdf": "pdf"}


class Command(BaseCommand):
    help = "Funding radar tools: extract FILE prints the fields of one announcement as JSON."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        extract_parser = sub.add_parser(
            "extract", help="Print the fields of one announcement as JSON."
        )
        extract_parser.add_argument("file", help="A .txt, .html or .pdf announcement.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "extract":
            path = Path(options["file"])
            try:
                data = path.read_bytes()
            except OSError as error:
                reason = error.strerror or str(error)
                raise CommandError(
                    _("Cannot read %(path)s: %(reason)s") % {"path": path, "reason": reason}
                ) from error
            kind = SUFFIXES.get(path.suffix.lower())
            if kind is None:
                kind = (
                    "pdf"
                    if data.startswith(b"%PDF")
                    else ("html" if b"<html" in data[:2048].lower() else "txt")
                )
            self.stdout.write(json.dumps(extract(data, kind), ensure_ascii=False))
