"""Writes the reports need: stored pickup deadlines (SPEC §7/§12)."""

from datetime import datetime

from django.db import transaction
from django.db.models import Exists, OuterRef, Subquery
from django.db.models.functions import Coalesce

from freightdesk.core import worktime
from freightdesk.orders.models import Order
from freightdesk.tracking.models import DriverLink

from .models import PickupDeadline

BATCH = 5000


def orders_missing_deadline(*, start: datetime | None = None, end: datetime | None = None):
    qs = Order.objects.filter(~Exists(PickupDeadline.objects.filter(order_id=OuterRef("pk"))))
    if start is not None:
        qs = qs.filter(created_at__gte=start)
    if end is not None:
        qs = qs.filter(created_at__lt=end)
    return qs.order_by()


def record_pickup_deadlines(*, start: datetime | None = None, end: datetime | None = None) -> int:
    """Store the pickup deadline (提货时效) of every order in [start, end) that has none: SPEC §7 "in
    working hours a vehicle is arranged within 30 minutes of the order", i.e.
    ``worktime.deadline_for("pickup", order.created_at)``. Idempotent (rows that exist are skipped),
    so the report pages, the API and the nightly task can all call it. Returns the rows written."""
    first_driver = DriverLink.objects.filter(order_id=OuterRef("pk"), driver__isnull=False).order_by("created_at", "id")
    rows = (
        orders_missing_deadline(start=start, end=end)
        .annotate(driver_sent=Coalesce(Subquery(first_driver.values("driver_id")[:1]), "pickup_region__driver_id"))
        .values_list("pk", "created_at", "pickup_region_id", "driver_sent")
    )
    written = 0
    batch: list[PickupDeadline] = []
    calendar, rule = worktime.get_calendar(), worktime.policy_rule("pickup")
    for pk, created_at, region_id, driver_id in rows.iterator(chunk_size=BATCH):
        due = calendar.deadline(rule, created_at)
        batch.append(PickupDeadline(order_id=pk, created_at=created_at, region_id=region_id, driver_id=driver_id,
                                    due_at=due))
        if len(batch) >= BATCH:
            written += _flush(batch)
    return written + _flush(batch)


def _flush(batch: list[PickupDeadline]) -> int:
    if not batch:
        return 0
    with transaction.atomic():
        PickupDeadline.objects.bulk_create(batch, ignore_conflicts=True)
    count = len(batch)
    batch.clear()
    return count
