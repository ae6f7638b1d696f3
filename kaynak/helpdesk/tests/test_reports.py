"""The support desk's reports: numbers on a small hand-built set (times in business hours as the
SLA counts them, median and p90, SLA attainment with its edge cases, CSAT per agent), the
period and queue filters, spam and merged requests left out."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from kaynak.directory.tests.factories import OrganisationFactory, PersonFactory, province
from kaynak.helpdesk import reports
from kaynak.helpdesk.models import (
    Channel,
    Direction,
    Request,
    RequestPause,
    RequestStatus,
    SatisfactionResponse,
)
from kaynak.helpdesk.tests.factories import (
    MessageFactory,
    RequestFactory,
    agent,
    category,
    eu_queue,
    support_queue,
)

pytestmark = pytest.mark.django_db

IST = ZoneInfo("Europe/Istanbul")
MARCH = reports.Period(dt.date(2026, 3, 1), dt.date(2026, 3, 31))
# "Now" for the SLA rules: Tuesday 10 March 2026, 12:00 in Istanbul.
NOW = dt.datetime(2026, 3, 10, 12, tzinfo=IST)


def at(day: int, hour: int, month: int = 3) -> dt.datetime:
    """2026-<month>-<day> <hour>:00 in Istanbul. 2–6 March 2026 is a plain Mon–Fri week."""
    return dt.datetime(2026, month, day, hour, tzinfo=IST)


def made(**fields: Any) -> Request:
    fields.setdefault("status", RequestStatus.OPEN)
    return RequestFactory.create(**fields)


@pytest.fixture
def desk() -> dict[str, Any]:
    """Eight counted requests A–H in the support desk (times in Istanbul, business hours
    Mon–Fri 09–18):

    ====  =========  ================  ==========================  =====================
    req   received   first response    resolved                    notes
    ====  =========  ================  ==========================  =====================
    A     Mon 2 09   Mon 10 (1 h)      Mon 12 (3 h)                Ankara org, CSAT 5
    B     Mon 2 09   Mon 11 (2 h)      Tue 10 (10 h; 25 cal h)     person in İzmir, CSAT 3
    C     Mon 2 17   Tue 10 (2 h; 17)  Wed 17 (18 h − 9 h paused)  nobody, CSAT 4
    D     Fri 6 17   Mon 9 10 (2; 65)  —                           phone
    E     Mon 2 09   Mon 13 (4 h)      —
    F     Mon 2 09   —                 —                           FR due passed
    G     Tue 10 11  —                 —                           not yet due
    H     Mon 2 09   —                 —                           waiting, no dues
    ====  =========  ================  ==========================  =====================
    """
    one, two = agent(full_name="Ayla Ak"), agent(full_name="Bora Bal")
    ankara = OrganisationFactory.create(province=province(6))
    izmir = PersonFactory.create(province=province(35))
    legal = category("legal")
    a = made(
        created_at=at(2, 9),
        first_response_at=at(2, 10),
        resolved_at=at(2, 12),
        status=RequestStatus.RESOLVED,
        first_response_due=at(2, 17),
        resolution_due=at(2, 18),
        organisation=ankara,
        assignee=two,
        category=legal,
    )
    b = made(
        created_at=at(2, 9),
        first_response_at=at(2, 11),
        resolved_at=at(3, 10),
        status=RequestStatus.CLOSED,
        first_response_due=at(2, 10),
        resolution_due=at(2, 18),
        organisation=None,
        requester=izmir,
    )
    c = made(
        created_at=at(2, 17),
        first_response_at=at(3, 10),
        resolved_at=at(4, 17),
        status=RequestStatus.RESOLVED,
        first_response_due=at(3, 12),
        resolution_due=at(5, 12),
        organisation=None,
        requester=None,
        assignee=one,
    )
    RequestPause.objects.create(request=c, started_at=at(3, 12), ended_at=at(4, 12))
    made(
        created_at=at(6, 17),
        first_response_at=at(9, 10),
        first_response_due=at(9, 9) + dt.timedelta(minutes=30),
        resolution_due=at(9, 12),
        channel=Channel.PHONE,
    )
    made(
        created_at=at(2, 9),
        first_response_at=at(2, 13),
        first_response_due=at(2, 12),
        resolution_due=at(12, 12),
    )
    made(created_at=at(2, 9), first_response_due=at(9, 9), resolution_due=at(13, 9))
    made(created_at=at(10, 11), first_response_due=at(11, 9), resolution_due=at(16, 9))
    h = made(created_at=at(2, 9), status=RequestStatus.WAITING)
    RequestPause.objects.create(request=h, started_at=at(2, 10))
    # Ratings: A's last answer is by Ayla (though Bora is assigned), B's by Bora after Ayla,
    # C has no answer on record: its assignee Ayla is credited.
    MessageFactory.create(request=a, direction=Direction.OUT, author=one, sent_at=at(2, 10))
    MessageFactory.create(request=a, direction=Direction.OUT, is_automatic=True, sent_at=at(2, 11))
    MessageFactory.create(request=b, direction=Direction.OUT, author=one, sent_at=at(2, 11))
    MessageFactory.create(request=b, direction=Direction.OUT, author=two, sent_at=at(3, 10))
    for request, score in ((a, 5), (b, 3), (c, 4)):
        SatisfactionResponse.objects.create(request=request, score=score)
    return {"a": a, "b": b, "c": c, "h": h}


def test_volume_counts_every_request_of_the_period_with_or_without_a_requester(
    desk: dict[str, Any],
) -> None:
    with translation.override("en"):
        report = reports.build_report(period=MARCH, now=NOW)
    assert report.total == 8
    march = [m for m in report.by_month if m.month == dt.date(2026, 3, 1)]
    assert march[0].count == 8
    by_province = {b.label: b.count for b in report.by_province}
    # D–H come from the factory's organisation in Ankara; B's person is in İzmir; C: nobody.
    assert by_province == {"Ankara": 6, "İzmir": 1, "Unknown": 1}
    assert {b.label: b.count for b in report.by_channel}["Phone"] == 1


def test_business_and_calendar_times_give_the_median_and_the_nearest_rank_p90(
    desk: dict[str, Any],
) -> None:
    report = reports.build_report(period=MARCH, now=NOW)
    # First response, business hours: A 1, B 2, C 2 (Mon 17–18 + Tue 09–10), D 2 (Fri 17–18 +
    # Mon 09–10), E 4 → [1, 2, 2, 2, 4]: median 2, p90 = the ⌈4.5⌉ = 5th value = 4.
    assert report.first_response.count == 5
    assert report.first_response.business_median == pytest.approx(2)
    assert report.first_response.business_p90 == pytest.approx(4)
    # Calendar hours: A 1, B 2, C 17, D 65, E 4 → [1, 2, 4, 17, 65]: median 4, p90 65.
    assert report.first_response.calendar_median == pytest.approx(4)
    assert report.first_response.calendar_p90 == pytest.approx(65)
    # Resolution, business hours: A 3; B 9 (Mon) + 1 (Tue) = 10; C 1 + 9 + 8 = 18 less the
    # pause Tue 12:00–Wed 12:00 (6 + 3 = 9 business hours) = 9 → [3, 9, 10]: median 9, p90 10.
    assert report.resolution.business_median == pytest.approx(9)
    assert report.resolution.business_p90 == pytest.approx(10)
    # Calendar: A 3, B 25, C 48 (pauses count on the wall clock) → median 25, p90 48.
    assert report.resolution.calendar_median == pytest.approx(25)
    assert report.resolution.calendar_p90 == pytest.approx(48)


def test_sla_attainment_counts_late_open_requests_as_missed_and_leaves_out_not_yet_due_ones(
    desk: dict[str, Any],
) -> None:
    report = reports.build_report(period=MARCH, now=NOW)
    # First response: A met, B missed, C met, D missed, E missed, F open and late: missed;
    # G not yet due and H paused (no due time): left out.
    assert (report.first_response_sla.counted, report.first_response_sla.met) == (6, 2)
    assert report.first_response_sla.rate == pytest.approx(100 / 3)
    # Resolution: A met, B missed (closed after resolving late), C met (its due moved by the
    # pause), D open and late: missed; E, F, G not yet due, H paused: left out.
    assert (report.resolution_sla.counted, report.resolution_sla.met) == (4, 2)


def test_a_paused_request_is_not_late_while_its_clock_is_held(desk: dict[str, Any]) -> None:
    later = NOW + dt.timedelta(days=300)
    report = reports.build_report(period=MARCH, now=later)
    # A year later E, F and G are late too; H, waiting with no due time, is still left out.
    assert report.resolution_sla.counted == 7
    assert report.first_response_sla.counted == 7


def test_satisfaction_is_credited_to_the_last_answer_else_the_assignee(
    desk: dict[str, Any],
) -> None:
    report = reports.build_report(period=MARCH, now=NOW)
    assert report.satisfaction.count == 3
    assert report.satisfaction.average == pytest.approx(4)
    assert report.satisfaction.satisfied_share == pytest.approx(200 / 3)
    by_agent = {
        s.label: (s.count, s.average, s.satisfied_share) for s in report.satisfaction_by_agent
    }
    assert by_agent == {"Ayla Ak": (2, 4.5, 100.0), "Bora Bal": (1, 3.0, 0.0)}
    march = dict(report.satisfaction_by_month)[dt.date(2026, 3, 1)]
    assert march.count == 3


def test_spam_merged_and_other_periods_are_left_out(desk: dict[str, Any]) -> None:
    made(created_at=at(2, 9), is_spam=True, status=RequestStatus.CLOSED)
    made(created_at=at(2, 9), merged_into=desk["a"], status=RequestStatus.CLOSED)
    made(created_at=at(27, 9, month=2))
    made(created_at=dt.datetime(2026, 3, 31, 23, 30, tzinfo=IST))  # still March in Istanbul
    made(created_at=dt.datetime(2026, 4, 1, 0, 30, tzinfo=IST))
    report = reports.build_report(period=MARCH, now=NOW)
    assert report.total == 9


def test_the_queue_filter_counts_one_queue(desk: dict[str, Any]) -> None:
    made(created_at=at(3, 9), queue=eu_queue(), category=None)
    everything = reports.build_report(period=MARCH, now=NOW)
    assert everything.total == 9
    assert sorted(b.count for b in everything.by_queue) == [1, 8]
    support_only = reports.build_report(period=MARCH, queue=support_queue(), now=NOW)
    assert support_only.total == 8
    eu_only = reports.build_report(period=MARCH, queue=eu_queue(), now=NOW)
    assert eu_only.total == 1
    assert eu_only.first_response.count == 0
    assert eu_only.first_response.business_median is None


def test_top_categories_are_at_most_eight_with_their_share() -> None:
    queue = support_queue()
    categories = list(queue.categories.all())
    for n, item in enumerate(categories):
        for _ in range(n + 1):
            made(created_at=at(2, 9), category=item)
    made(created_at=at(2, 9), category=None)
    report = reports.build_report(period=MARCH, queue=queue, now=NOW)
    assert len(report.top_categories) == min(8, len(categories) + 1)
    top = report.top_categories[0]
    assert top.label == categories[-1].label
    assert top.share == pytest.approx(100 * len(categories) / report.total)


@pytest.mark.parametrize(
    ("today", "start", "end"),
    [
        (dt.date(2026, 5, 15), dt.date(2026, 1, 1), dt.date(2026, 3, 31)),
        (dt.date(2026, 2, 1), dt.date(2025, 10, 1), dt.date(2025, 12, 31)),
    ],
)
def test_last_quarter_is_the_whole_quarter_before_this_one(
    today: dt.date, start: dt.date, end: dt.date
) -> None:
    assert reports.last_quarter(today) == reports.Period(start, end)


def test_the_default_period_is_this_month_and_the_eleven_before() -> None:
    period = reports.last_twelve_months(dt.date(2026, 3, 10))
    assert period == reports.Period(dt.date(2025, 4, 1), dt.date(2026, 3, 10))
    assert len(period.months()) == 12


def test_nearest_rank_p90_by_hand() -> None:
    # Ten values: ⌈0.9 × 10⌉ = 9th smallest.
    assert reports.nearest_rank([1, 2, 3, 4, 5, 6, 7, 8, 9, 100], 0.9) == 9
    assert reports.nearest_rank([7], 0.9) == 7


def test_the_running_total_agrees_with_the_sla_calendar_across_holidays_and_pauses() -> None:
    # Kurban Bayramı 2026: the eve (26 May) closes at 13:00, 27–30 May are closed; DST-free zone.
    queue = support_queue()
    table = reports._ClockTable(queue, dt.date(2026, 5, 1))
    calendar = table.calendar
    rng = random.Random(5)
    for _ in range(200):
        start = at(1, 0, month=5) + dt.timedelta(minutes=rng.randint(0, 60 * 24 * 50))
        end = start + dt.timedelta(minutes=rng.randint(0, 60 * 24 * 12))
        pause_start = start + (end - start) * rng.random()
        pause = (pause_start, pause_start + dt.timedelta(hours=rng.randint(1, 60)))
        assert table.between(start, end, [pause]) == calendar.business_time_between(
            start, end, [pause]
        )
    eve = table.between(at(26, 8, month=5), at(2, 8, month=6))
    assert eve == dt.timedelta(hours=4 + 9)  # 26 May 09–13, then Monday 1 June 09–18
