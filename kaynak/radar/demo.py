"""Demo funding radar: the starter set of real funders' sources (disabled, as after an import),
a scan of the demo funder sites (``demo_site``: two foundations' feeds, a development agency's
list page, EU Funding & Tenders and Grants.gov answers, served on 127.0.0.1 while the demo is
built), announcements an editor entered by hand (the labelled corpus), most of them published,
some left as drafts for the review queue; saved searches and an organisation's pipeline.

The demo site exists only while the demo is built, so its sources are left disabled.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

from django.db import transaction

from kaynak.accounts.models import Role, User
from kaynak.core.demo import DemoContext
from kaynak.directory.models import Affiliation
from kaynak.radar import services
from kaynak.radar.candidates import Candidate
from kaynak.radar.demo_site import create_demo_sources, serve_demo_site
from kaynak.radar.extraction.text import to_text
from kaynak.radar.fetching import Fetcher
from kaynak.radar.models import (
    Opportunity,
    OpportunityStatus,
    PipelineStage,
    SavedSearch,
    ScanTrigger,
    TrackedOpportunity,
)
from kaynak.radar.scanning import scan_source
from kaynak.radar.sources.starter import import_sources, read_definitions

CORPUS = Path(__file__).parent / "tests" / "corpus"
KINDS = {".txt": "txt", ".html": "html", ".pdf": "pdf"}
# Share of found calls the demo editor has already published; the rest wait in the queue.
PUBLISHED_SHARE = 0.8


def _editor() -> User | None:
    return User.objects.filter(role_assignments__role=Role.RADAR_EDITOR).first()


def _scan_demo_sites(editor: User | None) -> int:
    found = 0
    with serve_demo_site() as base_url, Fetcher(allow_loopback=True, host_delay=0) as fetcher:
        for source in create_demo_sources(base_url, enabled=False):
            run = scan_source(
                source=source,
                trigger=ScanTrigger.EDITOR,
                started_by=editor,
                fetcher=fetcher,
                concurrency=2,
            )
            found += run.new
    return found


def _enter_corpus(editor: User | None, rng: random.Random) -> int:
    """Announcements of the labelled corpus, as if an editor had pasted them in."""
    source = services.manual_source()
    files = sorted(p for p in CORPUS.iterdir() if p.suffix in KINDS)
    entered = 0
    for path in rng.sample(files, k=min(30, len(files))):
        data = path.read_bytes()
        kind = KINDS[path.suffix]
        if not to_text(data, kind):
            continue
        with transaction.atomic():
            services.ingest(
                source=source,
                candidate=Candidate(
                    url=f"https://duyurular.example.org/{path.stem}",
                    title="",  # as an editor's upload: the title is read from the text
                    body=data,
                    body_kind=kind,  # type: ignore[arg-type]
                ),
                actor=editor,
            )
        entered += 1
    return entered


def build(context: DemoContext) -> None:
    rng = random.Random(context.rng.getrandbits(64))  # noqa: S311 — demo data, not secrets
    editor = _editor()
    with context.step("Funding radar", total=4) as advance:
        import_sources(definitions=read_definitions(), actor=editor)
        advance()
        _scan_demo_sites(editor)
        advance()
        _enter_corpus(editor, rng)
        advance()
        drafts = list(Opportunity.objects.filter(status=OpportunityStatus.DRAFT).order_by("id"))
        for call in drafts:
            if rng.random() < PUBLISHED_SHARE:
                services.publish(opportunity=call, actor=editor)
        # Published calls spread over the last weeks, so "new since" and digests have history.
        now = context.now
        for call in Opportunity.objects.filter(status=OpportunityStatus.PUBLISHED):
            call.published_at = now - dt.timedelta(
                days=rng.randint(0, 40), hours=rng.randint(0, 23)
            )
            call.save(update_fields=["published_at"])
        _alerts_and_pipeline(rng, context.now)
        advance()
    context.created["funding calls"] = Opportunity.objects.count()


def _alerts_and_pipeline(rng: random.Random, now: dt.datetime) -> None:
    published = list(
        Opportunity.objects.filter(status=OpportunityStatus.PUBLISHED).order_by("deadline_at")
    )
    SavedSearch.objects.create(
        email="abone@example.org",
        language="tr",
        name="Kadın ve istihdam",
        query={"themes": ["women"]},
        confirmed_at=now,
        last_digest_at=now - dt.timedelta(days=7),
    )
    SavedSearch.objects.create(
        email="subscriber@example.org",
        language="en",
        name="Civil society, EU",
        query={"themes": ["civil-society"], "currency": "EUR"},
        confirmed_at=now,
        notify_closing=True,
        last_digest_at=now - dt.timedelta(days=7),
    )
    admin = (
        Affiliation.objects.filter(is_admin=True, person__user__isnull=False)
        .select_related("organisation", "person__user")
        .order_by("id")
        .first()
    )
    user = admin.person.user if admin is not None else None
    if admin is None or user is None or not published:
        return
    stages = list(PipelineStage)
    for call in rng.sample(published, k=min(4, len(published))):
        stage = rng.choice(stages)
        TrackedOpportunity.objects.create(
            organisation=admin.organisation,
            opportunity=call,
            stage=stage,
            responsible=user,
            added_by=user,
            shared_with_center=True,
            notes="Ortak arayışı sürüyor.",
            amount_requested=call.amount_max,
            amount_won=call.amount_max if stage == PipelineStage.WON else None,
        )
    SavedSearch.objects.create(
        user=user,
        email=user.email,
        language="tr",
        name="Bizim temalarımız",
        query={"themes": list(admin.organisation.themes.values_list("slug", flat=True)[:3])},
        confirmed_at=now,
    )
