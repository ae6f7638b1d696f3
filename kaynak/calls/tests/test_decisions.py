"""Decisions: one or many (all or nothing), the signal the apps above listen to, the e-mail
templates (defaults, editing, unknown variables) and telling the applicants in their language."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone

from kaynak.accounts.models import Role, User
from kaynak.accounts.tests.factories import StaffFactory
from kaynak.calls import decisions
from kaynak.calls.errors import CallError
from kaynak.calls.models import Application, ApplicationStatus, DecisionTemplate
from kaynak.calls.signals import application_decided
from kaynak.calls.tests.factories import ApplicationFactory, CallFactory
from kaynak.core.errors import KaynakError
from kaynak.directory.tests.factories import OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db

ACCEPTED, WAITLISTED, REJECTED = (
    ApplicationStatus.ACCEPTED,
    ApplicationStatus.WAITLISTED,
    ApplicationStatus.REJECTED,
)


@pytest.fixture
def coordinator() -> User:
    return StaffFactory.create(roles=[Role.PROGRAMME_COORDINATOR])


@pytest.fixture
def signals() -> Iterator[list[tuple[str, str]]]:
    """Every application_decided sent: (code, previous status)."""
    sent: list[tuple[str, str]] = []

    def receiver(sender: Any, *, application: Application, previous: str, **kwargs: Any) -> None:
        sent.append((application.code, previous))

    application_decided.connect(receiver, weak=False, dispatch_uid="test-decisions")
    yield sent
    application_decided.disconnect(dispatch_uid="test-decisions")


# Deciding ------------------------------------------------------------------------------------


def test_deciding_many_decides_each_and_signals_once_per_change(
    coordinator: User, signals: list[tuple[str, str]]
) -> None:
    call = CallFactory.create()
    first, second = ApplicationFactory.create_batch(2, call=call)
    decided = decisions.decide_many(
        applications=[first, second], decision=ACCEPTED, reason="Güçlü başvuru", actor=coordinator
    )
    assert {a.status for a in decided} == {ACCEPTED}
    assert sorted(signals) == sorted([(first.code, "submitted"), (second.code, "submitted")])
    # The same decision again (same reason) changes nothing and sends nothing.
    decisions.decide_many(
        applications=[first, second], decision=ACCEPTED, reason="Güçlü başvuru", actor=coordinator
    )
    assert len(signals) == 2
    # A new reason only: saved, no signal (the decision did not change).
    decisions.decide(application=first, decision=ACCEPTED, reason="Çok güçlü", actor=coordinator)
    assert len(signals) == 2
    first.refresh_from_db()
    assert first.decision_reason == "Çok güçlü"
    # A different decision: one more signal, with the previous status.
    decisions.decide(application=first, decision=WAITLISTED, actor=coordinator)
    assert signals[-1] == (first.code, ACCEPTED)


def test_deciding_many_is_all_or_nothing(coordinator: User) -> None:
    call = CallFactory.create()
    good = ApplicationFactory.create(call=call)
    withdrawn = ApplicationFactory.create(call=call, status=ApplicationStatus.WITHDRAWN)
    with pytest.raises(CallError) as refused:
        decisions.decide_many(
            applications=[good, withdrawn], decision=REJECTED, reason="", actor=coordinator
        )
    assert withdrawn.code in str(refused.value)
    good.refresh_from_db()
    assert good.status == ApplicationStatus.SUBMITTED
    assert good.decided_at is None


def test_a_receiver_refusing_one_decision_undoes_them_all(coordinator: User) -> None:
    call = CallFactory.create()
    first, second = ApplicationFactory.create_batch(2, call=call)

    def refuse_second(sender: Any, *, application: Application, **kwargs: Any) -> None:
        if application.pk == second.pk:
            raise KaynakError("Kohort dolu.")

    application_decided.connect(refuse_second, weak=False, dispatch_uid="test-refuse")
    try:
        with pytest.raises(CallError) as refused:
            decisions.decide_many(
                applications=[first, second], decision=ACCEPTED, actor=coordinator
            )
    finally:
        application_decided.disconnect(dispatch_uid="test-refuse")
    assert "Kohort dolu." in str(refused.value)
    assert set(Application.objects.values_list("status", flat=True)) == {"submitted"}


def test_deciding_nothing_is_refused(coordinator: User) -> None:
    with pytest.raises(CallError):
        decisions.decide_many(applications=[], decision=ACCEPTED, actor=coordinator)


def test_the_applicant_sees_submitted_until_they_are_told(coordinator: User) -> None:
    application = ApplicationFactory.create()
    decided = decisions.decide(application=application, decision=REJECTED, actor=coordinator)
    assert decisions.public_status(decided) == ApplicationStatus.SUBMITTED
    decided.notified_at = timezone.now()
    assert decisions.public_status(decided) == REJECTED


# Templates -----------------------------------------------------------------------------------


def test_a_call_without_templates_uses_the_defaults_in_each_language() -> None:
    call = CallFactory.create()
    turkish = decisions.decision_template(call, ACCEPTED, "tr")
    english = decisions.decision_template(call, ACCEPTED, "en")
    assert turkish._state.adding  # not saved: the default
    assert "kabul edildi" in turkish.subject
    assert english._state.adding
    assert "accepted" in english.subject
    for (decision, language), (subject, body) in decisions.DEFAULT_TEMPLATES.items():
        assert decisions.template_problem(subject) is None, (decision, language)
        assert decisions.template_problem(body) is None, (decision, language)


def test_an_unknown_variable_is_refused_when_saving(coordinator: User) -> None:
    call = CallFactory.create()
    with pytest.raises(CallError) as refused:
        decisions.template_save(
            call=call,
            decision=ACCEPTED,
            language="tr",
            subject="{call}",
            body="Sayın {basvuran}, {code} kabul edildi.",
            actor=coordinator,
        )
    assert "{basvuran}" in str(refused.value)
    assert "{applicant}" in str(refused.value)
    assert refused.value.code == "body"
    with pytest.raises(CallError) as unclosed:
        decisions.template_save(
            call=call,
            decision=ACCEPTED,
            language="tr",
            subject="{call",
            body="x",
            actor=coordinator,
        )
    assert unclosed.value.code == "subject"
    assert not DecisionTemplate.objects.exists()


def test_a_saved_template_replaces_the_default(coordinator: User) -> None:
    call = CallFactory.create()
    decisions.template_save(
        call=call,
        decision=REJECTED,
        language="en",
        subject="About {code}",
        body="Dear {applicant}, sorry.",
        actor=coordinator,
    )
    assert decisions.decision_template(call, REJECTED, "en").subject == "About {code}"
    assert decisions.decision_template(call, REJECTED, "tr").pk is None


# Telling the applicants ----------------------------------------------------------------------


def test_notify_mails_each_decided_applicant_once_in_their_language(
    coordinator: User, django_capture_on_commit_callbacks: Any
) -> None:
    call = CallFactory.create(title="Sivil Toplum Okulu", title_en="Civil-Society School")
    turkish = ApplicationFactory.create(
        call=call,
        language="tr",
        organisation=OrganisationFactory.create(name="Çınar Gençlik Derneği"),
        person=PersonFactory.create(full_name="Şule Öztürk", emails=["sule@cinar.org.tr"]),
    )
    english = ApplicationFactory.create(
        call=call,
        language="en",
        organisation=OrganisationFactory.create(name="Kıyı Vakfı"),
        person=PersonFactory.create(full_name="Deniz Ay", emails=["deniz@kiyi.org"]),
    )
    undecided = ApplicationFactory.create(call=call)
    decisions.template_save(
        call=call,
        decision=ACCEPTED,
        language="en",
        subject="{call}: welcome, {organisation}",
        body="Dear {applicant},\n{code} is in. {reason}\nSee {url}",
        actor=coordinator,
    )
    decisions.decide(
        application=turkish, decision=REJECTED, reason="Kontenjan doldu.", actor=coordinator
    )
    decisions.decide(
        application=english, decision=ACCEPTED, reason="A clear plan.", actor=coordinator
    )

    with django_capture_on_commit_callbacks(execute=True):
        assert decisions.notify(call=call, actor=coordinator) == 2

    by_address = {m.to[0]: m for m in mail.outbox}
    assert set(by_address) == {"sule@cinar.org.tr", "deniz@kiyi.org"}
    en = by_address["deniz@kiyi.org"]
    assert "Civil-Society School: welcome, Kıyı Vakfı" in en.subject
    assert "Dear Deniz Ay," in en.body
    assert f"{english.code} is in. A clear plan." in en.body
    assert "/en/" in en.body
    tr = by_address["sule@cinar.org.tr"]
    assert "Sivil Toplum Okulu: başvurunuz hakkında" in tr.subject
    assert "Sayın Şule Öztürk" in tr.body
    assert "Çınar Gençlik Derneği" in tr.body
    assert "Kontenjan doldu." in tr.body
    assert "{" not in tr.body
    for application in (turkish, english):
        application.refresh_from_db()
        assert application.notified_at is not None
    undecided.refresh_from_db()
    assert undecided.notified_at is None

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert decisions.notify(call=call, actor=coordinator) == 0
    assert mail.outbox == []


def test_a_decision_changed_after_notify_is_told_again(
    coordinator: User, django_capture_on_commit_callbacks: Any
) -> None:
    application = ApplicationFactory.create(person=PersonFactory.create(emails=["a@ornek.org"]))
    decisions.decide(application=application, decision=WAITLISTED, actor=coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        decisions.notify(call=application.call, actor=coordinator)
    decisions.decide(application=application, decision=ACCEPTED, actor=coordinator)
    application.refresh_from_db()
    assert application.notified_at is None
    assert decisions.public_status(application) == ApplicationStatus.SUBMITTED
    with django_capture_on_commit_callbacks(execute=True):
        assert decisions.notify(call=application.call, actor=coordinator) == 1
    assert len(mail.outbox) == 2
