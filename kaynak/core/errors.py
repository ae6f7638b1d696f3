"""Domain errors: services raise these; views, the API and the CLI turn them into messages."""

from __future__ import annotations

from django.utils.functional import Promise


class KaynakError(Exception):
    """A rule of the domain was broken; ``message`` is translated and safe to show the user."""

    code = "error"

    def __init__(self, message: str | Promise, *, code: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        if code:
            self.code = code


class PermissionDenied(KaynakError):
    code = "permission_denied"
