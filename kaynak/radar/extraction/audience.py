"""Who may apply: applicant-type slugs and ISO country codes, from the eligibility part only.

The eligibility part is the paragraph under a label such as "Eligible applicants", "Who can
apply", "Uygun başvuru sahipleri", "Kimler başvurabilir", or, without a label, the sentences
that say who may apply. Sentences saying who may *not* apply are dropped. Named groups of
countries are expanded.
"""

# ruff: noqa: E501 - gazetteers and patterns read best one entry per line
from __future__ import annotations

import re

# The foundation's applicant types (kaynak/core/migrations/0002_reference_data.py); a test
# compares this list with the database rows.
APPLICANT_TYPE_SLUGS = (
    "association", "foundation", "cooperative", "federation", "platform", "informal-group",
    "university", "public-body", "municipality", "chamber", "company", "individual", "union",
)  # fmt: skip

CSO = ("association", "foundation")
APPLICANT_GAZETTEER: list[tuple[str, tuple[str, ...]]] = [
    (r"sivil\s+toplum\s+(?:kuruluş|örgüt)|\bSTK|kâr\s+amacı\s+gütmeyen|kar\s+amacı\s+gütmeyen|non-?governmental|"
     r"\bNGOs?\b|\bCSOs?\b|civil\s+society\s+organi[sz]ation|non-?profit|not-?for-?profit|"
     r"civil\s+society\s+actors|hükümet\s+dışı|(?:women['’]?s?|youth|rights|community-based|grassroots|local|civic|"
     r"voluntary|charitable|feminist)\s+(?:rights\s+)?organi[sz]ations|kadın\s+örgüt|gençlik\s+örgüt", CSO),
    (r"dernek|(?<!bar\s)(?<!\w)associations?\b", ("association",)),
    (r"vakıf|vakıflar|vakf|\bfoundations?\b", ("foundation",)),
    (r"kooperatif|co-?operatives?\b", ("cooperative",)),
    (r"federasyon|konfederasyon|federations?\b|confederations?\b", ("federation",)),
    (r"platform|\bağlar|\bağları\b|networks?\b|coalitions?\b", ("platform",)),
    (r"gayri\s*resmi|informal\s+(?:\w+\s+)?groups?|gönüllü\s+grup|yerel\s+grup|inisiyatif|initiatives\b|unregistered|tüzel\s+kişiliği\s+(?:olmayan|bulunmayan)|kolektif|collectives?\b|"
     r"grassroots\s+groups?", ("informal-group",)),
    (r"üniversite|universit|higher\s+education\s+institution|yükseköğretim\s+kurum", ("university",)),
    (r"kamu\s+kurum|public\s+(?:bodies|body|entit\w+|institutions?|authorities|sector\s+bodies)|il\s+özel\s+idare|"
     r"governmental\s+(?:bodies|institutions)|il\s+müdürlük|valilik|bakanlık", ("public-body",)),
    (r"belediye|municipalit|local\s+(?:authorities|governments?)|yerel\s+yönetim|mahalli\s+idare", ("municipality",)),
    (r"meslek\s+oda|ticaret\s+(?:ve\s+sanayi\s+)?oda|sanayi\s+oda|chambers?\b|\bbaro|bar\s+associations?|"
     r"professional\s+(?:bodies|associations|organi[sz]ations)|meslek\s+kuruluş", ("chamber",)),
    (r"şirket|\bKOBİ|\bSMEs?\b|compan(?:y|ies)|private\s+sector|enterprises|işletme|firms?\b|"
     r"social\s+enterprises|sosyal\s+girişim", ("company",)),
    (r"\bindividuals?\b|\bbireyler|gerçek\s+kişi|bireysel\s+başvuru|journalists(?!['’])|gazeteciler|"
     r"researchers|araştırmacılar|artists|sanatçılar|activists|aktivistler|\bkişiler\b", ("individual",)),
    (r"sendika|trade\s+unions?|labou?r\s+unions?", ("union",)),
]  # fmt: skip

EU = [
    "AT",
    "BE",
    "BG",
    "HR",
    "CY",
    "CZ",
    "DK",
    "EE",
    "FI",
    "FR",
    "DE",
    "GR",
    "HU",
    "IE",
    "IT",
    "LV",
    "LT",
    "LU",
    "MT",
    "NL",
    "PL",
    "PT",
    "RO",
    "SK",
    "SI",
    "ES",
    "SE",
]
WESTERN_BALKANS = ["AL", "BA", "XK", "ME", "MK", "RS"]
IPA = [*WESTERN_BALKANS, "TR"]
ERASMUS = [*EU, "IS", "LI", "NO", "MK", "RS", "TR"]
EAP = ["AM", "AZ", "BY", "GE", "MD", "UA"]
GROUPS: list[tuple[str, list[str]]] = [
    (r"erasmus\+?\s+(?:programme|program)\s+countr|erasmus\+?\s+programına\s+katılan\s+ülke|"
     r"erasmus\+?\s+program\s+ülke|programme\s+countries", ERASMUS),
    (r"\bIPA\b[^.\n]{0,30}(?:beneficiar|countr|yararlanıcı|ülke)|ipa\s+faydalanıcı", IPA),
    (r"western\s+balkans?|batı\s+balkan", WESTERN_BALKANS),
    (r"eu\s+member\s+states?|member\s+states\s+of\s+the\s+(?:european\s+union|eu)|"
     r"ab\s+üye\s+(?:devlet|ülke)|avrupa\s+birliği\s+üye\s+(?:devlet|ülke)|"
     r"countries\s+of\s+the\s+european\s+union|european\s+union\s+member", EU),
    (r"eastern\s+partnership|doğu\s+ortaklığı", EAP),
]  # fmt: skip
COUNTRIES: list[tuple[str, str]] = [
    (r"türkiye|turkey|turkish\s+(?:and\s+)?(?:not|non|ngo|civil|organi|associa|universit)|türk(?:iye)?['’]?\w*\s+(?:merkezli|kayıtlı)|turkish[- ]registered|\bin\s+turkey", "TR"),
    (r"germany|almanya", "DE"), (r"france|fransa", "FR"), (r"ital(?:y|ya)", "IT"),
    (r"spain|ispanya|İspanya", "ES"), (r"netherlands|hollanda", "NL"), (r"belgi(?:um|ka)", "BE"),
    (r"gree(?:ce|k)|yunanistan", "GR"), (r"bulgaria|bulgaristan", "BG"), (r"romania|romanya", "RO"),
    (r"cyprus|kıbrıs", "CY"), (r"poland|polonya", "PL"), (r"austria|avusturya", "AT"),
    (r"sweden|isveç|İsveç", "SE"), (r"denmark|danimarka", "DK"), (r"norway|norveç", "NO"),
    (r"iceland|izlanda|İzlanda", "IS"), (r"liechtenstein|lihtenştayn", "LI"),
    (r"switzerland|isviçre|İsviçre", "CH"), (r"(?i:united\s+kingdom|birleşik\s+krallık|ingiltere|İngiltere)|\bUK\b", "GB"),
    (r"(?i:united\s+states|amerika\s+birleşik)|\bUSA?\b|\bU\.S\.(?=\s+and|\s+or|,)", "US"), (r"canada|kanada", "CA"),
    (r"albania|arnavutluk", "AL"), (r"bosnia|bosna", "BA"), (r"kosovo|kosova", "XK"),
    (r"montenegro|karadağ", "ME"), (r"north\s+macedonia|kuzey\s+makedonya", "MK"),
    (r"serbia|sırbistan", "RS"), (r"georgia|gürcistan", "GE"), (r"armenia|ermenistan", "AM"),
    (r"azerbaijan|azerbaycan", "AZ"), (r"ukrain|ukrayna", "UA"), (r"moldova", "MD"),
    (r"syria|suriye", "SY"), (r"iraq|irak", "IQ"), (r"lebanon|lübnan", "LB"),
    (r"jordan\b|ürdün", "JO"), (r"iran\b|İran\b", "IR"), (r"egypt|mısır", "EG"),
    (r"tunisia|tunus", "TN"), (r"morocco|fas\b", "MA"), (r"japan|japonya", "JP"),
    (r"hungary|macaristan", "HU"), (r"croatia|hırvatistan", "HR"), (r"slovenia|slovenya", "SI"),
    (r"czech|çek(?:ya|ia|\s+cumhuriyeti)", "CZ"), (r"portugal|portekiz", "PT"), (r"ireland|irlanda|İrlanda", "IE"),
    (r"finland|finlandiya", "FI"), (r"estonia|estonya", "EE"), (r"latvia|letonya", "LV"),
    (r"lithuania|litvanya", "LT"), (r"luxembourg|lüksemburg", "LU"), (r"malta", "MT"),
    (r"slovakia|slovakya", "SK"),
]  # fmt: skip

ELIGIBILITY_LABEL = re.compile(
    r"^[\W\d]*(?:eligib\w*|who\s+(?:can|may)\s+apply|applicants?|uygun\s+başvuru|başvuru\s+sahipleri|"
    r"kimler\s+başvur|başvuru\s+yapabilecek|başvurabilecek|uygunluk|hedef\s+kitle\s+ve\s+başvuru|"
    r"target\s+applicants|lead\s+applicant|eligible|yararlanıcılar\s*:|başvurabilecek|who\s*:)",
    re.I,
)
OTHER_LABEL = re.compile(
    r"^[\W\d]*(?:budget|funding|financial|grant\s+size|size\s+of|amount|deadline|how\s+to\s+apply|timetable|"
    r"submission|contact|duration|selection|award|priorit|objective|son\s+başvuru|bütçe|hibe\s+(?:tutar|miktar)|"
    r"destek\s+(?:tutar|miktar)|başvuru\s+(?:süreci|şekli|yöntemi)|iletişim|takvim|program(?:ın)?\s+(?:amacı|süresi)|"
    r"proje\s+süresi|değerlendirme)",
    re.I,
)
WHO_CUE = re.compile(
    r"may\s+apply|can\s+apply|are\s+eligible|be\s+eligible|is\s+open\s+to|open\s+to|eligible\s+to\s+apply|"
    r"invit\w+\s+\w*\s*(?:applications|proposals)?\s*from|(?:applications|proposals)\s+from|welcome|"
    r"yararlanabilir|başvuruları\s+bekl|başvurabil|başvuru\s+yapabil|\bwe\s+(?:fund|support)\b|destekliyoruz|"
    r"başvuruya\s+açık|başvuru\s+sahibi\s+olabilir|uygun\s+başvuru|çağrı\s+\w+\s+yöneliktir|"
    r"başvuru\s+sahipleri|eligible\s+applicants|applicants\s+must|must\s+be\s+(?:a|an|registered|legally)",
    re.I,
)
NEGATIVE = re.compile(
    r"not\s+eligible|cannot\s+apply|may\s+not\s+apply|are\s+excluded|ineligible|not\s+be\s+eligible|"
    r"cannot\s+be\s+(?:lead|the|an?\b)|should\s+not\s+apply|katılamaz|yararlanamaz|başvuramaz|uygun\s+değil|kabul\s+edilmeyecek|kabul\s+edilmez|başvuru\s+yapamaz|hariç|"
    r"partners?\b|partnerships?\b|ortak(?:lar|\s+olarak|lık)|associates?\b|iştirakçi|co-applicants?\s+may",
    re.I,
)


def _sentences(block: str) -> list[str]:
    return [
        s
        for s in re.split(
            r"(?<=[.!?])\s+(?=[A-ZÇĞİÖŞÜ\"“(])|;\s*|\n|,?\s+(?:but|ancak|however|whereas)\s+", block
        )
        if s.strip()
    ]


def eligibility_text(text: str) -> str:
    lines = text.split("\n")
    chunks: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if ELIGIBILITY_LABEL.match(line):
            part = [line.split(":", 1)[1] if ":" in line[:60] else line]
            j = i + 1
            while j < len(lines) and sum(bool(x.strip()) for x in part) < 10:
                nxt = lines[j].strip()
                if OTHER_LABEL.match(nxt) or (nxt and len(nxt) < 60 and nxt.endswith((":", "?"))):
                    break
                part.append(nxt)
                j += 1
            chunks.append("\n".join(part))
            i = j
            continue
        i += 1
    for sentence in _sentences(text):
        if WHO_CUE.search(sentence) and not any(sentence in c for c in chunks):
            chunks.append(sentence)
    kept = [s for chunk in chunks for s in _sentences(chunk) if not NEGATIVE.search(s)]
    return "\n".join(kept)


def extract_audience(text: str) -> dict[str, list[str]]:
    part = eligibility_text(text)
    types: set[str] = set()
    for pattern, slugs in APPLICANT_GAZETTEER:
        if re.search(pattern, part, re.IGNORECASE):
            types.update(slugs)
    countries: set[str] = set()
    rest = part
    for pattern, codes in GROUPS:
        if re.search(pattern, rest, re.IGNORECASE):
            countries.update(codes)
            rest = re.sub(pattern, " ", rest, flags=re.IGNORECASE)
    for pattern, code in COUNTRIES:
        if re.search(pattern, rest, re.IGNORECASE if code not in {"US", "GB"} else 0):
            countries.add(code)
    order = {slug: n for n, slug in enumerate(APPLICANT_TYPE_SLUGS)}
    return {"applicant_types": sorted(types, key=order.__getitem__), "countries": sorted(countries)}
