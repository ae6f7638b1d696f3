"""Render the PDF announcements of the corpus from their HTML sources with WeasyPrint.

    .venv/bin/python kaynak/radar/tests/corpus/make_pdfs.py

Each ``pdf-sources/NAME.html`` becomes ``NAME.pdf`` beside this script; the expected fields are
in ``NAME.json``. The PDFs are committed so the corpus needs no renderer to be scored.
"""

from __future__ import annotations

from pathlib import Path

from weasyprint import HTML

HERE = Path(__file__).resolve().parent


def main() -> None:
    for source in sorted((HERE / "pdf-sources").glob("*.html")):
        target = HERE / f"{source.stem}.pdf"
        HTML(filename=str(source)).write_pdf(str(target))
        print(target.name)


if __name__ == "__main__":
    main()
