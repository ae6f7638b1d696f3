"""Demo support desk: agents in the two queues, canned replies in Turkish and English, ~120
requests over the last 14 months from the directory's people and organisations (web form,
e-mail, phone, visits), answered, noted, some waiting, most resolved (so the ledger's reach
page counts them), the older ones closed, a few late, satisfaction answers for part of the
resolved ones, two quarantined mails; then the EU Support Unit's registry (``demo_eu``).

Honest about time: every request goes through ``services`` as it would today, then its clock
times (received, answered, paused, resolved, closed, rated; the messages and notes; the ledger
delivery's date) are moved back in one place, ``_backdate``, and its SLA due times recomputed
from the moved times with the queue's business calendar. The audit log keeps the day the demo
was built. No mail leaves: the services' mail hooks are switched off while the demo is built
(the ledger's own after-commit work still runs).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from kaynak.accounts.models import Role, User
from kaynak.accounts.services import member_create, role_grant
from kaynak.core.demo import DemoContext
from kaynak.directory.models import Affiliation
from kaynak.helpdesk import demo_eu, services, sla, tokens
from kaynak.helpdesk.models import (
    CannedReply,
    Channel,
    InternalNote,
    Message,
    Queue,
    Request,
    RequestPause,
    SatisfactionResponse,
)
from kaynak.ledger.models import Delivery

REQUESTS = 120
DAYS_BACK = 14 * 30
CLOSE_AFTER = dt.timedelta(days=7)
MAIL_HOOKS = ("_queue_mail", "_queue_mention_mails")

AGENTS = [
    # e-mail, name, queue slugs; destek@ is made by the accounts demo
    ("destek@kaynak.example", "Zeynep Çelik", ["destek-noktasi"]),
    ("destek2@kaynak.example", "Barış Aydın", ["destek-noktasi"]),
    ("ab-destek@kaynak.example", "Ceren Güneş", ["ab-destek-birimi", "destek-noktasi"]),
]

# (queue slug or None for every queue, title, Turkish, English)
CANNED = [
    (
        None,
        "Teşekkür ve alındı",
        "Merhaba {requester_name},\n\n{token} numaralı talebinizi aldık, inceliyoruz. "
        "En geç iki iş günü içinde dönüş yapacağız.\n\n{agent_name}",
        "Hello {requester_name},\n\nWe have received your request {token} and are looking "
        "into it. We will answer within two working days.\n\n{agent_name}",
    ),
    (
        None,
        "Ek bilgi rica",
        "Merhaba {requester_name},\n\nSorunuzu yanıtlayabilmemiz için derneğinizin tüzüğünü ve "
        "son genel kurul tutanağını paylaşabilir misiniz?\n\n{agent_name}",
        "Hello {requester_name},\n\nTo answer, we need your association's statute and the "
        "minutes of its last general assembly. Could you send them?\n\n{agent_name}",
    ),
    (
        None,
        "Kapanış",
        "Merhaba {requester_name},\n\nTalebinizi ({token}) çözüldü olarak kapatıyoruz. Başka "
        "sorunuz olursa bu e-postayı yanıtlamanız yeterli.\n\n{agent_name}",
        "Hello {requester_name},\n\nWe are closing your request ({token}) as resolved. If you "
        "have another question, just answer this mail.\n\n{agent_name}",
    ),
    (
        "destek-noktasi",
        "Kütüphane: dernek kuruluşu",
        "Merhaba {requester_name},\n\nDernek kuruluşu ile ilgili adımları kütüphanemizdeki "
        "“Dernek kurmak için kaç kişi gerekir?” yazısında bulabilirsiniz.\n\n{agent_name}",
        "Hello {requester_name},\n\nThe steps to found an association are in our library "
        "article “How many people does it take to found an association?”.\n\n{agent_name}",
    ),
    (
        "destek-noktasi",
        "Yardım toplama izni",
        "Merhaba {requester_name},\n\nYardım toplama izni için faaliyetin yapılacağı ilin "
        "valiliğine başvurmanız gerekir; birden fazla ilde ise İçişleri Bakanlığına.\n\n"
        "{agent_name}",
        "Hello {requester_name},\n\nFor an aid-collection permit, apply to the governorate of "
        "the province; for several provinces, to the Ministry of Interior.\n\n{agent_name}",
    ),
    (
        "destek-noktasi",
        "Defter tasdiki",
        "Merhaba {requester_name},\n\nDefterlerinizi kullanmaya başlamadan önce noterde veya il "
        "sivil toplumla ilişkiler müdürlüğünde onaylatmanız gerekir.\n\n{agent_name}",
        "Hello {requester_name},\n\nYour books must be certified by a notary or the provincial "
        "directorate before you start using them.\n\n{agent_name}",
    ),
    (
        "destek-noktasi",
        "Eğitim daveti",
        "Merhaba {requester_name},\n\nBu konuda önümüzdeki ay ücretsiz bir eğitimimiz var; "
        "etkinlikler sayfamızdan kayıt olabilirsiniz.\n\n{agent_name}",
        "Hello {requester_name},\n\nWe hold a free training on this next month; you can "
        "register on our events page.\n\n{agent_name}",
    ),
    (
        "ab-destek-birimi",
        "AB: uygun maliyetler",
        "Merhaba {requester_name},\n\nUygun maliyetler sözleşmenizin Ek II'sinde (Genel "
        "Koşullar) tanımlıdır; bütçe değişikliği için önce sözleşme makamına yazınız.\n\n"
        "{agent_name}",
        "Hello {requester_name},\n\nEligible costs are defined in Annex II (General "
        "Conditions) of your contract; write to the contracting authority before any budget "
        "change.\n\n{agent_name}",
    ),
    (
        "ab-destek-birimi",
        "AB: ara rapor",
        "Merhaba {requester_name},\n\nAra rapor şablonunu ve kontrol listesini ekte "
        "bulabilirsiniz. Birlikte gözden geçirmek için bir toplantı ayarlayabiliriz.\n\n"
        "{agent_name}",
        "Hello {requester_name},\n\nPlease find the interim report template and checklist "
        "attached. We can set up a meeting to go through it together.\n\n{agent_name}",
    ),
    (
        "ab-destek-birimi",
        "AB: görünürlük kuralları",
        "Merhaba {requester_name},\n\nAB görünürlük kuralları için “Communicating and raising "
        "EU visibility” kılavuzuna bakabilirsiniz; logonun kullanımı zorunludur.\n\n"
        "{agent_name}",
        "Hello {requester_name},\n\nSee the guide “Communicating and raising EU visibility”; "
        "the EU emblem must be shown.\n\n{agent_name}",
    ),
]

# (category slug, subject, question)
QUESTIONS = {
    "legal": [
        ("Genel kurul tarihini ertelemek", "Genel kurulumuzu bir ay ertelememiz mümkün mü?"),
        ("Tüzük değişikliği", "Tüzüğümüzün amaç maddesini değiştirmek istiyoruz, ne yapmalıyız?"),
        ("Şube açmak", "Başka bir ilde şube açmak için hangi belgeler gerekiyor?"),
    ],
    "finance-tax": [
        ("Bağış makbuzu", "Online bağışlar için alındı belgesi düzenlememiz gerekiyor mu?"),
        ("İktisadi işletme vergisi", "İktisadi işletmemiz kurumlar vergisi öder mi?"),
        ("Defter tasdiki", "Yeni işletme defterimizi nerede onaylatmalıyız?"),
    ],
    "fundraising": [
        ("Yardım toplama izni", "Kermes düzenlemek için izin almamız gerekiyor mu?"),
        ("Kitlesel fonlama", "Kitlesel fonlama platformunda kampanya açabilir miyiz?"),
    ],
    "project-management": [
        ("Mantıksal çerçeve", "Mantıksal çerçeve matrisinde göstergeleri nasıl yazmalıyız?"),
        ("Bütçe revizyonu", "Proje bütçesinde kalemler arası aktarım yapabilir miyiz?"),
    ],
    "eu-grant-rules": [
        ("Uygun maliyetler", "Personel maliyetlerinde hangi belgeler isteniyor?"),
        ("Ara rapor", "Ara rapor için hangi şablonu kullanmalıyız?"),
        ("Görünürlük", "AB logosunu afişlerde nasıl kullanmalıyız?"),
    ],
    "digital": [
        (
            "Web sitesi ve KVKK",
            "Web sitemizde bağışçı verisi topluyoruz, aydınlatma metni gerekli mi?",
        ),
        ("Ücretsiz yazılımlar", "STK'lara ücretsiz ofis yazılımı veren programlar var mı?"),
    ],
    "communication": [
        ("Basın bülteni", "Etkinliğimiz için basın bülteni yazarken nelere dikkat etmeliyiz?"),
    ],
    "other": [
        ("Gönüllü sigortası", "Gönüllülerimizi nasıl sigortalatabiliriz?"),
    ],
}
ANSWERS = [
    "Mevzuata göre bu mümkün; yönetim kurulu kararı almanız ve il müdürlüğüne bildirmeniz yeterli.",
    "Bu konuda kütüphanemizdeki rehberi öneririz; ayrıntılı adımlar orada.",
    "Örnek belgeleri ekte gönderiyoruz; sorunuz olursa yazabilirsiniz.",
]
NOTES = [
    "Mali müşavirimize de danıştım, yanıt doğru.",
    "Geçen ay benzer bir soru gelmişti, aynı yanıtı verdik.",
    "Telefonla aradım, belgeleri e-postayla gönderecekler.",
]
QUARANTINED_MAILS = [
    # no sender address: kept raw with the reason
    b"To: destek@kaynak.example\r\nSubject: =?utf-8?q?Ba=C4=9F=C4=B1=C5=9F?=\r\n"
    b"Content-Type: text/plain; charset=utf-8\r\n\r\nMerhaba, bilgi almak istiyoruz.\r\n",
    # truncated multipart
    b"From: Kesik <kesik@ornek-stk.org.tr>\r\nTo: destek@kaynak.example\r\nSubject: Ek\r\n"
    b'MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b1"\r\n\r\n--b1\r\n'
    b"Content-Type: text/plain; charset=utf-8\r\n\r\nEkteki dosyay",
]


@dataclass
class Timeline:
    """When things happened to one request (aware datetimes)."""

    created: dt.datetime
    answered: dt.datetime | None = None
    paused_until: dt.datetime | None = None  # waiting from ``answered``; None: not paused
    waiting: bool = False  # still waiting now
    resolved: dt.datetime | None = None
    closed: dt.datetime | None = None
    rated: dt.datetime | None = None


@contextmanager
def _no_mail() -> Iterator[None]:
    """The services' mail hooks switched off: the demo's people get no mail."""
    saved = {name: getattr(services, name) for name in MAIL_HOOKS if hasattr(services, name)}
    try:
        for name in saved:
            setattr(services, name, lambda *args, **kwargs: None)
        yield
    finally:
        for name, hook in saved.items():
            setattr(services, name, hook)


def _agents(queues: dict[str, Queue]) -> dict[str, list[User]]:
    existing = User.objects.filter(email=AGENTS[0][0]).first()
    password = existing.password if existing else ""
    by_queue: dict[str, list[User]] = {slug: [] for slug in queues}
    for email, name, slugs in AGENTS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user = member_create(email=email, password=None, full_name=name, verified=True)
            User.objects.filter(pk=user.pk).update(password=password)
        role_grant(user=user, role=Role.SUPPORT_AGENT, actor=None)
        for slug in slugs:
            queues[slug].agents.add(user)
            by_queue[slug].append(user)
    return by_queue


def _canned(queues: dict[str, Queue]) -> list[CannedReply]:
    return [
        CannedReply.objects.create(
            queue=queues[slug] if slug else None, title=title, body_tr=tr, body_en=en
        )
        for slug, title, tr, en in CANNED
    ]


def _timeline(rng: random.Random, calendar: sla.BusinessCalendar, now: dt.datetime) -> Timeline:
    """A believable life: answered within hours (a few late), resolved within days."""
    # A quarter of them in the last month, so the desk has work in hand.
    days_back = rng.uniform(0, 30) if rng.random() < 0.25 else rng.uniform(0, DAYS_BACK)
    created = calendar.next_open(now - dt.timedelta(days=days_back))
    created += dt.timedelta(minutes=rng.randint(0, 240))
    line = Timeline(created=created)
    age = now - created
    if age < dt.timedelta(days=2) and rng.random() < 0.6:
        return line  # not answered yet (some of them already late)
    late = rng.random() < 0.12
    wait = dt.timedelta(hours=rng.uniform(9, 30) if late else rng.uniform(0.2, 6))
    line.answered = calendar.add_business_time(created, wait)
    if line.answered >= now:
        line.answered = None
        return line
    if rng.random() < 0.15:
        line.paused_until = line.answered + dt.timedelta(days=rng.uniform(0.5, 4))
        if line.paused_until >= now:
            line.paused_until, line.waiting = None, True
            return line
    restart = line.paused_until or line.answered
    late = rng.random() < 0.08
    work = dt.timedelta(hours=rng.uniform(45, 90) if late else rng.uniform(1, 30))
    resolved = calendar.add_business_time(restart, work)
    if resolved >= now:
        return line
    line.resolved = resolved
    if now - resolved > CLOSE_AFTER:
        line.closed = resolved + CLOSE_AFTER
    if rng.random() < 0.55:
        line.rated = min(resolved + dt.timedelta(hours=rng.uniform(1, 48)), now)
    return line


def build(context: DemoContext) -> None:
    queues = {
        q.slug: q for q in Queue.objects.filter(slug__in=["destek-noktasi", "ab-destek-birimi"])
    }
    # People with an address: the services find them by it (never a duplicate person).
    affiliations = [
        affiliation
        for affiliation in Affiliation.objects.filter(end_date__isnull=True)
        .select_related("person", "organisation")
        .order_by("pk")[:300]
        if affiliation.person.emails
    ]
    if len(queues) < 2 or not affiliations or Request.objects.exists():
        return
    rng = random.Random(context.rng.getrandbits(64))  # noqa: S311 — demo data, not secrets
    now = context.now
    with context.step("Support desk", total=REQUESTS + 1) as advance, _no_mail():
        agents = _agents(queues)
        canned = _canned(queues)
        made = 0
        for n in range(REQUESTS):
            queue = queues["ab-destek-birimi"] if n % 4 == 3 else queues["destek-noktasi"]
            made += _one_request(
                rng, n, queue, agents[queue.slug], canned, rng.choice(affiliations), now
            )
            advance()
        for raw in QUARANTINED_MAILS:
            services.receive_mail(raw)
        advance()
    context.count("support requests", made)
    demo_eu.seed(context)


def _one_request(
    rng: random.Random,
    n: int,
    queue: Queue,
    agents: list[User],
    canned: list[CannedReply],
    affiliation: Affiliation,
    now: dt.datetime,
) -> int:
    calendar = sla.BusinessCalendar.from_settings(queue.business_hours or None)
    line = _timeline(rng, calendar, now)
    categories = list(queue.categories.order_by("position", "pk"))
    category = rng.choice(categories)
    subject, question = rng.choice(QUESTIONS.get(category.slug) or QUESTIONS["other"])
    person, organisation = affiliation.person, affiliation.organisation
    channel = rng.choices(
        [Channel.WEB, Channel.EMAIL, Channel.PHONE, Channel.IN_PERSON], weights=[12, 5, 2, 1]
    )[0]
    agent = rng.choice(agents)
    email = person.emails[0]
    request = services.submit_request(
        queue=queue,
        subject=subject,
        body=question,
        requester=services.Requester(
            full_name=person.full_name,
            email="" if channel == Channel.PHONE else email,
            organisation=organisation,
        ),
        channel=channel,
        category=category,
        language="en" if n % 10 == 9 else "tr",
        actor=agent if channel in (Channel.PHONE, Channel.IN_PERSON) else None,
    )
    stamps: dict[int, dt.datetime] = {
        m.pk: line.created + dt.timedelta(minutes=i)
        for i, m in enumerate(request.messages.order_by("pk"))
    }
    note_stamps: dict[int, dt.datetime] = {}
    if line.answered is None:
        if rng.random() < 0.5:
            services.assign(request=request, assignee=agent, actor=agent)
        _backdate(request, line, stamps, note_stamps, calendar, now)
        return 1
    services.assign(request=request, assignee=agent, actor=agent)
    if rng.random() < 0.3:
        note = services.add_note(request=request, actor=agent, body=rng.choice(NOTES))
        note_stamps[note.pk] = line.answered - dt.timedelta(minutes=5)
    opening = rng.choice(canned[:2]) if rng.random() < 0.4 else None
    first = services.reply(
        request=request,
        actor=agent,
        canned=opening,
        body="" if opening is not None else rng.choice(ANSWERS),
        wait=line.paused_until is not None or line.waiting,
    )
    stamps[first.pk] = line.answered
    if line.paused_until is not None:
        services.resume(request=request, actor=None)
    if line.resolved is not None:
        last = services.reply(request=request, actor=agent, body=rng.choice(ANSWERS), resolve=True)
        stamps[last.pk] = line.resolved
        if line.rated is not None:
            services.record_satisfaction(
                token=tokens.satisfaction_token(request.pk, request.token),
                score=rng.choices([5, 4, 3, 2, 1], weights=[45, 30, 12, 8, 5])[0],
                comment=rng.choice(["", "", "Çok hızlı ve açık bir yanıttı, teşekkürler."]),
            )
        if line.closed is not None:
            services.close(request=request, actor=None)
    _backdate(request, line, stamps, note_stamps, calendar, now)
    return 1


def _backdate(
    request: Request,
    line: Timeline,
    stamps: dict[int, dt.datetime],
    note_stamps: dict[int, dt.datetime],
    calendar: sla.BusinessCalendar,
    now: dt.datetime,
) -> None:
    """Move the request's times to its timeline and recompute its SLA dues (the one place the
    demo writes times by hand)."""
    for pk, moment in stamps.items():
        Message.objects.filter(pk=pk).update(sent_at=moment)
    for pk, moment in note_stamps.items():
        InternalNote.objects.filter(pk=pk).update(created_at=moment)
    pauses: list[sla.Pause] = []
    if line.answered is not None and (line.paused_until is not None or line.waiting):
        RequestPause.objects.filter(request=request).update(
            started_at=line.answered, ended_at=line.paused_until
        )
        pauses.append((line.answered, line.paused_until))
    queue = request.queue
    first_due = calendar.due_at(
        line.created, dt.timedelta(minutes=queue.first_response_minutes), pauses
    )
    resolution_due = calendar.due_at(
        line.created, dt.timedelta(minutes=queue.resolution_minutes), pauses
    )
    first_late = _late(line.answered, first_due, now)
    resolution_late = _late(line.resolved, resolution_due, now) if not line.waiting else None
    Request.objects.filter(pk=request.pk).update(
        created_at=line.created,
        updated_at=line.closed
        or line.resolved
        or line.paused_until
        or line.answered
        or line.created,
        first_response_at=line.answered,
        resolved_at=line.resolved,
        first_resolved_at=line.resolved,
        closed_at=line.closed,
        first_response_due=first_due,
        resolution_due=resolution_due,
        first_response_breached_at=first_late,
        resolution_breached_at=resolution_late,
        first_response_warned_at=first_late,
        resolution_warned_at=resolution_late,
    )
    if line.rated is not None:
        SatisfactionResponse.objects.filter(request=request).update(at=line.rated)
    if line.resolved is not None:
        Delivery.objects.filter(
            source_type=ContentType.objects.get_for_model(Request), source_id=str(request.pk)
        ).update(date=timezone.localdate(line.resolved))


def _late(
    stopped: dt.datetime | None, due: dt.datetime | None, now: dt.datetime
) -> dt.datetime | None:
    """When the clock was breached (its due time), if it was: stopped after it, or still
    running past it."""
    if due is None:
        return None
    if (stopped is not None and stopped > due) or (stopped is None and due < now):
        return due
    return None
