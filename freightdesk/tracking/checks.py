"""Tracking's checks (SPEC §7): what the pickup and delivery checks (and a callback promised on an order) find when
they fall due — registered with the follow-up scheduler — and the next check after an urge or an escalation."""

from freightdesk.core import worktime
from freightdesk.followups import deadlines, registry
from freightdesk.followups.models import FollowUp, FollowUpKind
from freightdesk.followups.services import schedule_check
from freightdesk.orders.models import Order, Status
from freightdesk.orders.timeline import add_event

from .timeline import CHECK_FINDING

CHECKS = (FollowUpKind.PICKUP_CHECK, FollowUpKind.DELIVERY_CHECK, FollowUpKind.EXCEPTION)


def work_done(kind: str, status: str) -> bool:
    if status == Status.VOID:
        return True
    if kind == FollowUpKind.PICKUP_CHECK:
        return status not in (Status.DISPATCHED, Status.CONFIRMED)
    if kind == FollowUpKind.DELIVERY_CHECK:
        return status == Status.DELIVERED
    return False


def on_due(followup: FollowUp, now) -> bool:
    """A check falls due: the work found done closes it, else it goes on the board; either way the finding is
    written into the order's tracking record (跟踪记录)."""
    done = work_done(followup.kind, followup.order.status)
    if (followup.kind, done) in CHECK_FINDING:
        params = {"kind": followup.kind, "done": done}
        add_event(
            order=followup.order,
            kind="check",
            by_label="system",
            params=params,
            changes={"followup": followup.pk},
            at=now,
        )
    return done


def register() -> None:
    for kind in (FollowUpKind.PICKUP_CHECK, FollowUpKind.DELIVERY_CHECK, FollowUpKind.CALLBACK):
        registry.on_due(kind, on_due)


def schedule_next_check(followup: FollowUp, now) -> None:
    """After an urge or an escalation the order is checked again: pickup 30 working minutes later, a late
    delivery at the next twice-daily check."""
    order = Order.objects.get(pk=followup.order_id)
    if followup.kind == FollowUpKind.PICKUP_CHECK and order.status == Status.DISPATCHED:
        due = worktime.deadline_for("pickup", now)
        deadline = followup.deadline or due  # the order's pickup deadline stays what it was
        schedule_check(order=order, kind=FollowUpKind.PICKUP_CHECK, due_at=due, deadline=deadline, now=now)
    elif followup.kind == FollowUpKind.DELIVERY_CHECK and order.status in (
        Status.PICKED_UP,
        Status.IN_TRANSIT,
        Status.DISPATCHED,
    ):
        schedule_check(
            order=order,
            kind=FollowUpKind.DELIVERY_CHECK,
            due_at=deadlines.next_delivery_check(now),
            deadline=followup.deadline,
            now=now,
        )
