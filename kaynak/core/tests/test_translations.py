"""Turkish first, English complete: every string in the code has a Turkish translation."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

PACKAGE = Path(settings.BASE_DIR) / "kaynak"


def catalogues() -> list[Path]:
    return sorted(PACKAGE.glob("**/locale/tr/LC_MESSAGES/django.po"))


def test_there_is_a_turkish_catalogue():
    assert catalogues()


@pytest.mark.parametrize("path", catalogues(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_every_turkish_entry_is_translated_and_none_is_fuzzy(path):
    po = polib.pofile(str(path))
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


@pytest.mark.parametrize("path", catalogues(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_turkish_translations_keep_the_placeholders_of_the_english_text(path):
    import re

    placeholder = re.compile(r"%\(\w+\)[sd]|\{\w*\}")
    for entry in polib.pofile(str(path)).translated_entries():
        singular = set(placeholder.findall(entry.msgid))
        if not entry.msgid_plural:
            expected = sorted(placeholder.findall(entry.msgid))
            assert sorted(placeholder.findall(entry.msgstr)) == expected, entry.msgid
            continue
        # Turkish has two forms (n > 1): the first is the singular's, which may also name the
        # count the English singular leaves out; the second is the plural's.
        plural = set(placeholder.findall(entry.msgid_plural))
        first, second = entry.msgstr_plural[0], entry.msgstr_plural[1]
        assert singular <= set(placeholder.findall(first)) <= singular | plural, entry.msgid
        assert set(placeholder.findall(second)) == plural, entry.msgid_plural


@pytest.mark.needs_tool("xgettext")
def test_no_string_in_the_code_is_missing_from_the_turkish_catalogues(tmp_path):
    """Extract the strings again from a copy of the code and compare with the catalogues."""
    copy = tmp_path / "kaynak"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    known: set[str] = set()
    for path in catalogues():
        known |= {e.msgid for e in polib.pofile(str(path)).translated_entries()}
    for locale_dir in sorted(copy.glob("**/locale")):
        subprocess.run(
            [
                sys.executable,
                "-m",
                "django",
                "makemessages",
                "-l",
                "tr",
                "--no-location",
                "-i",
                "*/tests/*",
                "-i",
                "tests/*",
                "-i",
                "browser_tests/*",
            ],
            cwd=locale_dir.parent,
            env={
                "DJANGO_SETTINGS_MODULE": "kaynak.settings",
                "PATH": "/usr/bin:/bin",
                "PYTHONPATH": str(settings.BASE_DIR),
                # Run from inside an app folder: its rules.py must not hide the rules library.
                "PYTHONSAFEPATH": "1",
            },
            check=True,
            capture_output=True,
        )
    extracted: set[str] = set()
    for path in copy.glob("**/locale/tr/LC_MESSAGES/django.po"):
        extracted |= {e.msgid for e in polib.pofile(str(path)) if e.msgid and not e.obsolete}
    assert sorted(extracted - known) == []
