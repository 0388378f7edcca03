"""The indexes the reports read on the orders' tables, owned here.

The indexes in the models' Meta are the same on both databases: each is dropped (if a database already has it,
from the reports' earlier migrations) and created again by the same name, so every database ends with the
Meta definition. On SQLite the trailing id only repeats the rowid every index entry carries anyway.

Where the best index differs by database, which Meta cannot say, it is plain SQL here: SQLite skip-scans
the few distinct values of a leading column, so there the index starts with the column the report groups
on and the rows come out in group order (no sort); PostgreSQL has no skip scan, so there the period comes
first, with id last for index-only scans.
"""

from django.db import migrations, models

# name -> "table (columns)"
SQLITE = {
    "report_order_channel_status": "orders_order (channel, status, created_at, pickup_region_id, taken_by_id)",
    "report_enquiry_region": "orders_enquiry (pickup_region_id, at, outcome, agent_id)",  # origins by region
}
POSTGRESQL = {
    "report_order_period": "orders_order (created_at, channel, status, pickup_region_id, taken_by_id, id)",
}


def _create(apps, schema_editor):
    wanted, unwanted = (POSTGRESQL, SQLITE) if schema_editor.connection.vendor == "postgresql" else (SQLITE, POSTGRESQL)
    for name in unwanted:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    for name, definition in wanted.items():
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
        schema_editor.execute(f"CREATE INDEX {name} ON {definition}")


def _drop(apps, schema_editor):
    for name in {**SQLITE, **POSTGRESQL}:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ('orders', '0003_customer_sms_templates'),
    ]

    operations = [
        migrations.RunSQL("DROP INDEX IF EXISTS report_enquiry_period", reverse_sql=migrations.RunSQL.noop),
        migrations.RunSQL("DROP INDEX IF EXISTS report_order_review", reverse_sql=migrations.RunSQL.noop),
        migrations.AddIndex(
            model_name='enquiry',
            index=models.Index(fields=['at', 'pickup_region', 'outcome', 'agent', 'id'], name='report_enquiry_period'),
        ),
        migrations.AddIndex(
            model_name='order',
            index=models.Index(condition=models.Q(('review_due_at__isnull', False)), fields=['created_at', 'claimed_by', 'status', 'review_due_at', 'confirmed_at', 'pickup_region', 'id'], name='report_order_review'),
        ),
        migrations.RunPython(_create, _drop),
    ]
