"""The default capacity-assessment instrument, "Kaynak Örgütsel Kapasite Aracı" v1, from its
data file (kaynak/coaching/instrument_data/kaynak-kapasite-v1.json)."""

from typing import Any

from django.db import migrations

from kaynak.coaching import instrument_data


def install_default(apps: Any, schema_editor: Any) -> None:
    data = instrument_data.read()
    Instrument = apps.get_model("coaching", "Instrument")
    if Instrument.objects.filter(slug=data["slug"], version=data["version"]).exists():
        return
    instrument_data.install(
        data,
        instrument_model=Instrument,
        dimension_model=apps.get_model("coaching", "Dimension"),
        indicator_model=apps.get_model("coaching", "Indicator"),
    )


def remove_default(apps: Any, schema_editor: Any) -> None:
    data = instrument_data.read()
    Instrument = apps.get_model("coaching", "Instrument")
    # An instrument with assessments is protected (PROTECT): reversing then fails loudly
    # rather than deleting anyone's answers.
    Instrument.objects.filter(slug=data["slug"], version=data["version"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("coaching", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(install_default, remove_default),
    ]
