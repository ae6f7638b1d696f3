"""The calls' part of a person's data export and erasure: the applications stay for the call's
history, the erased person's name and address leave them, and their files are deleted."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest

from kaynak.accounts.tests.factories import UserFactory
from kaynak.calls import applying
from kaynak.calls.models import Application, ApplicationFile, ApplicationPerson, QuestionKind
from kaynak.calls.tests.factories import ApplicationFactory, CallFactory, QuestionFactory
from kaynak.directory import services as directory_services
from kaynak.directory.privacy import person_data_export, person_erase
from kaynak.directory.tests.factories import AffiliationFactory, OrganisationFactory
from kaynak.programmes.registering import OrganisationDecision

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _call_files(settings: Any, tmp_path: Path) -> None:
    settings.CALLS_FILES_DIR = tmp_path / "call-files"


def _application_with_a_file(tmp_path: Path) -> Application:
    user = UserFactory.create(full_name="Selin Aksoy", email="selin@ornek.org")
    organisation = OrganisationFactory.create()
    person = directory_services.person_for_user(user=user)
    AffiliationFactory.create(person=person, organisation=organisation)
    call = CallFactory.create()
    QuestionFactory.create(call=call, key="neden", kind=QuestionKind.LONG_TEXT, required=False)
    QuestionFactory.create(call=call, key="rapor", kind=QuestionKind.FILE)
    application = applying.start_application(
        call=call,
        user=user,
        organisation=OrganisationDecision(organisation=organisation),
        language="tr",
    )
    applying.save_draft(
        application=application,
        answers={"neden": "Selin Aksoy olarak başvuruyorum."},
        actor=user,
    )
    applying.upload_file(
        application=application,
        question_key="rapor",
        stream=io.BytesIO(b"%PDF-1.4\n%%EOF\n"),
        name="rapor.pdf",
        size=15,
        actor=user,
    )
    application.refresh_from_db()
    return application


def test_the_export_has_the_applications_made_and_those_naming_the_person(
    tmp_path: Path,
) -> None:
    application = _application_with_a_file(tmp_path)
    other = ApplicationFactory.create()
    ApplicationPerson.objects.create(
        application=other, full_name="Selin Aksoy", email="selin@ornek.org", role="Başkan"
    )
    export = person_data_export(person=application.person, actor=None)
    section = export["call_applications"]
    assert [a["code"] for a in section["applications"]] == [application.code]
    assert section["applications"][0]["files"] == ["rapor.pdf"]
    assert section["named_in"][0]["application"] == other.code


def test_erasure_keeps_the_applications_without_the_person_and_deletes_their_files(
    tmp_path: Path, django_capture_on_commit_callbacks: Any
) -> None:
    application = _application_with_a_file(tmp_path)
    stored = Path(ApplicationFile.objects.get().file.path)
    assert stored.exists()
    named = ApplicationPerson.objects.create(
        application=ApplicationFactory.create(),
        full_name="Selin Aksoy",
        email="selin@ornek.org",
    )
    with django_capture_on_commit_callbacks(execute=True):
        person_erase(person=application.person, actor=None)
    application.refresh_from_db()
    named.refresh_from_db()
    assert Application.objects.filter(pk=application.pk).exists()
    assert "Selin" not in str(application.answers)
    assert not ApplicationFile.objects.exists()
    assert not stored.exists()
    assert "Selin" not in named.full_name
    assert named.email == ""
