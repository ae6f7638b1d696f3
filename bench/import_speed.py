"""Import speed: rows per second of `kaynak directory import` on a generated spreadsheet.

    .venv/bin/python bench/import_speed.py [--rows 5000] [--known 0] [--seed 7] [--database-url URL]

Builds a fresh SQLite database in a temporary folder, or migrates the empty database at
``--database-url`` (a PostgreSQL one made for the purpose: it is filled). ``--known N`` first
creates N organisations, a fifth of the file's organisations among them, so rows link to known
ones. Then it writes a CSV of ``--rows`` rows as people send them (Turkish letters, a sixth of
the rows a variant of an earlier organisation, contact people with e-mails and phones) and times
the import through the services the command and the staff page use: reading and checking,
resolving, and writing. Prints each step's seconds, and rows per second of the whole import in
wall-clock time and in CPU time (the latter is steadier on a busy machine).
Target: at least 1,000 rows/s for 5,000 rows.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
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


def generate(rng: random.Random, rows: int, known: list[str]) -> str:
    fresh = organisation_names(rng, rows)
    used: list[tuple[str, str]] = []
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Kuruluş adı", "İl", "E-posta", "Telefon", "İletişim kişisi"])
    for index in range(rows):
        if used and rng.random() < 1 / 6:
            name, province = rng.choice(used)
            name = variant(rng, name)
        elif known and rng.random() < 0.2:
            name, province = rng.choice(known), "Ankara"
        else:
            name, province = fresh[index], rng.choice(PROVINCES)
            used.append((name, province))
        person = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        domain = f"stk{index}.org.tr" if rng.random() < 0.6 else "gmail.com"
        email = f"{person.translate(_ASCII).lower().replace(' ', '.')}{index}@{domain}"
        digits = f"{rng.randint(100, 999)} {rng.randint(10, 99)} {rng.randint(10, 99)}"
        phone = f"0{rng.choice(MOBILE_PREFIXES)} {digits}"
        writer.writerow([name, province, email, phone, person])
    return out.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--known", type=int, default=0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--database-url", default="", help="an empty database to fill")
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="kaynak-bench-")
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
    from kaynak.directory.importing.apply import (
        batch_mapping,
        batch_sheet,
        import_apply,
        import_batch_create,
    )
    from kaynak.directory.importing.planning import resolve_rows
    from kaynak.directory.importing.validation import clean_rows
    from kaynak.directory.models import Organisation, Person
    from kaynak.directory.normalize import organisation_search_text

    call_command("migrate", verbosity=0)
    rng = random.Random(args.seed)
    known = organisation_names(random.Random(args.seed + 1), args.known)
    ankara = Province.objects.get(plate_code=6)
    Organisation.objects.bulk_create(
        Organisation(name=n, province=ankara, search_text=organisation_search_text(n))
        for n in known
    )
    data = generate(rng, args.rows, known[: max(1, len(known) // 5)] if known else []).encode()
    database = connection.vendor
    print(
        f"{args.rows} rows, {len(data) / 1024:.0f} KiB; {args.known} known organisations; "
        f"{database}"
    )

    started = time.perf_counter()
    batch = import_batch_create(data=data, filename="bench.csv", actor=None)
    uploaded = time.perf_counter()
    sheet = batch_sheet(batch)
    read = time.perf_counter()
    rows = clean_rows(sheet, batch_mapping(batch, sheet))
    checked = time.perf_counter()
    resolve_rows(rows)
    resolved = time.perf_counter()
    print("the steps of a preview:")
    print(f"  upload (read, keep the file): {uploaded - started:6.2f} s")
    print(f"  read again:                   {read - uploaded:6.2f} s")
    print(f"  check the rows:               {checked - read:6.2f} s")
    print(f"  resolve (cluster_organisations): {resolved - checked:6.2f} s")

    started, cpu = time.perf_counter(), time.process_time()
    batch = import_apply(batch=batch, actor=None)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    assert batch.status == "applied", batch.report[:3]
    print(
        f"import (read, check, resolve, write): {elapsed:6.2f} s = "
        f"{args.rows / elapsed:,.0f} rows/s ({cpu:.2f} s of CPU = {args.rows / cpu:,.0f} rows/s); "
        f"{batch.rows_created} new organisations, {batch.rows_linked} rows linked, "
        f"{Person.objects.count()} people"
    )
    # The import reads, checks and resolves again (as timed above); the rest is writing.
    print(f"  of which writing: about {elapsed - (resolved - uploaded):.2f} s")


if __name__ == "__main__":
    main()
