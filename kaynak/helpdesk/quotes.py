"""Quoted history out of an e-mail reply, so a request shows what the person newly wrote.

Pure text in, text out. The raw message keeps everything; this only decides what is new.
Recognised, in Turkish and English: "> " lines; attribution lines ("On … wrote:", Gmail's
"… tarihinde … şunu yazdı:", Apple Mail's "… şunları yazdı:"); Outlook's "-----Original
Message-----" / "-----Özgün İleti-----" separators and its "From/Sent/To/Subject" (Turkish
"Kimden/Gönderildi/Kime/Konu") header blocks; a signature after "-- ".

An attribution followed by "> " lines is an inline or bottom-posted reply: only the "> " lines
are history and the text between them is kept. An attribution or Outlook block followed by
unmarked text is a top-posted reply: everything from it to the end is history.
"""

from __future__ import annotations

import re

ATTRIBUTION_EN = re.compile(r"^\s*On\s.+\swrote:\s*$", re.IGNORECASE | re.DOTALL)
ATTRIBUTION_TR = re.compile(
    r"^.*(\btarihinde\b.*\b(şunu|şunları)\s+yazdı|\d.*\byazdı|@.*\byazdı):\s*$",
    re.IGNORECASE | re.DOTALL,
)
SEPARATOR = re.compile(
    r"^\s*-{2,}\s*(original message|özgün ileti|orijinal ileti|orijinal mesaj|"
    r"asıl ileti|ursprüngliche nachricht)\s*-{2,}\s*$",
    re.IGNORECASE,
)
UNDERSCORES = re.compile(r"^\s*_{10,}\s*$")
# Outlook writes its header block in plain text, sometimes in bold (*From:*) after HTML.
FIELD = re.compile(r"^\s*\**\s*([^:*]{2,20}?)\s*:?\**\s*:\s*\**")
FROM_FIELDS = {"from", "kimden", "gönderen"}
SENT_FIELDS = {"sent", "date", "gönderildi", "gönderilme", "gönderme tarihi", "tarih"}
SUBJECT_FIELDS = {"subject", "konu"}
TO_FIELDS = {"to", "kime", "cc", "bilgi"}
# An attribution line is wrapped over at most this many lines by mail clients.
ATTRIBUTION_LINES = 3
OUTLOOK_BLOCK_LINES = 8


def strip_quoted(text: str) -> tuple[str, str]:
    """``(new_text, quoted_text)`` of a reply; the new text is never empty when the reply had
    any text (a message that is all quote is kept whole as new text)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept: list[str] = []
    quoted: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        attribution = _attribution_length(lines, i)
        if attribution:
            after = _next_non_blank(lines, i + attribution)
            if after < len(lines) and _is_quote_line(lines[after]):
                quoted.extend(lines[i : i + attribution])
                i += attribution
                continue
            quoted.extend(lines[i:])
            break
        if _is_outlook_start(lines, i):
            quoted.extend(lines[i:])
            break
        if _is_quote_line(line):
            quoted.append(line)
            i += 1
            continue
        if line.rstrip() == "--":
            end = i + 1
            while end < len(lines) and not _starts_history(lines, end):
                end += 1
            quoted.extend(lines[i:end])
            i = end
            continue
        kept.append(line)
        i += 1
    new_text = _tidy("\n".join(kept))
    if not new_text:
        return _tidy("\n".join(lines)), ""
    return new_text, _tidy("\n".join(quoted))


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def _is_quote_line(line: str) -> bool:
    return line.lstrip(" ").startswith(">")


def _next_non_blank(lines: list[str], start: int) -> int:
    while start < len(lines) and not lines[start].strip():
        start += 1
    return start


def _starts_history(lines: list[str], i: int) -> bool:
    return bool(
        _is_quote_line(lines[i]) or _attribution_length(lines, i) or _is_outlook_start(lines, i)
    )


def _attribution_length(lines: list[str], i: int) -> int:
    """How many lines the attribution starting at ``lines[i]`` takes (0: none starts there)."""
    first = lines[i].strip()
    if not first or _is_quote_line(first):
        return 0
    english = first.lower().startswith("on ")
    turkish = bool(re.search(r"\d|tarihinde|@", first))
    if not (english or turkish):
        return 0
    for length in range(1, ATTRIBUTION_LINES + 1):
        if i + length > len(lines):
            break
        if length > 1 and not lines[i + length - 1].strip():
            break
        joined = " ".join(line.strip() for line in lines[i : i + length])
        if len(joined) > 300:
            break
        if (english and ATTRIBUTION_EN.match(joined)) or (turkish and ATTRIBUTION_TR.match(joined)):
            return length
    return 0


def _field(line: str) -> str:
    match = FIELD.match(line)
    return match.group(1).strip().lower() if match else ""


def _is_outlook_start(lines: list[str], i: int) -> bool:
    line = lines[i]
    if SEPARATOR.match(line):
        return True
    start = i
    if UNDERSCORES.match(line):
        start = _next_non_blank(lines, i + 1)
        if start >= len(lines):
            return False
    if _field(lines[start]) not in FROM_FIELDS:
        return False
    fields = {_field(line) for line in lines[start + 1 : start + OUTLOOK_BLOCK_LINES]}
    return bool(fields & SUBJECT_FIELDS) and bool(fields & (SENT_FIELDS | TO_FIELDS))
