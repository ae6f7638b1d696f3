"""Importing source definitions (the starter set, ``kaynak/radar/starter_sources.json``, or a file
in its shape): every definition is checked first, then all are written in one transaction or
none is. A source is created or updated by its ``starter_key``; an import never enables a source
and never changes an existing source's ``enabled`` flag, schedule or health."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_slug
from django.db import transaction
from django.utils.translation import gettext as _

from kaynak.core.audit import log_action
from kaynak.core.models import Country
from kaynak.radar.models import Funder, FunderKind, Source, SourceKind
from kaynak.radar.services import RadarError
from kaynak.radar.sources import config_errors

STARTER_FILE = Path(__file__).resolve().parent.parent / "starter_sources.json"
SOURCE_KEYS = {"starter_key", "name", "kind", "url", "config", "language", "follow_links", "funder"}
FUNDER_KEYS = {"name", "name_en", "kind", "country", "website"}
# What an import writes on a source; never enabled, schedule or health.
WRITTEN = ("name", "kind", "url", "config", "language", "follow_links")


@dataclass
class ImportReport:
    """What an import did, by starter key (sources) and name (funders)."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    funders_created: list[str] = field(default_factory=list)


def read_definitions(path: Path | None = None) -> list[dict[str, Any]]:
    """The definitions of a file (the starter set by default); RadarError when unreadable."""
    chosen = path or STARTER_FILE
    try:
        data = json.loads(chosen.read_text(encoding="utf-8"))
    except OSError as error:
        raise RadarError(
            _("Cannot read %(path)s: %(reason)s")
            % {"path": chosen, "reason": error.strerror or error}
        ) from error
    except ValueError as error:
        raise RadarError(
            _("%(path)s is not JSON: %(reason)s") % {"path": chosen, "reason": error}
        ) from error
    sources = data.get("sources") if isinstance(data, dict) else data
    if not isinstance(sources, list):
        raise RadarError(_('%(path)s has no "sources" list.') % {"path": chosen})
    return sources


def _url_error(value: Any, *, required: bool) -> str | None:
    if not value:
        return _("an address is required") if required else None
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        return _("%(value)s is not a web address") % {"value": value}
    return None


def definition_errors(definition: Any, countries: set[str]) -> list[str]:
    """What is wrong with one definition (translated sentences, without its key)."""
    if not isinstance(definition, dict):
        return [_("a definition must be a JSON object")]
    errors: list[str] = []
    unknown = sorted(set(definition) - SOURCE_KEYS)
    if unknown:
        errors.append(_("unknown keys: %(keys)s") % {"keys": ", ".join(unknown)})
    try:
        validate_slug(definition.get("starter_key") or "")
    except ValidationError:
        errors.append(_("starter_key must be a slug (letters, digits, hyphens)"))
    if not str(definition.get("name") or "").strip():
        errors.append(_("a name is required"))
    kind = definition.get("kind")
    if kind not in SourceKind.values or kind == SourceKind.MANUAL:
        errors.append(_("unknown kind %(kind)s") % {"kind": kind})
    url_error = _url_error(definition.get("url"), required=True)
    if url_error:
        errors.append(url_error)
    if definition.get("language", "") not in {"", "tr", "en"}:
        errors.append(_('language must be "tr", "en" or empty'))
    if not isinstance(definition.get("follow_links", True), bool):
        errors.append(_("follow_links must be true or false"))
    if kind in SourceKind.values:
        errors.extend(config_errors(kind, definition.get("config", {})))
    funder = definition.get("funder")
    if funder is not None:
        errors.extend(_funder_errors(funder, countries))
    return errors


def _funder_errors(funder: Any, countries: set[str]) -> list[str]:
    if not isinstance(funder, dict):
        return [_("funder must be a JSON object")]
    errors = []
    unknown = sorted(set(funder) - FUNDER_KEYS)
    if unknown:
        errors.append(_("unknown funder keys: %(keys)s") % {"keys": ", ".join(unknown)})
    if not str(funder.get("name") or "").strip():
        errors.append(_("the funder needs a name"))
    if funder.get("kind") not in FunderKind.values:
        errors.append(_("unknown funder type %(kind)s") % {"kind": funder.get("kind")})
    if funder.get("country") and funder["country"] not in countries:
        errors.append(_("unknown country code %(code)s") % {"code": funder["country"]})
    url_error = _url_error(funder.get("website"), required=False)
    if url_error:
        errors.append(url_error)
    return errors


def check_definitions(definitions: list[Any]) -> list[str]:
    """Every problem of every definition, each prefixed with the definition it is in."""
    countries = set(Country.objects.values_list("code", flat=True))
    problems: list[str] = []
    seen: set[str] = set()
    for position, definition in enumerate(definitions, start=1):
        key = definition.get("starter_key") if isinstance(definition, dict) else None
        label = str(key or f"#{position}")
        for error in definition_errors(definition, countries):
            problems.append(f"{label}: {error}")
        if key in seen:
            problems.append(f"{label}: " + _("the starter_key is used twice"))
        if key:
            seen.add(str(key))
    return problems


def _funder_for(definition: dict[str, Any], report: ImportReport, actor: Any) -> Funder | None:
    stated = definition.get("funder")
    if not stated:
        return None
    values = {
        "name_en": stated.get("name_en", ""),
        "kind": stated["kind"],
        "country_id": stated.get("country") or None,
        "website": stated.get("website", ""),
    }
    funder = Funder.objects.filter(name=stated["name"]).order_by("pk").first()
    if funder is None:
        funder = Funder.objects.create(name=stated["name"], **values)
        report.funders_created.append(funder.name)
        log_action(
            "kaynak.radar.funder.imported", actor=actor, target=funder, data={"created": True}
        )
    return funder


@transaction.atomic
def import_sources(*, definitions: list[Any], actor: Any = None) -> ImportReport:
    """Create or update sources by ``starter_key``, all or nothing, never enabling any.

    Funders are found by name and created when missing (an existing funder is left as an
    editor may have corrected it)."""
    problems = check_definitions(definitions)
    if problems:
        raise RadarError(
            _("Nothing was imported; fix these definitions first:\n%(problems)s")
            % {"problems": "\n".join(problems)}
        )
    report = ImportReport()
    for definition in definitions:
        values = {
            "name": definition["name"].strip(),
            "kind": definition["kind"],
            "url": definition["url"],
            "config": definition.get("config", {}),
            "language": definition.get("language", ""),
            "follow_links": definition.get("follow_links", True),
        }
        funder = _funder_for(definition, report, actor)
        key = definition["starter_key"]
        source = Source.objects.select_for_update().filter(starter_key=key).first()
        if source is None:
            source = Source.objects.create(starter_key=key, funder=funder, enabled=False, **values)
            report.created.append(key)
            log_action(
                "kaynak.radar.source.imported",
                actor=actor,
                target=source,
                data={"starter_key": key, "created": True},
            )
            continue
        changed = [name for name in WRITTEN if getattr(source, name) != values[name]]
        if funder is not None and source.funder_id != funder.pk:
            changed.append("funder")
        if not changed:
            report.unchanged.append(key)
            continue
        for name in WRITTEN:
            setattr(source, name, values[name])
        if funder is not None:
            source.funder = funder
        source.save(update_fields=[*WRITTEN, "funder", "updated_at"])
        report.updated.append(key)
        log_action(
            "kaynak.radar.source.imported",
            actor=actor,
            target=source,
            data={"starter_key": key, "created": False, "fields": sorted(changed)},
        )
    return report
