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
        scan_parser = sub.add_parser(
            "scan",
            help="Scan sources now, in the foreground, with progress and a report per source "
            "(all enabled sources unless --source or --due is given).",
        )
        scan_parser.add_argument(
            "--source",
            type=int,
            action="append",
            default=[],
            metavar="ID",
            help="Scan this source (repeatable); a disabled source is scanned too.",
        )
        scan_parser.add_argument(
            "--due", action="store_true", help="Scan the enabled sources whose scan is due."
        )
        scan_parser.add_argument(
            "--concurrency", type=int, default=1, help="Sources scanned at once (default 1)."
        )
        reextract_parser = sub.add_parser(
            "reextract",
            help="Read kept raw items again with today's parsers (no network).",
        )
        reextract_parser.add_argument("--source", type=int, metavar="ID")
        reextract_parser.add_argument(
            "--since", metavar="YYYY-MM-DD", help="Only bodies fetched on or after this day."
        )

        sources_parser = sub.add_parser("sources", help="Manage source definitions.")
        sources_parser.add_argument("sources_action", choices=["import"])
        sources_parser.add_argument(
            "file",
            nargs="?",
            help="A JSON file of source definitions (default: the starter set). All are checked "
            "first and imported together or not at all; nothing is enabled.",
        )

        corrections_parser = sub.add_parser(
            "corrections",
            help="Write every call an editor corrected as a labelled corpus case "
            "(NNN-name.txt/.html/.pdf + NNN-name.json).",
        )
        corrections_parser.add_argument(
            "--out", required=True, metavar="DIR", help="Directory to write the cases into."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "corrections":
            self.corrections(options)
            return
        if options["action"] == "sources":
            self.sources(options)
            return
        if options["action"] == "scan":
            self.scan(options)
            return
        if options["action"] == "reextract":
            self.reextract(options)
            return
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

    def scan(self, options: dict[str, Any]) -> None:
        from kaynak.radar import scanning
        from kaynak.radar.models import ScanStatus, ScanTrigger, Source, SourceKind

        ids: list[int] = options["source"]
        if ids:
            sources = list(Source.objects.filter(pk__in=ids).exclude(kind=SourceKind.MANUAL))
            missing = sorted(set(ids) - {source.pk for source in sources})
            if missing:
                raise CommandError(
                    _("No scannable source with id %(ids)s.")
                    % {"ids": ", ".join(map(str, missing))}
                )
        elif options["due"]:
            sources = [source for source in scanning.due_sources() if scanning.claim(source)]
        else:
            sources = list(Source.objects.filter(enabled=True).exclude(kind=SourceKind.MANUAL))
        if not sources:
            self.stdout.write(_("No source to scan."))
            return
        for source in sources:
            note = "" if source.enabled else " " + _("(disabled: scanned because it was named)")
            self.stdout.write(
                _("Scanning #%(id)d %(name)s%(note)s")
                % {"id": source.pk, "name": source.name, "note": note}
            )
        runs = scanning.scan_sources(
            sources,
            trigger=ScanTrigger.COMMAND,
            progress=self.progress_line,
            concurrency=max(1, options["concurrency"]),
        )
        failed = 0
        for source, run in zip(sources, runs, strict=True):
            self.stdout.write(
                _(
                    "#%(id)d %(name)s: %(new)d new, %(updated)d updated, "
                    "%(unchanged)d unchanged, %(failed)d failed"
                )
                % {
                    "id": source.pk,
                    "name": source.name,
                    "new": run.new,
                    "updated": run.updated,
                    "unchanged": run.unchanged,
                    "failed": run.failed,
                }
            )
            for line in run.report:
                if line["outcome"] in {"failed", "no-text"}:
                    self.stdout.write(f"    {line['url']}: {line['reason']}")
            if run.status == ScanStatus.FAILED:
                failed += 1
                self.stdout.write(
                    self.style.ERROR("  " + _("Scan failed: %(error)s") % {"error": run.error})
                )
        if failed:
            raise CommandError(
                _("%(count)d of %(total)d sources failed.")
                % {"count": failed, "total": len(sources)}
            )

    def reextract(self, options: dict[str, Any]) -> None:
        import datetime as dt

        from django.utils import timezone

        from kaynak.radar import scanning
        from kaynak.radar.models import Source

        source = None
        if options["source"] is not None:
            source = Source.objects.filter(pk=options["source"]).first()
            if source is None:
                raise CommandError(_("No source with id %(id)s.") % {"id": options["source"]})
        since = None
        if options["since"]:
            try:
                day = dt.date.fromisoformat(options["since"])
            except ValueError as error:
                raise CommandError(_("--since must be a date written YYYY-MM-DD.")) from error
            since = dt.datetime.combine(day, dt.time(0), tzinfo=timezone.get_current_timezone())
        counts = scanning.reextract(source=source, since=since, progress=self.progress_line)
        self.stdout.write(
            _(
                "Read again: %(new)d new, %(updated)d updated, %(unchanged)d unchanged, "
                "%(failed)d failed"
            )
            % counts
        )

    def sources(self, options: dict[str, Any]) -> None:
        from kaynak.core.errors import KaynakError
        from kaynak.radar.sources.starter import import_sources, read_definitions

        try:
            definitions = read_definitions(Path(options["file"]) if options["file"] else None)
            report = import_sources(definitions=definitions)
        except KaynakError as error:
            raise CommandError(str(error.message)) from error
        for name in report.funders_created:
            self.stdout.write(_("Funder created: %(name)s") % {"name": name})
        for label, keys in (
            (_("created"), report.created),
            (_("updated"), report.updated),
            (_("unchanged"), report.unchanged),
        ):
            for key in keys:
                self.stdout.write(f"  {label:<10} {key}")
        self.stdout.write(
            _(
                "Sources: %(created)d created, %(updated)d updated, %(unchanged)d unchanged "
                "(new sources are disabled until an admin enables them)."
            )
            % {
                "created": len(report.created),
                "updated": len(report.updated),
                "unchanged": len(report.unchanged),
            }
        )

    def corrections(self, options: dict[str, Any]) -> None:
        from kaynak.radar import corrections

        directory = Path(options["out"])
        if directory.exists() and not directory.is_dir():
            raise CommandError(_("%(path)s is not a directory.") % {"path": directory})
        start = corrections.next_number(directory) if directory.is_dir() else 1
        cases = corrections.build_cases(start=start)
        for path in corrections.write_cases(cases, directory):
            self.stdout.write(f"  {path}")
        self.stdout.write(
            _("%(count)d corrected calls written to %(path)s.")
            % {"count": len(cases), "path": directory}
        )

    def progress_line(self, line: Any) -> None:
        reference = f" (#{line.opportunity})" if line.opportunity else ""
        reason = f" — {line.reason}" if line.reason else ""
        self.stdout.write(f"  {line.outcome:<13} {line.url}{reference}{reason}")
