"""Provinces and districts as people type them: "istanbul", "İSTANBUL", "Istanbul", "İst.",
"34", "Kadıköy / İstanbul", "Antep", or a district alone when only one province has it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from rapidfuzz import fuzz, process

from kaynak.core.reference_data import PROVINCES
from kaynak.core.text import search_key

# Names still in everyday use for a province, and the old ones ("İçel" was Mersin until 2002).
_ALIASES = {
    "antep": 27,
    "g antep": 27,
    "urfa": 63,
    "s urfa": 63,
    "maras": 46,
    "k maras": 46,
    "icel": 33,
    "afyon": 3,
    "izmit": 41,
    "adapazari": 54,
}

# The districts (ilçe) of each province, by plate code; the central district of a province
# that is not a metropolitan municipality is "Merkez" and is left out (every such province has
# one). Used to read a district typed where the province belongs.
DISTRICTS: dict[int, str] = {
    1: "Aladağ, Ceyhan, Çukurova, Feke, İmamoğlu, Karaisalı, Karataş, Kozan, Pozantı, "
    "Saimbeyli, Sarıçam, Seyhan, Tufanbeyli, Yumurtalık, Yüreğir",
    2: "Besni, Çelikhan, Gerger, Gölbaşı, Kahta, Samsat, Sincik, Tut",
    3: "Başmakçı, Bayat, Bolvadin, Çay, Çobanlar, Dazkırı, Dinar, Emirdağ, Evciler, Hocalar, "
    "İhsaniye, İscehisar, Kızılören, Sandıklı, Sinanpaşa, Sultandağı, Şuhut",
    4: "Diyadin, Doğubayazıt, Eleşkirt, Hamur, Patnos, Taşlıçay, Tutak",
    5: "Göynücek, Gümüşhacıköy, Hamamözü, Merzifon, Suluova, Taşova",
    6: "Akyurt, Altındağ, Ayaş, Bala, Beypazarı, Çamlıdere, Çankaya, Çubuk, Elmadağ, "
    "Etimesgut, Evren, Gölbaşı, Güdül, Haymana, Kahramankazan, Kalecik, Keçiören, "
    "Kızılcahamam, Mamak, Nallıhan, Polatlı, Pursaklar, Sincan, Şereflikoçhisar, Yenimahalle",
    7: "Akseki, Aksu, Alanya, Demre, Döşemealtı, Elmalı, Finike, Gazipaşa, Gündoğmuş, İbradı, "
    "Kaş, Kemer, Kepez, Konyaaltı, Korkuteli, Kumluca, Manavgat, Muratpaşa, Serik",
    8: "Ardanuç, Arhavi, Borçka, Hopa, Kemalpaşa, Murgul, Şavşat, Yusufeli",
    9: "Bozdoğan, Buharkent, Çine, Didim, Efeler, Germencik, İncirliova, Karacasu, Karpuzlu, "
    "Koçarlı, Köşk, Kuşadası, Kuyucak, Nazilli, Söke, Sultanhisar, Yenipazar",
    10: "Altıeylül, Ayvalık, Balya, Bandırma, Bigadiç, Burhaniye, Dursunbey, Edremit, Erdek, "
    "Gömeç, Gönen, Havran, İvrindi, Karesi, Kepsut, Manyas, Marmara, Savaştepe, Sındırgı, "
    "Susurluk",
    11: "Bozüyük, Gölpazarı, İnhisar, Osmaneli, Pazaryeri, Söğüt, Yenipazar",
    12: "Adaklı, Genç, Karlıova, Kiğı, Solhan, Yayladere, Yedisu",
    13: "Adilcevaz, Ahlat, Güroymak, Hizan, Mutki, Tatvan",
    14: "Dörtdivan, Gerede, Göynük, Kıbrıscık, Mengen, Mudurnu, Seben, Yeniçağa",
    15: "Ağlasun, Altınyayla, Bucak, Çavdır, Çeltikçi, Gölhisar, Karamanlı, Kemer, Tefenni, "
    "Yeşilova",
    16: "Büyükorhan, Gemlik, Gürsu, Harmancık, İnegöl, İznik, Karacabey, Keles, Kestel, "
    "Mudanya, Mustafakemalpaşa, Nilüfer, Orhaneli, Orhangazi, Osmangazi, Yenişehir, Yıldırım",
    17: "Ayvacık, Bayramiç, Biga, Bozcaada, Çan, Eceabat, Ezine, Gelibolu, Gökçeada, Lapseki, "
    "Yenice",
    18: "Atkaracalar, Bayramören, Çerkeş, Eldivan, Ilgaz, Kızılırmak, Korgun, Kurşunlu, Orta, "
    "Şabanözü, Yapraklı",
    19: "Alaca, Bayat, Boğazkale, Dodurga, İskilip, Kargı, Laçin, Mecitözü, Oğuzlar, Ortaköy, "
    "Osmancık, Sungurlu, Uğurludağ",
    20: "Acıpayam, Babadağ, Baklan, Bekilli, Beyağaç, Bozkurt, Buldan, Çal, Çameli, Çardak, "
    "Çivril, Güney, Honaz, Kale, Merkezefendi, Pamukkale, Sarayköy, Serinhisar, Tavas",
    21: "Bağlar, Bismil, Çermik, Çınar, Çüngüş, Dicle, Eğil, Ergani, Hani, Hazro, Kayapınar, "
    "Kocaköy, Kulp, Lice, Silvan, Sur, Yenişehir",
    22: "Enez, Havsa, İpsala, Keşan, Lalapaşa, Meriç, Süloğlu, Uzunköprü",
    23: "Ağın, Alacakaya, Arıcak, Baskil, Karakoçan, Keban, Kovancılar, Maden, Palu, Sivrice",
    24: "Çayırlı, İliç, Kemah, Kemaliye, Otlukbeli, Refahiye, Tercan, Üzümlü",
    25: "Aşkale, Aziziye, Çat, Hınıs, Horasan, İspir, Karaçoban, Karayazı, Köprüköy, Narman, "
    "Oltu, Olur, Palandöken, Pasinler, Pazaryolu, Şenkaya, Tekman, Tortum, Uzundere, Yakutiye",
    26: "Alpu, Beylikova, Çifteler, Günyüzü, Han, İnönü, Mahmudiye, Mihalgazi, Mihalıççık, "
    "Odunpazarı, Sarıcakaya, Seyitgazi, Sivrihisar, Tepebaşı",
    27: "Araban, İslahiye, Karkamış, Nizip, Nurdağı, Oğuzeli, Şahinbey, Şehitkamil, Yavuzeli",
    28: "Alucra, Bulancak, Çamoluk, Çanakçı, Dereli, Doğankent, Espiye, Eynesil, Görele, Güce, "
    "Keşap, Piraziz, Şebinkarahisar, Tirebolu, Yağlıdere",
    29: "Kelkit, Köse, Kürtün, Şiran, Torul",
    30: "Çukurca, Derecik, Şemdinli, Yüksekova",
    31: "Altınözü, Antakya, Arsuz, Belen, Defne, Dörtyol, Erzin, Hassa, İskenderun, Kırıkhan, "
    "Kumlu, Payas, Reyhanlı, Samandağ, Yayladağı",
    32: "Aksu, Atabey, Eğirdir, Gelendost, Gönen, Keçiborlu, Senirkent, Sütçüler, "
    "Şarkikaraağaç, Uluborlu, Yalvaç, Yenişarbademli",
    33: "Akdeniz, Anamur, Aydıncık, Bozyazı, Çamlıyayla, Erdemli, Gülnar, Mezitli, Mut, "
    "Silifke, Tarsus, Toroslar, Yenişehir",
    34: "Adalar, Arnavutköy, Ataşehir, Avcılar, Bağcılar, Bahçelievler, Bakırköy, Başakşehir, "
    "Bayrampaşa, Beşiktaş, Beykoz, Beylikdüzü, Beyoğlu, Büyükçekmece, Çatalca, Çekmeköy, "
    "Esenler, Esenyurt, Eyüpsultan, Fatih, Gaziosmanpaşa, Güngören, Kadıköy, Kağıthane, "
    "Kartal, Küçükçekmece, Maltepe, Pendik, Sancaktepe, Sarıyer, Silivri, Sultanbeyli, "
    "Sultangazi, Şile, Şişli, Tuzla, Ümraniye, Üsküdar, Zeytinburnu",
    35: "Aliağa, Balçova, Bayındır, Bayraklı, Bergama, Beydağ, Bornova, Buca, Çeşme, Çiğli, "
    "Dikili, Foça, Gaziemir, Güzelbahçe, Karabağlar, Karaburun, Karşıyaka, Kemalpaşa, Kınık, "
    "Kiraz, Konak, Menderes, Menemen, Narlıdere, Ödemiş, Seferihisar, Selçuk, Tire, Torbalı, "
    "Urla",
    36: "Akyaka, Arpaçay, Digor, Kağızman, Sarıkamış, Selim, Susuz",
    37: "Abana, Ağlı, Araç, Azdavay, Bozkurt, Cide, Çatalzeytin, Daday, Devrekani, Doğanyurt, "
    "Hanönü, İhsangazi, İnebolu, Küre, Pınarbaşı, Seydiler, Şenpazar, Taşköprü, Tosya",
    38: "Akkışla, Bünyan, Develi, Felahiye, Hacılar, İncesu, Kocasinan, Melikgazi, Özvatan, "
    "Pınarbaşı, Sarıoğlan, Sarız, Talas, Tomarza, Yahyalı, Yeşilhisar",
    39: "Babaeski, Demirköy, Kofçaz, Lüleburgaz, Pehlivanköy, Pınarhisar, Vize",
    40: "Akçakent, Akpınar, Boztepe, Çiçekdağı, Kaman, Mucur",
    41: "Başiskele, Çayırova, Darıca, Derince, Dilovası, Gebze, Gölcük, İzmit, Kandıra, "
    "Karamürsel, Kartepe, Körfez",
    42: "Ahırlı, Akören, Akşehir, Altınekin, Beyşehir, Bozkır, Cihanbeyli, Çeltik, Çumra, "
    "Derbent, Derebucak, Doğanhisar, Emirgazi, Ereğli, Güneysınır, Hadim, Halkapınar, Hüyük, "
    "Ilgın, Kadınhanı, Karapınar, Karatay, Kulu, Meram, Sarayönü, Selçuklu, Seydişehir, "
    "Taşkent, Tuzlukçu, Yalıhüyük, Yunak",
    43: "Altıntaş, Aslanapa, Çavdarhisar, Domaniç, Dumlupınar, Emet, Gediz, Hisarcık, "
    "Pazarlar, Simav, Şaphane, Tavşanlı",
    44: "Akçadağ, Arapgir, Arguvan, Battalgazi, Darende, Doğanşehir, Doğanyol, Hekimhan, "
    "Kale, Kuluncak, Pütürge, Yazıhan, Yeşilyurt",
    45: "Ahmetli, Akhisar, Alaşehir, Demirci, Gölmarmara, Gördes, Kırkağaç, Köprübaşı, Kula, "
    "Salihli, Sarıgöl, Saruhanlı, Selendi, Soma, Şehzadeler, Turgutlu, Yunusemre",
    46: "Afşin, Andırın, Çağlayancerit, Dulkadiroğlu, Ekinözü, Elbistan, Göksun, Nurhak, "
    "Onikişubat, Pazarcık, Türkoğlu",
    47: "Artuklu, Dargeçit, Derik, Kızıltepe, Mazıdağı, Midyat, Nusaybin, Ömerli, Savur, Yeşilli",
    48: "Bodrum, Dalaman, Datça, Fethiye, Kavaklıdere, Köyceğiz, Marmaris, Menteşe, Milas, "
    "Ortaca, Seydikemer, Ula, Yatağan",
    49: "Bulanık, Hasköy, Korkut, Malazgirt, Varto",
    50: "Acıgöl, Avanos, Derinkuyu, Gülşehir, Hacıbektaş, Kozaklı, Ürgüp",
    51: "Altunhisar, Bor, Çamardı, Çiftlik, Ulukışla",
    52: "Akkuş, Altınordu, Aybastı, Çamaş, Çatalpınar, Çaybaşı, Fatsa, Gölköy, Gülyalı, "
    "Gürgentepe, İkizce, Kabadüz, Kabataş, Korgan, Kumru, Mesudiye, Perşembe, Ulubey, Ünye",
    53: "Ardeşen, Çamlıhemşin, Çayeli, Derepazarı, Fındıklı, Güneysu, Hemşin, İkizdere, "
    "İyidere, Kalkandere, Pazar",
    54: "Adapazarı, Akyazı, Arifiye, Erenler, Ferizli, Geyve, Hendek, Karapürçek, Karasu, "
    "Kaynarca, Kocaali, Pamukova, Sapanca, Serdivan, Söğütlü, Taraklı",
    55: "Alaçam, Asarcık, Atakum, Ayvacık, Bafra, Canik, Çarşamba, Havza, İlkadım, Kavak, "
    "Ladik, Ondokuzmayıs, Salıpazarı, Tekkeköy, Terme, Vezirköprü, Yakakent",
    56: "Baykan, Eruh, Kurtalan, Pervari, Şirvan, Tillo",
    57: "Ayancık, Boyabat, Dikmen, Durağan, Erfelek, Gerze, Saraydüzü, Türkeli",
    58: "Akıncılar, Altınyayla, Divriği, Doğanşar, Gemerek, Gölova, Gürün, Hafik, İmranlı, "
    "Kangal, Koyulhisar, Suşehri, Şarkışla, Ulaş, Yıldızeli, Zara",
    59: "Çerkezköy, Çorlu, Ergene, Hayrabolu, Kapaklı, Malkara, Marmaraereğlisi, Muratlı, "
    "Saray, Süleymanpaşa, Şarköy",
    60: "Almus, Artova, Başçiftlik, Erbaa, Niksar, Pazar, Reşadiye, Sulusaray, Turhal, "
    "Yeşilyurt, Zile",
    61: "Akçaabat, Araklı, Arsin, Beşikdüzü, Çarşıbaşı, Çaykara, Dernekpazarı, Düzköy, Hayrat, "
    "Köprübaşı, Maçka, Of, Ortahisar, Sürmene, Şalpazarı, Tonya, Vakfıkebir, Yomra",
    62: "Çemişgezek, Hozat, Mazgirt, Nazımiye, Ovacık, Pertek, Pülümür",
    63: "Akçakale, Birecik, Bozova, Ceylanpınar, Eyyübiye, Halfeti, Haliliye, Harran, Hilvan, "
    "Karaköprü, Siverek, Suruç, Viranşehir",
    64: "Banaz, Eşme, Karahallı, Sivaslı, Ulubey",
    65: "Bahçesaray, Başkale, Çaldıran, Çatak, Edremit, Erciş, Gevaş, Gürpınar, İpekyolu, "
    "Muradiye, Özalp, Saray, Tuşba",
    66: "Akdağmadeni, Aydıncık, Boğazlıyan, Çandır, Çayıralan, Çekerek, Kadışehri, Saraykent, "
    "Sarıkaya, Sorgun, Şefaatli, Yenifakılı, Yerköy",
    67: "Alaplı, Çaycuma, Devrek, Ereğli, Gökçebey, Kilimli, Kozlu",
    68: "Ağaçören, Eskil, Gülağaç, Güzelyurt, Ortaköy, Sarıyahşi, Sultanhanı",
    69: "Aydıntepe, Demirözü",
    70: "Ayrancı, Başyayla, Ermenek, Kazımkarabekir, Sarıveliler",
    71: "Bahşılı, Balışeyh, Çelebi, Delice, Karakeçili, Keskin, Sulakyurt, Yahşihan",
    72: "Beşiri, Gercüş, Hasankeyf, Kozluk, Sason",
    73: "Beytüşşebap, Cizre, Güçlükonak, İdil, Silopi, Uludere",
    74: "Amasra, Kurucaşile, Ulus",
    75: "Çıldır, Damal, Göle, Hanak, Posof",
    76: "Aralık, Karakoyunlu, Tuzluca",
    77: "Altınova, Armutlu, Çınarcık, Çiftlikköy, Termal",
    78: "Eflani, Eskipazar, Ovacık, Safranbolu, Yenice",
    79: "Elbeyli, Musabeyli, Polateli",
    80: "Bahçe, Düziçi, Hasanbeyli, Kadirli, Sumbas, Toprakkale",
    81: "Akçakoca, Cumayeri, Çilimli, Gölyaka, Gümüşova, Kaynaşlı, Yığılca",
}

PROVINCE_NAMES: dict[int, str] = {plate: name for plate, name, _region in PROVINCES}
_SEPARATORS = re.compile(r"\s*[/,;()\-–|]+\s*")


@dataclass(frozen=True)
class Place:
    """What a typed place means: a province (plate code), perhaps a district, or a problem."""

    key: str = ""  # the text as search_key() folds it; empty: nothing was typed
    province: int | None = None
    district: str = ""
    # When the text is no province: the provinces a district of that name is in (more than
    # one: ambiguous), and a province it resembles (a typo).
    district_provinces: tuple[int, ...] = ()
    suggestion: int | None = None

    @property
    def understood(self) -> bool:
        return self.province is not None


@cache
def _province_keys() -> dict[str, int]:
    keys = {search_key(name): plate for plate, name in PROVINCE_NAMES.items()}
    keys.update(_ALIASES)
    return keys


@cache
def _district_keys() -> dict[str, tuple[tuple[int, str], ...]]:
    found: dict[str, list[tuple[int, str]]] = {}
    for plate, names in DISTRICTS.items():
        for name in names.split(", "):
            found.setdefault(search_key(name), []).append((plate, name))
    return {key: tuple(places) for key, places in found.items()}


def _province(key: str) -> int | None:
    if not key:
        return None
    if key.isdigit():
        plate = int(key)
        return plate if 1 <= plate <= 81 else None
    keys = _province_keys()
    if key in keys:
        return keys[key]
    # An abbreviation ("İst.", "Ank", "Kahr.") of exactly one province.
    if len(key) >= 3 and " " not in key:
        starting = {plate for name, plate in keys.items() if name.startswith(key)}
        if len(starting) == 1:
            return starting.pop()
    return None


@cache
def parse_place(text: str) -> Place:
    """Read a province as typed, with or without a district ("Kadıköy / İstanbul")."""
    key = search_key(text)
    if not key:
        return Place()
    plate = _province(key)
    if plate is not None:
        return Place(key, province=plate)
    parts = [search_key(part) for part in _SEPARATORS.split(text) if search_key(part)]
    if len(parts) > 1:
        provinces = {p for p in map(_province, parts) if p is not None}
    else:
        # "Ankara Merkez", "Kadıköy İstanbul": words, of which exactly one is a province.
        parts = key.split()
        provinces = {_province_keys()[word] for word in parts if word in _province_keys()}
    if len(provinces) == 1:
        plate = provinces.pop()
        district = next(
            (
                name
                for part in parts
                for district_plate, name in _district_keys().get(part, ())
                if district_plate == plate
            ),
            "",
        )
        return Place(key, province=plate, district=district)
    districts = _district_keys().get(key, ())
    if len(districts) == 1:
        ((plate, name),) = districts
        return Place(key, province=plate, district=name)
    if districts:
        return Place(key, district_provinces=tuple(sorted(plate for plate, _name in districts)))
    keys = _province_keys()
    match = process.extractOne(key, list(keys), scorer=fuzz.ratio, score_cutoff=80)
    return Place(key, suggestion=keys[match[0]] if match else None)
