"""The catalogue's verbs: creating and changing activities with their sessions, publishing,
cancelling, copying to a new date and province, changing seats — and who is told."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from kaynak.accounts.tests.factories import StaffFactory
from kaynak.core.audit import history_for
from kaynak.directory.tests.factories import PersonFactory, province
from kaynak.programmes import catalogue, services
from kaynak.programmes.catalogue import CatalogueError, SessionEdit
from kaynak.programmes.models import (
    Activity,
    ActivityStatus,
    Registration,
    RegistrationStatus,
    Session,
)
from kaynak.programmes.tests.factories import (
    ActivityFactory,
    ProgrammeFactory,
    SessionFactory,
    TrainerFactory,
    activity_with_sessions,
    in_days,
)

pytestmark = pytest.mark.django_db

ISTANBUL = ZoneInfo("Europe/Istanbul")


@pytest.fixture
def mails(monkeypatch) -> list[tuple[int, str]]:
    """The registrants' mails the catalogue queues: (registration id, message)."""
    queued: list[tuple[int, str]] = []
    monkeypatch.setattr(
        services,
        "_mail_on_commit",
        lambda registration, message: queued.append((registration.pk, message)),
    )
    return queued


@pytest.fixture
def coordinator():
    return StaffFactory.create()


def sign_up(activity, **kwargs) -> Registration:
    person = PersonFactory.create()
    return services.register(activity=activity, person=person, email=person.emails[0], **kwargs)


def at(day: int, hour: int, minute: int = 0, month: int = 3, year: int = 2027) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=ISTANBUL)


# Creating and publishing ------------------------------------------------------------------------


def test_a_new_activity_is_a_draft_with_its_sessions_and_a_folded_address(coordinator):
    trainer = TrainerFactory.create()

    activity = catalogue.activity_create(
        by=coordinator,
        programme=ProgrammeFactory.create(),
        title="Işık Çağrısı: Gönüllü Yönetimi",
        trainers=[trainer],
        capacity=25,
        sessions=[
            {"starts_at": at(12, 10), "ends_at": at(12, 16), "province": province(35)},
            {"starts_at": at(13, 10), "ends_at": at(13, 13), "online": True},
        ],
    )

    assert activity.status == ActivityStatus.DRAFT
    assert activity.slug == "isik-cagrisi-gonullu-yonetimi"
    assert list(activity.trainers.all()) == [trainer]
    assert [s.hours for s in activity.sessions.all()] == [6, 3]
    assert history_for(activity)[0].action == "kaynak.programmes.activity.created"


def test_a_taken_address_gets_a_number():
    ActivityFactory.create(slug="proje-dongusu")
    ActivityFactory.create(slug="proje-dongusu-2")

    assert catalogue.unique_slug("Proje Döngüsü") == "proje-dongusu-3"


def test_an_in_person_session_needs_a_province_and_nothing_is_written_without_it(coordinator):
    with pytest.raises(CatalogueError) as refused:
        catalogue.activity_create(
            by=coordinator,
            programme=ProgrammeFactory.create(),
            title="Savunuculuk",
            sessions=[{"starts_at": at(12, 10), "ends_at": at(12, 16)}],
        )

    assert refused.value.code == "session_province"
    assert not Activity.objects.filter(title="Savunuculuk").exists()


def test_publishing_needs_a_session_and_sets_the_time(coordinator):
    empty = ActivityFactory.create(status=ActivityStatus.DRAFT, published_at=None)
    with pytest.raises(CatalogueError):
        catalogue.activity_publish(activity=empty, by=coordinator)

    SessionFactory.create(activity=empty)
    published = catalogue.activity_publish(activity=empty, by=coordinator)

    assert published.status == ActivityStatus.PUBLISHED
    assert published.published_at is not None


def test_a_cancelled_activity_is_not_published_again(coordinator):
    activity = activity_with_sessions(1, status=ActivityStatus.CANCELLED)

    with pytest.raises(CatalogueError) as refused:
        catalogue.activity_publish(activity=activity, by=coordinator)

    assert refused.value.code == "cancelled"


# Changing sessions: who is told -----------------------------------------------------------------


def test_moving_a_session_queues_one_changed_mail_per_active_registrant(coordinator, mails):
    activity = activity_with_sessions(2, capacity=1)
    confirmed = sign_up(activity)
    waiting = sign_up(activity)
    gone = sign_up(activity)
    services.cancel_registration(registration=gone, reason="Katılamıyor")
    mails.clear()
    first, second = activity.sessions.all()

    catalogue.activity_update(
        activity=activity,
        by=coordinator,
        sessions=[
            SessionEdit(first, {"starts_at": first.starts_at + dt.timedelta(hours=1)}),
            SessionEdit(second, {"venue": "Kadıköy Halk Eğitim Merkezi"}),
        ],
    )

    assert sorted(mails) == sorted([(confirmed.pk, "changed"), (waiting.pk, "changed")])
    entry = history_for(activity)[0]
    assert entry.action == "kaynak.programmes.activity.changed"
    assert [change["fields"] for change in entry.data["sessions"]] == [["starts_at"], ["venue"]]


def test_a_change_registrants_need_not_know_sends_nothing(coordinator, mails):
    activity = activity_with_sessions(1)
    sign_up(activity)
    mails.clear()
    session = activity.sessions.get()

    catalogue.session_change(
        session=session, by=coordinator, recording_url="https://video.example.org/kayit"
    )
    catalogue.session_change(session=session, by=coordinator, venue=session.venue)

    assert mails == []
    assert Session.objects.get(pk=session.pk).recording_url == "https://video.example.org/kayit"


def test_a_new_link_is_a_change_registrants_hear_of(coordinator, mails):
    activity = activity_with_sessions(1)
    registration = sign_up(activity)
    mails.clear()

    catalogue.session_change(
        session=activity.sessions.get(),
        by=coordinator,
        online=True,
        meeting_url="https://meet.example.org/yeni",
    )

    assert mails == [(registration.pk, "changed")]


def test_a_bad_session_row_leaves_the_whole_edit_unwritten(coordinator, mails):
    activity = activity_with_sessions(2)
    sign_up(activity)
    first, second = activity.sessions.all()
    before = (first.starts_at, second.ends_at)

    with pytest.raises(CatalogueError):
        catalogue.activity_update(
            activity=activity,
            by=coordinator,
            title="Yeni başlık",
            sessions=[
                SessionEdit(first, {"starts_at": first.starts_at + dt.timedelta(hours=1)}),
                SessionEdit(second, {"ends_at": second.starts_at - dt.timedelta(hours=1)}),
            ],
        )

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.starts_at, second.ends_at) == before
    assert Activity.objects.get(pk=activity.pk).title != "Yeni başlık"


def test_a_session_someone_attended_is_not_removed(coordinator):
    activity = activity_with_sessions(2, start_in=-3)
    registration = sign_up(activity, by=coordinator, override=True, reason="Geç kayıt")
    attended = activity.sessions.all()[0]
    services.mark_attendance(registration=registration, session=attended)

    with pytest.raises(CatalogueError) as refused:
        catalogue.session_remove(session=attended, by=coordinator)

    assert refused.value.code == "session_attended"
    assert Session.objects.filter(pk=attended.pk).exists()


def test_a_published_activity_keeps_one_session(coordinator):
    activity = activity_with_sessions(1)

    with pytest.raises(CatalogueError) as refused:
        catalogue.session_remove(session=activity.sessions.get(), by=coordinator)

    assert refused.value.code == "last_session"


def test_a_bigger_room_offers_its_seats_to_the_waiting_list(coordinator, mails):
    activity = ActivityFactory.create(capacity=10)
    SessionFactory.create(activity=activity, capacity=1)
    sign_up(activity)
    waiting = sign_up(activity)

    catalogue.session_change(session=activity.sessions.get(), by=coordinator, capacity=2)

    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.OFFERED


# Seats and cancelling ---------------------------------------------------------------------------


def test_more_seats_are_offered_at_once_and_fewer_take_no_seat_away(coordinator):
    activity = activity_with_sessions(1, capacity=1)
    first = sign_up(activity)
    second, third = sign_up(activity), sign_up(activity)

    offers = catalogue.activity_set_capacity(activity=activity, capacity=2, by=coordinator)
    assert [offer.pk for offer in offers] == [second.pk]

    assert catalogue.activity_set_capacity(activity=activity, capacity=1, by=coordinator) == []
    assert Registration.objects.get(pk=first.pk).status == RegistrationStatus.CONFIRMED
    assert Registration.objects.get(pk=second.pk).status == RegistrationStatus.OFFERED
    assert Registration.objects.get(pk=third.pk).status == RegistrationStatus.WAITLISTED


def test_cancelling_an_activity_cancels_everyone_with_the_reason_and_offers_nothing(
    coordinator, mails
):
    activity = activity_with_sessions(1, capacity=1)
    registrations = [sign_up(activity) for _ in range(3)]
    mails.clear()

    with pytest.raises(CatalogueError):
        catalogue.activity_cancel(activity=activity, by=coordinator, reason="  ")
    catalogue.activity_cancel(activity=activity, by=coordinator, reason="Eğitmen hastalandı")

    assert Activity.objects.get(pk=activity.pk).status == ActivityStatus.CANCELLED
    for registration in registrations:
        registration.refresh_from_db()
        assert registration.status == RegistrationStatus.CANCELLED
        assert registration.staff_note == "Eğitmen hastalandı"
    assert sorted(message for _pk, message in mails) == ["cancelled"] * 3


# Copying ----------------------------------------------------------------------------------------


def test_a_copy_keeps_each_sessions_time_of_day_and_distance_from_the_first(coordinator):
    activity = ActivityFactory.create(
        title="Mali Yönetim",
        registration_closes_at=at(10, 17),
        questions=[{"key": "yk", "text": "Yönetim kurulunda mısınız?", "required": True}],
    )
    activity.trainers.add(TrainerFactory.create())
    SessionFactory.create(activity=activity, starts_at=at(12, 9, 30), ends_at=at(12, 17))
    SessionFactory.create(activity=activity, starts_at=at(15, 13), ends_at=at(15, 16, 45))
    registration = sign_up(activity, by=coordinator, override=True, reason="Erken kayıt")

    copy = catalogue.activity_copy(
        activity=activity, first_day=dt.date(2027, 10, 4), province=province(21), by=coordinator
    )

    sessions = [
        (timezone.localtime(s.starts_at, ISTANBUL), timezone.localtime(s.ends_at, ISTANBUL))
        for s in copy.sessions.all()
    ]
    assert [(start.date(), start.time(), end.time()) for start, end in sessions] == [
        (dt.date(2027, 10, 4), dt.time(9, 30), dt.time(17, 0)),
        (dt.date(2027, 10, 7), dt.time(13, 0), dt.time(16, 45)),
    ]
    assert {s.province_id for s in copy.sessions.all()} == {21}
    assert {s.venue for s in copy.sessions.all()} == {""}
    assert copy.status == ActivityStatus.DRAFT
    assert copy.copied_from == activity
    assert copy.slug == "mali-yonetim-diyarbakir-2027-10-04"
    assert copy.title == "Mali Yönetim"
    assert copy.questions == activity.questions
    assert list(copy.trainers.all()) == list(activity.trainers.all())
    assert timezone.localtime(copy.registration_closes_at, ISTANBUL) == at(2, 17, month=10)
    assert not copy.registrations.exists()
    assert registration.activity == activity


def test_a_copy_leaves_online_sessions_online_and_takes_a_new_title(coordinator):
    activity = ActivityFactory.create()
    SessionFactory.create(
        activity=activity,
        starts_at=in_days(3, hour=14),
        online=True,
        province=None,
        meeting_url="https://meet.example.org/x",
        recording_url="https://video.example.org/eski",
    )

    copy = catalogue.activity_copy(
        activity=activity,
        first_day=timezone.localdate() + dt.timedelta(days=40),
        province=province(6),
        title="Dijital Güvenlik (Ankara)",
        by=coordinator,
    )

    session = copy.sessions.get()
    assert session.online
    assert session.province is None
    assert session.meeting_url == "https://meet.example.org/x"
    assert session.recording_url == ""
    assert copy.title == "Dijital Güvenlik (Ankara)"
    assert timezone.localtime(session.starts_at).hour == 14
