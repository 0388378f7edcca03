"""The indexes the reports read on the tickets' table, owned here.

The indexes in the models' Meta are the same on both databases: each is dropped (if a database already has it,
from the reports' earlier migrations) and created again by the same name, so every database ends with the
Meta definition. On SQLite the trailing id only repeats the rowid every index entry carries anyway.

Where the best index differs by database, which Meta cannot say, it is plain SQL here: SQLite skip-scans
the few distinct values of a leading column, so there the index starts with the column the report groups
on and the rows come out in group order (no sort); PostgreSQL has no skip scan, so there the period comes
first, with id last for index-only scans.
"""

from django.db import migrations, models

# name -> "table (columns) WHERE ..."; the SLA report
SQLITE = {
    "report_ticket_sla_type": (
        "tickets_ticket (category, subcategory, created_at, due_at, resolved_at, handler_id) WHERE due_at IS NOT NULL"
    ),
}
POSTGRESQL = {
    "report_ticket_sla": (
        "tickets_ticket (created_at, category, subcategory, due_at, resolved_at, handler_id, id) WHERE due_at IS NOT NULL"
    ),
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
        ('tickets', '0005_due_board_index'),
    ]

    operations = [
        migrations.RunSQL("DROP INDEX IF EXISTS report_ticket_complaints", reverse_sql=migrations.RunSQL.noop),
        migrations.AddIndex(
            model_name='ticket',
            index=models.Index(fields=['category', 'created_at', 'subcategory', 'status', 'driver', 'agent', 'order', 'id'], name='report_ticket_complaints'),
        ),
        migrations.RunPython(_create, _drop),
    ]
