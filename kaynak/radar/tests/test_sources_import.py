"""``kaynak radar sources import [FILE]``: the starter set and other definition files, checked
first, imported all or nothing, never enabling a source."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from kaynak.core.models import AuditEntry
from kaynak.radar.models import Funder, Source, SourceKind
from kaynak.radar.services import RadarError
from kaynak.radar.sources.starter import (
    STARTER_FILE,
    check_definitions,
    import_sources,
    read_definitions,
)
from kaynak.radar.tests.factories import SourceFactory

pytestmark = pytest.mark.django_db


def run_import(*args: str) -> str:
    out = io.StringIO()
    call_command("radar", "sources", "import", *args, stdout=out)
    return out.getvalue()


def definition(**changes: Any) -> dict[str, Any]:
    return {
        "starter_key": "ornek-ajans",
        "name": "Örnek Ajans – duyurular",
        "kind": "html",
        "url": "https://ornek.example.gov.tr/duyurular",
        "language": "tr",
        "config": {"item": "div.duyuru", "title": "h3", "link": "a"},
        "funder": {
            "name": "Örnek Kalkınma Ajansı",
            "kind": "development-agency",
            "country": "TR",
            "website": "https://ornek.example.gov.tr/",
        },
    } | changes


def write(tmp_path: Path, definitions: list[Any]) -> str:
    path = tmp_path / "sources.json"
    path.write_text(json.dumps({"sources": definitions}), encoding="utf-8")
    return str(path)


def test_the_starter_set_is_valid_and_covers_what_turkish_ngos_follow() -> None:
    definitions = read_definitions()

    assert check_definitions(definitions) == []
    assert len(definitions) >= 15
    kinds = {item["kind"] for item in definitions}
    assert {"eu-ft", "grants-gov", "html", "rss"} <= kinds
    funder_kinds = {item["funder"]["kind"] for item in definitions}
    assert {"eu", "development-agency", "embassy", "un", "foundation"} <= funder_kinds
    assert any(item["url"].endswith("/feed/") for item in definitions)


def test_importing_the_starter_set_creates_every_source_disabled() -> None:
    output = run_import()

    count = len(read_definitions(STARTER_FILE))
    assert Source.objects.count() == count
    assert not Source.objects.filter(enabled=True).exists()
    assert Source.objects.filter(funder__isnull=True).count() == 0
    assert f"Sources: {count} created, 0 updated, 0 unchanged" in output
    eu = Source.objects.get(starter_key="eu-ft-civil-society-turkiye")
    assert eu.kind == SourceKind.EU_FT
    assert eu.funder is not None
    assert eu.funder.name_en == "European Commission"
    assert AuditEntry.objects.filter(action="kaynak.radar.source.imported").count() == count


def test_importing_again_changes_nothing_and_creates_no_duplicates() -> None:
    run_import()
    funders = Funder.objects.count()

    output = run_import()

    assert Source.objects.count() == len(read_definitions())
    assert Funder.objects.count() == funders
    assert f"0 created, 0 updated, {Source.objects.count()} unchanged" in output


def test_an_update_keeps_the_enabled_flag_schedule_and_health(tmp_path: Path) -> None:
    import_sources(definitions=[definition()])
    source = Source.objects.get(starter_key="ornek-ajans")
    source.enabled = True
    source.consecutive_failures = 2
    source.save()
    changed = definition(url="https://ornek.example.gov.tr/cagrilar", name="Yeni ad")

    output = run_import(write(tmp_path, [changed]))

    source.refresh_from_db()
    assert source.url == "https://ornek.example.gov.tr/cagrilar"
    assert source.name == "Yeni ad"
    assert source.enabled is True
    assert source.consecutive_failures == 2
    assert "updated    ornek-ajans" in output


def test_a_new_definition_is_disabled_even_when_it_says_enabled(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="unknown keys: enabled"):
        run_import(write(tmp_path, [definition(enabled=True)]))

    assert not Source.objects.exists()


def test_one_bad_definition_imports_nothing_and_every_problem_is_named(tmp_path: Path) -> None:
    existing = SourceFactory.create(starter_key="ornek-ajans", name="Eski", enabled=False)
    good = definition(name="Yeni")
    bad_selector = definition(starter_key="kotu", config={"item": "div[[", "title": "h3"})
    bad_kind = definition(starter_key="manuel", kind="manual")
    bad_country = definition(starter_key="ulke", funder=definition()["funder"] | {"country": "QQ"})

    with pytest.raises(CommandError) as raised:
        run_import(write(tmp_path, [good, bad_selector, bad_kind, bad_country, good]))

    message = str(raised.value)
    assert message.startswith("Nothing was imported")
    assert 'kotu: "item": "div[[" is not a valid CSS selector.' in message
    assert 'kotu: "link" (a CSS selector) is required.' in message
    assert "manuel: unknown kind manual" in message
    assert "ulke: unknown country code QQ" in message
    assert "ornek-ajans: the starter_key is used twice" in message
    existing.refresh_from_db()
    assert existing.name == "Eski"
    assert Source.objects.count() == 1
    assert not Funder.objects.filter(name__startswith="Örnek").exists()


def test_a_failure_while_writing_rolls_every_source_back(monkeypatch: pytest.MonkeyPatch) -> None:
    from kaynak.core.audit import log_action as real
    from kaynak.radar.sources import starter

    calls = 0

    def failing(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise RuntimeError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(starter, "log_action", failing)

    with pytest.raises(RuntimeError):
        import_sources(definitions=[definition(), definition(starter_key="ikinci")])

    assert not Source.objects.exists()
    assert not Funder.objects.exists()


def test_a_file_that_is_not_json_or_missing_is_a_clear_command_error(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")

    with pytest.raises(CommandError, match="is not JSON"):
        run_import(str(broken))
    with pytest.raises(CommandError, match="Cannot read"):
        run_import(str(tmp_path / "missing.json"))
    (tmp_path / "empty.json").write_text("{}", encoding="utf-8")
    with pytest.raises(RadarError, match='has no "sources" list'):
        read_definitions(tmp_path / "empty.json")
