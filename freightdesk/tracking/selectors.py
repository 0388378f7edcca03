"""Read queries of tracking: an order's tracking page, public tracking. (The due-now board is ``desk.board``.)"""

import hmac
import logging
from datetime import timedelta
from urllib.parse import quote

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from freightdesk.accounts.capabilities import Capability, has_capability
from freightdesk.core.phones import last4
from freightdesk.dispatch.models import Dispatch
from freightdesk.followups import deadlines
from freightdesk.followups.models import OPEN_FOLLOWUP, FollowUp, FollowUpState
from freightdesk.network.models import RateCard
from freightdesk.orders.models import Order, Status
from freightdesk.orders.selectors import access_order_for as orders_access_order_for

from .models import FieldReport, Shipment, StatusEvent
from .positions import live_position

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
    shipment = shipment_of(order)
    position, eta = position_and_eta(
        order.pk,
        status=order.status,
        shipment=shipment,
        route=(order.pickup_region_id, order.delivery_region_id),
        driver_id=order.driver_id,
    )
    return {
        "shipment": shipment,
        "position": position,
        "eta": eta,
        "assignments": list(order.assignments.select_related("driver", "vehicle", "by__profile").order_by("at", "id")),
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
    numbers, no free-text notes (they may carry either); the position is the place the driver named (a landmark or
    the address) and its coordinates. Times are aware datetimes (Asia/Shanghai in the API)."""
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
    order = Order.objects.get(pk=pk)
    found = shipment_of(order)
    shipment = {} if found is None else vars(found)
    position, eta = position_and_eta(
        pk,
        status=status,
        shipment=found,
        route=(order.pickup_region_id, order.delivery_region_id),
        driver_id=order.driver_id,
    )
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
        "position": position,
        "eta": eta,
    }


def last_position(order_id: int) -> FieldReport | None:
    """The order's last known position: the newest report that carried one."""
    return (
        FieldReport.objects.filter(order_id=order_id, latitude__isnull=False)
        .order_by("-at", "-id")
        .only("at", "latitude", "longitude", "accuracy_m", "place", "kind")
        .first()
    )


def geo_uri(report) -> str:
    """A link the phone's own map app opens (RFC 5870), with the reported place as its label: no map tiles."""
    place = getattr(report, "place", "")
    label = f"({quote(place)})" if place else ""
    return f"geo:{report.latitude},{report.longitude}?q={report.latitude},{report.longitude}{label}"


def position_and_eta(order_id: int, *, status: str, shipment, route, driver_id: int | None = None):
    """The last known position (the driver's newest report with one, or his live position while the goods are on
    board and it is newer: coordinates, when, the place he named and a ``geo:`` link for the phone's own map app —
    no map tiles) and the ETA: once picked up, with a known position on a route with a rate card, the pickup time
    plus the route's transit hours (RateCard.transit_hours), never before the position's time; otherwise the
    delivery deadline. None and None once delivered."""
    if status == Status.DELIVERED:
        return None, None
    picked_up_at = getattr(shipment, "picked_up_at", None)
    last = last_position(order_id)
    newest_report = max((t for t in (last and last.at, picked_up_at) if t), default=None)
    last = live_position(driver_id, status=status, after=newest_report) or last
    position = None
    if last is not None:
        position = {
            "latitude": float(last.latitude),
            "longitude": float(last.longitude),
            "at": timezone.localtime(last.at),
            "place": getattr(last, "place", ""),
            "live": not isinstance(last, FieldReport),
            "map_url": geo_uri(last),
        }
    deadline = getattr(shipment, "delivery_due_at", None)
    hours = (
        RateCard.objects.filter(pickup_region_id=route[0], delivery_region_id=route[1])
        .values_list("transit_hours", flat=True)
        .first()
    )
    if last is not None and picked_up_at and hours:
        return position, max(picked_up_at + timedelta(hours=hours), last.at)
    return position, deadline
