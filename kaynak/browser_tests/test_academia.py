"""The NGO–academia journey in a real browser, on the Turkish pages: staff open the matching
page, where the academic who fits an organisation's request is proposed first with the reasons;
they confirm the pair, record fieldwork with one of the organisation's people (an "academia"
delivery for the organisation), add a publication that is a link, and show the partnership
publicly with both sides' consent; the publication is then in the public library, with the
partnership named on its page, and the partnership on the public partnerships page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings as django_settings
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from kaynak.accounts.models import Role, User
from kaynak.accounts.tests.factories import StaffFactory
from kaynak.coaching.models import (
    OutputKind,
    Partnership,
    PartnershipActivity,
    PartnershipActivityKind,
    PartnershipOutput,
    RequestStatus,
)
from kaynak.coaching.tests.factories import AcademicProfileFactory, PartnershipRequestFactory
from kaynak.core.models import Theme
from kaynak.directory.tests.factories import (
    AffiliationFactory,
    OrganisationFactory,
    PersonFactory,
    province,
)
from kaynak.ledger.models import Delivery

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ORGANISATION = "Dicle Engelliler Dayanışma Derneği"
FITS = "Prof. Dr. Ayşe Kaya"
TITLE = "Engelli gençlerin istihdamı: Diyarbakır saha araştırması"
REPORT = "Diyarbakır'da engelli gençlerin istihdamı raporu"
REPORT_URL = "https://yayin.example.org/engelli-istihdami-raporu"


def tr(message: str, context: str | None = None) -> str:
    """``message`` as the Turkish pages show it (whatever the catalogue has translated)."""
    with translation.override("tr"):
        return pgettext(context, message) if context else gettext(message)


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


def test_staff_match_an_ngo_with_an_academic_and_its_publication_reaches_the_library(
    page: Page, live_server: LiveServer
) -> None:
    today = timezone.localdate()
    disability = Theme.objects.get(slug="disability")
    youth = Theme.objects.get(slug="youth")
    diyarbakir = province(21)
    organisation = OrganisationFactory.create(name=ORGANISATION, province=diyarbakir)
    organisation.themes.set([disability])
    member = PersonFactory.create(full_name="Mehmet Demir", emails=["mehmet@dicle.org.tr"])
    AffiliationFactory.create(person=member, organisation=organisation, end_date=None)
    request = PartnershipRequestFactory.create(
        organisation=organisation,
        province=diyarbakir,
        needs="Engelli gençlerin istihdamı üzerine bir saha araştırması yapmak istiyoruz.",
    )
    request.themes.set([disability])
    # The academic who fits: the theme, the province and the words of the needs.
    fits = AcademicProfileFactory.create(
        person=PersonFactory.create(full_name="Ayşe Kaya"),
        title="Prof. Dr.",
        institution="Dicle Üniversitesi",
        department="Sosyal Hizmet Bölümü",
        expertise="Engellilik çalışmaları, engelli gençlerin istihdamı, saha araştırması",
    )
    fits.themes.set([disability])
    fits.provinces.set([diyarbakir])
    # One who does not: another theme, another province, expertise that barely meets the needs.
    other = AcademicProfileFactory.create(
        person=PersonFactory.create(full_name="Can Öztürk"),
        title="Dr.",
        institution="Karadeniz Teknik Üniversitesi",
        department="Sosyoloji Bölümü",
        expertise="Gençlerin kentsel hareketliliği ve göç",
    )
    other.themes.set([youth])
    other.provinces.set([province(61)])
    coordinator = StaffFactory.create(
        roles=[Role.PROGRAMME_COORDINATOR], full_name="Zeynep Arslan", email="zeynep@merkez.org"
    )

    # Staff open the matching page: the fitting academic comes first, with the reasons.
    log_in(page, live_server, coordinator)
    page.goto(turkish("academia:matching"))
    card = page.locator(f"#request-{request.pk}")
    expect(card.get_by_role("heading", level=2)).to_have_text(ORGANISATION)
    proposals = card.locator("ol > li")
    first = proposals.first
    expect(first.get_by_role("heading", level=3)).to_contain_text(FITS)
    with translation.override("tr"):
        shared_theme = gettext("Shared theme: %(theme)s") % {"theme": disability.label}
        works_in = gettext("Works in %(province)s") % {"province": diyarbakir.label}
    reasons = first.locator("ul.chips")
    expect(reasons).to_contain_text(shared_theme)
    expect(reasons).to_contain_text(works_in)
    # The other academic shares only a word of the needs ("gençlerin"), no theme, and works
    # elsewhere: proposed after her.
    expect(proposals).to_have_count(2)
    second = proposals.nth(1)
    expect(second.get_by_role("heading", level=3)).to_contain_text("Can Öztürk")
    expect(second.locator("ul.chips")).not_to_contain_text(shared_theme)
    expect(second.locator("ul.chips")).to_contain_text(tr("Elsewhere: could work online"))

    # They confirm the pair, with the title and goals they want.
    first.locator("summary", has_text=tr("Confirm this pair")).click()
    confirm = first.locator("form")
    confirm.get_by_label(tr("Title")).fill(TITLE)
    confirm.get_by_label(tr("Goals")).fill(
        "Engelli gençlerin iş bulma engellerini birlikte araştırmak ve bir rapor yayımlamak."
    )
    confirm.get_by_role("button", name=tr("Confirm this pair")).click()
    expect(page.locator(f"#request-{request.pk}[role=status]")).to_contain_text(TITLE)
    page.get_by_role("link", name=tr("Open the partnership")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    partnership = Partnership.objects.get()
    assert (partnership.organisation, partnership.academic) == (organisation, fits)
    assert partnership.theme == disability
    assert partnership.province == diyarbakir
    request.refresh_from_db()
    assert request.status == RequestStatus.MATCHED
    expect(page.locator("dl.details")).to_contain_text(shared_theme)

    # Fieldwork with one of the organisation's people: an "academia" delivery.
    slug = partnership.slug
    page.locator("summary", has_text=tr("Record an activity")).click()
    activity = page.locator(f"form[action='{turkish('academia:activity-add', slug)}']")
    activity.get_by_label(tr("Kind")).select_option(PartnershipActivityKind.FIELDWORK.value)
    activity.get_by_label(tr("Title")).fill("Saha görüşmeleri")
    activity.get_by_label(tr("Date")).fill((today - dt.timedelta(days=3)).isoformat())
    activity.get_by_label("Mehmet Demir").check()
    activity.get_by_label(tr("Number of participants")).fill("12")
    activity.get_by_role("button", name=tr("Record the activity")).click()
    expect(page.get_by_text(tr("The activity was recorded."))).to_be_visible()
    recorded = PartnershipActivity.objects.get(partnership=partnership)
    deliveries = Delivery.objects.filter(
        source_type=ContentType.objects.get_for_model(PartnershipActivity),
        source_id=str(recorded.pk),
        withdrawn_at__isnull=True,
    )
    assert sorted(
        (d.kind.slug, d.organisation_id, d.person_id, d.date)
        for d in deliveries.select_related("kind")
    ) == [("academia", organisation.pk, member.pk, today - dt.timedelta(days=3))]

    # A publication that is a link, not a file: a draft in the library while not public.
    page.locator("summary", has_text=tr("Add a publication")).click()
    output = page.locator(f"form[action='{turkish('academia:output-add', slug)}']")
    output.get_by_label(tr("Kind")).select_option(OutputKind.REPORT.value)
    output.get_by_label(tr("Title")).fill(REPORT)
    output.get_by_label(tr("Authors")).fill("Ayşe Kaya, Dicle Engelliler Dayanışma Derneği")
    output.get_by_label(tr("Published on")).fill(today.isoformat())
    output.get_by_label(tr("Summary")).fill("Saha görüşmelerinin bulguları ve öneriler.")
    output.get_by_label(tr("Web address")).fill(REPORT_URL)
    output.get_by_role("button", name=tr("Add the publication")).click()
    expect(
        page.get_by_text(tr("A draft in the library (the partnership is not public)"))
    ).to_be_visible()
    publication = PartnershipOutput.objects.get(partnership=partnership)
    assert publication.resource is not None
    assert publication.resource.link_url == REPORT_URL
    assert not publication.resource.is_published

    # Shown publicly, with both sides' consent ticked.
    page.get_by_label(
        tr("The organisation and the academic both agreed to show it publicly.")
    ).check()
    page.get_by_role("button", name=tr("Show it publicly")).click()
    expect(
        page.get_by_text(tr("The partnership and its publications are now public."))
    ).to_be_visible()
    partnership.refresh_from_db()
    assert partnership.is_public

    # A visitor finds the report in the library, and the partnership on its page.
    page.context.clear_cookies()
    page.goto(turkish("library:list"))
    page.get_by_role("link", name=REPORT).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(REPORT)
    line = page.locator("p", has_text=tr("From the NGO–academia partnership"))
    expect(line.get_by_role("link", name=TITLE)).to_be_visible()

    # The public partnerships page lists it.
    page.goto(turkish("academia:list"))
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator("main")).to_contain_text(REPORT)
