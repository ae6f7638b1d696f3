"""The demo data set: each app adds its part in a ``demo.py`` module with ``build(context)``.

Apps are visited in INSTALLED_APPS order, so an app finds the records of the apps below it.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

SCALES = ("small", "national")
DEMO_PASSWORD = "kaynak-demo-2026"  # noqa: S105 — the published demo password, printed by `make run`
DEMO_ADMIN_EMAIL = "admin@kaynak.example"


@dataclass
class DemoContext:
    scale: str
    rng: random.Random
    progress: Progress
    # The demo's "now", in Istanbul time, to the hour: every app dates its records from it, so
    # the same seed and the same hour build the same data.
    now: dt.datetime = field(default_factory=lambda: demo_now())
    created: dict[str, int] = field(default_factory=dict)

    @contextmanager
    def step(self, description: str, total: int) -> Iterator[Any]:
        """A progress bar for one step; ``advance(n)`` moves it."""
        task_id = self.progress.add_task(description, total=total)

        def advance(n: int = 1) -> None:
            self.progress.advance(task_id, n)

        yield advance
        self.progress.update(task_id, completed=total)

    def count(self, what: str, n: int) -> None:
        self.created[what] = self.created.get(what, 0) + n


def demo_now(moment: dt.datetime | None = None) -> dt.datetime:
    """``moment`` (default: now) in Istanbul time, to the hour."""
    return timezone.localtime(moment).replace(minute=0, second=0, microsecond=0)


def database_is_empty() -> bool:
    return not get_user_model().objects.exists()


def build_demo(
    *, scale: str, seed: int = 2018, console: Any = None, now: dt.datetime | None = None
) -> dict[str, int]:
    """Build the demo data set at ``scale`` in one transaction per app, dated from ``now``
    (default: the current hour); returns what was made."""
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=False,
    )
    # Demo data wants the same believable set every time, not secrecy.
    rng = random.Random(seed)  # noqa: S311
    context = DemoContext(scale=scale, rng=rng, progress=progress, now=demo_now(now))
    with progress:
        for app in apps.get_app_configs():
            if not app.name.startswith("kaynak."):
                continue
            try:
                module = import_module(f"{app.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{app.name}.demo":
                    raise
                continue
            if hasattr(module, "build"):
                with transaction.atomic():
                    module.build(context)
    return context.created
