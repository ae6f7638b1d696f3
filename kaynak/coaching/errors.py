"""The coaching app's domain errors."""

from __future__ import annotations

from django import forms
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


def show_error(form: forms.Form, error: CoachingError) -> None:
    """Put a service's refusal next to the fields it names (else above the form)."""
    placed = False
    for field, message in error.fields.items():
        if field in form.fields:
            form.add_error(field, str(message))
            placed = True
    if not placed:
        form.add_error(None, str(error.message))
