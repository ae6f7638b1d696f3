"""Demo civil-society school: the programme "Sivil Toplum Okulu", last year's call (closed)
with 28 applications — each organisation applies through one of the demo's members and names
two of its people as representatives — reviewed by two staff, 22 accepted, a few on the
waiting list or not selected; the cohort those decisions enrolled, seven three-day modules in
seven provinces (six over, the last in a few weeks), attendance marked (most came to
everything; some missed a module and are at risk; a few missed two and can no longer
graduate), and graduation certificates for those who met the rule. No new person is made:
the representatives are the directory's, found by their e-mail address.

Everything goes through the services — the calls' applying, reviewing and decisions, the
school's, the trainings' attendance — so the ledger, the audit log and the enrolment hook
work as in use. No mail leaves: the mail hooks are switched off while the demo is built.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from django.utils import timezone

from kaynak.accounts.models import Role, User
from kaynak.calls import applying, building, decisions, reviewing
from kaynak.calls.models import Application, ApplicationStatus, Call, QuestionKind
from kaynak.core.demo import DemoContext
from kaynak.core.models import Province
from kaynak.directory.models import Affiliation, Organisation, Person
from kaynak.programmes import services as programmes_services
from kaynak.programmes.models import Programme, Registration
from kaynak.programmes.registering import OrganisationDecision
from kaynak.school import services
from kaynak.school.models import Cohort, ParticipantStatus

APPLICATIONS = 28
ACCEPTED = 22
WAITLISTED = 3
MODULES = [
    ("Örgütsel Yapılanma ve Yönetişim", 34, "STGM Eğitim Salonu"),
    ("Stratejik Planlama", 6, "Ankara Sivil Toplum Merkezi"),
    ("Proje Döngüsü Yönetimi", 35, "İzmir Kültürpark Toplantı Salonu"),
    ("Kaynak Geliştirme", 21, "Diyarbakır Sur Kültür Evi"),
    ("Savunuculuk ve Kampanya", 61, "Trabzon Gençlik Merkezi"),
    ("İletişim ve Dijital Güvenlik", 7, "Antalya Kent Konseyi"),
    ("Etki Ölçümü ve Raporlama", 27, "Gaziantep Sivil Toplum Evi"),
]
# Days before today each module starts; the last is still to come.
MODULE_STARTS = [330, 275, 220, 165, 110, 40, -21]


@contextmanager
def _no_mail() -> Iterator[None]:
    """The services' mail hooks switched off: the demo's people get no mail."""
    hooks = [(programmes_services, "_mail_on_commit"), (applying, "_mail_on_commit")]
    saved = [(module, name, getattr(module, name)) for module, name in hooks]
    try:
        for module, name, _hook in saved:
            setattr(module, name, lambda *args, **kwargs: None)
        yield
    finally:
        for module, name, hook in saved:
            setattr(module, name, hook)


def _call(programme: Programme, coordinator: User | None, opens: dt.datetime) -> Call:
    call = building.call_create(
        by=coordinator,
        programme=programme,
        title="Sivil Toplum Okulu 2025–2026 Dönemi Başvuruları",
        title_en="Civil-Society School 2025–2026: applications",
        slug="sivil-toplum-okulu-2025-2026",
        description=(
            "Derneklerin ve vakıfların kurumsal kapasitesini güçlendiren yedi modüllük okul. "
            "Her kuruluş iki temsilciyle katılır; modüller yedi ilde, üçer gün sürer."
        ),
        opens_at=opens,
        closes_at=opens + dt.timedelta(days=30),
        people_label="Temsilciler",
        people_label_en="Representatives",
        people_min=2,
        people_max=2,
        reviewers_per_application=2,
    )
    building.question_add(
        call=call,
        by=coordinator,
        key="beklenti",
        kind=QuestionKind.LONG_TEXT,
        label="Kuruluşunuz okuldan ne bekliyor?",
        label_en="What does your organisation expect from the school?",
        max_words=300,
    )
    building.question_add(
        call=call,
        by=coordinator,
        key="calisma-alani",
        kind=QuestionKind.SHORT_TEXT,
        label="Kuruluşunuzun çalışma alanı",
        label_en="Your organisation's field of work",
    )
    return building.call_publish(call=call, by=coordinator, now=opens)


def _representatives() -> dict[int, list[Person]]:
    """Organisations with at least two people (with an e-mail address, no account) working
    there: the people they send to the school, in a stable order."""
    people: dict[int, list[Person]] = {}
    for affiliation in (
        Affiliation.objects.filter(
            end_date__isnull=True, person__erased_at__isnull=True, person__user__isnull=True
        )
        .select_related("person")
        .order_by("organisation_id", "pk")
    ):
        if affiliation.person.emails:
            people.setdefault(affiliation.organisation_id, []).append(affiliation.person)
    return {pk: found[:2] for pk, found in people.items() if len(found) >= 2}


def _apply(
    rng: random.Random,
    call: Call,
    applicants: list[User],
    organisations: list[Organisation],
    representatives: dict[int, list[Person]],
    moment: dt.datetime,
) -> list[Application]:
    """Each organisation applies through one of the demo's members, naming two of its people
    (known to the directory by their e-mail address: no new person is made)."""
    applications = []
    for n, organisation in enumerate(organisations, start=1):
        applicant = applicants[(n - 1) % len(applicants)]
        when = moment + dt.timedelta(days=n % 25, hours=n % 7)
        application = applying.start_application(
            call=call,
            user=applicant,
            organisation=OrganisationDecision(organisation=organisation),
            language="tr",
            now=when,
        )
        people = [
            applying.PersonRow(full_name=person.full_name, email=person.emails[0], role=role)
            for person, role in zip(
                representatives[organisation.pk],
                ("Yönetim kurulu üyesi", "Proje koordinatörü"),
                strict=True,
            )
        ]
        applying.save_draft(
            application=application,
            answers={
                "beklenti": (
                    "Gönüllü yönetimimizi ve kaynak geliştirme kapasitemizi güçlendirmek, "
                    "diğer illerdeki kuruluşlarla ağ kurmak istiyoruz."
                ),
                "calisma-alani": rng.choice(
                    ["Çocuk hakları", "Çevre", "Engelli hakları", "Kadın hakları", "Eğitim"]
                ),
            },
            people=people,
            actor=applicant,
            now=when,
        )
        applications.append(
            applying.submit(application=application, actor=applicant, consent=True, now=when)
        )
    return applications


def _review(
    rng: random.Random, call: Call, coordinator: User | None, moment: dt.datetime
) -> dict[int, Decimal]:
    """Two reviewers score every application; returns each application's mean total."""
    criteria = [
        reviewing.criterion_add(
            call=call, name=name, name_en=name_en, weight=Decimal(weight), actor=coordinator
        )
        for name, name_en, weight in (
            ("İhtiyacın açıklığı", "Clarity of need", 2),
            ("Kurumsal kararlılık", "Organisational commitment", 1),
            ("Bölgesel çeşitlilik", "Regional diversity", 1),
        )
    ]
    reviewers = list(reviewing.eligible_reviewers()[:3])
    if len(reviewers) < 2:
        return {}
    result = reviewing.assign_balanced(call=call, reviewers=reviewers, actor=coordinator)
    totals: dict[int, list[Decimal]] = {}
    for assignment in result.created:
        scores = {c.pk: (rng.choice((2, 3, 4, 4, 5, 5)), "") for c in criteria}
        review = reviewing.review_save(
            assignment=assignment,
            scores=scores,
            comment="Okulun hedef kitlesine uygun bir başvuru.",
            actor=assignment.reviewer,
            submit=True,
            now=moment,
        )
        totals.setdefault(assignment.application_id, []).append(Decimal(review.total or 0))
    return {pk: sum(values, Decimal(0)) / len(values) for pk, values in totals.items()}


def _attend(
    rng: random.Random, cohort: Cohort, coordinator: User | None, now: dt.datetime
) -> dict[str, int]:
    """Mark attendance of the modules that are over: most participants come to all; one in
    eight misses a module (at risk), one in fifteen misses two (cannot graduate)."""
    modules = list(cohort.modules.select_related("activity").order_by("position"))
    past = [m for m in modules if m.activity.sessions.filter(starts_at__gte=now).count() == 0]
    sessions = {m.pk: list(m.activity.sessions.order_by("starts_at")) for m in past}
    participants = list(
        cohort.participants.filter(status=ParticipantStatus.ACTIVE)
        .select_related("person")
        .order_by("pk")
    )
    registrations = {
        (r.person_id, r.activity_id): r
        for r in Registration.objects.filter(activity__school_module__cohort=cohort)
    }
    marked = {"attendance": 0, "at_risk": 0, "cannot_graduate": 0}
    for index, participant in enumerate(participants):
        missed: set[int] = set()
        if index % 15 == 7:
            missed = set(rng.sample([m.pk for m in past], k=2))
            marked["cannot_graduate"] += 1
        elif index % 8 == 3:
            missed = {rng.choice(past).pk}
            marked["at_risk"] += 1
        for module in past:
            registration = registrations[(participant.person_id, module.activity_id)]
            days = sessions[module.pk]
            # A missed module: away all three days, or came only on the first.
            came = days[:1] if module.pk in missed and rng.random() < 0.4 else days
            if module.pk in missed and came is days:
                came = []
            for session in came:
                programmes_services.mark_attendance(
                    registration=registration, session=session, by=coordinator
                )
                marked["attendance"] += 1
    return marked


def build(context: DemoContext) -> None:
    if Cohort.objects.exists():
        return
    representatives = _representatives()
    applicants = list(
        User.objects.filter(is_staff=False, is_active=True, person__isnull=False).order_by("email")
    )
    if len(representatives) < APPLICATIONS or not applicants:
        return
    rng = random.Random(context.rng.getrandbits(64))  # noqa: S311 — demo data, not secrets
    now = context.now
    today = now.date()
    coordinator = User.objects.filter(role_assignments__role=Role.PROGRAMME_COORDINATOR).first()
    opens = timezone.localtime(now - dt.timedelta(days=400)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    with context.step("Civil-society school", total=6) as advance, _no_mail():
        programme, _created = Programme.objects.get_or_create(
            slug="sivil-toplum-okulu",
            defaults={
                "name": "Sivil Toplum Okulu",
                "name_en": "Civil-Society School",
                "description": (
                    "Seçilen kuruluşların temsilcileriyle bir yıl süren, yedi modüllük okul."
                ),
            },
        )
        call = _call(programme, coordinator, opens)
        cohort = services.cohort_create(
            programme=programme,
            call=call,
            name="2025–2026 Dönemi",
            slug="2025-2026",
            year=today.year - 1,
            required_modules=6,
            people_per_organisation=2,
            status="running",
            description="Sivil Toplum Okulu'nun 22 kuruluşla yürütülen dönemi.",
            actor=coordinator,
        )
        provinces = {p.plate_code: p for p in Province.objects.all()}
        for (title, plate, venue), days_ago in zip(MODULES, MODULE_STARTS, strict=True):
            services.module_add(
                cohort=cohort,
                actor=coordinator,
                title=f"Sivil Toplum Okulu: {title}",
                province=provinces.get(plate),
                venue=venue,
                first_day=today - dt.timedelta(days=days_ago),
                days=3,
            )
        advance()
        chosen = rng.sample(sorted(representatives), k=APPLICATIONS)
        organisations = Organisation.objects.in_bulk(chosen)
        applications = _apply(
            rng,
            call,
            applicants,
            [organisations[pk] for pk in chosen],
            representatives,
            opens + dt.timedelta(hours=2),
        )
        advance()
        totals = _review(rng, call, coordinator, opens + dt.timedelta(days=35))
        advance()
        ranked = sorted(
            applications, key=lambda a: (-totals.get(a.pk, Decimal(0)), a.submitted_at, a.pk)
        )
        decided_at = opens + dt.timedelta(days=45)
        made: dict[str, Any] = {"applications": len(applications)}
        for rank, application in enumerate(ranked):
            if rank < ACCEPTED:
                decision, reason = ApplicationStatus.ACCEPTED, "Seçici kurulun önerisi."
            elif rank < ACCEPTED + WAITLISTED:
                decision, reason = ApplicationStatus.WAITLISTED, "Yedek listede."
            else:
                decision, reason = ApplicationStatus.REJECTED, "Bu dönem kontenjan doldu."
            decisions.decide(
                application=application,
                decision=decision,
                reason=reason,
                actor=coordinator,
                now=decided_at,
            )
        advance()
        made.update(_attend(rng, cohort, coordinator, now))
        advance()
        run = services.graduate(cohort=cohort, actor=coordinator, now=now)
        made["graduations"] = len(run.issued)
        made["participants"] = cohort.participants.count()
        advance()
    for what in ("participants", "graduations"):
        context.count(f"school {what}", int(made[what]))
