"""A demo call open now: "Örgütsel Mentorluk Programı 2027 Başvuruları", a coaching programme
for associations and foundations, with ten questions (one asked only on a condition, one a
file), a rubric of four criteria, and applications from demo organisations: some drafts, some
submitted in the past weeks.

Applications are written as rows (the demo sends no mail and stores no files); the answers are
what ``kaynak.calls.answers`` would store. The same seed gives the same set.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from kaynak.calls.models import (
    Application,
    ApplicationPerson,
    ApplicationStatus,
    Call,
    CallStatus,
    Criterion,
    Question,
    QuestionKind,
)
from kaynak.core.demo import DemoContext
from kaynak.core.models import ApplicantType, Theme
from kaynak.directory.models import Affiliation
from kaynak.programmes.models import Programme

SLUG = "orgutsel-mentorluk-2027"

YES_NO = [{"key": "evet", "tr": "Evet", "en": "Yes"}, {"key": "hayir", "tr": "Hayır", "en": "No"}]
AREAS = [
    {"key": "strateji", "tr": "Stratejik planlama", "en": "Strategic planning"},
    {"key": "kaynak", "tr": "Kaynak geliştirme", "en": "Fundraising"},
    {"key": "mali", "tr": "Mali yönetim", "en": "Financial management"},
    {"key": "gonullu", "tr": "Gönüllü yönetimi", "en": "Volunteer management"},
    {"key": "iletisim", "tr": "İletişim", "en": "Communication"},
]
SIZES = [
    {"key": "0-5", "tr": "0–5 kişi", "en": "0–5 people"},
    {"key": "6-20", "tr": "6–20 kişi", "en": "6–20 people"},
    {"key": "21+", "tr": "21 kişi ve üzeri", "en": "21 people or more"},
]

# key, kind, Turkish label, English label, extra fields
QUESTIONS: list[tuple[str, str, str, str, dict[str, Any]]] = [
    (
        "calisan-sayisi",
        QuestionKind.CHOICE,
        "Kuruluşunuzda kaç kişi düzenli olarak çalışıyor (ücretli ya da gönüllü)?",
        "How many people work regularly in your organisation (paid or volunteer)?",
        {"options": SIZES},
    ),
    (
        "tema",
        QuestionKind.THEME,
        "Kuruluşunuzun ana çalışma alanı",
        "Your organisation's main field of work",
        {},
    ),
    (
        "il",
        QuestionKind.PROVINCE,
        "Mentorluk görüşmelerinin yapılacağı il",
        "Province where the mentoring meetings would take place",
        {},
    ),
    (
        "alanlar",
        QuestionKind.MULTI_CHOICE,
        "Hangi alanlarda mentorluk almak istiyorsunuz?",
        "In which areas would you like mentoring?",
        {"options": AREAS},
    ),
    (
        "ihtiyac",
        QuestionKind.LONG_TEXT,
        "Kuruluşunuzun bu alanlardaki ihtiyacını anlatın.",
        "Describe your organisation's need in these areas.",
        {"max_words": 300},
    ),
    (
        "yillik-butce",
        QuestionKind.NUMBER,
        "Geçen yılki toplam bütçeniz (TL)",
        "Your total budget last year (TRY)",
        {"min_value": Decimal("0"), "max_value": Decimal("100000000")},
    ),
    (
        "daha-once",
        QuestionKind.CHOICE,
        "Daha önce bir mentorluk ya da koçluk programına katıldınız mı?",
        "Have you taken part in a mentoring or coaching programme before?",
        {"options": YES_NO},
    ),
    (
        "onceki-program",
        QuestionKind.SHORT_TEXT,
        "Hangi programa katıldınız, ne işinize yaradı?",
        "Which programme was it, and what did it help with?",
        {"show_if": "daha-once", "show_if_values": ["evet"]},
    ),
    (
        "baslangic",
        QuestionKind.DATE,
        "Mentorluğa en erken ne zaman başlayabilirsiniz?",
        "When could you start the mentoring at the earliest?",
        {"required": False},
    ),
    (
        "faaliyet-raporu",
        QuestionKind.FILE,
        "Son faaliyet raporunuz",
        "Your latest annual activity report",
        {"max_file_mb": 10, "required": False},
    ),
]

CRITERIA = [
    ("İhtiyacın açıklığı", "Clarity of need", Decimal("2")),
    ("Kurumsal kararlılık", "Organisational commitment", Decimal("1.5")),
    ("Programa uygunluk", "Fit with the programme", Decimal("1")),
    ("Yaygınlaştırma potansiyeli", "Potential to spread", Decimal("1")),
]

NEEDS = [
    "Gönüllülerimiz artıyor ama onları nasıl yöneteceğimizi bilmiyoruz; görev tanımları ve "
    "eğitim planı hazırlamak istiyoruz.",
    "Tek bir hibeye bağlı kalmak istemiyoruz. Bireysel bağışçılara ulaşmanın ve kurumsal "
    "destek almanın yollarını öğrenmeliyiz.",
    "Yönetim kurulumuz yenilendi; önümüzdeki üç yılın stratejik planını birlikte yazmak için "
    "dışarıdan bir bakışa ihtiyacımız var.",
    "Mali raporlarımızı denetime hazır tutmakta zorlanıyoruz; muhasebe süreçlerimizi "
    "sadeleştirmek istiyoruz.",
    "Yaptığımız işi kamuoyuna anlatamıyoruz. Sosyal medyada düzenli ve güvenli bir iletişim "
    "planına ihtiyacımız var.",
]
ROLES = ["Genel Koordinatör", "Yönetim Kurulu Üyesi", "Proje Sorumlusu", "Gönüllü Koordinatörü"]


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


def _call(now: dt.datetime) -> Call:
    call = Call.objects.create(
        programme=_programme(),
        title="Örgütsel Mentorluk Programı 2027 Başvuruları",
        title_en="Organisational Mentoring Programme 2027: Applications",
        slug=SLUG,
        description=(
            "Kurumsal kapasitesini güçlendirmek isteyen derneklere ve vakıflara altı ay "
            "boyunca ayda iki birebir mentorluk görüşmesi. Her kuruluştan iki temsilci katılır."
        ),
        description_en=(
            "Six months of one-to-one mentoring, two meetings a month, for associations and "
            "foundations that want to strengthen their organisation. Two representatives of "
            "each organisation take part."
        ),
        status=CallStatus.PUBLISHED,
        opens_at=now - dt.timedelta(days=20),
        closes_at=(now + dt.timedelta(days=25)).replace(hour=17),
        one_per_organisation=True,
        people_label="Temsilciler",
        people_label_en="Representatives",
        people_min=1,
        people_max=2,
        reviewers_per_application=2,
        published_at=now - dt.timedelta(days=20),
    )
    call.applicant_types.set(ApplicantType.objects.filter(slug__in=["association", "foundation"]))
    by_key: dict[str, Question] = {}
    for position, (key, kind, label, label_en, extra) in enumerate(QUESTIONS):
        fields = dict(extra)
        show_if = fields.pop("show_if", None)
        by_key[key] = Question.objects.create(
            call=call,
            key=key,
            position=position,
            kind=kind,
            label=label,
            label_en=label_en,
            show_if=by_key[show_if] if show_if else None,
            **fields,
        )
    Criterion.objects.bulk_create(
        Criterion(call=call, position=i, name=name, name_en=name_en, weight=weight)
        for i, (name, name_en, weight) in enumerate(CRITERIA)
    )
    return call


def _answers(
    rng: random.Random, themes: list[str], province: int, complete: bool
) -> dict[str, Any]:
    answers: dict[str, Any] = {
        "calisan-sayisi": rng.choice(SIZES)["key"],
        "tema": rng.choice(themes),
        "il": province,
        "alanlar": [a["key"] for a in AREAS if rng.random() < 0.4] or [AREAS[0]["key"]],
    }
    if not complete:
        return answers
    answers["ihtiyac"] = rng.choice(NEEDS)
    answers["yillik-butce"] = str(rng.randrange(50, 5000) * 1000)
    answers["daha-once"] = rng.choice(["evet", "hayir"])
    if answers["daha-once"] == "evet":
        answers["onceki-program"] = "Sivil Toplum Okulu; proje döngüsü modülü çok işimize yaradı."
    return answers


def build(context: DemoContext) -> None:
    if Call.objects.filter(slug=SLUG).exists():
        return
    rng = random.Random(context.rng.getrandbits(64))  # noqa: S311 — demo data, not secrets
    now = context.now
    call = _call(now)
    themes = list(Theme.objects.values_list("slug", flat=True)) or ["civil-society"]
    admins = list(
        Affiliation.objects.filter(
            end_date__isnull=True,
            person__erased_at__isnull=True,
            organisation__legal_form_id__in=["association", "foundation"],
        )
        .select_related("person", "organisation")
        .order_by("pk")[:400]
    )
    seen: set[int] = set()
    chosen: list[Affiliation] = []
    for affiliation in rng.sample(admins, min(len(admins), 40)):
        if affiliation.organisation_id not in seen:
            seen.add(affiliation.organisation_id)
            chosen.append(affiliation)
        if len(chosen) == 9:
            break
    made = 0
    for i, affiliation in enumerate(chosen):
        submitted = i < 6
        person, organisation = affiliation.person, affiliation.organisation
        application = Application.objects.create(
            call=call,
            organisation=organisation,
            person=person,
            user=person.user,
            status=ApplicationStatus.SUBMITTED if submitted else ApplicationStatus.DRAFT,
            answers=_answers(rng, themes, organisation.province_id or 34, complete=submitted),
            language="tr",
            submitted_at=now - dt.timedelta(days=rng.randint(1, 18), hours=rng.randint(0, 8))
            if submitted
            else None,
        )
        email = person.emails[0] if person.emails else f"temsilci{i}@ornek-stk.org.tr"
        ApplicationPerson.objects.create(
            application=application,
            position=0,
            full_name=person.full_name,
            email=email,
            role=rng.choice(ROLES),
            person=person if submitted else None,
        )
        made += 1
    context.count("calls", 1)
    context.count("applications", made)
