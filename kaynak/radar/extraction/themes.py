"""Theme slugs the call funds: a Turkish and English gazetteer per theme, weighted by where the
words stand (title and objectives count more than the rest), keeping the main ones only."""

# ruff: noqa: E501 - gazetteers and patterns read best one entry per line
from __future__ import annotations

import re

# The foundation's theme taxonomy (kaynak/core/migrations/0002_reference_data.py); a test
# compares this list with the database rows.
THEME_SLUGS = (
    "children", "youth", "women", "gender-equality", "lgbti", "disability", "ageing",
    "human-rights", "freedom-of-expression", "media", "democracy", "civil-society", "migration",
    "health", "poverty", "labour", "environment", "rural-development", "culture-arts",
    "education", "disaster", "peace",
)  # fmt: skip

GAZETTEER: dict[str, str] = {
    "children": r"\bçocuk|\bchild(?:ren|hood)?\b|\bkids\b|erken\s+çocukluk|\bbebek",
    "youth": r"\bgenç\w*|\byouth\b|young\s+people|\bgençlik",
    "women": r"\bkadın|\bwomen\b|\bwoman\b|\bgirls?\b|kız\s+çocuk",
    "gender-equality": r"toplumsal\s+cinsiyet|gender[\s-]+(?:equality|equity|based|mainstreaming)|"
    r"cinsiyet\s+eşitliği|şiddet(?:e)?\s+karşı\s+kadın|violence\s+against\s+women|kadına\s+yönelik\s+şiddet|"
    r"şiddete\s+maruz\s+kalan\s+kadın|cinsiyete\s+dayalı\s+şiddet|domestic\s+violence|ev\s+içi\s+şiddet",
    "lgbti": r"lgbt|queer|sexual\s+orientation|cinsel\s+yönelim|\btrans\b",
    "disability": r"engelli|disabilit|disabled|erişilebilirlik|accessibility|özel\s+gereksinim",
    "ageing": r"yaşlı|older\s+(?:people|persons|adults)|ageing|aging|elderly|\byaşlılık",
    "human-rights": r"insan\s+hak|human\s+rights|hak\s+temelli|rights-based|ayrımcılık|discriminat|"
    r"\bhak\s+savunuculuğu|fundamental\s+rights|temel\s+hak",
    "freedom-of-expression": r"ifade\s+özgürlüğü|freedom\s+of\s+expression|basın\s+özgürlüğü|press\s+freedom|freedom\s+of\s+(?:the\s+)?press|"
    r"free\s+speech|sansür|censorship",
    "media": r"\bmedya|\bmedia\b|gazetecilik|journalis|haberciliğ|dezenformasyon|disinformation|"
    r"fact-?check|doğrulama|podcast|belgesel|documentar",
    "democracy": r"demokra|democra|katılım(?:cı)?\s+(?:demokrasi|mekanizma)|yurttaş\s+katılım|civic\s+participation|"
    r"citizen\s+participation|good\s+governance|iyi\s+yönetişim|seçim|election|hesap\s+verebilirlik|"
    r"accountability|şeffaflık|transparency|rule\s+of\s+law|hukukun\s+üstünlüğü",
    "civil-society": r"sivil\s+toplum(?:un)?\s+(?:güçlen|kapasite|alan)|for\s+civil\s+society|sivil\s+toplum\s+için|"
    r"sivil\s+topluma|civic\s+space|sivil\s+alan|civil\s+society\s+(?:capacity|space|"
    r"strengthening|development)|kurumsal\s+kapasite|organi[sz]ational\s+(?:capacity|development)|"
    r"capacity\s+building|kapasite\s+geliştirme|kapasitesinin\s+güçlendirilmesi|networking|ağ\s+oluşturma|"
    r"gönüllülük|volunteer",
    "migration": r"\bgöç|mülteci|sığınmacı|migra|refugee|asylum|geçici\s+koruma|displace|yerinden\s+edil",
    "health": r"sağlık|\bhealth|psikososyal|psychosocial|\bmental\s+health|ruh\s+sağlığı|hastal|disease|\bHIV\b|beslenme|nutrition",
    "poverty": r"yoksul|poverty|sosyal\s+içerme|social\s+inclusion|dezavantajlı|disadvantaged|vulnerable|"
    r"kırılgan|marginali[sz]ed|sosyal\s+uyum|social\s+cohesion|dışlanma|exclusion",
    "labour": r"istihdam|employment|employab|\bemek\b|\blabou?r\b|işgücü|workforce|mesleki\s+(?:eğitim|beceri)|"
    r"vocational|girişimcilik|ekonomik\s+(?:hayata|yaşama)\s+katılım|economic\s+(?:participation|empowerment)|"
    r"ekonomik\s+güçlen|entrepreneur|decent\s+work|iş\s+gücü|livelihood|geçim",
    "environment": r"çevre|iklim|climate|environment|biodiversit|biyoçeşitlilik|sürdürülebilir\s+enerji|"
    r"renewable|yenilenebilir|karbon|carbon|atık|waste|green\s+transition|yeşil\s+dönüşüm|doğa|nature|"
    r"ecolog|ekoloj|pollution|kirlilik|circular|döngüsel",
    "rural-development": r"kırsal|\brural|tarım|agricultur|çiftçi|farmer|\bköy|village|hayvancılık|livestock",
    "culture-arts": r"kültür|\bcultur|\bsanat|\barts?\b|artist|müze|museum|miras|heritage|film|sinema|cinema|"
    r"müzik|music|tiyatro|theatre|theater|edebiyat|literat|creative\s+(?:europe|sector|industr)",
    "education": r"eğitim|education|okul|school|öğrenme|learning|öğretmen|teacher|burs|scholarship|"
    r"okuryazarlık|literacy|training",
    "disaster": r"afet|disaster|deprem|earthquake|\bsel\b|\bsellere?\b|flood|acil\s+(?:durum|yardım)|emergency\s+(?:response|relief|preparedness)|risk\s+azaltma|"
    r"risk\s+reduction|resilien|dirençlilik|insani\s+yardım|humanitarian",
    "peace": r"barış|peace|diyalog|dialogue|uzlaşı|reconciliation|çatışma|conflict|arabuluculuk|mediation|"
    r"toplumlar\s+arası|intercultural|kültürlerarası|hoşgörü|tolerance|nefret\s+söylemi|hate\s+speech",
}
_COMPILED = {slug: re.compile(pattern, re.IGNORECASE) for slug, pattern in GAZETTEER.items()}
# Any theme's word at all: most lines have none, and one pass finds that out instead of 22.
_ANY_THEME = re.compile("|".join(f"(?:{pattern})" for pattern in GAZETTEER.values()), re.IGNORECASE)
FOCUS_LABEL = re.compile(
    r"^[\W\d]*(?:öncelik|amaç|hedef|konu|tema|alan|priorit|objective|aim|purpose|focus|theme|"
    r"thematic|about\s+the|program(?:me)?\s+(?:area|goal))",
    re.I,
)
NOISE = re.compile(
    r"eligib|uygun\s+başvuru|başvuru\s+sahipleri|kimler|who\s+can|contact|iletişim", re.I
)


def extract_themes(text: str, *, limit: int = 4) -> list[str]:
    lines = [line for line in text.split("\n") if line.strip()]
    scores = dict.fromkeys(THEME_SLUGS, 0.0)
    focus = False
    seen = 0  # characters of body text before this line: the opening paragraphs state the purpose
    for n, line in enumerate(lines):
        if FOCUS_LABEL.match(line):
            focus = True
        elif NOISE.search(line[:60]):
            focus = False
        if n == 0:
            weight = 3.0
        elif NOISE.search(line[:60]):
            weight = 0.5
        elif focus or seen < 500:
            weight = 2.0
        else:
            weight = 1.0
        seen += len(line) if n else 0
        if not _ANY_THEME.search(line):
            continue
        for slug, pattern in _COMPILED.items():
            hits = len(pattern.findall(line))
            if hits:
                scores[slug] += weight * min(hits, 2)
    ranked = sorted((s for s in scores.items() if s[1] >= 2.0), key=lambda s: -s[1])
    if not ranked:
        return []
    top = ranked[0][1]
    chosen = {slug for slug, score in ranked[:limit] if score >= max(2.0, top * 0.4)}
    return [slug for slug in THEME_SLUGS if slug in chosen]
