"""The coaching demo: the round "Örgütsel Mentorluk <year>" of the organisational mentoring
programme with 15 engagements of organisations in several provinces — 12 completed (the coach's
baseline and final assessments and a self-assessment at the baseline, believable improvements:
mostly +0.3 … +1.2 a dimension, a few flat or down; 5–8 plan actions, most done; 6–10 sessions of
60–180 minutes) and 3 active (baseline only, the plan partly done, a few sessions). Coaches: the
demo programme coordinator and an outside coach, "Dr. Selin Arslan" (koc@kaynak.example).

Everything is dated from ``context.now`` and drawn from a generator seeded by ``context.rng``:
the same seed in the same hour builds the same data. Titles and notes name no person.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from typing import Any

from kaynak.accounts.models import Role, User
from kaynak.accounts.services import member_create, role_grant
from kaynak.coaching import assessing, engagements
from kaynak.coaching.models import (
    ActionStatus,
    AssessmentKind,
    AssessmentStage,
    CoachingRound,
    Dimension,
    Engagement,
    EngagementStatus,
    Indicator,
    Instrument,
    SessionMode,
)
from kaynak.core.demo import DEMO_PASSWORD, DemoContext
from kaynak.directory.models import Affiliation, Organisation, Person
from kaynak.programmes.models import Programme

COACH_EMAIL = "koc@kaynak.example"
COACH_NAME = "Dr. Selin Arslan"
COMPLETED = 12
ACTIVE = 3

ACTIONS: dict[str, list[str]] = {
    "yonetisim": [
        "Yönetim kurulu iç yönergesinin yazılması",
        "Çıkar çatışması politikasının kabul edilmesi",
        "Genel kurul hazırlık takviminin çıkarılması",
    ],
    "strateji": [
        "Üç yıllık stratejik planın taslağı",
        "Değişim kuramının birlikte yazılması",
        "Yıllık faaliyet planının stratejiye bağlanması",
    ],
    "mali-yonetim": [
        "Mali prosedür el kitabının hazırlanması",
        "Muhasebe yazılımına geçiş",
        "Bağışçı çeşitlendirme planı",
        "Aylık bütçe–gerçekleşme tablosu",
    ],
    "insan-kaynaklari": [
        "Gönüllü görev tanımlarının yazılması",
        "Gönüllü oryantasyon programı",
        "Personel performans görüşmelerinin başlatılması",
    ],
    "program-yonetimi": [
        "İzleme ve değerlendirme çerçevesinin kurulması",
        "Faydalanıcı geri bildirim formunun hazırlanması",
        "Proje kapanış raporu şablonu",
    ],
    "dis-iliskiler": [
        "İletişim stratejisinin yazılması",
        "Yerel yönetimle düzenli görüşme takvimi",
        "Savunuculuk mesajlarının belirlenmesi",
    ],
    "dijital": [
        "Veri koruma (KVKK) envanterinin çıkarılması",
        "Ortak bulut klasör düzeninin kurulması",
        "Sosyal medya içerik takvimi",
    ],
}
OWNERS = [
    "Dernek başkanı",
    "Sayman",
    "Genel sekreter",
    "Yönetim kurulu",
    "Gönüllü koordinatörü",
    "Proje sorumlusu",
    "İletişim sorumlusu",
]
SHARED_NOTES = [
    "Stratejik plan taslağı birlikte gözden geçirildi; öncelikler sıralandı.",
    "Mali prosedürlerin ilk bölümü okundu; onay akışı sadeleştirildi.",
    "Gönüllü yönetimi üzerine çalışıldı; görev tanımlarının taslağı çıkarıldı.",
    "Bağışçı haritası çıkarıldı; üç yeni kaynak belirlendi.",
    "İzleme göstergeleri tartışıldı; veri toplama sorumlulukları paylaşıldı.",
    "İletişim planı için hedef kitleler ve kanallar belirlendi.",
    "Yönetim kurulu ile yetki devri konuşuldu.",
    "Eylem planının ara değerlendirmesi yapıldı.",
]
COACH_NOTES = [
    "Kurul içinde iş yükü dengesiz; bir sonraki görüşmede görev paylaşımına dönülmeli.",
    "Ekip motivasyonu yüksek, ancak mali konularda çekingen.",
    "Plan gerçekçi; takvim biraz sıkışık.",
    "",
]
FOLLOW_UPS = [
    "Taslak bir sonraki görüşmeden önce paylaşılacak.",
    "Kurul toplantısında karar alınacak.",
    "Örnek belgeler gönderilecek.",
    "",
]


def _programme() -> Programme:
    programme, _created = Programme.objects.get_or_create(
        slug="orgutsel-mentorluk",
        defaults={
            "name": "Örgütsel Mentorluk Programı",
            "name_en": "Organisational mentoring programme",
            "description": "Derneklere ve vakıflara altı ay boyunca birebir mentorluk desteği.",
        },
    )
    return programme


def _outside_coach() -> User:
    user = User.objects.filter(email=COACH_EMAIL).first()
    if user is None:
        user = member_create(
            email=COACH_EMAIL, password=DEMO_PASSWORD, full_name=COACH_NAME, verified=True
        )
        role_grant(user=user, role=Role.COACH, actor=None)
    return user


def _organisations(rng: random.Random, count: int) -> list[Organisation]:
    """``count`` organisations with members, spread over as many provinces as there are."""
    with_people = Affiliation.objects.filter(end_date__isnull=True).values("organisation_id")
    by_province: dict[int, list[Organisation]] = defaultdict(list)
    for organisation in (
        Organisation.objects.filter(province__isnull=False, pk__in=with_people)
        .exclude(coaching_engagements__isnull=False)
        .order_by("pk")
    ):
        assert organisation.province_id is not None
        by_province[organisation.province_id].append(organisation)
    provinces = sorted(by_province)
    rng.shuffle(provinces)
    chosen: list[Organisation] = []
    while len(chosen) < count and any(by_province.values()):
        for province in provinces:
            if by_province[province] and len(chosen) < count:
                chosen.append(by_province[province].pop(rng.randrange(len(by_province[province]))))
    return chosen


def _people(organisation: Organisation) -> list[Person]:
    return list(
        Person.objects.filter(
            affiliations__organisation=organisation,
            affiliations__end_date__isnull=True,
            erased_at__isnull=True,
        )
        .distinct()
        .order_by("pk")[:3]
    )


def _at(day: dt.date, hour: int, now: dt.datetime) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=now.tzinfo)


class _Scores:
    """Believable scores: a level per dimension at the baseline, and per dimension a change
    mostly up (+0.3 … +1.2), sometimes flat or down."""

    def __init__(self, rng: random.Random, dimensions: list[tuple[Dimension, list[Indicator]]]):
        self.rng = rng
        self.dimensions = dimensions

    def baseline(self) -> dict[str, int]:
        scores = {}
        for _dimension, indicators in self.dimensions:
            level = self.rng.choice([1, 2, 2, 2, 3])
            for indicator in indicators:
                scores[indicator.key] = min(4, max(1, level + self.rng.choice([-1, 0, 0, 1])))
        return scores

    def final(self, baseline: dict[str, int]) -> dict[str, int]:
        scores = dict(baseline)
        for _dimension, indicators in self.dimensions:
            roll = self.rng.random()
            keys = [i.key for i in indicators]
            if roll < 0.1:  # down a little
                key = self.rng.choice(keys)
                scores[key] = max(1, scores[key] - 1)
            elif roll < 0.2:  # flat
                continue
            else:  # up: a mean change of about +0.3 … +1.2 over the dimension's questions
                steps = self.rng.randint(1, max(1, round(len(keys) * 1.2)))
                for _step in range(steps):
                    key = self.rng.choice(keys)
                    scores[key] = min(4, scores[key] + 1)
        return scores

    @staticmethod
    def self_view(baseline: dict[str, int], rng: random.Random) -> dict[str, int]:
        """Organisations rate themselves a little higher than their coach does."""
        return {key: min(4, score + rng.choice([0, 0, 1])) for key, score in baseline.items()}


def _assess(
    engagement: Engagement,
    *,
    kind: str,
    stage: str,
    scores: dict[str, int],
    at: dt.datetime,
    actor: Any,
) -> None:
    assessment = assessing.start_assessment(
        organisation=engagement.organisation,
        kind=kind,
        stage=stage,
        actor=actor,
        engagement=engagement,
    )
    assessing.save_answers(
        assessment=assessment,
        answers={key: (score, "") for key, score in scores.items()},
        actor=actor,
    )
    assessing.complete_assessment(assessment=assessment, actor=actor, now=at)


def _plan(
    rng: random.Random,
    engagement: Engagement,
    dimensions: list[Dimension],
    *,
    share_done: float,
    coach: User,
    today: dt.date,
) -> None:
    by_key = {d.key: d for d in dimensions}
    keys = [key for key in ACTIONS if key in by_key] or [d.key for d in dimensions]
    span = (engagement.ends_on - engagement.starts_on).days
    for _n in range(rng.randint(5, 8)):
        key = rng.choice(keys)
        title = rng.choice(ACTIONS.get(key, ["Kurumsal gelişim eylemi"]))
        due_on = engagement.starts_on + dt.timedelta(days=rng.randint(span // 4, span))
        roll = rng.random()
        if roll < share_done:
            status, done_on = ActionStatus.DONE, min(due_on, engagement.ends_on, today)
        elif roll < share_done + 0.08:
            status, done_on = ActionStatus.DROPPED, None
        else:
            status = rng.choice([ActionStatus.TODO, ActionStatus.IN_PROGRESS])
            done_on = None
        engagements.action_add(
            engagement=engagement,
            title=title,
            dimension=by_key[key],
            owner=rng.choice(OWNERS),
            due_on=due_on,
            status=status,
            actor=coach,
            today=done_on,
        )


def _sessions(
    rng: random.Random,
    engagement: Engagement,
    *,
    count: int,
    until: dt.date,
    now: dt.datetime,
    coach: User,
) -> None:
    people = _people(engagement.organisation)
    span = max(1, (until - engagement.starts_on).days)
    for n in range(count):
        day = engagement.starts_on + dt.timedelta(days=(n * span) // count + rng.randint(0, 5))
        day = min(day, until)
        starts_at = _at(day, rng.choice([10, 14]), now)
        if starts_at > now:
            continue
        engagements.session_log(
            engagement=engagement,
            starts_at=starts_at,
            minutes=rng.choice([60, 90, 90, 120, 120, 150, 180]),
            mode=rng.choice([SessionMode.IN_PERSON, SessionMode.IN_PERSON, SessionMode.ONLINE]),
            participants=rng.sample(people, k=min(len(people), rng.randint(1, 2))),
            coach_notes=rng.choice(COACH_NOTES),
            shared_notes=rng.choice(SHARED_NOTES),
            follow_ups=rng.choice(FOLLOW_UPS),
            actor=coach,
            now=now,
        )


def build(context: DemoContext) -> None:
    if CoachingRound.objects.exists():
        return
    rng = random.Random(context.rng.getrandbits(64))  # noqa: S311 — demo data, not secrets
    now = context.now
    today = now.date()
    coordinator = (
        User.objects.filter(role_assignments__role=Role.PROGRAMME_COORDINATOR)
        .order_by("pk")
        .first()
    )
    organisations = _organisations(rng, COMPLETED + ACTIVE)
    if coordinator is None or len(organisations) < COMPLETED + ACTIVE:
        return
    with context.step("Coaching engagements", total=COMPLETED + ACTIVE) as advance:
        outside_coach = _outside_coach()
        instrument: Instrument = assessing.default_instrument()
        dimensions = list(instrument.dimensions.order_by("position", "pk"))
        questions = [(d, list(d.indicators.order_by("position", "pk"))) for d in dimensions]
        scores = _Scores(rng, questions)
        round_starts = today - dt.timedelta(days=420)
        round_ = engagements.round_create(
            programme=_programme(),
            name=f"Örgütsel Mentorluk {round_starts.year}",
            instrument=instrument,
            starts_on=round_starts,
            ends_on=today + dt.timedelta(days=75),
            actor=coordinator,
        )
        for number, organisation in enumerate(organisations):
            coach = outside_coach if number % 2 == 0 else coordinator
            completed = number < COMPLETED
            if completed:
                starts_on = round_starts + dt.timedelta(days=rng.randint(0, 40))
                ends_on = starts_on + dt.timedelta(days=rng.randint(240, 280))
            else:
                starts_on = today - dt.timedelta(days=rng.randint(90, 130))
                ends_on = today + dt.timedelta(days=rng.randint(50, 75))
            engagement = engagements.engagement_open(
                organisation=organisation,
                coach=coach,
                starts_on=starts_on,
                ends_on=ends_on,
                goals=rng.choice(
                    [
                        "Stratejik plan ve mali yönetimin güçlendirilmesi.",
                        "Gönüllü yönetimi ve iç iletişimin düzene konması.",
                        "Kaynak çeşitlendirme ve bağışçı ilişkileri.",
                        "İzleme-değerlendirme sisteminin kurulması.",
                    ]
                ),
                actor=coordinator,
                round=round_,
            )
            baseline = scores.baseline()
            baseline_at = _at(starts_on + dt.timedelta(days=rng.randint(3, 12)), 11, now)
            _assess(
                engagement,
                kind=AssessmentKind.COACH,
                stage=AssessmentStage.BASELINE,
                scores=baseline,
                at=baseline_at,
                actor=coach,
            )
            _assess(
                engagement,
                kind=AssessmentKind.SELF,
                stage=AssessmentStage.BASELINE,
                scores=_Scores.self_view(baseline, rng),
                at=baseline_at - dt.timedelta(days=2),
                actor=None,
            )
            if completed:
                _plan(rng, engagement, dimensions, share_done=0.8, coach=coach, today=today)
                _sessions(
                    rng,
                    engagement,
                    count=rng.randint(6, 10),
                    until=ends_on - dt.timedelta(days=10),
                    now=now,
                    coach=coach,
                )
                _assess(
                    engagement,
                    kind=AssessmentKind.COACH,
                    stage=AssessmentStage.FINAL,
                    scores=scores.final(baseline),
                    at=_at(ends_on - dt.timedelta(days=rng.randint(0, 8)), 15, now),
                    actor=coach,
                )
                engagement.refresh_from_db()
                engagements.engagement_update(
                    engagement=engagement,
                    coach=coach,
                    starts_on=starts_on,
                    ends_on=ends_on,
                    goals=engagement.goals,
                    status=EngagementStatus.COMPLETED,
                    actor=coach,
                    today=today,
                )
            else:
                _plan(rng, engagement, dimensions, share_done=0.4, coach=coach, today=today)
                _sessions(
                    rng,
                    engagement,
                    count=rng.randint(2, 4),
                    until=today - dt.timedelta(days=2),
                    now=now,
                    coach=coach,
                )
            advance()
    context.count("coaching engagements", COMPLETED + ACTIVE)
