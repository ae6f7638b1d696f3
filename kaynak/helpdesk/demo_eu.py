"""Demo EU Support Unit registry: eight EU-funded projects of demo organisations (a lead and one
to three partners each, a mix of programmes, statuses and provinces), about fifteen
technical-support meetings (each its ledger deliveries), a few of the unit's requests linked,
half of the projects in the public list.

``seed(context)`` is called from the support desk's ``demo.build`` after the requests exist;
it goes through the services, so the ledger and the audit log are as in real use.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from kaynak.accounts.models import Role, User
from kaynak.core.demo import DemoContext
from kaynak.core.models import Province, Theme
from kaynak.directory.models import Organisation
from kaynak.helpdesk import projects
from kaynak.helpdesk.models import (
    EUProgramme,
    EUProject,
    MeetingMode,
    PartnerRole,
    ProjectStatus,
    QueueKind,
    Request,
)

# title, acronym, programme, reference, status, start, months, budget (EUR), EU share, provinces,
# themes
PROJECTS: list[tuple[str, str, str, str, str, dt.date, int, int, Decimal, list[int], list[str]]] = [
    (
        "Kırsalda Kadın Kooperatiflerinin Güçlendirilmesi",
        "KADKOOP",
        EUProgramme.IPA_CSF,
        "EuropeAid/178371/DD/ACT/TR",
        ProjectStatus.ONGOING,
        dt.date(2025, 2, 1),
        24,
        285_000,
        Decimal("0.90"),
        [42, 70, 51],
        ["women", "rural-development"],
    ),
    (
        "Gençlerin Yerel Karar Alma Süreçlerine Katılımı",
        "GENÇKATIL",
        EUProgramme.ERASMUS,
        "2024-1-TR01-KA220-YOU-000245871",
        ProjectStatus.ONGOING,
        dt.date(2024, 11, 1),
        24,
        250_000,
        Decimal("1.00"),
        [35, 9],
        ["youth", "democracy"],
    ),
    (
        "Engelli Bireyler için Erişilebilir Kent Rehberi",
        "ERİŞKENT",
        EUProgramme.CERV,
        "101143812",
        ProjectStatus.COMPLETED,
        dt.date(2023, 3, 1),
        18,
        180_000,
        Decimal("0.80"),
        [6, 26],
        ["disability", "human-rights"],
    ),
    (
        "Mülteci Çocuklar için Psikososyal Destek Ağı",
        "PSİKONET",
        EUProgramme.NDICI_HRD,
        "EIDHR/2023/447-912",
        ProjectStatus.ONGOING,
        dt.date(2024, 1, 15),
        36,
        600_000,
        Decimal("0.85"),
        [27, 31, 63],
        ["migration", "children"],
    ),
    (
        "Yerel Medyada Doğrulanmış Haberciliğin Desteklenmesi",
        "DOĞRUHABER",
        EUProgramme.SIVIL_DUSUN,
        "",
        ProjectStatus.COMPLETED,
        dt.date(2022, 9, 1),
        12,
        60_000,
        Decimal("1.00"),
        [21],
        ["media", "freedom-of-expression"],
    ),
    (
        "Afet Sonrası Sivil Toplum Dayanıklılığı",
        "DAYANIK",
        EUProgramme.IPA_CSF,
        "EuropeAid/179012/DD/ACT/TR",
        ProjectStatus.APPLIED,
        dt.date(2026, 4, 1),
        30,
        450_000,
        Decimal("0.90"),
        [46, 44, 2],
        ["disaster", "civil-society"],
    ),
    (
        "Geleneksel El Sanatlarının Dijital Arşivi",
        "ELSANAT",
        EUProgramme.CREATIVE_EUROPE,
        "101130077",
        ProjectStatus.PLANNED,
        dt.date(2026, 9, 1),
        24,
        200_000,
        Decimal("0.60"),
        [34, 38],
        ["culture-arts"],
    ),
    (
        "İklim Değişikliğine Uyumda Yerel Ortaklıklar",
        "İKLİMORT",
        EUProgramme.HORIZON,
        "101094520",
        ProjectStatus.CANCELLED,
        dt.date(2024, 6, 1),
        36,
        900_000,
        Decimal("1.00"),
        [7, 48],
        ["environment"],
    ),
]

TOPICS = [
    "PRAG satın alma kuralları ve teklif dosyası",
    "Ara rapor ve finansal rapor hazırlığı",
    "Görünürlük ve iletişim kuralları",
    "Bütçe revizyonu ve kalemler arası aktarım",
    "Ortaklık anlaşması ve bağlı kuruluşların rolü",
    "Denetim (harcama doğrulaması) hazırlığı",
    "Mantıksal çerçeve ve göstergeler",
]
ROLES = [PartnerRole.CO_APPLICANT, PartnerRole.AFFILIATED_ENTITY, PartnerRole.ASSOCIATE]


def _months_later(start: dt.date, months: int) -> dt.date:
    year, month = divmod(start.month - 1 + months, 12)
    return dt.date(start.year + year, month + 1, 1) - dt.timedelta(days=1)


def seed(context: DemoContext) -> None:
    """The EU Support Unit's demo registry (nothing when there are too few organisations)."""
    rng = context.rng
    organisations = list(Organisation.objects.order_by("pk")[:400])
    if len(organisations) < 4 or EUProject.objects.exists():
        return
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    provinces = Province.objects.in_bulk()
    staff = list(
        User.objects.filter(role_assignments__role__in=[Role.SUPPORT_AGENT, Role.CENTER_ADMIN])
        .distinct()
        .order_by("pk")[:5]
    )
    requests = list(
        Request.objects.filter(queue__kind=QueueKind.EU_SUPPORT, is_spam=False).order_by("pk")[:6]
    )
    meetings_left = 15
    with context.step("EU projects", total=len(PROJECTS)) as advance:
        for n, row in enumerate(PROJECTS):
            title, acronym, programme, reference, status, start, months, budget = row[:8]
            share, plates, slugs = row[8], row[9], row[10]
            chosen = rng.sample(organisations, k=1 + rng.randint(1, 3))
            lead, partners = chosen[0], chosen[1:]
            project = projects.create_project(
                data=projects.ProjectData(
                    title=title,
                    acronym=acronym,
                    programme=programme,
                    reference=reference,
                    lead=lead,
                    total_budget=Decimal(budget),
                    eu_contribution=(Decimal(budget) * share).quantize(Decimal("1")),
                    start_date=start,
                    end_date=_months_later(start, months),
                    status=status,
                    description=f"{title}: AB Destek Birimi'nin teknik destek verdiği proje.",
                    staff_contact=staff[n % len(staff)] if staff else None,
                    provinces=[provinces[p] for p in plates if p in provinces],
                    themes=[themes[s] for s in slugs if s in themes],
                    partners=[(p, ROLES[i % len(ROLES)]) for i, p in enumerate(partners)],
                ),
                actor=None,
            )
            if n % 2 == 0:
                projects.set_public_consent(project=project, consent=True, actor=None)
            held = status in (ProjectStatus.ONGOING, ProjectStatus.COMPLETED)
            for m in range(min(meetings_left, 3 if held else 1)):
                day = start + dt.timedelta(days=30 + 75 * m + rng.randint(0, 20))
                if status == ProjectStatus.APPLIED:
                    day = start - dt.timedelta(days=120)  # help with the application
                attending = [lead, *rng.sample(partners, k=rng.randint(0, len(partners)))]
                projects.record_meeting(
                    project=project,
                    data=projects.MeetingData(
                        date=min(day, timezone.localdate()),
                        mode=rng.choice(list(MeetingMode)),
                        duration_minutes=rng.choice([45, 60, 90, 120]),
                        topics=rng.choice(TOPICS),
                        organisations=attending,
                        staff=staff[:1],
                    ),
                    actor=None,
                )
                meetings_left -= 1
                context.count("EU support meetings", 1)
            if requests and n < len(requests):
                projects.link_request(project=project, request=requests[n], actor=None)
            context.count("EU projects", 1)
            advance()
