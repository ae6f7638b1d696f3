"""Which files the desk keeps: decided by the bytes, not by the name."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest

from kaynak.helpdesk.attachments import check, clean_name, sniff

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 32


def office(folder: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(f"{folder}document.xml", "<w/>")
    return buffer.getvalue()


def plain_zip() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("kurulum.exe", EXE)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (PDF, "application/pdf"),
        (PNG, "image/png"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 8, "image/jpeg"),
        (
            office("word/"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (office("xl/"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("Dernek tüzüğü, İstanbul şubesi".encode(), "text/plain"),
        ("Dernek tüzüğü".encode("cp1254"), "text/plain"),
    ],
)
def test_accepted_files_are_recognised_by_their_bytes(data: bytes, expected: str) -> None:
    assert sniff(data) == expected
    assert check("dosya", data).accepted


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("fatura.pdf", EXE),  # an executable named like a PDF
        ("rapor.pdf", ELF),
        ("notlar.txt", b"#!/bin/sh\nrm -rf /\n"),
        ("sayfa.txt", b"<html><script>alert(1)</script></html>"),
        ("logo.png", b'<?xml version="1.0"?><svg onload="alert(1)"/>'),
        ("arsiv.zip", plain_zip()),
        ("calistir.bat", b"echo merhaba\n"),  # plain text, but a script by its name
    ],
)
def test_executables_scripts_and_archives_are_refused_with_a_reason(name: str, data: bytes) -> None:
    verdict = check(name, data)
    assert not verdict.accepted
    assert name in verdict.reason


def test_files_over_the_limit_are_refused(settings: Any) -> None:
    settings.HELPDESK_MAX_ATTACHMENT_BYTES = 1024 * 1024
    assert check("buyuk.pdf", PDF + b"\x00" * (1024 * 1024)).reason.endswith("1 MB.")
    assert check("kucuk.pdf", PDF).accepted


def test_names_lose_their_folders_and_control_characters() -> None:
    assert clean_name("..\\..\\fatura.pdf") == "fatura.pdf"
    assert clean_name("../../etc/passwd") == "passwd"
    assert clean_name("rapor\x00\n.pdf") == "rapor.pdf"
    assert clean_name("...") == "attachment"
