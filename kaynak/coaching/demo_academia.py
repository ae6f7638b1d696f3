"""The NGO–academia demo: the round "STÖ–Akademi İşbirliği 2024" of the programme
"STÖ–Akademi İşbirliği Programı", 27 academics (directory people with Turkish names, titles and
universities in ten provinces), 27 partnerships in those provinces on disability, ageing, women,
youth, LGBTI+, rural development, freedom of expression and more — most completed and public,
each with 2–4 activities (fieldwork, joint trainings, conferences) in which people of the
organisation took part — about ten publications (links, no files) that appear in the library,
and 4 open requests for the matching page. One academic has an account
(``akademisyen@kaynak.example``) to try "my partnerships".

Everything goes through the services (so the ledger and the library are written as in real use),
is dated from ``context.now`` and drawn from a generator seeded by ``context.rng``: the same
seed in the same hour builds the same data. Titles name no person.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from django.db.models import Count

from kaynak.accounts.models import User
from kaynak.accounts.services import member_create
from kaynak.coaching import academia
from kaynak.coaching.models import AcademicProfile, PartnershipRound, PartnershipStatus
from kaynak.core.demo import DEMO_PASSWORD, DemoContext
from kaynak.core.models import Province, Theme
from kaynak.core.text import search_key
from kaynak.directory import services as directory_services
from kaynak.directory.models import Organisation, OrganisationStatus, Person
from kaynak.programmes.models import Programme

ACADEMICS = 27
OPEN_REQUESTS = 4
PUBLICATIONS = 10
ACADEMIC_EMAIL = "akademisyen@kaynak.example"

# Plate code → universities there.
UNIVERSITIES: dict[int, list[str]] = {
    34: ["İstanbul Üniversitesi", "Boğaziçi Üniversitesi", "Marmara Üniversitesi"],
    6: ["Ankara Üniversitesi", "Orta Doğu Teknik Üniversitesi", "Hacettepe Üniversitesi"],
    35: ["Ege Üniversitesi", "Dokuz Eylül Üniversitesi"],
    21: ["Dicle Üniversitesi"],
    27: ["Gaziantep Üniversitesi"],
    65: ["Van Yüzüncü Yıl Üniversitesi"],
    61: ["Karadeniz Teknik Üniversitesi"],
    26: ["Anadolu Üniversitesi", "Eskişehir Osmangazi Üniversitesi"],
    33: ["Mersin Üniversitesi"],
    55: ["Ondokuz Mayıs Üniversitesi"],
}
TITLES = ["Prof. Dr.", "Doç. Dr.", "Doç. Dr.", "Dr. Öğr. Üyesi", "Dr. Öğr. Üyesi", "Dr."]
FIRST_NAMES = [
    "Ayşe", "Zeynep", "Elif", "Meltem", "Gülay", "Nilüfer", "Sevgi", "Deniz", "Pınar", "Özlem",
    "Berrin", "Şule", "Hülya", "Derya", "Canan", "Mehmet", "Ahmet", "Mustafa", "Emre", "Serkan",
    "Murat", "Hakan", "Kerem", "Barış", "Tolga", "Oğuz", "İlker", "Ümit", "Cem", "Volkan",
]  # fmt: skip
LAST_NAMES = [
    "Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Öztürk", "Aydın", "Özdemir",
    "Arslan", "Doğan", "Kılıç", "Aslan", "Çetin", "Koç", "Kurt", "Özkan", "Şimşek", "Polat",
    "Erdem", "Güneş", "Aksoy", "Tekin", "Karaca", "Bulut", "Ekinci", "Uysal", "Tunç", "Sarı",
]  # fmt: skip


class ThemePlan:
    """What a theme's academics write about, what organisations ask, and the titles."""

    def __init__(
        self, slug: str, department: str, expertise: str, needs: str, title: str, output: str
    ) -> None:
        self.slug, self.department, self.expertise = slug, department, expertise
        self.needs, self.title, self.output = needs, title, output


PLANS = [
    ThemePlan(
        "disability",
        "Sosyal Hizmet Bölümü",
        "Engellilik çalışmaları, bağımsız yaşam ve erişilebilirlik; engelli istihdamı üzerine "
        "nitel araştırmalar.",
        "Engelli gençlerin iş bulmasının önündeki engelleri belgelemek istiyoruz.",
        "Engelli Gençlerin İstihdamı: {province} Saha Araştırması",
        "{province}'de Engelli Gençler ve Çalışma Hayatı",
    ),
    ThemePlan(
        "ageing",
        "Sosyoloji Bölümü",
        "Yaşlılık sosyolojisi, evde bakım ve yaş dostu kentler; saha araştırması ve politika "
        "analizi.",
        "Evde yalnız yaşayan yaşlıların bakım ihtiyaçlarını ortaya koymak istiyoruz.",
        "{province}'de Yaşlı Bakımı ve Yalnızlık",
        "Yalnız Yaşayan Yaşlılar: {province} Raporu",
    ),
    ThemePlan(
        "women",
        "Kadın Çalışmaları Anabilim Dalı",
        "Toplumsal cinsiyet, kadın emeği ve kadın kooperatifleri; feminist araştırma yöntemleri.",
        "Kadın kooperatiflerimizin örgütlenme ve pazarlama sorunlarını incelemek istiyoruz.",
        "Kadın Kooperatiflerinin Güçlenmesi ({province})",
        "Kadın Kooperatifleri El Kitabı",
    ),
    ThemePlan(
        "youth",
        "Kamu Yönetimi Bölümü",
        "Gençlik çalışmaları, gençlerin yerel yönetimlere katılımı; karma yöntemli araştırma.",
        "Gençlerin yerel karar süreçlerine katılımını artıracak bir araştırma arıyoruz.",
        "Gençlerin Kent Konseylerine Katılımı: {province}",
        "Gençlik Meclisleri ve Yerel Demokrasi",
    ),
    ThemePlan(
        "lgbti",
        "Psikoloji Bölümü",
        "LGBTİ+ bireylerin hakları, ayrımcılık deneyimleri ve sağlık hizmetlerine erişim.",
        "LGBTİ+ bireylerin sağlık hizmetlerinde yaşadığı ayrımcılığı raporlamak istiyoruz.",
        "Sağlık Hizmetlerinde LGBTİ+ Bireylerin Deneyimleri ({province})",
        "Sağlıkta Ayrımcılığa Karşı: Politika Notu",
    ),
    ThemePlan(
        "rural-development",
        "Tarım Ekonomisi Bölümü",
        "Kırsal kalkınma, tarım kooperatifleri ve kırsal yoksulluk; katılımcı eylem araştırması.",
        "Köylerdeki kadın üreticilerin kooperatifleşmesine destek olacak bir çalışma istiyoruz.",
        "{province} Köylerinde Üretici Kooperatifleri",
        "Kırsalda Kooperatifçilik: {province} Deneyimi",
    ),
    ThemePlan(
        "freedom-of-expression",
        "İletişim Fakültesi",
        "İfade özgürlüğü, medya hukuku ve yerel gazetecilerin güvenliği.",
        "Yerel gazetecilerin ifade özgürlüğüne yönelik baskıları izlemek istiyoruz.",
        "Yerel Basında İfade Özgürlüğü: {province} İzleme Çalışması",
        "Yerel Gazetecilik ve İfade Özgürlüğü Raporu",
    ),
    ThemePlan(
        "migration",
        "Sosyoloji Bölümü",
        "Göç ve mülteciler, uyum politikaları ve göçmen çocukların eğitimi.",
        "Mülteci çocukların okula devamını etkileyen etkenleri araştırmak istiyoruz.",
        "Mülteci Çocukların Eğitime Erişimi ({province})",
        "Okul Sıralarında Mülteci Çocuklar",
    ),
    ThemePlan(
        "environment",
        "Çevre Mühendisliği Bölümü",
        "İklim değişikliğine yerel uyum, çevre politikaları ve yurttaş bilimi.",
        "Kentimizde iklim değişikliğine uyum için yurttaş verisi toplamak istiyoruz.",
        "{province}'de İklime Uyum ve Yurttaş Bilimi",
        "Yurttaş Bilimi ile İklim Uyum Rehberi",
    ),
]
ACTIVITIES = [
    ("fieldwork", "Saha görüşmeleri ve veri toplama"),
    ("training", "Ortak eğitim: araştırma yöntemleri"),
    ("conference", "Bulguların paylaşıldığı konferans"),
    ("training", "Gönüllülerle anket uygulama atölyesi"),
    ("fieldwork", "Odak grup görüşmeleri"),
    ("conference", "Yerel paydaşlarla değerlendirme toplantısı"),
]
OUTPUT_KINDS = ["report", "book", "brief", "article"]


def build(context: DemoContext) -> None:
    rng = random.Random(context.rng.getrandbits(64))  # noqa: S311 — demo data, not secrets
    today = context.now.date()
    programme, _ = Programme.objects.get_or_create(
        slug="sto-akademi-isbirligi",
        defaults={
            "name": "STÖ–Akademi İşbirliği Programı",
            "name_en": "NGO–Academia Partnership Programme",
            "description": "Sivil toplum kuruluşlarını akademisyenlerle buluşturan program.",
        },
    )
    partnership_round, _ = PartnershipRound.objects.get_or_create(
        slug="sto-akademi-isbirligi-2024",
        defaults={
            "programme": programme,
            "name": "STÖ–Akademi İşbirliği 2024",
            "starts_on": dt.date(2024, 1, 1),
            "ends_on": dt.date(2025, 12, 31),
        },
    )
    themes = {theme.slug: theme for theme in Theme.objects.all()}
    plans = [plan for plan in PLANS if plan.slug in themes]
    provinces = {p.pk: p for p in Province.objects.filter(pk__in=list(UNIVERSITIES))}
    with context.step("NGO–academia partnerships", total=ACADEMICS * 2 + OPEN_REQUESTS) as advance:
        academics = _academics(rng, plans, themes, provinces, advance)
        organisations = _organisations(rng, provinces)
        made = 0
        outputs = 0
        for index, (academic, plan) in enumerate(academics):
            if not organisations:
                break
            organisation = _pick_organisation(organisations, academic)
            outputs += _partnership(
                rng, today, partnership_round, organisation, academic, plan, themes,
                index, outputs < PUBLICATIONS,
            )  # fmt: skip
            made += 1
            advance()
        for plan in rng.sample(plans, min(OPEN_REQUESTS, len(plans))):
            if not organisations:
                break
            organisation = organisations.pop(0)
            academia.request_save(
                organisation=organisation,
                needs=plan.needs,
                themes=[themes[plan.slug]],
                round=partnership_round,
                actor=None,
            )
            advance()
    context.count("academics", len(academics))
    context.count("partnerships", made)
    context.count("partnership publications", outputs)


def _academics(
    rng: random.Random,
    plans: list[ThemePlan],
    themes: dict[str, Theme],
    provinces: dict[int, Province],
    advance: Callable[..., None],
) -> list[tuple[AcademicProfile, ThemePlan]]:
    plates = sorted(provinces)
    names: set[str] = set()
    made: list[tuple[AcademicProfile, ThemePlan]] = []
    for index in range(ACADEMICS):
        plate = plates[index % len(plates)]
        plan = plans[index % len(plans)]
        second = rng.choice([p for p in plans if p is not plan])
        while True:
            name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
            if name not in names:
                names.add(name)
                break
        university = rng.choice(UNIVERSITIES[plate])
        if index == 0:
            person = _academic_with_account(name, provinces[plate])
        else:
            email = f"{search_key(name).replace(' ', '.')}@{_domain(university)}"
            person = directory_services.person_create(
                actor=None, full_name=name, emails=[email], province=provinces[plate]
            )
        extra = [provinces[p] for p in rng.sample(plates, 1) if p != plate]
        profile = academia.academic_save(
            person=person,
            title=rng.choice(TITLES),
            institution=university,
            department=plan.department,
            themes=[themes[plan.slug], themes[second.slug]],
            expertise=f"{plan.expertise} {second.expertise}",
            provinces=[provinces[plate], *extra],
            languages=["tr", "en"] + (["ku"] if plate in {21, 65} else []),
            is_available=True,
            actor=None,
        )
        made.append((profile, plan))
        advance()
    return made


def _academic_with_account(name: str, province: Province) -> Person:
    user = User.objects.filter(email=ACADEMIC_EMAIL).first() or member_create(
        email=ACADEMIC_EMAIL, password=DEMO_PASSWORD, full_name=name, verified=True
    )
    person = directory_services.person_for_user(user=user)
    if person.province_id is None:
        person.province = province
        person.save(update_fields=["province"])
    return person


def _domain(university: str) -> str:
    words = [w for w in search_key(university).split() if w not in {"universitesi"}]
    return (
        "".join(word[0] for word in words) + ".edu.tr"
        if len(words) > 1
        else (f"{words[0]}.edu.tr" if words else "universite.edu.tr")
    )


def _organisations(rng: random.Random, provinces: dict[int, Province]) -> list[Organisation]:
    """Active organisations that have people (they take part in activities), those in the ten
    provinces first."""
    rows: list[Organisation] = list(
        Organisation.objects.filter(status=OrganisationStatus.ACTIVE)
        .annotate(people=Count("affiliations"))
        .filter(people__gte=1)
        .order_by("pk")[:400]
    )
    rng.shuffle(rows)
    rows.sort(key=lambda o: o.province_id not in provinces)
    return rows


def _pick_organisation(
    organisations: list[Organisation], academic: AcademicProfile
) -> Organisation:
    home = academic.person.province_id
    for index, organisation in enumerate(organisations):
        if organisation.province_id == home:
            return organisations.pop(index)
    return organisations.pop(0)


def _partnership(
    rng: random.Random,
    today: dt.date,
    partnership_round: PartnershipRound,
    organisation: Organisation,
    academic: AcademicProfile,
    plan: ThemePlan,
    themes: dict[str, Theme],
    index: int,
    may_publish: bool,
) -> int:
    """One matched request, its partnership, activities and maybe a publication; returns the
    number of publications written (0 or 1)."""
    province = academic.person.province or organisation.province
    assert province is not None
    starts_on = min(dt.date(2024, 2, 1) + dt.timedelta(days=rng.randrange(0, 240)), today)
    request = academia.request_save(
        organisation=organisation,
        needs=plan.needs,
        themes=[themes[plan.slug]],
        province=province,
        round=partnership_round,
        actor=None,
    )
    partnership = academia.partnership_confirm(
        request=request,
        academic=academic,
        title=plan.title.format(province=province.name),
        theme=themes[plan.slug],
        province=province,
        goals=plan.needs,
        starts_on=starts_on,
        actor=None,
        reason="; ".join(
            [f"Ortak tema: {themes[plan.slug].name_tr}", f"{province.name} ilinde çalışıyor"]
        ),
    )
    ends_on = starts_on + dt.timedelta(days=rng.randrange(180, 420))
    # Most are completed (and public); the last few still run.
    completed = index < ACADEMICS - 5 and ends_on < today
    if completed:
        academia.partnership_update(
            partnership=partnership,
            title=partnership.title,
            theme=partnership.theme,
            province=province,
            goals=partnership.goals,
            starts_on=starts_on,
            ends_on=ends_on,
            status=PartnershipStatus.COMPLETED,
            actor=None,
        )
    if completed or rng.random() < 0.5:
        academia.partnership_set_public(partnership=partnership, is_public=True, actor=None)
    people = list(
        Person.objects.filter(
            affiliations__organisation=organisation, erased_at__isnull=True
        ).order_by("pk")[:6]
    )
    last_day = min(ends_on, today)
    span = max(1, (last_day - starts_on).days)
    for kind, title in rng.sample(ACTIVITIES, rng.randint(2, 4)):
        day = starts_on + dt.timedelta(days=rng.randrange(0, span))
        named = rng.sample(people, min(len(people), rng.randint(1, 3)))
        academia.activity_save(
            partnership=partnership,
            kind=kind,
            title=title,
            date=day,
            participants=named,
            participant_count=len(named) + rng.randint(3, 40),
            province=province,
            actor=None,
        )
    wrote = 0
    if may_publish and completed:
        academia.output_save(
            partnership=partnership,
            kind=rng.choice(OUTPUT_KINDS),
            title=plan.output.format(province=province.name),
            published_on=ends_on,
            authors=f"{academic} ve {organisation.short_name or organisation.name}",
            summary=f"{partnership.title} çalışmasının bulguları ve önerileri.",
            link_url=f"https://yayinlar.kaynak.example/{partnership.slug}",
            actor=None,
        )
        wrote = 1
    return wrote
