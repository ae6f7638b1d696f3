"""The nightly refresh of the people's duplicates queue at national scale: how long finding the
pairs takes, how many it proposes (and why), queueing them, and the queue page.

    # SQLite: build the directory's national demo once in a folder of its own (≈ 2 minutes)
    KAYNAK_VAR_DIR=/tmp/kaynak-people .venv/bin/python bench/person_duplicates.py --build
    KAYNAK_VAR_DIR=/tmp/kaynak-people .venv/bin/python bench/person_duplicates.py

``--build`` migrates and runs the directory's demo alone (100,000 organisations, 300,000
people and their affiliations; no deliveries). The queue is filled and the page requested in a
transaction that is rolled back, so the database is left as the demo made it.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaynak.settings")


def build(scale: str) -> None:
    from django.core.management import call_command
    from rich.progress import Progress

    from kaynak.core.demo import DemoContext
    from kaynak.directory import demo

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    with Progress() as progress:
        # The seed the national demo uses, so the people are the same.
        context = DemoContext(scale=scale, rng=random.Random(2018), progress=progress)
        demo.build(context)
    print(f"directory demo ({scale}): {time.perf_counter() - started:.0f} s, {context.created}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--build", action="store_true", help="migrate and load the directory demo")
    parser.add_argument("--scale", default="national", choices=["small", "national"])
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection, transaction

    if args.build:
        build(args.scale)

    from kaynak.directory.models import Affiliation, Person

    print(
        f"database: {connection.vendor}; {Person.objects.count():,} people, "
        f"{Affiliation.objects.count():,} affiliations"
    )
    with transaction.atomic():
        run(args.requests)
        transaction.set_rollback(True)


def run(runs: int) -> None:
    from allauth.mfa.totp.internal.auth import TOTP
    from django.test import Client
    from django.urls import reverse

    from kaynak.accounts.models import Role
    from kaynak.accounts.services import member_create, role_grant
    from kaynak.directory.merging import duplicate_candidates_refresh
    from kaynak.directory.models import RecordKind
    from kaynak.directory.resolution import duplicate_person_pairs

    started = time.perf_counter()
    pairs = list(duplicate_person_pairs())
    cold = time.perf_counter() - started
    started = time.perf_counter()
    again = list(duplicate_person_pairs())
    warm = time.perf_counter() - started
    assert again == pairs
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"duplicate_person_pairs(): {cold:.1f} s (people index read from the database)")
    print(f"duplicate_person_pairs(): {warm:.1f} s (index already in memory)")
    print(f"peak memory of the process: {peak:,.0f} MB")
    print(f"pairs proposed: {len(pairs):,}")
    reasons: Counter[str] = Counter()
    for _left, _right, _score, evidence in pairs:
        found = set(evidence)
        if found & {"email", "phone", "identifier"}:
            reasons["a shared e-mail or phone"] += 1
        elif "organisation" in found:
            reasons["a shared organisation"] += 1
        else:
            reasons["the same name, province and birth year"] += 1
    for reason, count in reasons.most_common():
        print(f"  {reason}: {count:,}")

    started = time.perf_counter()
    added = duplicate_candidates_refresh(pairs=pairs, kind=RecordKind.PERSON)
    print(
        f"duplicate_candidates_refresh: {added:,} queued in {time.perf_counter() - started:.1f} s"
    )

    user = member_create(email="bench-people@kaynak.example", password=None, verified=True)
    role_grant(user=user, role=Role.ME_OFFICER, actor=None)
    TOTP.activate(user, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    url = reverse("directory:person_duplicates") + "?page=2"
    times = []
    for _ in range(runs + 1):  # the first request warms up
        started = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, response.status_code
    times = sorted(times[1:])
    p95 = times[max(0, round(0.95 * len(times)) - 1)]
    print(f"queue page ({url}): p50 {statistics.median(times):.0f} ms, p95 {p95:.0f} ms")


if __name__ == "__main__":
    main()
