"""The civil-society school's whole journey in a real browser: an NGO member applies to the
school's call (the draft saves itself as she types, a conditional question appears, a file is
uploaded), submits and gets the receipt by mail from a real SMTP server on loopback; two
reviewers score the application on the rubric; staff see both reviews in the ranking, accept it
and send the decision e-mail; the two representatives named are enrolled in the cohort, staff
take the roll call of the modules' days, the attendance matrix shows it, the cohort graduates,
and the representative downloads her graduation certificate and checks it on the public page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import FilePayload, Locator, Page, Response, expect
from pytest_django.live_server_helper import LiveServer

from kaynak.accounts.models import Role, User
from kaynak.accounts.tests import conftest as accounts_fixtures
from kaynak.accounts.tests.factories import StaffFactory, UserFactory
from kaynak.calls import building, reviewing
from kaynak.calls.models import Application, ApplicationStatus, Call, QuestionKind
from kaynak.calls.tests.factories import CallFactory
from kaynak.directory.tests.factories import (
    AffiliationFactory,
    OrganisationFactory,
    PersonFactory,
    province,
)
from kaynak.programmes.tests.factories import ProgrammeFactory
from kaynak.school import services as school_services
from kaynak.school.models import Graduation, Participant
from kaynak.school.tests.factories import module_of

pytestmark = [
    pytest.mark.needs_tool("lib:pango-1.0"),
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

smtp_server = accounts_fixtures.smtp_server  # the center's outgoing mail, on 127.0.0.1
ORGANISATION = "Ege Çevre ve Doğa Koruma Derneği"
APPLICANT = "ayse@egecevre.org.tr"
SECOND_REPRESENTATIVE = "mehmet@egecevre.org.tr"
# The smallest file the site takes for a PDF: it looks at the content, not the name.
REPORT_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def english(name: str, *args: object) -> str:
    with translation.override("en"):
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


def school_call() -> Call:
    """The school's call: a long answer, a yes/no question with a follow-up asked only after
    "yes", the activity report as a file; two representatives; a rubric of two criteria."""
    programme = ProgrammeFactory.create(name="Sivil Toplum Okulu", name_en="Civil-Society School")
    call = CallFactory.create(
        programme=programme,
        people_label="Temsilciler",
        people_label_en="Representatives",
        people_min=2,
        people_max=2,
        reviewers_per_application=2,
    )
    building.question_add(
        call=call,
        by=None,
        key="expectations",
        kind=QuestionKind.LONG_TEXT,
        label="Kuruluşunuzun okuldan beklentileri nelerdir?",
        label_en="What does your organisation expect from the school?",
        max_words=300,
    )
    previous = building.question_add(
        call=call,
        by=None,
        key="previous",
        kind=QuestionKind.CHOICE,
        label="Daha önce programlarımıza katıldınız mı?",
        label_en="Did your organisation take part in our programmes before?",
        options=[
            {"key": "yes", "tr": "Evet", "en": "Yes, we did"},
            {"key": "no", "tr": "Hayır", "en": "No, never"},
        ],
    )
    building.question_add(
        call=call,
        by=None,
        key="previous_programme",
        kind=QuestionKind.SHORT_TEXT,
        label="Hangi programdı?",
        label_en="Which programme was it?",
        show_if=previous,
        show_if_values=["yes"],
    )
    building.question_add(
        call=call,
        by=None,
        key="activity_report",
        kind=QuestionKind.FILE,
        label="Son faaliyet raporunuz",
        label_en="Your latest activity report",
        max_file_mb=5,
    )
    for name, name_en, weight in [
        ("İhtiyacın açıklığı", "Clarity of need", Decimal(2)),
        ("Okulla uyum", "Fit with the school", Decimal(1)),
    ]:
        reviewing.criterion_add(call=call, name=name, name_en=name_en, weight=weight, actor=None)
    return call


def is_save(response: Response) -> bool:
    return response.request.method == "POST" and response.url.endswith("/save/")


@contextmanager
def saves(page: Page, count: int) -> Iterator[None]:
    """Waits, on leaving the ``with`` block, for the answers to ``count`` autosaves.

    The form saves on a change at once, and on typing a second after the last key unless a
    change comes first (htmx then drops the waiting save): a field typed and left sends one
    save, as does a click on a choice. Waiting for it keeps
    the journey's requests from overlapping (the live server shares one SQLite connection
    between its threads), and makes "reopening keeps it" meaningful: the page says "Saved"
    after every save, so it cannot tell the last one from an earlier one.
    """
    answered: list[Response] = []

    def record(response: Response) -> None:
        if is_save(response):
            answered.append(response)

    page.on("response", record)
    try:
        yield
        while len(answered) < count:
            page.wait_for_event("response", predicate=is_save)
    finally:
        page.remove_listener("response", record)
    assert all(response.ok for response in answered)


def type_in(page: Page, field: Locator, text: str) -> None:
    """Type ``text`` into ``field`` and leave it, as a person does, until it is saved."""
    with saves(page, 1):
        field.fill(text)
        field.blur()


def score(page: Page, live_server: LiveServer, reviewer: User, levels: dict[str, int]) -> None:
    """``reviewer`` logs in, opens the review waiting for them and submits ``levels``."""
    log_in(page, live_server, reviewer)
    page.goto(english("calls:reviews"))
    page.get_by_role("link", name=ORGANISATION).click()
    for criterion, level in levels.items():
        sheet = page.locator("fieldset", has=page.locator("legend", has_text=criterion))
        sheet.locator(f"input[type=radio][value='{level}']").check()
    page.get_by_label("General comments").fill("Güçlü bir başvuru.")
    page.get_by_role("button", name="Submit the review").click()
    expect(page.get_by_text("Your review is submitted. Thank you!")).to_be_visible()


def test_an_ngo_applies_is_reviewed_accepted_attends_the_modules_and_graduates(
    page: Page, live_server: LiveServer, smtp_server: accounts_fixtures.SMTPServer
) -> None:
    organisation = OrganisationFactory.create(name=ORGANISATION, province=province(35))
    member = UserFactory.create(email=APPLICANT, full_name="Ayşe Demir")
    ayse = PersonFactory.create(user=member, full_name="Ayşe Demir", emails=[APPLICANT])
    AffiliationFactory.create(person=ayse, organisation=organisation, end_date=None)
    call = school_call()
    coordinator = StaffFactory.create(
        roles=[Role.PROGRAMME_COORDINATOR], full_name="Zeynep Arslan", email="zeynep@merkez.org"
    )
    deniz = StaffFactory.create(
        roles=[Role.REVIEWER], full_name="Deniz Kaya", email="deniz@degerlendirme.org"
    )
    elif_ = StaffFactory.create(
        roles=[Role.REVIEWER], full_name="Elif Şahin", email="elif@degerlendirme.org"
    )
    # The cohort the call selects: three modules (two of two days, then one day), all over;
    # two completed modules graduate.
    cohort = school_services.cohort_create(
        programme=call.programme,
        name="2026–2027 Dönemi",
        slug="donem-2026-2027",
        year=2026,
        actor=None,
        call=call,
        required_modules=2,
        status="running",
    )
    modules = [
        module_of(cohort, start_in=-30, days=2),
        module_of(cohort, start_in=-20, days=2),
        module_of(cohort, start_in=-10, days=1),
    ]

    # Ayşe opens the call and starts an application for her organisation.
    log_in(page, live_server, member)
    page.goto(english("calls:call", call.slug))
    page.get_by_role("link", name="Apply", exact=True).click()
    expect(page.get_by_label(ORGANISATION)).to_be_checked()
    page.get_by_role("button", name="Start the application").click()
    expect(page.get_by_text("Your answers are saved as you type.")).to_be_visible()
    application = Application.objects.get()
    assert application.status == ApplicationStatus.DRAFT
    assert application.organisation == organisation

    # She answers; the draft saves itself. "Yes" brings up the follow-up question.
    type_in(
        page,
        page.get_by_label("What does your organisation expect from the school?"),
        "Gönüllü yönetimi ve hibe yazımı konusunda kapasitemizi güçlendirmek istiyoruz.",
    )
    expect(page.locator("#save-status")).to_contain_text("Saved")
    follow_up = page.get_by_label("Which programme was it?")
    expect(follow_up).to_have_count(0)
    with saves(page, 1):
        page.get_by_label("Yes, we did").check()
    expect(follow_up).to_be_visible()
    type_in(page, follow_up, "Örgütsel Kapasite Eğitimleri")
    type_in(page, page.locator("#id_people-0-full_name"), "Ayşe Demir")
    type_in(page, page.locator("#id_people-0-email"), APPLICANT)
    type_in(page, page.locator("#id_people-0-role"), "Genel sekreter")
    page.get_by_role("button", name="Add a person").click()
    type_in(page, page.locator("#id_people-1-full_name"), "Mehmet Aydın")
    type_in(page, page.locator("#id_people-1-email"), SECOND_REPRESENTATIVE)
    type_in(page, page.locator("#id_people-1-role"), "Proje koordinatörü")

    # Everything typed is kept: she closes the page and opens it again from "My applications".
    page.goto(english("calls:mine"))
    page.get_by_role("link", name=call.title_en).click()
    expect(page.get_by_label("What does your organisation expect from the school?")).to_have_value(
        re.compile("^Gönüllü yönetimi")
    )
    expect(page.get_by_label("Yes, we did")).to_be_checked()
    expect(page.get_by_label("Which programme was it?")).to_have_value(
        "Örgütsel Kapasite Eğitimleri"
    )
    expect(page.locator("#id_people-1-email")).to_have_value(SECOND_REPRESENTATIVE)

    # The activity report, as a PDF.
    report: FilePayload = {
        "name": "faaliyet-raporu.pdf",
        "mimeType": "application/pdf",
        "buffer": REPORT_PDF,
    }
    page.locator("#id_q-activity_report").set_input_files(files=[report])
    page.locator("#q-activity_report").get_by_role("button", name="Upload").click()
    expect(page.get_by_text("The file is uploaded.")).to_be_visible()
    expect(page.get_by_role("link", name="faaliyet-raporu.pdf")).to_be_visible()

    # She reads the answers once more and submits; the receipt reaches her by mail.
    page.get_by_role("link", name="Review and submit").click()
    expect(page.get_by_text("Örgütsel Kapasite Eğitimleri")).to_be_visible()
    page.locator("#id_consent").check()
    page.get_by_role("button", name="Yes, submit the application").click()
    expect(page.get_by_text("Your application is submitted.")).to_be_visible()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    receipts = [
        mail
        for mail in smtp_server.received
        if mail.recipients == [APPLICANT] and application.code in mail.message["Subject"]
    ]
    assert len(receipts) == 1
    assert application.people.filter(person__isnull=False).count() == 2

    # Staff put the two reviewers on the call's applications.
    log_in(page, live_server, coordinator)
    page.goto(english("calls:staff-reviewers", call.slug))
    page.get_by_label("Deniz Kaya (deniz@degerlendirme.org)").check()
    page.get_by_label("Elif Şahin (elif@degerlendirme.org)").check()
    page.get_by_role("button", name="Assign", exact=True).click()
    expect(page.get_by_text("2 assignments made.")).to_be_visible()

    # Each reviewer scores the application on the rubric.
    score(page, live_server, deniz, {"Clarity of need": 5, "Fit with the school": 4})
    score(page, live_server, elif_, {"Clarity of need": 4, "Fit with the school": 4})

    # Staff see both reviews in the ranking and accept the application.
    log_in(page, live_server, coordinator)
    page.goto(english("calls:staff-ranking", call.slug))
    row = page.locator("table.ranking tbody tr", has_text=application.code)
    expect(row).to_contain_text(ORGANISATION)
    expect(row).to_contain_text("2 / 2")
    row.get_by_role("checkbox").check()
    page.locator("#id_decision").select_option(label="Accepted")
    page.locator("#id_reason").fill("Başvurunuz okulun amaçlarıyla örtüşüyor.")
    page.get_by_role("button", name="Record the decisions").click()
    application.refresh_from_db()
    assert application.status == ApplicationStatus.ACCEPTED

    # Accepting enrolled both representatives in the cohort.
    participants = Participant.objects.filter(cohort=cohort).select_related("person")
    assert sorted(p.person.full_name for p in participants) == ["Ayşe Demir", "Mehmet Aydın"]
    assert participants.get(person__full_name="Ayşe Demir").person == ayse

    # Staff send the decision e-mail; it reaches Ayşe.
    page.goto(english("calls:staff-decisions", call.slug))
    sent_before = len(smtp_server.received)
    page.get_by_role("button", name="Send 1 e-mail").click()
    expect(page.get_by_text("1 e-mail is on its way.")).to_be_visible()
    decisions = [
        mail
        for mail in smtp_server.received[sent_before:]
        if mail.recipients == [APPLICANT] and application.code in mail.text
    ]
    assert len(decisions) == 1
    application.refresh_from_db()
    assert application.notified_at is not None

    # The roll call of the modules' days: both came to the first two modules, nobody to the
    # third. Staff reach it from the cohort page through the trainings' pages.
    page.goto(english("school:staff-cohort", cohort.slug))
    page.get_by_role("link", name="Registrations and attendance").first.click()
    page.get_by_role("link", name="Roll call").first.click()
    expect(page.locator("#roll")).to_be_visible()
    for module in modules[:2]:
        for session in module.activity.sessions.order_by("starts_at"):
            page.goto(english("programmes:staff-roll-call", session.pk))
            for name in ("Ayşe Demir", "Mehmet Aydın"):
                button = page.locator("#roll li", has_text=name).get_by_role("button")
                button.click()
                expect(button).to_have_attribute("aria-pressed", "true")

    # The cohort's attendance matrix shows it, day by day.
    page.goto(english("school:staff-matrix", cohort.slug))
    for name in ("Ayşe Demir", "Mehmet Aydın"):
        matrix_row = page.locator("#matrix tbody tr", has_text=name)
        expect(matrix_row.locator("td.day-present")).to_have_count(4)
        expect(matrix_row.locator("td.day-absent")).to_have_count(1)
        expect(matrix_row).to_contain_text("2 / 3")

    # Staff graduate the cohort: both met the rule.
    page.goto(english("school:staff-cohort", cohort.slug))
    page.get_by_role("button", name="Issue graduation certificates").click()
    expect(page.get_by_role("heading", name="2 certificates issued")).to_be_visible()
    graduation = Graduation.objects.get(participant__person=ayse)

    # Ayşe downloads her graduation certificate from "My school".
    log_in(page, live_server, member)
    page.goto(english("school:mine"))
    link = page.get_by_role("link", name="Download your graduation certificate (PDF)")
    pdf = page.request.get(link.get_attribute("href") or "")
    assert pdf.ok
    assert pdf.body().startswith(b"%PDF-")

    # Anyone can check it by its code.
    page.context.clear_cookies()
    page.goto(english("school:graduation", graduation.code))
    expect(page.locator("#verdict")).to_have_text("VALID")
    expect(page.get_by_text("Ayşe Demir")).to_be_visible()
    expect(page.get_by_text("2026–2027 Dönemi")).to_be_visible()
