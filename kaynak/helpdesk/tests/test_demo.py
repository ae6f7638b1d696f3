"""The demo support desk: requests in both queues over 14 months, mostly resolved and counted
in the ledger, some waiting, a few late, rated, two quarantined mails; no mail sent; built twice
it adds nothing."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.utils import timezone
from rich.progress import Progress

from kaynak.accounts import demo as accounts_demo
from kaynak.core.demo import DemoContext
from kaynak.directory import demo as directory_demo
from kaynak.helpdesk import demo, reports, services
from kaynak.helpdesk.models import (
    CannedReply,
    Direction,
    Message,
    RawMail,
    RawMailStatus,
    Request,
    RequestStatus,
    SatisfactionResponse,
)
from kaynak.ledger.models import Delivery

pytestmark = pytest.mark.django_db


def context() -> DemoContext:
    return DemoContext(scale="small", rng=random.Random(7), progress=Progress(disable=True))


@pytest.fixture
def built(
    settings: pytest.FixtureRequest, tmp_path: object, django_capture_on_commit_callbacks: object
) -> list[object]:
    settings.HELPDESK_FILES_DIR = tmp_path  # type: ignore[attr-defined]
    accounts_demo.build(context())
    directory_demo.build(context())
    with django_capture_on_commit_callbacks(execute=True) as callbacks:  # type: ignore[operator]
        demo.build(context())
    return list(callbacks)


def test_the_demo_desk_has_a_believable_year_of_requests(built: list[object]) -> None:
    requests = Request.objects.all()
    assert requests.count() == demo.REQUESTS
    assert {r.queue.slug for r in requests.select_related("queue")} == {
        "destek-noktasi",
        "ab-destek-birimi",
    }
    oldest = requests.order_by("created_at").first()
    assert oldest is not None
    assert oldest.created_at < timezone.now() - dt.timedelta(days=300)
    statuses = set(requests.values_list("status", flat=True))
    assert {RequestStatus.RESOLVED, RequestStatus.CLOSED} <= statuses
    finished = requests.filter(status__in=[RequestStatus.RESOLVED, RequestStatus.CLOSED]).count()
    assert finished > demo.REQUESTS / 2
    assert requests.filter(first_response_breached_at__isnull=False).exists()
    assert SatisfactionResponse.objects.count() > 10
    assert CannedReply.objects.count() == len(demo.CANNED)
    assert RawMail.objects.filter(status=RawMailStatus.QUARANTINED).count() == 2


def test_resolved_demo_requests_are_deliveries_dated_on_their_resolution(
    built: list[object],
) -> None:
    resolved = Request.objects.filter(first_resolved_at__isnull=False)
    deliveries = Delivery.objects.filter(source_type=ContentType.objects.get_for_model(Request))
    assert deliveries.count() == resolved.count()
    for request in resolved[:20]:
        assert request.first_resolved_at is not None
        delivery = deliveries.get(source_id=str(request.pk))
        assert delivery.date == timezone.localdate(request.first_resolved_at)


def test_the_demo_times_are_consistent_and_its_report_has_numbers(built: list[object]) -> None:
    for request in Request.objects.exclude(first_response_at=None):
        assert request.first_response_at is not None
        assert request.created_at <= request.first_response_at
        first = request.messages.order_by("sent_at", "pk").first()
        assert first is not None
        assert first.sent_at == request.created_at
    today = timezone.localdate()
    report = reports.build_report(period=reports.Period(today - dt.timedelta(days=500), today))
    assert report.total == demo.REQUESTS
    assert report.first_response.business_median is not None
    assert report.satisfaction.count > 0


def test_the_demo_sends_no_mail_and_is_not_built_twice(built: list[object]) -> None:
    # The after-commit work ran with the worker in immediate mode: live hooks would have
    # mailed every one of these answers.
    assert built
    assert Message.objects.filter(direction=Direction.OUT).count() > demo.REQUESTS / 2
    assert mail.outbox == []
    assert services._queue_mail.__name__ == "_queue_mail"  # the hook is back after the demo
    demo.build(context())
    assert Request.objects.count() == demo.REQUESTS
