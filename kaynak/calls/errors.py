"""The calls app's domain errors."""

from kaynak.core.errors import KaynakError


class CallError(KaynakError):
    """A rule of calls, applications or review was broken; ``message`` is safe to show."""

    code = "call_error"
