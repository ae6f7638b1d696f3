"""The import service: all or nothing, a row-by-row report, the file kept, known organisations
and people linked rather than duplicated."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import translation

from kaynak.core.audit import history_for
from kaynak.core.models import AuditEntry
from kaynak.directory.importing.apply import (
    ImportNotPossible,
    describe_entry,
    import_apply,
    import_batch_create,
    import_batch_set_mapping,
)
from kaynak.directory.models import (
    Affiliation,
    ImportBatch,
    ImportStatus,
    Organisation,
    Person,
)
from kaynak.directory.tests.factories import OrganisationFactory, PersonFactory, province

pytestmark = pytest.mark.django_db
FILES = Path(__file__).parent / "files"


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def upload(name: str, actor=None) -> ImportBatch:
    return import_batch_create(data=(FILES / name).read_bytes(), filename=name, actor=actor)


def imported(name: str, actor=None) -> ImportBatch:
    return import_apply(batch=upload(name, actor), actor=actor)


def statuses(batch: ImportBatch) -> list[tuple[int, str]]:
    return [(entry["row"], entry["status"]) for entry in batch.report]


@pytest.fixture
def anadolu_genclik() -> Organisation:
    return OrganisationFactory.create(
        name="Anadolu Gençlik Platformu", province=province(6), phones=["+903124182020"]
    )


def test_a_file_with_any_bad_row_writes_nothing_and_names_the_rows_to_fix():
    batch = imported("organisations_bad.csv")

    assert batch.status == ImportStatus.FAILED
    assert statuses(batch) == [
        (1, "ready"),
        (2, "error"),
        (3, "error"),
        (4, "error"),
        (5, "error"),
        (6, "error"),
        (7, "ready"),
        (8, "error"),
    ]
    assert (batch.rows_total, batch.rows_failed, batch.rows_created) == (8, 6, 0)
    assert not Organisation.objects.exists()
    assert not Person.objects.exists()
    assert not Affiliation.objects.exists()
    assert not AuditEntry.objects.filter(
        action__startswith="kaynak.directory.organisation"
    ).exists()


def test_a_failed_import_keeps_the_original_file_and_the_reasons_per_row():
    batch = imported("organisations_bad.csv")

    batch.refresh_from_db()
    with batch.original_file.open("rb") as kept:
        assert kept.read() == (FILES / "organisations_bad.csv").read_bytes()
    assert batch.original_name == "organisations_bad.csv"
    assert "organisations_bad" not in str(batch.original_file.name)  # stored under a random name
    with translation.override("en"):
        reasons = {entry["row"]: describe_entry(entry) for entry in batch.report}
    assert reasons[2].startswith("“Atlantis” is not a province of Turkey")
    assert reasons[3] == "“Istanbull” is not a province of Turkey. Did you mean “İstanbul”?"
    assert reasons[4].startswith("“Gölbaşı” is a district in more than one province")
    assert reasons[5] == "“ayse@” is not an e-mail address."
    assert reasons[6] == "“12345” is not a phone number."
    assert reasons[8] == "The organisation's name is empty."
    assert reasons[1] == "No problem; nothing was imported because other rows have errors."
    assert [e.action for e in history_for(batch)] == [
        "kaynak.directory.import.failed",
        "kaynak.directory.import.uploaded",
    ]


def test_an_import_creates_one_organisation_per_cluster_and_links_known_ones(anadolu_genclik):
    batch = imported("organisations_utf8.csv")

    assert batch.status == ImportStatus.APPLIED
    assert statuses(batch) == [
        (1, "created"),
        (2, "linked"),
        (3, "created"),
        (4, "linked"),
        (5, "created"),
        (6, "linked"),
    ]
    report = {entry["row"]: entry for entry in batch.report}
    assert report[4]["organisation_id"] == anadolu_genclik.pk
    assert report[2]["same_as_row"] == 1
    assert (
        report[1]["organisation_id"] == report[2]["organisation_id"] == report[6]["organisation_id"]
    )
    assert report[3]["organisation_id"] != report[5]["organisation_id"]
    assert (batch.rows_total, batch.rows_created, batch.rows_linked, batch.rows_failed) == (
        6,
        3,
        3,
        0,
    )
    assert Organisation.objects.count() == 4


def test_a_new_organisation_takes_the_fullest_name_and_the_contacts_of_its_rows():
    batch = imported("organisations_utf8.csv")

    ege = Organisation.objects.get(pk=batch.report[0]["organisation_id"])
    assert ege.name == "Ege Çevre ve Doğa Koruma Derneği"
    assert ege.province_id == 35
    assert ege.search_text == "ege cevre ve doga koruma dernegi"
    # Addresses at the organisation's own domain are the organisation's too; the phone of a
    # contact person is theirs only.
    assert ege.emails == ["info@egecevre.org.tr", "ayse.yildiz@egecevre.org.tr"]
    assert ege.phones == []
    van = Organisation.objects.get(pk=batch.report[2]["organisation_id"])
    assert (van.name, van.province_id, van.emails) == ("Kadın Dayanışma Derneği", 65, [])


def test_contact_people_are_created_once_and_affiliated(anadolu_genclik):
    batch = imported("organisations_utf8.csv")

    people = {p.full_name: p for p in Person.objects.all()}
    assert sorted(people) == ["Ayşe Yıldız", "Gülşen Öztürk", "Mehmet Kaya", "Zeynep Arslan"]
    ayse = people["Ayşe Yıldız"]
    # Rows 1 and 2: the same name at the same organisation is one person, with both addresses.
    assert ayse.emails == ["info@egecevre.org.tr", "ayse.yildiz@egecevre.org.tr"]
    assert ayse.phones == ["+902324441234"]
    assert ayse.search_text == "ayse yildiz"
    ege = batch.report[0]["organisation_id"]
    assert set(
        Affiliation.objects.filter(organisation_id=ege).values_list("person__full_name", flat=True)
    ) == {
        "Ayşe Yıldız",
        "Mehmet Kaya",
    }
    assert Affiliation.objects.count() == 4
    assert not Affiliation.objects.filter(organisation=anadolu_genclik).exists()


def test_every_created_record_has_its_audit_entry_naming_the_import(admin_user):
    batch = imported("organisations_utf8.csv", actor=admin_user)

    ege = Organisation.objects.get(pk=batch.report[0]["organisation_id"])
    [created] = history_for(ege).filter(action="kaynak.directory.organisation.created")
    assert created.actor == admin_user
    assert created.data == {"import": batch.pk}
    affiliations = history_for(ege).filter(action="kaynak.directory.affiliation.created")
    assert affiliations.count() == 2
    ayse = Person.objects.get(full_name="Ayşe Yıldız")
    assert [e.action for e in history_for(ayse)] == ["kaynak.directory.person.created"]
    [applied] = history_for(batch).filter(action="kaynak.directory.import.applied")
    assert applied.data == {
        "rows": 6,
        "organisations_created": 4,
        "rows_linked": 2,
        "people_created": 4,
    }


def test_importing_the_same_file_again_links_everything_and_duplicates_nothing():
    imported("organisations_utf8.csv")
    counts = (Organisation.objects.count(), Person.objects.count(), Affiliation.objects.count())

    again = imported("organisations_utf8.csv")

    assert again.status == ImportStatus.APPLIED
    assert {status for _row, status in statuses(again)} == {"linked"}
    assert {entry["person_status"] for entry in again.report} == {"linked", None}
    assert (
        Organisation.objects.count(),
        Person.objects.count(),
        Affiliation.objects.count(),
    ) == counts


def test_a_known_person_is_linked_by_their_e_mail_and_affiliated_to_the_new_organisation():
    known = PersonFactory.create(full_name="Gülşen ÖZTÜRK", emails=["kadindayanisma.van@gmail.com"])

    batch = imported("organisations_utf8.csv")

    row = batch.report[2]
    assert (row["person_status"], row["person_id"]) == ("linked", known.pk)
    assert Affiliation.objects.filter(person=known, organisation_id=row["organisation_id"]).exists()
    assert Person.objects.filter(full_name__icontains="Gülşen").count() == 1


def test_a_workbook_with_merged_cells_imports_each_row_with_the_merged_value():
    batch = imported("organisations_merged.xlsx")

    assert batch.status == ImportStatus.APPLIED
    assert batch.encoding == "xlsx"
    names = dict(Organisation.objects.values_list("name", "province_id"))
    assert names == {
        "Ege Çevre ve Doğa Koruma Derneği": 35,
        "Bornova Kent Konseyi Gençlik Meclisi": 35,
        "Karşıyaka Hayvan Hakları Derneği": 35,
        "Anadolu Kültür Vakfı": 6,
    }
    vakif = Organisation.objects.get(name="Anadolu Kültür Vakfı")
    assert sorted(vakif.affiliations.values_list("person__full_name", flat=True)) == [
        "Burak Tan",
        "Deniz Aksoy",
    ]
    assert Person.objects.get(full_name="Elif Koç").phones == ["+905321234567"]


@pytest.mark.parametrize(
    "name",
    ["organisations_windows1254.csv", "organisations_mojibake.csv", "organisations_excel_tr.csv"],
)
def test_turkish_letters_arrive_intact_from_every_encoding(name):
    batch = imported(name)

    assert batch.status == ImportStatus.APPLIED
    created = set(Organisation.objects.values_list("name", flat=True))
    assert created <= {
        "Şişli Gençlik ve Spor Kulübü Derneği",
        "Doğu Karadeniz Arıcılar Birliği",
        "Güneydoğu Kadın Kooperatifi",
        "Çocuk, Gençlik ve Aile Derneği",
        "Işık Engelliler Vakfı",
        "Öğretmenler Dayanışma Derneği",
    }
    assert len(created) == 3
    assert Person.objects.filter(full_name__in=["İlker Çağlar", "Çağrı Işık"]).count() == 1


def test_an_import_is_applied_once():
    batch = imported("organisations_utf8.csv")

    with pytest.raises(ImportNotPossible):
        import_apply(batch=batch, actor=None)
    assert Organisation.objects.count() == 4


def test_without_an_organisation_column_nothing_can_be_imported():
    batch = upload("organisations_utf8.csv")
    import_batch_set_mapping(batch=batch, mapping={"city": 1}, actor=None)

    with pytest.raises(ImportNotPossible):
        import_apply(batch=batch, actor=None)
    assert not Organisation.objects.exists()


def test_a_changed_mapping_is_used_and_recorded():
    batch = upload("organisations_utf8.csv")
    import_batch_set_mapping(batch=batch, mapping={"organisation": 0, "city": 1}, actor=None)

    import_apply(batch=batch, actor=None)

    assert not Person.objects.exists()  # the contact column was not imported
    assert Organisation.objects.filter(emails=[]).count() == Organisation.objects.count()
    assert history_for(batch).filter(action="kaynak.directory.import.mapped").exists()
