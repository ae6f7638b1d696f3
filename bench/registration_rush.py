"""Registration rush: many people register for one session at the same moment.

    KAYNAK_DATABASE_URL=postgres://… .venv/bin/python bench/registration_rush.py
    # options: --registrations 500 --seats 100 --workers <cores> --concurrency 100

It migrates the database, publishes a fresh activity with one session of ``--seats`` seats,
starts gunicorn with ``--workers`` processes on a free loopback port, and sends
``--registrations`` registrations through the public registration form (a GET for the form and
its CSRF token, then the POST, as a browser does), ``--concurrency`` at a time, each from a new
person of a new organisation. Then it counts in the database: exactly ``--seats`` confirmed and
the rest on the waiting list, or it fails (exit status 1). It prints registrations per minute
(all registrations over the wall-clock time from the first request to the last answer) and the
p50/p95/max latency of the POSTs. The activity is left in the database (a new one per run).
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaynak.settings")

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def percentile(times: list[float], share: float) -> float:
    ordered = sorted(times)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def prepare(seats: int) -> tuple[int, str, str]:
    """A published activity open for registration with one session in a week; (id, the
    activity page's path, the registration form's path)."""
    import datetime as dt

    from django.core.management import call_command
    from django.urls import reverse
    from django.utils import timezone, translation

    from kaynak.programmes.models import Activity, ActivityStatus, Programme, Session

    call_command("migrate", verbosity=0)
    programme, _created = Programme.objects.get_or_create(
        slug="rush", defaults={"name": "Kayıt Yoğunluğu Ölçümü", "name_en": "Registration rush"}
    )
    stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
    activity = Activity.objects.create(
        programme=programme,
        title=f"Proje Döngüsü Yönetimi Eğitimi {stamp}",
        slug=f"rush-{stamp}",
        status=ActivityStatus.PUBLISHED,
        published_at=timezone.now(),
        capacity=seats,
        waitlist=True,
    )
    start = timezone.now() + dt.timedelta(days=7)
    Session.objects.create(
        activity=activity, starts_at=start, ends_at=start + dt.timedelta(hours=6), venue="Ankara"
    )
    with translation.override("tr"):
        page = reverse("programmes:activity", kwargs={"slug": activity.slug})
        form = reverse("programmes:register", kwargs={"slug": activity.slug})
    return activity.pk, page, form


def registrants(n: int, seed: int) -> list[dict[str, str]]:
    """What ``n`` registrants type: Turkish names, each of an organisation of their own with an
    invented but believable name, in provinces weighted as the demo weights them (so the
    directory's look-ups at the door face names as varied as real ones, not one long series)."""
    import random

    from kaynak.core.models import Province
    from kaynak.directory.demo import PROVINCE_WEIGHTS, Namer, _person_name, weighted

    rng = random.Random(seed)
    names = dict(Province.objects.values_list("plate_code", "name"))
    namer = Namer(rng, names)
    people = []
    for i in range(n):
        province = weighted(rng, PROVINCE_WEIGHTS)
        full_name, _gender = _person_name(rng)
        organisation, _themes, _district = namer.invent("association", province)
        people.append(
            {
                "full_name": full_name,
                "email": f"rush-{seed}-{i}@ornek.org.tr",
                "phone": "",
                "province": str(province),
                "language": "tr",
                "organisation_name": organisation,
                "organisation_province": str(province),
                "organisation_choice": "new",
                "consent": "on",
            }
        )
    return people


async def rush(
    base: str, page: str, form: str, people: list[dict[str, str]], concurrency: int
) -> tuple[float, list[float], list[int]]:
    """Every registrant opens the form first (not timed: people read it before they press the
    button); then all press "Register" at once, ``concurrency`` requests in flight. Returns the
    seconds from the first POST to the last answer, the POSTs' latencies and their statuses."""
    import httpx

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=300) as client:
        opened = asyncio.Semaphore(min(concurrency, 20))

        async def open_form(i: int) -> tuple[str, str]:
            async with opened:
                shown = await client.get(page, headers={"Cookie": ""})
            match = CSRF.search(shown.text)
            if shown.status_code != 200 or not match:
                raise SystemExit(f"The form did not open: HTTP {shown.status_code}")
            return shown.cookies["csrftoken"], match.group(1)

        forms = await asyncio.gather(*(open_form(i) for i in range(len(people))))
        client.cookies.clear()
        gate = asyncio.Semaphore(concurrency)
        latencies: list[float] = []
        statuses: list[int] = []

        async def submit(i: int, cookie: str, token: str) -> None:
            async with gate:
                started = time.perf_counter()
                answer = await client.post(
                    form,
                    data={**people[i], "csrfmiddlewaretoken": token},
                    headers={"Referer": base + page, "Cookie": f"csrftoken={cookie}"},
                )
                latencies.append((time.perf_counter() - started) * 1000)
                statuses.append(answer.status_code)

        started = time.perf_counter()
        await asyncio.gather(*(submit(i, *forms[i]) for i in range(len(people))))
        return time.perf_counter() - started, latencies, statuses


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--registrations", type=int, default=500)
    parser.add_argument("--seats", type=int, default=100)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--concurrency", type=int, default=100)
    args = parser.parse_args()

    import logging

    import django

    django.setup()
    logging.getLogger("httpx").setLevel(logging.WARNING)
    from django.conf import settings
    from django.db import connection

    from kaynak.core.testing import wait_until
    from kaynak.programmes.models import Registration

    activity_id, page, form = prepare(args.seats)
    people = registrants(args.registrations, seed=activity_id)
    connection.close()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "KAYNAK_DEBUG": "0", "KAYNAK_ALLOWED_HOSTS": "127.0.0.1"}
    server = subprocess.Popen(  # noqa: S603 — our own gunicorn, fixed arguments
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "kaynak.wsgi",
            "--workers",
            str(args.workers),
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        import httpx

        def up() -> bool:
            try:
                return httpx.get(f"{base}/healthz", timeout=2).status_code == 200
            except httpx.HTTPError:
                return False

        wait_until(up, timeout=60)
        seconds, latencies, statuses = asyncio.run(rush(base, page, form, people, args.concurrency))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    counts = {
        status: Registration.objects.filter(activity_id=activity_id, status=status).count()
        for status in ("confirmed", "waitlisted")
    }
    database = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(
        f"{args.registrations} registrations for {args.seats} seats, {args.workers} gunicorn "
        f"workers, {args.concurrency} at a time, on {database}"
    )
    print(f"answers: {dict(sorted((s, statuses.count(s)) for s in set(statuses)))}")
    print(f"confirmed {counts['confirmed']}, waitlisted {counts['waitlisted']}")
    print(f"{args.registrations / seconds * 60:,.0f} registrations/min ({seconds:.1f} s)")
    if latencies:
        print(
            f"POST latency ms: p50 {statistics.median(latencies):.0f}, "
            f"p95 {percentile(latencies, 0.95):.0f}, max {max(latencies):.0f}"
        )
    expected = {
        "confirmed": min(args.seats, args.registrations),
        "waitlisted": max(0, args.registrations - args.seats),
    }
    if counts != expected:
        print(f"FAILED: expected {expected}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
