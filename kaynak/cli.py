"""The `kaynak` console command: Kaynak's own commands first, Django's behind them.

Misconfiguration stops here with one sentence naming the variable, not a traceback.
"""

from __future__ import annotations

import os
import sys

from django.core.exceptions import ImproperlyConfigured

# The commands people use; every other Django command still works (`kaynak migrate`).
KAYNAK_COMMANDS = {
    "run": "Set up the database and start the web server and the task worker together.",
    "worker": "Start a task worker (the web server does not run tasks).",
    "demo": "Load a believable Turkish demo data set (--scale small|national).",
    "createadmin": "Create a center admin account.",
    "check": "Check the configuration and that the database and task queue answer.",
    "directory": "Resolve or import organisations from a CSV/XLSX file "
    "(resolve FILE | import FILE [--dry-run]).",
    "radar": "Funding radar (sources import | scan | reextract | extract FILE | corrections).",
    "mail-in": "Receive the support desk's e-mail (SMTP listener --host/--port, or --imap).",
    "ledger": "Ledger tools (rebuild-summary [--check]: recompute the reach summary).",
}
# Commands people type with a hyphen, as Django names them with an underscore.
ALIASES = {"mail-in": "mail_in"}


def _usage(prog: str) -> str:
    lines = [f"Usage: {prog} COMMAND [options]", "", "Kaynak commands:"]
    lines += [f"  {name:<12} {text}" for name, text in KAYNAK_COMMANDS.items()]
    lines += ["", f"Django's commands work too; `{prog} help --commands` lists them all."]
    return "\n".join(lines)


def main(argv: list[str] | None = None, prog: str = "kaynak") -> int:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaynak.settings")
    if len(argv) < 2 or argv[1] in {"-h", "--help"}:
        print(_usage(prog))
        return 0
    args = argv[1:]
    args[0] = ALIASES.get(args[0], args[0])
    if args[0] == "check" and prog == "kaynak":
        # `kaynak check` also checks that the database and the task queue answer, and in
        # production runs Django's deployment checks.
        if "--database" not in args:
            args += ["--database", "default"]
        if (
            os.environ.get("KAYNAK_ENV", "").strip().lower() == "production"
            and "--deploy" not in args
        ):
            args.append("--deploy")
    try:
        import django

        django.setup()
        from django.core.management import execute_from_command_line

        execute_from_command_line([prog, *args])
    except ImproperlyConfigured as exc:
        print(f"{prog}: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main())
