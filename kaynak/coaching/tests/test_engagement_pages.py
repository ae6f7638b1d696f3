"""The engagement pages: who may open them (a coach only their own, an NGO admin their
organisation's, read only and without the coach's notes), the staff list with filters and a
bounded number of queries, opening an engagement and a round, the plan edited inline (errors next
to the field, what was typed kept), sessions, exports and the organisation-page panel."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.utils import timezone, translation
from django.utils.translation import gettext
from openpyxl import load_workbook
from pytest_django.asserts import assertContains, assertNotContains
from pytest_django.fixtures import DjangoAssertNumQueries

from kaynak.accounts.models import Role, User
from kaynak.accounts.tests.factories import StaffFactory, UserFactory
from kaynak.accounts.tests.helpers import url
from kaynak.coaching import engagements
from kaynak.coaching.models import Action, CoachingRound, CoachingSession, Engagement
from kaynak.coaching.panels import PANEL_TEMPLATE
from kaynak.coaching.scores import DimensionChange
from kaynak.coaching.tests.engagement_helpers import assessed, coach, ngo_admin
from kaynak.coaching.tests.factories import ActionFactory, EngagementFactory, small_instrument
from kaynak.coaching.views import engagements as views
from kaynak.directory.tests.factories import OrganisationFactory, PersonFactory
from kaynak.programmes.tests.factories import ProgrammeFactory

pytestmark = pytest.mark.django_db


def tr(text: str) -> str:
    """``text`` as the Turkish pages show it."""
    with translation.override("tr"):
        return gettext(text)


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


def with_session(engagement: Engagement, **kwargs: object) -> CoachingSession:
    values: dict[str, object] = {
        "starts_at": timezone.now() - dt.timedelta(days=3),
        "minutes": 90,
        "mode": "online",
        "coach_notes": "Yönetim kurulu içinde gerilim var; dikkat.",
        "shared_notes": "Mali prosedür taslağı birlikte okundu.",
        "follow_ups": "Sayman taslağı tamamlayacak.",
        "actor": None,
        **kwargs,
    }
    return engagements.session_log(engagement=engagement, **values)  # type: ignore[arg-type]


# Who sees what ----------------------------------------------------------------------------------


def test_a_member_without_a_role_gets_404_on_the_staff_pages() -> None:
    client = logged_in(UserFactory.create())
    for name in ["coaching:staff", "coaching:staff-rounds", "coaching:staff-new"]:
        assert client.get(url(name)).status_code == 404


def test_staff_pages_open_in_turkish_and_english(staff: Client) -> None:
    for language in ["tr", "en"]:
        for name in ["coaching:staff", "coaching:staff-rounds", "coaching:staff-new"]:
            assert staff.get(url(name, language=language)).status_code == 200


def test_a_coach_sees_only_their_engagements_and_404_for_another() -> None:
    the_coach = coach()
    theirs = EngagementFactory.create(coach=the_coach)
    another = EngagementFactory.create(coach=coach())
    client = logged_in(the_coach)

    listing = client.get(url("coaching:staff"))

    assertContains(listing, theirs.organisation.name)
    assertNotContains(listing, another.organisation.name)
    assertNotContains(listing, 'name="coach"')  # no list of the other coaches
    assert client.get(url("coaching:engagement", theirs.code)).status_code == 200
    for name in ["coaching:engagement", "coaching:plan-pdf", "coaching:engagement-edit"]:
        assert client.get(url(name, another.code)).status_code == 404
    assert client.post(url("coaching:action-new", another.code), {}).status_code == 404


def test_an_ngo_admin_sees_shared_notes_but_not_the_coachs_notes_and_cannot_edit() -> None:
    engagement = EngagementFactory.create(coach=coach())
    with_session(engagement)
    ActionFactory.create(engagement=engagement, title="Mali prosedür el kitabı")
    client = logged_in(ngo_admin(engagement.organisation))

    page = client.get(url("coaching:engagement", engagement.code))

    assertContains(page, "Mali prosedür taslağı birlikte okundu.")
    assertContains(page, "Sayman taslağı tamamlayacak.")
    assertContains(page, "Mali prosedür el kitabı")
    assertNotContains(page, "Yönetim kurulu içinde gerilim var")
    assertNotContains(page, url("coaching:action-new", engagement.code))
    assert client.post(url("coaching:action-new", engagement.code), {}).status_code == 404
    assert client.get(url("coaching:session-new", engagement.code)).status_code == 404


def test_the_coach_sees_their_notes() -> None:
    engagement = EngagementFactory.create(coach=coach())
    with_session(engagement)

    page = logged_in(engagement.coach).get(url("coaching:engagement", engagement.code))  # type: ignore[arg-type]

    assertContains(page, "Yönetim kurulu içinde gerilim var")


def test_another_organisations_admin_gets_404() -> None:
    engagement = EngagementFactory.create()
    client = logged_in(ngo_admin(OrganisationFactory.create()))
    assert client.get(url("coaching:engagement", engagement.code)).status_code == 404


def test_my_engagements_lists_a_coachs_and_an_ngo_admins() -> None:
    the_coach = coach()
    coached = EngagementFactory.create(coach=the_coach)
    other = EngagementFactory.create()

    coach_page = logged_in(the_coach).get(url("coaching:mine"))
    admin_page = logged_in(ngo_admin(other.organisation)).get(url("coaching:mine"))

    assertContains(coach_page, coached.organisation.name)
    assertNotContains(coach_page, other.organisation.name)
    assertContains(admin_page, other.organisation.name)
    assertNotContains(admin_page, coached.organisation.name)


# The staff list ---------------------------------------------------------------------------------


def staff_list_queries(
    staff: Client, engagements: int, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    instrument = small_instrument()
    for _ in range(engagements):
        engagement = EngagementFactory.create(instrument=instrument, coach=coach())
        ActionFactory.create(engagement=engagement, status="done")
        ActionFactory.create(engagement=engagement)
        with_session(engagement, participants=[PersonFactory.create()])
    with django_assert_num_queries(11):
        response = staff.get(url("coaching:staff"))
    assert response.status_code == 200


@pytest.mark.parametrize("count", [2, 6])
def test_the_staff_list_takes_the_same_queries_for_any_number_of_engagements(
    staff: Client, count: int, django_assert_num_queries: DjangoAssertNumQueries
) -> None:
    staff_list_queries(staff, count, django_assert_num_queries)


def test_the_staff_list_shows_plan_progress_sessions_and_hours_and_filters(staff: Client) -> None:
    active = EngagementFactory.create()
    ActionFactory.create(engagement=active, status="done")
    ActionFactory.create(engagement=active, status="todo")
    with_session(active, minutes=90)
    with_session(active, minutes=60)
    planned = EngagementFactory.create(status="planned")

    page = staff.get(url("coaching:staff"), {"status": "active"})

    assertContains(page, active.organisation.name)
    assertNotContains(page, planned.organisation.name)
    body = page.content.decode()
    row = body[body.index(active.organisation.name) :]
    assert "1 / 2" in row
    assert '<td class="number">2</td>' in row  # sessions
    assert '<td class="number">2,5</td>' in row  # hours (Turkish decimal comma)


def test_the_staff_list_answers_htmx_with_the_results_only(staff: Client) -> None:
    EngagementFactory.create()
    page = staff.get(url("coaching:staff"), HTTP_HX_REQUEST="true")
    assertContains(page, 'id="results"')
    assertNotContains(page, "<html")


def test_the_staff_export_has_one_row_per_engagement(staff: Client) -> None:
    engagement = EngagementFactory.create()
    with_session(engagement, minutes=90)

    response = staff.get(url("coaching:staff-xlsx"))

    rows = list(
        load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True)
    )
    assert len(rows) == 2
    assert rows[1][0] == engagement.code
    assert rows[1][1] == engagement.organisation.name
    assert rows[1][-2:] == (1, 1.5)


def test_a_coach_cannot_download_the_staff_export() -> None:
    assert logged_in(coach()).get(url("coaching:staff-xlsx")).status_code == 404


# Opening engagements and rounds -----------------------------------------------------------------


def test_staff_find_an_organisation_and_open_an_engagement(staff: Client) -> None:
    organisation = OrganisationFactory.create(name="Kıyı Kadın Dayanışma Derneği")
    search = staff.get(url("coaching:staff-new"), {"q": "kiyi kadin"})
    assertContains(search, "Kıyı Kadın Dayanışma Derneği")

    the_coach = coach()
    response = staff.post(
        url("coaching:staff-new"),
        {
            "organisation": organisation.pk,
            "coach": the_coach.pk,
            "starts_on": "2026-03-01",
            "ends_on": "2026-09-30",
            "goals": "Gönüllü yönetimi",
        },
    )

    engagement = Engagement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("coaching:engagement", engagement.code)
    assert (engagement.organisation, engagement.coach) == (organisation, the_coach)


def test_a_refused_opening_keeps_what_was_typed(staff: Client) -> None:
    organisation = OrganisationFactory.create()
    response = staff.post(
        url("coaching:staff-new"),
        {
            "organisation": organisation.pk,
            "starts_on": "2026-09-30",
            "ends_on": "2026-03-01",
            "goals": "Gönüllü yönetimi planı",
        },
    )
    assertContains(response, tr("The end date must not be before the start date."))
    assertContains(response, "Gönüllü yönetimi planı")
    assert not Engagement.objects.exists()


def test_staff_create_a_round(staff: Client) -> None:
    instrument = small_instrument()
    response = staff.post(
        url("coaching:staff-rounds"),
        {
            "name": "Örgütsel Mentorluk 2026",
            "programme": ProgrammeFactory.create().pk,
            "instrument": instrument.pk,
            "starts_on": "2026-03-01",
            "ends_on": "2026-09-30",
        },
    )
    assert response.status_code == 302
    assert CoachingRound.objects.get().slug == "orgutsel-mentorluk-2026"
    assertContains(staff.get(url("coaching:staff-rounds")), "Örgütsel Mentorluk 2026")


# The engagement's page --------------------------------------------------------------------------


def test_the_page_shows_the_score_change_and_links_the_assessments(staff: Client) -> None:
    engagement = EngagementFactory.create()
    baseline = assessed(engagement, kind="coach", stage="baseline", gov=(1, 2), fin=(2, 2))
    assessed(engagement, kind="coach", stage="final", gov=(3, 3), fin=(2, 3))

    page = staff.get(url("coaching:engagement", engagement.code, language="en"))

    assertContains(page, '<td class="number">+1.50</td>')
    assertContains(page, '<td class="number">+0.50</td>')
    assertContains(page, url("coaching:assessment", baseline.pk, language="en"))
    assertContains(page, "stage=final&amp;kind=coach")


def test_the_chart_draws_the_baseline_and_the_final() -> None:
    changes = [
        DimensionChange(key, key.upper(), Decimal("1.50"), Decimal("3.00"), Decimal("1.50"))
        for key in ["gov", "fin", "hr"]
    ]

    with translation.override("en"):
        chart = views._chart(changes)

    assert chart.count('<polygon class="series"') == 2
    assert "<title>Baseline</title>" in chart
    assert "<title>Final</title>" in chart
    assert views._chart(changes[:2]) == ""  # a radar needs three axes


def test_an_action_without_an_owner_is_refused_next_to_the_field_keeping_the_title() -> None:
    engagement = EngagementFactory.create(coach=coach())
    client = logged_in(engagement.coach)  # type: ignore[arg-type]
    dimension = engagement.instrument.dimensions.get(key="fin")

    response = client.post(
        url("coaching:action-new", engagement.code),
        {"title": "Muhasebe yazılımına geçiş", "dimension": dimension.pk, "owner": "",
         "status": "todo"},
        HTTP_HX_REQUEST="true",
    )  # fmt: skip

    assert response.status_code == 200
    assertContains(response, tr("Every action needs an owner: a person or a role."))
    assertContains(response, 'value="Muhasebe yazılımına geçiş"')
    assertNotContains(response, "<html")
    assert not Action.objects.exists()


def test_the_coach_adds_and_edits_an_action_inline() -> None:
    engagement = EngagementFactory.create(coach=coach())
    client = logged_in(engagement.coach)  # type: ignore[arg-type]
    dimension = engagement.instrument.dimensions.get(key="gov")

    added = client.post(
        url("coaching:action-new", engagement.code),
        {"title": "İç yönerge", "dimension": dimension.pk, "owner": "Başkan", "status": "todo"},
        HTTP_HX_REQUEST="true",
    )
    action = Action.objects.get()
    assertContains(added, "İç yönerge")
    editing = client.get(
        url("coaching:action-edit", engagement.code, action.pk), HTTP_HX_REQUEST="true"
    )
    assertContains(editing, 'value="Başkan"')
    client.post(
        url("coaching:action-edit", engagement.code, action.pk),
        {"title": "İç yönerge", "dimension": dimension.pk, "owner": "Başkan", "status": "done"},
        HTTP_HX_REQUEST="true",
    )

    action.refresh_from_db()
    assert (action.status, action.done_on) == ("done", timezone.localdate())


def test_a_session_in_the_future_is_refused_next_to_the_date_keeping_the_notes() -> None:
    engagement = EngagementFactory.create(coach=coach())
    client = logged_in(engagement.coach)  # type: ignore[arg-type]
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    response = client.post(
        url("coaching:session-new", engagement.code),
        {"date": tomorrow.isoformat(), "time": "10:00", "minutes": "90", "mode": "online",
         "shared_notes": "Bağışçı listesi çıkarılacak."},
    )  # fmt: skip

    assertContains(response, tr("Log a session once it has taken place."))
    assertContains(response, "Bağışçı listesi çıkarılacak.")
    assert not CoachingSession.objects.exists()


def test_the_coach_logs_a_session_with_participants_of_the_organisation() -> None:
    engagement = EngagementFactory.create(coach=coach())
    member = PersonFactory.create()
    member.affiliations.create(organisation=engagement.organisation, role="Sayman")
    client = logged_in(engagement.coach)  # type: ignore[arg-type]
    yesterday = timezone.localdate() - dt.timedelta(days=1)

    response = client.post(
        url("coaching:session-new", engagement.code),
        {"date": yesterday.isoformat(), "time": "14:00", "minutes": "120", "mode": "in-person",
         "participants": [member.pk], "coach_notes": "", "shared_notes": "", "follow_ups": ""},
    )  # fmt: skip

    assert response.status_code == 302
    session = CoachingSession.objects.get()
    assert list(session.participants.all()) == [member]
    assert timezone.localtime(session.starts_at).hour == 14


# Exports ----------------------------------------------------------------------------------------


def test_the_plan_opens_as_pdf_and_xlsx() -> None:
    engagement = EngagementFactory.create()
    ActionFactory.create(engagement=engagement, title="=Bütçe tablosu", owner="Sayman")
    assessed(engagement, kind="coach", stage="baseline", gov=(1, 2), fin=(2, 2))
    assessed(engagement, kind="coach", stage="final", gov=(3, 3), fin=(2, 3))
    client = logged_in(ngo_admin(engagement.organisation))

    pdf = client.get(url("coaching:plan-pdf", engagement.code))
    xlsx = client.get(url("coaching:plan-xlsx", engagement.code))

    assert pdf.content.startswith(b"%PDF")
    workbook = load_workbook(io.BytesIO(xlsx.content))
    plan, change = workbook.worksheets
    rows = list(plan.iter_rows(values_only=True))
    assert rows[1][1:3] == ("=Bütçe tablosu", "Sayman")
    assert plan.cell(row=2, column=2).data_type == "s"
    assert list(change.iter_rows(values_only=True))[1][1:] == (1.5, 3.0, 1.5)


# The organisation's page ------------------------------------------------------------------------


def panel_for(user: object, organisation: object) -> str:
    request = RequestFactory().get("/")
    request.user = user  # type: ignore[assignment]
    with translation.override("tr"):  # as on the Turkish organisation page
        return render_to_string(PANEL_TEMPLATE, {"organisation": organisation}, request=request)


def test_the_organisation_panel_shows_its_coaching_to_those_allowed() -> None:
    engagement = EngagementFactory.create()
    assessed(engagement, kind="self", stage="baseline", gov=(2, 2), fin=(2, 2))

    shown = panel_for(ngo_admin(engagement.organisation), engagement.organisation)
    hidden = panel_for(UserFactory.create(), engagement.organisation)

    assert url("coaching:engagement", engagement.code) in shown
    assert "coaching-heading" in shown
    assert hidden.strip() == ""


def test_the_coach_edits_the_engagement_but_only_staff_reassign_it() -> None:
    engagement = EngagementFactory.create(coach=coach())
    client = logged_in(engagement.coach)  # type: ignore[arg-type]
    values = {
        "coach": coach().pk,
        "starts_on": engagement.starts_on.isoformat(),
        "ends_on": engagement.ends_on.isoformat(),
        "goals": "Yeni hedefler",
        "status": "ended",
        "closing_note": "",
    }

    refused = client.post(url("coaching:engagement-edit", engagement.code), values)
    assertContains(refused, tr("Say why the engagement ended early."))
    assertContains(refused, "Yeni hedefler")
    saved = client.post(
        url("coaching:engagement-edit", engagement.code),
        {**values, "closing_note": "Kuruluş programdan ayrıldı."},
    )

    assert saved.status_code == 302
    coach_before = engagement.coach
    engagement.refresh_from_db()
    assert (engagement.status, engagement.goals) == ("ended", "Yeni hedefler")
    assert engagement.coach == coach_before


def test_a_coach_sees_the_rounds_but_cannot_create_one() -> None:
    client = logged_in(coach())
    page = client.get(url("coaching:staff-rounds"))
    assert page.status_code == 200
    assertNotContains(page, 'name="instrument"')
    assert client.post(url("coaching:staff-rounds"), {"name": "X"}).status_code == 404
