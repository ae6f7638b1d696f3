"""The applicant's services: starting for an organisation (the guard, eligibility, one per
organisation), drafts, the deadline to the second, submission all-or-nothing, withdrawal."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from kaynak.accounts.models import User
from kaynak.accounts.tests.factories import UserFactory
from kaynak.calls import applying
from kaynak.calls.errors import CallError
from kaynak.calls.models import (
    Application,
    ApplicationFile,
    ApplicationStatus,
    Call,
    QuestionKind,
)
from kaynak.calls.tests.factories import ApplicationFactory, CallFactory, QuestionFactory
from kaynak.core.models import ApplicantType, AuditEntry, Province
from kaynak.directory import services as directory_services
from kaynak.directory.models import Affiliation, ConsentRecord, Organisation, Person
from kaynak.directory.tests.factories import AffiliationFactory, OrganisationFactory
from kaynak.programmes import queries as programme_queries
from kaynak.programmes.registering import OrganisationDecision

pytestmark = pytest.mark.django_db

OPTIONS = [
    {"key": "evet", "tr": "Evet", "en": "Yes"},
    {"key": "hayir", "tr": "Hayır", "en": "No"},
]


@pytest.fixture(autouse=True)
def _call_files(settings: Any, tmp_path: Path) -> None:
    settings.CALLS_FILES_DIR = tmp_path / "call-files"


@pytest.fixture
def call() -> Call:
    call = CallFactory.create(people_label="Temsilciler", people_min=1, people_max=2)
    QuestionFactory.create(call=call, key="beklenti", kind=QuestionKind.LONG_TEXT, max_words=50)
    QuestionFactory.create(call=call, key="daha-once", kind=QuestionKind.CHOICE, options=OPTIONS)
    return call


@pytest.fixture
def user() -> User:
    return UserFactory.create(full_name="Deniz Arslan")


@pytest.fixture
def organisation(user: User) -> Organisation:
    organisation = OrganisationFactory.create(name="Kadın Dayanışma Derneği")
    person = directory_services.person_for_user(user=user)
    AffiliationFactory.create(person=person, organisation=organisation, is_admin=True)
    return organisation


def _start(call: Call, user: User, organisation: Organisation, **kw: Any) -> Application:
    return applying.start_application(
        call=call,
        user=user,
        organisation=OrganisationDecision(organisation=organisation),
        language="tr",
        **kw,
    )


def _complete(application: Application, user: User, people: int = 1) -> Application:
    applying.save_draft(
        application=application,
        answers={"beklenti": "Gönüllü yönetimini öğrenmek.", "daha-once": "hayir"},
        people=[
            applying.PersonRow(f"Temsilci {i}", f"temsilci{i}@ornek.org", "Koordinatör")
            for i in range(people)
        ],
        actor=user,
    )
    application.refresh_from_db()
    return application


def test_an_application_starts_as_a_draft_of_the_accounts_person(
    call: Call, user: User, organisation: Organisation
) -> None:
    application = _start(call, user, organisation)
    assert application.status == ApplicationStatus.DRAFT
    assert application.person == Person.objects.get(user=user)
    assert application.organisation == organisation
    assert AuditEntry.objects.filter(action="kaynak.calls.application.started").exists()


def test_starting_again_returns_the_same_draft(
    call: Call, user: User, organisation: Organisation
) -> None:
    assert _start(call, user, organisation) == _start(call, user, organisation)
    assert Application.objects.count() == 1


def test_a_second_application_of_the_organisation_is_refused_with_a_link_to_the_first(
    call: Call, user: User, organisation: Organisation
) -> None:
    first = ApplicationFactory.create(call=call, organisation=organisation)
    with pytest.raises(applying.DuplicateApplication) as refused:
        _start(call, user, organisation)
    assert refused.value.existing == first
    assert first.code in str(refused.value.message)
    assert Application.objects.count() == 1


def test_a_name_variant_of_an_organisation_that_applied_is_caught_by_the_guard(
    call: Call,
) -> None:
    applied = OrganisationFactory.create(
        name="Kadın Dayanışma Vakfı", province=Province.objects.get(pk=35)
    )
    ApplicationFactory.create(call=call, organisation=applied)
    colleague = UserFactory.create()
    # Typed without the Turkish letters: the guard still offers the organisation that applied.
    candidates = programme_queries.organisation_candidates_for(
        "Kadin Dayanisma Vakfi", Province.objects.get(pk=35)
    )
    assert applied in candidates
    with pytest.raises(applying.DuplicateApplication):
        applying.start_application(
            call=call,
            user=colleague,
            organisation=OrganisationDecision(organisation=candidates[0]),
            language="tr",
        )
    # Refused: the colleague did not become affiliated with it either.
    assert not Affiliation.objects.filter(person__user=colleague).exists()


def test_a_withdrawn_application_frees_the_organisations_place(
    call: Call, user: User, organisation: Organisation
) -> None:
    ApplicationFactory.create(
        call=call, organisation=organisation, status=ApplicationStatus.WITHDRAWN
    )
    assert _start(call, user, organisation).status == ApplicationStatus.DRAFT


def test_a_call_for_foundations_refuses_an_association_with_the_reason(
    call: Call, user: User, organisation: Organisation
) -> None:
    call.applicant_types.set([ApplicantType.objects.get(slug="foundation")])
    with pytest.raises(CallError, match="recorded as") as refused:
        _start(call, user, organisation)
    assert refused.value.code == "not_eligible"


def test_a_call_for_some_provinces_refuses_an_organisation_elsewhere(
    call: Call, user: User, organisation: Organisation
) -> None:
    call.provinces.set([Province.objects.get(pk=65)])
    with pytest.raises(CallError, match="is in Ankara"):
        _start(call, user, organisation)
    call.provinces.add(Province.objects.get(pk=6))
    assert _start(call, user, organisation)


def test_a_new_organisation_is_recorded_with_the_applicant_as_its_admin(
    call: Call, user: User
) -> None:
    application = applying.start_application(
        call=call,
        user=user,
        organisation=OrganisationDecision(
            new_name="Yeşil  Vadi Derneği", new_province=Province.objects.get(pk=65)
        ),
        language="en",
    )
    assert application.organisation is not None
    assert application.organisation.name == "Yeşil Vadi Derneği"
    assert Affiliation.objects.get(organisation=application.organisation).is_admin
    assert application.language == "en"


def test_a_closed_call_takes_no_new_application(
    call: Call, user: User, organisation: Organisation
) -> None:
    with pytest.raises(CallError, match="deadline was"):
        _start(call, user, organisation, now=call.closes_at)


def test_the_draft_keeps_valid_answers_drops_wrong_ones_and_reports_both(
    call: Call, user: User, organisation: Organisation
) -> None:
    application = _start(call, user, organisation)
    long_text = " ".join(["söz"] * 60)
    result = applying.save_draft(
        application=application,
        answers={"beklenti": long_text, "daha-once": "belki"},
        actor=user,
    )
    assert result.application.answers == {"beklenti": long_text}
    assert result.errors == {
        "beklenti": "60 words; at most 50",
        "daha-once": "Choose one of the options.",
    }


def test_people_rows_are_kept_as_typed_in_the_draft(
    call: Call, user: User, organisation: Organisation
) -> None:
    application = _start(call, user, organisation)
    result = applying.save_draft(
        application=application,
        answers={},
        people=[
            applying.PersonRow("Ali Veli", "ali@"),
            applying.PersonRow(),
            applying.PersonRow("Elif Kaya", "ELIF@ornek.org", "Başkan"),
        ],
        actor=user,
    )
    assert [(p.full_name, p.email) for p in application.people.all()] == [
        ("Ali Veli", "ali@"),
        ("Elif Kaya", "elif@ornek.org"),
    ]
    assert list(result.people_errors) == [0]


def test_submission_one_second_after_the_deadline_is_refused_with_the_deadline(
    call: Call, user: User, organisation: Organisation
) -> None:
    call.closes_at = dt.datetime(2027, 3, 15, 14, 0, tzinfo=dt.UTC)  # 17:00 in Istanbul
    call.opens_at = call.closes_at - dt.timedelta(days=30)
    call.save()
    application = _start(call, user, organisation, now=call.closes_at - dt.timedelta(days=1))
    applying.save_draft(
        application=application,
        answers={"beklenti": "Öğrenmek.", "daha-once": "evet"},
        people=[applying.PersonRow("Ali Veli", "ali@ornek.org")],
        actor=user,
        now=call.closes_at - dt.timedelta(days=1),
    )
    with pytest.raises(CallError) as refused:
        applying.submit(
            application=application,
            actor=user,
            consent=True,
            now=call.closes_at + dt.timedelta(seconds=1),
        )
    assert str(refused.value.message) == (
        "The deadline was 15 March 2027, 17:00 (Istanbul time); your application was not submitted."
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT
    # One second before is in time.
    submitted = applying.submit(
        application=application,
        actor=user,
        consent=True,
        now=call.closes_at - dt.timedelta(seconds=1),
    )
    assert submitted.status == ApplicationStatus.SUBMITTED


def test_submitting_resolves_the_people_affiliates_them_and_mails_the_receipt(
    call: Call,
    user: User,
    organisation: Organisation,
    django_capture_on_commit_callbacks: Any,
) -> None:
    known = directory_services.person_create(
        actor=None, full_name="Temsilci 0", emails=["temsilci0@ornek.org"]
    )
    application = _complete(_start(call, user, organisation), user, people=2)
    with django_capture_on_commit_callbacks(execute=True):
        applying.submit(application=application, actor=user, consent=True)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.submitted_at is not None
    rows = list(application.people.order_by("position"))
    assert rows[0].person == known  # the same e-mail: the same person, never a duplicate
    assert [p for p in Person.objects.all() if "temsilci0@ornek.org" in p.emails] == [known]
    assert rows[1].person is not None
    assert set(
        Affiliation.objects.filter(organisation=organisation).values_list("person", flat=True)
    ) >= {known.pk, rows[1].person.pk}
    assert ConsentRecord.objects.filter(
        person=application.person, source=applying.CONSENT_SOURCE
    ).exists()
    assert len(mail.outbox) == 1
    assert application.code in mail.outbox[0].subject
    assert mail.outbox[0].to == [user.email]
    assert mail.outbox[0].attachments[0][0] == f"basvuru-{application.code}.pdf"


def test_a_submission_that_fails_writes_nothing(
    call: Call, user: User, organisation: Organisation
) -> None:
    application = _start(call, user, organisation)
    applying.save_draft(
        application=application,
        answers={"beklenti": "Öğrenmek."},  # "daha-once" is missing
        people=[applying.PersonRow("Ali Veli", "ali@ornek.org")],
        actor=user,
    )
    people_before = Person.objects.count()
    with pytest.raises(applying.SubmissionInvalid) as refused:
        applying.submit(application=application, actor=user, consent=True)
    assert refused.value.errors == {"daha-once": "Please answer this question."}
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT
    assert application.people.get().person is None
    assert Person.objects.count() == people_before
    assert not ConsentRecord.objects.filter(source=applying.CONSENT_SOURCE).exists()


def test_too_many_or_too_few_people_block_the_submission(
    call: Call, user: User, organisation: Organisation
) -> None:
    application = _complete(_start(call, user, organisation), user, people=0)
    with pytest.raises(applying.SubmissionInvalid) as refused:
        applying.submit(application=application, actor=user, consent=True)
    assert refused.value.people_errors == ["Name at least 1 (Temsilciler); you named 0."]
    application = _complete(application, user, people=3)
    with pytest.raises(applying.SubmissionInvalid) as refused:
        applying.submit(application=application, actor=user, consent=True)
    assert refused.value.people_errors == ["Name at most 2 (Temsilciler); you named 3."]


def test_without_consent_nothing_is_submitted(
    call: Call, user: User, organisation: Organisation
) -> None:
    application = _complete(_start(call, user, organisation), user)
    with pytest.raises(applying.SubmissionInvalid, match="agree"):
        applying.submit(application=application, actor=user, consent=False)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT


def test_a_submitted_application_cannot_be_changed(
    call: Call, user: User, organisation: Organisation
) -> None:
    application = _complete(_start(call, user, organisation), user)
    applying.submit(application=application, actor=user, consent=True)
    with pytest.raises(CallError, match="can no longer be changed"):
        applying.save_draft(application=application, answers={}, actor=user)


def test_files_are_uploaded_to_drafts_replaced_and_removed(
    call: Call, user: User, organisation: Organisation
) -> None:
    QuestionFactory.create(call=call, key="rapor", kind=QuestionKind.FILE, max_file_mb=1)
    application = _start(call, user, organisation)
    first = applying.upload_file(
        application=application,
        question_key="rapor",
        stream=io.BytesIO(b"%PDF-1.4\n1 0 obj\n"),
        name="faaliyet raporu.pdf",
        size=17,
        actor=user,
    )
    assert first.content_type == "application/pdf"
    assert first.original_name == "faaliyet raporu.pdf"
    applying.upload_file(
        application=application,
        question_key="rapor",
        stream=io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"\x00" * 10),
        name="rapor.png",
        size=18,
        actor=user,
    )
    assert list(ApplicationFile.objects.values_list("original_name", flat=True)) == ["rapor.png"]
    assert applying.remove_file(application=application, question_key="rapor", actor=user)
    assert not ApplicationFile.objects.exists()


def test_a_program_renamed_as_a_pdf_is_refused_and_nothing_is_stored(
    call: Call, user: User, organisation: Organisation, tmp_path: Path
) -> None:
    QuestionFactory.create(call=call, key="rapor", kind=QuestionKind.FILE, max_file_mb=1)
    application = _start(call, user, organisation)
    with pytest.raises(CallError, match="Accepted: PDF") as refused:
        applying.upload_file(
            application=application,
            question_key="rapor",
            stream=io.BytesIO(b"MZ\x90\x00" + b"\x00" * 60),
            name="x.pdf",
            size=64,
            actor=user,
        )
    assert refused.value.code == "file_refused"
    assert not ApplicationFile.objects.exists()
    assert not [p for p in (tmp_path / "call-files").rglob("*") if p.is_file()]


def test_withdrawing_a_submitted_application_mails_the_applicant(
    call: Call,
    user: User,
    organisation: Organisation,
    django_capture_on_commit_callbacks: Any,
) -> None:
    application = _complete(_start(call, user, organisation), user)
    applying.submit(application=application, actor=user, consent=True)
    with django_capture_on_commit_callbacks(execute=True):
        withdrawn = applying.withdraw(application=application, actor=user)
    assert withdrawn.status == ApplicationStatus.WITHDRAWN
    assert withdrawn.withdrawn_at is not None
    # In the applicant's language (Turkish here).
    assert "Başvuru geri çekildi" in mail.outbox[-1].subject


def test_a_decided_application_cannot_be_withdrawn(call: Call) -> None:
    application = ApplicationFactory.create(call=call, status=ApplicationStatus.ACCEPTED)
    with pytest.raises(CallError, match="can be withdrawn"):
        applying.withdraw(application=application, actor=None)


def test_a_draft_is_discarded_with_its_files(
    call: Call, user: User, organisation: Organisation
) -> None:
    application = _start(call, user, organisation)
    applying.discard_draft(application=application, actor=user)
    assert not Application.objects.exists()
    assert timezone.now()
