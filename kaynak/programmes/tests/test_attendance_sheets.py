"""Attendance sheets: a real XLSX and a Windows-1254 CSV read, each row matched to a
registration of the activity (code → e-mail → phone → name), walk-ins offered and added, every
row kept in the report, and nothing written unless all of it is."""

from __future__ import annotations

from pathlib import Path

import pytest

from kaynak.core.models import AuditEntry
from kaynak.directory.models import Affiliation, Person
from kaynak.directory.tests.factories import OrganisationFactory, PersonFactory
from kaynak.ledger.models import Delivery
from kaynak.programmes import services
from kaynak.programmes.attendance.columns import guess_mapping, read_attendance_sheet
from kaynak.programmes.attendance.sheet_import import (
    AttendanceSheetError,
    attendance_sheet_apply,
    attendance_sheet_create,
    describe,
    plan_of,
)
from kaynak.programmes.attendance.sheets import WALK_IN, Decision, RowKind, sheet_entries
from kaynak.programmes.models import (
    Attendance,
    AttendanceMethod,
    AttendanceSheetStatus,
    Registration,
    RegistrationStatus,
)
from kaynak.programmes.services import RegistrationError
from kaynak.programmes.tests.factories import RegistrationFactory, activity_with_sessions

pytestmark = pytest.mark.django_db
FILES = Path(__file__).parent / "files"
XLSX = "attendance_sheet.xlsx"
CSV_1254 = "attendance_windows1254.csv"


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def session():
    return activity_with_sessions(2).sessions.first()


def registrant(session, name: str, email: str, **kwargs):
    phones = kwargs.pop("phones", [])
    person = PersonFactory.create(full_name=name, emails=[email], phones=phones)
    return RegistrationFactory.create(activity=session.activity, person=person, **kwargs)


@pytest.fixture
def people(session) -> dict[str, Registration]:
    """The registrations the fixture sheet (attendance_sheet.xlsx) was written for."""
    return {
        "ayse": registrant(session, "Ayşe Yılmaz", "ayse@ornek.org.tr", code="AYSE2345"),
        "mehmet": registrant(
            session, "Mehmet Öztürk", "mehmet@dernek.org", phones=["+905321234567"]
        ),
        "cigdem": registrant(session, "Çiğdem Işık", "cigdem@vakif.org.tr"),
        "huseyin": registrant(
            session, "Hüseyin Şahin", "huseyin@ornek.org", status=RegistrationStatus.WAITLISTED
        ),
        "ali": registrant(session, "Ali Demir", "ali.demir@birinci.org"),
        "ali_too": registrant(session, "Ali Demir", "ali@ikinci.org"),
        "zeynep": registrant(session, "Zeynep Kaya", "zeynep@ornek.org"),
    }


def uploaded(session, name: str = XLSX):
    return attendance_sheet_create(
        session=session, data=(FILES / name).read_bytes(), filename=name, actor=None
    )


def csv_sheet(session, text: str, encoding: str = "utf-8"):
    return attendance_sheet_create(
        session=session, data=text.encode(encoding), filename="liste.csv", actor=None
    )


def kinds(plan) -> dict[int, str]:
    return {row.number: str(row.kind) for row in plan.rows}


def defaults(plan) -> dict[int, Decision]:
    return {row.number: row.default_decision for row in plan.rows if row.default_decision}


# --- Reading -------------------------------------------------------------------------------


def test_the_xlsx_is_read_under_its_title_with_first_and_last_names_joined():
    sheet = read_attendance_sheet((FILES / XLSX).read_bytes(), XLSX)

    entries = sheet_entries(sheet, guess_mapping(sheet.headers))

    assert sheet.header_line == 3
    assert [e.name for e in entries[:3]] == ["Ayşe Yılmaz", "Mehmet Öztürk", "ÇİĞDEM IŞIK"]
    # The organisation is merged over Ayşe's and Mehmet's rows: both have it.
    assert entries[1].organisation == "Örnek Dayanışma Derneği"
    assert entries[1].phone_key == "+905321234567"
    assert entries[3].email_key == "huseyin@ornek.org"
    assert entries[0].code == "AYSE2345"
    assert entries[6].problems["email"]
    assert entries[8].is_blank  # "Toplam: 8" in the number column only


def test_a_windows_1254_csv_keeps_its_turkish_letters():
    sheet = read_attendance_sheet((FILES / CSV_1254).read_bytes(), CSV_1254)

    entries = sheet_entries(sheet, guess_mapping(sheet.headers))

    assert sheet.encoding == "windows-1254"
    assert [e.name for e in entries] == ["Ayşe Yılmaz", "Gülşen Ağaoğlu", "İsmail Çağrı Işıklı"]
    assert entries[1].organisation == "Şişli Gönüllüleri"


def test_a_header_the_directory_does_not_know_is_found_under_a_title():
    text = "Katılım listesi\n\nAdı;Soyadı;Kurumu;İmza\nAyşe;Yılmaz;Örnek Derneği;\n"

    sheet = read_attendance_sheet(text.encode(), "liste.csv")

    assert sheet.headers[:3] == ("Adı", "Soyadı", "Kurumu")
    assert guess_mapping(sheet.headers) == {"first_name": 0, "last_name": 1, "organisation": 2}
    assert [row.cells[0] for row in sheet.rows] == ["Ayşe"]


def test_the_display_name_of_a_name_typed_in_capitals_is_capitalised_the_turkish_way(session):
    record = csv_sheet(session, "Ad Soyad\nIŞIL İNCE\nayşe yılmaz\n")

    entries = [row.entry for row in plan_of(record).rows]

    assert [e.display_name for e in entries] == ["Işıl İnce", "ayşe yılmaz"]


# --- Matching ------------------------------------------------------------------------------


def test_each_row_is_matched_by_code_then_email_then_phone_then_name(session, people):
    plan = plan_of(uploaded(session))

    rows = {row.number: row for row in plan.rows}
    assert rows[1].registration == people["ayse"]
    assert rows[1].matches[0].how == "code"
    assert rows[2].registration == people["mehmet"]
    assert rows[2].matches[0].how == "phone"
    assert rows[3].registration == people["cigdem"]
    assert rows[3].matches[0].how == "name"
    assert rows[4].registration == people["huseyin"]
    assert rows[4].matches[0].how == "email"
    assert kinds(plan) == {
        1: "matched",
        2: "matched",
        3: "matched",
        4: "no-seat",
        5: "ambiguous",
        6: "not-registered",
        7: "not-registered",
        8: "duplicate",
        9: "nothing",
    }


def test_the_preview_proposes_only_the_registrants_with_a_seat(session, people):
    plan = plan_of(uploaded(session))

    assert defaults(plan) == {
        1: people["ayse"].pk,
        2: people["mehmet"].pk,
        3: people["cigdem"].pk,
    }


def test_two_registrants_of_the_same_name_make_the_row_ambiguous(session, people):
    row = plan_of(uploaded(session)).row(5)

    assert row.kind == RowKind.AMBIGUOUS
    assert row.candidate_ids == {people["ali"].pk, people["ali_too"].pk}


def test_a_shared_address_is_told_apart_by_the_name(session):
    shared = "bilgi@dayanisma.org"
    registrant(session, "Ayşe Yılmaz", shared)
    cem = registrant(session, "Cem Yıldız", shared)

    row = plan_of(csv_sheet(session, f"Ad Soyad,E-posta\nCem Yildiz,{shared}\n")).row(1)

    assert row.registration == cem


def test_a_small_typo_in_a_name_still_matches_and_another_name_does_not(session):
    ayse = registrant(session, "Ayşe Yılmaz", "ayse@ornek.org")

    plan = plan_of(csv_sheet(session, "Ad Soyad\nAise Yılmaz\nAyşe Kılınç\n"))

    assert plan.row(1).registration == ayse
    assert 0.9 <= plan.row(1).matches[0].score < 1
    assert plan.row(2).kind == RowKind.NOT_REGISTERED


def test_names_are_matched_within_this_activity_only(session):
    RegistrationFactory.create(person=PersonFactory.create(full_name="Cem Yıldız"))

    row = plan_of(csv_sheet(session, "Ad Soyad\nCem Yıldız\n")).row(1)

    assert row.kind == RowKind.NOT_REGISTERED
    assert row.person is None


def test_someone_the_directory_knows_under_another_address_is_found_through_it(session):
    person = PersonFactory.create(
        full_name="Deniz Arslan", emails=["deniz@dernek.org"], phones=["+905337654321"]
    )
    registration = RegistrationFactory.create(
        activity=session.activity, person=person, email="deniz.kayit@dernek.org"
    )
    text = "Ad Soyad;Telefon;E-posta\nDeniz Arslan;0533 765 43 21;deniz.arslan@gmail.com\n"

    row = plan_of(csv_sheet(session, text)).row(1)

    assert row.registration == registration
    assert row.matches[0].how == "phone"


def test_a_walk_in_is_offered_with_the_organisation_the_directory_knows(session, people):
    organisation = OrganisationFactory.create(name="Kadın Dayanışma Derneği")

    row = plan_of(uploaded(session)).row(6)

    assert row.kind == RowKind.NOT_REGISTERED
    assert row.walk_in_problem == ""
    assert row.person is None
    assert row.organisation == organisation


def test_a_walk_in_with_a_bad_email_cannot_be_added_until_it_is_corrected(session, people):
    row = plan_of(uploaded(session)).row(7)

    assert row.kind == RowKind.NOT_REGISTERED
    assert row.walk_in_problem


# --- Applying ------------------------------------------------------------------------------


def test_applying_marks_the_registrants_present_and_keeps_every_other_row_in_the_report(
    session, people
):
    record = uploaded(session)

    record = attendance_sheet_apply(record=record, decisions=defaults(plan_of(record)), actor=None)

    assert record.status == AttendanceSheetStatus.APPLIED
    marked = Attendance.objects.filter(session=session)
    assert {a.registration for a in marked} == {people["ayse"], people["mehmet"], people["cigdem"]}
    assert {a.method for a in marked} == {AttendanceMethod.IMPORT}
    assert Delivery.objects.filter(withdrawn_at__isnull=True).count() == 3
    assert [entry["row"] for entry in record.report] == list(range(1, 10))
    outcomes = {entry["row"]: entry["outcome"] for entry in record.report}
    assert outcomes == {
        1: "marked",
        2: "marked",
        3: "marked",
        4: "left-out",
        5: "left-out",
        6: "left-out",
        7: "left-out",
        8: "duplicate",
        9: "nothing",
    }
    assert (record.rows_marked, record.rows_walk_in, record.rows_left_out) == (3, 0, 5)
    assert "walk-in" in describe(record.report[5])
    assert not Registration.objects.filter(walk_in=True).exists()


def test_a_walk_in_added_is_a_new_person_registered_by_staff_and_marked_present(session, people):
    organisation = OrganisationFactory.create(name="Kadın Dayanışma Derneği")
    record = uploaded(session)
    decisions = {**defaults(plan_of(record)), 6: WALK_IN}

    record = attendance_sheet_apply(record=record, decisions=decisions, actor=None)

    person = Person.objects.get(full_name="Deniz Arslan")
    assert person.emails == ["deniz.arslan@gmail.com"]
    assert person.phones == ["+905337654321"]
    assert Affiliation.objects.filter(person=person, organisation=organisation).exists()
    walk_in = Registration.objects.get(person=person)
    assert walk_in.walk_in
    assert walk_in.status == RegistrationStatus.CONFIRMED
    assert walk_in.organisation == organisation
    assert walk_in.email == "deniz.arslan@gmail.com"
    assert "attendance_sheet.xlsx" in walk_in.staff_note
    assert Attendance.objects.filter(registration=walk_in, session=session).exists()
    assert Delivery.objects.filter(person=person, withdrawn_at__isnull=True).exists()
    assert record.rows_walk_in == 1
    assert record.report[5]["outcome"] == "walk-in"


def test_a_walk_in_the_directory_knows_is_not_added_again(session, people):
    known = PersonFactory.create(
        full_name="Deniz Arslan", emails=["deniz.arslan@gmail.com"], phones=["+905337654321"]
    )
    record = uploaded(session)
    assert plan_of(record).row(6).person == known

    record = attendance_sheet_apply(record=record, decisions={6: WALK_IN}, actor=None)

    assert Person.objects.filter(full_name="Deniz Arslan").count() == 1
    assert Registration.objects.get(person=known).walk_in
    assert record.report[5]["outcome"] == "walk-in-known"


def test_someone_on_the_waiting_list_can_be_given_a_seat_from_the_sheet(session, people):
    record = uploaded(session)

    attendance_sheet_apply(record=record, decisions={4: people["huseyin"].pk}, actor=None)

    people["huseyin"].refresh_from_db()
    assert people["huseyin"].status == RegistrationStatus.CONFIRMED
    assert Attendance.objects.filter(registration=people["huseyin"]).exists()


def test_an_ambiguous_row_is_marked_for_the_registration_chosen(session, people):
    record = uploaded(session)

    attendance_sheet_apply(record=record, decisions={5: people["ali_too"].pk}, actor=None)

    assert [a.registration for a in Attendance.objects.all()] == [people["ali_too"]]


def test_someone_who_had_cancelled_is_registered_again_as_a_walk_in(session):
    registration = registrant(session, "Ayşe Yılmaz", "ayse@ornek.org")
    services.cancel_registration(registration=registration)
    record = csv_sheet(session, "Ad Soyad;E-posta\nAyşe Yılmaz;ayse@ornek.org\n")
    assert plan_of(record).row(1).kind == RowKind.CANCELLED

    record = attendance_sheet_apply(record=record, decisions={1: registration.pk}, actor=None)

    again = Registration.objects.get(person=registration.person, status="confirmed")
    assert again.walk_in
    assert Attendance.objects.filter(registration=again).exists()
    assert record.report[0]["outcome"] == "registered-again"


def test_a_windows_1254_csv_adds_walk_ins_with_their_turkish_letters(session):
    ayse = registrant(session, "Ayşe Yılmaz", "ayse@ornek.org.tr")
    record = uploaded(session, CSV_1254)

    attendance_sheet_apply(
        record=record, decisions={1: ayse.pk, 2: WALK_IN, 3: WALK_IN}, actor=None
    )

    gulsen = Person.objects.get(full_name="Gülşen Ağaoğlu")
    assert gulsen.phones == ["+902125551234"]
    ismail = Registration.objects.get(person__full_name="İsmail Çağrı Işıklı")
    assert ismail.walk_in
    assert ismail.email == ""
    assert Attendance.objects.filter(session=session).count() == 3


def test_a_decision_that_does_not_fit_its_row_writes_nothing(session, people):
    record = uploaded(session)
    people_before = Person.objects.count()
    decisions = {**defaults(plan_of(record)), 6: WALK_IN, 7: WALK_IN, 9: people["zeynep"].pk}

    with pytest.raises(AttendanceSheetError) as refused:
        attendance_sheet_apply(record=record, decisions=decisions, actor=None)

    assert set(refused.value.rows) == {7, 9}
    assert not Attendance.objects.exists()
    assert not Delivery.objects.exists()
    assert Person.objects.count() == people_before
    record.refresh_from_db()
    assert record.status == AttendanceSheetStatus.PREVIEWED


def test_a_row_that_fails_half_way_undoes_the_rows_before_it(session, people, monkeypatch):
    OrganisationFactory.create(name="Kadın Dayanışma Derneği")
    record = uploaded(session)
    decisions = {**defaults(plan_of(record)), 4: people["huseyin"].pk, 6: WALK_IN}
    mark_attendance = services.mark_attendance
    calls = []

    def fails_on_the_walk_in(**kwargs):
        calls.append(kwargs["registration"])
        if kwargs["registration"].walk_in:
            raise RegistrationError("Sunucu hatası", code="boom")
        return mark_attendance(**kwargs)

    monkeypatch.setattr(services, "mark_attendance", fails_on_the_walk_in)

    with pytest.raises(AttendanceSheetError) as refused:
        attendance_sheet_apply(record=record, decisions=decisions, actor=None)

    assert len(calls) == 5  # rows 1–4 were marked before row 6 failed
    assert refused.value.rows == {6: "Sunucu hatası"}
    assert not Attendance.objects.exists()
    assert not Delivery.objects.exists()
    assert not Person.objects.filter(full_name="Deniz Arslan").exists()
    assert not Registration.objects.filter(walk_in=True).exists()
    people["huseyin"].refresh_from_db()
    assert people["huseyin"].status == RegistrationStatus.WAITLISTED
    record.refresh_from_db()
    assert record.status == AttendanceSheetStatus.PREVIEWED


def test_a_sheet_is_applied_once(session, people):
    record = uploaded(session)
    attendance_sheet_apply(record=record, decisions=defaults(plan_of(record)), actor=None)

    with pytest.raises(AttendanceSheetError) as refused:
        attendance_sheet_apply(record=record, decisions={6: WALK_IN}, actor=None)

    assert refused.value.code == "applied"
    assert Attendance.objects.count() == 3


def test_uploading_and_applying_are_in_the_audit_log(session, people):
    record = uploaded(session)
    attendance_sheet_apply(record=record, decisions={}, actor=None)

    actions = set(AuditEntry.objects.values_list("action", flat=True))

    assert "kaynak.programmes.attendance_sheet.uploaded" in actions
    assert "kaynak.programmes.attendance_sheet.applied" in actions


def test_the_uploaded_file_is_kept_as_received(session):
    record = uploaded(session)

    with record.original_file.open("rb") as kept:
        assert kept.read() == (FILES / XLSX).read_bytes()
    assert record.original_name == XLSX
    assert XLSX not in record.original_file.name
