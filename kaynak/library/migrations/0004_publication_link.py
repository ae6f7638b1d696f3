"""A publication may be a link instead of a PDF (``Resource.link_url``).

On SQLite, adding a column remakes the table, and the triggers that keep the full-text index
(0002_search_index) in step go with the old table: they are made again here. The index's rows
are keyed by the resources' ids, which the remade table keeps.
"""

from django.db import migrations, models

from kaynak.library.migrations import _search_triggers


class Migration(migrations.Migration):
    dependencies = [
        ("library", "0003_labels"),
    ]

    operations = [
        migrations.AddField(
            model_name="resource",
            name="link_url",
            field=models.URLField(
                blank=True,
                help_text="For publications kept elsewhere: the address where they can be read.",
                verbose_name="web address",
            ),
        ),
        migrations.RunPython(_search_triggers.recreate, migrations.RunPython.noop),
    ]
