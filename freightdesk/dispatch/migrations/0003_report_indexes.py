"""The index the dispatch compliance report reads, owned here.

Where the best index differs by database, which Meta cannot say, it is plain SQL here: SQLite skip-scans
the few distinct values of a leading column, so there the index starts with the column the report groups
on and the rows come out in group order (no sort); PostgreSQL has no skip scan, so there the period comes
first, with id last for index-only scans.
A database that already has it (from the reports' earlier migrations) gets it dropped and created again.
"""

from django.db import migrations

# name -> "table (columns)"
SQLITE = {"report_dispatch_agent": "dispatch_dispatch (agent_code, agent_id, dispatched_at, missed, region_id)"}
POSTGRESQL = {"report_dispatch_period": "dispatch_dispatch (dispatched_at, agent_code, missed, agent_id, region_id, id)"}


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
    dependencies = [("dispatch", "0002_driverlink")]

    operations = [migrations.RunPython(_create, _drop)]
