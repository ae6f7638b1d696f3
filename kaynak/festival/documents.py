"""The festival's PDFs (WeasyPrint, fonts through kaynak.core.printing): badges with a QR code
of their check-in address, and the programme booklet."""

from __future__ import annotations

from collections.abc import Iterable

from django.template.loader import render_to_string
from django.urls import reverse

from kaynak.core.models import CenterSettings
from kaynak.core.printing import font_uri
from kaynak.festival import queries
from kaynak.festival.models import Badge, Festival
from kaynak.programmes.certificates import qr_svg
from kaynak.programmes.links import absolute

# A6 one badge a page, or four A6 badges on an A4 page (cut along the lines).
LAYOUTS = ("a6", "a4")


def check_in_url(badge: Badge) -> str:
    """What a badge's QR code opens: the staff check-in of its code."""
    return absolute(
        reverse(
            "festival:staff-check-in-code",
            kwargs={"slug": badge.festival.slug, "code": badge.code},
        )
    )


def _fonts() -> dict[str, str]:
    return {
        "font_regular": font_uri("DejaVuSans.ttf"),
        "font_bold": font_uri("DejaVuSans-Bold.ttf"),
    }


def badges_html(festival: Festival, badges: Iterable[Badge], layout: str = "a6") -> str:
    items = [{"badge": badge, "qr": qr_svg(check_in_url(badge))} for badge in badges]
    pages = [items[n : n + 4] for n in range(0, len(items), 4)] if layout == "a4" else []
    return render_to_string(
        "festival/pdf/badges.html",
        {
            "festival": festival,
            "items": items,
            "pages": pages,
            "layout": layout if layout in LAYOUTS else "a6",
            **_fonts(),
        },
    )


def booklet_html(festival: Festival) -> str:
    sessions = list(queries.programme_sessions(festival))
    venues = queries.venues_of(festival)
    return render_to_string(
        "festival/pdf/booklet.html",
        {
            "festival": festival,
            "center_name": CenterSettings.current().name,
            "days": queries.grid(festival, sessions, venues),
            "participations": list(queries.participations(festival)),
            **_fonts(),
        },
    )
