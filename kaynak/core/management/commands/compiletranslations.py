"""Compile the .po translation catalogues to .mo in pure Python (no GNU gettext needed)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polib
from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand


def catalogue_dirs() -> list[Path]:
    dirs = [Path(p) for p in settings.LOCALE_PATHS]
    dirs += [Path(app.path) / "locale" for app in apps.get_app_configs()]
    return [d for d in dirs if d.is_dir() and str(d).startswith(str(settings.BASE_DIR / "kaynak"))]


class Command(BaseCommand):
    help = "Compile Kaynak's translation catalogues (.po → .mo), only those that changed."

    def handle(self, *args: Any, **options: Any) -> None:
        compiled = 0
        for directory in catalogue_dirs():
            for po_path in directory.glob("*/LC_MESSAGES/*.po"):
                mo_path = po_path.with_suffix(".mo")
                if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                    continue
                polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
                compiled += 1
        if options["verbosity"] > 0:
            self.stdout.write(f"Compiled {compiled} translation catalogue(s).")
