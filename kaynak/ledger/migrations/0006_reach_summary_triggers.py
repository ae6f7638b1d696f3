"""The triggers that keep the reach summary (0005) in step with the ledger, and the summary
filled from the deliveries already recorded."""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

from kaynak.ledger import summary


def install(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    summary.rebuild(schema_editor.connection)


def uninstall(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    summary.drop_triggers(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0005_reach_summary"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
