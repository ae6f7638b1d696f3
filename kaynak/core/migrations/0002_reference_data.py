"""Load Turkey's reference data: regions, 81 provinces, themes, applicant types, countries, currencies."""

import gettext

import pycountry
from django.db import migrations

from kaynak.core import reference_data as ref
from kaynak.core.text import search_key


def _ascii(name):
    return name.translate(str.maketrans("çÇğĞıİöÖşŞüÜ", "cCgGiIoOsSuU"))


def load(apps, schema_editor):
    Region = apps.get_model("core", "Region")
    Province = apps.get_model("core", "Province")
    Theme = apps.get_model("core", "Theme")
    ApplicantType = apps.get_model("core", "ApplicantType")
    Country = apps.get_model("core", "Country")
    Currency = apps.get_model("core", "Currency")

    for code, name_tr, name_en in ref.REGIONS:
        Region.objects.update_or_create(
            code=code,
            defaults={
                "name_tr": name_tr,
                "name_en": name_en,
                "search_text": search_key(f"{name_tr} {name_en} {code}"),
            },
        )
    for plate, name, region in ref.PROVINCES:
        Province.objects.update_or_create(
            plate_code=plate,
            defaults={
                "name": name,
                "name_en": ref.PROVINCE_NAMES_EN.get(plate, name),
                "name_ascii": _ascii(name),
                "search_text": search_key(f"{name} {plate:02d}"),
                "region_id": region,
            },
        )
    for position, (slug, name_tr, name_en) in enumerate(ref.THEMES):
        Theme.objects.update_or_create(
            slug=slug,
            defaults={
                "name_tr": name_tr,
                "name_en": name_en,
                "position": position,
                "search_text": search_key(f"{name_tr} {name_en} {slug}"),
            },
        )
    for position, (slug, name_tr, name_en) in enumerate(ref.APPLICANT_TYPES):
        ApplicantType.objects.update_or_create(
            slug=slug,
            defaults={
                "name_tr": name_tr,
                "name_en": name_en,
                "position": position,
                "search_text": search_key(f"{name_tr} {name_en} {slug}"),
            },
        )

    countries_tr = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["tr"])
    countries = [
        (c.alpha_2, countries_tr.gettext(c.name), getattr(c, "common_name", c.name))
        for c in pycountry.countries
    ] + list(ref.EXTRA_COUNTRIES)
    Country.objects.bulk_create(
        [
            Country(code=code, name_tr=tr, name_en=en, search_text=search_key(f"{tr} {en} {code}"))
            for code, tr, en in countries
        ],
        ignore_conflicts=True,
    )
    currencies_tr = gettext.translation("iso4217", pycountry.LOCALES_DIR, languages=["tr"])
    Currency.objects.bulk_create(
        [
            Currency(
                code=c.alpha_3,
                name_en=c.name,
                name_tr=currencies_tr.gettext(c.name),
                search_text=search_key(f"{currencies_tr.gettext(c.name)} {c.name} {c.alpha_3}"),
            )
            for c in pycountry.currencies
        ],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
