"""When tracking's checks fall due (SPEC §7). Pure functions over core.worktime; no writes.

- Pickup check: at the order's pickup deadline, ``Order.pickup_due_at`` — decided once when the order was
  confirmed (``orders.pickup``: 30 *working* minutes from the confirmation, the clock stops at closing:
  confirmed at 16:50 -> due 17:20; at 17:20 -> 8:50 the next working day; the policy row ``pickup`` in
  core.DeadlinePolicy can change the minutes). An order dispatched after its deadline is checked at once; one
  confirmed before the clock was stored runs 30 working minutes from its dispatch.
- Delivery deadline: the customer's requirement (``Order.delivery_deadline``) when given, else the
  route's standard transit time (RateCard.transit_hours) from pickup (or from dispatch until then).
- Delivery check: late deliveries are checked twice a day, by default at 10:00 and 15:00 of each
  working day (``settings.TRACKING_DELIVERY_CHECKS``); a deadline is checked at the first check time
  strictly after it.
"""

import math
from datetime import datetime, time, timedelta

from django.conf import settings

from freightdesk.core import worktime
from freightdesk.network.models import RateCard

DEFAULT_TRANSIT_HOURS = 24


def check_times() -> list[time]:
    raw = settings.TRACKING_DELIVERY_CHECKS
    times = []
    for part in str(raw).split(","):
        hours, _sep, minutes = part.strip().partition(":")
        if hours.isdigit() and (minutes or "0").isdigit():
            times.append(time(int(hours) % 24, int(minutes or 0) % 60))
    return sorted(set(times)) or [time(10), time(15)]


def pickup_deadline(order, *, dispatched_at: datetime) -> datetime:
    """When the order must be picked up by: its stored pickup clock (``Order.pickup_due_at``)."""
    return order.pickup_due_at or worktime.deadline_for("pickup", dispatched_at)


def pickup_check_due(order, *, dispatched_at: datetime) -> datetime:
    """When the pickup check falls due: at the pickup deadline, or at the dispatch when that is later."""
    return max(pickup_deadline(order, dispatched_at=dispatched_at), dispatched_at)


def next_delivery_check(after: datetime) -> datetime:
    """The first check time of a working day strictly after ``after``."""
    calendar = worktime.get_calendar()
    local = after.astimezone(worktime.TZ)
    day = local.date()
    for _offset in range(400):
        if calendar.is_working_day(day):
            for at in check_times():
                slot = datetime.combine(day, at, worktime.TZ)
                if slot > local:
                    return slot
        day += timedelta(days=1)
    return local + timedelta(days=1)  # a calendar with no working day at all: check tomorrow


def transit_hours(order) -> int:
    hours = (
        RateCard.objects.filter(pickup_region_id=order.pickup_region_id, delivery_region_id=order.delivery_region_id)
        .values_list("transit_hours", flat=True)
        .first()
    )
    return hours or DEFAULT_TRANSIT_HOURS


def delivery_deadline(order, *, start: datetime) -> datetime:
    if order.delivery_deadline:
        return order.delivery_deadline
    return start + timedelta(hours=transit_hours(order))


def hours_late(deadline: datetime, now: datetime) -> int:
    """Whole hours past the deadline, rounded up, at least 1 (the escalation SMS says "超过配送时效N小时")."""
    return max(1, math.ceil((now - deadline).total_seconds() / 3600))
