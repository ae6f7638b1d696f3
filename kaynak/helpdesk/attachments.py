"""Which files the support desk accepts, decided by what the bytes are, not by their name.

Accepted: PDF, PNG/JPEG/GIF/WebP images, Office and OpenDocument files, RTF and plain text.
Refused: anything else — executables, scripts, HTML and SVG (they run code in a browser),
archives (they hide what they carry) — and anything over ``HELPDESK_MAX_ATTACHMENT_BYTES``
(default 10 MB). A name that says "executable" is refused as well, even when the bytes look
harmless (a ``.bat`` file is plain text).
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _

from kaynak.helpdesk.mailin import OOXML_TYPES
from kaynak.helpdesk.models import Attachment, InternalNote, Message

DEFAULT_MAX_BYTES = 10 * 1024 * 1024

DANGEROUS_SUFFIXES = frozenset(
    {
        ".exe",
        ".com",
        ".scr",
        ".msi",
        ".bat",
        ".cmd",
        ".ps1",
        ".vbs",
        ".vbe",
        ".js",
        ".jse",
        ".wsf",
        ".wsh",
        ".hta",
        ".jar",
        ".sh",
        ".py",
        ".pl",
        ".lnk",
        ".dll",
        ".cpl",
        ".reg",
        ".iso",
        ".img",
        ".apk",
        ".app",
        ".html",
        ".htm",
        ".svg",
        ".xhtml",
    }
)


@dataclass(frozen=True)
class Verdict:
    """What a file is and whether it may be kept; ``reason`` is shown to the sender."""

    accepted: bool
    content_type: str
    reason: str = ""


def max_bytes() -> int:
    return int(getattr(settings, "HELPDESK_MAX_ATTACHMENT_BYTES", DEFAULT_MAX_BYTES))


def _zip_type(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                # At most 100 bytes: a "mimetype" entry that inflates to gigabytes (a zip
                # bomb) is never read whole.
                with archive.open("mimetype") as entry:
                    declared = entry.read(100).decode("ascii", "replace").strip()
                if declared.startswith("application/vnd.oasis.opendocument."):
                    return declared
            if "[Content_Types].xml" in names:
                for folder, content_type in OOXML_TYPES.items():
                    if any(name.startswith(folder) for name in names):
                        return content_type
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    return None


def _text_type(data: bytes) -> str | None:
    if b"\x00" in data:
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1254")  # Turkish Windows text files
        except UnicodeDecodeError:
            return None
    head = text.lstrip()[:1024].lower()
    if head.startswith("#!") or any(
        marker in head for marker in ("<script", "<html", "<!doctype", "<svg", "<?xml")
    ):
        return None
    return "text/plain"


def sniff(data: bytes) -> str | None:
    """The content type the bytes show, among the accepted ones; None when not accepted."""
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if data.startswith(b"RIFF") and data[8:12] == b"WEBP":
        return "image/webp"
    if data.startswith(b"PK\x03\x04"):
        return _zip_type(data)
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "application/vnd.ms-office"  # .doc / .xls / .ppt
    if data.startswith(b"{\\rtf"):
        return "application/rtf"
    if data.startswith(
        (b"MZ", b"\x7fELF", b"\xfe\xed\xfa", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe")
    ):
        return None  # Windows, Linux and macOS executables, Java classes
    return _text_type(data)


def check(name: str, data: bytes) -> Verdict:
    """Whether a file named ``name`` with these bytes may be kept, and as what type."""
    limit = max_bytes()
    if len(data) > limit:
        return Verdict(
            False,
            "",
            str(
                _("%(name)s is larger than %(limit)d MB.")
                % {"name": name, "limit": limit // (1024 * 1024)}
            ),
        )
    content_type = sniff(data)
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if content_type is None or suffix in DANGEROUS_SUFFIXES:
        return Verdict(
            False,
            content_type or "application/octet-stream",
            str(
                _(
                    "%(name)s was not accepted: we take PDF, images, office documents and "
                    "plain text only."
                )
                % {"name": name}
            ),
        )
    return Verdict(True, content_type)


def clean_name(name: str) -> str:
    """A file name to show and to offer on download: no folders, no control characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable()).strip(" .")
    return base[:200] or "attachment"


def store(
    *,
    name: str,
    data: bytes,
    content_type: str,
    message: Message | None = None,
    note: InternalNote | None = None,
) -> Attachment:
    """Save an accepted file on a message or a note (callers ``check`` it first)."""
    digest = hashlib.sha256(data).hexdigest()
    attachment = Attachment(
        message=message,
        note=note,
        name=clean_name(name),
        content_type=content_type,
        size=len(data),
        sha256=digest,
    )
    attachment.file.save(digest, ContentFile(data), save=False)
    attachment.save()
    return attachment
