"""Demo trainings and events, around the day the demo is built: a year of past trainings in
many provinces (with attendance in the ledger, certificates and feedback), trainings open for
registration in the coming weeks (one of them full, with a waiting list and a seat on offer),
monthly webinars with recordings and a talk series.

Registrations are written as rows (the demo must not send mail); attendance goes through
``services.mark_attendance``, so the ledger gets its deliveries exactly as it does in use.
The same seed gives the same set (dates move with the day it is built).
"""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone

from kaynak.core.audit import log_action
from kaynak.core.demo import DemoContext
from kaynak.core.models import Province, Theme
from kaynak.directory.demo import ascii_slug
from kaynak.directory.models import Affiliation
from kaynak.programmes import services
from kaynak.programmes.models import (
    Activity,
    ActivityKind,
    ActivityStatus,
    Certificate,
    FeedbackInvitation,
    FeedbackResponse,
    Programme,
    Registration,
    RegistrationStatus,
    Session,
    Topic,
    Trainer,
)

TOPICS = [
    ("stratejik-planlama", "Stratejik Planlama", "Strategic planning", "civil-society"),
    ("proje-dongusu", "Proje Döngüsü Yönetimi", "Project cycle management", "civil-society"),
    ("kaynak-gelistirme", "Kaynak Geliştirme", "Fundraising", "civil-society"),
    ("mali-yonetim", "Mali Yönetim", "Financial management", "civil-society"),
    ("gonullu-yonetimi", "Gönüllü Yönetimi", "Volunteer management", "civil-society"),
    ("savunuculuk", "Savunuculuk", "Advocacy", "democracy"),
    ("iletisim", "İletişim ve Sosyal Medya", "Communication and social media", "media"),
    ("dijital-guvenlik", "Dijital Güvenlik", "Digital security", "freedom-of-expression"),
    ("ab-hibe-kurallari", "AB Hibe Kuralları", "EU grant rules", "civil-society"),
    (
        "mevzuat",
        "Dernekler ve Vakıflar Mevzuatı",
        "Law on associations and foundations",
        "civil-society",
    ),
    ("etki-olcumu", "Etki Ölçümü", "Impact measurement", "civil-society"),
    ("toplumsal-cinsiyet", "Toplumsal Cinsiyet Eşitliği", "Gender equality", "gender-equality"),
    ("hak-temelli", "Hak Temelli Yaklaşım", "Rights-based approach", "human-rights"),
    ("afet", "Afete Hazırlık", "Disaster preparedness", "disaster"),
    ("kvkk", "Kişisel Verilerin Korunması", "Personal data protection", "human-rights"),
]

TRAINERS = [
    ("Dr. Işıl Çağlar", "Ankara Üniversitesi"),
    ("Gökhan Öztürk", "Bağımsız eğitmen"),
    ("Şule İnceoğlu", "STGM"),
    ("Hüseyin Ağaoğlu", "Avukat, İzmir Barosu"),
    ("Elif Güneş Yıldırım", "Dijital güvenlik uzmanı"),
    ("Canan Aydın", "Mali müşavir"),
    ("Özgür Işık", "İletişim danışmanı"),
    ("Zeynep Çelik", "AB projeleri uzmanı"),
]

# Where the year's trainings are held (plate codes), İstanbul and Ankara most often.
CITIES = (34, 6, 35, 21, 61, 65, 7, 27, 26, 55, 34, 6, 1, 33, 44, 25)
TALKS = [
    "Salgında Sivil Toplum: Dayanışma Ağları",
    "Uzaktan Gönüllülük Mümkün mü?",
    "Kriz Döneminde Bağışçılarla İletişim",
    "Salgın ve Kadına Yönelik Şiddet",
    "Dijitalleşen Örgütler",
    "Salgın Sonrası Sivil Alan",
]


def build(context: DemoContext) -> None:
    rng = random.Random(context.rng.getrandbits(64))  # noqa: S311 — demo data, not secrets
    now = context.now
    themes = {t.slug: t for t in Theme.objects.all()}
    topics = [
        Topic.objects.create(slug=slug, name_tr=tr, name_en=en, search_text=f"{tr} {en}".lower())
        for slug, tr, en, _theme in TOPICS
    ]
    topic_theme = {slug: theme for slug, _tr, _en, theme in TOPICS}
    trainers = [Trainer.objects.create(name=n, title=t) for n, t in TRAINERS]
    trainings = Programme.objects.create(
        name="Örgütsel Kapasite Eğitimleri",
        name_en="Organisational capacity trainings",
        slug="orgutsel-kapasite-egitimleri",
        description="Derneklerin ve vakıfların yönetim kapasitesini güçlendiren eğitimler.",
    )
    webinars = Programme.objects.create(
        name="Aylık Webinarlar",
        name_en="Monthly webinars",
        slug="aylik-webinarlar",
        is_series=True,
        description="Her ay bir konu, canlı yayında ve sonrasında kayıttan.",
    )
    talks = Programme.objects.create(
        name="Salgında Sivil Toplum Söyleşileri",
        name_en="Civil society in the pandemic: talks",
        slug="salginda-sivil-toplum",
        is_series=True,
        description="Salgın döneminde sivil toplumun deneyimleri üzerine bir söyleşi dizisi.",
    )
    provinces = {p.plate_code: p for p in Province.objects.filter(plate_code__in=set(CITIES))}
    members = list(
        Affiliation.objects.filter(end_date__isnull=True, person__erased_at__isnull=True)
        .select_related("person", "organisation")
        .order_by("pk")[:4000]
    )
    made = {"activities": 0, "registrations": 0, "attendance": 0, "certificates": 0}

    def activity(programme: Programme, kind: str, title: str, n: int, **fields: object) -> Activity:
        topic = fields.pop("topic", None) or rng.choice(topics)
        assert isinstance(topic, Topic)
        made["activities"] += 1
        a = Activity.objects.create(
            programme=programme,
            kind=kind,
            title=title,
            slug=f"{programme.slug}-{n}",
            topic=topic,
            status=ActivityStatus.PUBLISHED,
            published_at=now,
            description=(
                f"{topic.name_tr} konusunda uygulamalı bir çalışma: örnekler, grup çalışmaları "
                "ve katılımcıların kendi örgütleri için hazırlayacağı bir eylem planı."
            ),
            target_audience="Dernek ve vakıf yöneticileri, proje ve program çalışanları.",
            **fields,
        )
        theme = themes.get(topic_theme[topic.slug])
        if theme:
            a.themes.add(theme)
        a.trainers.set(rng.sample(trainers, k=rng.choice((1, 1, 2))))
        return a

    def named(a: Activity) -> None:
        """A readable address from the title: "dijital-guvenlik-egitimi-izmir-12"."""
        a.slug = f"{ascii_slug(a.title, '-')[:100]}-{made['activities']}"
        a.save(update_fields=["title", "slug"])

    def sessions(a: Activity, first: dt.datetime, days: int, **fields: object) -> list[Session]:
        hours = 6 if a.kind == ActivityKind.TRAINING else 2
        return [
            Session.objects.create(
                activity=a,
                starts_at=first + dt.timedelta(days=d),
                ends_at=first + dt.timedelta(days=d, hours=hours),
                **fields,
            )
            for d in range(days)
        ]

    def register(
        a: Activity, k: int, status: str = RegistrationStatus.CONFIRMED
    ) -> list[Registration]:
        chosen = rng.sample(members, k=min(k, len(members)))
        rows = [
            Registration(
                activity=a,
                person=m.person,
                organisation=m.organisation,
                status=status,
                email=(m.person.emails or ["katilimci@ornek.org.tr"])[0],
                language=m.person.language,
            )
            for m in chosen
            if not Registration.objects.filter(activity=a, person=m.person).exists()
        ]
        made["registrations"] += len(rows)
        return Registration.objects.bulk_create(rows)

    # A year of past trainings, two or three days each, 12–24 participants.
    with context.step("Trainings and events", total=16 + 8 + 12 + len(TALKS)) as advance:
        for n in range(16):
            first = (now - dt.timedelta(days=330 - n * 20)).replace(hour=10)
            city = CITIES[n % len(CITIES)]
            a = activity(trainings, ActivityKind.TRAINING, "", n, capacity=24)
            a.title = f"{a.topic.name_tr if a.topic else ''} Eğitimi — {provinces[city].name}"
            named(a)
            days = sessions(
                a,
                first,
                rng.choice((2, 2, 3)),
                province=provinces[city],
                venue=f"{provinces[city].name} Sivil Toplum Merkezi",
            )
            registrations = register(a, rng.randint(12, 24))
            for registration in registrations:
                came = [s for s in days if rng.random() < 0.88]
                for session in came:
                    services.mark_attendance(registration=registration, session=session)
                    made["attendance"] += 1
                if n < 12 and services.has_completed(registration):
                    Certificate.objects.create(
                        registration=registration,
                        holder_name=registration.person.full_name,
                        activity_title=a.title,
                        first_day=timezone.localdate(days[0].starts_at),
                        last_day=timezone.localdate(days[-1].starts_at),
                        hours=services.attended_hours(registration),
                    )
                    made["certificates"] += 1
                if came and rng.random() < 0.55:
                    FeedbackInvitation.objects.create(
                        registration=registration, answered_at=days[-1].ends_at
                    )
                    before = rng.choice((1, 2, 2, 3, 3))
                    FeedbackResponse.objects.create(
                        activity=a,
                        registration=registration,
                        content=rng.choice((3, 4, 4, 5, 5)),
                        trainer=rng.choice((4, 4, 5, 5, 5)),
                        organisation=rng.choice((3, 4, 5, 5)),
                        knowledge_before=before,
                        knowledge_after=min(5, before + rng.choice((1, 1, 2, 2))),
                        comment=rng.choice(
                            (
                                "",
                                "",
                                "Çok faydalı oldu, teşekkürler.",
                                "Daha fazla uygulama olabilirdi.",
                                "Eğitmen çok iyi hazırlanmıştı.",
                            )
                        ),
                        submitted_at=days[-1].ends_at,
                    )
            advance()

        # Upcoming trainings open for registration; the first is full with a waiting list.
        for n in range(16, 24):
            first = (now + dt.timedelta(days=9 + (n - 16) * 8)).replace(hour=10)
            city = CITIES[n % len(CITIES)]
            online = n == 21
            a = activity(
                trainings,
                ActivityKind.TRAINING,
                "",
                n,
                capacity=20,
                seats_per_organisation=2,
                questions=[
                    {
                        "key": "role",
                        "required": True,
                        "kind": "text",
                        "text": "Kuruluşunuzdaki göreviniz nedir?",
                        "text_en": "What is your role in your organisation?",
                    }
                ],
            )
            a.title = f"{a.topic.name_tr if a.topic else ''} Eğitimi — " + (
                "Çevrim içi" if online else provinces[city].name
            )
            named(a)
            if online:
                sessions(
                    a, first, 3, online=True, meeting_url="https://meet.example.org/kaynak-egitim"
                )
            else:
                sessions(
                    a,
                    first,
                    2,
                    province=provinces[city],
                    venue=f"{provinces[city].name} Sivil Toplum Merkezi",
                )
            if n == 16:
                register(a, 19)
                offered = register(a, 1, RegistrationStatus.OFFERED)
                for r in offered:
                    r.offer_expires_at = now + dt.timedelta(hours=30)
                    r.save(update_fields=["offer_expires_at"])
                register(a, 6, RegistrationStatus.WAITLISTED)
            else:
                register(a, rng.randint(3, 15))
            advance()

        # Monthly webinars: ten past ones with recordings, two to come (no registration).
        for n in range(12):
            month = now - dt.timedelta(days=30 * (9 - n))
            first = month.replace(day=15, hour=14)
            a = activity(
                webinars,
                ActivityKind.WEBINAR,
                "",
                n,
                registration_required=False,
                certificates=False,
                capacity=None,
            )
            a.title = f"Webinar: {a.topic.name_tr if a.topic else ''}"
            named(a)
            past = first < now
            sessions(
                a,
                first,
                1,
                online=True,
                stream_url="https://www.youtube.com/@kaynak-demo/live",
                recording_url=f"https://www.youtube.com/watch?v=kaynak-demo-{n}" if past else "",
            )
            advance()

        # A talk series, all past, recorded.
        for n, title in enumerate(TALKS):
            first = (now - dt.timedelta(days=600 - n * 14)).replace(hour=19)
            a = activity(
                talks,
                ActivityKind.TALK,
                title,
                n,
                registration_required=False,
                certificates=False,
                feedback=False,
                capacity=None,
            )
            named(a)
            sessions(
                a,
                first,
                1,
                online=True,
                recording_url=f"https://www.youtube.com/watch?v=kaynak-soylesi-{n}",
            )
            advance()

    log_action("kaynak.programmes.demo.loaded", data={"scale": context.scale, **made})
    for what, count in made.items():
        context.count(what, count)
