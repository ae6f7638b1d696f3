"""The two queues of the demo and of a new installation — "Destek Noktası" (support desk) and
"AB Destek Birimi" (EU Support Unit) — and their categories with the themes each maps to.
Centers rename them, add their own or switch them off in the admin; slugs are stable."""

from django.db import migrations

QUEUES = [
    # slug, Turkish, English, kind, token prefix, default queue
    ("destek-noktasi", "Destek Noktası", "Support Desk", "support", "DN", True),
    ("ab-destek-birimi", "AB Destek Birimi", "EU Support Unit", "eu-support", "AB", False),
]

# slug, Turkish, English, theme slugs
CATEGORIES = [
    ("legal", "Mevzuat ve hukuk", "Legal", ["civil-society", "human-rights"]),
    ("finance-tax", "Mali işler ve vergi", "Finance and tax", ["civil-society"]),
    ("fundraising", "Kaynak geliştirme ve yardım toplama", "Fundraising", ["civil-society"]),
    ("project-management", "Proje yönetimi", "Project management", ["civil-society"]),
    ("eu-grant-rules", "AB hibe kuralları", "EU grant rules", ["civil-society"]),
    ("digital", "Dijital araçlar", "Digital", ["civil-society", "media"]),
    ("communication", "İletişim", "Communication", ["media"]),
    ("other", "Diğer", "Other", []),
]
EU_CATEGORIES = ["eu-grant-rules", "project-management", "finance-tax", "other"]


def load(apps, schema_editor):
    Queue = apps.get_model("helpdesk", "Queue")
    Category = apps.get_model("helpdesk", "Category")
    Theme = apps.get_model("core", "Theme")
    for position, (slug, name_tr, name_en, kind, prefix, is_default) in enumerate(QUEUES):
        queue, _created = Queue.objects.get_or_create(
            slug=slug,
            defaults={
                "name_tr": name_tr,
                "name_en": name_en,
                "kind": kind,
                "token_prefix": prefix,
                "is_default": is_default,
                "position": position,
            },
        )
        for category_position, (cat_slug, cat_tr, cat_en, themes) in enumerate(CATEGORIES):
            if kind == "eu-support" and cat_slug not in EU_CATEGORIES:
                continue
            category, _created = Category.objects.get_or_create(
                queue=queue,
                slug=cat_slug,
                defaults={"name_tr": cat_tr, "name_en": cat_en, "position": category_position},
            )
            category.themes.set(Theme.objects.filter(slug__in=themes))


class Migration(migrations.Migration):
    dependencies = [("helpdesk", "0001_initial"), ("core", "0002_reference_data")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
