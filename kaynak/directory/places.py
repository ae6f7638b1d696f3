"""Which of the 81 provinces (il), and perhaps which district (ilçe), a typed place names.

One reader for every place Kaynak is given: the importer's city column (which must explain what
it cannot read), the resolver's city fields and the places inside organisations' names (which
call it in hot loops). People write a province as "İstanbul", "ISTANBUL", "Istanbul", "istanbul",
"İST.", "34", "034", by an everyday or older name ("Antep", "Urfa", "Maraş", "Afyon", "İçel",
"İzmit"), with its district ("Kadıköy / İstanbul", "Bursa (Yenişehir)", "Ankara Merkez") or by a
district alone ("Kadıköy", when only one province has a district of that name).

Pure Python over the reference data (no database), so it works on import rows, in the
resolver's index and in benchmarks alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache, lru_cache

from rapidfuzz import fuzz, process

from kaynak.core.reference_data import PROVINCE_NAMES_EN, PROVINCES
from kaynak.core.text import search_key

PROVINCE_NAMES: dict[int, str] = {plate: name for plate, name, _region in PROVINCES}

# Everyday and older names of provinces ("İçel" was Mersin until 2002; the city of a province
# whose name is not its city's: İzmit, Adapazarı, Antakya) and their usual abbreviations, as
# ``search_key`` folds them. A province's own name, written in any case or in ASCII, needs no
# entry here.
_ALIASES: dict[str, int] = {
    "afyon": 3,
    "ank": 6,
    "ant": 7,
    "brs": 16,
    "antep": 27,
    "g antep": 27,
    "antakya": 31,
    "icel": 33,
    "ist": 34,
    "stanbul": 34,  # "İstanbul" whose "İ" was lost on the way (a mis-decoded file)
    "izm": 35,
    "izmit": 41,
    "maras": 46,
    "k maras": 46,
    "kmaras": 46,
    "adapazari": 54,
    "urfa": 63,
    "s urfa": 63,
    "surfa": 63,
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


# Districts large or well known enough that their name inside an organisation's name ("Kadıköy
# Kadın Derneği") is read as a place by the resolver. Not every district: many are everyday
# words or first names too ("Pazar", "Kale", "Çınar", "Evren", "Selim", "Ilgaz").
WELL_KNOWN_DISTRICTS = (
    # İstanbul
    "Kadıköy, Beşiktaş, Beyoğlu, Şişli, Üsküdar, Fatih, Bakırköy, Esenyurt, "
    "Küçükçekmece, Bağcılar, Pendik, Ümraniye, Bahçelievler, Sultangazi, Maltepe, "
    "Kartal, Avcılar, Sarıyer, Ataşehir, Zeytinburnu, Esenler, Başakşehir, Beylikdüzü, "
    "Gaziosmanpaşa, Eyüpsultan, Kağıthane, Tuzla, Sancaktepe, Beykoz, Büyükçekmece, "
    "Silivri, Çatalca, "
    # Ankara
    "Çankaya, Keçiören, Yenimahalle, Mamak, Etimesgut, Sincan, Altındağ, Pursaklar, "
    "Gölbaşı, Polatlı, "
    # İzmir
    "Konak, Karşıyaka, Bornova, Buca, Çiğli, Bayraklı, Karabağlar, Gaziemir, Balçova, "
    "Narlıdere, Menemen, Torbalı, Urla, Çeşme, Seferihisar, Bergama, Ödemiş, Tire, "
    # Bursa, Antalya, Adana, Konya, Gaziantep, Diyarbakır, Mersin, Kayseri, Eskişehir
    "Osmangazi, Nilüfer, Yıldırım, İnegöl, Gemlik, Mudanya, Muratpaşa, Kepez, Konyaaltı, "
    "Alanya, Manavgat, Kaş, Kemer, Seyhan, Çukurova, Yüreğir, Sarıçam, Ceyhan, Selçuklu, "
    "Meram, Karatay, Ereğli, Şahinbey, Şehitkamil, Nizip, Bağlar, Kayapınar, Yenişehir, "
    "Sur, Mezitli, Toroslar, Akdeniz, Tarsus, Erdemli, Silifke, Melikgazi, Kocasinan, "
    "Talas, Tepebaşı, Odunpazarı, "
    # Kocaeli, Van, Samsun, Hatay, Şanlıurfa, Muğla, Aydın, Denizli, Trabzon, Mardin
    "Gebze, Darıca, Körfez, Gölcük, Derince, Kartepe, Başiskele, İpekyolu, Tuşba, "
    "Edremit, Erciş, Atakum, İlkadım, Canik, Bafra, Çarşamba, Antakya, İskenderun, "
    "Defne, Dörtyol, Reyhanlı, Samandağ, Eyyübiye, Haliliye, Karaköprü, Siverek, "
    "Viranşehir, Suruç, Bodrum, Fethiye, Marmaris, Milas, Menteşe, Dalaman, Datça, "
    "Efeler, Kuşadası, Didim, Nazilli, Söke, Merkezefendi, Pamukkale, Ortahisar, "
    "Akçaabat, Of, Artuklu, Kızıltepe, Midyat, Nusaybin, "
    # Malatya, Erzurum, Balıkesir, Çanakkale, Edirne, Tekirdağ, Manisa
    "Battalgazi, Yeşilyurt, Yakutiye, Palandöken, Aziziye, Karesi, Altıeylül, Bandırma, "
    "Ayvalık, Biga, Çan, Gelibolu, Keşan, Uzunköprü, Çorlu, Çerkezköy, Süleymanpaşa, "
    "Yunusemre, Şehzadeler, Akhisar, Turgutlu, Salihli"
)


@cache
def _province_keys() -> dict[str, int]:
    """Every spelling of a province that names it on its own: name, English name, alias."""
    keys: dict[str, int] = {}
    for plate, name in PROVINCE_NAMES.items():
        keys[search_key(name)] = plate
    for plate, name in PROVINCE_NAMES_EN.items():
        keys.setdefault(search_key(name), plate)
    for alias, plate in _ALIASES.items():
        keys.setdefault(alias, plate)
    return keys


@cache
def _district_keys() -> dict[str, tuple[tuple[int, str], ...]]:
    """``{folded district name: ((plate, name), …)}``; more than one pair: the name is a
    district in several provinces ("Gölbaşı": Adıyaman and Ankara)."""
    found: dict[str, list[tuple[int, str]]] = {}
    for plate, names in DISTRICTS.items():
        for name in names.split(", "):
            found.setdefault(search_key(name), []).append((plate, name))
    return {key: tuple(places) for key, places in found.items()}


@cache
def _prefixes() -> dict[str, int]:
    """Prefixes (three letters or more) of exactly one province's names: "esk" is Eskişehir,
    "kahr" Kahramanmaraş; "ada" is nothing (Adana? Adapazarı?)."""
    seen: dict[str, set[int]] = {}
    for key, plate in _province_keys().items():
        if " " in key:
            continue
        for end in range(3, len(key) + 1):
            seen.setdefault(key[:end], set()).add(plate)
    return {prefix: plates.pop() for prefix, plates in seen.items() if len(plates) == 1}


@cache
def province_names() -> frozenset[str]:
    """Folded one-word names of every province, aliases included, for spotting places inside
    organisations' names."""
    return frozenset(key for key in _province_keys() if " " not in key)


@cache
def district_names() -> frozenset[str]:
    """Folded names of the well-known districts, for spotting places inside names."""
    return (
        frozenset(search_key(name) for name in WELL_KNOWN_DISTRICTS.split(", ")) - province_names()
    )


@dataclass(frozen=True)
class Place:
    """What a typed place means: a province (plate code), perhaps a district, or a problem."""

    key: str = ""  # the text as search_key() folds it; empty: nothing was typed
    province: int | None = None
    district: str = ""
    # When the text names no province: the provinces a district of that name is in (more than
    # one: ambiguous), and a province it resembles (a typo).
    district_provinces: tuple[int, ...] = ()
    suggestion: int | None = None

    @property
    def understood(self) -> bool:
        return self.province is not None


# Words beside a district's name that do not change which it is: "Bala Merkez", "Bor İlçesi".
_FILLER = frozenset({"merkez", "merkezi", "ilce", "ilcesi"})


def _plate(key: str) -> int | None:
    if key.isdigit():
        plate = int(key)
        return plate if 1 <= plate <= 81 else None
    return None


def _named_provinces(words: list[str]) -> set[int]:
    """The provinces named by a word, or by two or three words written apart ("Kahraman
    Maraş", "Şanlı Urfa")."""
    keys = _province_keys()
    found = {keys[word] for word in words if word in keys}
    for size in (2, 3):
        for start in range(len(words) - size + 1):
            joined = "".join(words[start : start + size])
            if joined in keys:
                found.add(keys[joined])
    return found


def _district_in(words: list[str], plate: int) -> str:
    for word in words:
        for district_plate, name in _district_keys().get(word, ()):
            if district_plate == plate:
                return name
    return ""


@cache
def _well_known_district_keys() -> dict[str, tuple[int, str]]:
    """The well-known districts whose name only one province has, by folded name."""
    districts = _district_keys()
    return {
        key: districts[key][0]
        for key in district_names()
        if key in districts and len(districts[key]) == 1
    }


@lru_cache(maxsize=65536)
def _read(key: str, guess: bool) -> Place:
    """``key`` (folded) read as a place; ``suggestion`` is left to ``parse_place``."""
    if not key:
        return Place()
    words = key.split()
    keys = _province_keys()
    plate = _plate(key) or keys.get(key) or keys.get("".join(words))
    if plate is not None:
        # "İzmit", "Antakya": a province's everyday name that is also its central district.
        return Place(key, province=plate, district=_district_in([key], plate))
    # A province among the words: "Kadıköy / İstanbul", "Bursa (Yenişehir)", "Ankara Merkez".
    provinces = _named_provinces(words)
    if len(provinces) == 1:
        plate = provinces.pop()
        return Place(key, province=plate, district=_district_in(words, plate))
    if provinces:
        return Place(key)  # two provinces ("Ankara İstanbul"): which one is not ours to guess
    # A district alone, any of them: "Kadıköy", "Bala Merkez"; "Gölbaşı" is in two provinces.
    places = _district_keys().get(" ".join(w for w in words if w not in _FILLER), ())
    if len(places) > 1:
        return Place(key, district_provinces=tuple(sorted(plate for plate, _name in places)))
    if places:
        ((plate, name),) = places
        return Place(key, province=plate, district=name)
    # A well-known district among other words ("Kadıköy - Moda"). Not any district: many
    # are everyday words too ("Genç Kadınlar", "Orta Anadolu").
    well_known = _well_known_district_keys()
    found = {well_known[word] for word in words if word in well_known}
    if len({plate for plate, _name in found}) == 1:
        ((plate, name), *_same_province) = sorted(found)
        return Place(key, province=plate, district=name)
    # An abbreviation of one province's name: "Esk.", "Kahr.".
    if guess and len(words) == 1 and key in _prefixes():
        return Place(key, province=_prefixes()[key])
    return Place(key)


def parse_place(text: str) -> Place:
    """Read a province as typed, with or without its district. When it names none, the
    ``Place`` says why: a district of several provinces, or a province it resembles."""
    place = _read(search_key(text), True)
    if place.understood or not place.key or place.district_provinces:
        return place
    return Place(place.key, suggestion=_suggestion(place.key))


@cache
def _suggestable() -> dict[str, int]:
    """Names a typo is compared with: the provinces' and their everyday names, not the
    abbreviations, which resemble too much ("ak" is no typo of "ank")."""
    names = {search_key(name): plate for plate, name in PROVINCE_NAMES.items()}
    names.update({alias: plate for alias, plate in _ALIASES.items() if len(alias) > 3})
    return names


@lru_cache(maxsize=4096)
def _suggestion(key: str) -> int | None:
    names = _suggestable()
    match = process.extractOne(key, list(names), scorer=fuzz.ratio, score_cutoff=80)
    return names[match[0]] if match else None


@lru_cache(maxsize=65536)
def province_of(text: str, *, guess: bool = True) -> int | None:
    """The plate code of the province ``text`` names, or None when it names none or is
    ambiguous. With ``guess`` the first letters of one province's name count too ("Esk")."""
    return _read(search_key(text), guess).province
