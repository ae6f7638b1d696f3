"""The import writes in bulk: a few queries however many rows, the rows it writes as the
services would write them, and the shortcuts it takes give the answers of the long way."""

from __future__ import annotations

import csv
import io
import random

import pytest

from kaynak.core.audit import history_for
from kaynak.core.models import AuditEntry
from kaynak.directory.importing.apply import import_apply, import_batch_create
from kaynak.directory.importing.writing import insert_rows, log_actions
from kaynak.directory.models import Affiliation, ImportStatus, Organisation, Person
from kaynak.directory.resolution import SAME_THRESHOLD, PersonRecord, person_candidates
from kaynak.directory.resolution.people import same_person_of_each
from kaynak.directory.tests.factories import (
    AffiliationFactory,
    OrganisationFactory,
    PersonFactory,
    province,
)

pytestmark = pytest.mark.django_db

PLACES = ["Ege", "Toros", "Munzur", "Fırat", "Trakya", "Kapadokya", "Çukurova", "Uludağ"]
SUBJECTS = ["Kadın", "Çocuk", "Gençlik", "Çevre", "Kültür", "Arıcılar", "Göçmen", "Afet"]
PURPOSES = ["Dayanışma", "Destek", "Koruma", "Araştırma", "Kalkınma"]
FIRST = ["Ayşe", "Zeynep", "Gülşen", "Mehmet", "Çağrı", "İlker", "Ömer", "Şule"]
LAST = ["Yılmaz", "Kaya", "Şahin", "Öztürk", "Doğan", "Işık", "Ağaoğlu"]


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def spreadsheet(rows: int, seed: int = 1) -> bytes:
    """``rows`` rows: new organisations, variants of earlier ones, the known one; contacts."""
    rng = random.Random(seed)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["Kuruluş adı", "İl", "E-posta", "Telefon", "İletişim kişisi"])
    for index in range(rows):
        if index % 10 == 0:
            name, city = "Anadolu Gençlik Platformu", "Ankara"
        elif index % 10 == 5:
            name, city = f"{PLACES[index % 8]} {SUBJECTS[index % 7]} Der. {index - 1}", "İzmir"
        else:
            words = [rng.choice(PLACES), rng.choice(SUBJECTS), rng.choice(PURPOSES)]
            name, city = f"{' '.join(words)} Derneği {index}", rng.choice(["İzmir", "Van", "34"])
        person = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        writer.writerow(
            [name, city, f"kisi{index}@stk{index}.org.tr", f"0532 {index:03d} 12 34", person]
        )
    return out.getvalue().encode()


@pytest.mark.parametrize("rows", [10, 200])
def test_importing_takes_the_same_few_queries_for_ten_rows_as_for_two_hundred(
    rows, django_assert_max_num_queries
):
    known = OrganisationFactory.create(name="Anadolu Gençlik Platformu", province=province(6))
    AffiliationFactory.create(person__full_name="Ayşe Yılmaz", organisation=known)
    batch = import_batch_create(data=spreadsheet(rows), filename="stk.csv", actor=None)

    # Reading the batch, the resolver's freshness checks, known organisations and people, the
    # inserts, the audit entries, the batch saved: about twenty; one query a row would be 200.
    with django_assert_max_num_queries(30):
        batch = import_apply(batch=batch, actor=None)

    assert batch.status == ImportStatus.APPLIED
    assert len(batch.report) == rows
    assert sum(1 for entry in batch.report if entry["organisation_id"] == known.pk) == rows // 10
    assert Affiliation.objects.filter(organisation=known).count() > 1


def test_rows_inserted_in_bulk_are_the_rows_a_saved_model_would_be():
    saved = Organisation.objects.create(
        name="Ege Çevre Derneği", province=province(35), emails=["a@ege.org.tr"]
    )

    [pk] = insert_rows(
        Organisation,
        fields=("name", "province_id", "emails"),
        rows=[("Ege Çevre Derneği", 35, ["a@ege.org.tr"])],
    )

    inserted = Organisation.objects.get(pk=pk)
    different = {
        field.attname
        for field in Organisation._meta.concrete_fields
        if getattr(inserted, field.attname) != getattr(saved, field.attname)
    }
    assert different == {"id", "created_at", "updated_at"}
    assert inserted.created_at >= saved.created_at


def test_bulk_inserts_give_the_new_ids_in_the_order_of_the_rows():
    names = [f"Kadın Dayanışma Derneği {n}" for n in range(2500)]

    ids = insert_rows(Person, fields=("full_name",), rows=[(name,) for name in names])

    assert dict(Person.objects.values_list("pk", "full_name")) == dict(zip(ids, names, strict=True))


def test_audit_entries_written_in_bulk_read_as_those_written_one_at_a_time(admin_user):
    organisation = OrganisationFactory.create()

    log_actions(
        "kaynak.directory.organisation.created",
        actor=admin_user,
        model=Organisation,
        entries=[(organisation.pk, organisation.name, {"import": 7})],
    )

    [entry] = history_for(organisation)
    assert (entry.action, entry.actor, entry.object_repr, entry.data) == (
        "kaynak.directory.organisation.created",
        admin_user,
        organisation.name,
        {"import": 7},
    )
    assert AuditEntry.objects.count() == 1


def test_finding_known_contacts_in_bulk_agrees_with_asking_one_by_one():
    rng = random.Random(4)
    phones = [f"+90532{n:07d}" for n in range(40)]
    people = [
        PersonFactory.create(
            full_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            emails=[f"kisi{rng.randrange(60)}@ornek.org.tr"] if rng.random() < 0.7 else [],
            phones=[rng.choice(phones)] if rng.random() < 0.5 else [],
        )
        for _ in range(150)
    ]
    records = []
    for _ in range(300):
        # Someone known, written otherwise, with one of their contacts or another one; or
        # someone else, who may share a namesake's phone.
        known = rng.choice(people)
        name = rng.choice([known.full_name.upper(), f"{rng.choice(FIRST)} {rng.choice(LAST)}"])
        email = rng.choice([*known.emails, f"kisi{rng.randrange(70)}@ornek.org.tr", ""])
        phone = rng.choice([*known.phones, rng.choice(phones), ""])
        records.append(PersonRecord(full_name=name, email=email, phone=phone))

    one_by_one = []
    for record in records:
        best = person_candidates(record, limit=1)
        one_by_one.append(best[0].id if best and best[0].score >= SAME_THRESHOLD else None)

    assert same_person_of_each(records) == one_by_one
    assert sum(1 for pk in one_by_one if pk is not None) > 20  # the test tests something
