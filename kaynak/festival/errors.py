"""The festival app's domain errors."""

from __future__ import annotations

from django.utils.functional import Promise

from kaynak.core.errors import KaynakError


class FestivalError(KaynakError):
    """A rule of the festival was broken; ``message`` is safe to show. ``field`` names the form
    field the problem belongs next to ("" for the whole form)."""

    code = "festival"

    def __init__(self, message: str | Promise, *, code: str | None = None, field: str = "") -> None:
        super().__init__(message, code=code)
        self.field = field
