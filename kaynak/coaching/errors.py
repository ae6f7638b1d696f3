"""The coaching app's domain errors."""

from __future__ import annotations

from django.utils.functional import Promise

from kaynak.core.errors import KaynakError


class CoachingError(KaynakError):
    """A rule of assessments, coaching or partnerships was broken; ``message`` is safe to show.
    ``fields`` (optional) says which field each problem belongs to, for forms."""

    code = "coaching_error"

    def __init__(
        self,
        message: str | Promise,
        *,
        code: str | None = None,
        fields: dict[str, str | Promise] | None = None,
    ) -> None:
        super().__init__(message, code=code)
        self.fields = dict(fields or {})
