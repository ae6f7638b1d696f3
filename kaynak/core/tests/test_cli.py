"""The `kaynak` command: its own commands, demo data, and `run` serving site and worker."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import translation

from kaynak.accounts.models import Role, User
from kaynak.core.testing import wait_until


def test_help_lists_kaynaks_own_commands():
    result = subprocess.run(
        [sys.executable, "-m", "kaynak.cli", "--help"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    for command in ("run", "worker", "demo", "createadmin", "check"):
        assert f"  {command} " in result.stdout


@pytest.mark.django_db
def test_demo_if_empty_leaves_a_database_with_users_alone():
    User.objects.create_user(email="biri@dernek.example", password=None)
    call_command("demo", "--if-empty", verbosity=0)
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_createadmin_makes_a_center_admin_who_can_log_in(client):
    call_command(
        "createadmin",
        "--email",
        "mudur@merkez.example",
        "--password",
        "Uzun-ve-guclu-1907",
        verbosity=0,
    )
    user = User.objects.get(email="mudur@merkez.example")
    assert user.staff_roles == {Role.CENTER_ADMIN.value}
    assert user.is_superuser
    assert client.login(email="mudur@merkez.example", password="Uzun-ve-guclu-1907")


@pytest.mark.django_db
def test_createadmin_refuses_a_weak_password_with_the_validators_words():
    from django.core.management.base import CommandError

    with translation.override("tr"), pytest.raises(CommandError, match="çok genel"):
        call_command("createadmin", "--email", "a@merkez.example", "--password", "password")
    assert not User.objects.filter(email="a@merkez.example").exists()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _get(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 — loopback only
            return str(response.read().decode())
    except OSError:
        return None


def test_run_prepares_everything_serves_the_turkish_home_page_and_stops_on_ctrl_c(tmp_path: Path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KAYNAK_", "DJANGO_"))}
    env.update({"KAYNAK_VAR_DIR": str(tmp_path), "PORT": str(port)})
    process = subprocess.Popen(
        [sys.executable, "-m", "kaynak.cli", "run"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
        # Started with SIGINT ignored, as a shell script's background job is (`make run &`):
        # Ctrl-C must stop it all the same.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
    )
    try:
        home = str(wait_until(lambda: _get(f"http://127.0.0.1:{port}/"), timeout=120))
        assert '<html lang="tr">' in home
        assert "Sivil Toplum Kaynak Merkezi" in home  # the demo data was loaded
        worker_running = subprocess.run(
            ["pgrep", "-f", "-s", str(process.pid), "kaynak.cli worker"],
            capture_output=True,
            text=True,
            check=False,
        )
        assert worker_running.stdout.strip(), "the task worker was not started"
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=60)
    assert f"http://127.0.0.1:{port}/" in output
    assert "admin@kaynak.example / kaynak-demo-2026" in output
    leftover = subprocess.run(
        ["pgrep", "-s", str(process.pid)], capture_output=True, text=True, check=False
    )
    assert leftover.stdout.strip() == "", "Ctrl-C left a process of `kaynak run` behind"


def test_run_refuses_a_port_in_use_with_one_sentence_and_starts_no_worker(tmp_path: Path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {k: v for k, v in os.environ.items() if not k.startswith(("KAYNAK_", "DJANGO_"))}
        env.update({"KAYNAK_VAR_DIR": str(tmp_path), "PORT": str(port)})
        result = subprocess.run(
            [sys.executable, "-m", "kaynak.cli", "run"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
    assert result.returncode != 0
    assert f"PORT {port} on HOST 127.0.0.1 cannot be used" in result.stderr
    assert "Traceback" not in result.stderr
