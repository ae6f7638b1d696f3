"""What the PDFs (certificates, donor reports) share: the fonts they embed and the local files
WeasyPrint may read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

# DejaVu covers every Turkish letter (ı İ ş Ş ğ Ğ ç Ç ö Ö ü Ü); embedded from the system's
# files when present, else found by name through fontconfig.
FONT_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),
    Path("/usr/share/fonts/dejavu"),
    Path("/usr/share/fonts/TTF"),
    Path("/usr/local/share/fonts"),
)


def font_uri(name: str) -> str:
    """The ``file:`` URI of the font file ``name`` ("DejaVuSans.ttf"), "" when not found."""
    for directory in FONT_DIRS:
        path = directory / name
        if path.is_file():
            return path.as_uri()
    return ""


def file_uri(field_file: Any) -> str:
    """A stored file's (an image field's) ``file:`` URI for WeasyPrint, "" when there is none
    or the storage is not local."""
    if not field_file:
        return ""
    try:
        path = Path(field_file.path)
    except (ValueError, NotImplementedError):
        return ""
    return path.as_uri() if path.is_file() else ""


def pdf_from_html(html: str) -> bytes:
    """``html`` as a PDF. WeasyPrint may read local files and data: URIs only, so a PDF never
    fetches anything from the network; it is imported when a PDF is made, not at start-up."""
    import weasyprint

    fetcher = weasyprint.URLFetcher(allowed_protocols=("file", "data"))
    pdf: bytes = weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf()
    return pdf
