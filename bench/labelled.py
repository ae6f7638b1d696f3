"""A labelled set for the identity resolver: Turkish organisations and people as they really
arrive — typed into forms, pasted into spreadsheets — with the truth known.

    from bench.labelled import organisation_set, person_set
    rows = organisation_set("train")        # tune on this
    rows = organisation_set("held-out")     # never tune on this

Each set is generated from a fixed seed. The two sets use different seeds *and* disjoint halves
of the name vocabulary (places, subjects, purposes, names), so a rule that only fits the train
set's words shows up as a worse held-out score.

Organisations: every entity is one legal organisation; its rows are variants (case, Turkish
letters in ASCII, legal-form abbreviations, a missing legal form, a typo, an acronym, "Genel
Merkezi", the city written as "İST." or "34" or a district, phones in any format …). Hard
negatives are separate entities: the same name in another province, a branch of an
organisation, the association and the foundation of one family, names one word apart, an
umbrella body sharing an office with a member.

People: every entity is one person; variants reorder, fold, abbreviate or misspell the name,
add or drop a middle name, and write contacts differently. Hard negatives: namesakes, family
members sharing a phone, colleagues sharing an office e-mail address.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

Split = Literal["train", "held-out"]

SEEDS: dict[str, int] = {"train": 20251125, "held-out": 77031}
# The vocabulary is halved once, with its own seed, the same way for every run.
_VOCABULARY_SEED = 4242

# --- vocabulary -----------------------------------------------------------------------------

# fmt: off
PROVINCES = [
    "Adana", "Adıyaman", "Afyonkarahisar", "Ağrı", "Amasya", "Ankara", "Antalya", "Artvin",
    "Aydın", "Balıkesir", "Bilecik", "Bingöl", "Bitlis", "Bolu", "Burdur", "Bursa", "Çanakkale",
    "Çankırı", "Çorum", "Denizli", "Diyarbakır", "Edirne", "Elazığ", "Erzincan", "Erzurum",
    "Eskişehir", "Gaziantep", "Giresun", "Gümüşhane", "Hakkari", "Hatay", "Isparta", "Mersin",
    "İstanbul", "İzmir", "Kars", "Kastamonu", "Kayseri", "Kırklareli", "Kırşehir", "Kocaeli",
    "Konya", "Kütahya", "Malatya", "Manisa", "Kahramanmaraş", "Mardin", "Muğla", "Muş", "Nevşehir",
    "Niğde", "Ordu", "Rize", "Sakarya", "Samsun", "Siirt", "Sinop", "Sivas", "Tekirdağ", "Tokat",
    "Trabzon", "Tunceli", "Şanlıurfa", "Uşak", "Van", "Yozgat", "Zonguldak", "Aksaray", "Bayburt",
    "Karaman", "Kırıkkale", "Batman", "Şırnak", "Bartın", "Ardahan", "Iğdır", "Yalova", "Karabük",
    "Kilis", "Osmaniye", "Düzce",
]
# fmt: on
# How people write a province in a city column, besides its name.
CITY_SPELLINGS: dict[str, list[str]] = {
    "İstanbul": [
        "İST.",
        "Ist",
        "ISTANBUL",
        "Istanbul",
        "34",
        "Kadıköy",
        "Beşiktaş / İstanbul",
        "İstanbul (Avrupa)",
        "Üsküdar",
    ],
    "Ankara": ["ANK.", "06", "Çankaya", "ANKARA", "ankara"],
    "İzmir": ["IZMIR", "Izmir", "İZM", "35", "Karşıyaka", "Bornova/İzmir"],
    "Kahramanmaraş": ["K.Maraş", "Maraş", "KAHRAMANMARAS"],
    "Şanlıurfa": ["Urfa", "Ş.Urfa", "SANLIURFA"],
    "Gaziantep": ["Antep", "G.Antep", "GAZİANTEP"],
    "Mersin": ["İçel", "MERSIN"],
    "Afyonkarahisar": ["Afyon"],
    "Diyarbakır": ["DİYARBAKIR", "Diyarbakir", "21", "Bağlar"],
    "Van": ["VAN", "van", "65", "İpekyolu"],
    "Bursa": ["BURSA", "16", "Nilüfer"],
    "Antalya": ["ANTALYA", "07", "Muratpaşa"],
}
# fmt: off
REGIONS = [
    "Ege", "Karadeniz", "Akdeniz", "Marmara", "Trakya", "Çukurova", "Anadolu", "Doğu Anadolu",
    "Güneydoğu", "Kapadokya", "Toros", "Orta Anadolu",
]
# fmt: on
# fmt: off
DISTRICTS = [
    "Kadıköy", "Beyoğlu", "Çankaya", "Karşıyaka", "Bornova", "Nilüfer", "Tepebaşı", "Seyhan",
    "Muratpaşa", "Bağlar", "Tuşba", "Atakum", "Ortahisar", "Kızıltepe", "Bodrum", "Kuşadası",
    "Çorlu", "Akhisar", "Gebze", "Fethiye", "Alanya", "Midyat", "Suruç", "Erciş", "İskenderun",
    "Tarsus",
]
# fmt: on
# fmt: off
SUBJECTS = [
    "Kadın", "Çocuk", "Gençlik", "Engelliler", "Yaşlılar", "Mülteciler", "Göçmenler",
    "Kadın Girişimciler", "Çiftçiler", "Öğretmenler", "Gönüllüler", "Sokak Hayvanları",
    "Otizmli Bireyler", "Lösemili Çocuklar", "Kanser Hastaları", "İşitme Engelliler",
    "Görme Engelliler", "Romanlar", "Down Sendromlular", "Üniversiteliler", "Emekliler",
    "Zihinsel Engelliler", "Kadın Çiftçiler", "Genç Kadınlar", "Köy Kadınları", "Balıkçılar",
    "Arıcılar", "Şehit Aileleri", "Depremzedeler", "Koruyucu Aileler", "Spastik Çocuklar",
    "Diyaliz Hastaları", "Sağır ve Dilsizler", "Ev Kadınları",
]
# fmt: on
# fmt: off
PURPOSES = [
    "Dayanışma", "Yardımlaşma", "Eğitim", "Kültür", "Sanat", "Koruma", "Geliştirme", "Destekleme",
    "Araştırma", "Kalkınma", "Hakları", "Sağlık", "Spor", "Rehabilitasyon", "Güçlendirme",
    "İstihdam", "Dostluk", "Barış", "Demokrasi", "İzleme", "Hukuk", "Medya", "Afet",
    "Arama Kurtarma", "Gıda", "Sosyal Hizmet", "Kooperatifçilik", "Girişimcilik", "Tarım",
    "Turizm", "Çevre", "Doğa", "Ekoloji", "Kent", "Bilim", "Teknoloji", "Müzik", "Tiyatro",
    "Sinema", "Edebiyat", "Halk Oyunları", "El Sanatları", "Yaşam", "Umut", "Gelecek", "Katılım",
    "Eşitlik", "İnsan Hakları", "Sağlıklı Yaşam", "Okuma", "Kütüphane", "Dil", "Tarih", "Mimarlık",
    "İklim", "Su", "Tohum", "Hayvan Hakları", "Göç", "Kırsal Kalkınma", "Engelsiz Yaşam",
    "Psikolojik Destek", "Bağımlılıkla Mücadele", "Gıda Bankacılığı", "Yardım", "Eğitim ve Kültür",
]
# fmt: on
# fmt: off
ABSTRACT = [
    "Yeşil Gelecek", "Yeni Ufuklar", "Gökkuşağı", "Işık", "Köprü", "Çınar", "Filiz", "Anka",
    "Mavi Kalem", "Beyaz Nokta", "Kırmızı Şemsiye", "Mor Çatı", "Hayat Ağacı", "Yarın",
    "Umut Işığı", "Kardelen", "Papatya", "Martı", "Pusula", "Çatı", "Yuva", "Kök", "Fidan",
    "Deniz Yıldızı", "Güneş", "Altın Başak", "Kanat", "Yol Arkadaşı", "Sevgi Eli", "İyilik",
    "Dostluk Köprüsü", "Gülümse", "Can Dostu", "Yaşama Sevinci", "Ortak Yaşam", "Toprak Ana",
    "Bereket", "Nilüfer Çiçeği", "Lale", "Sarmaşık", "Yıldız", "Dalga", "Rüzgar", "Ateş Böceği",
    "Kelebek", "Kır Çiçekleri", "Zeytin Dalı", "Çamlıca", "Ilgaz", "Ağaç Ev", "Sokak Sesi",
    "Ses ve Soluk", "Nefes", "Adım Adım",
]
# fmt: on
# fmt: off
PEOPLE_NAMED = [
    "Ahmet Yesevi", "Mehmet Akif", "Nazım Hikmet", "Sabahattin Ali", "Yunus Emre", "Mimar Sinan",
    "Halide Edib", "Aziz Nesin", "Fatma Aliye", "Nene Hatun", "Sabiha Gökçen", "Cahit Arf",
    "Aşık Veysel", "Hacı Bektaş", "Mevlana", "Piri Reis", "Şükufe Nihal", "Aliye Berger",
    "Ruhi Su", "Uğur Mumcu", "Kemal Tahir", "Orhan Kemal", "Yaşar Kemal", "Behice Boran",
    "Türkan Saylan", "Muazzez İlmiye", "Neşet Ertaş", "Cemal Süreya", "Oktay Rifat",
    "Tezer Taşkıran",
]
# fmt: on
NATIONAL = ["Türkiye", "Türk", "Ulusal", "Uluslararası"]

LEGAL_FORMS: list[tuple[str, float, list[str]]] = [
    # canonical written form, weight, how people abbreviate or vary it
    ("Derneği", 0.58, ["Der.", "Dern.", "Drn.", "Dernek", "DER.", "dernegi", "Derneğı"]),
    ("Vakfı", 0.15, ["Vkf.", "Vak.", "Vakıf", "VAKFI", "Vakfi"]),
    ("Kooperatifi", 0.07, ["Koop.", "Kop.", "Kooperatif", "KOOP."]),
    ("Federasyonu", 0.03, ["Fed.", "Federasyon"]),
    ("Konfederasyonu", 0.01, ["Konfederasyon", "Konf."]),
    ("Platformu", 0.05, ["Platform", "Plt."]),
    ("Girişimi", 0.03, ["Girişim", "Inisiyatifi"]),
    ("Ağı", 0.02, ["Ağ", "Agi"]),
    ("Birliği", 0.03, ["Birlik", "Birl."]),
    ("Sendikası", 0.02, ["Sendika", "Sen."]),
    ("Odası", 0.01, ["Oda"]),
]
HEAD_OFFICE = ["Genel Merkezi", "Gen. Mrk.", "GENEL MERKEZİ", "Genel Merkez"]
BRANCH_SUFFIX = ["Şubesi", "Şb.", "ŞUBESİ", "Şube"]

# fmt: off
FIRST_NAMES_F = [
    "Ayşe", "Fatma", "Emine", "Hatice", "Zeynep", "Elif", "Meryem", "Şerife", "Zehra", "Sultan",
    "Hanife", "Merve", "Özlem", "Yasemin", "Esra", "Gülsüm", "Leyla", "Derya", "Büşra", "Ebru",
    "Sibel", "Gizem", "Çiğdem", "Nur", "Şule", "Gül", "Dilek", "Aslı", "İpek", "Burcu", "Tuğba",
    "Pınar", "Seda", "Sevgi", "Hülya", "Songül", "Nazlı", "Ece", "Damla", "Irmak", "Ilgın", "Öykü",
    "Beril", "Şirin", "Gökçe", "Nilüfer", "Hacer", "Rabia", "Kübra", "Gülşen",
]
# fmt: on
# fmt: off
FIRST_NAMES_M = [
    "Mehmet", "Mustafa", "Ahmet", "Ali", "Hüseyin", "Hasan", "İbrahim", "İsmail", "Osman", "Yusuf",
    "Murat", "Ömer", "Ramazan", "Halil", "Süleyman", "Abdullah", "Mahmut", "Recep", "Salih",
    "Fatih", "Kadir", "Emre", "Hakan", "Burak", "Serkan", "Cem", "Can", "Barış", "Ozan", "Onur",
    "Tolga", "Uğur", "Gökhan", "Erkan", "Çağlar", "Şükrü", "Ilgaz", "Doğan", "Tuncay", "Volkan",
    "Kerem", "Deniz", "Sinan", "Levent", "Orhan", "Yiğit", "Berk", "Çetin", "Erdem", "Tarık",
]
# fmt: on
# fmt: off
SURNAMES = [
    "Yılmaz", "Kaya", "Demir", "Şahin", "Çelik", "Yıldız", "Yıldırım", "Öztürk", "Aydın",
    "Özdemir", "Arslan", "Doğan", "Kılıç", "Aslan", "Çetin", "Kara", "Koç", "Kurt", "Özkan",
    "Şimşek", "Polat", "Özer", "Korkmaz", "Erdoğan", "Güneş", "Aksoy", "Yalçın", "Tekin", "Bulut",
    "Keskin", "Ünal", "Güler", "Turan", "Işık", "Uçar", "Sarı", "Tunç", "Çakır", "Bozkurt", "Akın",
    "Başaran", "Karaca", "Gündoğdu", "Altıntaş", "Ekinci", "Sönmez", "Erol", "Taşdemir", "Akbulut",
    "Çiftçi", "Ateş", "Avcı", "Bayram", "Duman", "Eren", "Gök", "İnce", "Kocabaş", "Oral", "Savaş",
    "Toprak", "Uysal", "Yavuz", "Zengin", "Ağaoğlu", "Büyükşahin", "Dağdeviren", "Eğilmez",
    "Gümüşoğlu", "Hançerli", "Karataş", "Önal", "Sağlam", "Tuncer",
]
# fmt: on
# fmt: off
EMAIL_FREE = [
    "gmail.com", "hotmail.com", "yahoo.com", "outlook.com", "yandex.com", "hotmail.com.tr",
    "icloud.com",
]
# fmt: on

_ASCII = str.maketrans("çÇğĞıİöÖşŞüÜâÂîÎûÛ", "cCgGiIoOsSuUaAiIuU")
_UPPER = str.maketrans({"i": "İ", "ı": "I"})
_LOWER = str.maketrans({"I": "ı", "İ": "i"})
_KEYBOARD = {
    "a": "sq",
    "e": "wr",
    "i": "uo",
    "o": "ip",
    "u": "yi",
    "r": "et",
    "n": "bm",
    "m": "n",
    "l": "k",
    "k": "jl",
    "s": "ad",
    "d": "sf",
    "t": "ry",
    "y": "tu",
    "g": "fh",
    "h": "gj",
    "b": "vn",
    "z": "x",
    "c": "xv",
    "p": "o",
    "v": "cb",
    "f": "dg",
    "ş": "s",
    "ı": "i",
    "ğ": "g",
    "ü": "u",
    "ö": "o",
    "ç": "c",
}


def ascii_tr(text: str) -> str:
    return text.translate(_ASCII)


def upper_tr(text: str) -> str:
    return text.translate(_UPPER).upper()


def lower_tr(text: str) -> str:
    return text.translate(_LOWER).lower()


def _halves(items: list[str], split: Split) -> list[str]:
    """The half of ``items`` a split may use (the same halves on every run)."""
    shuffled = list(items)
    random.Random(f"{_VOCABULARY_SEED}:{items[0]}:{len(items)}").shuffle(shuffled)
    middle = len(shuffled) // 2
    return shuffled[:middle] if split == "train" else shuffled[middle:]


@dataclass
class Vocabulary:
    provinces: list[str]  # where organisations are
    places: list[str]  # place words used inside names (half of provinces, regions, districts)
    subjects: list[str]
    purposes: list[str]
    abstract: list[str]
    people: list[str]
    first_f: list[str]
    first_m: list[str]
    surnames: list[str]

    @classmethod
    def of(cls, split: Split) -> Vocabulary:
        return cls(
            provinces=PROVINCES,
            places=_halves(PROVINCES, split) + _halves(REGIONS, split) + _halves(DISTRICTS, split),
            subjects=_halves(SUBJECTS, split),
            purposes=_halves(PURPOSES, split),
            abstract=_halves(ABSTRACT, split),
            people=_halves(PEOPLE_NAMED, split),
            first_f=_halves(FIRST_NAMES_F, split),
            first_m=_halves(FIRST_NAMES_M, split),
            surnames=_halves(SURNAMES, split),
        )


# --- organisations --------------------------------------------------------------------------


@dataclass
class Entity:
    """One real organisation."""

    key: int
    name: str  # the canonical written name
    legal_form: str
    words: list[str]  # the name without the legal form
    province: str
    acronym: str = ""
    domain: str = ""
    phone: str = ""  # digits, national (e.g. 2324631212)
    registry_no: str = ""
    free_email: str = ""
    contact: str = ""
    branch_of: int | None = None
    branch_place: str = ""  # a branch: the province it serves
    kind: str = "plain"  # plain, namesake, branch, twin-form, one-word-apart, umbrella


@dataclass
class OrganisationRow:
    """One row as typed, and the truth behind it."""

    entity: int
    name: str
    city: str = ""
    email: str = ""
    phone: str = ""
    registry_no: str = ""
    website: str = ""
    contact_name: str = ""
    variants: list[str] = field(default_factory=list)  # which transformations made it


@dataclass
class OrganisationSet:
    split: str
    entities: list[Entity]
    rows: list[OrganisationRow]


def _slug(text: str) -> str:
    return "".join(ch for ch in ascii_tr(lower_tr(text)) if ch.isalnum())


def _pick_legal_form(rng: random.Random) -> tuple[str, list[str]]:
    forms = [f for f, _w, _v in LEGAL_FORMS]
    weights = [w for _f, w, _v in LEGAL_FORMS]
    chosen = rng.choices(forms, weights)[0]
    return chosen, next(v for f, _w, v in LEGAL_FORMS if f == chosen)


def _name_words(rng: random.Random, vocabulary: Vocabulary, legal_form: str) -> list[str]:
    pattern = rng.random()
    words: list[str]
    if legal_form == "Kooperatifi":
        head = rng.choice([*vocabulary.places, *vocabulary.abstract])
        tail = rng.choice(
            [
                "Kadın Girişimi Üretim ve İşletme",
                "Tarımsal Kalkınma",
                "Kadın Emeği",
                "Süt Üreticileri",
                "Arıcılık",
                "Sosyal Hizmet",
                "Yardımlaşma ve Dayanışma",
                rng.choice(vocabulary.purposes),
            ]
        )
        words = [head, tail]
    elif pattern < 0.30:
        words = [rng.choice(vocabulary.places), rng.choice(vocabulary.subjects)]
        words.append(rng.choice(vocabulary.purposes))
        if rng.random() < 0.35:
            words += ["ve", rng.choice(vocabulary.purposes)]
    elif pattern < 0.55:
        words = [rng.choice(vocabulary.subjects), rng.choice(vocabulary.purposes)]
        if rng.random() < 0.3:
            words += ["ve", rng.choice(vocabulary.purposes)]
    elif pattern < 0.75:
        words = [rng.choice(vocabulary.abstract)]
        if rng.random() < 0.6:
            words.append(rng.choice(vocabulary.subjects + vocabulary.purposes))
    elif pattern < 0.87:
        words = [rng.choice(vocabulary.people), rng.choice(vocabulary.purposes)]
        if rng.random() < 0.4:
            words += ["ve", rng.choice(vocabulary.purposes)]
    else:
        words = [rng.choice(NATIONAL), rng.choice(vocabulary.subjects)]
        words.append(rng.choice(vocabulary.purposes))
    # No word twice ("Eğitim ve Eğitim"), no dangling "ve".
    seen: list[str] = []
    for word in words:
        if word not in seen or word == "ve":
            seen.append(word)
    while seen and seen[-1] == "ve":
        seen.pop()
    cleaned = [
        w
        for i, w in enumerate(seen)
        if not (w == "ve" and i + 1 < len(seen) and seen[i + 1] == "ve")
    ]
    return cleaned


def acronym_of(words: list[str], legal_form: str, rng: random.Random) -> str:
    """An acronym as Turkish organisations make them: initials (TEGV, ÇYDD), or first
    syllables with the legal form's (KAGİDER, ÇEKÜL)."""
    letters = [w for w in " ".join(words).split() if w != "ve"]
    form = {
        "Derneği": "D",
        "Vakfı": "V",
        "Federasyonu": "F",
        "Platformu": "P",
        "Kooperatifi": "K",
        "Birliği": "B",
        "Sendikası": "S",
    }.get(legal_form, "")
    if len(letters) < 2:
        return ""
    if rng.random() < 0.6:
        return upper_tr("".join(w[0] for w in letters) + form)
    syllables = "".join(w[: rng.choice([1, 2, 2, 3])] for w in letters[:3])
    suffix = {"Derneği": "DER", "Vakfı": "V", "Sendikası": "-SEN"}.get(legal_form, form)
    return upper_tr(syllables) + suffix


# fmt: off
AREA_CODES = [
    212, 216, 222, 224, 226, 228, 232, 236, 242, 246, 248, 252, 256, 258, 262, 264, 266, 272, 274,
    276, 282, 284, 286, 288, 312, 318, 322, 324, 326, 328, 332, 338, 342, 344, 346, 348, 352, 354,
    356, 358, 362, 364, 366, 368, 370, 372, 374, 376, 378, 380, 382, 384, 386, 388, 412, 414, 416,
    422, 424, 426, 428, 432, 434, 436, 438, 442, 446, 452, 454, 456, 458, 462, 464, 466, 472, 474,
    476, 478, 482, 484, 486, 488,
]
# fmt: on


def _phone_digits(rng: random.Random, province_index: int) -> str:
    if rng.random() < 0.5:
        return f"5{rng.choice('0345')}{rng.randint(0, 9)}{rng.randint(2000000, 9999999)}"
    area = AREA_CODES[province_index % len(AREA_CODES)]
    return f"{area}{rng.randint(2000000, 9999999)}"


def write_phone(digits: str, rng: random.Random) -> str:
    """A Turkish phone number the way people write it."""
    a, b, c, d = digits[:3], digits[3:6], digits[6:8], digits[8:]
    return rng.choice(
        [
            f"0{a} {b} {c} {d}",
            f"0 ({a}) {b} {c} {d}",
            f"({a}) {b}{c}{d}",
            f"+90 {a} {b} {c} {d}",
            f"+90{digits}",
            f"0{digits}",
            f"90 {a} {b}{c}{d}",
            f"0{a}-{b}-{c}-{d}",
            f"{digits}",
        ]
    )


def _email(entity: Entity, rng: random.Random) -> str:
    if entity.domain:
        local = rng.choice(["info", "iletisim", "bilgi", "dernek", "vakif", "sekreterya"])
        address = f"{local}@{entity.domain}"
    elif entity.free_email:
        address = entity.free_email
    else:
        return ""
    return rng.choice([address, address, address.upper(), address.capitalize(), f" {address} "])


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 5:
        return word
    position = rng.randint(1, len(word) - 2)
    operation = rng.random()
    if operation < 0.35:
        neighbours = _KEYBOARD.get(word[position].lower(), "e")
        replacement = rng.choice(neighbours)
        if word[position].isupper():
            replacement = replacement.upper()
        return word[:position] + replacement + word[position + 1 :]
    if operation < 0.6:
        return word[:position] + word[position + 1 :]
    if operation < 0.8:
        return word[:position] + word[position] + word[position:]
    return word[:position] + word[position + 1] + word[position] + word[position + 2 :]


def _case(text: str, rng: random.Random) -> tuple[str, str]:
    roll = rng.random()
    if roll < 0.45:
        return text, ""
    if roll < 0.65:
        return upper_tr(text), "upper"
    if roll < 0.8:
        return ascii_tr(upper_tr(text)), "upper-ascii"
    if roll < 0.9:
        return ascii_tr(text), "ascii"
    return lower_tr(text), "lower"


def _variant_name(entity: Entity, rng: random.Random) -> tuple[str, list[str]]:
    """One way of writing ``entity``'s name."""
    tags: list[str] = []
    words = list(entity.words)
    legal = entity.legal_form
    variants = next(v for f, _w, v in LEGAL_FORMS if f == legal)
    branch = entity.branch_of is not None
    if entity.acronym and not branch and rng.random() < 0.06:
        acronym = entity.acronym
        if rng.random() < 0.3:
            acronym = ascii_tr(acronym)
        return acronym, ["acronym"]
    roll = rng.random()
    if roll < 0.25:
        legal = rng.choice(variants)
        tags.append("legal-abbreviation")
    elif roll < 0.33 and not branch:
        legal = ""
        tags.append("no-legal-form")
    if rng.random() < 0.12:
        index = rng.randrange(len(words))
        pieces = words[index].split(" ")
        piece = rng.randrange(len(pieces))
        pieces[piece] = _typo(pieces[piece], rng)
        words[index] = " ".join(pieces)
        tags.append("typo")
    if rng.random() < 0.1 and "ve" in words:
        words[words.index("ve")] = rng.choice(["&", "ve", "VE", "-"])
        tags.append("and")
    text = " ".join([*words, legal]).strip()
    if branch:
        place = entity.branch_place
        if rng.random() < 0.3:
            place = rng.choice(CITY_SPELLINGS.get(place, [upper_tr(ascii_tr(place))]))
            place = place if not place.isdigit() else entity.branch_place
        text += f" {place} {rng.choice(BRANCH_SUFFIX)}"
        tags.append("branch")
    elif rng.random() < 0.06:
        text += " " + rng.choice(HEAD_OFFICE)
        tags.append("head-office")
    elif rng.random() < 0.02 and legal:
        text += " İktisadi İşletmesi"
        tags.append("enterprise")
    if rng.random() < 0.1:
        gap = rng.choice(["  ", " ", " "])
        text = rng.choice(["  ", " ", ""]) + text.replace(" ", gap) + rng.choice([".", " ", ","])
        tags.append("spacing")
    text, case_tag = _case(text, rng)
    if case_tag:
        tags.append(case_tag)
    return text, tags


def _city_text(province: str, rng: random.Random) -> tuple[str, str]:
    roll = rng.random()
    if roll < 0.15:
        return "", "no-city"
    if roll < 0.45 and province in CITY_SPELLINGS:
        return rng.choice(CITY_SPELLINGS[province]), "city-spelling"
    if roll < 0.6:
        return upper_tr(ascii_tr(province)), "city-ascii"
    return province, ""


def _entities(split: Split, count: int, rng: random.Random) -> list[Entity]:
    vocabulary = Vocabulary.of(split)
    entities: list[Entity] = []
    used_names: set[tuple[str, str]] = set()

    domains: set[str] = set()

    def contacts(entity: Entity) -> None:
        base = _slug(entity.acronym or "".join(w[:4] for w in entity.words[:3]))
        if rng.random() < 0.45:
            # A domain belongs to one organisation (a branch or a sister body may share it).
            tld = rng.choice(["org.tr", "org", "org.tr", "com", "net"])
            domain = f"{base}{rng.randint(1, 99) if rng.random() < 0.3 else ''}.{tld}"
            while domain in domains:
                domain = f"{base}{_slug(entity.province)[:3]}{rng.randint(1, 999)}.{tld}"
            domains.add(domain)
            entity.domain = domain
        elif rng.random() < 0.6:
            entity.free_email = f"{base}{rng.randint(1, 999)}@{rng.choice(EMAIL_FREE)}"
        if rng.random() < 0.7:
            entity.phone = _phone_digits(rng, PROVINCES.index(entity.province))
        if rng.random() < 0.2:
            plate = PROVINCES.index(entity.province) + 1
            entity.registry_no = (
                f"{plate:02d}-{rng.randint(1, 999):03d}-{rng.randint(1, 999):03d}"
                if rng.random() < 0.6
                else str(rng.randint(1000000000, 9999999999))
            )
        first = rng.choice(vocabulary.first_f + vocabulary.first_m)
        entity.contact = f"{first} {rng.choice(vocabulary.surnames)}"

    def new(words: list[str], legal: str, province: str, kind: str) -> Entity:
        name = " ".join([*words, legal])
        entity = Entity(
            key=len(entities),
            name=name,
            legal_form=legal,
            words=words,
            province=province,
            kind=kind,
        )
        entity.acronym = acronym_of(words, legal, rng) if rng.random() < 0.5 else ""
        contacts(entity)
        entities.append(entity)
        used_names.add((name, province))
        return entity

    while len(entities) < count:
        legal, _variants = _pick_legal_form(rng)
        words = _name_words(rng, vocabulary, legal)
        province = rng.choice(vocabulary.provinces)
        if (" ".join([*words, legal]), province) in used_names:
            continue
        base = new(words, legal, province, "plain")
        roll = rng.random()
        if roll < 0.12:
            # The same name in another province: another organisation.
            other = rng.choice([p for p in vocabulary.provinces if p != province])
            new(list(words), legal, other, "namesake")
        elif roll < 0.22:
            # A branch: its own organisation, sharing the parent's domain.
            where = rng.choice([p for p in vocabulary.provinces if p != province])
            branch = new(list(words), legal, where, "branch")
            branch.name = f"{base.name} {where} Şubesi"
            branch.branch_of = base.key
            branch.branch_place = where
            branch.acronym = ""
            if base.domain and rng.random() < 0.7:
                branch.domain = base.domain
        elif roll < 0.29 and legal in {"Derneği", "Vakfı"}:
            # The association and the foundation of one family: two legal entities.
            twin = new(
                list(words), "Vakfı" if legal == "Derneği" else "Derneği", province, "twin-form"
            )
            if base.domain and rng.random() < 0.5:
                twin.domain = base.domain
            if base.phone and rng.random() < 0.5:
                twin.phone = base.phone
        elif roll < 0.40 and len(words) >= 2:
            # One word apart ("Kadın Dayanışma" / "Kadın Yardımlaşma").
            changed = list(words)
            index = rng.choice([i for i, w in enumerate(changed) if w != "ve"])
            pool = (
                vocabulary.purposes
                if changed[index] in vocabulary.purposes
                else vocabulary.subjects
            )
            changed[index] = rng.choice([w for w in pool if w not in changed])
            new(
                changed,
                legal,
                rng.choice([province, rng.choice(vocabulary.provinces)]),
                "one-word-apart",
            )
        elif roll < 0.45:
            # An umbrella body sharing the member's office phone.
            umbrella = new(
                [rng.choice(vocabulary.places), rng.choice(vocabulary.subjects), "Dernekleri"],
                "Federasyonu",
                province,
                "umbrella",
            )
            if base.phone:
                umbrella.phone = base.phone
    return entities[:count]


def _rows_of(entity: Entity, entities: list[Entity], rng: random.Random) -> list[OrganisationRow]:
    rows = []
    for _ in range(rng.choice([1, 1, 2, 2, 2, 3, 3, 4])):
        name, tags = _variant_name(entity, rng)
        city, city_tag = _city_text(entity.province, rng)
        if city_tag:
            tags.append(city_tag)
        row = OrganisationRow(entity=entity.key, name=name, city=city, variants=tags)
        if rng.random() < 0.55:
            row.email = _email(entity, rng)
        if entity.phone and rng.random() < 0.45:
            row.phone = write_phone(entity.phone, rng)
        if entity.registry_no and rng.random() < 0.3:
            row.registry_no = entity.registry_no
        if entity.domain and rng.random() < 0.15:
            row.website = rng.choice(
                [f"www.{entity.domain}", f"https://{entity.domain}/", entity.domain]
            )
        if rng.random() < 0.5:
            row.contact_name = entity.contact
        rows.append(row)
    return rows


def organisation_set(split: Split = "train", *, entities: int = 600) -> OrganisationSet:
    """Entities and their rows (shuffled), from the split's fixed seed."""
    rng = random.Random(SEEDS[split])
    made = _entities(split, entities, rng)
    rows = [row for entity in made for row in _rows_of(entity, made, rng)]
    rng.shuffle(rows)
    return OrganisationSet(split=split, entities=made, rows=rows)


# --- people ---------------------------------------------------------------------------------


@dataclass
class Human:
    key: int
    first: list[str]
    surname: str
    email: str = ""
    phone: str = ""
    province: str = ""
    organisation: str = ""
    birth_year: int | None = None
    kind: str = "plain"  # plain, namesake, family, colleague


@dataclass
class PersonRow:
    person: int
    full_name: str
    email: str = ""
    phone: str = ""
    city: str = ""
    organisation: str = ""
    birth_date: str = ""
    variants: list[str] = field(default_factory=list)


@dataclass
class PersonSet:
    split: str
    people: list[Human]
    rows: list[PersonRow]


def _humans(split: Split, count: int, rng: random.Random) -> list[Human]:
    vocabulary = Vocabulary.of(split)
    organisations = [e.name for e in _entities(split, 80, random.Random(SEEDS[split] + 1))]
    humans: list[Human] = []
    taken: set[str] = set()

    def contacts(human: Human) -> None:
        first = _slug(human.first[0])
        last = _slug(human.surname)
        if rng.random() < 0.8:
            email = ""
            while not email or email in taken:  # an address belongs to one person
                email = rng.choice(
                    [
                        f"{first}.{last}@",
                        f"{first}{last}{rng.randint(1, 99)}@",
                        f"{first[0]}{last}@",
                    ]
                ) + rng.choice([*EMAIL_FREE, "ornekdernek.org.tr", "bilgi.edu.tr"])
                if email in taken:
                    email = f"{first}{last}{rng.randint(100, 9999)}@" + rng.choice(EMAIL_FREE)
            taken.add(email)
            human.email = email
        if rng.random() < 0.7:
            human.phone = _phone_digits(rng, rng.randrange(81))
        human.province = rng.choice(vocabulary.provinces)
        if rng.random() < 0.6:
            human.organisation = rng.choice(organisations)
        if rng.random() < 0.3:
            human.birth_year = rng.randint(1950, 2005)

    def new(first: list[str], surname: str, kind: str) -> Human:
        human = Human(key=len(humans), first=first, surname=surname, kind=kind)
        contacts(human)
        humans.append(human)
        return human

    while len(humans) < count:
        female = rng.random() < 0.55
        pool = vocabulary.first_f if female else vocabulary.first_m
        first = [rng.choice(pool)]
        if rng.random() < 0.2:
            first.append(rng.choice([n for n in pool if n != first[0]]))
        surname = rng.choice(vocabulary.surnames)
        base = new(first, surname, "plain")
        roll = rng.random()
        if roll < 0.15:
            new(list(first), surname, "namesake")  # another person, same name
        elif roll < 0.25:
            relative = new([rng.choice(pool)], surname, "family")
            relative.phone = base.phone if rng.random() < 0.7 else relative.phone
            relative.province = base.province
        elif roll < 0.32:
            colleague = new(
                [rng.choice(vocabulary.first_f + vocabulary.first_m)],
                rng.choice(vocabulary.surnames),
                "colleague",
            )
            colleague.organisation = base.organisation
            shared = f"info@{_slug(base.organisation)[:12] or 'dernek'}.org.tr"
            colleague.email = shared
            base.email = shared if rng.random() < 0.5 else base.email
    return humans[:count]


def _person_rows(human: Human, rng: random.Random) -> list[PersonRow]:
    rows = []
    for _ in range(rng.choice([1, 1, 2, 2, 3])):
        tags: list[str] = []
        first = list(human.first)
        if len(first) == 2 and rng.random() < 0.4:
            first = first[:1]
            tags.append("middle-name-dropped")
        if rng.random() < 0.1:
            first[0] = _typo(first[0], rng)
            tags.append("typo")
        surname = human.surname
        if rng.random() < 0.08:
            surname = _typo(surname, rng)
            tags.append("typo")
        roll = rng.random()
        if roll < 0.12:
            name = f"{upper_tr(surname)} {' '.join(first)}"
            tags.append("surname-first")
        elif roll < 0.18:
            name = f"{surname}, {' '.join(first)}"
            tags.append("comma")
        elif roll < 0.22:
            name = f"{first[0][0]}. {surname}"
            tags.append("initial")
        elif roll < 0.25:
            name = f"Dr. {' '.join(first)} {surname}"
            tags.append("title")
        else:
            name = f"{' '.join(first)} {surname}"
        name, case_tag = _case(name, rng)
        if case_tag:
            tags.append(case_tag)
        row = PersonRow(person=human.key, full_name=name, variants=tags)
        if human.email and rng.random() < 0.7:
            row.email = rng.choice([human.email, human.email.upper(), human.email.capitalize()])
        if human.phone and rng.random() < 0.5:
            row.phone = write_phone(human.phone, rng)
        if rng.random() < 0.6:
            row.city, _tag = _city_text(human.province, rng)
        if human.organisation and rng.random() < 0.5:
            row.organisation = human.organisation
        if human.birth_year and rng.random() < 0.7:
            row.birth_date = str(human.birth_year)
        rows.append(row)
    return rows


def person_set(split: Split = "train", *, people: int = 600) -> PersonSet:
    """People and their rows (shuffled), from the split's fixed seed."""
    rng = random.Random(SEEDS[split] + 7)
    made = _humans(split, people, rng)
    rows = [row for human in made for row in _person_rows(human, rng)]
    rng.shuffle(rows)
    return PersonSet(split=split, people=made, rows=rows)


# --- scoring a clustering -------------------------------------------------------------------


def pairwise_scores(
    truth: Sequence[int], predicted: Sequence[str] | Sequence[int]
) -> tuple[float, float, float]:
    """Precision, recall and F1 over pairs of rows: a pair is positive when both rows are in
    one cluster."""
    from collections import Counter

    true_pairs = sum(n * (n - 1) // 2 for n in Counter(truth).values())
    predicted_pairs = sum(n * (n - 1) // 2 for n in Counter(predicted).values())
    both = sum(n * (n - 1) // 2 for n in Counter(zip(truth, predicted, strict=True)).values())
    precision = both / predicted_pairs if predicted_pairs else 1.0
    recall = both / true_pairs if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1
