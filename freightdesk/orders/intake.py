"""Order intake (接单, SPEC §3–§5, §12): take a phone, web or chat order, quote it, and log every
enquiry for the origin analysis, shipped or not."""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from freightdesk.accounts.identity import agent_id_of, agent_label
from freightdesk.core.errors import DomainError
from freightdesk.core.serials import next_order_serial
from freightdesk.core.worktime import deadline_for
from freightdesk.customers.services import Visit, find_customers, remember_customers
from freightdesk.network.models import Region
from freightdesk.network.pricing import Quote, quote
from freightdesk.network.selectors import rate_for

from .errors import OrderErrorCode
from .models import (
    Channel,
    Enquiry,
    EnquiryOutcome,
    Order,
    OrderFee,
    Status,
)
from .notifications import PLACED as PLACED_SMS
from .notifications import RECEIVED as RECEIVED_SMS
from .notifications import notify_customer
from .pickup import pickup_due
from .tasks import record_enquiry
from .timeline import written_together
from .transitions import Entry, transition_order
from .workflow import Step


def quote_order(data: dict) -> Quote:
    """Quote cleaned order data from the rate card; DomainError when the route has no rate."""
    pickup, delivery = data["pickup_region_obj"], data["delivery_region_obj"]
    rate = rate_for(pickup, delivery)
    if rate is None:
        raise DomainError(
            OrderErrorCode.NO_RATE,
            _("No rate card from %(a)s to %(b)s: ask an administrator to add one.") % {"a": pickup, "b": delivery},
            field="delivery_region",
        )
    return quote(rate, weight_kg=data["weight_kg"], volume_m3=data["volume_m3"], fees=data["fees"])


@dataclass(frozen=True)
class Intake:
    order: Order
    created: bool
    fees: list | None = None  # the OrderFee rows just written (None: read them from the order)


def take_order(
    *,
    data: dict,
    channel: str,
    agent=None,
    customer_account=None,
    intake_key: str = "",
    now=None,
    on_written: Callable[[Order, list], None] | None = None,
) -> Intake:
    """Take an order (接单). Phone orders taken by an agent are confirmed at once (SPEC §4);
    web and chat orders wait for review (SPEC §5). Serial, order time, agent id, quote, fees
    and the first timeline entry are written in one transaction; a repeated `intake_key`
    (a double-click) returns the first order instead of creating a second. `on_written(order, fees)`
    runs last inside that transaction: what the caller commits with the order or not at all."""
    if intake_key:
        existing = Order.objects.filter(intake_key=intake_key).first()
        if existing:
            return Intake(existing, False)
    price = quote_order(data)
    now = now or timezone.now()
    # Everything that only reads is done before the write transaction, which on SQLite holds the
    # database's single write lock: inside it are the writes alone.
    order = _new_order(
        data=data, channel=channel, account=customer_account, price=price, intake_key=intake_key, now=now
    )
    step, fields = _intake_step(channel=channel, agent=agent, now=now)
    visits = _visits(order)
    found = find_customers(visits)
    try:
        with transaction.atomic():
            with written_together():  # the order's first timeline line and its SMS's: one insert
                fees = _save_order(order, step=step, fields=fields, price=price, visits=visits, found=found)
                _notify(order, agent)
            if on_written is not None:
                on_written(order, fees)
    except IntegrityError:
        if intake_key and (existing := Order.objects.filter(intake_key=intake_key).first()):
            return Intake(existing, False)
        raise
    return Intake(order, True, fees)


def _notify(order: Order, agent) -> None:
    """The customer's SMS about the new order, queued in its transaction."""
    if order.status == Status.SUBMITTED:
        notify_customer(order=order, code=RECEIVED_SMS, now=order.created_at, new_order=True)
    elif order.channel == Channel.PHONE:  # confirmed on the call: 下单成功提醒 (SPEC §4)
        notify_customer(
            order=order, code=PLACED_SMS, agent_id=order.agent_id, by=agent, now=order.created_at, new_order=True
        )


def _intake_step(*, channel, agent, now) -> tuple[Step, dict]:
    """A phone order taken by an agent is confirmed at once (SPEC §4); any other waits for review (SPEC §5)."""
    if channel == Channel.PHONE and agent is not None:
        fields = {
            "taken_by": agent,
            "agent_id": agent_id_of(agent),
            "confirmed_at": now,
            "dispatch_due_at": deadline_for("dispatch", now),
            "pickup_due_at": pickup_due(confirmed_at=now),
        }
        return Step.TAKE, fields
    return Step.RECEIVE, {"review_due_at": deadline_for("review", now)}


def _new_order(*, data, channel, account, price: Quote, intake_key, now) -> Order:
    """The order as it will be saved, all but its serial, customers and what its first step fills."""
    return Order(
        channel=channel,
        shipper_name=data["shipper_name"],
        shipper_phone=data["shipper_phone"],
        pickup_address=data["pickup_address"],
        pickup_region=data["pickup_region_obj"],
        consignee_name=data["consignee_name"],
        consignee_phone=data["consignee_phone"],
        delivery_address=data["delivery_address"],
        delivery_region=data["delivery_region_obj"],
        goods_name=data["goods_name"],
        quantity=data["quantity"],
        weight_kg=data["weight_kg"],
        volume_m3=data["volume_m3"],
        packaging_ok=data.get("packaging_ok", True),
        restricted_goods=data.get("restricted_goods", ""),
        restricted_confirmation=data.get("restricted_confirmation", ""),
        payment_method=data["payment_method"],
        delivery_deadline=data.get("delivery_deadline"),
        note=data.get("note", ""),
        freight=price.freight,
        fees_total=price.fees_total,
        total=price.total,
        created_at=now,
        customer_account=account,
        intake_key=intake_key or None,
    )


def _visits(order: Order) -> list[Visit]:
    return [
        Visit(
            name=order.shipper_name, phone=order.shipper_phone, address=order.pickup_address, region=order.pickup_region
        ),
        Visit(
            name=order.consignee_name,
            phone=order.consignee_phone,
            address=order.delivery_address,
            region=order.delivery_region,
        ),
    ]


def _save_order(order: Order, *, step, fields, price: Quote, visits: list[Visit], found: list) -> list[OrderFee]:
    """The writes of taking an order, in the caller's transaction: customers, serial, the order with its first
    step and timeline entry, fees and the enquiry row for the origin analysis."""
    now = order.created_at
    order.shipper, order.consignee = remember_customers(visits, now=now, found=found)
    order.serial = next_order_serial(now)
    agent = fields.get("taken_by")
    if agent is not None:
        label = agent_label(agent)
        entry = Entry("taken", f"taken by {label}", {"agent": label})
    else:
        label = order.channel
        entry = Entry("received", f"received from the {label}", {"channel": str(Channel(label).label)})
    transition_order(order=order, step=step, entry=entry, by=agent, by_label=label, fields=fields, at=now)
    fees = OrderFee.objects.bulk_create(
        [OrderFee(order=order, kind=kind, amount=amount) for kind, amount in price.fees]
    )
    # The order's origin for the shipping-origin analysis (SPEC §12), in the order's own transaction.
    Enquiry.objects.create(
        order=order,
        at=now,
        channel=order.channel,
        outcome=EnquiryOutcome.SHIPPED,
        pickup_region=order.pickup_region,
        delivery_region=order.delivery_region,
        pickup_address=order.pickup_address,
        goods_name=order.goods_name,
        phone=order.shipper_phone,
        agent=order.taken_by,
    )
    return fees


def record_refused_enquiry(*, data: dict, raw: dict, channel: str, reason: str, agent=None) -> None:
    """A refused (e.g. prohibited) enquiry still counts for the origin analysis (SPEC §12)."""
    record_unshipped_enquiry(
        data=data, raw=raw, channel=channel, reason=reason, agent=agent, outcome=EnquiryOutcome.REFUSED
    )


def record_unshipped_enquiry(*, data: dict, raw: dict, channel: str, reason: str, agent=None, outcome: str) -> None:
    """An enquiry that made no order — refused, or only a quote the caller did not take (仅询价) —
    still counts for the origin analysis (SPEC §12): the task worker writes its row after the request."""
    transaction.on_commit(
        lambda: record_enquiry.enqueue(
            channel=channel,
            outcome=outcome,
            pickup_region_code=(data.get("pickup_region_obj").code if data.get("pickup_region_obj") else ""),
            pickup_address=(raw.get("pickup_address") or "")[:200],
            goods_name=(raw.get("goods_name") or "")[:40],
            phone=data.get("shipper_phone", ""),
            reason=reason[:200],
            agent_id=agent.pk if agent is not None else None,
        )
    )


def save_enquiry(**fields) -> Enquiry:
    """Write the row of an enquiry that made no order (refused, abandoned) for the origin analysis.
    A saved order writes its own row in the order's transaction (`take_order`)."""
    code = fields.pop("pickup_region_code", "")
    region = Region.objects.filter(code=code).first() if code else None
    return Enquiry.objects.create(
        channel=fields["channel"],
        outcome=fields["outcome"],
        pickup_region=region,
        pickup_address=fields.get("pickup_address", ""),
        goods_name=fields.get("goods_name", ""),
        phone=fields.get("phone", ""),
        reason=fields.get("reason", ""),
        agent_id=fields.get("agent_id"),
    )
