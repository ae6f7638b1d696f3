"""The reach summary's quarter masks (``OrganisationQuarters``, ``PersonQuarters``), then the
triggers re-installed with the statements that keep them and the whole summary refilled."""

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from kaynak.ledger import summary


def install(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    # summary.rebuild drops the triggers, refills every table and installs them again.
    summary.rebuild(schema_editor.connection)


def uninstall(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    # Back to 0007: the triggers go (they write to the tables about to be dropped);
    # ``kaynak ledger rebuild-summary`` with the code of 0007 reinstalls its own.
    summary.drop_triggers(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0007_reach_summary_people"),
    ]

    operations = [
        migrations.CreateModel(
            name="OrganisationQuarters",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "organisation_id",
                        "kind",
                        "epoch",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("organisation_id", models.IntegerField()),
                ("kind", models.IntegerField()),
                ("epoch", models.IntegerField()),
                ("quarters", models.BigIntegerField()),
            ],
            options={
                "indexes": [
                    models.Index(
                        fields=["kind", "epoch", "organisation_id", "quarters"],
                        name="ledger_orgquarters_kind",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="PersonQuarters",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "person_id",
                        "kind",
                        "epoch",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("person_id", models.IntegerField()),
                ("kind", models.IntegerField()),
                ("epoch", models.IntegerField()),
                ("quarters", models.BigIntegerField()),
            ],
            options={
                "indexes": [
                    models.Index(
                        fields=["kind", "epoch", "person_id", "quarters"],
                        name="ledger_personquarters_kind",
                    )
                ],
            },
        ),
        migrations.RunPython(install, uninstall),
    ]
