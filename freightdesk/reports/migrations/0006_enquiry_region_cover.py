"""Origins by region: a covering index led by the region, so SQLite's planner, which likes to skip-scan
``enquiry_region_at (pickup_region, at)`` for a GROUP BY region and then reads every row for its outcome,
finds the same order with the outcome in the index (no row look-ups). Plain SQL, as in 0003."""

from django.db import migrations

NAME = "report_enquiry_region"


class Migration(migrations.Migration):

    dependencies = [
        ("reports", "0005_pickup_deadline_cover"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {NAME} ON orders_enquiry (pickup_region_id, at, outcome, agent_id)",
            reverse_sql=f"DROP INDEX IF EXISTS {NAME}",
        ),
    ]
