"""Demo festivals: last year's "Sivil Sesler" (two days, four venues, a full programme of NGO
workshops from proposals made and accepted through the calls app's own services, plenaries,
talks and performances; participating organisations with stands and delegates; badges checked
in and workshops held, so the ledger has festival deliveries from many provinces), and next
year's, with its call for workshops open.

Proposals go through ``calls.applying`` and ``calls.decisions`` (at the dates they would have
happened), the programme through ``festival.services``; workshop registrations are written as
rows (the demo must not mail anyone, as in the trainings' demo) and attendance goes through
``programmes.services.mark_attendance`` so the ledger gets it as it does in use.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from django.utils import timezone

from kaynak.calls import applying, building
from kaynak.calls.decisions import decide
from kaynak.calls.errors import CallError
from kaynak.calls.models import ApplicationStatus, Call
from kaynak.core.demo import DemoContext
from kaynak.core.errors import KaynakError
from kaynak.core.models import Province, Theme
from kaynak.directory.models import Affiliation, Organisation, Person
from kaynak.festival import participation, services
from kaynak.festival.models import Festival, FestivalSession, SessionKind, Venue
from kaynak.programmes import services as programme_services
from kaynak.programmes.models import Programme, Registration, RegistrationStatus
from kaynak.programmes.registering import OrganisationDecision

VENUES = [("Ana Sahne", 400), ("Salon A", 80), ("Salon B", 60), ("Bahçe Çadırı", 120)]

WORKSHOPS = [
    (
        "Gönüllü Yönetimi: Gelen Gönüllüyü Tutmak",
        "Gönüllülerin örgütte kalmasını sağlayan küçük alışkanlıklar.",
    ),
    ("Yerel Savunuculukta İlk Adımlar", "Belediye meclisleriyle çalışmanın yolları ve örnekleri."),
    ("Hibe Başvurusunda Mantıksal Çerçeve", "Sorun ağacından göstergelere, adım adım bir başvuru."),
    (
        "Dijital Güvenlik: Derneğinizin Hesapları",
        "Parolalar, iki adımlı doğrulama ve yedekleme pratikleri.",
    ),
    ("Sosyal Medyada Kampanya Tasarımı", "Bir mesajı bir kampanyaya dönüştürmek için atölye."),
    ("Bağışçı İlişkileri ve Bireysel Bağış", "Küçük bağışçılarla uzun soluklu ilişki kurmak."),
    ("İklim Adaleti ve Yerel Örgütler", "İklim krizinin yerel etkilerini belgelemek ve paylaşmak."),
    ("Mülteci Haklarında Hak Temelli Yaklaşım", "Saha çalışanları için vaka üzerinden tartışma."),
    (
        "Engelli Hakları ve Erişilebilir Etkinlik",
        "Etkinliklerinizi herkese açık kılmanın kontrol listesi.",
    ),
    (
        "Çocuk Koruma Politikası Yazmak",
        "Her örgütün ihtiyaç duyduğu politikanın taslağını birlikte yazıyoruz.",
    ),
    ("Kadın Örgütlerinde Dayanışma Ağları", "Yerelden ulusala ağ kurma deneyimleri."),
    ("Veriyle Hikâye Anlatımı", "Elinizdeki verilerden etkili bir hikâye çıkarmak."),
    ("Kurumsal Yönetişim: Yönetim Kurulu", "Yönetim kurulunun rolü, toplantılar ve kararlar."),
    (
        "Gençlik Katılımı ve Gençlik Meclisleri",
        "Gençlerin karar süreçlerine katılımı için araçlar.",
    ),
    ("Mali Yönetim ve Şeffaflık", "Küçük dernekler için raporlama ve şeffaflık."),
    (
        "Kültür-Sanat ile Toplumsal Değişim",
        "Sanatın savunuculuktaki gücü üzerine uygulamalı atölye.",
    ),
    (
        "Afet Sonrası Sivil Koordinasyon",
        "Deprem deneyiminden çıkan dersler ve koordinasyon araçları.",
    ),
    ("Medya İlişkileri ve Basın Bülteni", "Gazetecilerle çalışmak ve iyi bir basın bülteni."),
    ("Strateji Planlama Oyunu", "Bir günlük stratejik planlamayı bir saatte deneyimleyin."),
    ("Hayvan Hakları Savunuculuğu", "Yerel yönetimlerle hayvan hakları için çalışmak."),
    ("Toplumsal Cinsiyet Eşitliği Eğitimi Tasarlamak", "Eğitmenler için etkinlik ve yöntemler."),
    ("Kooperatifler ve Sosyal Ekonomi", "Kadın kooperatiflerinin deneyimlerinden öğrenmek."),
    ("Açık Veri ve Bilgi Edinme Hakkı", "Bilgi edinme başvurularıyla izleme çalışması."),
    ("Ağ Kurma ve Platform Yönetimi", "Platformlarda ortak karar alma ve iletişim."),
]

CENTER_SESSIONS = [
    (SessionKind.PLENARY, "Açılış: Sivil Toplumun Sesi", 0, 0, (10, 0), (11, 0)),
    (SessionKind.TALK, "Söyleşi: Yerelden Küresele Sivil Alan", 0, 0, (16, 0), (17, 0)),
    (SessionKind.PERFORMANCE, "Konser: Sivil Sesler Korosu", 0, 0, (17, 30), (18, 30)),
    (SessionKind.TALK, "Söyleşi: Afetlerde Dayanışma", 1, 0, (10, 0), (11, 0)),
    (SessionKind.PERFORMANCE, "Tiyatro: Mahallemizin Hikâyesi", 1, 3, (17, 0), (18, 0)),
    (SessionKind.PLENARY, "Kapanış ve Değerlendirme", 1, 0, (16, 0), (17, 0)),
]

# Workshop slots (start, end) in each workshop venue; the main stage takes workshops between
# its own sessions.
SLOTS = [((10, 0), (11, 15)), ((11, 30), (13, 0)), ((14, 0), (15, 30)), ((16, 0), (17, 30))]
MAIN_STAGE_SLOTS = [((11, 30), (13, 0)), ((14, 0), (15, 30))]
FORMATS = ["workshop", "workshop", "workshop", "talk"]


def _at(day: dt.date, hm: tuple[int, int]) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(*hm)))


def build(context: DemoContext) -> None:
    rng = random.Random(context.rng.getrandbits(64))  # noqa: S311 — demo data, not secrets
    today = context.now.date()
    programme, _ = Programme.objects.get_or_create(
        slug="sivil-sesler",
        defaults={
            "name": "Sivil Sesler Festivali",
            "name_en": "Civil Voices Festival",
            "description": "Her yıl sivil toplum örgütlerinin buluştuğu festival.",
        },
    )
    members = list(
        Affiliation.objects.filter(
            end_date__isnull=True, person__user__isnull=False, person__user__is_staff=False
        )
        .select_related("person__user", "organisation")
        .order_by("pk")
    )
    with context.step("Festivals", total=4) as advance:
        past = _past_festival(context, rng, programme, members, today.year - 1)
        advance(3)
        _upcoming_festival(rng, programme, members, today.year + 1, context.now)
        advance()
    context.count("festivals", 2)
    context.count("festival sessions", past.sessions.count())


def _people_rows(rng: random.Random, member: Affiliation) -> list[applying.PersonRow]:
    person = member.person
    rows = [
        applying.PersonRow(full_name=person.full_name, email=person.emails[0], role="Koordinatör")
    ]
    colleagues = list(
        Person.objects.filter(
            affiliations__organisation=member.organisation, affiliations__end_date__isnull=True
        )
        .exclude(pk=person.pk)
        .exclude(emails=[])
        .order_by("pk")[:3]
    )
    if colleagues and rng.random() < 0.6:
        colleague = rng.choice(colleagues)
        rows.append(
            applying.PersonRow(
                full_name=colleague.full_name, email=colleague.emails[0], role="Eğitmen"
            )
        )
    return rows


def _propose(
    rng: random.Random,
    call: Call,
    member: Affiliation,
    title: str,
    summary: str,
    theme: Theme,
    now: dt.datetime,
    submit: bool = True,
) -> Any:
    user = member.person.user
    application = applying.start_application(
        call=call,
        user=user,
        organisation=OrganisationDecision(organisation=member.organisation),
        language="tr",
        now=now,
    )
    applying.save_draft(
        application=application,
        answers={
            "workshop_title": title,
            "workshop_summary": summary,
            "workshop_themes": theme.slug,
            "workshop_format": rng.choice(FORMATS),
            "duration_minutes": "90",
            "capacity": str(rng.choice([20, 25, 30, 40])),
            "needs": rng.choice(["", "Projeksiyon ve flipchart.", "Daire düzeninde sandalyeler."]),
        },
        people=_people_rows(rng, member),
        actor=user,
        now=now,
    )
    if not submit:
        return application
    return applying.submit(application=application, actor=user, consent=True, now=now)


def _festival_with_venues(
    programme: Programme,
    year: int,
    starts_on: dt.date,
    province: Province,
    call_opens: dt.datetime,
    call_closes: dt.datetime,
    publish_call_at: dt.datetime,
) -> Festival:
    festival = services.festival_create(
        programme=programme,
        name=f"Sivil Sesler {year}",
        slug=f"sivil-sesler-{year}",
        starts_on=starts_on,
        ends_on=starts_on + dt.timedelta(days=1),
        province=province,
        city="Çankaya",
        venue="ODTÜ Kültür ve Kongre Merkezi",
        description=(
            "Sivil Sesler, Türkiye'nin dört bir yanından derneklerin, vakıfların ve "
            "inisiyatiflerin buluştuğu, atölyelerini kendilerinin yürüttüğü iki günlük festival."
        ),
        call_opens_at=call_opens,
        call_closes_at=call_closes,
        actor=None,
    )
    assert festival.call is not None
    festival.call = building.call_publish(call=festival.call, by=None, now=publish_call_at)
    for name, capacity in VENUES:
        services.venue_add(festival=festival, name=name, capacity=capacity, actor=None)
    return festival


def _past_festival(
    context: DemoContext,
    rng: random.Random,
    programme: Programme,
    members: list[Affiliation],
    year: int,
) -> Festival:
    starts_on = dt.date(year, 10, 18)
    festival = _festival_with_venues(
        programme,
        year,
        starts_on,
        Province.objects.get(plate_code=6),
        call_opens=_at(dt.date(year, 6, 1), (9, 0)),
        call_closes=_at(dt.date(year, 8, 31), (17, 0)),
        publish_call_at=_at(dt.date(year, 5, 25), (10, 0)),
    )
    assert festival.call is not None
    services.festival_publish(festival=festival, actor=None, now=_at(dt.date(year, 9, 20), (10, 0)))
    themes = list(Theme.objects.order_by("position"))
    # Proposals, submitted over the summer; most accepted in September.
    proposals = []
    for n, (title, summary) in enumerate(
        WORKSHOPS + [("Okuma Grubu Kurmak", "Kitap kulübünden hareket.")] * 2
    ):
        if not members:
            break
        member = members[n % len(members)]
        moment = _at(dt.date(year, 6, 10) + dt.timedelta(days=3 * n), (11, 0))
        try:
            proposals.append(
                _propose(rng, festival.call, member, title, summary, rng.choice(themes), moment)
            )
        except CallError:
            continue
    decided_at = _at(dt.date(year, 9, 10), (15, 0))
    for n, application in enumerate(proposals):
        accepted = n < len(WORKSHOPS)
        decide(
            application=application,
            decision=ApplicationStatus.ACCEPTED if accepted else ApplicationStatus.REJECTED,
            reason="" if accepted else "Programda benzer bir atölye var.",
            now=decided_at,
        )
    _programme(rng, festival, themes)
    _participants(rng, festival, members)
    _the_days(context, rng, festival)
    return festival


def _programme(rng: random.Random, festival: Festival, themes: list[Theme]) -> None:
    venues = list(Venue.objects.filter(festival=festival).order_by("position"))
    days = [festival.starts_on, festival.ends_on]
    for kind, title, day_index, venue_index, start, end in CENTER_SESSIONS:
        session = services.session_add(
            festival=festival, kind=kind, title=title, themes=[rng.choice(themes)], actor=None
        )
        services.schedule(
            session=session,
            venue=venues[venue_index],
            starts_at=_at(days[day_index], start),
            ends_at=_at(days[day_index], end),
            actor=None,
        )
    slots = [
        (day, venue, start, end)
        for day in days
        for venue in venues[1:]
        for start, end in SLOTS
        if not (venue.name == "Bahçe Çadırı" and day == festival.ends_on and start == (16, 0))
    ] + [(day, venues[0], start, end) for day in days for start, end in MAIN_STAGE_SLOTS]
    for session in FestivalSession.objects.filter(
        festival=festival, application__isnull=False
    ).order_by("pk"):
        for slot in list(slots):
            day, venue, start, end = slot
            try:
                services.schedule(
                    session=session,
                    venue=venue,
                    starts_at=_at(day, start),
                    ends_at=_at(day, end),
                    actor=None,
                )
            except KaynakError:
                continue  # a facilitator is busy then: the next slot
            slots.remove(slot)
            break


def _participants(rng: random.Random, festival: Festival, members: list[Affiliation]) -> None:
    """Organisations from many provinces with stands and delegates."""
    organisations = list(
        Organisation.objects.filter(province__isnull=False, affiliations__isnull=False)
        .distinct()
        .order_by("pk")[:400]
    )
    chosen = rng.sample(organisations, k=min(len(organisations), 60))
    hosts = set(
        FestivalSession.objects.filter(festival=festival, host__isnull=False).values_list(
            "host", flat=True
        )
    )
    chosen += [o for o in Organisation.objects.filter(pk__in=hosts) if o not in chosen]
    for n, organisation in enumerate(chosen):
        people = list(
            Person.objects.filter(
                affiliations__organisation=organisation,
                affiliations__end_date__isnull=True,
                erased_at__isnull=True,
            ).order_by("pk")[:3]
        )
        participation.register_organisation(
            festival=festival,
            organisation=organisation,
            stand=f"{'ABCD'[n % 4]}-{n // 4 + 1}" if rng.random() < 0.5 else "",
            delegates=people[: rng.randint(1, 2)],
            actor=None,
        )


def _the_days(context: DemoContext, rng: random.Random, festival: Festival) -> None:
    """Workshop registrations and attendance, badges checked in at the door, sessions held."""
    people = list(
        Affiliation.objects.filter(end_date__isnull=True, person__erased_at__isnull=True)
        .select_related("person", "organisation")
        .order_by("pk")[:3000]
    )
    workshops = FestivalSession.objects.filter(
        festival=festival, activity__isnull=False
    ).select_related("activity")
    registrations = 0
    for session in workshops:
        activity = session.activity
        assert activity is not None
        seats = min(session.capacity or 20, len(people))
        chosen = rng.sample(people, k=rng.randint(seats // 2, seats)) if people else []
        rows = Registration.objects.bulk_create(
            Registration(
                activity=activity,
                person=a.person,
                organisation=a.organisation,
                status=RegistrationStatus.CONFIRMED,
                email=(a.person.emails or ["katilimci@ornek.org.tr"])[0],
                language=a.person.language,
            )
            for a in {a.person_id: a for a in chosen}.values()
        )
        registrations += len(rows)
        first = activity.sessions.get()
        for registration in rows:
            if rng.random() < 0.8:
                programme_services.mark_attendance(registration=registration, session=first)
    participation.ensure_badges(festival=festival)
    checked = 0
    for badge in festival.badges.order_by("pk"):
        if rng.random() < 0.85:
            day = festival.starts_on if rng.random() < 0.7 else festival.ends_on
            moment = _at(day, (9, 0)) + dt.timedelta(minutes=rng.randint(0, 150))
            participation.check_in(badge=badge, actor=None, now=moment)
            checked += 1
    after = _at(festival.ends_on, (20, 0))
    for session in FestivalSession.objects.filter(festival=festival, status="scheduled"):
        services.mark_held(session=session, actor=None, now=after)
    context.count("festival registrations", registrations)
    context.count("festival check-ins", checked)


def _upcoming_festival(
    rng: random.Random,
    programme: Programme,
    members: list[Affiliation],
    year: int,
    now: dt.datetime,
) -> None:
    festival = _festival_with_venues(
        programme,
        year,
        dt.date(year, 10, 16),
        Province.objects.get(plate_code=35),
        call_opens=_at(timezone.localdate(now) - dt.timedelta(days=10), (9, 0)),
        call_closes=_at(timezone.localdate(now) + dt.timedelta(days=40), (17, 0)),
        publish_call_at=now - dt.timedelta(days=11),
    )
    assert festival.call is not None
    services.festival_publish(festival=festival, actor=None)
    themes = list(Theme.objects.order_by("position"))
    for n, (title, summary) in enumerate(WORKSHOPS[:6]):
        if not members:
            break
        member = members[(n * 3 + 1) % len(members)]
        try:
            _propose(
                rng,
                festival.call,
                member,
                title,
                summary,
                rng.choice(themes),
                now - dt.timedelta(days=9 - n),
                submit=n % 3 != 2,
            )
        except CallError:
            continue
