"""The demo center's identity."""

from __future__ import annotations

from kaynak.core.demo import DemoContext
from kaynak.core.models import CenterSettings


def build(context: DemoContext) -> None:
    CenterSettings.objects.update_or_create(
        pk=1,
        defaults={
            "name_tr": "Sivil Toplum Kaynak Merkezi",
            "name_en": "Civil Society Resource Center",
            "tagline_tr": "Sivil toplum kuruluşlarını güçlendiren eğitim, destek ve fon bilgisi.",
            "tagline_en": "Training, support and funding information that make NGOs stronger.",
            "about_tr": (
                "Kaynak Merkezi; dernekler, vakıflar ve gayriresmi gruplar için ücretsiz "
                "eğitimler düzenler, destek hattında sorularını yanıtlar, birebir mentorluk "
                "sunar ve her hafta fon fırsatlarını tarayıp duyurur."
            ),
            "about_en": (
                "The resource center runs free trainings for associations, foundations and "
                "informal groups, answers their questions at the support desk, offers one-to-one "
                "coaching, and scans and announces funding opportunities every week."
            ),
            "email": "bilgi@kaynak.example",
            "phone": "+90 312 000 00 00",
            "address": "Kızılay Mah. Örnek Sok. No: 1\n06420 Çankaya / Ankara",
            "website": "https://kaynak.example",
        },
    )
    context.count("center settings", 1)
