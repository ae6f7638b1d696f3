"""Deadline, its kind and its stated time zone.

Every date in the text is found (ISO, ``31/12/2026``, ``31.12.2026``, ``31 Aralık 2026``,
``December 31, 2026``; or without a year, ``15 Mart``, ``January 31``, which then takes the
year that puts it after the text's earliest dated mention), with a time when one follows it. A
date is a deadline when a deadline cue (``Son başvuru``, ``Deadline``, ``no later than``,
``kadar``) is nearer before it on its line than a distractor cue (publication, info day,
project start, results). Several deadlines → the earliest. Impossible dates (31 Şubat) are
skipped.
"""

# ruff: noqa: E501 - gazetteers and patterns read best one entry per line
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

MONTHS = {
    "ocak": 1, "şubat": 2, "subat": 2, "mart": 3, "nisan": 4, "mayıs": 5, "mayis": 5,
    "haziran": 6, "temmuz": 7, "ağustos": 8, "agustos": 8, "eylül": 9, "eylul": 9,
    "ekim": 10, "kasım": 11, "kasim": 11, "aralık": 12, "aralik": 12,
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = "|".join(sorted(MONTHS, key=len, reverse=True))
_FULL_MONTH = "|".join(
    sorted(
        (m for m in MONTHS if len(m) > 4 or m in {"ocak", "mart", "ekim", "june", "july"}),
        key=len,
        reverse=True,
    )
)
_TIME = r"(?:[ \t]*(?:,|at|saat|-|–|@)?[ \t]*(?:saat[ \t]*)?(?P<h>[01]?\d|2[0-3])[:.](?P<mi>[0-5]\d)(?:[ \t]*(?P<ampm>[ap]\.?m\.?))?)?"
DATE_RE = re.compile(
    r"(?<!\d)(?:"
    r"(?P<iy>20\d\d)-(?P<im>[01]?\d)-(?P<id>[0-3]?\d)(?:T(?P<ih>\d\d):(?P<imi>\d\d))?"
    r"|(?P<nd>[0-3]?\d)[./](?P<nm>[01]?\d)[./](?P<ny>20\d\d)"
    rf"|(?P<td>[0-3]?\d)(?:st|nd|rd|th)?\.?\s+(?:of\s+)?(?P<tm>{_MONTH})\.?,?\s+(?P<ty>20\d\d)"
    rf"|(?P<em>{_MONTH})\.?\s+(?P<ed>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<ey>20\d\d)"
    # Without a year ("Son başvuru: 15 Mart", "Deadline: January 31"): full month names only.
    rf"|(?P<yd>[0-3]?\d)(?:st|nd|rd|th)?\.?\s+(?:of\s+)?(?P<ym>{_FULL_MONTH})(?![A-Za-zçğıöşüÇĞİÖŞÜ])(?!\.?,?\s+(?:19|20)\d\d)"
    rf"|(?P<zm>{_FULL_MONTH})\s+(?P<zd>[0-3]?\d)(?:st|nd|rd|th)?(?!\d)(?!,?\s+(?:19|20)\d\d)"
    r")(?:[ \t]*(?:tarihine|tarihi|\(\w+\)|[A-Za-zçğıöşüÇĞİÖŞÜ]+,)?)?" + _TIME,
    re.IGNORECASE,
)
DEADLINE_CUES = re.compile(
    r"son\s+başvuru|son\s+basvuru|başvuru\s+süresi|son\s+tarih|son\s+gün|başvurular?\b[^.\n]{0,40}?"
    r"(?:kadar|itibaren)|kadar|teslim|deadline|closing\s+date|closes|close\s+on|due\b|no\s+later\s+than|"
    r"must\s+be\s+(?:submitted|received)|before\b|submi(?:t|ssion)|until|by\b|cut-?off|expir|applications?\s+"
    r"(?:are\s+)?(?:accepted|open)|son\s+teslim|ön\s+başvuru|concept\s+note|full\s+application|"
    r"başvuru\s+tarihi|tarihleri?\s+arasında|en\s+geç|latest|window\s+closes|kapanış",
    re.IGNORECASE,
)
DISTRACTOR_CUES = re.compile(
    r"yayı[nm]|ilan\s+tarihi|published|publication|posted|bilgilendirme|info(?:rmation)?\s+(?:day|session)|"
    r"webinar|toplantı|meeting|workshop|eğitim\s+(?:tarihi|günü)|başla(?:ngıç|ma|yacak)|start|begin|"
    r"sonuç|result|announce|duyurul|açıklan|notif|bildiril|implementation|uygulama\s+dönemi|"
    r"proje\s+süresi|updated|güncelle|launch|açılış|opening\s+date|open(?:s|ed)?\s+on|itibaren|from\b|"
    r"imza|sign|between\b|issue\s+date|date\s+of\s+issue|question|soru|clarification|açıklama\s+talep",
    re.IGNORECASE,
)
# A date in the same sentence as these is about something else, whatever other words stand nearer.
VETO = re.compile(
    r"question|soru|clarification|açıklama\s+talep|info(?:rmation)?\s+(?:day|session)|webinar|"
    r"bilgilendirme|sonuçlar|results|published|yayı[nm]lan|issue\s+date",
    re.IGNORECASE,
)
AFTER_CUE = re.compile(r"(?:[^\n\d.]|\d{1,2}[.:]\d\d){0,45}?(?:\bkadar\b|sona\s+er)", re.I)
AFTER_OPENING = re.compile(r"[^\n\d]{0,30}?(?:açıl|başla|opens|begins|itibaren)", re.I)
ROLLING = re.compile(
    r"rolling|open\s+all\s+year|all\s+year\s+round|on\s+an\s+ongoing\s+basis|ongoing\s+basis|"
    r"no\s+(?:fixed\s+)?deadline|open[- ]ended|"
    r"until\s+(?:the\s+)?(?:\w+\s+)?(?:funds?|budget|resources)\s+(?:are|is|run|has|have)|as\s+(?:they|applications)\s+(?:arrive|are\s+received)|"
    r"first[- ]come|continuous(?:ly)?\s+(?:open|accept)|at\s+any\s+time|any\s+time\s+of\s+the\s+year|"
    r"yıl\s+boyu|sürekli\s+(?:açık|başvuru|olarak)|sürekli\s+alın|geldikçe|ulaştıkça|"
    r"tüken(?:ene|inceye|mesi)|bitene\s+kadar|son\s+başvuru\s+tarihi\s+(?:bulunma|yok)|"
    r"herhangi\s+bir\s+son\s+başvuru|dönemsel\s+değil|her\s+zaman\s+başvur|açık\s+çağrı\s+niteliğinde",
    re.IGNORECASE,
)
TIMEZONES = [
    (
        re.compile(r"brussels\s+(?:local\s+)?(?:date\s+and\s+)?time|brüksel\s+saati", re.I),
        "Europe/Brussels",
    ),
    (re.compile(r"\bCES?T\b"), "CET"),
    (
        re.compile(
            r"[iİ]stanbul\s+(?:local\s+)?time|[iİ]stanbul\s+saati|türkiye\s+(?:saati|time)|turkey\s+time|\bTRT\b",
            re.I,
        ),
        "Europe/Istanbul",
    ),
    (re.compile(r"ankara\s+saati|ankara\s+time", re.I), "Europe/Istanbul"),
    (re.compile(r"\b(?:UTC|GMT)\s*\+\s*0?3\b"), "Europe/Istanbul"),
    (re.compile(r"\b(?:UTC|GMT)\b"), "UTC"),
    (re.compile(r"\bE[SD]?T\b|eastern\s+time", re.I), "America/New_York"),
]


@dataclass(frozen=True)
class Found:
    day: date
    hour: int | None
    minute: int | None
    start: int
    end: int


def find_dates(text: str, today: date | None = None) -> list[Found]:
    """Every date of ``text``. A date written without a year takes the year that puts it on or
    after the earliest dated mention in the text (an announcement's dates rarely go backwards), or
    on or after ``today`` when the text has no year at all."""
    found: list[Found] = []
    yearless: list[tuple[re.Match[str], int, int]] = []
    for m in DATE_RE.finditer(text):
        g = m.groupdict()
        try:
            if g["iy"]:
                day = date(int(g["iy"]), int(g["im"]), int(g["id"]))
            elif g["ny"]:
                day = date(int(g["ny"]), int(g["nm"]), int(g["nd"]))
            elif g["ty"]:
                day = date(int(g["ty"]), MONTHS[g["tm"].lower()], int(g["td"]))
            elif g["ey"]:
                day = date(int(g["ey"]), MONTHS[g["em"].lower()], int(g["ed"]))
            else:
                month = MONTHS[(g["ym"] or g["zm"]).lower()]
                number = int(g["yd"] or g["zd"])
                date(2024, month, number)  # a leap year: 29 Şubat may be meant, 31 Şubat never
                yearless.append((m, month, number))
                continue
        except (ValueError, KeyError):
            continue  # 31 Şubat, month 13: not a date
        found.append(_with_time(text, m, day))
    if yearless:
        reference = min((f.day for f in found), default=None) or today or datetime.now(UTC).date()
        for m, month, number in yearless:
            year = reference.year
            if (month, number) < (reference.month, reference.day):
                year += 1
            try:
                found.append(_with_time(text, m, date(year, month, number)))
            except ValueError:
                continue  # 29 Şubat of a year that has none
    return sorted(found, key=lambda f: f.start)


def _with_time(text: str, m: re.Match[str], day: date) -> Found:
    g = m.groupdict()
    hour = g["ih"] or g["h"]
    minute = g["imi"] or g["mi"]
    if hour is None:
        near = re.match(
            r"[^\n\d]{0,40}?(?<!\d)([01]?\d|2[0-3])[:.]([0-5]\d)(?![\d.:]\d)",
            text[m.end() : m.end() + 50],
        ) or re.search(
            r"(?<![\d.])([01]?\d|2[0-3])[:.]([0-5]\d)(?!\d)[^\n\d]{0,30}$",
            text[max(0, m.start() - 45) : m.start()],
        )
        if near:
            hour, minute = near.group(1), near.group(2)
    h = int(hour) if hour is not None else None
    if h is not None and g.get("ampm") and g["ampm"].lower().startswith("p") and h < 12:
        h += 12
    return Found(day, h, int(minute) if minute is not None else None, m.start(), m.end())


def _is_deadline(text: str, item: Found) -> bool:
    line_start = text.rfind("\n", 0, item.start) + 1
    before = text[max(line_start, item.start - 120) : item.start]
    after = text[item.end : item.end + 60].split("\n")[0]
    if re.match(r"\s*(?:-|–|—|to|until|ile)\s*(?:\w+\s+)?\d", after, re.I):
        return False  # the start of an application window
    sentence = re.split(r"(?<=[.!?])\s+(?=[A-ZÇĞİÖŞÜ])", before)[-1]
    if VETO.search(sentence) and not re.search(r"deadline|son\s+başvuru", sentence[-60:], re.I):
        return False
    if VETO.search(re.split(r"[.!?](?:\s|$)", after)[0]):
        return False  # "16-19 Aralık 2026 tarihlerinde bilgilendirme toplantıları"
    if re.search(r"\d\s*(?:-|–|—|to|and|ile|until)\s*$", before) and re.search(
        r"başvuru|application|submission|apply|çağrı|call",
        text[line_start : item.end + 60].split("\n")[0],
        re.I,
    ):
        return True  # the end of an application window "1 March – 30 April 2026"
    cue = last_cue = -1
    for m in DEADLINE_CUES.finditer(before):
        cue = m.end()
    for m in DISTRACTOR_CUES.finditer(before):
        last_cue = m.end()
    if cue < 0:
        # "31 Aralık 2026 tarihine kadar" / "… 2026'ya kadar": the cue follows the date
        opening = DISTRACTOR_CUES.search(before[-30:])
        if AFTER_CUE.match(after) and not AFTER_OPENING.match(after) and not opening:
            return not re.search(r"itibaren", before[-40:], re.I)
        return False
    return cue > last_cue


def extract_deadline(text: str) -> dict[str, str | None]:
    dates = find_dates(text)
    deadlines = [d for d in dates if _is_deadline(text, d)]
    if deadlines:
        best = min(deadlines, key=lambda d: (d.day, d.hour or 0, d.minute or 0))
        value = best.day.isoformat()
        zone = None
        if best.hour is not None and best.minute is not None:
            value += f"T{best.hour:02d}:{best.minute:02d}"
        window = text[max(0, best.start - 45) : best.end + 60]
        for pattern, name in TIMEZONES:
            if pattern.search(window):
                zone = name
                break
        return {"deadline": value, "deadline_kind": "fixed", "deadline_timezone": zone}
    kind = "rolling" if ROLLING.search(text) else "none"
    return {"deadline": None, "deadline_kind": kind, "deadline_timezone": None}
