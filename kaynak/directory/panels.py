"""What other apps add to an organisation's pages, without the directory knowing them.

An app above the directory registers a template (from its ``AppConfig.ready``); the directory's
organisation pages render every registered template with ``organisation`` and ``request`` in the
context (``{% organisation_panels organisation %}``, a tag of the ``kaynak`` library). The
template decides itself whom it shows anything to.
"""

from __future__ import annotations

_panels: list[str] = []


def register_organisation_panel(template_name: str) -> None:
    if template_name not in _panels:
        _panels.append(template_name)


def organisation_panels() -> list[str]:
    return list(_panels)
