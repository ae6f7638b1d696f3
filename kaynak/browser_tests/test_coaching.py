"""Organisational coaching in a real browser, on the Turkish pages: an NGO admin completes a
self-assessment with the default instrument (a missing question is named first, and nothing
chosen is lost); a coach opens an engagement for the organisation, builds the action plan (an
action without an owner is refused), logs two sessions and marks an action done; the coach's
baseline and final assessments show the change per dimension on the engagement's page, and the
change appears as an outcome indicator on the staff indicators page. The sessions are
"coaching" deliveries of the organisation with their hours."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext
from playwright.sync_api import Page, Response, expect
from pytest_django.live_server_helper import LiveServer

from kaynak.accounts.models import Role, User
from kaynak.accounts.tests.factories import StaffFactory, UserFactory
from kaynak.coaching import outcomes
from kaynak.coaching.assessing import default_instrument, indicators_of
from kaynak.coaching.models import (
    Action,
    ActionStatus,
    Assessment,
    AssessmentKind,
    AssessmentStage,
    AssessmentStatus,
    CoachingSession,
    Engagement,
    Indicator,
    SessionMode,
)
from kaynak.directory.tests.factories import (
    AffiliationFactory,
    OrganisationFactory,
    PersonFactory,
    province,
)
from kaynak.impact import services as impact_services
from kaynak.impact.models import Indicator as ImpactIndicator
from kaynak.impact.models import Level, Method
from kaynak.impact.services import IndicatorFilters
from kaynak.ledger.models import Delivery

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ORGANISATION = "Karadeniz Kadın Dayanışma Derneği"
ADMIN_EMAIL = "elif@karadenizkadin.org.tr"
# The dimension the coach's final assessment leaves where it was (all others go from 2 to 3).
UNCHANGED = "dijital"
BUDGET_ACTION = "Bütçe–gerçekleşme raporu her çeyrek"


def tr(message: str, context: str | None = None) -> str:
    """``message`` as the Turkish pages show it (whatever the catalogue has translated)."""
    with translation.override("tr"):
        return pgettext(context, message) if context else gettext(message)


def tr_label(label: object) -> str:
    """A choice's label (lazy) as the Turkish pages show it."""
    with translation.override("tr"):
        return str(label)


def dimension_name(questions: list[Indicator], key: str) -> str:
    """The Turkish name of the instrument's dimension ``key``."""
    return next(q.dimension.name for q in questions if q.dimension.key == key)


def turkish(name: str, *args: object) -> str:
    with translation.override("tr"):
        return reverse(name, args=args)


def log_in(page: Page, live_server: LiveServer, user: User) -> None:
    """The browser, logged in as ``user`` (staff made by the factory have TOTP set up)."""
    client = Client()
    client.force_login(user)
    page.context.clear_cookies()
    page.context.add_cookies(
        [
            {
                "name": django_settings.SESSION_COOKIE_NAME,
                "value": client.cookies[django_settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def is_autosave(response: Response) -> bool:
    """The assessment form's autosave: an htmx POST to the assessment's own address."""
    request = response.request
    return request.method == "POST" and request.header_value("HX-Request") == "true"


def choose(page: Page, key: str, score: int) -> None:
    """Choose level ``score`` of question ``key`` and wait for the autosave it sends (one
    request at a time: the live server shares one SQLite connection between its threads)."""
    with page.expect_response(is_autosave) as saved:
        page.locator(f"input[type=radio][name='score-{key}'][value='{score}']").check()
    assert saved.value.ok


def answer(page: Page, scores: Mapping[str, int]) -> None:
    for key, score in scores.items():
        choose(page, key, score)


def complete(page: Page) -> None:
    page.get_by_role("button", name=tr("Complete", "coaching"), exact=True).click()


def test_an_ngo_assesses_itself_a_coach_plans_and_logs_sessions_and_the_change_is_an_outcome(
    page: Page, live_server: LiveServer
) -> None:
    today = timezone.localdate()
    organisation = OrganisationFactory.create(name=ORGANISATION, province=province(61))
    admin_user = UserFactory.create(email=ADMIN_EMAIL, full_name="Elif Yılmaz")
    elif_ = PersonFactory.create(user=admin_user, full_name="Elif Yılmaz", emails=[ADMIN_EMAIL])
    AffiliationFactory.create(person=elif_, organisation=organisation, is_admin=True, end_date=None)
    coach = StaffFactory.create(
        roles=[Role.PROGRAMME_COORDINATOR], full_name="Zeynep Arslan", email="zeynep@merkez.org"
    )
    # The outcome indicator the impact app reads from kaynak.coaching.outcomes, made by the M&E
    # officer (as the impact demo makes it).
    officer = StaffFactory.create(roles=[Role.ME_OFFICER], email="izleme@merkez.org")
    impact_services.indicator_create(
        indicator=ImpactIndicator(
            code="S1.1",
            name_tr="Mentorluk alan kuruluşların kapasite puanındaki artış",
            name_en="Capacity score gain of coached organisations",
            unit="puan (1–4)",
            level=Level.OUTCOME,
            method=Method.OUTCOME,
            outcome_slug="capacity-change",
        ),
        filters=IndicatorFilters(),
        actor=officer,
    )
    instrument = default_instrument()
    questions = indicators_of(instrument)
    assert len({q.dimension.key for q in questions}) == 7
    keys = [q.key for q in questions]

    # a. Elif opens "Capacity assessments" and starts a self-assessment (baseline).
    log_in(page, live_server, admin_user)
    page.goto(turkish("coaching:assessments"))
    expect(page.get_by_role("heading", level=1)).to_have_text(tr("Capacity assessments"))
    # She acts for one organisation: the form does not ask which.
    page.locator("#id_stage").select_option(AssessmentStage.BASELINE.value)
    page.get_by_role("button", name=tr("Start a self-assessment")).click()
    expect(page.locator("form.assessment-form")).to_be_visible()
    self_assessment = Assessment.objects.get(organisation=organisation)
    assert self_assessment.kind == AssessmentKind.SELF
    assert self_assessment.status == AssessmentStatus.DRAFT

    # She answers every question but the last (each choice saves the draft), with evidence for
    # the first.
    evidence = page.locator(f"textarea[name='evidence-{keys[0]}']")
    with page.expect_response(is_autosave):
        evidence.fill("2026 genel kurul tutanağı")
        evidence.blur()
    self_scores = {key: 3 if position % 2 else 2 for position, key in enumerate(keys)}
    missing = keys[-1]
    answer(page, {key: score for key, score in self_scores.items() if key != missing})

    # Completing now is refused: the page names the missing question, marks it, and keeps
    # everything she chose.
    complete(page)
    missing_text = questions[-1].text
    expect(page.locator("ul.messages")).to_contain_text(missing_text)
    question = page.locator(f"#question-{missing}")
    expect(question).to_have_class(re.compile(r"\bhas-error\b"))
    expect(question.locator(".errorlist")).to_have_text(tr("Choose a level for this question."))
    for key in keys[:-1]:
        expect(
            page.locator(f"input[name='score-{key}'][value='{self_scores[key]}']")
        ).to_be_checked()
    expect(evidence).to_have_value("2026 genel kurul tutanağı")
    self_assessment.refresh_from_db()
    assert self_assessment.status == AssessmentStatus.DRAFT

    # She chooses the last level and completes: the results show the radar chart and the table.
    choose(page, missing, self_scores[missing])
    complete(page)
    expect(page.locator("figure.radar svg")).to_be_visible()
    table = page.locator("table.results")
    expect(table.locator("tbody tr")).to_have_count(7)
    self_assessment.refresh_from_db()
    assert self_assessment.status == AssessmentStatus.COMPLETED
    governance = questions[0].dimension
    governance_row = table.locator("tbody tr", has_text=governance.name)
    expect(governance_row).to_contain_text(
        str(self_assessment.results["yonetisim"]).replace(".", ",")
    )

    # b. The coach opens an engagement for the organisation on the staff pages.
    log_in(page, live_server, coach)
    page.goto(turkish("coaching:staff-new"))
    page.locator("#id_q").fill("Karadeniz Kadın")
    page.get_by_role("button", name=tr("Search")).click()
    page.locator("#id_organisation").select_option(label=ORGANISATION)
    page.locator("#id_coach").select_option(label="Zeynep Arslan")
    page.locator("#id_starts_on").fill((today - dt.timedelta(days=120)).isoformat())
    page.locator("#id_ends_on").fill((today + dt.timedelta(days=60)).isoformat())
    page.locator("#id_goals").fill("Mali yönetimi ve gönüllü politikasını güçlendirmek.")
    page.get_by_role("button", name=tr("Open the engagement")).click()
    expect(page.get_by_text(tr("The coaching engagement was opened."))).to_be_visible()
    engagement = Engagement.objects.get(organisation=organisation)
    assert engagement.coach == coach
    assert engagement.instrument == instrument

    # The plan: an action without an owner is refused next to the field, what was typed kept.
    plan = page.locator("#plan")
    add = plan.locator("form").last
    add.locator("[name=title]").fill("Gönüllü politikası yazılacak")
    add.locator("[name=dimension]").select_option(
        label=dimension_name(questions, "insan-kaynaklari")
    )
    add.get_by_role("button", name=tr("Add the action")).click()
    owner_error = tr("Every action needs an owner: a person or a role.")
    expect(page.locator("#plan").get_by_text(owner_error)).to_be_visible()
    add = page.locator("#plan form").last
    expect(add.locator("[name=title]")).to_have_value("Gönüllü politikası yazılacak")
    assert not Action.objects.exists()
    add.locator("[name=owner]").fill("Yönetim kurulu")
    add.locator("[name=due_on]").fill((today + dt.timedelta(days=30)).isoformat())
    add.get_by_role("button", name=tr("Add the action")).click()
    expect(page.locator("#plan").get_by_text(owner_error)).to_have_count(0)
    expect(page.locator("#plan table").get_by_text("Gönüllü politikası yazılacak")).to_be_visible()
    add = page.locator("#plan form").last
    add.locator("[name=title]").fill(BUDGET_ACTION)
    add.locator("[name=dimension]").select_option(label=dimension_name(questions, "mali-yonetim"))
    add.locator("[name=owner]").fill("Sayman")
    add.get_by_role("button", name=tr("Add the action")).click()
    expect(page.locator("#plan table").get_by_text("Sayman", exact=True)).to_be_visible()
    assert Action.objects.filter(engagement=engagement).count() == 2

    # Two sessions that took place (Istanbul time), one with Elif.
    for days_ago, minutes, mode, with_elif in [
        (40, 90, SessionMode.IN_PERSON, True),
        (10, 120, SessionMode.ONLINE, False),
    ]:
        page.get_by_role("link", name=tr("Log a session", "coaching")).click()
        page.locator("#id_date").fill((today - dt.timedelta(days=days_ago)).isoformat())
        page.locator("#id_time").fill("10:00")
        page.locator("#id_minutes").fill(str(minutes))
        page.locator("#id_mode").select_option(mode.value)
        if with_elif:
            page.get_by_label("Elif Yılmaz").check()
        page.locator("#id_shared_notes").fill("Eylem planı birlikte gözden geçirildi.")
        page.get_by_role("button", name=tr("Save"), exact=True).click()
        expect(page.get_by_text(tr("The session was saved."))).to_be_visible()
    assert CoachingSession.objects.filter(engagement=engagement).count() == 2
    engagement.refresh_from_db()
    assert engagement.status == "active"

    # The treasurer's action is done: edited in place.
    treasurer = Action.objects.get(engagement=engagement, owner="Sayman")
    # The action's row by its title (text only there: the edit form holds it in an input).
    page.locator("#plan tbody tr", has_text=BUDGET_ACTION).get_by_role(
        "link", name=tr("Edit")
    ).click()
    edit = page.locator(f"#plan form[action$='/{treasurer.pk}/']")
    edit.locator("[name=status]").select_option(ActionStatus.DONE.value)
    edit.get_by_role("button", name=tr("Save"), exact=True).click()
    expect(edit).to_have_count(0)
    done_row = page.locator("#plan tbody tr", has_text=BUDGET_ACTION)
    expect(done_row.locator(".badge")).to_have_text(tr_label(ActionStatus.DONE.label))
    treasurer.refresh_from_db()
    assert treasurer.status == ActionStatus.DONE
    assert treasurer.done_on == today
    assert outcomes.plan_progress(engagement).done == 1

    # c. The coach's baseline (all level 2) and, later, the final (level 3 everywhere but
    # digital capacity) through the engagement page's buttons.
    final_scores = {q.key: 2 if q.dimension.key == UNCHANGED else 3 for q in questions}
    for stage_label, scores in [
        ("Start the coach's baseline assessment", dict.fromkeys(keys, 2)),
        ("Start the coach's final assessment", final_scores),
    ]:
        page.goto(turkish("coaching:engagement", engagement.code))
        page.get_by_role("link", name=tr(stage_label)).click()
        page.get_by_role("button", name=tr("Start the assessment")).click()
        expect(page.locator("form.assessment-form")).to_be_visible()
        answer(page, scores)
        complete(page)
        expect(page.locator("figure.radar svg")).to_be_visible()
    coach_assessments = Assessment.objects.filter(engagement=engagement).order_by("pk")
    assert [(a.kind, a.stage, a.status) for a in coach_assessments] == [
        (AssessmentKind.COACH, AssessmentStage.BASELINE, AssessmentStatus.COMPLETED),
        (AssessmentKind.COACH, AssessmentStage.FINAL, AssessmentStatus.COMPLETED),
    ]

    # The engagement page: the change per dimension (+1,00 everywhere but digital capacity).
    page.goto(turkish("coaching:engagement", engagement.code))
    changes = page.locator("table", has=page.locator("th", has_text=tr("Baseline")))
    expect(changes.locator("tbody tr")).to_have_count(7)
    for dimension in instrument.dimensions.all():
        change_row = changes.locator("tbody tr", has=page.locator("th", has_text=dimension.name))
        if dimension.key == UNCHANGED:
            expect(change_row.locator("td").last).to_have_text("0,00")
        else:
            expect(change_row.locator("td").nth(0)).to_have_text("2,00")
            expect(change_row.locator("td").nth(1)).to_have_text("3,00")
            expect(change_row.locator("td").last).to_have_text("+1,00")
    computed = outcomes.engagement_change(engagement)
    assert {c.key: c.change for c in computed} == {
        q.dimension.key: Decimal("0.00") if q.dimension.key == UNCHANGED else Decimal("1.00")
        for q in questions
    }

    # d. The outcome indicator on the staff indicators page, for this year: by hand, the overall
    # score went from 2.00 to mean(3, 3, 3, 3, 3, 3, 2) = 2.86, a change of 0.86.
    expected = Decimal("0.86")
    year = today.year
    assert outcomes.mean_capacity_change(dt.date(year, 1, 1), dt.date(year, 12, 31)) == expected
    page.goto(f"{turkish('impact:staff-indicators')}?year={year}")
    indicator_row = page.locator("table.data tbody tr", has_text="S1.1")
    expect(indicator_row.locator("td").nth(1)).to_have_text("0,86")

    # The ledger: each session is a "coaching" delivery for the organisation, its hours the
    # quantity, dated on its day: the first on Elif's behalf (she took part; the organisation
    # counts through her, as kaynak.ledger.services.record_deliveries does), the second the
    # organisation's own (nobody named).
    session_type = ContentType.objects.get_for_model(CoachingSession)
    by_session = [
        sorted(
            (d.kind.slug, d.organisation_id, d.person_id, d.quantity, d.date)
            for d in Delivery.objects.filter(
                source_type=session_type, source_id=str(session.pk), withdrawn_at__isnull=True
            ).select_related("kind")
        )
        for session in CoachingSession.objects.filter(engagement=engagement).order_by("starts_at")
    ]
    assert by_session == [
        [("coaching", organisation.pk, elif_.pk, Decimal("1.50"), today - dt.timedelta(days=40))],
        [("coaching", organisation.pk, None, Decimal("2.00"), today - dt.timedelta(days=10))],
    ]
