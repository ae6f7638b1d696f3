"""Reach and directory search at national scale: p50/p95 of the reach page, its queries, the
names behind its figures and the directory search, on a database built by the national demo.

    # SQLite: build once in a folder of its own (≈ minutes), then measure
    KAYNAK_VAR_DIR=/tmp/kaynak-national .venv/bin/python bench/national.py --build
    KAYNAK_VAR_DIR=/tmp/kaynak-national .venv/bin/python bench/national.py --requests 20
    # PostgreSQL: the same with KAYNAK_DATABASE_URL=postgres://…

``--build`` migrates and runs ``kaynak demo --scale national`` first and prints how long it
took. Pages are requested through Django's test client (the whole middleware stack, no
network) as a logged-in M&E officer with TOTP set up; that user is created in a transaction that
is rolled back at the end, so the database is left as the demo made it. Each measurement is
taken ``--requests`` times after one warm-up run, whose time is printed too ("first").
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaynak.settings")


def percentile(times: list[float], share: float) -> float:
    ordered = sorted(times)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def measure(label: str, action: Callable[[], Any], runs: int) -> None:
    started = time.perf_counter()
    action()
    first = (time.perf_counter() - started) * 1000
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    print(
        f"{label:<58} {first:9.1f} {statistics.median(times):9.1f} "
        f"{percentile(times, 0.95):9.1f} {max(times):9.1f}",
        flush=True,
    )


def header(title: str) -> None:
    print(f"\n{title:<58} {'first ms':>9} {'p50 ms':>9} {'p95 ms':>9} {'max ms':>9}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--build", action="store_true", help="migrate and load the national demo")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    if args.build:
        call_command("migrate", verbosity=0)
        started = time.perf_counter()
        call_command("demo", scale="national")
        print(f"kaynak demo --scale national: {time.perf_counter() - started:.0f} s")

    from kaynak.directory.models import Organisation, Person
    from kaynak.ledger.models import Delivery

    print(
        f"database: {connection.vendor}; {Organisation.objects.count():,} organisations, "
        f"{Person.objects.count():,} people, {Delivery.objects.count():,} deliveries"
    )
    with transaction.atomic():
        run(args.requests)
        transaction.set_rollback(True)


def run(runs: int) -> None:
    import datetime as dt

    from allauth.mfa.totp.internal.auth import TOTP
    from django.test import Client
    from django.urls import NoReverseMatch, reverse
    from django.utils import timezone

    from kaynak.accounts.models import Role
    from kaynak.accounts.services import member_create, role_grant
    from kaynak.core.models import Province, Theme
    from kaynak.directory.models import Organisation
    from kaynak.ledger import queries
    from kaynak.ledger.models import ServiceKind
    from kaynak.ledger.queries import Dimension, ReachFilter

    user = member_create(email="bench-reach@kaynak.example", password=None, verified=True)
    role_grant(user=user, role=Role.ME_OFFICER, actor=None)
    TOTP.activate(user, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)

    years = queries.delivery_years()
    year = years[0] if years else timezone.localdate().year
    whole_year = ReachFilter(start=dt.date(year, 1, 1), end=dt.date(year, 12, 31))
    filters = {
        f"{year}": whole_year,
        "all years": ReachFilter(),
        f"{year} Q2": ReachFilter(start=dt.date(year, 4, 1), end=dt.date(year, 6, 30)),
        f"{year}, İstanbul": ReachFilter(
            start=whole_year.start, end=whole_year.end, province=Province.objects.get(pk=34)
        ),
        f"{year}, training": ReachFilter(
            start=whole_year.start,
            end=whole_year.end,
            kind=ServiceKind.objects.get(slug="training"),
        ),
        f"{year}, theme women": ReachFilter(
            start=whole_year.start, end=whole_year.end, theme=Theme.objects.get(slug="women")
        ),
    }

    header(f"reach queries, {year}")
    measure("reach_totals", lambda: queries.reach_totals(whole_year), runs)
    measure("new_reach", lambda: queries.new_reach(whole_year), runs)
    measure(
        "multi_service_organisation_count",
        lambda: queries.multi_service_organisation_count(whole_year),
        runs,
    )
    for dimension in (Dimension.REGION, Dimension.PROVINCE, Dimension.THEME, Dimension.KIND):
        measure(
            f"reach_by {dimension.value}", partial(queries.reach_by, whole_year, dimension), runs
        )
    measure(
        "reach_by year × quarter (all years)",
        lambda: queries.reach_by(ReachFilter(), Dimension.YEAR, Dimension.QUARTER),
        runs,
    )

    header("reach_report (every figure of the page)")
    for label, reach_filter in filters.items():
        measure(label, partial(queries.reach_report, reach_filter), runs)

    def page(url: str) -> Callable[[], None]:
        def get() -> None:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        return get

    reach = reverse("ledger:reach")
    names = reverse("ledger:names")
    period = f"start={year}-01-01&end={year}-12-31"
    # recount=1 counts every figure again; without it the page shows what was counted for the
    # same filter in the last five minutes.
    header("reach page, counting (HTTP, test client)")
    for url in (
        f"{reach}?recount=1",
        f"{reach}?year=&recount=1",
        f"{reach}?year={year}&quarter=2&recount=1",
        f"{reach}?year={year}&province=34&recount=1",
        f"{reach}?year={year}&kind=training&recount=1",
        f"{reach}?year={year}&theme=women&recount=1",
    ):
        measure(url, page(url), runs)
    header("reach page, counted in the last five minutes")
    for url in (reach, f"{reach}?year="):
        measure(url, page(url), runs)

    header("names behind a figure (HTTP)")
    for url in (
        f"{names}?{period}&measure=organisations",
        f"{names}?{period}&measure=organisations&page=100",
        f"{names}?{period}&measure=people",
        f"{names}?{period}&measure=new-organisations",
        f"{names}?{period}&measure=multi-service",
        f"{names}?{period}&province=34&measure=organisations",
    ):
        measure(url, page(url), runs)

    header("directory search")
    try:
        urls = [
            f"{reverse('directory:list')}?q=kadın+dayanışma",
            f"{reverse('directory:list')}?q=ISTANBUL",
            f"{reverse('directory:staff_list')}?q=cevre",
            f"{reverse('directory:staff_list')}?q=ege+cevre+dernegi",
        ]
    except NoReverseMatch:
        urls = []
        print("(the directory's pages are not there: measuring the search query alone)")
    for url in urls:
        measure(url, page(url), runs)

    def folded_search(text: str) -> Callable[[], None]:
        def search() -> None:
            matches = Organisation.objects.all()
            for word in text.split():
                matches = matches.filter(search_text__contains=word)
            list(matches.order_by("pk")[:50])
            matches.count()

        return search

    for text in ("kadin dayanisma", "istanbul", "ege cevre dernegi"):
        measure(f"search_text__contains {text!r} (50 + count)", folded_search(text), runs)


if __name__ == "__main__":
    main()
