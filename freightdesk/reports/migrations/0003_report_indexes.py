"""Indexes the reports need (issue 7, part 2), including on other apps' tables.

The indexes on orders, tickets, dispatch, surveys and quality tables are created here with plain SQL
(valid on SQLite and PostgreSQL) so that those apps' migration graphs are not touched; they are not in
those models' ``Meta`` (Django's state does not need them: nothing refers to them by name). Each covers
one report's query, so a period is read from the index alone (column order: the range column first, then
what the report filters, groups and counts on). See reports/README.md "Indexes".
"""

from django.db import migrations, models

# name -> (table, columns, partial condition)
REPORT_INDEXES = {
    # orders by channel and status; pickup deadline backfill (orders of a period without a deadline)
    "report_order_period": ("orders_order", "created_at, channel, status, pickup_region_id, taken_by_id", ""),
    # review compliance: web/platform orders only (those with a review deadline)
    "report_order_review": ("orders_order",
                            "created_at, claimed_by_id, status, review_due_at, confirmed_at, pickup_region_id",
                            "review_due_at IS NOT NULL"),
    # shipping origins
    "report_enquiry_period": ("orders_enquiry", "at, pickup_region_id, outcome, agent_id", ""),
    # complaints and suggestions (category IN (complaint, suggestion) AND created_at in the period)
    "report_ticket_complaints": ("tickets_ticket",
                                 "category, created_at, subcategory, status, driver_id, agent_id, order_id", ""),
    # SLA compliance per category
    "report_ticket_sla": ("tickets_ticket", "created_at, category, subcategory, due_at, resolved_at, handler_id",
                          "due_at IS NOT NULL"),
    "report_dispatch_period": ("dispatch_dispatch", "dispatched_at, agent_code, missed, agent_id, region_id", ""),
    "report_survey_answered": ("surveys_survey", "answered_at", "answered_at IS NOT NULL"),
    "report_callreview_period": ("quality_callreview", "reviewed_at, agent_id", ""),
}


def _create(name, table, columns, where):
    return f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({columns})" + (f" WHERE {where}" if where else "")


class Migration(migrations.Migration):

    dependencies = [
        ('network', '0004_seed_prohibited_exceptions'),
        ('orders', '0003_customer_sms_templates'),
        ('reports', '0002_pickupdeadline_picked_up_at_pickupdeadline_status'),
        ('tickets', '0003_queue_due_at'),
        ('dispatch', '0001_initial'),
        ('surveys', '0002_initial'),
        ('quality', '0002_initial'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='pickupdeadline',
            name='pickup_deadline_created',
        ),
        migrations.AddIndex(
            model_name='pickupdeadline',
            index=models.Index(fields=['created_at', 'status', 'region', 'driver', 'due_at', 'picked_up_at'], name='pickup_deadline_period'),
        ),
        migrations.AddIndex(
            model_name='pickupdeadline',
            index=models.Index(condition=models.Q(('picked_up_at__isnull', True)), fields=['created_at'], name='pickup_deadline_open'),
        ),
        *[migrations.RunSQL(_create(name, *spec), reverse_sql=f"DROP INDEX IF EXISTS {name}")
          for name, spec in REPORT_INDEXES.items()],
    ]
