"""KVKK/GDPR and trainings: a person's registrations, attendance, certificates and feedback in
their data export; erasure leaves no name, e-mail address or phone of theirs in this app's rows
(or their audit entries), keeps attendance and the ledger (reach and attendance figures do not
change), keeps a certificate valid under the anonymous name, and stops their mail."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core import serializers
from django.db.models import Model
from pytest_django.asserts import assertContains, assertNotContains

from kaynak.accounts.models import Role, User
from kaynak.accounts.tests import conftest as accounts_fixtures
from kaynak.accounts.tests.factories import StaffFactory
from kaynak.accounts.tests.helpers import url
from kaynak.core.models import AuditEntry
from kaynak.core.text import search_key
from kaynak.directory.merging.services import merge_undo, person_merge
from kaynak.directory.models import Person
from kaynak.directory.privacy import person_data_export, person_erase
from kaynak.directory.tests.factories import OrganisationFactory, PersonFactory, province
from kaynak.ledger.models import Delivery
from kaynak.ledger.queries import Dimension, ReachFilter, reach_by, reach_totals
from kaynak.programmes import certificates, feedback, privacy
from kaynak.programmes.attendance.forms import default_decisions
from kaynak.programmes.attendance.sheet_import import (
    attendance_sheet_apply,
    attendance_sheet_create,
    plan_of,
)
from kaynak.programmes.links import registration_from_token, registration_token
from kaynak.programmes.mail import record_bounce, send_registration_message
from kaynak.programmes.models import (
    Activity,
    Attendance,
    AttendanceSheet,
    CalendarFeed,
    Certificate,
    FeedbackInvitation,
    FeedbackResponse,
    Registration,
    RegistrationStatus,
)
from kaynak.programmes.registering import calendar_feed_start
from kaynak.programmes.services import register
from kaynak.programmes.tests.factories import (
    ActivityFactory,
    RegistrationFactory,
    TrainerFactory,
    activity_with_sessions,
    attended,
    past_activity_with_sessions,
)

pytestmark = pytest.mark.django_db

smtp_server = accounts_fixtures.smtp_server  # a real SMTP server on 127.0.0.1, per test

NAME = "Zeynep Demir"
EMAILS = ["zeynep@ornek-stk.org.tr", "zeynep.demir@gmail.com"]
PHONE = "+905321112233"
REGISTERED_WITH = "z.demir@ornek-stk.org.tr"
# What must not be left anywhere, as search_key folds text (names, addresses, phone as typed).
TRACES = ["zeynep", "demir", "ornek stk", "5321112233", "532 111 22 33"]
RATINGS: dict[str, Any] = {
    "content": 5,
    "trainer": 4,
    "organisation": 3,
    "knowledge_before": 2,
    "knowledge_after": 5,
}


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def center_admin() -> User:
    # A fixed name: a random one ("… Demirel") could hold one of the traces searched for.
    return StaffFactory.create(
        roles=[Role.CENTER_ADMIN], full_name="Selin Aksoy", email="selin.aksoy@merkez.example"
    )


def csv_sheet(session, text: str) -> AttendanceSheet:
    return attendance_sheet_create(
        session=session, data=text.encode("utf-8"), filename="yoklama.csv", actor=None
    )


class Zeynep:
    """Zeynep and her trainings: a past one she completed (roll call on the first day, an
    attendance sheet on the second), with a certificate and a signed survey answer; an
    anonymous survey of another; a training next month (someone waits for a seat); a calendar
    address; and a row of another training's sheet that names her though she did not
    register."""

    def __init__(self) -> None:
        self.organisation = OrganisationFactory.create(
            name="İzmir Kadın Derneği", province=province(35)
        )
        self.person = PersonFactory.create(
            full_name=NAME, emails=EMAILS, phones=[PHONE], province=province(35)
        )
        self.past: Activity = past_activity_with_sessions(
            2,
            title="Gönüllü Yönetimi Eğitimi",
            questions=[{"key": "role", "text": "Göreviniz?", "kind": "text"}],
        )
        self.registration = RegistrationFactory.create(
            activity=self.past,
            person=self.person,
            organisation=self.organisation,
            email=EMAILS[0],
            answers={"role": "Zeynep Demir, genel sekreter"},
            staff_note="Zeynep Hanım'ın isteğiyle kaydedildi",
        )
        self.other = RegistrationFactory.create(
            activity=self.past, person=PersonFactory.create(full_name="Can Yücel")
        )
        _first, second = self.past.sessions.order_by("starts_at")
        attended(self.registration, 1)
        attended(self.other, 1)
        sheet = csv_sheet(
            second,
            "Ad Soyad,E-posta,Telefon\n"
            f"{NAME},{EMAILS[0]},0532 111 22 33\n"
            f"Can Yücel,{self.other.email},\n",
        )
        self.sheet = attendance_sheet_apply(
            record=sheet, decisions=default_decisions(plan_of(sheet)), actor=None
        )
        self.certificate = certificates.issue_certificate(registration=self.registration)
        self.response = feedback.submit_feedback(
            registration=self.registration,
            comment="Zeynep olarak çok memnun kaldım; zeynep.demir@gmail.com adresime yazın.",
            **RATINGS,
        )
        # An anonymous survey: her answer is nobody's.
        self.anonymous = past_activity_with_sessions(1, feedback_anonymous=True)
        # Registered with an address the directory does not know, which bounced.
        anonymous_registration = RegistrationFactory.create(
            activity=self.anonymous, person=self.person, email=REGISTERED_WITH
        )
        record_bounce(
            registration=anonymous_registration,
            message="confirmed",
            code=550,
            reply=f"5.1.1 <{REGISTERED_WITH}>: mailbox unavailable".encode(),
        )
        attended(anonymous_registration)
        feedback.submit_feedback(
            registration=anonymous_registration, comment="İsimsiz yorum", **RATINGS
        )
        # Next month, full: someone waits for her seat.
        self.upcoming = activity_with_sessions(2, start_in=30, capacity=1)
        self.upcoming_registration = register(
            activity=self.upcoming, person=self.person, email=EMAILS[1], language="en"
        )
        self.waiting = register(
            activity=self.upcoming,
            person=PersonFactory.create(full_name="Nazım Hikmet"),
            email="nazim@ornek.org",
        )
        calendar_feed_start(person=self.person, actor=None)
        # Another training's sheet names her (she did not register): the row is left out.
        elsewhere = past_activity_with_sessions(1).sessions.get()
        left_out = csv_sheet(
            elsewhere, f"Ad Soyad,E-posta,Telefon\nZEYNEP DEMİR,{EMAILS[1]},0532 111 22 33\n"
        )
        self.left_out_sheet = attendance_sheet_apply(record=left_out, decisions={}, actor=None)


@pytest.fixture
def zeynep() -> Zeynep:
    return Zeynep()


def traces_in(rows: list[Model]) -> list[str]:
    """Which of ``TRACES`` the rows hold, in any field (JSON and text included)."""
    text = search_key(serializers.serialize("json", rows, ensure_ascii=False))
    return [trace for trace in TRACES if trace in text]


def programmes_rows() -> list[Model]:
    return [
        *Registration.objects.all(),
        *Attendance.objects.all(),
        *Certificate.objects.all(),
        *FeedbackResponse.objects.all(),
        *FeedbackInvitation.objects.all(),
        *CalendarFeed.objects.all(),
        *AttendanceSheet.objects.all(),
        *Delivery.objects.all(),
    ]


# The export -------------------------------------------------------------------------------------


def test_the_export_lists_her_trainings_with_attendance_certificates_and_feedback(
    zeynep, center_admin
):
    data = person_data_export(person=zeynep.person, actor=center_admin)

    json.dumps(data)  # serialisable as it is
    trainings = data["trainings"]
    by_title = {r["activity"]: r for r in trainings["registrations"]}
    assert set(by_title) == {
        "Gönüllü Yönetimi Eğitimi",
        zeynep.anonymous.title,
        zeynep.upcoming.title,
    }
    past = by_title["Gönüllü Yönetimi Eğitimi"]
    assert past["status"] == "confirmed"
    assert past["organisation"] == "İzmir Kadın Derneği"
    assert past["email"] == EMAILS[0]
    assert past["answers"] == {"role": "Zeynep Demir, genel sekreter"}
    assert past["staff_note"] == "Zeynep Hanım'ın isteğiyle kaydedildi"
    assert past["programme"] == zeynep.past.programme.name
    assert [(s["attended"], s["attendance_method"]) for s in past["sessions"]] == [
        (True, "roll-call"),
        (True, "import"),
    ]
    assert past["sessions"][0]["starts_at"].endswith("+03:00")  # Istanbul time
    [certificate] = past["certificates"]
    assert certificate["code"] == zeynep.certificate.code
    assert certificate["holder_name"] == NAME
    assert certificate["valid"] is True
    assert certificate["hours"] == "12.00"
    [answer] = past["feedback"]
    assert answer["comment"].startswith("Zeynep olarak")
    assert {name: answer[name] for name in RATINGS} == RATINGS
    upcoming = by_title[zeynep.upcoming.title]
    assert (upcoming["status"], upcoming["email"], upcoming["language"]) == (
        "confirmed",
        EMAILS[1],
        "en",
    )
    assert [s["attended"] for s in upcoming["sessions"]] == [False, False]
    assert trainings["calendar_feed"]["created_at"]
    assert "key" not in trainings["calendar_feed"]  # the address is a secret, not data


def test_the_export_leaves_out_answers_to_an_anonymous_survey(zeynep, center_admin):
    data = person_data_export(person=zeynep.person, actor=center_admin)

    by_title = {r["activity"]: r for r in data["trainings"]["registrations"]}
    assert by_title[zeynep.anonymous.title]["feedback"] == []
    assert "İsimsiz yorum" not in json.dumps(data, ensure_ascii=False)


def test_the_export_names_her_trainer_profile(zeynep, center_admin):
    TrainerFactory.create(person=zeynep.person, name=NAME, email=EMAILS[0], bio="Eğitmen")

    data = person_data_export(person=zeynep.person, actor=center_admin)

    assert data["trainings"]["trainer_profiles"] == [
        {"name": NAME, "title": "Bağımsız eğitmen", "bio": "Eğitmen", "email": EMAILS[0]}
    ]


def test_someone_who_never_registered_has_an_empty_trainings_section(center_admin):
    data = person_data_export(person=PersonFactory.create(), actor=center_admin)

    assert data["trainings"] == {
        "registrations": [],
        "calendar_feed": None,
        "trainer_profiles": [],
    }


# Erasure ----------------------------------------------------------------------------------------


def test_the_fixture_leaves_her_traces_everywhere_erasure_looks(zeynep):
    """The check below can fail: before erasure her name and addresses are there (her phone
    only in the kept files, which no row quotes)."""
    assert traces_in(programmes_rows()) == ["zeynep", "demir", "ornek stk"]
    assert traces_in(list(AuditEntry.objects.all())) == ["zeynep", "demir", "ornek stk"]


def test_after_erasure_no_row_of_trainings_holds_her_name_address_or_phone(zeynep, center_admin):
    person_erase(person=zeynep.person, actor=center_admin)

    assert traces_in(programmes_rows()) == []
    assert traces_in(list(AuditEntry.objects.all())) == []


def test_erasure_blanks_her_registrations_and_gives_them_new_codes(zeynep, center_admin):
    code = zeynep.registration.code
    token = registration_token(zeynep.registration)

    person_erase(person=zeynep.person, actor=center_admin)

    registration = Registration.objects.get(pk=zeynep.registration.pk)
    assert (registration.email, registration.answers, registration.staff_note) == ("", {}, "")
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.organisation == zeynep.organisation  # the organisation was served
    assert registration.code != code
    # Links and QR codes in the mails already sent no longer open her registration.
    assert registration_from_token(token) is None


def test_reach_and_attendance_are_the_same_after_erasure(zeynep, center_admin):
    everything = ReachFilter()
    totals = reach_totals(everything)
    by_province = reach_by(everything, Dimension.PROVINCE)
    by_service = reach_by(everything, Dimension.KIND)
    hours = sorted(Delivery.objects.values_list("person_id", "quantity"))
    marks = Attendance.objects.count()
    sheet_counts = (zeynep.sheet.rows_total, zeynep.sheet.rows_marked)
    assert totals.people == 2

    person_erase(person=zeynep.person, actor=center_admin)

    assert reach_totals(everything) == totals
    assert reach_by(everything, Dimension.PROVINCE) == by_province
    assert reach_by(everything, Dimension.KIND) == by_service
    assert sorted(Delivery.objects.values_list("person_id", "quantity")) == hours
    assert Attendance.objects.count() == marks
    sheet = AttendanceSheet.objects.get(pk=zeynep.sheet.pk)
    assert (sheet.rows_total, sheet.rows_marked) == sheet_counts


def test_her_rows_in_attendance_sheets_keep_their_outcome_under_the_anonymous_name(
    zeynep, center_admin
):
    person_erase(person=zeynep.person, actor=center_admin)

    anonymous = f"Anonim kişi {zeynep.person.pk}"
    sheet = AttendanceSheet.objects.get(pk=zeynep.sheet.pk)
    hers, his = sheet.report
    assert (hers["name"], hers["email"], hers["outcome"]) == (anonymous, "", "marked")
    assert (his["name"], his["outcome"]) == ("Can Yücel", "marked")  # someone else's row stays
    # A row that names her in a sheet of a training she did not register for.
    [row] = AttendanceSheet.objects.get(pk=zeynep.left_out_sheet.pk).report
    assert (row["name"], row["email"], row["outcome"]) == (anonymous, "", "left-out")


def test_her_certificate_stays_valid_and_the_public_check_shows_the_anonymous_name(
    client, zeynep, center_admin
):
    person_erase(person=zeynep.person, actor=center_admin)

    certificate = Certificate.objects.get(pk=zeynep.certificate.pk)
    assert certificate.is_valid
    assert certificate.holder_name == f"Anonim kişi {zeynep.person.pk}"
    page = client.get(url("programmes:certificate", certificate.code, language="en"))
    assertContains(page, "VALID")
    assertContains(page, f"Anonim kişi {zeynep.person.pk}")
    assertContains(page, "Gönüllü Yönetimi Eğitimi")
    assertNotContains(page, "Zeynep")


def test_her_feedback_loses_its_comment_and_keeps_its_ratings(zeynep, center_admin):
    activities = Activity.objects.filter(pk__in=[zeynep.past.pk, zeynep.anonymous.pk])
    before = feedback.feedback_summary(activities=activities)

    person_erase(person=zeynep.person, actor=center_admin)

    response = FeedbackResponse.objects.get(pk=zeynep.response.pk)
    assert response.comment == ""
    assert response.registration_id == zeynep.registration.pk
    after = feedback.feedback_summary(activities=activities)
    assert (after.responses, after.ratings, after.improved) == (
        before.responses,
        before.ratings,
        before.improved,
    )
    # The anonymous answer is nobody's: it keeps its comment.
    assert [comment.text for comment in after.comments] == ["İsimsiz yorum"]


def test_her_calendar_address_is_removed(zeynep, center_admin):
    person_erase(person=zeynep.person, actor=center_admin)

    assert not CalendarFeed.objects.filter(person=zeynep.person).exists()


def test_her_seat_in_a_training_not_started_goes_to_the_next_waiting(zeynep, center_admin):
    person_erase(person=zeynep.person, actor=center_admin)

    zeynep.upcoming_registration.refresh_from_db()
    zeynep.waiting.refresh_from_db()
    assert zeynep.upcoming_registration.status == RegistrationStatus.CANCELLED
    assert zeynep.waiting.status == RegistrationStatus.OFFERED
    # The training she attended keeps her registration.
    zeynep.registration.refresh_from_db()
    assert zeynep.registration.status == RegistrationStatus.CONFIRMED


def test_no_mail_goes_to_her_after_erasure_not_even_one_queued_before(
    smtp_server, zeynep, center_admin
):
    assert send_registration_message(zeynep.registration.pk, "confirmed")
    assert len(smtp_server.received) == 1

    person_erase(person=zeynep.person, actor=center_admin)

    for registration in (zeynep.registration, zeynep.upcoming_registration):
        for message in ("confirmed", "changed", "cancelled", "feedback"):
            assert not send_registration_message(registration.pk, message)
    assert len(smtp_server.received) == 1


def test_the_erasure_entry_says_what_was_erased_in_trainings_without_personal_data(
    zeynep, center_admin
):
    trainer = TrainerFactory.create(person=zeynep.person, name=NAME, email=EMAILS[0])

    person_erase(person=zeynep.person, actor=center_admin)

    entry = AuditEntry.objects.get(action="kaynak.directory.person.erased")
    assert entry.data["trainings"] == {
        "registrations": 3,
        "registrations_cancelled": 1,
        "certificates_renamed": 1,
        "feedback_comments_removed": 1,
        "calendar_feed_removed": True,
        "attendance_sheets_with_kept_file": sorted([zeynep.sheet.pk, zeynep.left_out_sheet.pk]),
        "trainer_profiles_kept": [trainer.pk],
    }


def test_the_audit_history_of_her_registration_names_her_no_more(zeynep, center_admin):
    person_erase(person=zeynep.person, actor=center_admin)

    anonymous = f"Anonim kişi {zeynep.person.pk}"
    entries = AuditEntry.objects.filter(
        content_type__model="registration", object_id=str(zeynep.registration.pk)
    )
    assert entries.exists()
    assert {entry.object_repr for entry in entries} == {f"{anonymous} · Gönüllü Yönetimi Eğitimi"}
    issued = AuditEntry.objects.get(action="kaynak.programmes.certificate.issued")
    assert issued.data["holder_name"] == "[silindi]"


def test_staff_reasons_about_her_go_from_the_audit_log_as_from_the_registration(center_admin):
    person = PersonFactory.create(full_name=NAME, emails=[EMAILS[0]])
    registration = register(
        activity=activity_with_sessions(1),
        person=person,
        email=EMAILS[0],
        by=center_admin,
        override=True,
        reason="Genel müdürün yeğeni, yer ayrıldı",
    )
    created = AuditEntry.objects.get(action="kaynak.programmes.registration.created")
    assert created.data["reason"] == "Genel müdürün yeğeni, yer ayrıldı"

    person_erase(person=person, actor=center_admin)

    registration.refresh_from_db()
    assert registration.staff_note == ""
    created.refresh_from_db()
    assert created.data == {"status": "confirmed", "override": True, "reason": ""}
    cancelled = AuditEntry.objects.get(action="kaynak.programmes.registration.cancelled")
    assert cancelled.actor == center_admin


def test_erasure_through_the_staff_page_reaches_her_trainings(client, zeynep, center_admin):
    client.force_login(center_admin)

    client.post(url("directory:person_erase", zeynep.person.pk), {"confirm": "on"})

    assert Person.objects.get(pk=zeynep.person.pk).erased_at is not None
    assert Registration.objects.get(pk=zeynep.registration.pk).email == ""


def test_erasure_is_all_or_nothing_when_the_trainings_step_fails(zeynep, center_admin, monkeypatch):
    def broken(*args: object) -> list[int]:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(privacy, "_erase_from_attendance_sheets", broken)

    with pytest.raises(RuntimeError):
        person_erase(person=zeynep.person, actor=center_admin)

    person = Person.objects.get(pk=zeynep.person.pk)
    assert (person.full_name, person.erased_at) == (NAME, None)
    registration = Registration.objects.get(pk=zeynep.registration.pk)
    assert registration.email == EMAILS[0]
    assert Certificate.objects.get(pk=zeynep.certificate.pk).holder_name == NAME
    assert CalendarFeed.objects.filter(person=person).exists()
    zeynep.upcoming_registration.refresh_from_db()
    assert zeynep.upcoming_registration.status == RegistrationStatus.CONFIRMED


def test_a_registration_a_merge_set_aside_comes_back_anonymous_when_undone(center_admin):
    """Two records of Zeynep, each registered for the same training: merging them sets the
    second registration aside in the merge's snapshot. Erasing her, then undoing the merge,
    brings it back without her address, answers or note."""
    activity = ActivityFactory.create(capacity=None)
    kept = PersonFactory.create(full_name=NAME, emails=[EMAILS[0]])
    merged = PersonFactory.create(full_name="Zeynep DEMİR", emails=[EMAILS[1]])
    RegistrationFactory.create(activity=activity, person=kept, email=EMAILS[0])
    aside = RegistrationFactory.create(
        activity=activity,
        person=merged,
        email=EMAILS[1],
        answers={"role": "Zeynep, başkan"},
        staff_note="Zeynep aradı",
    )
    calendar_feed_start(person=kept, actor=None)
    calendar_feed_start(person=merged, actor=None)
    old_key = CalendarFeed.objects.get(person=merged).key
    record = person_merge(survivor=kept, merged=merged, values={}, actor=center_admin)
    assert not Registration.objects.filter(pk=aside.pk).exists()  # set aside

    person_erase(person=kept, actor=center_admin)
    merge_undo(record=record, actor=center_admin)

    restored = Registration.objects.get(pk=aside.pk)
    assert (restored.email, restored.answers, restored.staff_note) == ("", {}, "")
    assert restored.code != aside.code
    assert CalendarFeed.objects.get(person_id=merged.pk).key != old_key
    assert traces_in(programmes_rows()) == []
