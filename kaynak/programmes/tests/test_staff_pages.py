"""The staff pages of activities: who may open them, the dashboard's figures, an activity's
registrations (add, override with a reason, cancel, seats), the activity form with its
sessions, publish, cancel and copy."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from kaynak.accounts.models import Role, User
from kaynak.accounts.tests.factories import StaffFactory, UserFactory
from kaynak.accounts.tests.helpers import url
from kaynak.directory.models import Person
from kaynak.directory.tests.factories import OrganisationFactory, PersonFactory, province
from kaynak.programmes import services
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
    RegistrationFactory,
    SessionFactory,
    activity_with_sessions,
    in_days,
)

pytestmark = pytest.mark.django_db

ISTANBUL = ZoneInfo("Europe/Istanbul")


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def coordinator() -> User:
    return StaffFactory.create(roles=[Role.PROGRAMME_COORDINATOR])


@pytest.fixture
def staff(coordinator: User) -> Client:
    return logged_in(coordinator)


@pytest.fixture
def me_officer() -> Client:
    return logged_in(StaffFactory.create(roles=[Role.ME_OFFICER]))


@pytest.fixture
def mails(monkeypatch) -> list[tuple[int, str]]:
    queued: list[tuple[int, str]] = []
    monkeypatch.setattr(
        services,
        "_mail_on_commit",
        lambda registration, message: queued.append((registration.pk, message)),
    )
    return queued


def sign_up(activity: Activity, person: Person | None = None, **kwargs: Any) -> Registration:
    person = person or PersonFactory.create()
    return services.register(activity=activity, person=person, email=person.emails[0], **kwargs)


# Who may open what ------------------------------------------------------------------------------

READ_PAGES = ["staff-dashboard", "staff-activities", "staff-activity"]
MANAGE_PAGES = [
    "staff-activity-new",
    "staff-activity-edit",
    "staff-activity-cancel",
    "staff-activity-copy",
    "staff-registration-cancel",
    "staff-registrant-search",
]
EXPORTS = ["staff-participants-csv", "staff-participants-xlsx", "staff-signin-sheet"]


def page_url(name: str, activity: Activity, registration: Registration) -> str:
    if name in ("staff-dashboard", "staff-activities", "staff-activity-new"):
        return url(f"programmes:{name}")
    if name == "staff-registration-cancel":
        return url(f"programmes:{name}", registration.pk)
    return url(f"programmes:{name}", activity.pk)


@pytest.fixture
def activity_and_registration() -> tuple[Activity, Registration]:
    activity = activity_with_sessions(2)
    return activity, RegistrationFactory.create(activity=activity)


@pytest.mark.parametrize("name", READ_PAGES + MANAGE_PAGES + EXPORTS)
def test_visitors_are_sent_to_log_in_and_members_get_404(name, activity_and_registration):
    address = page_url(name, *activity_and_registration)

    visitor = Client().get(address)
    assert visitor.status_code == 302
    assert "/hesap/" in visitor["Location"]
    assert logged_in(UserFactory.create()).get(address).status_code == 404
    agent = logged_in(StaffFactory.create(roles=[Role.SUPPORT_AGENT]))
    assert agent.get(address).status_code == 404


@pytest.mark.parametrize("name", READ_PAGES + MANAGE_PAGES + EXPORTS)
def test_a_coordinator_opens_every_page(name, staff, activity_and_registration):
    assert staff.get(page_url(name, *activity_and_registration)).status_code == 200


@pytest.mark.parametrize("name", READ_PAGES + EXPORTS)
def test_an_me_officer_reads_and_exports(name, me_officer, activity_and_registration):
    assert me_officer.get(page_url(name, *activity_and_registration)).status_code == 200


@pytest.mark.parametrize("name", MANAGE_PAGES)
def test_an_me_officer_changes_nothing(name, me_officer, activity_and_registration):
    assert me_officer.get(page_url(name, *activity_and_registration)).status_code == 404


@pytest.mark.parametrize(
    "name",
    ["staff-activity-publish", "staff-activity-capacity", "staff-registration-add"],
)
def test_actions_are_posted_by_those_who_may_only(name, me_officer, activity_and_registration):
    activity, _registration = activity_and_registration
    address = url(f"programmes:{name}", activity.pk)

    assert Client().get(address).status_code == 405
    assert Client().post(address).status_code == 302
    assert me_officer.post(address, {"capacity": "3", "reason": "x"}).status_code == 404
    assert Activity.objects.get(pk=activity.pk).capacity == 20


def test_the_english_pages_live_under_en(staff):
    response = staff.get(url("programmes:staff-dashboard", language="en"))

    assert response.status_code == 200
    assert response.wsgi_request.path.startswith("/en/")
    assertContains(response, "Upcoming sessions")


# The dashboard ----------------------------------------------------------------------------------


def test_the_dashboard_shows_fill_rate_waiting_list_and_attendance(staff, coordinator):
    full = activity_with_sessions(1, title="Savunuculuk Eğitimi", capacity=4)
    for _ in range(6):
        sign_up(full)
    half = activity_with_sessions(1, title="Sosyal Medya", capacity=10, start_in=20)
    for _ in range(5):
        sign_up(half)
    past = activity_with_sessions(1, title="Geçmiş Eğitim", start_in=-5)
    came = [sign_up(past, by=coordinator, override=True, reason="Geç") for _ in range(4)]
    for registration in came[:3]:
        services.mark_attendance(registration=registration, session=past.sessions.get())
    ActivityFactory.create(title="Taslak Atölye", status=ActivityStatus.DRAFT)

    response = staff.get(url("programmes:staff-dashboard", language="en"))

    board = response.context["dashboard"]
    lines = {line.activity.title: line for line in board.upcoming}
    assert (lines["Savunuculuk Eğitimi"].taken, lines["Savunuculuk Eğitimi"].seats) == (4, 4)
    assert lines["Savunuculuk Eğitimi"].fill_percent == 100
    assert lines["Savunuculuk Eğitimi"].waiting == 2
    assert lines["Sosyal Medya"].fill_percent == 50
    assert [line.activity.title for line in board.past] == ["Geçmiş Eğitim"]
    assert (board.past[0].attended, board.past[0].confirmed) == (3, 4)
    assert board.attendance_percent == 75
    assert board.waiting == 2
    assert [activity.title for activity in board.drafts] == ["Taslak Atölye"]
    assertContains(response, "75%")


def test_the_dashboard_costs_the_same_queries_for_many_sessions(staff, django_assert_num_queries):
    def add_activities(count: int) -> None:
        for n in range(count):
            activity = activity_with_sessions(2, capacity=3, start_in=5 + n)
            for _ in range(4):
                sign_up(activity)

    add_activities(2)
    staff.get(url("programmes:staff-dashboard"))  # the center's settings are made once
    # Session, user, TOTP, roles; upcoming and past sessions; drafts; the center's settings.
    with django_assert_num_queries(8) as few:
        staff.get(url("programmes:staff-dashboard"))
    add_activities(6)
    with django_assert_num_queries(len(few.captured_queries)):
        response = staff.get(url("programmes:staff-dashboard"))
    assert len(response.context["dashboard"].upcoming) == 16


# An activity's registrations --------------------------------------------------------------------


def test_the_activity_page_groups_registrations_by_status(staff, coordinator):
    activity = activity_with_sessions(1, capacity=2)
    names = ["Zeynep Şahin", "Çağla Öztürk", "Can Demir", "Deniz Ak", "İlker Işık"]
    registrations = [sign_up(activity, PersonFactory.create(full_name=n)) for n in names]
    services.cancel_registration(registration=registrations[1], by=coordinator, reason="Hasta")

    response = staff.get(url("programmes:staff-activity", activity.pk))

    groups = response.context["groups"]
    assert [r.person.full_name for r in groups.confirmed] == ["Zeynep Şahin"]
    assert [r.person.full_name for r in groups.offered] == ["Can Demir"]
    assert [r.person.full_name for r in groups.waitlisted] == ["Deniz Ak", "İlker Işık"]
    assert [r.person.full_name for r in groups.ended] == ["Çağla Öztürk"]
    assertContains(response, "Hasta")
    offered = groups.offered[0]
    assertContains(response, f"{timezone.localtime(offered.offer_expires_at):%H:%M}")


def test_the_activity_page_links_to_each_sessions_roll_call_and_the_public_page(staff):
    activity = activity_with_sessions(2)

    response = staff.get(url("programmes:staff-activity", activity.pk))

    for session in activity.sessions.all():
        assertContains(response, url("programmes:staff-roll-call", session.pk))
    assertContains(response, url("programmes:activity", activity.slug))
    assertContains(response, url("programmes:staff-signin-sheet", activity.pk))


def test_the_registrations_list_costs_the_same_queries_for_many(staff, django_assert_num_queries):
    activity = activity_with_sessions(2, capacity=3)
    for _ in range(4):
        sign_up(activity)
    address = url("programmes:staff-activity", activity.pk)
    staff.get(address)  # the center's settings are made and content types cached once

    # Session, user, TOTP, roles; the activity, its themes, trainers and sessions; the
    # registrations; the smallest room; the center's settings; the history.
    with django_assert_num_queries(12) as few:
        staff.get(address)
    for _ in range(20):
        registration = sign_up(activity, organisation=OrganisationFactory.create())
    services.cancel_registration(registration=registration, reason="Vazgeçti")
    with django_assert_num_queries(len(few.captured_queries)):
        response = staff.get(address)
    assert response.context["groups"].taken == 3


def test_staff_add_someone_from_the_directory(staff, coordinator, mails):
    activity = activity_with_sessions(1)
    person = PersonFactory.create(full_name="Çiğdem Yıldız", emails=["cigdem@ornek.org"])
    organisation = OrganisationFactory.create(name="Ege Çevre Derneği")

    response = staff.post(
        url("programmes:staff-registration-add", activity.pk),
        {"person": person.pk, "organisation": organisation.pk, "language": "tr"},
    )

    assertRedirects(
        response,
        url("programmes:staff-activity", activity.pk) + "#registrations",
        fetch_redirect_response=False,
    )
    registration = Registration.objects.get(activity=activity, person=person)
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.organisation == organisation
    assert registration.email == "cigdem@ornek.org"
    assert registration.added_by == coordinator
    assert mails == [(registration.pk, "confirmed")]


def test_a_full_activity_refuses_without_override_and_keeps_what_was_typed(staff):
    activity = activity_with_sessions(1, capacity=1, waitlist=False)
    sign_up(activity)
    person = PersonFactory.create(full_name="Şule Kaya")

    response = staff.post(
        url("programmes:staff-registration-add", activity.pk, language="en"),
        {"person": person.pk, "language": "en", "email": "sule@ornek.org", "pq": "şule"},
    )

    assert response.status_code == 400
    assertContains(response, "full and keeps no waiting list", status_code=400)
    assertContains(response, f'value="{person.pk}" checked', status_code=400)
    assertContains(response, 'value="sule@ornek.org"', status_code=400)
    assert not Registration.objects.filter(person=person).exists()


def test_an_override_needs_a_reason_and_then_gives_a_seat(staff, coordinator):
    activity = activity_with_sessions(1, capacity=1, waitlist=False)
    sign_up(activity)
    person = PersonFactory.create()
    address = url("programmes:staff-registration-add", activity.pk)

    refused = staff.post(address, {"person": person.pk, "language": "tr", "override": "on"})
    assert refused.status_code == 400
    assert "reason" in refused.context["add_form"].errors
    assert not Registration.objects.filter(person=person).exists()

    staff.post(
        address,
        {"person": person.pk, "language": "tr", "override": "on", "reason": "Eğitmenin daveti"},
    )
    registration = Registration.objects.get(person=person)
    assert registration.status == RegistrationStatus.CONFIRMED
    assert registration.staff_note == "Eğitmenin daveti"
    assert services.seats_taken(activity) == 2


def test_registering_someone_twice_is_explained_to_staff(staff):
    activity = activity_with_sessions(1)
    registration = sign_up(activity, PersonFactory.create(full_name="Ali Veli"))

    response = staff.post(
        url("programmes:staff-registration-add", activity.pk, language="en"),
        {"person": registration.person.pk, "language": "tr"},
    )

    assertContains(response, "Ali Veli is already registered", status_code=400)


def test_someone_new_is_added_to_the_directory_and_registered(staff):
    activity = activity_with_sessions(1)

    staff.post(
        url("programmes:staff-registration-add", activity.pk),
        {
            "full_name": "Gülşen  Aydın",
            "email": "Gulsen@Ornek.org",
            "phone": "0532 123 45 67",
            "language": "tr",
        },
    )

    person = Person.objects.get(full_name="Gülşen Aydın")
    assert person.emails == ["gulsen@ornek.org"]
    assert person.phones == ["+905321234567"]
    assert Registration.objects.get(person=person).email == "gulsen@ornek.org"


def test_someone_new_who_may_be_known_is_asked_about_first(staff):
    activity = activity_with_sessions(1)
    known = PersonFactory.create(full_name="Gülşen Aydın", emails=["gulsen@ornek.org"])
    data = {"full_name": "Gulsen Aydin", "email": "gulsen@ornek.org", "language": "tr"}
    address = url("programmes:staff-registration-add", activity.pk)

    asked = staff.post(address, data)

    assert asked.status_code == 400
    assert known in asked.context["people_found"]
    assert Person.objects.count() == 1
    staff.post(address, {**data, "new_person": "on"})
    assert Person.objects.count() == 2


def test_a_refused_new_registrant_leaves_no_new_person_behind(staff):
    activity = activity_with_sessions(1, capacity=1, waitlist=False)
    sign_up(activity)

    response = staff.post(
        url("programmes:staff-registration-add", activity.pk),
        {"full_name": "Yeni Kişi", "email": "yeni@ornek.org", "language": "tr"},
    )

    assert response.status_code == 400
    assert not Person.objects.filter(full_name="Yeni Kişi").exists()


def test_the_search_finds_people_and_organisations_with_turkish_letters_folded(staff):
    activity = activity_with_sessions(1)
    PersonFactory.create(full_name="Çağla İnce")
    OrganisationFactory.create(name="Işık Gençlik Derneği")
    address = url("programmes:staff-registrant-search", activity.pk)

    people = staff.get(address, {"pq": "CAGLA ince"}, headers={"HX-Request": "true"})
    organisations = staff.get(address, {"oq": "isik genc"}, headers={"HX-Request": "true"})

    assertContains(people, "Çağla İnce")
    assertNotContains(people, "<html")
    assertContains(organisations, "Işık Gençlik Derneği")


def test_cancelling_a_registration_needs_a_reason_and_frees_the_seat(staff, mails):
    activity = activity_with_sessions(1, capacity=1)
    holder, waiting = sign_up(activity), sign_up(activity)
    address = url("programmes:staff-registration-cancel", holder.pk, language="en")

    assertContains(staff.post(address, {"reason": "  "}), "Say why", status_code=400)
    assert Registration.objects.get(pk=holder.pk).status == RegistrationStatus.CONFIRMED

    staff.post(address, {"reason": "Kurum başka birini gönderiyor"})

    holder.refresh_from_db()
    waiting.refresh_from_db()
    assert holder.status == RegistrationStatus.CANCELLED
    assert holder.staff_note == "Kurum başka birini gönderiyor"
    assert waiting.status == RegistrationStatus.OFFERED
    assert (waiting.pk, "offered") in mails


def test_more_seats_go_to_the_waiting_list_and_a_bad_number_is_explained(staff):
    activity = activity_with_sessions(1, capacity=1)
    sign_up(activity)
    waiting = sign_up(activity)
    address = url("programmes:staff-activity-capacity", activity.pk)

    refused = staff.post(address, {"capacity": "0"})
    assert refused.status_code == 400
    assert "capacity" in refused.context["capacity_form"].errors

    staff.post(address, {"capacity": "2"})
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.OFFERED
    assert Activity.objects.get(pk=activity.pk).capacity == 2


# The activity form ------------------------------------------------------------------------------


def activity_data(
    programme_pk: int, sessions: list[dict[str, Any]], **fields: Any
) -> dict[str, Any]:
    data: dict[str, Any] = {
        "programme": programme_pk,
        "kind": "training",
        "title": "Gönüllü Yönetimi",
        "slug": "",
        "language": "tr",
        "registration_required": "on",
        "capacity": "25",
        "waitlist": "on",
        "offer_hours": "48",
        "completion_percent": "80",
        "certificates": "on",
        "feedback": "on",
        "questions": "*? Yönetim kurulunda mısınız?\nBeklentiniz nedir?",
        "sessions-TOTAL_FORMS": str(len(sessions)),
        "sessions-INITIAL_FORMS": str(sum(1 for s in sessions if s.get("id"))),
        "sessions-MIN_NUM_FORMS": "1",
        "sessions-MAX_NUM_FORMS": "1000",
        **fields,
    }
    for index, session in enumerate(sessions):
        for key, value in session.items():
            data[f"sessions-{index}-{key}"] = value
    return data


def test_staff_create_a_draft_with_sessions_and_questions(staff):
    programme = ProgrammeFactory.create()

    response = staff.post(
        url("programmes:staff-activity-new"),
        activity_data(
            programme.pk,
            [
                {"starts_at": "2027-05-10T09:30", "ends_at": "2027-05-10T17:00", "province": 35},
                {"starts_at": "2027-05-11T10:00", "ends_at": "2027-05-11T12:00", "online": "on"},
                {},
            ],
        ),
    )

    activity = Activity.objects.get(title="Gönüllü Yönetimi")
    assertRedirects(
        response, url("programmes:staff-activity", activity.pk), fetch_redirect_response=False
    )
    assert activity.status == ActivityStatus.DRAFT
    assert activity.slug == "gonullu-yonetimi"
    starts = [timezone.localtime(s.starts_at, ISTANBUL) for s in activity.sessions.all()]
    assert starts == [
        dt.datetime(2027, 5, 10, 9, 30, tzinfo=ISTANBUL),
        dt.datetime(2027, 5, 11, 10, 0, tzinfo=ISTANBUL),
    ]
    assert activity.questions == [
        {
            "key": "yonetim-kurulunda-misiniz",
            "text": "Yönetim kurulunda mısınız?",
            "text_en": "",
            "required": True,
            "kind": "yes-no",
        },
        {
            "key": "beklentiniz-nedir",
            "text": "Beklentiniz nedir?",
            "text_en": "",
            "required": False,
            "kind": "text",
        },
    ]


def test_a_session_ending_before_it_starts_is_explained_and_nothing_saved(staff):
    programme = ProgrammeFactory.create()

    response = staff.post(
        url("programmes:staff-activity-new"),
        activity_data(
            programme.pk,
            [{"starts_at": "2027-05-10T17:00", "ends_at": "2027-05-10T09:00", "province": 35}],
            title="Kaybolmayan Başlık",
        ),
    )

    assert response.status_code == 400
    assert response.context["formset"].forms[0].errors["ends_at"]
    assertContains(response, 'value="Kaybolmayan Başlık"', status_code=400)
    assertContains(response, 'value="2027-05-10T17:00"', status_code=400)
    assert not Activity.objects.filter(title="Kaybolmayan Başlık").exists()


def test_an_activity_without_sessions_is_refused(staff):
    response = staff.post(
        url("programmes:staff-activity-new", language="en"),
        activity_data(ProgrammeFactory.create().pk, [{}]),
    )

    assert response.status_code == 400
    assertContains(response, "at least one session", status_code=400)


def test_moving_a_session_in_the_form_tells_each_registrant_once(staff, mails):
    activity = activity_with_sessions(2, capacity=5)
    registrations = [sign_up(activity) for _ in range(3)]
    mails.clear()
    first, second = activity.sessions.all()
    edit = staff.get(url("programmes:staff-activity-edit", activity.pk))
    rows = [dict(edit.context["formset"].forms[i].initial) for i in range(2)]

    def row(values: dict[str, Any], **changes: Any) -> dict[str, Any]:
        local = {
            key: timezone.localtime(value).strftime("%Y-%m-%dT%H:%M")
            if isinstance(value, dt.datetime)
            else value
            for key, value in values.items()
            if value not in (None, "")
        }
        local.pop("online", None)
        return {**local, **changes}

    new_start = timezone.localtime(first.starts_at) + dt.timedelta(days=1)
    response = staff.post(
        url("programmes:staff-activity-edit", activity.pk),
        activity_data(
            activity.programme_id,
            [
                row(
                    rows[0],
                    starts_at=new_start.strftime("%Y-%m-%dT%H:%M"),
                    ends_at=(new_start + dt.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
                ),
                row(rows[1], venue="Yeni Salon"),
                {},
            ],
            title=activity.title,
            slug=activity.slug,
            capacity="5",
        ),
    )

    assert response.status_code == 302
    first.refresh_from_db()
    assert first.starts_at == new_start
    assert Session.objects.get(pk=second.pk).venue == "Yeni Salon"
    assert sorted(mails) == sorted((r.pk, "changed") for r in registrations)


def test_a_session_row_is_removed_with_its_box(staff, mails):
    activity = activity_with_sessions(2)
    first, second = activity.sessions.all()
    data = activity_data(
        activity.programme_id,
        [
            {
                "id": first.pk,
                "starts_at": timezone.localtime(first.starts_at).strftime("%Y-%m-%dT%H:%M"),
                "ends_at": timezone.localtime(first.ends_at).strftime("%Y-%m-%dT%H:%M"),
                "province": first.province_id,
                "venue": first.venue,
            },
            {"id": second.pk, "DELETE": "on"},
        ],
        title=activity.title,
        slug=activity.slug,
        capacity=str(activity.capacity),
    )

    response = staff.post(url("programmes:staff-activity-edit", activity.pk), data)

    assert response.status_code == 302
    assert list(activity.sessions.all()) == [first]


def test_publish_and_cancel_from_the_activity_page(staff, mails):
    activity = activity_with_sessions(1, status=ActivityStatus.DRAFT)
    staff.post(url("programmes:staff-activity-publish", activity.pk))
    assert Activity.objects.get(pk=activity.pk).status == ActivityStatus.PUBLISHED
    registration = sign_up(activity)
    address = url("programmes:staff-activity-cancel", activity.pk)

    assert staff.post(address, {"reason": ""}).status_code == 400
    staff.post(address, {"reason": "Salon kapandı"})

    assert Activity.objects.get(pk=activity.pk).status == ActivityStatus.CANCELLED
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED
    assert registration.staff_note == "Salon kapandı"
    edit = staff.get(url("programmes:staff-activity-edit", activity.pk))
    assertRedirects(edit, url("programmes:staff-activity", activity.pk))


def test_copying_from_the_page_opens_the_copy_to_check(staff):
    activity = ActivityFactory.create(title="Hibe Yazımı")
    SessionFactory.create(activity=activity, starts_at=in_days(3, hour=9))
    day = timezone.localdate() + dt.timedelta(days=30)

    past = staff.post(
        url("programmes:staff-activity-copy", activity.pk),
        {"first_day": (timezone.localdate() - dt.timedelta(days=1)).isoformat()},
    )
    assert past.status_code == 400
    response = staff.post(
        url("programmes:staff-activity-copy", activity.pk),
        {"first_day": day.isoformat(), "province": "27", "title": "Hibe Yazımı"},
    )

    copy = Activity.objects.get(copied_from=activity)
    assertRedirects(
        response,
        url("programmes:staff-activity-edit", copy.pk),
        fetch_redirect_response=False,
    )
    session = copy.sessions.get()
    assert timezone.localtime(session.starts_at).date() == day
    assert timezone.localtime(session.starts_at).hour == 9
    assert session.province == province(27)
