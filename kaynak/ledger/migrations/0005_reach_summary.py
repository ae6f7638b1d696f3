# The reach summary's tables (kaynak.ledger.summary); the triggers that fill them are in 0006.
# (The name is the one another migration already depends on.)

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0004_reach_indexes"),
    ]

    operations = [
        migrations.CreateModel(
            name="QuarterTotal",
            fields=[
                ("quarter", models.IntegerField(primary_key=True, serialize=False)),
                ("organisations", models.IntegerField(default=0)),
                ("people", models.IntegerField(default=0)),
                ("deliveries", models.IntegerField(default=0)),
            ],
        ),
        migrations.CreateModel(
            name="QuarterOrganisation",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "organisation_id", "quarter", blank=True, editable=False, serialize=False
                    ),
                ),
                ("organisation_id", models.IntegerField()),
                ("quarter", models.IntegerField()),
                ("deliveries", models.IntegerField()),
            ],
        ),
        migrations.CreateModel(
            name="QuarterPerson",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "person_id", "quarter", blank=True, editable=False, serialize=False
                    ),
                ),
                ("person_id", models.IntegerField()),
                ("quarter", models.IntegerField()),
                ("deliveries", models.IntegerField()),
            ],
        ),
        migrations.CreateModel(
            name="ReachCell",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "quarter",
                        "kind_id",
                        "province",
                        "theme",
                        blank=True,
                        editable=False,
                        serialize=False,
                    ),
                ),
                ("kind_id", models.IntegerField()),
                ("province", models.IntegerField()),
                ("theme", models.IntegerField()),
                ("quarter", models.IntegerField()),
                ("organisations", models.IntegerField()),
            ],
        ),
        migrations.CreateModel(
            name="ReachMember",
            fields=[
                (
                    "pk",
                    models.CompositePrimaryKey(
                        "organisation_id",
                        "kind_id",
                        "province",
                        "theme",
                        "quarter",
                        blank=True,
                        editable=False,
                        serialize=False,
                    ),
                ),
                ("organisation_id", models.IntegerField()),
                ("kind_id", models.IntegerField()),
                ("province", models.IntegerField()),
                ("theme", models.IntegerField()),
                ("quarter", models.IntegerField()),
                ("deliveries", models.IntegerField()),
            ],
        ),
    ]
