"""How long matching takes: every open partnership request with its five best academics (the
staff's matching page), for pools from the demo's size to a national programme's.

    .venv/bin/python bench/academia_matching.py [--runs 3]
    # PostgreSQL: the same with KAYNAK_DATABASE_URL=postgres://… (an empty database)

Builds a fresh SQLite database in a temporary folder (or uses the PostgreSQL one given), makes
academics (1–3 expertise themes, 1–3 provinces, a few lines of expertise in Turkish or English)
and open requests (1–2 themes, a province, needs in the organisation's words) from a fixed
seed, then times ``matching.proposals_for_all_open()`` — reading the pool, scoring every pair,
the reasons — and prints the best of ``--runs`` for each size.
"""

from __future__ import annotations

import argparse
import atexit
import os
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

SIZES = [(27, 4), (300, 50), (1_000, 100)]

# Phrases an academic's expertise or an organisation's needs are made of, in both languages
# and in several inflections: what matching must see through.
TOPICS = [
    ("engelli bireylerin istihdamı", "employment of disabled people", "engellilik çalışmaları"),
    ("yaşlı bakımı ve yalnızlık", "ageing and loneliness", "yaşlılara evde bakım"),
    ("kadın kooperatifleri", "women's cooperatives", "kadınların ekonomik güçlenmesi"),
    ("gençlerin kent konseylerine katılımı", "youth participation", "gençlik politikaları"),
    ("LGBTİ+ bireylerin sağlık hizmetlerine erişimi", "LGBTI health", "ayrımcılık araştırması"),
    ("kırsal kalkınma ve üretici birlikleri", "rural development", "köylerde tarım"),
    ("yerel basında ifade özgürlüğü", "freedom of expression", "gazetecilerin güvenliği"),
    ("mülteci çocukların eğitime erişimi", "refugee children's education", "göç ve okul"),
    ("iklim değişikliğine uyum", "climate adaptation", "çevre ve yurttaş bilimi"),
    ("afet sonrası psikososyal destek", "disaster recovery", "deprem bölgesinde ruh sağlığı"),
]
METHODS = [
    "nitel araştırma",
    "saha çalışması",
    "qualitative interviews",
    "anket",
    "policy analysis",
]
INSTITUTIONS = [
    "Ankara Üniversitesi",
    "Boğaziçi Üniversitesi",
    "Dicle Üniversitesi",
    "Ege Üniversitesi",
]


def build(academics: int, requests: int, rng: random.Random) -> None:
    from kaynak.coaching.models import AcademicProfile, PartnershipRequest
    from kaynak.core.models import Province, Theme
    from kaynak.directory.models import Organisation, Person

    themes = list(Theme.objects.order_by("pk"))
    provinces = list(Province.objects.order_by("plate_code"))
    for n in range(academics):
        topic = rng.choice(TOPICS)
        person = Person.objects.create(full_name=f"Akademisyen {n}", emails=[f"a{n}@uni.example"])
        profile = AcademicProfile.objects.create(
            person=person,
            title=rng.choice(["Dr.", "Doç. Dr.", "Prof. Dr."]),
            institution=rng.choice(INSTITUTIONS),
            department="Sosyoloji Bölümü",
            expertise="; ".join(
                [rng.choice(topic), rng.choice(METHODS), rng.choice(rng.choice(TOPICS))]
            ),
            languages=["tr", "en"] if rng.random() < 0.6 else ["tr"],
        )
        profile.themes.set(rng.sample(themes, k=rng.randint(1, 3)))
        profile.provinces.set(rng.sample(provinces, k=rng.randint(1, 3)))
    for n in range(requests):
        organisation = Organisation.objects.create(
            name=f"Örnek Derneği {n}", legal_form_id="association", province=rng.choice(provinces)
        )
        request = PartnershipRequest.objects.create(
            organisation=organisation,
            province=organisation.province,
            needs=f"{rng.choice(rng.choice(TOPICS))} üzerine birlikte çalışmak istiyoruz.",
        )
        request.themes.set(rng.sample(themes, k=rng.randint(1, 2)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if "KAYNAK_DATABASE_URL" not in os.environ:
        folder = tempfile.mkdtemp(prefix="kaynak-bench-")
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        os.environ["KAYNAK_VAR_DIR"] = folder
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kaynak.settings")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from kaynak.coaching import matching
    from kaynak.coaching.models import AcademicProfile, PartnershipRequest

    call_command("migrate", verbosity=0)
    rng = random.Random(2018)
    print(f"{connection.vendor}: academics × open requests → best of {args.runs}")
    for academics, requests in SIZES:
        PartnershipRequest.objects.all().delete()
        AcademicProfile.objects.all().delete()
        build(academics, requests, rng)
        times = []
        for _ in range(args.runs):
            matching.terms.cache_clear()
            started = time.perf_counter()
            found = matching.proposals_for_all_open()
            times.append(time.perf_counter() - started)
        proposed = sum(len(r.proposals) for r in found)
        print(
            f"{academics:>6} × {requests:<4} {min(times) * 1000:8.0f} ms"
            f"  ({proposed} proposals, {min(times) * 1000 / requests:.1f} ms a request)"
        )


if __name__ == "__main__":
    main()
