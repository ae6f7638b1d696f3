"""Configuration from the environment: safe defaults, a production profile, clear errors."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest


def kaynak(*args: str, tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run the `kaynak` command in a clean environment with only the given KAYNAK_* variables."""
    base = {k: v for k, v in os.environ.items() if not k.startswith(("KAYNAK_", "DJANGO_"))}
    base["KAYNAK_VAR_DIR"] = str(tmp_path / "var")
    base.update(env)
    return subprocess.run(
        [sys.executable, "-m", "kaynak.cli", *args],
        env=base,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


PRODUCTION = {
    "KAYNAK_ENV": "production",
    "KAYNAK_SECRET_KEY": secrets.token_urlsafe(50),
    "KAYNAK_ALLOWED_HOSTS": "kaynak.example",
    "KAYNAK_SITE_URL": "https://kaynak.example",
    "KAYNAK_EMAIL_URL": "submission://kaynak:secret@mail.kaynak.example:587",
}


def test_production_profile_passes_the_deployment_checks_with_no_warnings(tmp_path):
    result = kaynak("check", "--fail-level", "WARNING", tmp_path=tmp_path, **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {**PRODUCTION, "KAYNAK_SECRET_KEY": ""}
    result = kaynak("check", tmp_path=tmp_path, **env)
    assert result.returncode == 2
    assert "KAYNAK_SECRET_KEY is required in production" in result.stderr
    assert "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_production_refuses_to_start_without_a_mail_server(tmp_path):
    env = {**PRODUCTION, "KAYNAK_EMAIL_URL": ""}
    result = kaynak("check", tmp_path=tmp_path, **env)
    assert result.returncode == 2
    assert "KAYNAK_EMAIL_URL is required in production" in result.stderr


def test_production_refuses_to_let_the_radar_fetch_loopback_addresses(tmp_path):
    env = {**PRODUCTION, "KAYNAK_RADAR_ALLOW_LOOPBACK": "1"}
    result = kaynak("check", tmp_path=tmp_path, **env)
    assert result.returncode == 2
    assert "KAYNAK_RADAR_ALLOW_LOOPBACK must not be set in production" in result.stderr
    assert "Traceback" not in result.stderr


def test_production_refuses_to_start_without_allowed_hosts(tmp_path):
    env = {**PRODUCTION, "KAYNAK_ALLOWED_HOSTS": ""}
    result = kaynak("check", tmp_path=tmp_path, **env)
    assert result.returncode == 2
    assert "KAYNAK_ALLOWED_HOSTS" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("KAYNAK_DATABASE_URL", "mysql://kaynak@localhost/kaynak"),
        ("KAYNAK_DATABASE_URL", "not a url"),
        ("KAYNAK_DEBUG", "maybe"),
        ("KAYNAK_EMAIL_URL", "pigeon://loft"),
        ("KAYNAK_REDIS_URL", "http://localhost:6379"),
        ("KAYNAK_ENV", "staging"),
    ],
)
def test_a_bad_value_stops_start_up_with_one_sentence_naming_the_variable(
    tmp_path, variable, value
):
    result = kaynak("check", tmp_path=tmp_path, **{variable: value})
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert variable in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_an_unreachable_database_is_named_by_kaynak_check(tmp_path):
    result = kaynak(
        "check",
        tmp_path=tmp_path,
        KAYNAK_DATABASE_URL="postgres://kaynak:x@127.0.0.1:1/kaynak",
    )
    assert result.returncode != 0
    assert "KAYNAK_DATABASE_URL: the database cannot be reached" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unreachable_redis_is_named_by_kaynak_check(tmp_path):
    result = kaynak("check", tmp_path=tmp_path, KAYNAK_REDIS_URL="redis://127.0.0.1:1/0")
    assert result.returncode != 0
    assert "KAYNAK_REDIS_URL: Redis cannot be reached" in result.stderr
    assert "Traceback" not in result.stderr


def test_development_generates_a_secret_key_once_and_keeps_it(tmp_path):
    assert kaynak("check", tmp_path=tmp_path).returncode == 0
    key_file = tmp_path / "var" / "secret_key"
    first = key_file.read_text()
    assert len(first) >= 50
    assert kaynak("check", tmp_path=tmp_path).returncode == 0
    assert key_file.read_text() == first
    assert oct(key_file.stat().st_mode & 0o777) == "0o600"


def test_secrets_can_be_read_from_files_for_containers(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text(secrets.token_urlsafe(50) + "\n")
    env = {**PRODUCTION, "KAYNAK_SECRET_KEY": "", "KAYNAK_SECRET_KEY_FILE": str(secret)}
    result = kaynak("check", "--fail-level", "WARNING", tmp_path=tmp_path, **env)
    assert result.returncode == 0, result.stderr
