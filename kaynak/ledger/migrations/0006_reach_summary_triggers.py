"""The triggers that keep the reach summary (0005) in step with the ledger, and the summary
filled from the deliveries already recorded."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from kaynak.ledger import summary


def install(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    # The triggers are written by today's ``kaynak.ledger.summary``, which also keeps the tables
    # of later migrations (0007: ReachPerson, DeliveryCell; 0008: the quarter masks): on a new
    # database those do not exist yet here, and the last one installs the triggers and fills
    # the summary instead.
    if summary.tables_exist(schema_editor.connection):
        summary.rebuild(schema_editor.connection)


def uninstall(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    summary.drop_triggers(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0005_reach_summary"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
