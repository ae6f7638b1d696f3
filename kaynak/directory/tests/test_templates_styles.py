"""The directory's pages take their looks from the one stylesheet (kaynak.css): no <style>
blocks, no style attributes. The Content Security Policy allows inline styles only with the
request's nonce, and one stylesheet is cached once for every page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import kaynak.directory

TEMPLATES = Path(kaynak.directory.__file__).parent / "templates"
STYLESHEET = Path(kaynak.directory.__file__).parents[1] / "portal/static/kaynak/kaynak.css"

INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.IGNORECASE)


def directory_templates() -> list[Path]:
    return sorted(TEMPLATES.rglob("*.html"))


def test_there_are_directory_templates_to_check():
    assert len(directory_templates()) > 20


@pytest.mark.parametrize(
    "template", directory_templates(), ids=lambda path: str(path.relative_to(TEMPLATES))
)
def test_a_directory_template_has_no_inline_style(template: Path):
    found = [
        f"line {number}: {line.strip()}"
        for number, line in enumerate(template.read_text(encoding="utf-8").splitlines(), 1)
        if INLINE_STYLE.search(line)
    ]
    assert found == []


def test_the_classes_the_directory_pages_are_laid_out_with_are_in_the_stylesheet():
    stylesheet = STYLESHEET.read_text(encoding="utf-8")
    for selector in (
        ".filters",
        ".toolbar",
        ".pagination",
        ".button-row",
        ".candidates",
        ".compare tr.differs",
        ".signal-against",
        ".mapping",
        "tr.has-error",
        "td.problem",
        "#id_themes",
    ):
        assert selector in stylesheet, selector
