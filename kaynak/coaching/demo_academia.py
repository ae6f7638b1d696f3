"""demo_academia (filled by its owner)."""

from __future__ import annotations

from kaynak.core.demo import DemoContext


def build(context: DemoContext) -> None:
    pass
