"""Which column holds which field: guessed from the header, in English or Turkish, whatever the
case, the Turkish letters or the punctuation ("E-posta", "EPOSTA", "e posta" are one header)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from kaynak.core.text import search_key

# The fields an import row can fill, in the order they are shown.
FIELDS: tuple[str, ...] = ("organisation", "city", "email", "phone", "contact_name")

FIELD_LABELS: dict[str, Promise] = {
    "organisation": _("Organisation"),
    "city": _("Province"),
    "email": _("E-mail"),
    "phone": _("Phone"),
    "contact_name": _("Contact person"),
}

# Header texts, as search_key() folds them, that name each field. Exact matches only: a title
# row such as "Kuruluş listesi 2024" must not pass for a header.
_HEADERS: dict[str, frozenset[str]] = {
    "organisation": frozenset(
        {
            "organisation",
            "organization",
            "organisation name",
            "organization name",
            "name",
            "ngo",
            "kurulus",
            "kurulus adi",
            "kurulusun adi",
            "kurum",
            "kurum adi",
            "kurumun adi",
            "stk",
            "stk adi",
            "stk nin adi",
            "orgut",
            "orgut adi",
            "dernek",
            "dernek adi",
            "vakif adi",
        }
    ),
    "city": frozenset({"city", "province", "il", "il adi", "sehir", "kent", "ili", "bulundugu il"}),
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
            "mail adresi",
        }
    ),
    "phone": frozenset(
        {
            "phone",
            "phone number",
            "telephone",
            "tel",
            "tel no",
            "telefon",
            "telefon no",
            "telefon numarasi",
            "cep",
            "cep telefonu",
            "gsm",
        }
    ),
    "contact_name": frozenset(
        {
            "contact name",
            "contact",
            "contact person",
            "iletisim kisisi",
            "yetkili",
            "yetkili kisi",
            "yetkili adi",
            "ad soyad",
            "adi soyadi",
            "ad soyadi",
            "kisi",
            "irtibat kisisi",
            "sorumlu kisi",
        }
    ),
}
_FIELD_OF_HEADER = {header: field for field, headers in _HEADERS.items() for header in headers}


def guess_field(header: str) -> str | None:
    """The field a column header names, if it names one."""
    return _FIELD_OF_HEADER.get(search_key(header))


def guess_mapping(headers: Sequence[str]) -> dict[str, int]:
    """``{field: column index}`` for the headers that name a field; the first column wins."""
    mapping: dict[str, int] = {}
    for index, header in enumerate(headers):
        field = guess_field(header)
        if field is not None and field not in mapping:
            mapping[field] = index
    return mapping


def header_row_index(rows: Sequence[Sequence[str]], *, look_at: int = 20) -> int:
    """Which of the first rows is the header: the one naming the most fields (the first such).

    A title row, an empty row or a note above the header names none. When no row names a
    field, the first row that is not empty is the header and the columns are mapped by hand.
    """
    best_index, best_count = -1, 0
    for index, row in enumerate(rows[:look_at]):
        count = len(guess_mapping(row))
        if count > best_count:
            best_index, best_count = index, count
    if best_index >= 0:
        return best_index
    for index, row in enumerate(rows):
        if any(cell for cell in row):
            return index
    return 0


def clean_mapping(mapping: Mapping[str, object], column_count: int) -> dict[str, int]:
    """A stored or posted mapping with only known fields and existing columns."""
    cleaned: dict[str, int] = {}
    for field, column in mapping.items():
        if field in FIELDS and isinstance(column, int) and 0 <= column < column_count:
            cleaned[field] = column
    return cleaned
