"""The radar editors' pages: who may open them (in Turkish and English), the drafts queue with
its filters and a bounded number of queries, and the review page of one call with the source
text marked, escaped."""

from __future__ import annotations

import pytest
from django.test import Client
from pytest_django.asserts import assertContains, assertNotContains

from kaynak.accounts.models import Role, User
from kaynak.accounts.tests.factories import StaffFactory, UserFactory
from kaynak.accounts.tests.helpers import url
from kaynak.radar import manual
from kaynak.radar.models import Opportunity, OpportunityStatus, RawItem, RawRole, ScanRun
from kaynak.radar.tests.factories import OpportunityFactory, SourceFactory

pytestmark = pytest.mark.django_db

ANNOUNCEMENT = """Kadın Kooperatiflerine Destek Programı
Programın amacı kırsal alanda kadınların ekonomik hayata katılımını desteklemektir.
Son başvuru tarihi: 15 Aralık 2026 saat 17:00
Proje başına azami destek tutarı 750.000 TL'dir.
Uygun başvuru sahipleri: dernekler ve vakıflar.
"""


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def editor_user() -> User:
    return StaffFactory.create(roles=[Role.RADAR_EDITOR])


@pytest.fixture
def editor(editor_user: User) -> Client:
    return logged_in(editor_user)


def entered(editor_user: User, text: str = ANNOUNCEMENT, title: str = "") -> Opportunity:
    return manual.enter_text(actor=editor_user, text=text, title=title).opportunity


def staff_pages() -> list[tuple[str, tuple[int, ...]]]:
    source = SourceFactory.create()
    scan = ScanRun.objects.create(source=source, trigger="editor")
    raw = RawItem.objects.create(source=source, scan=scan, role=RawRole.DETAIL, body=b"x")
    call = OpportunityFactory.create(status=OpportunityStatus.DRAFT)
    return [
        ("radar:staff-drafts", ()),
        ("radar:staff-opportunity", (call.pk,)),
        ("radar:staff-manual", ()),
        ("radar:staff-sources", ()),
        ("radar:staff-source", (source.pk,)),
        ("radar:staff-scan", (scan.pk,)),
        ("radar:staff-raw-item", (raw.pk,)),
        ("radar:staff-corrections", ()),
    ]


# Who may open what ------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["tr", "en"])
def test_visitors_are_sent_to_log_in_from_every_staff_page(client: Client, language: str) -> None:
    for name, args in staff_pages():
        response = client.get(url(name, *args, language=language))
        assert response.status_code == 302, name
        assert "login" in response["Location"] or "giris" in response["Location"], name


@pytest.mark.parametrize("language", ["tr", "en"])
def test_members_and_other_staff_get_not_found(language: str) -> None:
    pages = staff_pages()
    for user in (UserFactory.create(), StaffFactory.create(roles=[Role.PROGRAMME_COORDINATOR])):
        client = logged_in(user)
        for name, args in pages:
            assert client.get(url(name, *args, language=language)).status_code == 404, name


@pytest.mark.parametrize("language", ["tr", "en"])
def test_radar_editors_open_every_staff_page(editor: Client, language: str) -> None:
    for name, args in staff_pages():
        assert editor.get(url(name, *args, language=language)).status_code == 200, name


def test_the_turkish_pages_speak_turkish_and_the_english_ones_english(editor: Client) -> None:
    assertContains(editor.get(url("radar:staff-drafts", language="en")), "Calls to review")
    turkish = editor.get(url("radar:staff-drafts", language="tr"))
    assert turkish.status_code == 200
    assert 'lang="tr"' in turkish.content.decode()


# The queue --------------------------------------------------------------------------------------


def test_the_queue_lists_drafts_newest_first_and_leaves_out_published_calls(
    editor: Client,
) -> None:
    older = OpportunityFactory.create(status=OpportunityStatus.DRAFT, title="Eski taslak")
    newer = OpportunityFactory.create(status=OpportunityStatus.DRAFT, title="Yeni taslak")
    OpportunityFactory.create(title="Yayımlanmış çağrı")

    response = editor.get(url("radar:staff-drafts", language="en"))

    assert [call.pk for call, _empty in response.context["rows"]] == [newer.pk, older.pk]
    assertNotContains(response, "Yayımlanmış çağrı")
    assertContains(response, "2 calls")


def test_the_queue_filters_by_status_language_funder_and_source(editor: Client) -> None:
    english = OpportunityFactory.create(status=OpportunityStatus.DRAFT, language="en")
    OpportunityFactory.create(status=OpportunityStatus.DRAFT, language="tr")
    published = OpportunityFactory.create()

    def shown(**query: str) -> list[int]:
        response = editor.get(url("radar:staff-drafts", language="en"), query)
        return [call.pk for call, _empty in response.context["rows"]]

    assert shown(language="en") == [english.pk]
    assert shown(status="published") == [published.pk]
    assert shown(funder=str(english.funder_id)) == [english.pk]
    assert len(shown(status="")) == 3


def test_the_queue_filters_by_source_through_the_calls_links(
    editor: Client, editor_user: User
) -> None:
    call = entered(editor_user)
    OpportunityFactory.create(status=OpportunityStatus.DRAFT)
    source = RawItem.objects.get(opportunity=call).source

    response = editor.get(url("radar:staff-drafts", language="en"), {"source": source.pk})

    assert [c.pk for c, _empty in response.context["rows"]] == [call.pk]


def test_the_queue_names_the_fields_extraction_left_empty_and_filters_on_them(
    editor: Client,
) -> None:
    complete = OpportunityFactory.create(
        status=OpportunityStatus.DRAFT, themes=["women"], applicant_types=["association"]
    )
    no_amount = OpportunityFactory.create(
        status=OpportunityStatus.DRAFT,
        themes=["women"],
        applicant_types=["association"],
        amount_max=None,
        currency="",
    )

    everything = editor.get(url("radar:staff-drafts", language="en"))
    empty = {call.pk: names for call, names in everything.context["rows"]}
    assert empty[complete.pk] == ["countries"]
    assert empty[no_amount.pk] == ["amount", "countries"]

    response = editor.get(url("radar:staff-drafts", language="en"), {"missing": "amount"})
    assert [call.pk for call, _empty in response.context["rows"]] == [no_amount.pk]
    response = editor.get(url("radar:staff-drafts", language="en"), {"missing": "any"})
    assert [call.pk for call, _empty in response.context["rows"]] == [no_amount.pk]


def test_the_queue_costs_the_same_queries_for_many_drafts(
    editor: Client, django_assert_num_queries
) -> None:
    OpportunityFactory.create_batch(2, status=OpportunityStatus.DRAFT, themes=["women"])
    editor.get(url("radar:staff-drafts"))  # the center's settings are made once
    # Session, user, TOTP, roles; sources and funders of the filters; count; page.
    with django_assert_num_queries(9) as few:
        editor.get(url("radar:staff-drafts"))
    OpportunityFactory.create_batch(12, status=OpportunityStatus.DRAFT, themes=["youth"])
    with django_assert_num_queries(len(few.captured_queries)):
        response = editor.get(url("radar:staff-drafts"))
    assert len(response.context["rows"]) == 14


def test_the_queue_pages_keep_the_filters(editor: Client) -> None:
    OpportunityFactory.create_batch(51, status=OpportunityStatus.DRAFT, language="en")

    response = editor.get(url("radar:staff-drafts", language="en"), {"language": "en"})

    assert len(response.context["rows"]) == 50
    assertContains(response, "language=en&amp;page=2")


# The review page --------------------------------------------------------------------------------


def test_the_review_page_marks_each_field_s_evidence_in_the_source_text(
    editor: Client, editor_user: User
) -> None:
    call = entered(editor_user)

    response = editor.get(url("radar:staff-opportunity", call.pk, language="en"))

    html = response.content.decode()
    assert '<mark data-field="deadline" title="2026-12-15">15 Aralık 2026 saat 17:00</mark>' in html
    assert '<mark data-field="amount" title="750000">750.000 TL</mark>' in html
    assert '<mark data-field="applicant_types"' in html
    assertContains(response, '<li data-field="deadline">Deadline</li>', html=True)


def test_the_review_page_prefills_the_form_with_the_call_s_fields(
    editor: Client, editor_user: User
) -> None:
    call = entered(editor_user)

    form = editor.get(url("radar:staff-opportunity", call.pk, language="en")).context["form"]

    assert form.initial["deadline_date"].isoformat() == "2026-12-15"
    assert form.initial["amount_max"] == "750000"
    assert form.initial["currency"] == "TRY"
    assert form.initial["applicant_types"] == ["association", "foundation"]


def test_html_and_scripts_in_the_source_text_are_shown_escaped(
    editor: Client, editor_user: User
) -> None:
    text = (
        "Hibe çağrısı <script>alert('x')</script>\n"
        '<img src=x onerror="alert(1)"> Son başvuru tarihi: 15 Aralık 2026\n'
    )
    call = entered(editor_user, text=text, title="Kötü niyetli ilan")

    response = editor.get(url("radar:staff-opportunity", call.pk, language="en"))

    html = response.content.decode()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html


def test_the_review_page_lists_the_links_and_the_history(editor: Client, editor_user: User) -> None:
    call = manual.enter_text(
        actor=editor_user, text=ANNOUNCEMENT, url="https://ajans.example.org/cagri/1"
    ).opportunity

    response = editor.get(url("radar:staff-opportunity", call.pk, language="en"))

    assertContains(response, "https://ajans.example.org/cagri/1")
    assertContains(response, "Found")
    assert [item["change"].kind for item in response.context["changes"]] == ["created"]


def test_a_missing_call_is_not_found(editor: Client) -> None:
    assert editor.get(url("radar:staff-opportunity", 999, language="en")).status_code == 404
