"""Demo directory: Turkish organisations, people and who works where.

"small" makes 300 organisations and 600 people in well under a second; "national" makes
100,000 organisations and 300,000 people, the size of Turkey's civil society, in one to two
minutes. Rows are written with ``bulk_create`` in batches, with ``search_text`` computed as the
services compute it, so the data is what the services would have written (only the per-row
audit entries are left out: one entry records the whole load). The same seed gives the same
data.

Demo member accounts (``kaynak.accounts.demo``) become people of demo organisations; the first
few (by e-mail address) are NGO admins of theirs.
"""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import accumulate

from django.db import connection

from kaynak.accounts.models import User
from kaynak.core.audit import log_action
from kaynak.core.demo import DemoContext
from kaynak.core.models import Province, Theme
from kaynak.core.text import casefold_tr, upper_tr
from kaynak.directory.models import (
    Affiliation,
    Gender,
    Organisation,
    OrganisationStatus,
    Person,
    SizeBand,
)
from kaynak.directory.normalize import organisation_search_text, person_search_text


@dataclass(frozen=True)
class Sizes:
    organisations: int
    people: int
    ngo_admins: int


SIZES = {
    "small": Sizes(organisations=300, people=600, ngo_admins=3),
    "national": Sizes(organisations=100_000, people=300_000, ngo_admins=10),
}
BATCH = 5_000

# Population of each province in thousands (TÜİK, 2023, rounded), by plate code. Organisations
# follow population, and a little more than that: big cities hold more of them per head.
POPULATION = {
    1: 2270, 2: 610, 3: 745, 4: 510, 5: 335, 6: 5800, 7: 2700, 8: 170, 9: 1160, 10: 1280,
    11: 230, 12: 285, 13: 360, 14: 320, 15: 275, 16: 3200, 17: 560, 18: 200, 19: 525, 20: 1060,
    21: 1820, 22: 415, 23: 600, 24: 240, 25: 750, 26: 910, 27: 2160, 28: 450, 29: 145, 30: 280,
    31: 1545, 32: 450, 33: 1920, 34: 15650, 35: 4480, 36: 275, 37: 380, 38: 1445, 39: 370,
    40: 245, 41: 2100, 42: 2320, 43: 580, 44: 740, 45: 1470, 46: 1120, 47: 880, 48: 1050,
    49: 400, 50: 310, 51: 365, 52: 765, 53: 345, 54: 1100, 55: 1370, 56: 330, 57: 220, 58: 640,
    59: 1140, 60: 600, 61: 820, 62: 90, 63: 2170, 64: 375, 65: 1130, 66: 420, 67: 585, 68: 435,
    69: 85, 70: 260, 71: 280, 72: 635, 73: 570, 74: 205, 75: 92, 76: 205, 77: 300, 78: 250,
    79: 155, 80: 560, 81: 410,
}  # fmt: skip
PROVINCE_WEIGHTS = {plate: people**1.1 for plate, people in POPULATION.items()}

DISTRICTS = {
    34: ["Kadıköy", "Beşiktaş", "Üsküdar", "Şişli", "Beyoğlu", "Fatih", "Bakırköy", "Kartal",
         "Maltepe", "Ataşehir", "Esenyurt", "Bağcılar", "Sarıyer", "Pendik", "Avcılar",
         "Küçükçekmece", "Beylikdüzü", "Eyüpsultan", "Sultangazi", "Ümraniye"],
    6: ["Çankaya", "Keçiören", "Yenimahalle", "Mamak", "Etimesgut", "Sincan", "Altındağ",
        "Pursaklar", "Gölbaşı", "Polatlı"],
    35: ["Konak", "Karşıyaka", "Bornova", "Buca", "Çiğli", "Bayraklı", "Karabağlar", "Urla",
         "Menemen", "Torbalı"],
    16: ["Osmangazi", "Nilüfer", "Yıldırım", "İnegöl", "Gemlik"],
    7: ["Muratpaşa", "Konyaaltı", "Kepez", "Alanya", "Manavgat"],
    1: ["Seyhan", "Çukurova", "Yüreğir", "Ceyhan"],
    21: ["Bağlar", "Kayapınar", "Yenişehir", "Sur"],
    27: ["Şahinbey", "Şehitkamil", "Nizip"],
    33: ["Yenişehir", "Mezitli", "Akdeniz", "Toroslar", "Tarsus"],
    42: ["Selçuklu", "Meram", "Karatay", "Ereğli"],
    41: ["İzmit", "Gebze", "Gölcük", "Darıca"],
    65: ["İpekyolu", "Tuşba", "Edremit", "Erciş"],
    31: ["Antakya", "İskenderun", "Defne", "Samandağ"],
    55: ["İlkadım", "Atakum", "Canik", "Bafra"],
    61: ["Ortahisar", "Akçaabat", "Of"],
}  # fmt: skip

# What organisations work on: the words in their names, and the themes that go with them.
FOCUSES: list[tuple[str, tuple[str, ...]]] = [
    ("Kadın Dayanışma", ("women", "gender-equality")),
    ("Kadın Emeğini Değerlendirme", ("women", "labour")),
    ("Kadın Girişimciler", ("women", "labour")),
    ("Kadın ve Demokrasi", ("women", "democracy")),
    ("Çocuk Hakları", ("children", "human-rights")),
    ("Çocuk ve Gençlik", ("children", "youth")),
    ("Çocuk Esirgeme", ("children",)),
    ("Gençlik ve Spor", ("youth",)),
    ("Gençlik Gelişim", ("youth", "education")),
    ("Genç Gönüllüler", ("youth", "civil-society")),
    ("Engelliler", ("disability",)),
    ("Görme Engelliler", ("disability",)),
    ("İşitme Engelliler Spor", ("disability", "youth")),
    ("Otizmli Çocuklar", ("disability", "children")),
    ("Engelsiz Yaşam", ("disability",)),
    ("Yaşlılara Destek", ("ageing", "health")),
    ("Huzurevi Gönüllüleri", ("ageing",)),
    ("İnsan Hakları", ("human-rights",)),
    ("Mülteci Destek", ("migration", "human-rights")),
    ("Göç ve Uyum", ("migration",)),
    ("Sığınmacılarla Dayanışma", ("migration", "poverty")),
    ("Çevre ve Doğa Koruma", ("environment",)),
    ("Doğa ve Yaban Hayatı Koruma", ("environment",)),
    ("İklim Hareketi", ("environment",)),
    ("Sıfır Atık", ("environment",)),
    ("Ekoloji", ("environment", "rural-development")),
    ("Hayvanları Koruma", ("environment",)),
    ("Kültür ve Sanat", ("culture-arts",)),
    ("Tiyatro", ("culture-arts",)),
    ("Halk Oyunları", ("culture-arts", "youth")),
    ("Tarih ve Kültür Mirası", ("culture-arts",)),
    ("Eğitim Gönüllüleri", ("education",)),
    ("Okuma Kültürü", ("education", "culture-arts")),
    ("Eğitime Destek", ("education", "children")),
    ("Afet Gönüllüleri", ("disaster",)),
    ("Arama Kurtarma", ("disaster",)),
    ("Deprem Dayanışma", ("disaster", "poverty")),
    ("Sağlık Gönüllüleri", ("health",)),
    ("Kanserle Mücadele", ("health",)),
    ("Ruh Sağlığı", ("health",)),
    ("Yoksullukla Mücadele", ("poverty",)),
    ("Sosyal Yardımlaşma", ("poverty",)),
    ("Yardımlaşma ve Dayanışma", ("poverty",)),
    ("Kırsal Kalkınma", ("rural-development",)),
    ("Tarım ve Kırsal Kalkınma", ("rural-development", "environment")),
    ("Emek ve İstihdam", ("labour",)),
    ("Girişimcilik", ("labour", "youth")),
    ("Medya ve İletişim", ("media", "freedom-of-expression")),
    ("Gazeteciler", ("media", "freedom-of-expression")),
    ("İfade Özgürlüğü", ("freedom-of-expression", "human-rights")),
    ("Demokrasi ve Katılım", ("democracy",)),
    ("Kent Hakkı", ("democracy", "human-rights")),
    ("Sivil Toplum Geliştirme", ("civil-society",)),
    ("Gönüllülük", ("civil-society",)),
    ("Barış ve Diyalog", ("peace",)),
    ("Toplumsal Cinsiyet Eşitliği", ("gender-equality", "women")),
    ("LGBTİ+ Dayanışma", ("lgbti", "human-rights")),
]
PREFIXES = [
    "Umut", "Yeşil", "Gökkuşağı", "Mavi", "Güneş", "Yarın", "Işık", "Fidan", "Çınar",
    "Kardelen", "Nilüfer", "Yaşam", "Birlik", "Dostluk", "Toplum", "Halk", "Çağdaş", "Yeni",
    "Genç", "Anadolu", "Ege", "Karadeniz", "Akdeniz", "Trakya", "Kapadokya", "Mezopotamya",
    "Toros", "Fırat", "Dicle", "Kuzey", "Güney", "Özgür", "Eşit", "Ortak", "Can", "Dayanışma",
]  # fmt: skip
NEIGHBOURHOODS = [
    "Cumhuriyet", "Atatürk", "Yenimahalle", "Bahçelievler", "Esentepe", "Fatih", "Yıldız",
    "Gazi", "Mimar Sinan", "Hürriyet", "Barbaros", "Yenişehir", "Kocatepe", "Emek", "Güzelyalı",
    "Sahil", "Çamlık", "Kurtuluş", "İstiklal", "Zafer", "Mevlana", "Yunus Emre", "Karşıyaka",
    "Ulubatlı", "Yavuz Selim", "Saray", "Pınarbaşı", "Güzeltepe", "Bağlarbaşı", "Kavaklı",
]  # fmt: skip
VILLAGES = [
    "Karaağaç", "Akpınar", "Yeniköy", "Çamlıca", "Kayabaşı", "Kızılca", "Sarıca", "Gökçe",
    "Karapınar", "Yassıören", "Armutlu", "Cevizli", "Dereköy", "Ortaköy", "Kuşçu", "Bademli",
    "Elmalı", "Taşlıca", "Karacaören", "Yazıköy", "Alacaatlı", "Çaltı", "Kireçli", "Söğütlü",
    "Kozluca", "Gölcük", "Eskiköy", "Kocaköy", "Bağlıca", "Susuz", "Akçakoca", "Pirinçli",
    "Ilıca", "Karaköy", "Kayalar", "Hacılar", "Yukarıköy", "Aşağıköy", "Kuyucak", "Dutluca",
]  # fmt: skip
# Invented founders' names (no real person's foundation is implied).
FOUNDERS = [
    "Ayşe Hanım", "Hüseyin Bey", "Nermin Erdem", "Fikret Öz", "Saffet Türkmen", "Muazzez Kaya",
    "Rıfat Aydın", "Halil Bozkurt", "Sevim Tekin", "Ahmet Hamdi Uçar", "Nazım Özkan",
    "Meliha Sarı", "Kemal Tunç", "Zehra Aksoy", "Cemil Ateş", "Perihan Koç",
]  # fmt: skip
CHAMBERS = ["Mimarlar Odası", "Tabip Odası", "Barosu", "Mühendisler Odası", "Eczacı Odası"]
ROLES = [
    "Başkan", "Genel Sekreter", "Yönetim Kurulu Üyesi", "Proje Koordinatörü", "Gönüllü",
    "Üye", "Sayman", "İletişim Sorumlusu", "Program Sorumlusu", "Saha Koordinatörü",
]  # fmt: skip

WOMEN = [
    "Ayşe", "Fatma", "Emine", "Hatice", "Zeynep", "Elif", "Meryem", "Şerife", "Zehra", "Sultan",
    "Hanife", "Merve", "Havva", "Zeliha", "Esra", "Fadime", "Özlem", "Hacer", "Melek", "Yasemin",
    "Hülya", "Gül", "Derya", "Ebru", "Büşra", "Songül", "Sevgi", "Aslı", "Dilek", "Gamze",
    "Nur", "Cansu", "Tuğba", "Selin", "Ece", "Damla", "Gizem", "İrem", "Buse", "Kübra",
    "Şule", "Nilüfer", "Pınar", "Sibel", "Canan", "Filiz", "Gülşen", "Işıl", "Öznur", "Çiğdem",
    "Ülkü", "Nermin", "Berna", "Deniz", "Eylül", "Defne", "Nazlı", "Sena", "Beyza", "Rabia",
]  # fmt: skip
MEN = [
    "Mehmet", "Mustafa", "Ahmet", "Ali", "Hüseyin", "Hasan", "İbrahim", "İsmail", "Osman",
    "Yusuf", "Murat", "Ömer", "Ramazan", "Halil", "Süleyman", "Abdullah", "Mahmut", "Recep",
    "Salih", "Fatih", "Kadir", "Emre", "Hakan", "Burak", "Serkan", "Oğuz", "Barış", "Can",
    "Cem", "Kerem", "Tolga", "Umut", "Volkan", "Erkan", "Onur", "Gökhan", "Selim", "Tuncay",
    "Uğur", "Çağlar", "Doğan", "Engin", "Ferhat", "Güven", "İlker", "Koray", "Levent", "Orhan",
    "Rıza", "Şahin", "Taner", "Yiğit", "Zafer", "Baran", "Berk", "Eren", "Kaan", "Arda",
]  # fmt: skip
SURNAMES = [
    "Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Yıldırım", "Öztürk", "Aydın",
    "Özdemir", "Arslan", "Doğan", "Kılıç", "Aslan", "Çetin", "Kara", "Koç", "Kurt", "Özkan",
    "Şimşek", "Polat", "Özcan", "Korkmaz", "Çakır", "Erdoğan", "Yavuz", "Can", "Acar", "Şen",
    "Aktaş", "Güler", "Yalçın", "Güneş", "Bozkurt", "Bulut", "Keskin", "Ünal", "Turan", "Gül",
    "Özer", "Işık", "Kaplan", "Avcı", "Sarı", "Tekin", "Taş", "Köse", "Yüksel", "Ateş", "Aksoy",
    "Uçar", "Tunç", "Karaca", "Demirci", "Erdem", "Başaran", "Altun", "Duman", "Uysal", "Türk",
    "Ekinci", "Kocabaş", "Sönmez", "Akın", "Özgür", "Çiftçi", "Aydemir", "Bayram", "Karakaya",
    "Gündoğdu", "Akbulut", "Ergün", "Tuna", "Coşkun", "Kahraman", "Karataş", "Oral", "Ay",
    "Baysal", "Durmaz", "Eren", "Gökmen", "Kılınç", "Özbek", "Sevim", "Tan", "Uzun", "Zengin",
]  # fmt: skip
FREE_MAIL = ["gmail.com", "hotmail.com", "yandex.com", "outlook.com", "yahoo.com"]

# Legal form (applicant type slug) → share of organisations.
LEGAL_FORMS = {
    "association": 0.64, "foundation": 0.12, "cooperative": 0.08, "platform": 0.05,
    "informal-group": 0.05, "federation": 0.02, "university": 0.015, "chamber": 0.015,
    "municipality": 0.01,
}  # fmt: skip
SIZE_BANDS = {
    SizeBand.MICRO: 0.55, SizeBand.SMALL: 0.30, SizeBand.MEDIUM: 0.12, SizeBand.LARGE: 0.03
}  # fmt: skip
PEOPLE_PER_ORGANISATION = {
    SizeBand.MICRO: (0, 2), SizeBand.SMALL: (1, 3), SizeBand.MEDIUM: (1, 5), SizeBand.LARGE: (2, 8)
}  # fmt: skip

FORM_WORDS = {
    "association": "dernek", "foundation": "vakıf", "cooperative": "kooperatif",
    "platform": "platform", "informal-group": "gönüllü grup", "federation": "federasyon",
    "university": "üniversite merkezi", "chamber": "meslek örgütü", "municipality": "kent konseyi",
}  # fmt: skip

_ASCII = str.maketrans("çğıöşüÇĞİÖŞÜâîû", "cgiosuCGIOSUaiu")


def ascii_slug(text: str, separator: str = "") -> str:
    """ "Ege Çevre Derneği" → "egecevredernegi": for invented e-mail addresses and domains."""
    plain = unicodedata.normalize("NFKD", text.translate(_ASCII)).encode("ascii", "ignore")
    words = "".join(ch if ch.isalnum() else " " for ch in plain.decode().lower()).split()
    return separator.join(words)


def acronym(name: str) -> str:
    """Initials of the name's words, as Turkish organisations abbreviate ("EÇDKD")."""
    return "".join(upper_tr(word[0]) for word in name.split() if word not in {"ve", "ile"})[:12]


def weighted[T](rng: random.Random, options: dict[T, float]) -> T:
    return rng.choices(list(options), weights=list(options.values()))[0]


def mobile_phone(rng: random.Random) -> str:
    """A Turkish mobile number in E.164, as the services store phones."""
    return f"+905{rng.randint(30, 55)}{rng.randint(1_000_000, 9_999_999)}"


@dataclass
class OrganisationSpec:
    """An organisation as planned, before it is written."""

    name: str
    legal_form: str
    province: int
    themes: tuple[str, ...]
    size: SizeBand
    listed: bool
    district: str = ""
    parent: int | None = None  # index of the parent among the planned organisations


class Namer:
    """Invents organisation names: unique within a province, while the same name in two
    provinces happens, as it does in Turkey."""

    def __init__(self, rng: random.Random, province_names: dict[int, str]) -> None:
        self.rng = rng
        self.province_names = province_names
        self.taken: set[tuple[int, str]] = set()

    def invent(self, legal_form: str, province: int) -> tuple[str, tuple[str, ...], str]:
        """A name not yet used in ``province``, its themes, and its district (if any)."""
        for attempt in range(100):
            name, themes, district = self._one(legal_form, province, local=attempt > 20)
            if self.claim(province, name):
                return name, themes, district
        # A crowded province: one more street association is always possible.
        name = f"{self.rng.choice(NEIGHBOURHOODS)} Mahallesi {len(self.taken)}. Sokak Derneği"
        self.claim(province, name)
        return name, ("civil-society",), ""

    def claim(self, province: int, name: str) -> bool:
        if (province, name) in self.taken:
            return False
        self.taken.add((province, name))
        return True

    def _place(self, province: int) -> tuple[str, str]:
        districts = DISTRICTS.get(province, [])
        roll = self.rng.random()
        if districts and roll < 0.45:
            district = self.rng.choice(districts)
            return district, district
        if roll < 0.7:
            return self.province_names[province], ""
        return self.rng.choice(PREFIXES), ""

    def _one(self, form: str, province: int, *, local: bool) -> tuple[str, tuple[str, ...], str]:
        rng = self.rng
        focus, themes = rng.choice(FOCUSES)
        place, district = self._place(province)
        city = self.province_names[province]
        if form in ("association", "informal-group") and (local or rng.random() < 0.12):
            # Village and neighbourhood associations: the most common kind in Turkey.
            if rng.random() < 0.5:
                village = rng.choice(VILLAGES)
                return (
                    f"{village} Köyü Kalkındırma ve Yardımlaşma Derneği",
                    ("rural-development",),
                    "",
                )
            neighbourhood = rng.choice(NEIGHBOURHOODS)
            place = district or city
            return (
                f"{place} {neighbourhood} Mahallesi Güzelleştirme ve Dayanışma Derneği",
                ("civil-society", "poverty"),
                district,
            )
        match form:
            case "association":
                volunteers = "Gönüll" not in focus and rng.random() < 0.25
                suffix = "Gönüllüleri Derneği" if volunteers else "Derneği"
                return f"{place} {focus} {suffix}", themes, district
            case "foundation":
                owner = rng.choice([*FOUNDERS, place, "Toplum"])
                return f"{owner} {focus} Vakfı", themes, district
            case "cooperative":
                kind = rng.choice(
                    [
                        "Kadın Girişimi Üretim ve İşletme Kooperatifi",
                        "Tarımsal Kalkınma Kooperatifi",
                        "Kadın Kooperatifi",
                        "Ekolojik Üretim Kooperatifi",
                    ]
                )
                focus_themes = ("women", "labour") if "Kadın" in kind else ("rural-development",)
                return f"{place} {kind}", focus_themes, district
            case "platform":
                return f"{place} {focus} {rng.choice(['Platformu', 'Ağı'])}", themes, district
            case "informal-group":
                return f"{place} {focus} {rng.choice(['İnisiyatifi', 'Grubu'])}", themes, district
            case "federation":
                return f"{rng.choice(['Türkiye', city])} {focus} Federasyonu", themes, ""
            case "university":
                return (
                    f"{city} Üniversitesi {focus} Araştırma ve Uygulama Merkezi",
                    (*themes, "education"),
                    "",
                )
            case "chamber":
                return f"{city} {rng.choice(CHAMBERS)}", ("civil-society",), ""
            case _:  # municipality
                return f"{district or city} Kent Konseyi", ("democracy",), district


def plan_organisations(
    rng: random.Random, count: int, province_names: dict[int, str]
) -> list[OrganisationSpec]:
    """``count`` organisations: every province has some, the big cities most; one in a
    hundred is a national organisation, and about one in twenty-five is a branch of one."""
    namer = Namer(rng, province_names)
    plates = list(PROVINCE_WEIGHTS)
    cumulative = list(accumulate(PROVINCE_WEIGHTS.values()))

    def spec(
        form: str,
        plate: int,
        name: str,
        themes: tuple[str, ...],
        district: str,
        parent: int | None = None,
    ) -> OrganisationSpec:
        return OrganisationSpec(
            name=name,
            legal_form=form,
            province=plate,
            themes=themes,
            size=weighted(rng, SIZE_BANDS),
            listed=rng.random() < 0.4,
            district=district,
            parent=parent,
        )

    national = max(1, count // 100)
    branches = count // 25 if count >= 200 else 0
    specs: list[OrganisationSpec] = []
    # National organisations first (in İstanbul, Ankara or İzmir), so that their branches
    # point to parents written before them.
    for _ in range(national):
        plate = rng.choice((34, 34, 6, 6, 35))
        form = rng.choice(("association", "association", "foundation"))
        name, themes, district = namer.invent(form, plate)
        national_name = form == "association" and not name.startswith("Türkiye")
        if national_name and namer.claim(plate, f"Türkiye {name}"):
            name = f"Türkiye {name}"
        specs.append(spec(form, plate, name, themes, district))
    local = count - national - branches
    # One organisation in every province, then the rest by population.
    provinces = plates[:local] + rng.choices(plates, cum_weights=cumulative, k=max(0, local - 81))
    for plate in provinces:
        form = weighted(rng, LEGAL_FORMS)
        name, themes, district = namer.invent(form, plate)
        specs.append(spec(form, plate, name, themes, district))
    attempts = 0
    while len(specs) < count and attempts < branches * 20:
        attempts += 1
        parent = rng.randrange(national)
        plate = rng.choices(plates, cum_weights=cumulative)[0]
        name = f"{specs[parent].name} {province_names[plate]} Şubesi"
        if plate != specs[parent].province and namer.claim(plate, name):
            form, themes = specs[parent].legal_form, specs[parent].themes
            specs.append(spec(form, plate, name, themes, "", parent))
    while len(specs) < count:  # every branch name was taken: local organisations instead
        plate = rng.choices(plates, cum_weights=cumulative)[0]
        form = weighted(rng, LEGAL_FORMS)
        name, themes, district = namer.invent(form, plate)
        specs.append(spec(form, plate, name, themes, district))
    return specs


class Domains:
    """Web domains, one per organisation: an organisation's own domain is strong evidence of
    who it is (docs/directory.md), so two organisations never share one."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def claim(self, slug: str, province: int) -> str:
        domain, number = f"{slug}.org.tr", 1
        if domain in self.taken:
            domain = f"{slug}{province:02d}.org.tr"
        while domain in self.taken:
            number += 1
            domain = f"{slug}{province:02d}{number}.org.tr"
        self.taken.add(domain)
        return domain


def _organisation(
    rng: random.Random,
    spec: OrganisationSpec,
    serial: int,
    theme_names: dict[str, str],
    domains: Domains,
) -> Organisation:
    short = acronym(spec.name) if rng.random() < 0.3 else ""
    slug = ascii_slug(short or " ".join(spec.name.split()[:2]))[:30] or "stk"
    own_domain = rng.random() < 0.45
    domain = domains.claim(slug, spec.province)
    emails = []
    if own_domain:
        emails.append(f"info@{domain}")
    elif rng.random() < 0.6:
        emails.append(f"{slug}{serial}@{rng.choice(FREE_MAIL)}")
    founded = max(1950, min(2025, int(2025 - rng.expovariate(1 / 14))))
    fields = casefold_tr(", ".join(theme_names[t] for t in dict.fromkeys(spec.themes)))
    description = (
        f"{founded} yılında kurulan {FORM_WORDS[spec.legal_form]}; {fields} alanında çalışıyor."
    )
    return Organisation(
        name=spec.name,
        short_name=short,
        legal_form_id=spec.legal_form,
        association_registry_no=(
            f"{spec.province:02d}-{rng.randint(1, 150):03d}-{serial:06d}"
            if spec.legal_form == "association"
            else ""
        ),
        foundation_registry_no=str(1000 + serial) if spec.legal_form == "foundation" else "",
        tax_no=str(rng.randint(1_000_000_000, 9_999_999_999)) if rng.random() < 0.5 else "",
        province_id=spec.province,
        district=spec.district,
        emails=emails,
        phones=[mobile_phone(rng)] if rng.random() < 0.55 else [],
        website=f"https://www.{domain}" if own_domain else "",
        social_links={"instagram": f"https://instagram.com/{slug}"} if rng.random() < 0.3 else {},
        founding_year=founded,
        size_band=spec.size,
        description=description,
        public_listing_consent=spec.listed,
        status=OrganisationStatus.CLOSED if rng.random() < 0.03 else OrganisationStatus.ACTIVE,
        verified=rng.random() < 0.3,
        search_text=organisation_search_text(spec.name, short),
    )


def _batches(specs: Sequence[OrganisationSpec]) -> Iterator[tuple[int, Sequence[OrganisationSpec]]]:
    """(position, specs) in batches; the parents of branches in a batch before their branches."""
    parents = max((s.parent for s in specs if s.parent is not None), default=-1) + 1
    if parents:
        yield 0, specs[:parents]
    for start in range(parents, len(specs), BATCH):
        yield start, specs[start : start + BATCH]


@contextmanager
def bulk_loading() -> Iterator[None]:
    """This connection, set for loading hundreds of thousands of rows, and set back after.

    Without the development SQL log: with DEBUG on, Django keeps the text of the last 9,000
    statements, and on SQLite quotes every parameter (with queries of its own) to write that
    text: for a million rows, gigabytes of memory and most of the time. And on SQLite with a
    page cache (up to 1 GB) that holds the indexes being filled, instead of the 2 MB default.
    """
    connection.make_debug_cursor = connection.make_cursor  # type: ignore[method-assign,assignment]
    cache_size = None
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA cache_size")
            cache_size = int(cursor.fetchone()[0])
            cursor.execute("PRAGMA cache_size = -1048576")
    try:
        yield
    finally:
        del connection.make_debug_cursor
        if cache_size is not None:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size = {cache_size}")


def build(context: DemoContext) -> None:
    with bulk_loading():
        _build(context)


def _build(context: DemoContext) -> None:
    sizes = SIZES[context.scale]
    # A generator of our own, seeded from the demo's: the same seed gives the same directory.
    rng = random.Random(context.rng.getrandbits(64))  # noqa: S311 — demo data, not secrets
    province_names = dict(Province.objects.values_list("plate_code", "name"))
    theme_ids = dict(Theme.objects.values_list("slug", "pk"))
    theme_names = dict(Theme.objects.values_list("slug", "name_tr"))
    specs = plan_organisations(rng, sizes.organisations, province_names)
    organisation_ids: list[int] = []
    domains = Domains()
    with context.step("Organisations", total=len(specs)) as advance:
        for start, batch in _batches(specs):
            rows = []
            for offset, spec in enumerate(batch):
                row = _organisation(rng, spec, start + offset + 1, theme_names, domains)
                if spec.parent is not None:
                    row.parent_id = organisation_ids[spec.parent]
                rows.append(row)
            made = Organisation.objects.bulk_create(rows)
            organisation_ids.extend(o.pk for o in made)
            Organisation.themes.through.objects.bulk_create(
                Organisation.themes.through(organisation_id=o.pk, theme_id=theme_ids[slug])
                for o, spec in zip(made, batch, strict=True)
                for slug in dict.fromkeys(spec.themes)
            )
            advance(len(batch))
    context.count("organisations", len(specs))
    people, admins = _build_people(context, rng, sizes, specs, organisation_ids)
    log_action(
        "kaynak.directory.demo.loaded",
        data={"scale": context.scale, "organisations": len(specs), "people": people},
    )
    context.count("people", people)
    context.count("NGO admins", admins)


def _person_name(rng: random.Random) -> tuple[str, str]:
    names, gender = (WOMEN, Gender.WOMAN) if rng.random() < 0.52 else (MEN, Gender.MAN)
    first = rng.choice(names)
    if rng.random() < 0.12:
        first = f"{first} {rng.choice(names)}"
    return f"{first} {rng.choice(SURNAMES)}", gender


def _workplaces(rng: random.Random, specs: list[OrganisationSpec], total: int) -> list[int | None]:
    """For each person to be made, the index of the organisation they work for, or ``None``:
    a few people per organisation, more for bigger ones; about six in ten people have one."""
    places: list[int | None] = []
    for index, spec in enumerate(specs):
        low, high = PEOPLE_PER_ORGANISATION[spec.size]
        places.extend([index] * rng.randint(low, high))
    rng.shuffle(places)
    places = places[: int(total * 0.6)]
    places += [None] * (total - len(places))
    rng.shuffle(places)
    return places


def _build_people(
    context: DemoContext,
    rng: random.Random,
    sizes: Sizes,
    specs: list[OrganisationSpec],
    organisation_ids: list[int],
) -> tuple[int, int]:
    """People and their affiliations. The demo members come first, each working for a listed
    organisation; the first few (by e-mail) are its NGO admins. Returns (people, admins)."""
    members = list(User.objects.filter(is_staff=False, person__isnull=True).order_by("email"))
    listed = [i for i, spec in enumerate(specs) if spec.listed and spec.parent is None] or [0]
    member_places = rng.sample(listed, k=min(len(members), len(listed)))
    admins = min(sizes.ngo_admins, len(member_places))
    total = max(sizes.people, len(members))
    places = _workplaces(rng, specs, total)
    plates = list(PROVINCE_WEIGHTS)
    cumulative = list(accumulate(PROVINCE_WEIGHTS.values()))
    with context.step("People", total=total) as advance:
        for start in range(0, total, BATCH):
            rows: list[Person] = []
            works_at: list[int | None] = []
            for position in range(start, min(total, start + BATCH)):
                member = members[position] if position < len(member_places) else None
                organisation = member_places[position] if member else places[position]
                full_name, gender = _person_name(rng)
                emails: list[str] = []
                if member is not None:
                    full_name, emails = member.full_name or full_name, [member.email]
                    first = full_name.split()[0]
                    gender = Gender.WOMAN if first in WOMEN else Gender.MAN if first in MEN else ""
                elif rng.random() < 0.8:
                    emails = [f"{ascii_slug(full_name, '.')}{position}@{rng.choice(FREE_MAIL)}"]
                plate: int | None
                if organisation is not None and rng.random() < 0.85:
                    plate = specs[organisation].province
                elif rng.random() < 0.95:
                    plate = rng.choices(plates, cum_weights=cumulative)[0]
                else:
                    plate = None  # not everyone tells their province
                rows.append(
                    Person(
                        full_name=full_name,
                        emails=emails,
                        phones=[mobile_phone(rng)] if rng.random() < 0.6 else [],
                        province_id=plate,
                        gender=gender if rng.random() < 0.7 else "",
                        birth_year=rng.randint(1950, 2006) if rng.random() < 0.5 else None,
                        language="en" if rng.random() < 0.03 else "tr",
                        user=member,
                        search_text=person_search_text(full_name),
                    )
                )
                works_at.append(organisation)
            made = Person.objects.bulk_create(rows)
            Affiliation.objects.bulk_create(
                _affiliation(rng, person, organisation_ids[org], admin=start + i < admins)
                for i, (person, org) in enumerate(zip(made, works_at, strict=True))
                if org is not None
            )
            advance(len(rows))
    return total, admins


def _affiliation(
    rng: random.Random, person: Person, organisation_id: int, *, admin: bool
) -> Affiliation:
    start = dt.date(rng.randint(2008, 2025), rng.randint(1, 12), rng.randint(1, 28))
    return Affiliation(
        person=person,
        organisation_id=organisation_id,
        role="Başkan" if admin else rng.choice(ROLES),
        is_admin=admin,
        start_date=start if rng.random() < 0.7 else None,
    )
