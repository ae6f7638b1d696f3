"""The worker (`kaynak worker`) as a real process: it runs what Django's task API enqueues, it
knows the periodic schedule, and it refuses to start when it cannot reach its queue.

The test process itself runs tasks immediately (see kaynak/conftest.py), so the enqueuing is done
by a second process that shares the worker's settings and queue.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
import zoneinfo
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.tasks import Task
from django.utils import timezone
from django.utils.module_loading import import_string
from huey.contrib.djhuey import HUEY

from kaynak.core.schedule import SCHEDULE

WORKER_COMMAND = [sys.executable, "-m", "kaynak.cli", "worker", "--workers", "1"]

# Run by a second Python process: enqueue `ping` through django.tasks, wait for the outcome, and
# print it as JSON. Arguments: the message, then how many seconds to wait.
ENQUEUE_PING_AND_WAIT = """
import json, os, sys

import django

django.setup()

from django.tasks import TaskResultStatus

from kaynak.core.tasks import ping
from kaynak.core.testing import wait_until

result = ping.enqueue(sys.argv[1])


def finished():
    result.refresh()
    return result.is_finished


try:
    wait_until(finished, timeout=float(sys.argv[2]))
except TimeoutError:
    pass
successful = result.status == TaskResultStatus.SUCCESSFUL
print(json.dumps({
    "status": str(result.status),
    "return_value": result.return_value if successful else None,
    "enqueuer_pid": os.getpid(),
}))
"""


@dataclass
class Worker:
    process: subprocess.Popen[bytes]
    env: dict[str, str]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace")


@pytest.fixture
def worker_env(tmp_path: Path) -> dict[str, str]:
    """The environment of the processes a test starts: the test's own configuration (so the
    same database URL and Redis URL, when set), with a private var directory. Without
    KAYNAK_REDIS_URL that directory holds the task queue."""
    var_dir = tmp_path / "var"
    var_dir.mkdir()
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "kaynak.settings",
        "KAYNAK_VAR_DIR": str(var_dir),
        "PYTHONUNBUFFERED": "1",
    }


@pytest.fixture
def worker(worker_env: dict[str, str], tmp_path: Path) -> Iterator[Worker]:
    """A `kaynak worker` process on a queue of its own; stopped, as a process manager would,
    after the test."""
    # A queue no other worker listens on: a developer's worker on the same Redis cannot take
    # the test's task, and a task left over from an earlier run cannot reach this worker.
    env = {**worker_env, "KAYNAK_QUEUE_NAME": f"kaynak-test-{uuid.uuid4().hex}"}
    log_path = tmp_path / "worker.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            WORKER_COMMAND,
            env=env,
            cwd=settings.BASE_DIR,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        yield Worker(process=process, env=env, log_path=log_path)
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def enqueue_ping_and_wait(env: dict[str, str], message: str, timeout: float) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", ENQUEUE_PING_AND_WAIT, message, str(timeout)],
        env=env,
        cwd=settings.BASE_DIR,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout + 30,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    outcome: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return outcome


def test_worker_runs_a_task_enqueued_through_django_tasks(worker: Worker):
    outcome = enqueue_ping_and_wait(worker.env, "hello", timeout=30)

    assert outcome["status"] == "SUCCESSFUL", f"The worker's output:\n{worker.log()}"
    assert outcome["return_value"] == {"message": "hello", "pid": worker.process.pid}
    assert outcome["return_value"]["pid"] != outcome["enqueuer_pid"]
    assert worker.process.poll() is None, "the worker stopped after one task"


def test_worker_refuses_to_start_without_redis_and_names_the_variable(
    worker_env: dict[str, str],
):
    env = {**worker_env, "KAYNAK_REDIS_URL": "redis://127.0.0.1:1/0"}

    done = subprocess.run(
        WORKER_COMMAND,
        env=env,
        cwd=settings.BASE_DIR,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, done.stderr
    assert "KAYNAK_REDIS_URL" in lines[0]
    assert "Redis cannot be reached" in lines[0]


@pytest.mark.parametrize(("path", "when"), SCHEDULE, ids=[path for path, _when in SCHEDULE])
def test_every_scheduled_job_is_a_periodic_task_of_huey_running_a_django_task(path, when):
    periodic = {task.name for task in HUEY._registry.periodic_tasks}

    assert f"schedule.{path}" in periodic
    assert isinstance(import_string(path), Task)


def huey_clock(local_time: datetime) -> datetime:
    """What huey's clock reads when the site's clock shows ``local_time``: the consumer matches
    crontabs against naive UTC when ``HUEY.utc`` is set, otherwise against naive local time
    (Django sets the process's time zone to TIME_ZONE)."""
    if HUEY.utc:
        return local_time.astimezone(zoneinfo.ZoneInfo("UTC")).replace(tzinfo=None)
    return local_time.replace(tzinfo=None)


def due_jobs(local_time: datetime) -> set[str]:
    return {task.name for task in HUEY.read_periodic(huey_clock(local_time))}


def test_session_clean_up_is_due_at_3_17_in_the_sites_time_zone():
    site_zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    job = "schedule.kaynak.core.tasks.clear_expired_sessions"

    assert job in due_jobs(datetime(2026, 1, 15, 3, 17, tzinfo=site_zone))
    assert job not in due_jobs(datetime(2026, 1, 15, 3, 18, tzinfo=site_zone))


@pytest.mark.django_db
def test_the_scheduled_session_clean_up_deletes_expired_sessions():
    now = timezone.now()
    Session.objects.create(session_key="expired", session_data="", expire_date=now - timedelta(1))
    Session.objects.create(session_key="current", session_data="", expire_date=now + timedelta(1))
    job = next(
        task
        for task in HUEY._registry.periodic_tasks
        if task.name == "schedule.kaynak.core.tasks.clear_expired_sessions"
    )

    HUEY.execute(job)

    assert list(Session.objects.values_list("session_key", flat=True)) == ["current"]
