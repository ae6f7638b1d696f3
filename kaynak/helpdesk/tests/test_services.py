"""The support desk's verbs: intake, the lifecycle, the ledger, merge, spam, satisfaction."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail

from kaynak.core.models import AuditEntry
from kaynak.directory.models import Organisation, Person
from kaynak.directory.tests.factories import (
    AffiliationFactory,
    OrganisationFactory,
    PersonFactory,
    province,
)
from kaynak.helpdesk import services, tokens
from kaynak.helpdesk.models import (
    Direction,
    Message,
    Priority,
    RequestPause,
    RequestStatus,
    SatisfactionResponse,
)
from kaynak.helpdesk.services import HelpdeskError, Requester, Upload
from kaynak.helpdesk.tests.factories import (
    CannedReplyFactory,
    agent,
    category,
    eu_queue,
    support_queue,
)
from kaynak.ledger.models import Delivery

pytestmark = pytest.mark.django_db

IST = ZoneInfo("Europe/Istanbul")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def _files_in_tmp(settings: Any, tmp_path: Path) -> None:
    settings.HELPDESK_FILES_DIR = tmp_path / "helpdesk-files"


def submit(**overrides: Any) -> Any:
    fields: dict[str, Any] = {
        "queue": support_queue(),
        "category": category("legal"),
        "subject": "Genel kurul ertelemesi",
        "body": "Genel kurulumuzu ertelemek istiyoruz, nasıl yapabiliriz?",
        "requester": Requester(
            full_name="Zeynep Çelik",
            email="zeynep@kadin-dayanisma.org.tr",
            organisation_name="Kadın Dayanışma Derneği",
            province=province(35),
        ),
        "language": "tr",
    }
    fields.update(overrides)
    return services.submit_request(**fields)


def deliveries(request: Any) -> Any:
    return Delivery.objects.filter(source_id=str(request.pk), withdrawn_at__isnull=True)


# -- intake ------------------------------------------------------------------------------------


def test_a_web_request_gets_a_code_with_the_queue_prefix_and_sla_dues() -> None:
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=IST), tick=False):
        request = submit()
    assert request.token.startswith("DN-")
    assert len(request.token) == 9
    assert request.status == RequestStatus.NEW
    # Monday 10:00 + 8 business hours (09:00–18:00) = Monday 18:00 (the earliest moment);
    # + 45 hours: 8 on Monday, 36 Tuesday–Friday, 1 on the next Monday = Monday 10:00.
    assert request.first_response_due == dt.datetime(2026, 3, 2, 18, 0, tzinfo=IST)
    assert request.resolution_due == dt.datetime(2026, 3, 9, 10, 0, tzinfo=IST)
    message = request.messages.get(direction=Direction.IN)
    assert message.message_id
    assert AuditEntry.objects.filter(action="kaynak.helpdesk.request.created").count() == 1


def test_the_requester_is_resolved_against_the_directory_without_duplicates() -> None:
    known_org = OrganisationFactory.create(name="Kadın Dayanışma Derneği", province=province(35))
    known_person = PersonFactory.create(
        full_name="Zeynep Çelik", emails=["zeynep@kadin-dayanisma.org.tr"]
    )
    request = submit()
    assert request.requester == known_person
    assert request.organisation == known_org
    assert Organisation.objects.filter(name="Kadın Dayanışma Derneği").count() == 1
    assert Person.objects.count() == 1


def test_an_unknown_requester_becomes_a_new_person_and_organisation() -> None:
    request = submit()
    assert request.requester is not None
    assert request.requester.emails == ["zeynep@kadin-dayanisma.org.tr"]
    assert request.organisation is not None
    assert request.organisation.name == "Kadın Dayanışma Derneği"


def test_without_an_organisation_name_the_persons_one_affiliation_is_used() -> None:
    affiliation = AffiliationFactory.create(
        person=PersonFactory.create(emails=["zeynep@kadin-dayanisma.org.tr"])
    )
    request = submit(requester=Requester(full_name="Zeynep", email="zeynep@kadin-dayanisma.org.tr"))
    assert request.organisation == affiliation.organisation


def test_a_phone_request_without_an_address_makes_no_person_and_sends_no_mail(
    django_capture_on_commit_callbacks: Any,
) -> None:
    staff = agent()
    with django_capture_on_commit_callbacks(execute=True):
        request = submit(
            channel="phone",
            actor=staff,
            requester=Requester(full_name="Mehmet Bey", organisation=OrganisationFactory.create()),
        )
    assert request.requester is None
    assert request.organisation is not None
    assert request.messages.get().author == staff
    assert mail.outbox == []


def test_the_confirmation_mail_carries_the_code_and_threads_by_message_id(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        request = submit()
    [sent] = mail.outbox
    assert f"[#{request.token}]" in sent.subject
    assert request.token in sent.body
    assert sent.extra_headers["Auto-Submitted"] == "auto-replied"
    outgoing = request.messages.get(direction=Direction.OUT)
    assert sent.extra_headers["Message-ID"] == outgoing.message_id
    assert sent.extra_headers["In-Reply-To"] == request.messages.get(direction="in").message_id


def test_a_web_request_needs_an_address_a_subject_and_a_category_of_its_queue() -> None:
    with pytest.raises(HelpdeskError):
        submit(requester=Requester(full_name="Anonim"))
    with pytest.raises(HelpdeskError):
        submit(subject="  ")
    with pytest.raises(HelpdeskError):
        submit(category=category("legal"), queue=eu_queue())
    assert not Message.objects.exists()


def test_a_dangerous_upload_refuses_the_whole_request() -> None:
    with pytest.raises(HelpdeskError) as refused:
        submit(attachments=[Upload("fatura.pdf", b"MZ\x90\x00" + b"\x00" * 100)])
    assert "fatura.pdf" in str(refused.value.message)
    assert not Message.objects.exists()
    assert not Organisation.objects.exists()


def test_an_accepted_upload_is_stored_by_hash_outside_the_web_root(tmp_path: Path) -> None:
    request = submit(attachments=[Upload("../../tüzük.pdf", PDF)])
    attachment = request.messages.get(direction=Direction.IN).attachments.get()
    assert attachment.name == "tüzük.pdf"
    assert attachment.content_type == "application/pdf"
    assert Path(attachment.file.path).is_relative_to(tmp_path / "helpdesk-files")
    assert Path(attachment.file.path).read_bytes() == PDF


# -- the lifecycle -----------------------------------------------------------------------------


def test_a_reply_sets_the_first_response_once_and_mails_the_requester(
    django_capture_on_commit_callbacks: Any,
) -> None:
    staff = agent()
    request = submit()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.reply(request=request, actor=staff, body="Tüzüğünüze bakalım.")
    first = request.first_response_at
    assert first is not None
    assert request.status == RequestStatus.OPEN
    services.reply(request=request, actor=staff, body="Bir şey daha.")
    assert request.first_response_at == first
    [sent] = mail.outbox
    assert "Tüzüğünüze bakalım." in sent.body
    assert "Auto-Submitted" not in sent.extra_headers
    assert sent.extra_headers["References"]


def test_a_canned_reply_fills_its_variables_in_the_requesters_language() -> None:
    staff = agent(full_name="Elif Aydın")
    request = submit(language="en")
    canned = CannedReplyFactory.create(body_en="Hi {requester_name}, {token} by {agent_name} {x}")
    message = services.reply(request=request, actor=staff, canned=canned)
    assert message.body == f"Hi Zeynep Çelik, {request.token} by Elif Aydın {{x}}"


def test_waiting_pauses_the_clock_and_resuming_moves_the_due_time() -> None:
    staff = agent()
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=IST), tick=False):
        request = submit()
    with time_machine.travel(dt.datetime(2026, 3, 2, 11, 0, tzinfo=IST), tick=False):
        services.reply(request=request, actor=staff, body="Tüzüğünüzü gönderir misiniz?", wait=True)
    assert request.status == RequestStatus.WAITING
    assert request.resolution_due is None  # the clock stands still
    with time_machine.travel(dt.datetime(2026, 3, 3, 11, 0, tzinfo=IST), tick=False):
        services.resume(request=request, actor=staff)
    # Paused one business day (Mon 11:00 → Tue 11:00): due a day later than Mon 10:00 + 45 h.
    assert request.resolution_due == dt.datetime(2026, 3, 10, 10, 0, tzinfo=IST)
    assert RequestPause.objects.get(request=request).ended_at is not None


def test_assign_takes_only_agents_of_the_queue() -> None:
    staff = agent()
    request = submit()
    services.assign(request=request, assignee=staff, actor=staff)
    assert request.assignee == staff
    assert request.status == RequestStatus.OPEN
    with pytest.raises(HelpdeskError):
        services.assign(request=request, assignee=agent(queue=eu_queue()), actor=staff)


def test_priority_category_and_notes_with_mentions() -> None:
    staff, colleague = agent(), agent()
    request = submit()
    services.set_priority(request=request, priority=Priority.URGENT, actor=staff)
    services.set_category(request=request, category=category("finance-tax"), actor=staff)
    note = services.add_note(
        request=request, actor=staff, body="Vergi uzmanına soralım.", mentions=[colleague]
    )
    request.refresh_from_db()
    assert request.priority == Priority.URGENT
    assert request.category == category("finance-tax")
    assert list(note.mentions.all()) == [colleague]
    with pytest.raises(HelpdeskError):
        services.set_priority(request=request, priority="whenever", actor=staff)
    with pytest.raises(HelpdeskError):
        services.add_note(
            request=request, actor=staff, body="x", mentions=[agent(queue=eu_queue())]
        )


# -- the ledger --------------------------------------------------------------------------------


def test_resolving_writes_one_delivery_of_the_queues_kind_with_the_category_themes() -> None:
    staff = agent()
    request = submit()
    services.resolve(request=request, actor=staff)
    [delivery] = deliveries(request)
    assert delivery.kind.slug == "support"
    assert delivery.organisation == request.organisation
    assert delivery.person == request.requester
    assert set(delivery.themes.values_list("slug", flat=True)) == {"civil-society", "human-rights"}


def test_an_eu_request_counts_as_eu_support() -> None:
    request = submit(queue=eu_queue(), category=category("eu-grant-rules", eu_queue()))
    services.resolve(request=request, actor=agent(queue=eu_queue()))
    assert deliveries(request).get().kind.slug == "eu-support"


def test_reopening_and_resolving_again_keeps_one_delivery_dated_on_the_first_resolution() -> None:
    staff = agent()
    request = submit()
    with time_machine.travel(dt.datetime(2026, 3, 31, 12, 0, tzinfo=IST), tick=False):
        services.resolve(request=request, actor=staff)
    with time_machine.travel(dt.datetime(2026, 4, 2, 12, 0, tzinfo=IST), tick=False):
        services.reopen(request=request)
        assert deliveries(request).count() == 1  # the support was given: it stays
        services.resolve(request=request, actor=staff)
    [delivery] = deliveries(request)
    assert delivery.date == dt.date(2026, 3, 31)
    assert Delivery.objects.filter(source_id=str(request.pk)).count() == 1


def test_reply_with_resolve_sends_one_mail_and_resolves() -> None:
    staff = agent()
    request = submit()
    services.reply(request=request, actor=staff, body="Çözüldü.", resolve=True)
    assert request.status == RequestStatus.RESOLVED
    assert deliveries(request).count() == 1
    assert request.messages.filter(direction=Direction.OUT, is_automatic=False).count() == 1


def test_merging_moves_the_messages_and_does_not_double_the_delivery() -> None:
    staff = agent()
    first, second = submit(), submit(subject="Aynı soru yine")
    services.resolve(request=first, actor=staff)
    services.resolve(request=second, actor=staff)
    services.merge(source=second, target=first, actor=staff)
    assert second.status == RequestStatus.CLOSED
    assert second.merged_into == first
    assert first.messages.filter(direction=Direction.IN).count() == 2
    assert deliveries(first).count() == 1
    assert deliveries(second).count() == 0
    with pytest.raises(HelpdeskError):
        services.merge(source=first, target=first, actor=staff)


def test_spam_withdraws_the_delivery_and_unmarking_opens_it_again() -> None:
    staff = agent()
    request = submit()
    services.resolve(request=request, actor=staff)
    services.mark_spam(request=request, actor=staff)
    assert request.is_spam
    assert request.status == RequestStatus.CLOSED
    assert deliveries(request).count() == 0
    services.unmark_spam(request=request, actor=staff)
    assert request.status == RequestStatus.OPEN
    assert not request.is_spam


def test_resolved_requests_close_after_the_configured_days(settings: Any) -> None:
    settings.HELPDESK_CLOSE_AFTER_DAYS = 7
    staff = agent()
    old, recent = submit(), submit()
    with time_machine.travel(dt.datetime(2026, 3, 1, 12, 0, tzinfo=IST), tick=False):
        services.resolve(request=old, actor=staff)
    with time_machine.travel(dt.datetime(2026, 3, 6, 12, 0, tzinfo=IST), tick=False):
        services.resolve(request=recent, actor=staff)
    with time_machine.travel(dt.datetime(2026, 3, 10, 12, 0, tzinfo=IST), tick=False):
        assert services.close_resolved() == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.status == RequestStatus.CLOSED
    assert recent.status == RequestStatus.RESOLVED


# -- satisfaction ------------------------------------------------------------------------------


def test_satisfaction_is_recorded_from_the_signed_token_and_replaced_by_a_second_answer() -> None:
    request = submit()
    services.resolve(request=request, actor=agent())
    token = tokens.satisfaction_token(request.pk, request.token)
    services.record_satisfaction(token=token, score=4, comment="Çok yardımcı oldunuz")
    services.record_satisfaction(token=token, score=5)
    answer = SatisfactionResponse.objects.get(request=request)
    assert answer.score == 5


def test_a_forged_token_or_a_bad_score_is_refused() -> None:
    request = submit()
    with pytest.raises(HelpdeskError):  # not resolved yet
        services.record_satisfaction(
            token=tokens.satisfaction_token(request.pk, request.token), score=3
        )
    services.resolve(request=request, actor=agent())
    with pytest.raises(HelpdeskError):
        services.record_satisfaction(token="forged:token", score=3)
    with pytest.raises(HelpdeskError):
        services.record_satisfaction(
            token=tokens.satisfaction_token(request.pk, request.token), score=6
        )
    assert not SatisfactionResponse.objects.exists()


# -- SLA checks --------------------------------------------------------------------------------


def test_check_sla_warns_before_and_marks_the_breach_once() -> None:
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=IST), tick=False):
        request = submit()
    # First response due Mon 18:00; warned from a fifth of 8 h (96 min) before: 16:24.
    assert services.check_sla(now=dt.datetime(2026, 3, 2, 16, 0, tzinfo=IST)) == 0
    assert services.check_sla(now=dt.datetime(2026, 3, 2, 17, 0, tzinfo=IST)) == 1
    assert services.check_sla(now=dt.datetime(2026, 3, 2, 17, 30, tzinfo=IST)) == 0
    assert services.check_sla(now=dt.datetime(2026, 3, 3, 9, 30, tzinfo=IST)) == 1
    request.refresh_from_db()
    assert request.first_response_warned_at is not None
    assert request.first_response_breached_at == dt.datetime(2026, 3, 3, 9, 30, tzinfo=IST)
    assert request.resolution_breached_at is None
    actions = AuditEntry.objects.filter(action__startswith="kaynak.helpdesk.request.sla")
    assert sorted(actions.values_list("action", flat=True)) == [
        "kaynak.helpdesk.request.sla_breached",
        "kaynak.helpdesk.request.sla_warned",
    ]


def test_check_sla_skips_answered_and_waiting_requests() -> None:
    staff = agent()
    with time_machine.travel(dt.datetime(2026, 3, 2, 10, 0, tzinfo=IST), tick=False):
        answered, waiting = submit(), submit()
        services.reply(request=answered, actor=staff, body="Hemen bakıyoruz.")
        services.wait_for_requester(request=waiting, actor=staff)
    assert services.check_sla(now=dt.datetime(2026, 3, 3, 12, 0, tzinfo=IST)) == 0
