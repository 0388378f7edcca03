"""PostgreSQL variants of the report indexes on other apps' tables.

PostgreSQL has no skip scan, so 0007's indexes led by channel/agent/category cannot serve a date range
there (the planner fell back to parallel sequential and bitmap heap scans), and its indexes do not carry
the row id the way SQLite's carry the rowid, so ``COUNT(id)`` needed the table. On PostgreSQL only: the
period-first indexes of 0003 are rebuilt with ``id`` as their last column (index-only scans; a
HashAggregate needs no sorted input), and 0006/0007's group-first ones on those tables are dropped.
SQLite keeps 0003/0006/0007 as they are."""

from importlib import import_module

from django.db import migrations

GROUP_FIRST = ("report_order_channel_status", "report_dispatch_agent", "report_ticket_sla_type",
               "report_enquiry_region")
WITH_ID = ("report_order_period", "report_order_review", "report_enquiry_period", "report_ticket_complaints",
           "report_ticket_sla", "report_dispatch_period", "report_callreview_period")


def _earlier():
    return (import_module("freightdesk.reports.migrations.0003_report_indexes"),
            import_module("freightdesk.reports.migrations.0007_grouped_covering_indexes"))


def postgres_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    first, _seventh = _earlier()
    for name in WITH_ID:
        table, columns, where = first.REPORT_INDEXES[name]
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
        schema_editor.execute(first._create(name, table, f"{columns}, id", where))
    for name in GROUP_FIRST:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def back_to_0007(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    first, seventh = _earlier()
    for name in WITH_ID:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    replaced = {spec[3] for spec in seventh.REPLACED.values()}
    for name in WITH_ID:
        if name not in replaced:
            schema_editor.execute(first._create(name, *first.REPORT_INDEXES[name]))
    for name, (table, columns, where, _old) in seventh.REPLACED.items():
        schema_editor.execute(first._create(name, table, columns, where))
    schema_editor.execute("CREATE INDEX IF NOT EXISTS report_enquiry_region "
                          "ON orders_enquiry (pickup_region_id, at, outcome, agent_id)")


class Migration(migrations.Migration):

    dependencies = [
        ("reports", "0007_grouped_covering_indexes"),
    ]

    operations = [
        migrations.RunPython(postgres_indexes, back_to_0007),
    ]
