"""Which of the 81 provinces a typed place means: "İstanbul", "ISTANBUL", "İST.", "ist", "34",
"Kadıköy", "K.Maraş", "Antep" all name one province.

Pure Python over the reference data (no database), so the resolver can use it on import rows
and in benchmarks alike.
"""

from __future__ import annotations

import re
from functools import cache

from kaynak.core.reference_data import PROVINCE_NAMES_EN, PROVINCES
from kaynak.core.text import search_key

# Older or everyday names of provinces, and their usual written abbreviations.
_ALIASES: dict[str, int] = {
    "icel": 33,
    "afyon": 3,
    "maras": 46,
    "k maras": 46,
    "kmaras": 46,
    "urfa": 63,
    "s urfa": 63,
    "surfa": 63,
    "antep": 27,
    "g antep": 27,
    "adapazari": 54,
    "izmit": 41,
    "antakya": 31,
    "ist": 34,
    "stanbul": 34,
    "istanbul anadolu": 34,
    "istanbul avrupa": 34,
    "ank": 6,
    "izm": 35,
    "ant": 7,
    "brs": 16,
    "kocaeli izmit": 41,
}

# The most populous districts (ilçe), so a city column holding a district still finds its
# province. Districts whose name is also a province's are left out (the province wins).
_DISTRICTS: dict[int, tuple[str, ...]] = {
    34: (
        "Kadıköy",
        "Beşiktaş",
        "Beyoğlu",
        "Şişli",
        "Üsküdar",
        "Fatih",
        "Bakırköy",
        "Esenyurt",
        "Küçükçekmece",
        "Bağcılar",
        "Pendik",
        "Ümraniye",
        "Bahçelievler",
        "Sultangazi",
        "Maltepe",
        "Kartal",
        "Avcılar",
        "Sarıyer",
        "Ataşehir",
        "Zeytinburnu",
        "Esenler",
        "Başakşehir",
        "Beylikdüzü",
        "Gaziosmanpaşa",
        "Eyüpsultan",
        "Kağıthane",
        "Tuzla",
        "Sancaktepe",
        "Beykoz",
        "Büyükçekmece",
        "Silivri",
        "Çatalca",
    ),
    6: (
        "Çankaya",
        "Keçiören",
        "Yenimahalle",
        "Mamak",
        "Etimesgut",
        "Sincan",
        "Altındağ",
        "Pursaklar",
        "Gölbaşı",
        "Polatlı",
    ),
    35: (
        "Konak",
        "Karşıyaka",
        "Bornova",
        "Buca",
        "Çiğli",
        "Bayraklı",
        "Karabağlar",
        "Gaziemir",
        "Balçova",
        "Narlıdere",
        "Menemen",
        "Torbalı",
        "Urla",
        "Çeşme",
        "Seferihisar",
        "Bergama",
        "Ödemiş",
        "Tire",
    ),
    16: ("Osmangazi", "Nilüfer", "Yıldırım", "İnegöl", "Gemlik", "Mudanya"),
    7: ("Muratpaşa", "Kepez", "Konyaaltı", "Alanya", "Manavgat", "Kaş", "Kemer"),
    1: ("Seyhan", "Çukurova", "Yüreğir", "Sarıçam", "Ceyhan"),
    42: ("Selçuklu", "Meram", "Karatay", "Ereğli"),
    27: ("Şahinbey", "Şehitkamil", "Nizip"),
    21: ("Bağlar", "Kayapınar", "Yenişehir", "Sur"),
    33: ("Mezitli", "Yenişehir", "Toroslar", "Akdeniz", "Tarsus", "Erdemli", "Silifke"),
    38: ("Melikgazi", "Kocasinan", "Talas"),
    26: ("Tepebaşı", "Odunpazarı"),
    41: ("Gebze", "Darıca", "Körfez", "Gölcük", "Derince", "Kartepe", "Başiskele"),
    65: ("İpekyolu", "Tuşba", "Edremit", "Erciş"),
    55: ("Atakum", "İlkadım", "Canik", "Bafra", "Çarşamba"),
    31: ("Antakya", "İskenderun", "Defne", "Dörtyol", "Reyhanlı", "Samandağ"),
    63: ("Eyyübiye", "Haliliye", "Karaköprü", "Siverek", "Viranşehir", "Suruç"),
    48: ("Bodrum", "Fethiye", "Marmaris", "Milas", "Menteşe", "Dalaman", "Datça"),
    9: ("Efeler", "Kuşadası", "Didim", "Nazilli", "Söke"),
    20: ("Merkezefendi", "Pamukkale"),
    61: ("Ortahisar", "Akçaabat", "Of"),
    47: ("Artuklu", "Kızıltepe", "Midyat", "Nusaybin"),
    44: ("Battalgazi", "Yeşilyurt"),
    25: ("Yakutiye", "Palandöken", "Aziziye"),
    10: ("Karesi", "Altıeyler", "Bandırma", "Edremit", "Ayvalık"),
    17: ("Biga", "Çan", "Gelibolu"),
    22: ("Keşan", "Uzunköprü"),
    59: ("Çorlu", "Çerkezköy", "Süleymanpaşa"),
    45: ("Yunusemre", "Şehzadeler", "Akhisar", "Turgutlu", "Salihli"),
}

_PLATE = re.compile(r"^0?([1-9]|[1-7][0-9]|8[01])$")


def _key(text: str) -> str:
    return search_key(text)


@cache
def _names() -> dict[str, int]:
    names: dict[str, int] = {}
    for plate, name, _region in PROVINCES:
        names[_key(name)] = plate
        names[_key(name).replace(" ", "")] = plate
    for plate, name in PROVINCE_NAMES_EN.items():
        names.setdefault(_key(name), plate)
    for alias, plate in _ALIASES.items():
        names.setdefault(alias, plate)
    return names


@cache
def _districts() -> dict[str, int]:
    provinces = _names()
    districts: dict[str, int] = {}
    ambiguous: set[str] = set()
    for plate, names in _DISTRICTS.items():
        for name in names:
            key = _key(name)
            if key in provinces:
                continue
            if key in districts and districts[key] != plate:
                ambiguous.add(key)
            districts[key] = plate
    for key in ambiguous:
        del districts[key]
    return districts


@cache
def _prefixes() -> dict[str, int]:
    """Unique prefixes (three letters or more) of province names: "esk" is Eskişehir, "ada" is
    nothing (Adana? Adapazarı?)."""
    seen: dict[str, set[int]] = {}
    for plate, name, _region in PROVINCES:
        key = _key(name).replace(" ", "")
        for end in range(3, len(key) + 1):
            seen.setdefault(key[:end], set()).add(plate)
    return {prefix: next(iter(plates)) for prefix, plates in seen.items() if len(plates) == 1}


def province_names() -> frozenset[str]:
    """Folded names of every province (one word each), for spotting places inside names."""
    return frozenset(k for k in _names() if " " not in k)


def district_names() -> frozenset[str]:
    return frozenset(_districts())


def province_of(text: str, *, guess: bool = True) -> int | None:
    """The plate code of the province ``text`` names, or None when it names none (or is
    ambiguous). Accepts names in any case or spelling, plate codes, common abbreviations
    and the larger districts; "Kadıköy / İstanbul" and "İstanbul (Avrupa)" work too. With
    ``guess`` a word that begins only one province's name counts too ("Esk" → Eskişehir)."""
    key = _key(text)
    if not key:
        return None
    plate = _PLATE.match(key)
    if plate:
        return int(plate.group(1))
    names = _names()
    if key in names:
        return names[key]
    if key.replace(" ", "") in names:
        return names[key.replace(" ", "")]
    words = key.split()
    # "Kadıköy İstanbul", "İstanbul Avrupa Yakası": a province named anywhere wins.
    for word in words:
        if word in names:
            return names[word]
    for size in (2, 3):
        for start in range(len(words) - size + 1):
            joined = "".join(words[start : start + size])
            if joined in names:
                return names[joined]
    districts = _districts()
    for word in [key, *words]:
        if word in districts:
            return districts[word]
    if guess and len(words) == 1:
        return _prefixes().get(key)
    return None
