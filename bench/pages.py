"""Page and API latency on the demo data set, through Django's full request stack.

    .venv/bin/python bench/pages.py [--requests 300]

Builds a fresh SQLite database in a temporary folder, loads `kaynak demo --scale small`, then
times each URL with Django's test client (no network, so this measures Kaynak, not a socket).
Prints the demo build time and p50/p95/max per URL in milliseconds.
"""

from __future__ import annotations

import argparse
import atexit
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

URLS = ["/", "/en/", "/hakkimizda/", "/api/v1/provinces", "/api/v1/countries", "/healthz"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="kaynak-bench-")

    atexit.register(shutil.rmtree, tmp, ignore_errors=True)
    os.environ.update({"KAYNAK_VAR_DIR": tmp, "DJANGO_SETTINGS_MODULE": "kaynak.settings"})
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    call_command("demo", verbosity=0)
    print(f"demo --scale small: {time.perf_counter() - started:.2f} s")

    client = Client(HTTP_HOST="127.0.0.1")
    print(f"{'url':<22} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for url in URLS:
        client.get(url)  # warm caches and templates
        times = []
        for _ in range(args.requests):
            t0 = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        times.sort()
        p95 = times[int(len(times) * 0.95) - 1]
        print(f"{url:<22} {statistics.median(times):8.2f} {p95:8.2f} {times[-1]:8.2f}")


if __name__ == "__main__":
    main()
