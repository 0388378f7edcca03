"""Order intake (SPEC §3–§5): every write on an order that the business names."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from freightdesk.accounts.capabilities import Capability, has_capability
from freightdesk.accounts.identity import agent_id_of, agent_label
from freightdesk.core.errors import DomainError
from freightdesk.core.serials import next_order_serial
from freightdesk.core.worktime import deadline_for
from freightdesk.customers.services import Visit, find_customers, remember_customer, remember_customers
from freightdesk.network.models import FeeKind
from freightdesk.network.pricing import Quote, quote
from freightdesk.network.selectors import rate_for

from .models import (
    AWAITING_REVIEW,
    REVIEW_TRANSITIONS,
    CallOutcome,
    Channel,
    Enquiry,
    EnquiryOutcome,
    Order,
    OrderFee,
    ReviewCall,
    ReviewOutcome,
    Status,
    VoidReason,
)
from .notifications import CONFIRMED as CONFIRMED_SMS
from .notifications import RECEIVED as RECEIVED_SMS
from .notifications import notify_customer
from .tasks import record_enquiry
from .timeline import add_event


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
    fees: list | None = None  # the OrderFee rows just written (None: read them from the order)


def take_order(
    *, data: dict, channel: str, agent=None, customer_account=None, intake_key: str = "", now=None
) -> Intake:
    """Take an order (接单). Phone orders taken by an agent are confirmed at once (SPEC §4);
    web and chat orders wait for review (SPEC §5). Serial, order time, agent id, quote, fees
    and the first timeline entry are written in one transaction; a repeated `intake_key`
    (a double-click) returns the first order instead of creating a second."""
    if intake_key:
        existing = Order.objects.filter(intake_key=intake_key).first()
        if existing:
            return Intake(existing, False)
    price = quote_order(data)
    now = now or timezone.now()
    # Everything that only reads is done before the write transaction, which on SQLite holds the
    # database's single write lock: inside it are the writes alone.
    order = _new_order(
        data=data, channel=channel, agent=agent, account=customer_account, price=price, intake_key=intake_key, now=now
    )
    visits = _visits(order)
    found = find_customers(visits)
    try:
        with transaction.atomic():
            fees = _save_order(order, price=price, visits=visits, found=found)
            if order.status == Status.SUBMITTED:
                notify_customer(order=order, code=RECEIVED_SMS, now=order.created_at)
    except IntegrityError:
        if intake_key and (existing := Order.objects.filter(intake_key=intake_key).first()):
            return Intake(existing, False)
        raise
    return Intake(order, True, fees)


def _new_order(*, data, channel, agent, account, price: Quote, intake_key, now) -> Order:
    """The order as it will be saved, all but its serial and customers (assigned under the lock)."""
    by_agent = channel == Channel.PHONE and agent is not None
    return Order(
        channel=channel,
        status=Status.CONFIRMED if by_agent else Status.SUBMITTED,
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


def _save_order(order: Order, *, price: Quote, visits: list[Visit], found: list) -> list[OrderFee]:
    """The writes of taking an order, in the caller's transaction: customers, serial, order, fees,
    the enquiry row for the origin analysis and the first timeline entry."""
    now = order.created_at
    order.shipper, order.consignee = remember_customers(visits, now=now, found=found)
    order.serial = next_order_serial(now)
    order.save(force_insert=True)
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
    if order.taken_by is not None:
        label = agent_label(order.taken_by)
        add_event(
            order=order,
            kind="taken",
            text=f"taken by {label}",
            by=order.taken_by,
            by_label=label,
            params={"agent": label},
            at=now,
        )
    else:
        add_event(
            order=order,
            kind="received",
            text=f"received from the {order.channel}",
            by=None,
            by_label=order.channel,
            params={"channel": str(Channel(order.channel).label)},
            at=now,
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
    A saved order writes its own row in the order's transaction (`_create_order`)."""
    from freightdesk.network.models import Region

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


# --- Review (核单, SPEC §5) -----------------------------------------------------------------

CLAIM_TTL = timedelta(minutes=10)
NO_ANSWER_LIMIT = 3  # unanswered calls before the supervisor is asked to step in
# Fields an agent may correct with the customer, by their OrderForm names.
CORRECTABLE = (
    "shipper_name",
    "shipper_phone",
    "pickup_address",
    "pickup_region",
    "consignee_name",
    "consignee_phone",
    "delivery_address",
    "delivery_region",
    "goods_name",
    "quantity",
    "weight_kg",
    "volume_m3",
    "packaging_ok",
    "payment_method",
    "loading_fee",
    "other_fee",
    "delivery_deadline",
    "note",
)
PLAIN_FIELDS = (
    "shipper_name",
    "shipper_phone",
    "pickup_address",
    "consignee_name",
    "consignee_phone",
    "delivery_address",
    "goods_name",
    "quantity",
    "weight_kg",
    "volume_m3",
    "packaging_ok",
    "payment_method",
    "delivery_deadline",
    "note",
)
FEE_FIELDS = {"loading_fee": FeeKind.LOADING, "other_fee": FeeKind.OTHER}


class ReviewInputError(DomainError):
    """The review request itself is incomplete or wrong (a missing reason, a bad correction): 422, not 409."""

    http_status = 422


@dataclass
class Claim:
    holder: object | None
    at: datetime | None
    mine: bool
    label: str = ""

    @property
    def expires_at(self):
        return self.at + CLAIM_TTL if self.at else None


def _refuse_unless_awaiting(order: Order) -> None:
    if order.status not in AWAITING_REVIEW:
        raise DomainError(
            "not_reviewable",
            _("Order %(serial)s is %(status)s: only an order awaiting review or a problem order can be reviewed.")
            % {"serial": order.serial, "status": Status(order.status).label},
        )


def current_claim(order: Order, *, agent=None, now=None) -> Claim:
    """Who is reviewing the order now (a claim older than CLAIM_TTL has lapsed)."""
    now = now or timezone.now()
    if order.claimed_by_id is None or order.claimed_at is None or order.claimed_at <= now - CLAIM_TTL:
        return Claim(None, None, False)
    return Claim(order.claimed_by, order.claimed_at, agent is not None and order.claimed_by_id == agent.pk)


def claim_review(*, order: Order, agent, take_over: bool = False, now=None) -> Claim:
    """Open an order for review: record who is on it, so other agents see it (SPEC §5, issue 3 claim).
    A live claim of another agent is kept unless ``take_over``; the conditional update makes two
    simultaneous openings end with exactly one holder."""
    now = now or timezone.now()
    _refuse_unless_awaiting(order)
    with transaction.atomic():
        rows = Order.objects.filter(pk=order.pk, status__in=AWAITING_REVIEW)
        if not take_over:
            rows = rows.filter(Q(claimed_by__isnull=True) | Q(claimed_by=agent) | Q(claimed_at__lte=now - CLAIM_TTL))
        won = rows.update(claimed_by=agent, claimed_at=now)
    order.refresh_from_db(fields=["claimed_by", "claimed_at", "status"])
    if not won and order.status not in AWAITING_REVIEW:
        _refuse_unless_awaiting(order)
    return current_claim(order, agent=agent, now=now)


def release_claim(*, order: Order, agent) -> None:
    """Leave the review without an outcome: the order is free for others at once."""
    Order.objects.filter(pk=order.pk, claimed_by=agent).update(claimed_by=None, claimed_at=None)


def record_call_attempt(*, order: Order, agent, outcome: str, now=None) -> ReviewCall:
    """One click per call to the customer during review (SPEC §5 "the agent always calls"):
    answered / no answer / wrong number. The third unanswered call flags the order for the supervisor."""
    now = now or timezone.now()
    if outcome not in CallOutcome.values:
        raise ReviewInputError("bad_call_outcome", _("Choose how the call went."), field="outcome")
    _refuse_unless_awaiting(order)
    label = agent_label(agent)
    with transaction.atomic():
        call = ReviewCall.objects.create(
            order=order, at=now, agent=agent, agent_label=label, phone=order.shipper_phone, outcome=outcome
        )
        add_event(
            order=order,
            kind="review_call",
            text=f"called the customer: {outcome}",
            by=agent,
            by_label=label,
            params={"outcome": outcome},
            at=now,
        )
        Order.objects.filter(pk=order.pk, claimed_by=agent).update(claimed_at=now)
        unanswered = order.review_calls.filter(outcome=CallOutcome.NO_ANSWER).count()
        flag = outcome == CallOutcome.NO_ANSWER and unanswered >= NO_ANSWER_LIMIT
        if flag and Order.objects.filter(pk=order.pk, flagged_at__isnull=True).update(flagged_at=now):
            order.flagged_at = now
            add_event(
                order=order,
                kind="flagged",
                text=f"no answer {unanswered} times: flagged for the supervisor",
                by=agent,
                by_label=label,
                params={"count": unanswered},
                at=now,
            )
    return call


def review_order(
    *,
    order: Order,
    agent,
    outcome: str,
    note: str = "",
    changes: dict | None = None,
    callback_at=None,
    void_reason: str = "",
    checklist: list[str] | None = None,
    now=None,
) -> Order:
    """Record the outcome of the review and the confirmation call (核单, SPEC §5): confirm (with the
    customer's corrections, each field's before and after kept, the order re-quoted), problem (waiting
    on the customer until ``callback_at``) or void (a reason from the list plus text); ``checklist`` keeps
    which review checks the agent ticked. The transition
    table is ``REVIEW_TRANSITIONS``; a conditional update makes a second outcome on the same order —
    another agent's, a double click — fail with ``not_reviewable`` (409) instead of applying twice."""
    now = now or timezone.now()
    if outcome not in REVIEW_TRANSITIONS:
        raise ReviewInputError("bad_outcome", _("Choose confirm, problem or void."), field="outcome")
    note = " ".join((note or "").split())[:200]
    _refuse_unless_awaiting(order)
    claim = current_claim(order, agent=agent, now=now)
    if claim.holder is not None and not claim.mine and not has_capability(agent, Capability.TAKE_OVER_REVIEW):
        raise DomainError(
            "claimed",
            _("%(who)s is reviewing this order since %(at)s.")
            % {"who": agent_label(claim.holder), "at": timezone.localtime(claim.at).strftime("%H:%M")},
        )
    allowed_from, to = REVIEW_TRANSITIONS[outcome]
    updates: dict = {"status": to, "claimed_by": None, "claimed_at": None}
    correction = None
    detail: dict = {"outcome": outcome, "note": note}
    if checklist:
        detail["checklist"] = [str(item)[:40] for item in checklist][:10]  # what the agent ticked
    if outcome == ReviewOutcome.CONFIRM:
        correction = _correction(order, changes or {}, now=now) if changes else None
        updates.update(confirmed_at=now, dispatch_due_at=deadline_for("dispatch", now), problem_callback_at=None)
        if correction:
            updates.update(correction.fields)
    elif outcome == ReviewOutcome.PROBLEM:
        callback_at = _valid_callback(callback_at, now)
        if not note:
            raise ReviewInputError("note_required", _("Write down what the problem is."), field="note")
        updates.update(problem_callback_at=callback_at, review_due_at=callback_at)
        detail["callback_at"] = callback_at.isoformat()
    else:
        void_reason = void_reason or VoidReason.OTHER
        if void_reason not in VoidReason.values:
            raise ReviewInputError("bad_void_reason", _("Choose why the order is void."), field="void_reason")
        if not note:
            raise ReviewInputError("note_required", _("Write down why the order is void."), field="note")
        updates["problem_callback_at"] = None
        detail["void_reason"] = void_reason
    return _apply_review(
        order=order,
        agent=agent,
        allowed_from=allowed_from,
        updates=updates,
        correction=correction,
        detail=detail,
        now=now,
    )


def _apply_review(*, order, agent, allowed_from, updates, correction, detail, now) -> Order:
    before = order.status
    label = agent_label(agent)
    with transaction.atomic():
        if not Order.objects.filter(pk=order.pk, status__in=allowed_from).update(**updates):
            order.refresh_from_db()
            _refuse_unless_awaiting(order)
            raise DomainError("not_reviewable", _("Order %(serial)s was reviewed already.") % {"serial": order.serial})
        if correction and correction.fees is not None:
            order.fees.all().delete()
            OrderFee.objects.bulk_create([OrderFee(order=order, kind=k, amount=a) for k, a in correction.fees])
        if correction:
            add_event(
                order=order,
                kind="corrected",
                text="corrected with the customer: " + ", ".join(correction.before),
                by=agent,
                by_label=label,
                changes={"before": correction.before, "after": correction.after},
                at=now,
            )
        after = updates["status"]
        add_event(
            order=order,
            kind="reviewed",
            text=f"reviewed: {before} → {after}" + (f" — {detail['note']}" if detail["note"] else ""),
            by=agent,
            by_label=label,
            params={"before": str(before), "after": str(after), "note": detail["note"]},
            changes={"status": [str(before), str(after)], **detail},
            at=now,
        )
        if after == Status.VOID:
            # The enquiry counts as voided in the origin analysis (SPEC §12), no longer as shipped.
            Enquiry.objects.filter(order=order).update(outcome=EnquiryOutcome.VOIDED, reason=detail["note"][:200])
        order.refresh_from_db()
        if after == Status.CONFIRMED:
            notify_customer(order=order, code=CONFIRMED_SMS, agent_id=agent_id_of(agent), by=agent, now=now)
    return order


def _valid_callback(callback_at, now):
    if callback_at is None:
        raise ReviewInputError("callback_required", _("Agree a time to call the customer back."), field="callback_at")
    if timezone.is_naive(callback_at):
        callback_at = timezone.make_aware(callback_at)
    if callback_at <= now:
        raise ReviewInputError("callback_past", _("The callback time is in the past."), field="callback_at")
    return callback_at


@dataclass
class Correction:
    fields: dict
    before: dict
    after: dict
    fees: list | None


def order_form_data(order: Order) -> dict:
    """The order as OrderForm input: what the review page pre-fills and corrections start from."""
    from freightdesk.core.phones import display_phone

    fees = list(order.fees.all())
    return {
        "channel": order.channel,
        "shipper_name": order.shipper_name,
        "shipper_phone": display_phone(order.shipper_phone),
        "pickup_address": order.pickup_address,
        "pickup_region": order.pickup_region.code,
        "consignee_name": order.consignee_name,
        "consignee_phone": display_phone(order.consignee_phone),
        "delivery_address": order.delivery_address,
        "delivery_region": order.delivery_region.code,
        "goods_name": order.goods_name,
        "quantity": order.quantity,
        "weight_kg": order.weight_kg,
        "volume_m3": order.volume_m3,
        "packaging_ok": order.packaging_ok,
        "payment_method": order.payment_method,
        "loading_fee": sum((f.amount for f in fees if f.kind == FeeKind.LOADING), Decimal("0")) or "",
        "other_fee": sum((f.amount for f in fees if f.kind != FeeKind.LOADING), Decimal("0")) or "",
        "note": order.note,
    }


def _shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    return str(value)


def _correction(order: Order, changes: dict, *, now) -> Correction | None:
    """Validate the corrected fields with the intake rules (OrderForm: phones, prohibited goods, limits)
    and re-quote; returns only what really changed, each field's before and after."""
    from .forms import OrderForm

    unknown = sorted(set(changes) - set(CORRECTABLE))
    if unknown:
        raise ReviewInputError(
            "not_correctable",
            _("“%(field)s” cannot be corrected in a review.") % {"field": unknown[0]},
            field=unknown[0],
        )
    data = {k: v for k, v in order_form_data(order).items() if k not in ("loading_fee", "other_fee")}
    for address, region in (("pickup_address", "pickup_region"), ("delivery_address", "delivery_region")):
        if address in changes and region not in changes:
            data[region] = ""  # a new address: resolve its region again
    data.update({k: ("" if v is None else v) for k, v in changes.items()})
    if data.get("packaging_ok") in (False, "false", "False", "0", "", "off"):
        data.pop("packaging_ok")  # a checkbox: absent means unchecked
    changed_fee_kinds = {FEE_FIELDS[k] for k in changes if k in FEE_FIELDS}
    kept = [(f.kind, f.amount) for f in order.fees.all() if not _fee_replaced(f.kind, changed_fee_kinds)]
    form = OrderForm(data, extra_fees=kept)
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        raise ReviewInputError("bad_correction", errors[0], field=None if field == "__all__" else field)
    cleaned = form.cleaned_data
    price = quote_order(cleaned)
    new = {name: cleaned[name] for name in PLAIN_FIELDS if name in changes}
    new["pickup_region"] = cleaned["pickup_region_obj"]
    new["delivery_region"] = cleaned["delivery_region_obj"]
    new.update(freight=price.freight, fees_total=price.fees_total, total=price.total)
    fields, before, after = {}, {}, {}
    for name, value in new.items():
        old = getattr(order, name)
        if old != value:
            fields[name] = value
            before[name], after[name] = _shown(old), _shown(value)
    old_fees = sorted((f.kind, f.amount) for f in order.fees.all())
    new_fees = sorted(price.fees)
    fees = None
    if old_fees != new_fees:
        fees = price.fees
        before["fees"] = ", ".join(f"{k} {a}" for k, a in old_fees)
        after["fees"] = ", ".join(f"{k} {a}" for k, a in new_fees)
    if not before:
        return None
    _remember_parties(order, fields, cleaned, now)
    return Correction(fields, before, after, fees)


def _fee_replaced(kind: str, changed: set) -> bool:
    if kind == FeeKind.LOADING:
        return FeeKind.LOADING in changed
    return FeeKind.OTHER in changed  # the form's "other fees" stands for every non-loading fee


def _remember_parties(order: Order, fields: dict, cleaned: dict, now) -> None:
    """A corrected name, number or address goes into the customer book too (the next call finds it)."""
    if {"shipper_name", "shipper_phone", "pickup_address"} & set(fields):
        fields["shipper"] = remember_customer(
            name=cleaned["shipper_name"],
            phone=cleaned["shipper_phone"],
            address=cleaned["pickup_address"],
            region=cleaned["pickup_region_obj"],
            now=now,
        )
    if {"consignee_name", "consignee_phone", "delivery_address"} & set(fields):
        fields["consignee"] = remember_customer(
            name=cleaned["consignee_name"],
            phone=cleaned["consignee_phone"],
            address=cleaned["delivery_address"],
            region=cleaned["delivery_region_obj"],
            now=now,
        )
