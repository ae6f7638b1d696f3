"""Ingesting candidates into calls (dedupe, changes, editors' corrections kept) and the editors'
verbs."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kaynak.accounts.models import Role
from kaynak.accounts.tests.factories import StaffFactory
from kaynak.radar import services
from kaynak.radar.candidates import Candidate
from kaynak.radar.models import (
    ChangeKind,
    DeadlineKind,
    Opportunity,
    OpportunityChange,
    OpportunityStatus,
    RawItem,
    RawOutcome,
    SourceKind,
)
from kaynak.radar.services import RadarError, deadline_instant, ingest, normalise_url
from kaynak.radar.tests.factories import FunderFactory, OpportunityFactory, SourceFactory

pytestmark = pytest.mark.django_db

ANNOUNCEMENT = """Kadın Kooperatiflerine Destek Programı 2027

İzmir Kalkınma Ajansı, kadın kooperatiflerinin ve derneklerin kapasitesini güçlendirmek
amacıyla mali destek programı ilan etmiştir.

Son Başvuru Tarihi: {deadline}
Proje başına azami destek tutarı: {amount} TL
Uygun başvuru sahipleri: dernekler, vakıflar ve kooperatifler
"""


def announcement(deadline: str = "15 Mart 2027", amount: str = "750.000") -> str:
    return ANNOUNCEMENT.format(deadline=deadline, amount=amount)


def candidate(
    url: str = "https://izka.example.org/destek/kadin-2027", **kwargs: object
) -> Candidate:
    values: dict[str, object] = {
        "title": "Kadın Kooperatiflerine Destek Programı 2027",
        "body": announcement(),
        "body_kind": "txt",
    }
    values.update(kwargs)
    return Candidate(url=url, **values)  # type: ignore[arg-type]


@pytest.fixture
def editor():
    return StaffFactory.create(roles=[Role.RADAR_EDITOR])


def test_a_new_announcement_becomes_a_draft_with_its_fields_read() -> None:
    source = SourceFactory.create()
    raw = RawItem.objects.create(source=source, role="detail", url="https://izka.example.org/x")

    result = ingest(source=source, candidate=candidate(), raw_item=raw)

    call = result.opportunity
    assert result.outcome == "new"
    assert call.status == OpportunityStatus.DRAFT
    assert call.deadline_date == dt.date(2027, 3, 15)
    assert call.deadline_kind == DeadlineKind.FIXED
    assert call.amount_max == Decimal("750000")
    assert call.currency == "TRY"
    assert {"association", "foundation", "cooperative"} <= set(
        call.applicant_types.values_list("slug", flat=True)
    )
    assert "women" in set(call.themes.values_list("slug", flat=True))
    assert call.funder == source.funder
    assert call.links.count() == 1
    raw.refresh_from_db()
    assert raw.outcome == RawOutcome.NEW
    assert raw.opportunity == call
    assert raw.extracted["deadline_date"] == "2027-03-15"
    assert call.changes.get().kind == ChangeKind.CREATED


def test_the_same_page_read_again_changes_nothing() -> None:
    source = SourceFactory.create()
    first = ingest(source=source, candidate=candidate())

    again = ingest(source=source, candidate=candidate())

    assert again.outcome == "unchanged"
    assert again.opportunity == first.opportunity
    assert Opportunity.objects.count() == 1
    assert OpportunityChange.objects.count() == 1


def test_a_moved_deadline_is_applied_as_a_notable_change_of_a_published_call(editor) -> None:
    source = SourceFactory.create()
    call = ingest(source=source, candidate=candidate()).opportunity
    services.publish(opportunity=call, actor=editor)

    moved = ingest(source=source, candidate=candidate(body=announcement(deadline="5 Nisan 2027")))

    call.refresh_from_db()
    assert moved.outcome == "updated"
    assert call.deadline_date == dt.date(2027, 4, 5)
    assert moved.change is not None
    assert moved.change.kind == ChangeKind.DEADLINE
    assert moved.change.notable
    assert moved.change.fields["deadline_date"] == ["2027-03-15", "2027-04-05"]
    assert call.changed_at is not None


def test_an_editors_correction_survives_a_rescan_of_the_unchanged_page(editor) -> None:
    source = SourceFactory.create()
    call = ingest(source=source, candidate=candidate()).opportunity
    services.edit(opportunity=call, actor=editor, changes={"amount_max": Decimal("700000")})

    ingest(source=source, candidate=candidate())

    call.refresh_from_db()
    assert call.amount_max == Decimal("700000")


def test_a_real_change_at_the_source_overrides_an_earlier_correction(editor) -> None:
    source = SourceFactory.create()
    call = ingest(source=source, candidate=candidate()).opportunity
    services.edit(opportunity=call, actor=editor, changes={"amount_max": Decimal("700000")})

    ingest(source=source, candidate=candidate(body=announcement(amount="900.000")))

    call.refresh_from_db()
    assert call.amount_max == Decimal("900000")


def test_the_same_call_from_another_source_is_one_call_with_two_links() -> None:
    funder = FunderFactory.create()
    agency = SourceFactory.create(funder=funder)
    newsletter = SourceFactory.create(funder=None, kind=SourceKind.RSS)
    first = ingest(source=agency, candidate=candidate()).opportunity

    relayed = ingest(
        source=newsletter,
        candidate=candidate(
            url="https://bulten.example.net/2027/01/kadin-kooperatiflerine-destek",
            title="Kadın Kooperatiflerine Destek Programı 2027 İlan Edildi",
        ),
    )

    assert relayed.opportunity == first
    assert Opportunity.objects.count() == 1
    assert sorted(first.links.values_list("url", flat=True)) == [
        "https://bulten.example.net/2027/01/kadin-kooperatiflerine-destek",
        "https://izka.example.org/destek/kadin-2027",
    ]


def test_a_different_call_with_the_same_deadline_stays_apart() -> None:
    source = SourceFactory.create()
    ingest(source=source, candidate=candidate())

    other = ingest(
        source=source,
        candidate=candidate(
            url="https://izka.example.org/destek/turizm-2027",
            title="Turizm Altyapısı Mali Destek Programı 2027",
        ),
    )

    assert other.outcome == "new"
    assert Opportunity.objects.count() == 2


def test_a_funders_reference_finds_the_call_whatever_the_address() -> None:
    source = SourceFactory.create(kind=SourceKind.EU_FT)
    first = ingest(
        source=source,
        candidate=candidate(
            url="https://ec.example.eu/topic/CERV-2027-CHILD", item_key="CERV-2027-CHILD"
        ),
    )

    second = ingest(
        source=source,
        candidate=candidate(url="https://ec.example.eu/other/CERV", item_key="CERV-2027-CHILD"),
    )

    assert second.opportunity == first.opportunity


def test_stated_fields_win_over_extraction_and_a_missing_ceiling_stays_unknown() -> None:
    source = SourceFactory.create(kind=SourceKind.GRANTS_GOV)
    result = ingest(
        source=source,
        candidate=candidate(
            item_key="350001",
            fields={
                "deadline": "2027-06-30",
                "amount_min": None,
                "amount_max": None,
                "currency": "USD",
                "other_deadlines": [{"date": "2027-09-30", "label": "second round"}],
            },
            body="Awards will be made to nonprofit organizations.",
        ),
    )

    call = result.opportunity
    assert call.deadline_date == dt.date(2027, 6, 30)
    assert call.amount_min is None
    assert call.amount_max is None
    assert call.other_deadlines == [{"date": "2027-09-30", "label": "second round"}]


def test_a_corrigendum_is_recorded_as_such() -> None:
    source = SourceFactory.create()
    ingest(source=source, candidate=candidate())

    result = ingest(
        source=source,
        candidate=candidate(
            title="Düzeltme İlanı: Kadın Kooperatiflerine Destek Programı 2027",
            body=announcement(amount="800.000"),
        ),
    )

    assert result.change is not None
    assert result.change.kind == ChangeKind.CORRIGENDUM
    assert result.change.notable


def test_an_announcement_without_title_or_text_is_refused() -> None:
    with pytest.raises(RadarError):
        ingest(
            source=SourceFactory.create(),
            candidate=Candidate(url="https://x.example.org/", title=""),
        )


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (
            "HTTP://WWW.Example.org/Destek/?utm_source=x&b=2&a=1#top",
            "https://example.org/Destek?a=1&b=2",
        ),
        ("https://example.org:443/a/", "https://example.org/a"),
        ("https://example.org", "https://example.org/"),
        ("https://example.org:8443/a?fbclid=1", "https://example.org:8443/a"),
        ("not a url", "not a url"),
    ],
)
def test_addresses_are_compared_in_one_spelling(given: str, expected: str) -> None:
    assert normalise_url(given) == expected


def test_a_deadline_is_the_stated_wall_clock_in_the_stated_zone() -> None:
    brussels = deadline_instant(dt.date(2027, 1, 15), dt.time(17, 0), "Europe/Brussels")
    istanbul = deadline_instant(dt.date(2027, 1, 15), None, "")

    assert brussels == dt.datetime(2027, 1, 15, 16, 0, tzinfo=dt.UTC)
    assert istanbul == dt.datetime(2027, 1, 15, 20, 59, 59, tzinfo=dt.UTC)


def test_an_edit_is_kept_with_old_and_new_values(editor) -> None:
    call = OpportunityFactory.create(status=OpportunityStatus.DRAFT, amount_max=Decimal("500000"))

    change = services.edit(
        opportunity=call,
        actor=editor,
        changes={"amount_max": Decimal("450000"), "themes": ["women", "labour"]},
        note="Tutar ilan metninde 450 bin.",
    )

    assert change is not None
    assert change.fields["amount_max"] == ["500000", "450000"]
    assert change.fields["themes"] == [[], ["labour", "women"]]
    assert change.actor == editor
    assert (
        services.edit(opportunity=call, actor=editor, changes={"amount_max": Decimal("450000")})
        is None
    )


@pytest.mark.parametrize(
    "changes",
    [
        {"title": "  "},
        {"amount_min": Decimal("10"), "amount_max": Decimal("5")},
        {"deadline_kind": "fixed", "deadline_date": None},
        {"currency": "lira"},
        {"deadline_timezone": "Mars/Olympus"},
        {"status": "published"},
    ],
)
def test_a_bad_edit_is_refused_and_changes_nothing(editor, changes) -> None:
    call = OpportunityFactory.create(status=OpportunityStatus.DRAFT)
    before = services.reading_of(call)

    with pytest.raises(RadarError):
        services.edit(opportunity=call, actor=editor, changes=changes)

    call.refresh_from_db()
    assert services.reading_of(call) == before
    assert not call.changes.exists()


def test_publish_reject_and_reopen_are_recorded(editor) -> None:
    call = OpportunityFactory.create(status=OpportunityStatus.DRAFT)

    services.publish(opportunity=call, actor=editor)
    call.refresh_from_db()
    published_at = call.published_at
    assert call.status == OpportunityStatus.PUBLISHED
    assert published_at is not None

    services.reopen(opportunity=call, actor=editor)
    services.publish(opportunity=call, actor=editor)
    call.refresh_from_db()
    assert call.published_at == published_at

    with pytest.raises(RadarError):
        services.reject(opportunity=call, actor=editor, reason=" ")
    services.reject(opportunity=call, actor=editor, reason="Bu bir ihale ilanı, hibe değil.")
    call.refresh_from_db()
    assert call.status == OpportunityStatus.REJECTED
    assert call.rejection_reason == "Bu bir ihale ilanı, hibe değil."
    kinds = list(call.changes.order_by("at", "id").values_list("kind", flat=True))
    assert kinds == ["published", "reopened", "published", "rejected"]


def test_the_manual_source_is_one_row() -> None:
    assert services.manual_source() == services.manual_source()
    assert services.manual_source().kind == SourceKind.MANUAL


@pytest.mark.parametrize(
    ("body", "kind", "expected"),
    [
        (
            "<html><head><title>Sosyal Kalkınma Programı | Ajans</title></head><body><nav>"
            "Son haberler</nav><h1>2027 Sosyal Kalkınma Programı</h1><p>…</p></body></html>",
            "html",
            "2027 Sosyal Kalkınma Programı",
        ),
        (
            "<html><head><title>Gençlik Hibeleri – Vakıf</title></head>"
            "<body><p>x</p></body></html>",
            "html",
            "Gençlik Hibeleri",
        ),
        (
            "UNICEF Türkiye Ülke Ofisi\nÇocuk Koruma Küçük Hibe Çağrısı 2027\n"
            "Son başvuru: 1 Mart 2027",
            "txt",
            "Çocuk Koruma Küçük Hibe Çağrısı 2027",
        ),
        ("Duyuru metni\nAyrıntılar aşağıda", "txt", "Duyuru metni"),
    ],
)
def test_a_missing_title_is_read_from_the_page_or_the_opening_lines(
    body: str, kind: str, expected: str
) -> None:
    result = ingest(
        source=SourceFactory.create(),
        candidate=Candidate(url="https://x.example.org/a", title="", body=body, body_kind=kind),  # type: ignore[arg-type]
    )

    assert result.opportunity.title == expected


def test_a_pdfs_heading_wrapped_over_lines_is_read_whole() -> None:
    from pathlib import Path

    pdf = (Path(__file__).parent / "corpus" / "025-unhcr-pdf.pdf").read_bytes()

    result = ingest(
        source=SourceFactory.create(),
        candidate=Candidate(url="https://x.example.org/b", title="", body=pdf, body_kind="pdf"),
    )

    assert result.opportunity.title == "UNHCR Türkiye – Call for Expression of Interest"


def test_a_text_opening_with_prose_gets_its_first_sentence_as_title() -> None:
    prose = (
        "The Foundation's Istanbul office is pleased to invite proposals for its 2027 programme "
        "on workers' rights. We support trade unions and associations. Deadline: 20 February 2027."
    )

    result = ingest(
        source=SourceFactory.create(),
        candidate=Candidate(url="https://x.example.org/c", title="", body=prose),
    )

    assert result.opportunity.title == (
        "The Foundation's Istanbul office is pleased to invite proposals for its 2027 programme "
        "on workers' rights."
    )
