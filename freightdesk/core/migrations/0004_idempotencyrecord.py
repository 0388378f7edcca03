"""The Idempotency-Key record moves from the api app to core; its table stays as it is."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0003_seed_deadline_policies"),
        ("api", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="IdempotencyRecord",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("key", models.CharField(max_length=255, verbose_name="key")),
                        ("request_hash", models.CharField(max_length=64, verbose_name="request hash")),
                        ("status_code", models.PositiveSmallIntegerField(verbose_name="status code")),
                        ("response_body", models.JSONField(default=dict, verbose_name="response body")),
                        (
                            "created_at",
                            models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name="created at"),
                        ),
                        (
                            "user",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "idempotency record",
                        "verbose_name_plural": "idempotency records",
                        "db_table": "api_idempotencyrecord",
                        "constraints": [models.UniqueConstraint(fields=("user", "key"), name="uniq_idempotency_user_key")],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
