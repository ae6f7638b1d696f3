"""``kaynak directory resolve FILE`` and ``kaynak directory import FILE``."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command

from kaynak.directory.models import ImportBatch, ImportStatus, Organisation, Person
from kaynak.directory.tests.factories import OrganisationFactory, province

FILES = Path(__file__).parent / "files"


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def run(*args: str) -> tuple[int, str, str]:
    """The command in this process, on the test database: exit code, stdout, stderr."""
    out, err = StringIO(), StringIO()
    try:
        call_command("directory", *args, "--language", "en", stdout=out, stderr=err)
    except SystemExit as stop:
        return int(stop.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def run_kaynak(
    var_dir: Path, *args: str, env_extra: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """The real `kaynak` command in a fresh process whose var folder is ``var_dir``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KAYNAK_")}
    env.update({"KAYNAK_VAR_DIR": str(var_dir), "DJANGO_SETTINGS_MODULE": "kaynak.settings"})
    env.update(env_extra or {})
    return subprocess.run(
        [sys.executable, "-m", "kaynak.cli", "directory", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def clusters(result: list[dict[str, Any]]) -> list[set[int]]:
    groups: dict[str, set[int]] = {}
    for entry in result:
        groups.setdefault(entry["cluster"], set()).add(entry["row"])
    return sorted(groups.values(), key=min)


@pytest.mark.django_db
def test_resolve_prints_one_object_per_row_in_order_with_known_organisations():
    known = OrganisationFactory.create(
        name="Anadolu Gençlik Platformu", province=province(6), phones=["+903124182020"]
    )

    code, out, err = run("resolve", str(FILES / "organisations_utf8.csv"))

    assert (code, err) == (0, "")
    result = json.loads(out)
    assert [entry["row"] for entry in result] == [1, 2, 3, 4, 5, 6]
    assert all(set(entry) == {"row", "cluster", "organisation_id", "score"} for entry in result)
    assert all(0 <= entry["score"] <= 1 for entry in result)
    # Rows 1, 2 and 6 are one association, however written; the two "Kadın Dayanışma Derneği"
    # in Van and İzmir are two; row 4 is the platform already in the directory.
    assert clusters(result) == [{1, 2, 6}, {3}, {4}, {5}]
    assert [entry["organisation_id"] for entry in result] == [
        None,
        None,
        None,
        known.pk,
        None,
        None,
    ]


@pytest.mark.django_db
def test_resolve_writes_nothing():
    run("resolve", str(FILES / "organisations_utf8.csv"))

    assert not Organisation.objects.exists()
    assert not ImportBatch.objects.exists()


def test_resolve_works_in_a_fresh_checkout_without_creating_a_database(tmp_path):
    result = run_kaynak(tmp_path, "resolve", str(FILES / "organisations_utf8.csv"))

    assert result.returncode == 0, result.stderr
    assert clusters(json.loads(result.stdout)) == [{1, 2, 6}, {3}, {4}, {5}]
    assert all(entry["organisation_id"] is None for entry in json.loads(result.stdout))
    assert not (tmp_path / "kaynak.sqlite3").exists()


def test_resolve_treats_a_database_without_tables_as_empty_and_leaves_it_alone(tmp_path):
    database = tmp_path / "kaynak.sqlite3"
    sqlite3.connect(database).close()
    before = database.read_bytes()

    result = run_kaynak(tmp_path, "resolve", str(FILES / "organisations_merged.xlsx"))

    assert result.returncode == 0, result.stderr
    assert [entry["row"] for entry in json.loads(result.stdout)] == [1, 2, 3, 4, 5]
    assert database.read_bytes() == before


def test_resolve_without_a_reachable_database_compares_the_rows_and_says_so(tmp_path):
    # Nothing listens on port 1 of the loopback address: the connection is refused at once.
    unreachable = {"KAYNAK_DATABASE_URL": "postgres://kaynak:x@127.0.0.1:1/kaynak"}

    result = run_kaynak(
        tmp_path,
        "resolve",
        str(FILES / "organisations_utf8.csv"),
        "--language",
        "en",
        env_extra=unreachable,
    )

    assert result.returncode == 0
    assert clusters(json.loads(result.stdout)) == [{1, 2, 6}, {3}, {4}, {5}]
    assert result.stderr.strip() == (
        "The database cannot be reached: the rows are only compared with each other."
    )


@pytest.mark.parametrize(
    ("name", "sentence"),
    [
        (
            "people_only.csv",
            "has no column of organisation names: name it “organisation” or “Kuruluş adı”.",
        ),
        ("not_a_spreadsheet.pdf", "is not a spreadsheet Kaynak can read"),
        ("does_not_exist.csv", "does not exist."),
    ],
)
def test_resolve_explains_a_bad_file_in_one_sentence_without_a_traceback(tmp_path, name, sentence):
    result = run_kaynak(tmp_path, "resolve", str(FILES / name), "--language", "en")

    assert result.returncode == 2
    assert result.stdout == ""
    assert sentence in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


@pytest.mark.django_db
def test_import_prints_a_report_row_by_row_and_keeps_the_file():
    code, out, err = run("import", str(FILES / "organisations_utf8.csv"))

    assert (code, err) == (0, "")
    lines = out.strip().splitlines()
    ege = Organisation.objects.get(name="Ege Çevre ve Doğa Koruma Derneği")
    assert lines[0] == (
        f"Row 1 (line 2): New organisation #{ege.pk} “Ege Çevre ve Doğa Koruma Derneği”. "
        f"New contact person #{Person.objects.get(full_name='Ayşe Yıldız').pk}."
    )
    assert lines[1].startswith(f"Row 2 (line 3): Same organisation as row 1: #{ege.pk} “Ege")
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.APPLIED
    assert lines[-1] == (
        f"Import #{batch.pk} is applied. New organisations: 4; rows linked to known ones: 2; "
        "new contact people: 4."
    )
    with batch.original_file.open("rb") as kept:
        assert kept.read() == (FILES / "organisations_utf8.csv").read_bytes()


@pytest.mark.django_db
def test_import_of_a_bad_file_writes_nothing_and_exits_with_the_rows_to_fix():
    code, out, err = run("import", str(FILES / "organisations_bad.csv"))

    assert code == 1
    assert "Row 2 (line 3): “Atlantis” is not a province of Turkey" in out
    batch = ImportBatch.objects.get()
    assert err.strip() == (
        "Nothing was imported: fix rows 2, 3, 4, 5, 6, 8 and run the import again. "
        f"Import #{batch.pk} keeps the file and this report."
    )
    assert batch.status == ImportStatus.FAILED
    assert not Organisation.objects.exists()


@pytest.mark.django_db
def test_a_dry_run_shows_the_plan_and_writes_nothing():
    known = OrganisationFactory.create(name="Anadolu Gençlik Platformu", province=province(6))

    code, out, _err = run("import", str(FILES / "organisations_utf8.csv"), "--dry-run")

    assert code == 0
    assert f"Row 4 (line 5): Known organisation #{known.pk} “Anadolu Gençlik Platformu”." in out
    assert "Row 6 (line 7): Same organisation as row 1." in out
    assert out.strip().endswith("Dry run: nothing was written.")
    assert Organisation.objects.count() == 1
    assert not ImportBatch.objects.exists()


def test_import_needs_a_database_that_is_set_up(tmp_path):
    result = run_kaynak(
        tmp_path, "import", str(FILES / "organisations_utf8.csv"), "--language", "en"
    )

    assert result.returncode == 2
    assert result.stderr.strip() == "The database is not set up yet: run “kaynak migrate” first."
    assert not (tmp_path / "kaynak.sqlite3").exists()
