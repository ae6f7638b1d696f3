"""The reach summary's people and delivery tables (``ReachPerson``, ``DeliveryCell``), then the
triggers re-installed with the statements that keep them and the whole summary refilled."""

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from kaynak.ledger import summary


def install(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    # summary.rebuild drops the triggers, refills every table and installs them again — once
    # the tables of later migrations exist too (0008, which then does it; see 0006).
    if summary.tables_exist(schema_editor.connection):
        summary.rebuild(schema_editor.connection)


def uninstall(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    # Back to 0006: the triggers go (they write to the tables about to be dropped); migrating
    # forward again installs them. ``kaynak ledger rebuild-summary`` with the code of 0006
    # would reinstall the older ones.
    summary.drop_triggers(schema_editor.connection)


# PostgreSQL only: everyone reached over a range of quarters (summary.distinct_count with no
# filter) is counted from QuarterOrganisation / QuarterPerson. SQLite counts it along their
# primary key (subject, quarter) without sorting, and would pick a (quarter, subject) index
# there and be slower (measured on a million deliveries: 13 ms → 56 ms for four years);
# PostgreSQL sorts for COUNT(DISTINCT) either way, so reading only the range's rows wins
# (2025: 21 ms → 11 ms). Not in the models' Meta, where every database would get it.
RANGE_INDEXES = {
    "ledger_quarterorganisation_range": ("ledger_quarterorganisation", "organisation_id"),
    "ledger_quarterperson_range": ("ledger_quarterperson", "person_id"),
}


def add_range_indexes(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for name, (table, subject) in RANGE_INDEXES.items():
            schema_editor.execute(f"CREATE INDEX {name} ON {table} (quarter, {subject})")


def drop_range_indexes(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for name in RANGE_INDEXES:
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0006_reach_summary_triggers"),
    ]

    operations = [
        migrations.CreateModel(
            name="DeliveryCell",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "quarter",
                        "kind_id",
                        "province",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("kind_id", models.IntegerField()),
                ("province", models.IntegerField()),
                ("quarter", models.IntegerField()),
                ("deliveries", models.IntegerField()),
                ("hour_hundredths", models.BigIntegerField()),
            ],
        ),
        migrations.CreateModel(
            name="ReachPerson",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "person_id",
                        "kind_id",
                        "province",
                        "theme",
                        "quarter",
                        blank=True,
                        editable=False,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("person_id", models.IntegerField()),
                ("kind_id", models.IntegerField()),
                ("province", models.IntegerField()),
                ("theme", models.IntegerField()),
                ("quarter", models.IntegerField()),
                ("deliveries", models.IntegerField()),
            ],
            options={
                "indexes": [
                    models.Index(
                        fields=["kind_id", "quarter", "person_id", "province", "theme"],
                        name="ledger_reachperson_kind",
                    )
                ],
            },
        ),
        migrations.AddIndex(
            model_name="reachmember",
            index=models.Index(
                fields=["kind_id", "quarter", "organisation_id", "province", "theme"],
                name="ledger_reachmember_kind",
            ),
        ),
        migrations.RunPython(add_range_indexes, drop_range_indexes),
        migrations.RunPython(install, uninstall),
    ]
