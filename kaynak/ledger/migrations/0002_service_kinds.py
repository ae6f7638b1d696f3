"""The built-in service kinds; their slugs are stable (service apps record deliveries by slug)."""

from django.db import migrations

from kaynak.core.text import search_key

KINDS = [
    ("training", "Eğitim", "Training"),
    ("school", "Sivil toplum okulu", "Civil-society school"),
    ("webinar", "Webinar", "Webinar"),
    ("talk", "Söyleşi", "Talk"),
    ("festival", "Festival", "Festival"),
    ("support", "Destek talebi", "Support request"),
    ("eu-support", "AB projesi desteği", "EU project support"),
    ("coaching", "Mentorluk / koçluk", "Coaching"),
    ("academia", "STÖ–akademi işbirliği", "NGO–academia partnership"),
    ("funding-info", "Fon bilgilendirmesi", "Funding information"),
]


def load(apps, schema_editor):
    ServiceKind = apps.get_model("ledger", "ServiceKind")
    for position, (slug, name_tr, name_en) in enumerate(KINDS):
        ServiceKind.objects.update_or_create(
            slug=slug,
            defaults={
                "name_tr": name_tr,
                "name_en": name_en,
                "position": position,
                "search_text": search_key(f"{name_tr} {name_en} {slug}"),
            },
        )


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
