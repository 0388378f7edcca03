"""Per-day summary rows (汇总表) of the report figures, one table per population, kept exact by database triggers
in the same transaction as every write to the rows they count (``rollups.py``), rebuilt by ``rebuild_rollups``.

A row is one local day (Asia/Shanghai, the day the report files it under) and one value of every dimension a
report groups or filters by; the measures are counts (and a sum of penalties). Dimensions are never NULL: a
missing driver, region or agent is 0, so the unique key works on both databases. Ids are plain integers, not
foreign keys: a summary row never blocks deleting or changing the row it summarises. Rows whose counts fell to
0 stay until the next rebuild of their days; the readers skip them.
"""

from django.db import models


class OrderDay(models.Model):
    """Orders placed on ``day`` (on-time pickup, orders by channel and status)."""

    day = models.DateField()
    channel = models.CharField(max_length=10)
    status = models.CharField(max_length=20)
    region_id = models.BigIntegerField()
    driver_id = models.BigIntegerField()
    taken_by_id = models.BigIntegerField()
    orders = models.IntegerField(default=0)
    pickup_orders = models.IntegerField(default=0)  # the on-time pickup population: clock started, not void
    on_time = models.IntegerField(default=0)
    late_picked = models.IntegerField(default=0)
    waiting = models.IntegerField(default=0)  # not picked up: late or pending, by the deadline and the reading time

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "channel", "status", "region_id", "driver_id", "taken_by_id"], name="order_day_key"
            )
        ]


class ReviewDay(models.Model):
    """Orders placed on ``day`` with a review deadline (核单), by who recorded the latest review outcome."""

    day = models.DateField()
    region_id = models.BigIntegerField()
    reviewer_id = models.BigIntegerField()
    orders = models.IntegerField(default=0)
    on_time = models.IntegerField(default=0)
    late_confirmed = models.IntegerField(default=0)
    awaiting = models.IntegerField(default=0)  # awaiting review and not confirmed late: late or pending by the time
    voided = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "region_id", "reviewer_id"], name="review_day_key")]


class EnquiryDay(models.Model):
    """Enquiries made on ``day`` (发货地分析)."""

    day = models.DateField()
    region_id = models.BigIntegerField()
    agent_id = models.BigIntegerField()
    outcome = models.CharField(max_length=12)
    enquiries = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "region_id", "agent_id", "outcome"], name="enquiry_day_key")
        ]


class ComplaintDay(models.Model):
    """Complaints and suggestions recorded on ``day``: validity, whom they are about, penalties."""

    day = models.DateField()
    category = models.CharField(max_length=12)
    subcategory = models.CharField(max_length=30)
    validity = models.CharField(max_length=10)  # recorded (待判定) | dismissed (无效) | valid (有效)
    target = models.CharField(max_length=8)  # driver | agent | company (company, other, not stated)
    driver_id = models.BigIntegerField()
    agent_id = models.BigIntegerField()
    region_id = models.BigIntegerField()  # the pickup region of the ticket's order
    responsible_driver_id = models.BigIntegerField()
    responsible_user_id = models.BigIntegerField()
    tickets = models.IntegerField(default=0)
    penalties = models.IntegerField(default=0)
    penalty_percent = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "day",
                    "category",
                    "subcategory",
                    "validity",
                    "target",
                    "driver_id",
                    "agent_id",
                    "region_id",
                    "responsible_driver_id",
                    "responsible_user_id",
                ],
                name="complaint_day_key",
            )
        ]


class SlaDay(models.Model):
    """Tickets recorded on ``day`` with a deadline (工单时效)."""

    day = models.DateField()
    category = models.CharField(max_length=12)
    subcategory = models.CharField(max_length=30)
    handler_id = models.BigIntegerField()
    region_id = models.BigIntegerField()
    tickets = models.IntegerField(default=0)
    met = models.IntegerField(default=0)
    breached_resolved = models.IntegerField(default=0)
    unresolved = models.IntegerField(default=0)  # breached or open (未到期), by the deadline and the reading time

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "category", "subcategory", "handler_id", "region_id"], name="sla_day_key"
            )
        ]


class DispatchDay(models.Model):
    """Dispatches sent on ``day`` (传递)."""

    day = models.DateField()
    agent_code = models.CharField(max_length=4)
    agent_id = models.BigIntegerField()
    region_id = models.BigIntegerField()
    dispatches = models.IntegerField(default=0)
    missed = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "agent_code", "agent_id", "region_id"], name="dispatch_day_key")
        ]
