"""Demo ledger: four years (2022–2025) of services delivered to the demo directory.

"small" records about 3,000 deliveries in a second or two; "national" records 1,000,000, spread
over the 81 provinces, the themes and the service kinds as a national resource center's would
be: more trainings in big cities, webinars and support requests from everywhere, a quiet August,
a festival every autumn, a few regulars who come to everything and many who come once.

The source of every demo delivery is a ``RecordedService``: a service entered straight into the
ledger, as a center does with the attendance lists of the years before Kaynak. A training with
20 participants is one recorded service and 20 deliveries, one per participant, so the ledger's
"one row per source × subject" holds exactly as it does for deliveries the apps record. Rows are
written with ``bulk_create`` in batches (the demo skips ``record_delivery``'s per-row queries,
not its rules: the province and themes default as it defaults them). The same seed gives the
same ledger.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import accumulate
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone

from kaynak.core.audit import log_action
from kaynak.core.demo import DemoContext
from kaynak.core.models import Theme
from kaynak.directory.demo import PROVINCE_WEIGHTS, bulk_loading
from kaynak.directory.models import Affiliation, Organisation, Person, SizeBand
from kaynak.ledger import summary
from kaynak.ledger.models import Delivery, RecordedService, ServiceKind

DELIVERIES = {"small": 3_000, "national": 1_000_000}
BATCH = 5_000
YEARS = {2022: 0.19, 2023: 0.23, 2024: 0.27, 2025: 0.31}  # the center grows
ARRIVALS = {2022: 0.45, 2023: 0.2, 2024: 0.18, 2025: 0.17}  # the year one first came
# Fewer services in the summer holidays and around the new year.
MONTHS = (0.7, 1.0, 1.15, 1.15, 1.1, 0.85, 0.45, 0.3, 0.95, 1.2, 1.2, 0.95)
WITHDRAWN = 0.006  # attendance undone, a request reopened …

TOPICS: list[tuple[str, str | None]] = [
    ("Proje Döngüsü Yönetimi", None),
    ("Gönüllü Yönetimi", "civil-society"),
    ("Savunuculuk ve Kampanya", "democracy"),
    ("Dijital Güvenlik", "freedom-of-expression"),
    ("Kaynak Geliştirme", None),
    ("Mali Yönetim ve Raporlama", None),
    ("Sosyal Medya ve İletişim", "media"),
    ("Etki Ölçümü", None),
    ("Dernekler Mevzuatı ve KVKK", "civil-society"),
    ("Hak Temelli Yaklaşım", "human-rights"),
    ("Stratejik Planlama", None),
    ("Veriyle Hikâye Anlatımı", "media"),
    ("Toplumsal Cinsiyet Eşitliği", "gender-equality"),
    ("Afet Hazırlığı ve Müdahale", "disaster"),
    ("Ağ Kurma ve İşbirliği", "civil-society"),
    ("Mülteci Hakları", "migration"),
    ("Çocuk Koruma Politikası", "children"),
    ("İklim Adaleti", "environment"),
    ("Erişilebilir Etkinlik Düzenleme", "disability"),
    ("Gençlik Katılımı", "youth"),
]
FESTIVAL_CITIES = (34, 6, 35, 21, 61, 7)


@dataclass(frozen=True)
class KindPlan:
    """How a kind of service is delivered: to how many at once, where, for how long."""

    slug: str
    share: float  # of all deliveries
    group: tuple[int, int]  # subjects per service, fewest and most
    online: float  # share held online (no province of its own)
    hours: tuple[str, ...]  # the quantity recorded; empty: none
    programme: str
    title: str  # "{topic}" and "{city}" are filled in
    one_to_one: bool = False  # a request from an organisation, not a class of participants
    months: tuple[int, ...] = ()  # only in these months, if any


KINDS = [
    KindPlan("training", 0.27, (8, 30), 0.2, ("3", "6", "12"), "Kapasite Geliştirme Eğitimleri",
             "{topic} Eğitimi"),
    KindPlan("school", 0.03, (20, 35), 0.0, ("40",), "Sivil Toplum Okulu",
             "Sivil Toplum Okulu: {topic} Modülü", months=(2, 3, 4, 5, 10, 11)),
    KindPlan("webinar", 0.17, (20, 120), 1.0, ("1.5",), "Webinar Serisi", "Webinar: {topic}"),
    KindPlan("talk", 0.06, (15, 60), 0.3, ("2",), "Söyleşiler", "Söyleşi: {topic}"),
    KindPlan("festival", 0.07, (40, 150), 0.0, ("3",), "Sivil Sesler Festivali",
             "Sivil Sesler Festivali Atölyesi: {topic}", months=(9, 10)),
    KindPlan("support", 0.16, (1, 1), 1.0, (), "Destek Noktası", "Destek talebi: {topic}",
             one_to_one=True),
    KindPlan("eu-support", 0.05, (1, 2), 1.0, ("2",), "AB Destek Birimi",
             "AB projesi danışmanlığı: {topic}", one_to_one=True),
    KindPlan("coaching", 0.05, (1, 1), 0.5, ("2",), "Mentorluk Programı",
             "Mentorluk görüşmesi: {topic}", one_to_one=True),
    KindPlan("academia", 0.02, (2, 5), 0.5, (), "STÖ–Akademi İşbirliği Programı",
             "Akademi işbirliği: {topic}", one_to_one=True),
    KindPlan("funding-info", 0.12, (30, 200), 1.0, ("1",), "Fon Bilgilendirme Oturumları",
             "Fon bilgilendirmesi: {topic}"),
]  # fmt: skip


@dataclass(frozen=True)
class Service:
    """A service as planned: what, when, where, on which topic, for how many."""

    kind: KindPlan
    date: dt.date
    province: int | None
    topic: str
    theme: str | None
    size: int


class Pool:
    """Ids to draw from with weights: a few regulars come to everything, most come once."""

    def __init__(self, ids: Sequence[int], weights: Sequence[float]) -> None:
        self.ids = list(ids)
        self.cumulative = list(accumulate(weights))

    def draw(self, rng: random.Random, k: int) -> list[int]:
        """Up to ``k`` different ids (fewer only when the pool is small)."""
        k = min(k, len(self.ids))
        drawn: dict[int, None] = {}
        for _ in range(4):
            missing = k - len(drawn)
            if not missing:
                break
            drawn.update(
                dict.fromkeys(rng.choices(self.ids, cum_weights=self.cumulative, k=missing))
            )
        return list(drawn)


@dataclass
class Directory:
    """What the ledger demo needs to know of the directory, read in a few queries.

    Organisations and people come to the center over the years: the pools of a year hold those
    who had arrived by then, so "new this period" means something in every year.
    """

    organisations: dict[int, Pool]  # year → pool
    people: dict[int, Pool]  # year → pool
    people_in: dict[tuple[int, int], Pool]  # (year, province) → pool
    organisation_province: dict[int, int | None]
    organisation_themes: dict[int, list[int]]
    person_province: dict[int, int | None]
    works_for: dict[int, int]  # person → organisation
    staff_of: dict[int, list[int]]  # organisation → people


def _arrivals(rng: random.Random, ids: Sequence[int]) -> dict[int, int]:
    """The year each one first came to the center: most were known before 2022 began."""
    years = list(ARRIVALS)
    return {pk: rng.choices(years, weights=list(ARRIVALS.values()))[0] for pk in ids}


def _pools(
    arrivals: dict[int, int], weights: dict[int, float], key: Callable[[int], Any] | None = None
) -> dict[Any, Pool]:
    grouped: dict[Any, tuple[list[int], list[float]]] = defaultdict(lambda: ([], []))
    for pk, arrived in arrivals.items():
        group = key(pk) if key else None
        if key and group is None:
            continue
        for year in YEARS:
            if arrived <= year:
                ids, pool_weights = grouped[(year, group) if key else year]
                ids.append(pk)
                pool_weights.append(weights[pk])
    return {group: Pool(*pool) for group, pool in grouped.items()}


def _read_directory(rng: random.Random) -> Directory | None:
    size_weight: dict[str, float] = {
        SizeBand.MICRO: 1.0, SizeBand.SMALL: 1.6, SizeBand.MEDIUM: 2.4, SizeBand.LARGE: 3.5
    }  # fmt: skip
    # In a fixed order: the same seed must draw the same rows, on PostgreSQL too.
    organisations = list(
        Organisation.objects.order_by("pk").values_list("pk", "province_id", "size_band")
    )
    people = list(Person.objects.order_by("pk").values_list("pk", "province_id"))
    if not organisations or not people:
        return None
    themes: dict[int, list[int]] = defaultdict(list)
    for organisation_id, theme_id in Organisation.themes.through.objects.order_by(
        "organisation_id", "theme_id"
    ).values_list("organisation_id", "theme_id"):
        themes[organisation_id].append(theme_id)
    works_for: dict[int, int] = {}
    staff_of: dict[int, list[int]] = defaultdict(list)
    for person_id, organisation_id in (
        Affiliation.objects.filter(end_date__isnull=True)
        .order_by("pk")
        .values_list("person_id", "organisation_id")
    ):
        works_for.setdefault(person_id, organisation_id)
        staff_of[organisation_id].append(person_id)
    # A few regulars come to everything, most come once or twice.
    organisation_weights = {
        pk: rng.lognormvariate(0, 1.0) * size_weight.get(size, 1.0) for pk, _, size in organisations
    }
    person_weights = {
        pk: rng.lognormvariate(0, 1.0) * (1.5 if pk in works_for else 1.0) for pk, _ in people
    }
    person_province: dict[int, int | None] = dict(people)
    person_arrivals = _arrivals(rng, [pk for pk, _ in people])
    return Directory(
        organisations=_pools(_arrivals(rng, list(organisation_weights)), organisation_weights),
        people=_pools(person_arrivals, person_weights),
        people_in=_pools(person_arrivals, person_weights, key=person_province.__getitem__),
        organisation_province={pk: plate for pk, plate, _ in organisations},
        organisation_themes=themes,
        person_province=person_province,
        works_for=works_for,
        staff_of=staff_of,
    )


def plan_services(rng: random.Random, deliveries: int) -> list[Service]:
    """Enough services of each kind for its share of ``deliveries``, in date order."""
    plates = list(PROVINCE_WEIGHTS)
    # Services are held where organisations are, and a little more in the big cities.
    cumulative = list(accumulate(weight**1.1 for weight in PROVINCE_WEIGHTS.values()))
    years, year_weights = list(YEARS), list(YEARS.values())
    services = []
    for plan in KINDS:
        wanted = plan.share * deliveries
        planned = 0
        while planned < wanted:
            size = rng.randint(*plan.group)
            months = plan.months or range(1, 13)
            month = rng.choices(list(months), weights=[MONTHS[m - 1] for m in months])[0]
            date = dt.date(rng.choices(years, year_weights)[0], month, rng.randint(1, 28))
            if plan.slug == "festival":
                province: int | None = rng.choice(FESTIVAL_CITIES)
            elif rng.random() < plan.online:
                province = None
            else:
                province = rng.choices(plates, cum_weights=cumulative)[0]
            topic, theme = rng.choice(TOPICS)
            services.append(Service(plan, date, province, topic, theme, size))
            planned += size
    services.sort(key=lambda service: (service.date, service.kind.slug))
    return services


def _subjects(
    rng: random.Random, service: Service, directory: Directory
) -> Iterator[tuple[int | None, int | None]]:
    """(organisation, person) for each subject of the service; one subject never twice."""
    year = service.date.year
    if service.kind.one_to_one:
        for organisation in directory.organisations[year].draw(rng, service.size):
            staff = directory.staff_of.get(organisation)
            roll = rng.random()
            if roll < 0.45 or not staff:
                yield organisation, None  # the organisation asked, from its own address
            elif roll < 0.88:
                yield organisation, rng.choice(staff)  # someone asked on its behalf
            else:
                yield None, directory.people[year].draw(rng, 1)[0]  # an individual activist
        return
    local = directory.people_in.get((year, service.province)) if service.province else None
    near = local.draw(rng, int(service.size * 0.6)) if local else []
    people = dict.fromkeys([*near, *directory.people[year].draw(rng, service.size - len(near))])
    for person in people:
        # Most who work for an organisation come on its behalf; some on their own.
        on_behalf = directory.works_for.get(person) if rng.random() < 0.8 else None
        yield on_behalf, person


def _analyze() -> None:
    """Fresh planner statistics after a bulk load, so that the reach queries use their indexes
    at once (PostgreSQL's autovacuum would get there some minutes later; SQLite never does)."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # Sampled, not a full scan of every index: seconds instead of minutes.
            cursor.execute("PRAGMA analysis_limit = 1000")
        cursor.execute("ANALYZE")


def _batches(services: Sequence[Service], size: int) -> Iterator[Sequence[Service]]:
    for start in range(0, len(services), size):
        yield services[start : start + size]


def _withdrawn_at(rng: random.Random, date: dt.date) -> dt.datetime | None:
    if rng.random() >= WITHDRAWN:
        return None
    return timezone.make_aware(dt.datetime.combine(date, dt.time(9)) + dt.timedelta(days=2))


def build(context: DemoContext) -> None:
    # The reach summary's triggers are dropped for the bulk load and the summary rebuilt once.
    with bulk_loading(), summary.suspended():
        _build(context)


def _build(context: DemoContext) -> None:
    rng = random.Random(context.rng.getrandbits(64))  # noqa: S311 — demo data, not secrets
    directory = _read_directory(rng)
    if directory is None:
        return
    kinds = dict(ServiceKind.objects.values_list("slug", "pk"))
    themes = dict(Theme.objects.values_list("slug", "pk"))
    source_type = ContentType.objects.get_for_model(RecordedService)
    wanted = DELIVERIES[context.scale]
    # A few more services than needed: a participant drawn twice for one service comes once.
    planned = [s for s in plan_services(rng, int(wanted * 1.1)) if s.kind.slug in kinds]
    recorded = services = 0
    with context.step("Service deliveries", total=wanted) as advance:
        for chunk in _batches(planned, 1_000):
            if recorded >= wanted:
                break
            subjects = []
            for service in chunk:
                found = list(_subjects(rng, service, directory))[: wanted - recorded]
                if found:
                    subjects.append((service, found))
                    recorded += len(found)
            sources = RecordedService.objects.bulk_create(
                RecordedService(
                    kind_id=kinds[service.kind.slug],
                    title=service.kind.title.format(topic=service.topic),
                    programme=service.kind.programme,
                    date=service.date,
                    province_id=service.province,
                )
                for service, _ in subjects
            )
            rows: list[Delivery] = []
            row_themes: list[list[int]] = []
            for (service, found), source in zip(subjects, sources, strict=True):
                hours = Decimal(rng.choice(service.kind.hours)) if service.kind.hours else None
                topic_themes = [themes[service.theme]] if service.theme in themes else []
                for organisation, person in found:
                    # The province and themes default as record_delivery defaults them: the
                    # person's province, else the organisation's; the organisation's themes
                    # (else, here, the topic's).
                    province = directory.person_province.get(person) if person else None
                    if province is None and organisation is not None:
                        province = directory.organisation_province.get(organisation)
                    rows.append(
                        Delivery(
                            kind_id=source.kind_id,
                            organisation_id=organisation,
                            person_id=person,
                            date=service.date,
                            programme=source.programme,
                            activity=source.title,
                            province_id=province,
                            quantity=hours,
                            source_type=source_type,
                            source_id=str(source.pk),
                            withdrawn_at=_withdrawn_at(rng, service.date),
                        )
                    )
                    row_themes.append(
                        directory.organisation_themes.get(organisation, [])
                        if organisation is not None
                        else topic_themes
                    )
            made = Delivery.objects.bulk_create(rows, batch_size=BATCH)
            Delivery.themes.through.objects.bulk_create(
                (
                    Delivery.themes.through(delivery_id=delivery.pk, theme_id=theme)
                    for delivery, theme_ids in zip(made, row_themes, strict=True)
                    for theme in theme_ids
                ),
                batch_size=BATCH * 2,
            )
            services += len(sources)
            advance(len(made))
    context.count("recorded services", services)
    context.count("service deliveries", recorded)
    _analyze()
    log_action(
        "kaynak.ledger.demo.loaded",
        data={"scale": context.scale, "services": services, "deliveries": recorded},
    )
