"""The identity resolver: quality on the labelled sets, speed at the door and in bulk.

    .venv/bin/python bench/resolver.py [--organisations 100000] [--queries 1000] [--bulk 5000]

Builds a fresh SQLite database in a temporary folder and prints:

1. Quality (precision / recall / F1 over pairs of rows) on the TRAIN and HELD-OUT labelled sets
   (``bench/labelled.py``): organisation rows clustered among themselves; the same rows linked
   to a database holding ~70 % of the organisations (a row is right when it is linked to its
   organisation, or left unlinked when its organisation is not known); people clustered.
2. At the door: ``organisation_candidates`` latency p50 / p95 / max against N synthetic
   organisations (bulk-created), for typed variants of known organisations and new ones.
3. In bulk: ``cluster_organisations`` rows per second against the same database.

Times are wall-clock and CPU time of this process (the latter is steadier on a busy machine).
"""

from __future__ import annotations

import argparse
import atexit
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _setup() -> None:
    tmp = tempfile.mkdtemp(prefix="kaynak-bench-resolver-")
    atexit.register(shutil.rmtree, tmp, ignore_errors=True)
    os.environ.update({"KAYNAK_VAR_DIR": tmp, "DJANGO_SETTINGS_MODULE": "kaynak.settings"})
    os.environ.pop("KAYNAK_DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _records(rows: list[Any]) -> list[Any]:
    from kaynak.directory.resolution import OrganisationRecord

    return [
        OrganisationRecord(
            name=r.name,
            city=r.city,
            email=r.email,
            phone=r.phone,
            registry_no=r.registry_no,
            website=r.website,
            contact_name=r.contact_name,
        )
        for r in rows
    ]


def _organisations(entities: list[Any], rng: random.Random) -> list[Any]:
    """Unsaved ``Organisation`` rows for labelled entities, as staff would have entered them."""
    from bench.labelled import PROVINCES
    from kaynak.directory.models import Organisation
    from kaynak.directory.normalize import organisation_search_text

    organisations = []
    for entity in entities:
        emails = [f"info@{entity.domain}"] if entity.domain else []
        if entity.free_email:
            emails.append(entity.free_email)
        registry = entity.registry_no
        organisation = Organisation(
            name=entity.name,
            short_name=entity.acronym if entity.acronym and rng.random() < 0.5 else "",
            province_id=PROVINCES.index(entity.province) + 1,
            emails=emails,
            phones=[f"+90{entity.phone}"] if entity.phone else [],
            website=f"https://{entity.domain}/" if entity.domain and rng.random() < 0.5 else "",
            association_registry_no=registry if "-" in registry else "",
            tax_no=registry if registry and "-" not in registry else "",
            legal_form_id=None,
        )
        organisation.search_text = organisation_search_text(organisation.name)
        organisations.append(organisation)
    return organisations


def _reset_database() -> None:
    from kaynak.directory.models import Organisation
    from kaynak.directory.resolution.organisations import DATABASE

    Organisation.objects.update(parent=None)
    Organisation.objects.all().delete()
    DATABASE.reset()


def organisation_quality(split: str) -> dict[str, float]:
    from bench.labelled import organisation_set, pairwise_scores
    from kaynak.directory.models import Organisation
    from kaynak.directory.resolution import cluster_organisations

    labelled = organisation_set(split)  # type: ignore[arg-type]
    records = _records(labelled.rows)
    truth = [row.entity for row in labelled.rows]
    result: dict[str, float] = {}

    started = time.perf_counter()
    among = cluster_organisations(records, against_database=False)
    result["rows"] = len(records)
    result["seconds_among"] = time.perf_counter() - started
    p, r, f = pairwise_scores(truth, [m.cluster for m in among])
    result.update(among_p=p, among_r=r, among_f1=f)

    # A database that knows ~70 % of the organisations.
    _reset_database()
    rng = random.Random(5)
    known_entities = [e for e in labelled.entities if rng.random() < 0.7]
    saved = Organisation.objects.bulk_create(_organisations(known_entities, rng))
    entity_of_id = {o.pk: e.key for o, e in zip(saved, known_entities, strict=True)}
    known_keys = set(entity_of_id.values())
    linked = cluster_organisations(records, against_database=True)
    right = wrong = missed = 0
    for row, match in zip(labelled.rows, linked, strict=True):
        if match.organisation_id is not None:
            if entity_of_id[match.organisation_id] == row.entity:
                right += 1
            else:
                wrong += 1
        elif row.entity in known_keys:
            missed += 1
    precision = right / (right + wrong) if right + wrong else 1.0
    recall = right / (right + missed) if right + missed else 1.0
    result.update(
        link_p=precision,
        link_r=recall,
        link_f1=2 * precision * recall / (precision + recall) if precision + recall else 0.0,
    )
    p, r, f = pairwise_scores(truth, [m.cluster for m in linked])
    result.update(db_p=p, db_r=r, db_f1=f)
    _reset_database()
    return result


def person_quality(split: str) -> dict[str, float]:
    from bench.labelled import pairwise_scores, person_set
    from kaynak.directory.resolution.people import cluster_people, person_profile

    labelled = person_set(split)  # type: ignore[arg-type]
    profiles = [
        person_profile(
            full_name=r.full_name,
            email=r.email,
            phone=r.phone,
            city=r.city,
            organisation=r.organisation,
            birth_date=r.birth_date,
        )
        for r in labelled.rows
    ]
    clusters = cluster_people(profiles)
    p, r, f = pairwise_scores([row.person for row in labelled.rows], clusters)
    return {"rows": len(profiles), "p": p, "r": r, "f1": f}


def build_organisations(count: int) -> float:
    """Bulk-create ``count`` synthetic organisations (train vocabulary); seconds taken."""
    from bench.labelled import _entities
    from kaynak.directory.models import Organisation

    started = time.perf_counter()
    rng = random.Random(100)
    entities = _entities("train", count, rng)
    Organisation.objects.bulk_create(_organisations(entities, rng), batch_size=5000)
    return time.perf_counter() - started


def door_queries(count: int, known_count: int) -> list[Any]:
    """Typed variants of known organisations (70 %) and organisations not in the database."""
    from bench.labelled import _entities, _rows_of, organisation_set

    rng = random.Random(200 + count)
    known = _entities("train", known_count, random.Random(100))
    rows = []
    for entity in rng.sample(known, int(count * 0.7)):
        rows.append(rng.choice(_rows_of(entity, known, rng)))
    rows += organisation_set("held-out", entities=count).rows[: count - len(rows)]
    rng.shuffle(rows)
    return _records(rows)


def percentile(times: list[float], q: float) -> float:
    ordered = sorted(times)
    return ordered[max(0, int(len(ordered) * q) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--organisations", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--bulk", type=int, default=5000)
    args = parser.parse_args()
    _setup()

    print("Quality (pairs of rows: precision / recall / F1)")
    for split in ("train", "held-out"):
        q = organisation_quality(split)
        print(
            f"  organisations {split:<8} {int(q['rows'])} rows"
            f" | among rows {q['among_p']:.3f} / {q['among_r']:.3f} / {q['among_f1']:.3f}"
            f" | with database {q['db_p']:.3f} / {q['db_r']:.3f} / {q['db_f1']:.3f}"
            f" | links {q['link_p']:.3f} / {q['link_r']:.3f} / {q['link_f1']:.3f}"
        )
    for split in ("train", "held-out"):
        q = person_quality(split)
        print(
            f"  people        {split:<8} {int(q['rows'])} rows"
            f" | {q['p']:.3f} / {q['r']:.3f} / {q['f1']:.3f}"
        )

    from kaynak.directory.resolution import cluster_organisations, organisation_candidates
    from kaynak.directory.resolution.organisations import DATABASE

    seconds = build_organisations(args.organisations)
    print(f"\n{args.organisations} organisations bulk-created in {seconds:.1f} s")
    started = time.perf_counter()
    DATABASE.fresh()
    print(f"index built in {time.perf_counter() - started:.1f} s (once per process)")

    queries = door_queries(args.queries, args.organisations)
    times, cpu = [], []
    found = 0
    for record in queries:
        t0, c0 = time.perf_counter(), time.process_time()
        candidates = organisation_candidates(record)
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        found += bool(candidates)
    print(
        f"at the door: {len(times)} queries ({found} with candidates),"
        f" p50 {statistics.median(times):.2f} ms, p95 {percentile(times, 0.95):.2f} ms,"
        f" max {max(times):.2f} ms wall-clock;"
        f" p50 {statistics.median(cpu):.2f} ms, p95 {percentile(cpu, 0.95):.2f} ms of CPU"
    )

    rows = door_queries(args.bulk, args.organisations)
    started, cpu_started = time.perf_counter(), time.process_time()
    cluster_organisations(rows, against_database=True)
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started
    print(
        f"in bulk: {len(rows)} rows in {seconds:.2f} s = {len(rows) / seconds:.0f} rows/s"
        f" ({cpu_seconds:.2f} s of CPU = {len(rows) / cpu_seconds:.0f} rows/s)"
    )


if __name__ == "__main__":
    main()
