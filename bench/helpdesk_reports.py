"""How long the support desk's reports take over many requests.

    .venv/bin/python bench/helpdesk_reports.py [--requests 20000] [--repeat 3]

Builds a fresh SQLite database in a temporary folder, writes N requests over the last year in
both queues straight as rows (bulk, not through the services: this measures the report, not
the intake) with first responses, resolutions, pauses for a tenth of them and satisfaction
answers for a third, then times ``reports.build_report`` for the default period (the last 12
months, all queues) and one queue, and the XLSX export. Prints seconds per run (best and
median).
"""

from __future__ import annotations

import argparse
import atexit
import datetime as dt
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=20000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="kaynak-bench-")
    atexit.register(shutil.rmtree, tmp, ignore_errors=True)
    os.environ.update({"KAYNAK_VAR_DIR": tmp, "DJANGO_SETTINGS_MODULE": "kaynak.settings"})
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    from kaynak.directory.tests.factories import OrganisationFactory
    from kaynak.helpdesk import reports
    from kaynak.helpdesk.models import (
        Category,
        Channel,
        Queue,
        Request,
        RequestPause,
        RequestStatus,
        SatisfactionResponse,
    )

    call_command("migrate", verbosity=0)
    rng = random.Random(2026)
    now = timezone.now()
    queues = list(Queue.objects.all())
    categories = {q.pk: list(Category.objects.filter(queue=q)) for q in queues}
    organisations = OrganisationFactory.create_batch(50)
    started = time.perf_counter()
    rows = []
    for n in range(args.requests):
        queue = rng.choice(queues)
        created = now - dt.timedelta(days=rng.uniform(0, 360), minutes=rng.randint(0, 600))
        answered = created + dt.timedelta(hours=rng.uniform(0.1, 40))
        resolved = answered + dt.timedelta(hours=rng.uniform(1, 200))
        finished = resolved < now
        rows.append(
            Request(
                queue=queue,
                category=rng.choice(categories[queue.pk]),
                token=f"B{n:07d}",
                subject=f"Soru {n}",
                channel=rng.choice(list(Channel)),
                organisation=rng.choice(organisations) if n % 5 else None,
                status=RequestStatus.CLOSED if finished else RequestStatus.OPEN,
                created_at=created,
                first_response_at=answered if answered < now else None,
                resolved_at=resolved if finished else None,
                first_resolved_at=resolved if finished else None,
                first_response_due=created + dt.timedelta(hours=20),
                resolution_due=created + dt.timedelta(hours=120),
                is_spam=n % 97 == 0,
            )
        )
    Request.objects.bulk_create(rows, batch_size=2000)
    saved = list(Request.objects.values_list("pk", "first_response_at", "resolved_at"))
    RequestPause.objects.bulk_create(
        [
            RequestPause(request_id=pk, started_at=fr, ended_at=fr + dt.timedelta(hours=30))
            for pk, fr, res in saved[::10]
            if fr is not None and res is not None
        ],
        batch_size=2000,
    )
    SatisfactionResponse.objects.bulk_create(
        [
            SatisfactionResponse(request_id=pk, score=rng.randint(1, 5))
            for pk, _fr, res in saved[::3]
            if res is not None
        ],
        batch_size=2000,
    )
    print(f"{args.requests} requests written in {time.perf_counter() - started:.1f} s")

    period = reports.last_twelve_months(timezone.localdate())
    cases = {
        "all queues": lambda: reports.build_report(period=period),
        "one queue": lambda: reports.build_report(period=period, queue=queues[0]),
        "xlsx": lambda: reports.report_xlsx(report=reports.build_report(period=period), actor=None),
    }
    for name, run in cases.items():
        times = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            run()
            times.append(time.perf_counter() - t0)
        print(f"{name:<12} best {min(times):.2f} s   median {statistics.median(times):.2f} s")
    report = reports.build_report(period=period)
    print(
        f"counted {report.total}; first response median "
        f"{report.first_response.business_median:.1f} business h"
    )


if __name__ == "__main__":
    main()
