"""The order's workflow over JSON (API.md): review, dispatch, status events, messages, public tracking.

Each endpoint parses, fetches the order through the access function for the token's user,
calls one service and serialises; DomainError becomes 409 (or its own status) with the reason.
"""

import logging
from datetime import datetime
from typing import Any, Literal

from django.db import transaction
from django.http import Http404, HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from freightdesk.accounts.bearer import BearerAuth
from freightdesk.accounts.capabilities import Capability
from freightdesk.accounts.roles import Role, roles_of
from freightdesk.core.api.errors import DetailOut, ErrorsOut
from freightdesk.core.cleaning import CleanSchema, DeviceText, IsoDateTime
from freightdesk.dispatch.services import dispatch_order
from freightdesk.messaging.selectors import message_as_dict, messages_for_order
from freightdesk.orders.models import Order
from freightdesk.orders.review import record_call_attempt, review_order
from freightdesk.orders.selectors import access_order_for
from freightdesk.tracking import ratelimit
from freightdesk.tracking.selectors import public_tracking
from freightdesk.tracking.status import report_event

from .orders import order_body
from .schemas import OrderOut

router = Router(tags=["workflow"])
ERRORS = {401: DetailOut, 403: DetailOut, 404: DetailOut, 409: ErrorsOut | DetailOut, 422: ErrorsOut}
logger = logging.getLogger(__name__)


class ReviewIn(CleanSchema):
    outcome: Literal["confirm", "problem", "void"]
    note: str = Field("", max_length=200)
    changes: dict[str, Any] | None = Field(None, description="corrected fields, by the order form's field names")
    callback_at: IsoDateTime | None = Field(None, description="problem: when to call the customer back")
    void_reason: str = Field("", max_length=30)
    restricted_confirmation: str = Field(
        "", max_length=200, description="confirm, restricted goods (限寄物品): what the customer confirmed"
    )
    call: Literal["answered", "no_answer", "wrong_number"] | None = Field(
        None,
        description="the confirmation call just made, recorded before the outcome (confirm needs an answered call)",
    )


@router.post(
    "/orders/{serial}/review",
    auth=BearerAuth(Capability.REVIEW_ORDER),
    response={200: OrderOut, **ERRORS},
    summary="Record the review (核单) and the confirmation call",
)
def review(request: HttpRequest, serial: str, body: ReviewIn):
    order = access_order_for(request.user, serial)
    with transaction.atomic():  # a refused outcome keeps no call row either
        if body.call:
            record_call_attempt(order=order, agent=request.user, outcome=body.call)
        order = review_order(
            order=order,
            agent=request.user,
            outcome=body.outcome,
            note=body.note,
            changes=body.changes,
            callback_at=body.callback_at,
            void_reason=body.void_reason,
            restricted_confirmation=body.restricted_confirmation,
        )
    return order_body(access_order_for(request.user, serial))


class MessageOut(Schema):
    id: int
    to: str
    role: str
    text: str
    segments: int
    state: Literal["queued", "sent", "delivered", "failed"]
    created_at: datetime


class DispatchOut(Schema):
    messages: list[MessageOut]


@router.post(
    "/orders/{serial}/dispatch",
    auth=BearerAuth(Capability.DISPATCH),
    response={200: DispatchOut, **ERRORS},
    summary="Compose and queue the dispatch SMS (only a confirmed order; never twice)",
)
def dispatch(request: HttpRequest, serial: str):
    order = access_order_for(request.user, serial)
    result = dispatch_order(order=order, agent=request.user)
    return {"messages": [message_as_dict(m) for m in result.messages]}


class MessagesQuery(CleanSchema):
    order: str = Field(..., max_length=16, description="order serial")


@router.get(
    "/messages",
    auth=BearerAuth(Capability.VIEW_ALL_ORDERS),
    response={200: list[MessageOut], **ERRORS},
    summary="Outbound messages of an order with their delivery state",
)
def messages(request: HttpRequest, q: Query[MessagesQuery]):
    order = access_order_for(request.user, q.order)
    return [message_as_dict(m) for m in messages_for_order(order)]


class EventIn(CleanSchema):
    type: Literal["picked_up", "in_transit", "delivered", "exception"]
    at: IsoDateTime | None = Field(
        None,
        description="When it happened (default: now); at most 5 minutes ahead of the server's clock, else 422.",
    )
    note: DeviceText = Field(
        "",
        max_length=200,
        description="Control characters a telematics device sends are removed; an exception needs a reason.",
    )


class EventOut(Schema):
    type: str
    at: datetime
    status: str


@router.post(
    "/orders/{serial}/events",
    auth=BearerAuth(Capability.REPORT_EVENTS),
    response={201: EventOut, **ERRORS},
    summary="A status report from a driver, an agent or a telematics system",
)
def events(request: HttpRequest, serial: str, body: EventIn):
    order = access_order_for_reporter(request.user, serial)
    # tracking refuses (409) and logs impossible, out-of-order and future-dated reports.
    source = "api" if Role.INTEGRATION in roles_of(request.user) else "agent"
    event = report_event(order=order, type=body.type, at=body.at, note=body.note, source=source, by=request.user)
    order.refresh_from_db(fields=["status"])
    return Status(201, {"type": event.type, "at": timezone.localtime(event.at), "status": order.status})


def access_order_for_reporter(user, serial: str):
    """Integrations (telematics) may report on any order; the desk through its own access rule."""
    if Role.INTEGRATION in roles_of(user):
        order = Order.objects.filter(serial=serial).first()
        if order is None:
            logger.warning("status report refused: unknown serial %r from %s", serial[:20], user)
            raise Http404
        return order
    return access_order_for(user, serial)


class TrackEventOut(Schema):
    at: datetime
    event: str
    label: str


class TrackOut(Schema):
    serial: str
    status: str
    status_label: str
    timeline: list[TrackEventOut]
    picked_up_at: datetime | None
    expected_delivery: datetime | None
    delivered_at: datetime | None
    position: dict | None
    eta: datetime | None


class TrackQuery(CleanSchema):
    phone_last4: str = Field(..., min_length=4, max_length=4, pattern=r"^\d{4}$")


@router.get(
    "/track/{serial}",
    auth=None,
    response={200: TrackOut, 404: DetailOut, 422: ErrorsOut, 429: DetailOut},
    summary="Public tracking: answers only when the last four digits match the shipper's or consignee's phone",
)
def track(request: HttpRequest, serial: str, q: Query[TrackQuery]):
    # One count per client address with the public tracking page (same scope and limit, in the shared cache).
    if not ratelimit.allow(ratelimit.client_address(request)):
        raise HttpError(429, _("Too many look-ups; try again in a minute."))
    answer = public_tracking(serial, q.phone_last4)
    if answer is None:
        raise Http404
    return answer
