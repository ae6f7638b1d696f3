"""Which column of an attendance sheet holds what, guessed from the words attendance sheets
use ("Adı Soyadı", "Kurumu", "E-posta", "Kayıt kodu", "İmza" …), and the sheet read by the
directory's importer (``kaynak.directory.importing.reading``: UTF-8 or Windows-1254 CSV, mojibake
repaired, XLSX with merged cells) with its header found among the first rows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kaynak.core.text import search_key
from kaynak.directory.importing.mapping import guess_field as directory_guess_field
from kaynak.directory.importing.reading import Sheet, SheetRow, read_sheet

# Columns an attendance sheet may have, in the order they are offered.
FIELDS: tuple[str, ...] = (
    "name",
    "first_name",
    "last_name",
    "email",
    "phone",
    "organisation",
    "code",
)
FIELD_LABELS: dict[str, Promise] = {
    "name": _("Full name"),
    "first_name": _("First name"),
    "last_name": _("Last name"),
    "email": _("E-mail"),
    "phone": _("Phone"),
    "organisation": _("Organisation"),
    "code": _("Registration code"),
}
# A sheet needs one of these to match anyone.
IDENTIFYING = frozenset({"name", "first_name", "last_name", "email", "phone", "code"})

# Header texts as search_key() folds them. Exact matches only, so that a title row ("Katılım
# listesi") or a note is never taken for the header.
_HEADERS: dict[str, frozenset[str]] = {
    "name": frozenset(
        {
            "ad soyad",
            "adi soyadi",
            "ad soyadi",
            "adi soyad",
            "ad ve soyad",
            "adi ve soyadi",
            "adiniz soyadiniz",
            "isim",
            "isim soyisim",
            "isim soyad",
            "katilimci",
            "katilimci adi",
            "katilimci adi soyadi",
            "katilimcinin adi soyadi",
            "kisi",
            "name",
            "full name",
            "name surname",
            "name and surname",
            "participant",
            "participant name",
            "attendee",
        }
    ),
    "first_name": frozenset({"ad", "adi", "adiniz", "first name", "firstname", "given name"}),
    "last_name": frozenset(
        {"soyad", "soyadi", "soyadiniz", "soyisim", "last name", "lastname", "surname"}
    ),
    "email": frozenset(
        {
            "email",
            "e mail",
            "email address",
            "e mail address",
            "mail",
            "e posta",
            "eposta",
            "e posta adresi",
            "eposta adresi",
            "e posta adresiniz",
            "mail adresi",
        }
    ),
    "phone": frozenset(
        {
            "phone",
            "phone number",
            "mobile",
            "mobile phone",
            "telephone",
            "tel",
            "tel no",
            "telefon",
            "telefon no",
            "telefon numarasi",
            "telefon numaraniz",
            "cep",
            "cep tel",
            "cep telefonu",
            "gsm",
            "gsm no",
        }
    ),
    "organisation": frozenset(
        {
            "organisation",
            "organization",
            "organisation name",
            "organization name",
            "ngo",
            "kurum",
            "kurumu",
            "kurum adi",
            "kurumunuz",
            "kurulus",
            "kurulusu",
            "kurulus adi",
            "kurulusunuz",
            "kurum kurulus",
            "calistigi kurum",
            "temsil ettigi kurum",
            "stk",
            "stk adi",
            "dernek",
            "dernek adi",
        }
    ),
    "code": frozenset(
        {
            "kod",
            "kayit kodu",
            "kayit no",
            "kayit numarasi",
            "katilimci kodu",
            "qr",
            "qr kod",
            "qr kodu",
            "code",
            "registration code",
            "registration",
        }
    ),
}
_FIELD_OF_HEADER = {header: name for name, headers in _HEADERS.items() for header in headers}
# What the directory's importer calls a column, for headers not listed above.
_FROM_DIRECTORY = {
    "contact_name": "name",
    "organisation": "organisation",
    "email": "email",
    "phone": "phone",
}
_HEADER_LOOK_AT = 20


def guess_field(header: str) -> str | None:
    """The field a column header names, if it names one."""
    key = search_key(header)
    if key in _FIELD_OF_HEADER:
        return _FIELD_OF_HEADER[key]
    return _FROM_DIRECTORY.get(directory_guess_field(header) or "")


def guess_mapping(headers: Sequence[str]) -> dict[str, int]:
    """``{field: column index}`` for the headers that name a field; the first column wins."""
    mapping: dict[str, int] = {}
    for index, header in enumerate(headers):
        name = guess_field(header)
        if name is not None and name not in mapping:
            mapping[name] = index
    return mapping


def clean_mapping(mapping: Mapping[str, object], column_count: int) -> dict[str, int]:
    """A stored or posted mapping with only known fields and existing columns."""
    return {
        name: column
        for name, column in mapping.items()
        if name in FIELDS and isinstance(column, int) and 0 <= column < column_count
    }


def read_attendance_sheet(data: bytes, filename: str) -> Sheet:
    """Read an attendance sheet; ``UnreadableFile`` (a sentence for the user) if it is none.

    The directory's reader finds a header by the directory's column names; an attendance sheet
    headed "Adı | Soyadı | Kurumu | İmza" under a title row names none of them, so the header
    is looked for again here, among the rows the reader gave."""
    sheet = read_sheet(data, filename)
    lines: list[tuple[int, tuple[str, ...]]] = [
        (sheet.header_line, sheet.headers),
        *((row.line, row.cells) for row in sheet.rows),
    ]
    counts = [len(guess_mapping(cells)) for _line, cells in lines[:_HEADER_LOOK_AT]]
    best = max(range(len(counts)), key=lambda index: (counts[index], -index))
    if best == 0 or counts[best] <= counts[0]:
        return sheet
    header_line, headers = lines[best]
    rows = tuple(
        SheetRow(number=number, line=line, cells=cells)
        for number, (line, cells) in enumerate(lines[best + 1 :], 1)
    )
    return Sheet(
        headers=headers,
        rows=rows,
        encoding=sheet.encoding,
        repaired=sheet.repaired,
        header_line=header_line,
    )
