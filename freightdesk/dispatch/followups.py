"""The checks a dispatch schedules (SPEC §7), through the follow-up scheduler: tracking runs them when they fall
due and acts on them (urge, escalate)."""

from freightdesk.followups import deadlines
from freightdesk.followups.models import FollowUpKind
from freightdesk.followups.services import schedule_all


def schedule_checks(*, order, at) -> None:
    """After the dispatch SMS: the pickup check at the order's pickup deadline (``followups.deadlines``) and the
    delivery check at the first check time after the delivery deadline. Call inside the dispatch transaction;
    the tasks are enqueued when it commits."""
    pickup_due = deadlines.pickup_check_due(order, dispatched_at=at)
    delivery_due = deadlines.delivery_deadline(order, start=at)
    pickup = {
        "kind": FollowUpKind.PICKUP_CHECK,
        "order": order,
        "due_at": pickup_due,
        "deadline": deadlines.pickup_deadline(order, dispatched_at=at),
    }
    delivery = {
        "kind": FollowUpKind.DELIVERY_CHECK,
        "order": order,
        "due_at": deadlines.next_delivery_check(delivery_due),
        "deadline": delivery_due,
    }
    schedule_all(plans=[pickup, delivery], now=at)
