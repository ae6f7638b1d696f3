"""The worker's side of registrants' mail: bounces, retries, reminders, lapsing offers and the
survey job, against a real SMTP server on loopback."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.tasks import TaskResultStatus, default_task_backend
from django.utils import timezone
from django.utils.module_loading import import_string
from huey.contrib.djhuey import HUEY

from kaynak.accounts.tests import conftest as accounts_fixtures
from kaynak.core.audit import history_for
from kaynak.core.schedule import SCHEDULE
from kaynak.directory.tests.factories import PersonFactory
from kaynak.programmes import services, tasks
from kaynak.programmes.models import Registration, RegistrationStatus, Session
from kaynak.programmes.reminders import (
    REMINDERS,
    remind_session,
    send_due_reminders,
    sessions_due,
)
from kaynak.programmes.tests.factories import (
    ActivityFactory,
    RegistrationFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db

smtp_server = accounts_fixtures.smtp_server  # a real SMTP server on 127.0.0.1, per test


@dataclass
class ChoosySMTPServer(accounts_fixtures.SMTPServer):
    """The loopback server, answering RCPT for some addresses with a refusal of our choice."""

    refusals: dict[str, str] = field(default_factory=dict)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if address in self.refusals:
            return self.refusals[address]
        envelope.rcpt_tos.append(address)
        return "250 OK"


@pytest.fixture
def choosy_smtp_server(settings: Any) -> Iterator[ChoosySMTPServer]:
    server = ChoosySMTPServer(host="127.0.0.1", port=accounts_fixtures._free_port())
    controller = Controller(server, hostname=server.host, port=server.port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": server.host, "port": server.port, "timeout": 10},
        }
    }
    try:
        yield server
    finally:
        controller.stop()


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """Run what the code queues for after the commit (mail tasks) as the test goes."""

    def run():
        return django_capture_on_commit_callbacks(execute=True)

    return run


def sign_up(activity, *, language: str = "en") -> Registration:
    person = PersonFactory.create()
    return services.register(
        activity=activity, person=person, email=person.emails[0], language=language
    )


def subjects(server) -> list[tuple[str, str]]:
    return [(mail.recipients[0], mail.message["Subject"]) for mail in server.received]


def run_scheduled_retries() -> int:
    """Run the retries huey scheduled, as the consumer would once their time came."""
    # huey keeps naive local times; a month ahead is later than any retry whatever the zone.
    later = timezone.make_naive(timezone.now() + dt.timedelta(days=30))
    due = HUEY.read_schedule(later)
    for retry in due:
        HUEY.execute(retry, timestamp=later)
    return len(due)


def last_result(task_id: str):
    return default_task_backend.get_result(task_id)


# Bounces and retries ----------------------------------------------------------------------------


def test_an_address_refused_for_good_is_marked_bounced_and_not_retried(
    choosy_smtp_server, run_on_commit
):
    registration = RegistrationFactory.create(activity=activity_in(days=10))
    choosy_smtp_server.refusals[registration.email] = "550 5.1.1 No such mailbox here"

    with run_on_commit():
        result = tasks.send_registration_mail.enqueue(registration.pk, "confirmed")

    registration.refresh_from_db()
    assert registration.email_bounced_at is not None
    [entry] = history_for(registration).filter(action="kaynak.programmes.registration.bounced")
    assert entry.data["code"] == 550
    assert "No such mailbox" in entry.data["reply"]
    assert last_result(result.id).status == TaskResultStatus.SUCCESSFUL  # no crash, no loop
    assert HUEY.scheduled_count() == 0
    assert choosy_smtp_server.received == []


def test_no_more_mail_goes_to_a_bounced_address(choosy_smtp_server, run_on_commit):
    registration = RegistrationFactory.create(
        activity=activity_in(days=10), email_bounced_at=timezone.now()
    )

    with run_on_commit():
        tasks.send_registration_mail.enqueue(registration.pk, "changed")

    assert choosy_smtp_server.received == []
    assert HUEY.scheduled_count() == 0


def test_a_temporary_refusal_is_tried_again_later_and_then_delivered(
    choosy_smtp_server, run_on_commit
):
    registration = RegistrationFactory.create(activity=activity_in(days=10))
    choosy_smtp_server.refusals[registration.email] = "451 4.3.0 Try again later"

    with run_on_commit():
        result = tasks.send_registration_mail.enqueue(registration.pk, "confirmed")

    assert choosy_smtp_server.received == []
    assert HUEY.scheduled_count() == 1
    registration.refresh_from_db()
    assert registration.email_bounced_at is None

    del choosy_smtp_server.refusals[registration.email]
    assert run_scheduled_retries() == 1

    [mail] = choosy_smtp_server.received
    assert mail.recipients == [registration.email]
    finished = last_result(result.id)
    assert finished.status == TaskResultStatus.SUCCESSFUL
    assert finished.attempts == 2


def test_an_unreachable_mail_server_is_tried_again_until_the_retries_run_out(
    settings, run_on_commit
):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            # Nothing listens here: the connection is refused.
            "OPTIONS": {"host": "127.0.0.1", "port": accounts_fixtures._free_port(), "timeout": 5},
        }
    }
    registration = RegistrationFactory.create(activity=activity_in(days=10))

    with run_on_commit():
        result = tasks.send_registration_mail.enqueue(registration.pk, "confirmed")

    retries = 0
    while run_scheduled_retries() and retries < 20:
        retries += 1
    assert retries == len(tasks.MAIL_RETRY_DELAYS)
    finished = last_result(result.id)
    assert finished.status == TaskResultStatus.FAILED
    assert finished.attempts == len(tasks.MAIL_RETRY_DELAYS) + 1
    assert finished.errors[-1].exception_class_path == "kaynak.programmes.mail.MailDeferred"
    registration.refresh_from_db()
    assert registration.email_bounced_at is None  # the server was down, not the address


# Reminders --------------------------------------------------------------------------------------


def activity_in(*, days: float = 0, hours: float = 0, online: bool = False, **kwargs):
    activity = ActivityFactory.create(**kwargs)
    starts = timezone.now() + dt.timedelta(days=days, hours=hours)
    SessionFactory.create(
        activity=activity,
        starts_at=starts,
        ends_at=starts + dt.timedelta(hours=3),
        online=online,
        meeting_url="https://meet.example.org/oturum" if online else "",
    )
    return activity


def test_seat_holders_are_reminded_two_days_before_once_even_if_the_job_runs_twice(
    smtp_server, run_on_commit
):
    training = activity_in(hours=30, capacity=2)
    first = RegistrationFactory.create(activity=training, language="en")
    second = RegistrationFactory.create(activity=training, status=RegistrationStatus.OFFERED)
    RegistrationFactory.create(activity=training, status=RegistrationStatus.WAITLISTED)
    RegistrationFactory.create(activity=training, status=RegistrationStatus.CANCELLED)

    with run_on_commit():
        assert tasks.send_reminders.call() == 2
    with run_on_commit():
        assert tasks.send_reminders.call() == 0

    assert sorted(mail.recipients[0] for mail in smtp_server.received) == sorted(
        [first.email, second.email]
    )
    english = next(m for m in smtp_server.received if m.recipients == [first.email])
    assert english.message["Subject"].endswith(f"In two days: {training.title}")
    session = training.sessions.get()
    assert session.reminded_2d_at is not None
    assert session.reminded_2h_at is None


def test_two_workers_claiming_the_same_session_send_its_reminder_once(smtp_server, run_on_commit):
    training = activity_in(hours=30)
    RegistrationFactory.create(activity=training)
    reminder = REMINDERS[0]
    now = timezone.now()
    # Both workers read the due sessions before either claimed one.
    seen_by_one, seen_by_other = (
        list(sessions_due(reminder, now)),
        list(sessions_due(reminder, now)),
    )

    with run_on_commit():
        sent = [
            remind_session(session=seen_by_one[0], reminder=reminder, now=now),
            remind_session(session=seen_by_other[0], reminder=reminder, now=now),
        ]

    assert sent == [1, 0]
    assert len(smtp_server.received) == 1


def test_the_two_hour_reminder_names_the_session_and_its_meeting_link(smtp_server, run_on_commit):
    webinar = activity_in(hours=1.5, online=True)
    registration = RegistrationFactory.create(activity=webinar, language="en")

    with run_on_commit():
        tasks.send_reminders.call()

    [mail] = smtp_server.received
    assert mail.message["Subject"].endswith(f"Starting soon: {webinar.title}")
    assert "Join: https://meet.example.org/oturum" in mail.text
    session = webinar.sessions.get()
    assert session.reminded_2h_at is not None
    assert session.reminded_2d_at is None  # too late for that one: only the nearer reminder
    assert mail.recipients == [registration.email]


def test_no_two_hour_reminder_for_a_session_already_started(smtp_server, run_on_commit):
    started = activity_in(hours=-0.5)
    RegistrationFactory.create(activity=started)

    with run_on_commit():
        assert tasks.send_reminders.call() == 0

    assert smtp_server.received == []
    assert started.sessions.get().reminded_2h_at is None


def test_a_reminder_that_waited_until_its_session_started_is_dropped(smtp_server, run_on_commit):
    started = activity_in(hours=-0.25)
    registration = RegistrationFactory.create(activity=started)

    with run_on_commit():
        result = tasks.send_registration_mail.enqueue(
            registration.pk, "reminder-2h", session_id=started.sessions.get().pk
        )

    assert last_result(result.id).return_value is False
    assert smtp_server.received == []


def test_a_session_moved_later_after_its_reminder_is_reminded_again(smtp_server, run_on_commit):
    training = activity_in(hours=30)
    RegistrationFactory.create(activity=training)
    with run_on_commit():
        assert send_due_reminders() == 1
    session = training.sessions.get()
    Session.objects.filter(pk=session.pk).update(
        starts_at=session.starts_at + dt.timedelta(days=7),
        ends_at=session.ends_at + dt.timedelta(days=7),
    )

    with run_on_commit():
        assert send_due_reminders() == 0  # a week and 30 hours away: not due yet
    with run_on_commit():
        assert send_due_reminders(now=timezone.now() + dt.timedelta(days=7)) == 1

    assert len(smtp_server.received) == 2


def test_a_three_day_training_is_reminded_for_its_first_day_only(smtp_server, run_on_commit):
    training = ActivityFactory.create()
    first_day = timezone.now() + dt.timedelta(hours=30)
    for day in range(3):
        starts = first_day + dt.timedelta(days=day)
        SessionFactory.create(
            activity=training, starts_at=starts, ends_at=starts + dt.timedelta(hours=6)
        )
    RegistrationFactory.create(activity=training, language="en")

    # The job every hour (closer than the two-hour window) until the last day has begun.
    for hours in range(30 + 48 + 1):
        with run_on_commit():
            send_due_reminders(now=timezone.now() + dt.timedelta(hours=hours, minutes=30))

    in_two_days, starting_soon = smtp_server.received
    assert in_two_days.message["Subject"].endswith(f"In two days: {training.title}")
    assert in_two_days.text.count(" · ") == 3  # it lists the three days
    assert starting_soon.message["Subject"].endswith(f"Starting soon: {training.title}")
    assert set(training.sessions.values_list("reminded_2h_at", flat=True)) != {None}


# Offers lapsing ---------------------------------------------------------------------------------


def test_the_lapse_job_moves_an_untaken_seat_to_the_next_and_mails_both(
    smtp_server, run_on_commit, time_machine
):
    training = activity_in(days=10, capacity=1, offer_hours=24)
    with run_on_commit():
        holder = sign_up(training)
        slow = sign_up(training)
        next_in_line = sign_up(training)
        services.cancel_registration(registration=holder)
    slow.refresh_from_db()
    assert slow.status == RegistrationStatus.OFFERED
    assert slow.offer_expires_at is not None
    smtp_server.received.clear()

    with run_on_commit():
        assert tasks.lapse_offers.call() == 0  # not yet
    time_machine.move_to(slow.offer_expires_at + dt.timedelta(minutes=1))
    with run_on_commit():
        assert tasks.lapse_offers.call() == 1

    slow.refresh_from_db()
    next_in_line.refresh_from_db()
    assert slow.status == RegistrationStatus.LAPSED
    assert next_in_line.status == RegistrationStatus.OFFERED
    assert subjects(smtp_server) == [
        (slow.email, f"[Resource Center] Seat offer lapsed: {training.title}"),
        (next_in_line.email, f"[Resource Center] A seat is free for you: {training.title}"),
    ]


# The timetable ----------------------------------------------------------------------------------


def test_the_schedule_runs_the_programmes_jobs():
    jobs = {path: when for path, when in SCHEDULE if path.startswith("kaynak.programmes.")}

    assert set(jobs) == {
        "kaynak.programmes.tasks.lapse_offers",
        "kaynak.programmes.tasks.send_reminders",
        "kaynak.programmes.tasks.invite_feedback",
    }
    for path in jobs:
        assert import_string(path).func.__module__ == "kaynak.programmes.tasks"
    # Every five and every ten minutes, hourly.
    five, ten, hourly = (
        jobs[f"kaynak.programmes.tasks.{name}"]
        for name in ("lapse_offers", "send_reminders", "invite_feedback")
    )
    monday = dt.datetime(2027, 3, 1, 10, 0, tzinfo=dt.UTC).replace(tzinfo=None)  # huey: naive
    assert [five(monday + dt.timedelta(minutes=m)) for m in (0, 5, 7)] == [True, True, False]
    assert [ten(monday + dt.timedelta(minutes=m)) for m in (0, 10, 5)] == [True, True, False]
    assert sum(hourly(monday + dt.timedelta(minutes=m)) for m in range(60)) == 1


def test_the_survey_job_mails_those_who_attended_once(smtp_server, run_on_commit):
    ended = ActivityFactory.create()
    session = SessionFactory.create(
        activity=ended,
        starts_at=timezone.now() - dt.timedelta(hours=5),
        ends_at=timezone.now() - dt.timedelta(hours=1),
    )
    came = RegistrationFactory.create(activity=ended, language="en")
    RegistrationFactory.create(activity=ended)  # did not come: no survey
    services.mark_attendance(registration=came, session=session)

    with run_on_commit():
        assert tasks.invite_feedback.call() == 1
    with run_on_commit():
        assert tasks.invite_feedback.call() == 0

    assert subjects(smtp_server) == [(came.email, f"[Resource Center] How was {ended.title}?")]
