"""The driver's link belongs to dispatch, which issues it (tracking reads it): the model moves here and its table
is renamed."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("dispatch", "0001_initial"),
        ("network", "0002_seed_prohibited_goods"),
        ("orders", "0001_initial"),
        ("tracking", "0003_followups_move"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="DriverLink",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("token", models.CharField(max_length=24, unique=True)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("expires_at", models.DateTimeField()),
                        ("last_used_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "driver",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to="network.driver",
                            ),
                        ),
                        (
                            "order",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="driver_links",
                                to="orders.order",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "driver link",
                        "verbose_name_plural": "driver links",
                        "db_table": "tracking_driverlink",
                    },
                ),
            ]
        ),
        migrations.AlterModelTable(name="driverlink", table=None),
    ]
