"""Read queries of tracking: an order's tracking page, public tracking. (The due-now board is ``desk.board``.)"""

import hmac
import logging

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from freightdesk.accounts.capabilities import Capability, has_capability
from freightdesk.core.phones import last4
from freightdesk.dispatch.models import Dispatch
from freightdesk.followups import deadlines
from freightdesk.followups.models import OPEN_FOLLOWUP, FollowUp, FollowUpState
from freightdesk.orders.models import Order, Status
from freightdesk.orders.selectors import access_order_for as orders_access_order_for

from .models import Shipment, StatusEvent

logger = logging.getLogger(__name__)


def access_order_for(user, serial: str) -> Order:
    """An order as the desk sees it on the tracking page, with the recipients it shows: the orders app's one
    access rule (404 when unknown or not the user's)."""
    return orders_access_order_for(
        user,
        serial,
        related=(
            "pickup_region__driver",
            "pickup_region__fleet_manager__profile",
            "delivery_region__fleet_manager__profile",
        ),
    )


def access_followup_for(user, order: Order, pk) -> FollowUp:
    if not has_capability(user, Capability.VIEW_ALL_ORDERS):
        raise Http404
    followup = (
        FollowUp.objects.select_related("order").filter(pk=pk, order=order).first() if str(pk).isdigit() else None
    )
    if followup is None:
        raise Http404
    return followup


def shipment_of(order: Order, *, now=None) -> Shipment | None:
    """The tracking state of a dispatched order: its stored row once a status was reported; before that (unsaved)
    what the dispatch set: dispatched at, the order's pickup deadline, delivery deadline. None for an order not dispatched
    (``now`` stands in for the dispatch time of an order dispatched before dispatches were recorded)."""
    shipment = Shipment.objects.filter(order=order).first()
    if shipment is not None:
        return shipment
    dispatched_at = Dispatch.objects.filter(order=order).values_list("dispatched_at", flat=True).first() or now
    if dispatched_at is None:
        return None
    return Shipment(
        order=order,
        dispatched_at=dispatched_at,
        pickup_due_at=deadlines.pickup_deadline(order, dispatched_at=dispatched_at),
        delivery_due_at=deadlines.delivery_deadline(order, start=dispatched_at),
    )


def open_followups(order: Order):
    return FollowUp.objects.filter(order=order, state__in=OPEN_FOLLOWUP).order_by("due_at", "id")


def order_tracking(order: Order) -> dict:
    return {
        "shipment": shipment_of(order),
        "status_events": list(StatusEvent.objects.filter(order=order).order_by("at", "id")),
        "followups": list(open_followups(order)),
        "closed_followups": list(
            FollowUp.objects.filter(order=order, state=FollowUpState.DONE).order_by("-closed_at")[:20]
        ),
        "queries": list(order.queries.select_related("by__profile").order_by("at", "id")),
    }


PUBLIC_EVENT_LABELS = {
    "ordered": _("Order placed"),
    "dispatched": _("Sent to the driver"),
    "picked_up": _("Picked up"),
    "in_transit": _("In transit"),
    "delivered": _("Delivered"),
    "exception": _("Delayed: we are on it"),
}


def public_tracking(serial: str, phone_last4: str) -> dict | None:
    """Self-service tracking (实时监控, SPEC §2; API ``GET /track/{serial}?phone_last4=``): the status, the
    timeline of status events, pickup time and expected delivery — only when the last four digits match the
    shipper's or the consignee's phone. None for an unknown serial and for a wrong phone alike. No names, no
    numbers, no free-text notes (they may carry either). Times are aware datetimes (Asia/Shanghai in the API)."""
    serial, digits = (serial or "").strip(), (phone_last4 or "").strip()
    if not (serial.isdigit() and len(serial) <= 16 and len(digits) == 4 and digits.isdigit()):
        logger.info("public tracking refused: malformed look-up %r", serial[:20])
        return None
    row = (
        Order.objects.filter(serial=serial)
        .values_list("pk", "status", "shipper_phone", "consignee_phone", "created_at")
        .first()
    )
    if row is None:
        logger.info("public tracking refused: no order %s", serial)
        return None
    pk, status, shipper_phone, consignee_phone, created_at = row
    matches = [hmac.compare_digest(last4(phone), digits) for phone in (shipper_phone, consignee_phone)]
    if not any(matches):
        logger.info("public tracking refused: wrong phone digits for order %s", serial)  # never the digits
        return None
    found = shipment_of(Order.objects.get(pk=pk))
    shipment = {} if found is None else vars(found)
    timeline = [("ordered", created_at)]
    if shipment.get("dispatched_at"):
        timeline.append(("dispatched", shipment["dispatched_at"]))
    timeline += list(StatusEvent.objects.filter(order_id=pk).order_by("at", "id").values_list("type", "at"))
    return {
        "serial": serial,
        "status": status,
        "status_label": str(Status(status).label),
        "timeline": [{"at": (at), "event": kind, "label": str(PUBLIC_EVENT_LABELS[kind])} for kind, at in timeline],
        "picked_up_at": (shipment.get("picked_up_at")),
        "expected_delivery": (shipment.get("delivery_due_at")) if status != Status.DELIVERED else None,
        "delivered_at": (shipment.get("delivered_at")),
        "position": None,
        "eta": (shipment.get("delivery_due_at")) if status != Status.DELIVERED else None,
    }
