"""Order intake (SPEC §3–§5): every write on an order that the business names."""

from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from freightdesk.core.errors import DomainError
from freightdesk.core.serials import next_order_serial
from freightdesk.core.worktime import deadline_for
from freightdesk.customers.services import remember_customer
from freightdesk.network.pricing import Quote, quote
from freightdesk.network.selectors import rate_for

from .models import Channel, Enquiry, EnquiryOutcome, Order, OrderFee, Status
from .tasks import record_enquiry
from .timeline import add_event


def agent_id_of(user) -> str:
    profile = getattr(user, "profile", None) if user is not None else None
    return (profile.agent_id or "") if profile else ""


def quote_order(data: dict) -> Quote:
    """Quote cleaned order data from the rate card; DomainError when the route has no rate."""
    pickup, delivery = data["pickup_region_obj"], data["delivery_region_obj"]
    rate = rate_for(pickup, delivery)
    if rate is None:
        raise DomainError(
            "no_rate",
            _("No rate card from %(a)s to %(b)s: ask an administrator to add one.") % {"a": pickup, "b": delivery},
            field="delivery_region",
        )
    return quote(rate, weight_kg=data["weight_kg"], volume_m3=data["volume_m3"], fees=data["fees"])


@dataclass(frozen=True)
class Intake:
    order: Order
    created: bool


def take_order(*, data: dict, channel: str, agent=None, customer_account=None, intake_key: str = "", now=None) -> Intake:
    """Take an order (接单). Phone orders taken by an agent are confirmed at once (SPEC §4);
    web and chat orders wait for review (SPEC §5). Serial, order time, agent id, quote, fees
    and the first timeline entry are written in one transaction; a repeated `intake_key`
    (a double-click) returns the first order instead of creating a second."""
    if intake_key:
        existing = Order.objects.filter(intake_key=intake_key).first()
        if existing:
            return Intake(existing, False)
    price = quote_order(data)
    try:
        with transaction.atomic():
            order = _create_order(
                data=data, channel=channel, agent=agent, account=customer_account,
                price=price, intake_key=intake_key, now=now or timezone.now(),
            )
    except IntegrityError:
        if intake_key and (existing := Order.objects.filter(intake_key=intake_key).first()):
            return Intake(existing, False)
        raise
    transaction.on_commit(lambda: record_enquiry.enqueue(order_id=order.pk))
    return Intake(order, True)


def _create_order(*, data, channel, agent, account, price: Quote, intake_key, now) -> Order:
    pickup, delivery = data["pickup_region_obj"], data["delivery_region_obj"]
    shipper = remember_customer(
        name=data["shipper_name"], phone=data["shipper_phone"], address=data["pickup_address"], region=pickup, now=now
    )
    consignee = remember_customer(
        name=data["consignee_name"], phone=data["consignee_phone"], address=data["delivery_address"],
        region=delivery, now=now,
    )
    by_agent = channel == Channel.PHONE and agent is not None
    order = Order.objects.create(
        serial=next_order_serial(now),
        channel=channel,
        status=Status.CONFIRMED if by_agent else Status.SUBMITTED,
        shipper=shipper,
        shipper_name=data["shipper_name"],
        shipper_phone=data["shipper_phone"],
        pickup_address=data["pickup_address"],
        pickup_region=pickup,
        consignee=consignee,
        consignee_name=data["consignee_name"],
        consignee_phone=data["consignee_phone"],
        delivery_address=data["delivery_address"],
        delivery_region=delivery,
        goods_name=data["goods_name"],
        quantity=data["quantity"],
        weight_kg=data["weight_kg"],
        volume_m3=data["volume_m3"],
        packaging_ok=data.get("packaging_ok", True),
        payment_method=data["payment_method"],
        delivery_deadline=data.get("delivery_deadline"),
        note=data.get("note", ""),
        freight=price.freight,
        fees_total=price.fees_total,
        total=price.total,
        created_at=now,
        taken_by=agent if by_agent else None,
        agent_id=agent_id_of(agent) if by_agent else "",
        customer_account=account,
        intake_key=intake_key or None,
        confirmed_at=now if by_agent else None,
        dispatch_due_at=deadline_for("dispatch", now) if by_agent else None,
        review_due_at=None if by_agent else deadline_for("review", now),
    )
    OrderFee.objects.bulk_create([OrderFee(order=order, kind=kind, amount=amount) for kind, amount in price.fees])
    if by_agent:
        label = order.agent_id or agent.get_username()
        add_event(order=order, kind="taken", text=f"taken by {label}", by=agent, by_label=label,
                  params={"agent": label}, at=now)
    else:
        add_event(order=order, kind="received", text=f"received from the {channel}", by=None,
                  by_label=channel, params={"channel": Channel(channel).label}, at=now)
    return order


def record_refused_enquiry(*, data: dict, raw: dict, channel: str, reason: str, agent=None) -> None:
    """A refused (e.g. prohibited) or abandoned enquiry still counts for the origin analysis (SPEC §12)."""
    transaction.on_commit(
        lambda: record_enquiry.enqueue(
            order_id=None,
            channel=channel,
            outcome=EnquiryOutcome.REFUSED,
            pickup_region_code=(data.get("pickup_region_obj").code if data.get("pickup_region_obj") else ""),
            pickup_address=(raw.get("pickup_address") or "")[:200],
            goods_name=(raw.get("goods_name") or "")[:40],
            phone=data.get("shipper_phone", ""),
            reason=reason[:200],
            agent_id=agent.pk if agent is not None else None,
        )
    )


def save_enquiry(*, order_id=None, **fields) -> Enquiry | None:
    """Write the enquiry row for the origin analysis; idempotent for orders (one per order)."""
    from freightdesk.network.models import Region

    if order_id is not None:
        order = Order.objects.filter(pk=order_id).first()
        if order is None:
            return None
        enquiry, _created = Enquiry.objects.get_or_create(
            order=order,
            defaults=dict(
                at=order.created_at, channel=order.channel, outcome=EnquiryOutcome.SHIPPED,
                pickup_region=order.pickup_region, delivery_region=order.delivery_region,
                pickup_address=order.pickup_address, goods_name=order.goods_name,
                phone=order.shipper_phone, agent=order.taken_by,
            ),
        )
        return enquiry
    code = fields.pop("pickup_region_code", "")
    region = Region.objects.filter(code=code).first() if code else None
    return Enquiry.objects.create(
        channel=fields["channel"], outcome=fields["outcome"], pickup_region=region,
        pickup_address=fields.get("pickup_address", ""), goods_name=fields.get("goods_name", ""),
        phone=fields.get("phone", ""), reason=fields.get("reason", ""), agent_id=fields.get("agent_id"),
    )
