"""Demo indicators with targets over the demo ledger (2022–2025), and one indicator reported by
hand with an approved value: what a center's results framework looks like on day one."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from kaynak.accounts.models import User
from kaynak.core.demo import DEMO_ADMIN_EMAIL, DemoContext
from kaynak.impact import reports, services
from kaynak.impact.models import DonorReport, Indicator, Level, Measure, Method
from kaynak.impact.services import IndicatorFilters, TargetData
from kaynak.ledger.models import ServiceKind

PROGRAMME_START = dt.date(2022, 1, 1)
PROGRAMME_END = dt.date(2025, 12, 31)
ME_OFFICER_EMAIL = "izleme@kaynak.example"

# code, Turkish name, English name, unit, measure, service kinds, target by the programme's end
COMPUTED = [
    ("O1.1", "Desteklenen kuruluşlar", "Organisations supported", "kuruluş", Measure.ORGANISATIONS,
     [], 2_000),
    ("O1.2", "Eğitim alan STK temsilcileri", "NGO representatives trained", "kişi",
     Measure.PEOPLE, ["training", "school", "webinar"], 3_000),
    ("O1.3", "Yanıtlanan destek talepleri", "Support requests answered", "talep",
     Measure.DELIVERIES, ["support"], 1_000),
    ("O1.4", "AB Destek Birimi'nin desteklediği kuruluşlar",
     "Organisations the EU Support Unit supported", "kuruluş",
     Measure.ORGANISATIONS, ["eu-support"], 50),
]  # fmt: skip

# code, Turkish name, English name, unit, outcome measure, target
OUTCOMES: list[tuple[str, str, str, str, str, str]] = [
    ("S1.1", "Mentorluk alan kuruluşların kapasite puanındaki artış",
     "Capacity score gain of coached organisations", "puan (1–4)", "capacity-change", "0.5"),
    ("S1.2", "Tamamlanan eylem planı adımları", "Action plan steps completed", "%",
     "plan-actions-completed", "75"),
]  # fmt: skip


def build(context: DemoContext) -> None:
    admin = User.objects.get(email=DEMO_ADMIN_EMAIL)
    officer = User.objects.filter(email=ME_OFFICER_EMAIL).first() or admin
    kinds = {kind.slug: kind for kind in ServiceKind.objects.all()}
    with context.step("Indicators", total=len(COMPUTED) + 1) as advance:
        for position, (code, name_tr, name_en, unit, measure, slugs, target) in enumerate(COMPUTED):
            services.indicator_create(
                indicator=Indicator(
                    code=code,
                    name_tr=name_tr,
                    name_en=name_en,
                    unit=unit,
                    level=Level.OUTPUT,
                    method=Method.COMPUTED,
                    measure=measure,
                    is_public=True,
                    position=position,
                ),
                filters=IndicatorFilters(kinds=[kinds[slug] for slug in slugs if slug in kinds]),
                targets=[
                    TargetData(
                        label="2022–2025",
                        start=PROGRAMME_START,
                        end=PROGRAMME_END,
                        value=Decimal(target),
                    )
                ],
                actor=admin,
            )
            advance()
        publications = services.indicator_create(
            indicator=Indicator(
                code="O2.1",
                name_tr="Üretilen yayınlar",
                name_en="Publications produced",
                unit="yayın",
                level=Level.OUTPUT,
                method=Method.MANUAL,
                position=len(COMPUTED),
            ),
            filters=IndicatorFilters(),
            targets=[
                TargetData(
                    label=str(year),
                    start=dt.date(year, 1, 1),
                    end=dt.date(year, 12, 31),
                    value=Decimal(12),
                )
                for year in range(2022, 2026)
            ],
            actor=admin,
        )
        # Outcomes the coaching app measures (kaynak.coaching.outcomes): what changed in the
        # coached organisations, not how many were coached.
        for place, (code, name_tr, name_en, unit, slug, goal) in enumerate(
            OUTCOMES, start=len(COMPUTED) + 1
        ):
            services.indicator_create(
                indicator=Indicator(
                    code=code,
                    name_tr=name_tr,
                    name_en=name_en,
                    unit=unit,
                    level=Level.OUTCOME,
                    method=Method.OUTCOME,
                    outcome_slug=slug,
                    is_public=True,
                    position=place,
                ),
                filters=IndicatorFilters(),
                targets=[
                    TargetData(
                        label="2022–2025",
                        start=PROGRAMME_START,
                        end=PROGRAMME_END,
                        value=Decimal(goal),
                    )
                ],
                actor=admin,
            )
        value = services.manual_value_enter(
            indicator=publications,
            period_start=dt.date(2025, 1, 1),
            period_end=dt.date(2025, 12, 31),
            value=Decimal(14),
            note="Rehberler, politika notları ve araştırma raporları.",
            actor=officer,
        )
        # Four eyes: the center admin approves what the M&E officer entered.
        services.manual_value_approve(value=value, actor=admin)
        advance()
    context.count("indicators", len(COMPUTED) + len(OUTCOMES) + 1)
    with context.step("Donor reports", total=2) as advance:
        donor_reports(actor=officer, year=PROGRAMME_END.year)
        advance(2)
    context.count("donor reports", 2)


# Donor reports: last year's, finished and sent, and this year's draft being written.
FINISHED_NARRATIVE = {
    "summary": (
        "Merkezimiz bu yıl eğitim, destek noktası ve AB destek birimi hizmetleriyle her "
        "bölgeden sivil toplum kuruluşuna ulaştı."
    ),
    "achievements": (
        "Kapasite eğitimlerine katılan kuruluş sayısı bir önceki yıla göre arttı; destek "
        "taleplerinin çoğu yanıt süresi hedefi içinde yanıtlandı."
    ),
    "challenges": (
        "Doğu illerindeki kuruluşlara ulaşmak için çevrim içi eğitimler yetmedi; yerinde "
        "eğitimlere daha çok ağırlık vermeliyiz."
    ),
    "next_steps": "Yerel ortaklarla bölgesel eğitimler planlanacak.",
}
DRAFT_NARRATIVE = {
    "summary": "Yılın ilk aylarında yürütülen çalışmaların özeti (taslak).",
}


def donor_reports(*, actor: User, year: int) -> list[DonorReport]:
    """A finished donor report for the year before ``year`` and a draft for ``year``."""
    made = []
    for report_year, narrative, finish in (
        (year - 1, FINISHED_NARRATIVE, True),
        (year, DRAFT_NARRATIVE, False),
    ):
        report = reports.report_create(
            title=f"{report_year} faaliyet raporu",
            scope=reports.scope_of(
                start=dt.date(report_year, 1, 1), end=dt.date(report_year, 12, 31)
            ),
            language="tr",
            actor=actor,
        )
        report = reports.report_save_narrative(
            report=report,
            data=reports.Narrative(title=report.title, **narrative),
            actor=actor,
        )
        if finish:
            report = reports.report_finish(report=report, actor=actor)
        made.append(report)
    return made
