"""Reading spreadsheets as people really save them: UTF-8, Windows-1254, mojibake, Turkish
Excel's semicolons, and workbooks with a title row and merged cells."""

from __future__ import annotations

from pathlib import Path

import pytest

from kaynak.directory.importing.mapping import guess_mapping, header_row_index
from kaynak.directory.importing.reading import UnreadableFile, read_sheet

FILES = Path(__file__).parent / "files"
TURKISH_ROWS = [
    ("Şişli Gençlik ve Spor Kulübü Derneği", "İSTANBUL", "iletisim@sisligenclik.org"),
    ("Doğu Karadeniz Arıcılar Birliği", "Trabzon", "bilgi@dkab.org.tr"),
    ("Güneydoğu Kadın Kooperatifi", "Şanlıurfa", ""),
]


def read(name: str):
    return read_sheet((FILES / name).read_bytes(), name)


def first_three_columns(sheet):
    return [row.cells[:3] for row in sheet.rows]


def test_a_utf8_csv_is_read_with_its_header_and_rows_numbered_from_one():
    sheet = read("organisations_utf8.csv")

    assert sheet.encoding == "utf-8"
    assert not sheet.repaired
    assert sheet.headers[:5] == ("organisation", "city", "email", "phone", "contact_name")
    assert [(row.number, row.line) for row in sheet.rows] == [(n, n + 1) for n in range(1, 7)]
    assert sheet.rows[0].cells[0] == "Ege Çevre ve Doğa Koruma Derneği"


def test_extra_columns_are_ignored_by_the_mapping():
    sheet = read("organisations_utf8.csv")

    assert "notes" in sheet.headers
    assert guess_mapping(sheet.headers) == {
        "organisation": 0,
        "city": 1,
        "email": 2,
        "phone": 3,
        "contact_name": 4,
    }


def test_a_windows_1254_csv_keeps_its_turkish_letters():
    sheet = read("organisations_windows1254.csv")

    assert sheet.encoding == "windows-1254"
    assert first_three_columns(sheet) == TURKISH_ROWS
    assert sheet.headers == ("Kuruluş adı", "İl", "E-posta", "Telefon", "İletişim kişisi")


def test_mojibake_is_repaired_into_the_letters_that_were_meant():
    raw = (FILES / "organisations_mojibake.csv").read_text(encoding="utf-8")
    assert "DerneÄŸi" in raw  # the file really is garbled

    sheet = read("organisations_mojibake.csv")

    assert sheet.repaired
    assert first_three_columns(sheet) == TURKISH_ROWS
    assert guess_mapping(sheet.headers)["contact_name"] == 4


def test_a_semicolon_csv_from_turkish_excel_is_split_on_semicolons_not_commas():
    sheet = read("organisations_excel_tr.csv")

    assert sheet.encoding == "windows-1254"
    assert sheet.rows[0].cells[:2] == ("Çocuk, Gençlik ve Aile Derneği", "Diyarbakır")
    assert sheet.rows[1].cells[4] == "Çağrı Işık"
    assert len(sheet.headers) == 6


def test_a_workbook_with_a_title_row_finds_the_header_below_it():
    sheet = read("organisations_merged.xlsx")

    assert sheet.encoding == "xlsx"
    assert sheet.header_line == 3
    assert sheet.headers == ("Kuruluş Adı", "İl", "E-posta", "Telefon", "Ad Soyad")
    assert [row.line for row in sheet.rows] == [4, 5, 6, 7, 8]


def test_merged_cells_give_their_value_to_every_cell_of_the_range():
    sheet = read("organisations_merged.xlsx")

    assert [row.cells[1] for row in sheet.rows] == ["İzmir", "İzmir", "İzmir", "Ankara", "Ankara"]
    assert [row.cells[0] for row in sheet.rows][3:] == ["Anadolu Kültür Vakfı"] * 2
    assert [row.cells[4] for row in sheet.rows][3:] == ["Deniz Aksoy", "Burak Tan"]


def test_a_phone_typed_as_a_number_in_excel_reads_as_its_digits():
    sheet = read("organisations_merged.xlsx")

    assert sheet.rows[2].cells[3] == "5321234567"


def test_a_file_that_is_no_spreadsheet_is_refused_with_a_sentence():
    with pytest.raises(UnreadableFile) as caught:
        read("not_a_spreadsheet.pdf")

    assert "not_a_spreadsheet.pdf" in str(caught.value.message)
    assert "CSV" in str(caught.value.message)


@pytest.mark.parametrize("data", [b"", b"  \n\n", b"\n;;;\n"])
def test_an_empty_file_is_refused(data):
    with pytest.raises(UnreadableFile):
        read_sheet(data, "bos.csv")


def test_a_byte_order_mark_and_a_sep_line_from_excel_are_understood():
    data = "\ufeffsep=;\nKuruluş adı;İl\nEge Çevre, Doğa Derneği;İzmir\n".encode()

    sheet = read_sheet(data, "excel.csv")

    assert sheet.headers == ("Kuruluş adı", "İl")
    assert sheet.rows[0].cells == ("Ege Çevre, Doğa Derneği", "İzmir")
    assert sheet.rows[0].line == 3


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Kuruluş adı", "organisation"),
        ("KURULUŞ ADI", "organisation"),
        ("kurulus adi", "organisation"),
        ("İl", "city"),
        ("IL", "city"),
        ("E-posta", "email"),
        ("EPOSTA", "email"),
        ("Telefon", "phone"),
        ("İletişim kişisi", "contact_name"),
        ("ILETISIM KISISI", "contact_name"),
        ("Organisation", "organisation"),
        ("contact_name", "contact_name"),
    ],
)
def test_headers_in_turkish_or_english_name_their_field_whatever_the_case(header, field):
    assert guess_mapping(["Notlar", header]) == {field: 1}


def test_a_title_row_is_not_taken_for_the_header():
    rows = [["Kuruluş listesi 2024"] * 3, ["", "", ""], ["Kuruluş adı", "İl", "Telefon"]]

    assert header_row_index(rows) == 2
