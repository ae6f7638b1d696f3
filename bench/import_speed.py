"""Import speed: rows per second of `kaynak directory import` on a generated spreadsheet.

    .venv/bin/python bench/import_speed.py [--rows 5000] [--known 0] [--via service|command]
        [--runs 1] [--seed 7] [--database-url URL] [--profile N]

Each run builds a fresh SQLite database in a temporary folder, or empties and migrates the
database at ``--database-url`` (a PostgreSQL one made for the purpose: everything in its
``public`` schema is dropped). ``--known N`` first puts N organisations in the directory, each
with a contact person working there; a fifth of them come up again in the file, half of those
with their known contact. The file has ``--rows`` rows as people send them (Turkish letters, a
sixth of the rows a variant of an earlier organisation, contact people with e-mails and phones).

``--via service`` (the default) times the import service as the staff page calls it in a running
server (its resolver indexes already built): the upload (the file read and kept) and applying it
(read, check, resolve, write, audit). ``--via command`` times ``kaynak directory import FILE`` as
a new process, from start to exit: Django starting, the indexes built from the database, the
report printed. Prints rows per second in wall-clock time and in CPU time (steadier on a busy
machine). ``--runs N`` repeats the run N times, each in a new process on a new database, and
prints the median. ``--profile N`` prints the N costliest functions of applying (service only).
Target: at least 1,000 rows/s.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import io
import json
import os
import pstats
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PLACES = ["Ege", "Anadolu", "Karadeniz", "Marmara", "Akdeniz", "Toros", "Dicle", "Fırat",
          "Kapadokya", "Trakya", "Çukurova", "Boğaziçi", "Uludağ", "Erciyes", "Munzur",
          "Ağrı"]  # fmt: skip
SUBJECTS = ["Kadın", "Çocuk", "Gençlik", "Engelliler", "Çevre", "Doğa", "Kültür", "Sanat",
            "Eğitim", "Sağlık", "Göçmen", "Arıcılar", "Çiftçiler", "Öğretmenler", "Yaşlılar",
            "Hayvan Hakları", "İnsan Hakları", "Spor", "Afet", "Kooperatifçilik"]  # fmt: skip
PURPOSES = ["Dayanışma", "Yardımlaşma", "Destek", "Koruma", "Geliştirme", "Araştırma",
            "Kalkınma", "Gönüllüleri", "Girişimi", "Platformu"]  # fmt: skip
FORMS = ["Derneği", "Vakfı", "Kooperatifi", "Platformu", "Federasyonu"]
PROVINCES = ["İstanbul", "Ankara", "İzmir", "Diyarbakır", "Van", "Trabzon", "Şanlıurfa",
             "Eskişehir", "Muğla", "Hatay", "Kars", "Çanakkale", "Gaziantep", "Mersin", "34",
             "06", "İST.", "izmir", "ANKARA", "Kadıköy"]  # fmt: skip
FIRST = ["Ayşe", "Fatma", "Zeynep", "Elif", "Gülşen", "Hatice", "Şule", "İpek", "Özlem",
         "Mehmet", "Ahmet", "Mustafa", "Çağrı", "İlker", "Ömer", "Barış", "Uğur",
         "Ilgaz"]  # fmt: skip
LAST = ["Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Öztürk", "Aydın", "Özdemir",
        "Arslan", "Doğan", "Kılıç", "Koç", "Kurt", "Işık", "Güneş", "Ağaoğlu",
        "Çağlar"]  # fmt: skip
MOBILE_PREFIXES = ["532", "533", "535", "536", "542", "543", "505", "506", "555", "554"]
_ASCII = str.maketrans("çğıöşüÇĞİÖŞÜ", "cgiosuCGIOSU")


def organisation_names(rng: random.Random, count: int) -> list[str]:
    names: set[str] = set()
    while len(names) < count:
        words = [rng.choice(PLACES), rng.choice(SUBJECTS), rng.choice(PURPOSES)]
        if rng.random() < 0.5:
            words.insert(0, f"{rng.choice(PROVINCES[:14])}")
        names.add(" ".join([*words, rng.choice(FORMS)]))
    return sorted(names)


def variant(rng: random.Random, name: str) -> str:
    """How the same organisation arrives again: capitals without Turkish letters, or a
    legal form abbreviated."""
    if rng.random() < 0.5:
        return name.translate(_ASCII).upper()
    return name.replace("Derneği", "Der.").replace("Vakfı", "Vkf.")


def generate(rng: random.Random, rows: int, known: list[tuple[str, str, str]]) -> str:
    """The file: ``known`` are (organisation, contact person, e-mail) in the directory."""
    fresh = organisation_names(rng, rows)
    used: list[tuple[str, str]] = []
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Kuruluş adı", "İl", "E-posta", "Telefon", "İletişim kişisi"])
    for index in range(rows):
        person = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        domain = f"stk{index}.org.tr" if rng.random() < 0.6 else "gmail.com"
        email = f"{person.translate(_ASCII).lower().replace(' ', '.')}{index}@{domain}"
        if used and rng.random() < 1 / 6:
            name, province = rng.choice(used)
            name = variant(rng, name)
        elif known and rng.random() < 0.2:
            name, contact, contact_email = rng.choice(known)
            province = "Ankara"
            if rng.random() < 0.5:
                person, email = contact, contact_email
        else:
            name, province = fresh[index], rng.choice(PROVINCES)
            used.append((name, province))
        digits = f"{rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
        phone = f"0{rng.choice(MOBILE_PREFIXES)} {digits}"
        writer.writerow([name, province, email, phone, person])
    return out.getvalue()


def known_directory(seed: int, count: int) -> list[tuple[str, str, str]]:
    """(organisation, contact person, e-mail) of ``count`` organisations already known."""
    rng = random.Random(seed)
    known = []
    for index, name in enumerate(organisation_names(rng, count)):
        person = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        address = f"{person.translate(_ASCII).lower().replace(' ', '.')}@known{index}.org.tr"
        known.append((name, person, address))
    return known


def _median_of_runs(args: argparse.Namespace) -> None:
    """Run this script ``args.runs`` times, one process and one database each; the median."""
    command = [sys.executable, __file__, "--json"]
    for name in ("rows", "known", "seed", "via", "database_url"):
        command += [f"--{name.replace('_', '-')}", str(getattr(args, name))]
    results = []
    for run in range(1, args.runs + 1):
        # This script itself, with the arguments it was given.
        finished = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
        if finished.returncode != 0:
            sys.exit(f"run {run} failed:\n{finished.stdout}{finished.stderr}")
        result = json.loads(finished.stdout.strip().splitlines()[-1])
        results.append(result)
        print(
            f"run {run}: {result['seconds']:.2f} s = {result['rows_per_second']:,.0f} rows/s; "
            f"{result['cpu_seconds']:.2f} s of CPU = {result['rows_per_cpu_second']:,.0f} rows/s"
        )
    wall = statistics.median(r["seconds"] for r in results)
    cpu = statistics.median(r["cpu_seconds"] for r in results)
    first = results[0]
    print(
        f"median of {args.runs} ({first['database']}, via {args.via}, {args.rows} rows, "
        f"{args.known} known organisations): {wall:.2f} s = {args.rows / wall:,.0f} rows/s "
        f"wall clock; {cpu:.2f} s of CPU = {args.rows / cpu:,.0f} rows/s"
    )


def _empty_database(url: str) -> None:
    """Drop everything in the database's public schema: each run starts from nothing."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DROP SCHEMA public CASCADE")
        cursor.execute("CREATE SCHEMA public")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--known", type=int, default=0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--via", choices=["service", "command"], default="service")
    parser.add_argument("--runs", type=int, default=1, help="runs to take the median of")
    parser.add_argument("--database-url", default="", help="a database to empty and fill")
    parser.add_argument(
        "--profile", type=int, default=0, metavar="N", help="print the N costliest functions"
    )
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.runs > 1:
        _median_of_runs(args)
        return

    # The database (SQLite), the kept file and the CSV live in a folder removed afterwards.
    tmp = tempfile.mkdtemp(prefix="kaynak-bench-")
    try:
        _one_run(args, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _one_run(args: argparse.Namespace, tmp: str) -> None:
    os.environ.pop("KAYNAK_DATABASE_URL", None)
    if args.database_url:
        os.environ["KAYNAK_DATABASE_URL"] = args.database_url
    os.environ.update({"KAYNAK_VAR_DIR": tmp, "DJANGO_SETTINGS_MODULE": "kaynak.settings"})
    # As in production: DEBUG keeps every query's SQL, which slows a bulk import down.
    os.environ.setdefault("KAYNAK_DEBUG", "0")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from kaynak.core.models import Province
    from kaynak.directory.models import Affiliation, Organisation, Person
    from kaynak.directory.normalize import organisation_search_text, person_search_text

    if args.database_url:
        _empty_database(args.database_url)
    call_command("migrate", verbosity=0)
    known = known_directory(args.seed + 1, args.known)
    ankara = Province.objects.get(plate_code=6)
    organisations = Organisation.objects.bulk_create(
        Organisation(name=name, province=ankara, search_text=organisation_search_text(name))
        for name, _person, _email in known
    )
    people = Person.objects.bulk_create(
        Person(full_name=person, emails=[email], search_text=person_search_text(person))
        for _name, person, email in known
    )
    Affiliation.objects.bulk_create(
        Affiliation(person=person, organisation=organisation)
        for person, organisation in zip(people, organisations, strict=True)
    )
    rng = random.Random(args.seed)
    data = generate(rng, args.rows, known[: max(1, len(known) // 5)] if known else []).encode()
    database = connection.vendor
    if not args.json:
        print(
            f"{args.rows} rows, {len(data) / 1024:.0f} KiB; {args.known} known organisations "
            f"and contacts; {database}; via {args.via}"
        )
    if args.via == "command":
        seconds, cpu = _time_command(data, tmp)
        summary = f"{Organisation.objects.count()} organisations, {Person.objects.count()} people"
    else:
        seconds, cpu, summary = _time_service(data, args.profile)
    if args.json:
        print(
            json.dumps(
                {
                    "database": database,
                    "seconds": seconds,
                    "cpu_seconds": cpu,
                    "rows_per_second": args.rows / seconds,
                    "rows_per_cpu_second": args.rows / cpu,
                }
            )
        )
        return
    print(
        f"import: {seconds:6.2f} s = {args.rows / seconds:,.0f} rows/s "
        f"({cpu:.2f} s of CPU = {args.rows / cpu:,.0f} rows/s); {summary}"
    )


def _time_service(data: bytes, profile: int) -> tuple[float, float, str]:
    from kaynak.directory import resolution
    from kaynak.directory.importing.apply import import_apply, import_batch_create
    from kaynak.directory.models import Person

    # A running server has its resolver indexes built by earlier requests.
    resolution.organisation_candidates(resolution.OrganisationRecord(name="Kaynak"))
    resolution.person_candidates(resolution.PersonRecord(full_name="Ayşe Yılmaz"))
    profiler = cProfile.Profile() if profile else None
    started, cpu = time.perf_counter(), time.process_time()
    if profiler is not None:
        profiler.enable()
    batch = import_batch_create(data=data, filename="bench.csv", actor=None)
    batch = import_apply(batch=batch, actor=None)
    if profiler is not None:
        profiler.disable()
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    if batch.status != "applied":
        sys.exit(f"The import failed: {batch.report[:3]}")
    if profiler is not None:
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(profile)
        stats.sort_stats("tottime").print_stats(profile)
    summary = (
        f"{batch.rows_created} new organisations, {batch.rows_linked} rows linked, "
        f"{Person.objects.count()} people"
    )
    return elapsed, cpu, summary


def _time_command(data: bytes, folder: str) -> tuple[float, float]:
    """Wall-clock and CPU seconds of ``kaynak directory import FILE`` in a new process."""
    path = Path(folder) / "bench.csv"
    path.write_bytes(data)
    kaynak = Path(sys.executable).with_name("kaynak")
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    finished = subprocess.run(  # noqa: S603 - the venv's own command, a file we wrote
        [str(kaynak), "directory", "import", str(path)],
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if finished.returncode != 0:
        sys.exit(f"kaynak directory import failed: {finished.stderr}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return elapsed, cpu


if __name__ == "__main__":
    main()
