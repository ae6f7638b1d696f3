"""An organisation's pipeline of tracked calls: adding a call, stages (htmx too), details with
a responsible member, who may see it (another organisation's admin gets 404), deadline
reminders sent once, the center's funding outcomes (shared entries only), and KVKK."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains

from kaynak.accounts.models import Role, User
from kaynak.accounts.tests.factories import StaffFactory, UserFactory
from kaynak.accounts.tests.helpers import url
from kaynak.directory.models import Organisation
from kaynak.directory.privacy import person_data_export, person_erase
from kaynak.directory.tests.factories import AffiliationFactory, OrganisationFactory, PersonFactory
from kaynak.radar import alerts, queries_outcomes, tracking
from kaynak.radar.alert_tasks import tracking_reminders
from kaynak.radar.models import (
    Dismissal,
    Opportunity,
    OpportunityStatus,
    PipelineStage,
    SavedSearch,
    TrackedOpportunity,
)
from kaynak.radar.tests.factories import OpportunityFactory, SavedSearchFactory, in_days

pytestmark = pytest.mark.django_db

ISTANBUL = ZoneInfo("Europe/Istanbul")


def admin_of(org: Organisation, **user_fields) -> User:
    user = UserFactory.create(**user_fields)
    AffiliationFactory.create(
        organisation=org, person=PersonFactory.create(user=user), is_admin=True
    )
    return user


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def org() -> Organisation:
    return OrganisationFactory.create(name="Ege Kadın Dayanışma Derneği")


@pytest.fixture
def admin(org: Organisation) -> User:
    return admin_of(org)


def tracked(org: Organisation, user: User | None = None, **kwargs) -> TrackedOpportunity:
    call = kwargs.pop("opportunity", None) or OpportunityFactory.create()
    return TrackedOpportunity.objects.create(
        organisation=org, opportunity=call, added_by=user, responsible=user, **kwargs
    )


def test_an_admin_adds_a_call_from_its_page_and_finds_it_in_the_pipeline(org, admin):
    call = OpportunityFactory.create(title="Kadın Kooperatifleri Hibe Programı")
    client = logged_in(admin)

    response = client.post(url("radar:track", call.pk), {"organisation": org.pk})
    client.post(url("radar:track", call.pk), {"organisation": org.pk})  # twice: still one

    assert response.status_code == 302
    entry = TrackedOpportunity.objects.get()
    assert (entry.organisation, entry.stage, entry.shared_with_center, entry.responsible) == (
        org,
        PipelineStage.INTERESTED,
        False,
        admin,
    )
    page = client.get(url("radar:pipeline", org.pk, language="en"))
    assertContains(page, "Kadın Kooperatifleri Hibe Programı")
    assertContains(page, "Interested")


def test_a_draft_cannot_be_tracked(org, admin):
    draft = OpportunityFactory.create(status=OpportunityStatus.DRAFT)
    response = logged_in(admin).post(url("radar:track", draft.pk), {"organisation": org.pk})
    assert response.status_code == 404
    assert not TrackedOpportunity.objects.exists()


def test_an_admin_cannot_add_to_another_organisations_pipeline(org, admin):
    other = OrganisationFactory.create(name="Başka Dernek")
    call = OpportunityFactory.create()

    response = logged_in(admin).post(url("radar:track", call.pk), {"organisation": other.pk})

    assert response.status_code == 400  # not one of the choices
    assert not TrackedOpportunity.objects.exists()


def test_another_organisations_admin_gets_not_found_everywhere(org, admin):
    entry = tracked(org, admin)
    stranger = logged_in(admin_of(OrganisationFactory.create(name="Başka Dernek")))

    assert stranger.get(url("radar:pipeline", org.pk)).status_code == 404
    assert stranger.get(url("radar:tracked", entry.pk)).status_code == 404
    assert stranger.post(url("radar:tracked-stage", entry.pk), {"stage": "won"}).status_code == 404
    assert stranger.post(url("radar:tracked-remove", entry.pk)).status_code == 404
    entry.refresh_from_db()
    assert entry.stage == PipelineStage.INTERESTED


def test_staff_do_not_see_an_organisations_pipeline(org):
    staff = StaffFactory.create(roles=[Role.RADAR_EDITOR])
    assert logged_in(staff).get(url("radar:pipeline", org.pk)).status_code == 404


def test_the_stage_changes_by_htmx_and_the_columns_come_back(org, admin):
    entry = tracked(org, admin)

    response = logged_in(admin).post(
        url("radar:tracked-stage", entry.pk, language="en"),
        {"stage": "submitted"},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assertContains(response, 'id="pipeline"')
    assertNotContains(response, "<html")
    entry.refresh_from_db()
    assert entry.stage == PipelineStage.SUBMITTED


def test_an_unknown_stage_is_refused(org, admin):
    entry = tracked(org, admin)
    response = logged_in(admin).post(
        url("radar:tracked-stage", entry.pk), {"stage": "kazandik"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 400
    entry.refresh_from_db()
    assert entry.stage == PipelineStage.INTERESTED


def test_details_are_saved_with_a_member_as_responsible(org, admin):
    entry = tracked(org, admin)
    colleague = UserFactory.create(full_name="Zeynep Çelik")
    AffiliationFactory.create(organisation=org, person=PersonFactory.create(user=colleague))

    response = logged_in(admin).post(
        url("radar:tracked", entry.pk),
        {
            "stage": "won",
            "responsible": colleague.pk,
            "notes": "Bütçe tablosu hazır.",
            "amount_requested": "500000",
            "amount_won": "450000",
            "shared_with_center": "on",
            "remind": "",
        },
    )

    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.stage, entry.responsible, entry.amount_won, entry.shared_with_center) == (
        PipelineStage.WON,
        colleague,
        Decimal("450000.00"),
        True,
    )
    assert entry.remind is False


def test_someone_outside_the_organisation_cannot_be_responsible_and_nothing_is_saved(org, admin):
    entry = tracked(org, admin)
    outsider = UserFactory.create()

    with pytest.raises(tracking.TrackingError):
        tracking.update_tracked(
            tracked=entry,
            actor=admin,
            stage="won",
            responsible=outsider,
            notes="x",
            shared_with_center=True,
            remind=True,
        )
    entry.refresh_from_db()
    assert (entry.stage, entry.notes, entry.shared_with_center) == ("interested", "", False)


def test_a_bad_amount_is_explained_next_to_the_field_and_what_was_typed_stays(org, admin):
    entry = tracked(org, admin)

    response = logged_in(admin).post(
        url("radar:tracked", entry.pk, language="en"),
        {"stage": "won", "notes": "Notlarım", "amount_won": "çok", "remind": "on"},
    )

    assertContains(response, "Enter a number", status_code=400)
    assertContains(response, "Notlarım", status_code=400)
    entry.refresh_from_db()
    assert entry.stage == PipelineStage.INTERESTED


def test_sharing_is_off_by_default_and_explained(org, admin):
    entry = tracked(org, admin)
    page = logged_in(admin).get(url("radar:tracked", entry.pk, language="en"))
    assertContains(page, "Off unless you turn it on")
    assertNotContains(page, 'name="shared_with_center" id="id_shared_with_center" checked')


def test_an_admin_removes_a_call_from_the_pipeline(org, admin):
    entry = tracked(org, admin)
    logged_in(admin).post(url("radar:tracked-remove", entry.pk))
    assert not TrackedOpportunity.objects.exists()


def test_the_pipeline_page_reads_a_bounded_number_of_queries(
    org, admin, django_assert_max_num_queries
):
    for _n in range(10):
        tracked(org, admin)
    client = logged_in(admin)
    client.get(url("radar:pipeline", org.pk))

    with django_assert_max_num_queries(9):
        response = client.get(url("radar:pipeline", org.pk))
    assert response.status_code == 200


# Reminders --------------------------------------------------------------------------------------


def deadline_call(days: int) -> Opportunity:
    return OpportunityFactory.create(
        title=f"Son başvuru {days} gün sonra", deadline_date=in_days(days)
    )


def test_reminders_go_seven_days_and_one_day_before_each_once(org, admin, mailoutbox, time_machine):
    time_machine.move_to(dt.datetime(2027, 3, 1, 9, 0, tzinfo=ISTANBUL))
    entry = tracked(org, admin, opportunity=deadline_call(6))

    assert tracking_reminders.call() == 1
    assert tracking_reminders.call() == 0  # the next run: already sent
    [week] = mailoutbox
    assert week.to == [admin.email]
    assert "Son başvuru 6 gün sonra" in week.subject

    time_machine.move_to(dt.datetime(2027, 3, 7, 9, 0, tzinfo=ISTANBUL))  # closes tonight
    assert tracking.send_due_reminders() == 1
    assert tracking.send_due_reminders() == 0
    assert len(mailoutbox) == 2
    entry.refresh_from_db()
    assert entry.reminded_7d_at
    assert entry.reminded_1d_at


def test_a_call_tracked_the_day_before_gets_one_reminder_not_two(org, admin, mailoutbox):
    tracked(org, admin, opportunity=deadline_call(0))  # closes tonight
    assert tracking.send_due_reminders() == 1
    assert len(mailoutbox) == 1


def test_no_reminder_when_switched_off_submitted_or_far_away(org, admin, mailoutbox):
    tracked(org, admin, opportunity=deadline_call(3), remind=False)
    tracked(org, admin, opportunity=deadline_call(3), stage=PipelineStage.SUBMITTED)
    tracked(org, admin, opportunity=deadline_call(20))
    assert tracking.send_due_reminders() == 0
    assert mailoutbox == []


def test_a_reminder_claimed_by_another_worker_is_not_sent_again(org, admin, mailoutbox):
    entry = tracked(org, admin, opportunity=deadline_call(5))
    due = tracking.due_reminders(dt.datetime.now(tz=dt.UTC))
    assert due == [(entry.pk, 7)]
    # Another worker's conditional UPDATE won the race in between.
    assert tracking._claim(entry.pk, "reminded_7d_at", dt.datetime.now(tz=dt.UTC))
    assert not tracking._claim(entry.pk, "reminded_7d_at", dt.datetime.now(tz=dt.UTC))
    assert tracking.send_due_reminders() == 0
    assert mailoutbox == []


# Funding outcomes -------------------------------------------------------------------------------


def test_outcomes_count_only_what_organisations_shared(org, admin):
    won = tracked(org, admin, stage=PipelineStage.WON, shared_with_center=True)
    won.amount_won = Decimal("300000")
    won.save()
    tracked(org, admin, stage=PipelineStage.SUBMITTED, shared_with_center=True)
    tracked(org, admin, stage=PipelineStage.WON, shared_with_center=False, amount_won=Decimal(9))

    result = queries_outcomes.funding_outcomes()

    assert result.by_stage["won"] == 1
    assert result.by_stage["submitted"] == 1
    assert result.total == 2
    assert result.organisations == 1
    assert result.won == [won]
    assert result.won_total == {"TRY": Decimal("300000")}


def test_outcomes_of_a_period_follow_the_stage_change(org, admin):
    entry = tracked(org, admin, stage=PipelineStage.WON, shared_with_center=True)
    TrackedOpportunity.objects.filter(pk=entry.pk).update(
        stage_changed_at=dt.datetime(2026, 6, 1, 12, 0, tzinfo=ISTANBUL)
    )
    in_2026 = queries_outcomes.Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    in_2027 = queries_outcomes.Period(dt.date(2027, 1, 1), None)
    assert queries_outcomes.funding_outcomes(in_2026).by_stage["won"] == 1
    assert queries_outcomes.funding_outcomes(in_2027).total == 0


def test_the_outcomes_page_and_csv_are_for_editors_and_me_officers(org, admin):
    entry = tracked(org, admin, stage=PipelineStage.WON, shared_with_center=True)
    hidden = OpportunityFactory.create(title="=Gizli kalacak çağrı")
    tracked(org, admin, opportunity=hidden, stage=PipelineStage.WON)
    officer = logged_in(StaffFactory.create(roles=[Role.ME_OFFICER]))

    page = officer.get(url("radar:staff-funding-outcomes", language="en"))
    assertContains(page, entry.opportunity.title)
    assertNotContains(page, "Gizli kalacak")
    download = officer.get(url("radar:staff-funding-outcomes-csv"))
    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert len(rows) == 2
    assert rows[1][0] == org.name

    coordinator = logged_in(StaffFactory.create(roles=[Role.PROGRAMME_COORDINATOR]))
    assert coordinator.get(url("radar:staff-funding-outcomes")).status_code == 404
    assert logged_in(admin).get(url("radar:staff-funding-outcomes-csv")).status_code == 404


def test_a_title_that_looks_like_a_formula_is_kept_as_text_in_the_csv(org, admin):
    call = OpportunityFactory.create(title="=HYPERLINK(1)")
    tracked(org, admin, opportunity=call, shared_with_center=True)
    officer = logged_in(StaffFactory.create(roles=[Role.ME_OFFICER]))

    download = officer.get(url("radar:staff-funding-outcomes-csv"))

    rows = list(csv.reader(io.StringIO(download.content.decode("utf-8-sig"))))
    assert rows[1][1] == "'=HYPERLINK(1)"


# KVKK -------------------------------------------------------------------------------------------


def test_a_persons_export_holds_their_searches_dismissals_and_pipeline_entries(org, admin):
    person = admin.person
    search = SavedSearchFactory.create(user=admin, email=admin.email, name="Kadın")
    call = OpportunityFactory.create(title="Reddedilen")
    alerts.dismiss(email=admin.email, opportunity=call)
    tracked(org, admin, notes="Ayşe Hanım ile görüşülecek")

    data = person_data_export(person=person, actor=None)["funding_radar"]

    assert [s["name"] for s in data["saved_searches"]] == [search.name]
    assert [d["call"] for d in data["dismissed_calls"]] == ["Reddedilen"]
    assert data["tracked_calls"][0]["notes"] == "Ayşe Hanım ile görüşülecek"


def test_erasure_deletes_searches_and_dismissals_and_unassigns_pipeline_entries(org, admin):
    person = admin.person
    SavedSearchFactory.create(user=admin, email=admin.email)
    SavedSearchFactory.create(email="baska@example.org")
    alerts.dismiss(email=admin.email, opportunity=OpportunityFactory.create())
    entry = tracked(org, admin, notes=f"Yazışma: {admin.email}")
    center_admin = StaffFactory.create(roles=[Role.CENTER_ADMIN])

    person_erase(person=person, actor=center_admin)

    assert list(SavedSearch.objects.values_list("email", flat=True)) == ["baska@example.org"]
    assert not Dismissal.objects.exists()
    entry.refresh_from_db()
    assert entry.responsible is None
    assert entry.added_by is None
    assert admin.email not in entry.notes


def test_a_member_who_admins_no_organisation_is_told_who_keeps_a_pipeline():
    call = OpportunityFactory.create()
    client = logged_in(UserFactory.create())

    page = client.get(url("radar:track", call.pk, language="en"))

    assertContains(page, "Only an organisation's admins keep its funding pipeline")
    assert client.post(url("radar:track", call.pk)).status_code == 404
    assert not TrackedOpportunity.objects.exists()


def test_the_organisation_page_links_render_for_its_admin_only(rf, org, admin):
    from django.template.loader import render_to_string
    from django.utils import translation

    def render(user) -> str:
        request = rf.get("/")
        request.user = user
        with translation.override("tr"):  # the page's language, whatever an earlier test left
            return render_to_string(
                "radar/tracking/includes/organisation_links.html",
                {"organisation": org, "request": request},
            )

    assert url("radar:pipeline", org.pk) in render(admin)
    assert url("radar:for-organisation", org.pk) not in render(UserFactory.create())
