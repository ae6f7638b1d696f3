"""The size of one grant: ``amount_min``, ``amount_max`` and ``currency``.

Money is a number with a currency next to it (``1.500.000,00 TL``, ``€1,500,000``, ``150 bin TL``,
``1,5 milyon Avro``, ``EUR 10,000 – 50,000``). Each mention gets a role from the words before it
on its line: total budget or co-financing (skipped), minimum, maximum, or plain. A range gives
both ends; "up to X" gives only the maximum; one plain amount is both.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

CURRENCIES: list[tuple[str, str]] = [
    (r"₺|\bTL\b|\bTRY\b|türk\s+liras\w*|\blira\b|\bliras\w*", "TRY"),
    (r"€|\bEUR\b|\beuros?\b|\bavro\b|\bavro\w*|\beuro\w*", "EUR"),
    (r"£|\bGBP\b|pounds?\s+sterling|\bsterlin\w*|\bpounds?\b", "GBP"),
    (r"\bCHF\b|swiss\s+francs?|isviçre\s+frang\w*", "CHF"),
    (r"\bCAD\b|canadian\s+dollars?|kanada\s+dolar\w*|C\$", "CAD"),
    (r"\bAUD\b|australian\s+dollars?|A\$", "AUD"),
    (r"\bSEK\b|swedish\s+kron\w*", "SEK"),
    (r"\bNOK\b|norwegian\s+kron\w*", "NOK"),
    (r"\bDKK\b|danish\s+kron\w*", "DKK"),
    (r"\bJPY\b|\byen\b|¥", "JPY"),
    (
        r"US\$|\$|\bUSD\b|ABD\s+dolar\w*|(?:US|U\.S\.)\s+dollars?|\bdollars?\b|\bdolar\w*|amerikan\s+dolar\w*",
        "USD",
    ),
]
_CUR = "|".join(f"(?:{p})" for p, _ in CURRENCIES)
_NUM = r"\d{1,3}(?:[.,\s ]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d+)?"
_SCALE = r"(?:\s*(?:bin|milyon|milyar|thousand|million|billion|mn|m|k|K|M)\b)?"
AMOUNT_RE = re.compile(
    rf"(?P<c1>{_CUR})?\s*(?P<num>{_NUM})(?:,-)?(?P<scale>{_SCALE})\s*(?P<c2>{_CUR})?",
    re.IGNORECASE,
)
SCALES = {"bin": 1e3, "thousand": 1e3, "k": 1e3, "milyon": 1e6, "million": 1e6, "mn": 1e6, "m": 1e6}
SCALES |= {"milyar": 1e9, "billion": 1e9}

TOTAL = re.compile(
    r"total|overall|budget|toplam|bütçe|programme\s+(?:amount|funds?)|program(?:ın)?\s+(?:tutar|kaynağ)|"
    r"indicative\s+amount|available\s+(?:funds|funding)|envelope|ayrılan|allocated|fund\s+size|"
    r"co-?financ|own\s+contribution|eş\s*finansman|katkı|match(?:ing)?\s+fund|cost\s+of\s+the\s+project|"
    r"proje\s+maliyet|turnover|ciro|fee|ücret|salary|maaş|ödül\s+töreni|already|last\s+year|geçen\s+yıl",
    re.IGNORECASE,
)
GRANT = re.compile(
    r"grant|hibe|destek|award|funding\s+per|per\s+(?:project|grant|organi)|proje\s+başına|tutar",
    re.I,
)
_TAIL = r"(?:\s+[^\W\d][\w'’-]*){0,4}\s*(?:is|of|olarak|:)?\s*$"
MIN_CUE = re.compile(
    rf"(?:minimum|min\.|at\s+least|en\s+az|asgari|alt\s+sınır|not\s+less\s+than|from){_TAIL}", re.I
)
MAX_CUE = re.compile(
    r"(?:maximum|max\.|up\s+to|en\s+fazla|azami|üst\s+sınır|not\s+(?:to\s+)?exceed(?:ing)?|ceiling|"
    rf"a\s+maximum\s+of|no\s+more\s+than|limited\s+to|capped\s+at){_TAIL}",
    re.I,
)
LABEL_MIN = re.compile(r"(?:minimum|asgari|en\s+az|alt\s+sınır)[^:\n]{0,40}:\s*$", re.I)
LABEL_MAX = re.compile(
    r"(?:maximum|azami|en\s+fazla|üst\s+sınır|üst\s+limit|limit|tavan|ceiling|cap|up\s+to)[^:\n]{0,40}:\s*$",
    re.I,
)
# "per project", "each", "EU contribution": a grant's size even when "budget" stands nearby
PER_GRANT = re.compile(
    r"\bper\b|başına|\beach\b|her\s+bir|(?:EU|Union|AB)\s+(?:contribution|grant|katkı)", re.I
)
RANGE_SEP = re.compile(r"^\s*(?:-|–|—|to|and|ile|ve|ila|or|veya|ya\s+da)\s*$", re.I)


@dataclass
class Money:
    value: float
    currency: str | None
    start: int
    end: int


def currency_of(token: str | None) -> str | None:
    if not token:
        return None
    for pattern, code in CURRENCIES:
        if re.fullmatch(pattern, token.strip(), re.IGNORECASE):
            return code
    return None


def parse_number(raw: str) -> float | None:
    raw = raw.replace(" ", " ").strip()
    if re.fullmatch(r"\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?", raw):  # 1.500.000,00
        raw = raw.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?", raw):  # 1,500,000.00
        raw = raw.replace(",", "")
    elif re.fullmatch(r"\d{1,3}(?:\s\d{3})+(?:[.,]\d{1,2})?", raw):  # 150 000
        raw = raw.replace(" ", "").replace(",", ".")
    elif re.fullmatch(r"\d+,\d+", raw):  # 1,5 (milyon)
        raw = raw.replace(",", ".")
    try:
        return float(raw)
    except ValueError:
        return None


def find_money(text: str) -> list[Money]:
    found: list[Money] = []
    for m in AMOUNT_RE.finditer(text):
        if (
            text[m.end() : m.end() + 2].lstrip().startswith("%")
            or text[max(0, m.start() - 1) : m.start()] == "%"
        ):
            continue
        currency = currency_of(m["c1"]) or currency_of(m["c2"])
        number = parse_number(m["num"])
        if number is None:
            continue
        scale = (m["scale"] or "").strip().lower()
        if scale:
            number *= SCALES.get(scale, 1)
        found.append(Money(number, currency, m.start(), m.end()))
    # "EUR 10,000 – 50,000": the currency of one end belongs to the other end too
    for a, b in itertools.pairwise(found):
        if RANGE_SEP.match(text[a.end : b.start]) and (a.currency is None) != (b.currency is None):
            a.currency = b.currency = a.currency or b.currency
    return [f for f in found if f.currency is not None and f.value >= 50]


def _line_before(text: str, start: int) -> str:
    return text[text.rfind("\n", 0, start) + 1 : start]


# "$" is the US dollar unless the text names another dollar and never the US one.
OTHER_DOLLARS = [
    (re.compile(r"canadian\s+dollars?|\bCAD\b|kanada\s+dolar", re.I), "CAD"),
    (re.compile(r"australian\s+dollars?|\bAUD\b|avustralya\s+dolar", re.I), "AUD"),
]
US_DOLLAR = re.compile(
    r"\bUSD\b|US\$|U\.S\.\s+dollars?|US\s+dollars?|ABD\s+dolar|amerikan\s+dolar", re.I
)


def _dollar(text: str, currency: str | None) -> str | None:
    if currency == "USD" and not US_DOLLAR.search(text):
        for pattern, code in OTHER_DOLLARS:
            if pattern.search(text):
                return code
    return currency


def extract_amount(text: str) -> dict[str, float | str | None]:
    result = _extract_amount(text)
    result["currency"] = _dollar(
        text, result["currency"] if isinstance(result["currency"], str) else None
    )
    return result


def _extract_amount(text: str) -> dict[str, float | str | None]:
    money = find_money(text)
    mins: list[Money] = []
    maxs: list[Money] = []
    plain: list[Money] = []
    skip: set[int] = set()
    for i, item in enumerate(money):
        if i in skip:
            continue
        before = _line_before(text, item.start)
        near = re.split(r"[.;!?]\s", before)[-1][-70:]
        clause = re.split(r"[.;,]\s|\bolup\b|\bwhile\b|\bwhereas\b|\bve\b", before)[-1][-90:]
        if TOTAL.search(clause) and not PER_GRANT.search(clause):
            continue
        nxt = money[i + 1] if i + 1 < len(money) else None
        if (nxt is not None and RANGE_SEP.match(text[item.end : nxt.start])) or (
            nxt is not None and re.match(r"^\s*(?:ile|and|to|-|–)\s*$", text[item.end : nxt.start])
        ):
            assert nxt is not None
            mins.append(item)
            maxs.append(nxt)
            skip.add(i + 1)
            continue
        if (
            MIN_CUE.search(near)
            or LABEL_MIN.search(near)
            or re.match(
                r"\s*(?:'?(?:den|dan|ten|tan)\s+(?:az|başlayan|başlay))",
                text[item.end : item.end + 20],
                re.I,
            )
        ):
            mins.append(item)
        elif (
            MAX_CUE.search(near)
            or LABEL_MAX.search(near)
            or re.match(
                r"\s*(?:'?(?:ye|ya|e|a)\s+kadar|'?(?:yi|yı|i|ı)\s+(?:geçme|aşma))",
                text[item.end : item.end + 20],
                re.I,
            )
        ):
            maxs.append(item)
        else:
            plain.append(item)
    if mins or maxs:
        low = mins[0] if mins else None
        high = maxs[0] if maxs else None
        chosen = high or low
        currency = chosen.currency if chosen is not None else None
        return {
            "amount_min": low.value if low else None,
            "amount_max": high.value if high else None,
            "currency": currency,
        }
    if plain:
        first = plain[0]
        return {"amount_min": first.value, "amount_max": first.value, "currency": first.currency}
    return {"amount_min": None, "amount_max": None, "currency": None}
