"""Corrections (改单): the fields of an order that may be corrected with the customer, validated with the
intake rules and re-quoted, each field's before and after kept for the timeline."""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from freightdesk.core.phones import display_phone
from freightdesk.customers.services import remember_customer
from freightdesk.network.models import FeeKind

from .errors import OrderErrorCode, ReviewInputError
from .forms import OrderForm
from .intake import quote_order
from .models import Order

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


@dataclass
class Correction:
    fields: dict
    before: dict
    after: dict
    fees: list | None


def order_form_data(order: Order) -> dict:
    """The order as OrderForm input: what the review page pre-fills and corrections start from."""
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


def correction_for(order: Order, changes: dict, *, now) -> Correction | None:
    """Validate the corrected fields with the intake rules (OrderForm: phones, prohibited goods, limits)
    and re-quote; returns only what really changed, each field's before and after."""
    # besides the form's fields, "extra_fees": every extra fee by its kind, [(kind, amount), ...] (the API's list)
    unknown = sorted(set(changes) - set(CORRECTABLE) - {"extra_fees"})
    if unknown:
        raise ReviewInputError(
            OrderErrorCode.NOT_CORRECTABLE,
            _("“%(field)s” cannot be corrected in a review.") % {"field": unknown[0]},
            field=unknown[0],
        )
    data = {k: v for k, v in order_form_data(order).items() if k not in ("loading_fee", "other_fee")}
    for address, region in (("pickup_address", "pickup_region"), ("delivery_address", "delivery_region")):
        if address in changes and region not in changes:
            data[region] = ""  # a new address: resolve its region again
    data.update({k: ("" if v is None else v) for k, v in changes.items() if k != "extra_fees"})
    if data.get("packaging_ok") in (False, "false", "False", "0", "", "off"):
        data.pop("packaging_ok")  # a checkbox: absent means unchecked
    form = OrderForm(data, extra_fees=_fees_after(order, changes))
    if not form.is_valid():
        field, errors = next(iter(form.errors.items()))
        raise ReviewInputError(OrderErrorCode.BAD_CORRECTION, errors[0], field=None if field == "__all__" else field)
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


def _fees_after(order: Order, changes: dict) -> list:
    """The fees the corrected order has besides the form's own two: the API's list replaces every fee, kinds kept;
    the form's loading or other fee replaces the fees of its kind."""
    if "extra_fees" in changes:
        return [(kind, amount) for kind, amount in changes["extra_fees"] or []]
    changed_fee_kinds = {FEE_FIELDS[k] for k in changes if k in FEE_FIELDS}
    return [(f.kind, f.amount) for f in order.fees.all() if not _fee_replaced(f.kind, changed_fee_kinds)]


def _fee_replaced(kind: str, changed: set) -> bool:
    if kind == FeeKind.LOADING:
        return FeeKind.LOADING in changed
    return FeeKind.OTHER in changed  # the form's "other fees" stands for every non-loading fee


def _remember_parties(order: Order, fields: dict, cleaned: dict, now) -> None:
    """A corrected name, number or address goes into the customer book too (the next call finds it)."""
    for party, leg in (("shipper", "pickup"), ("consignee", "delivery")):
        if {f"{party}_name", f"{party}_phone", f"{leg}_address"} & set(fields):
            fields[party] = remember_customer(
                name=cleaned[f"{party}_name"],
                phone=cleaned[f"{party}_phone"],
                address=cleaned[f"{leg}_address"],
                region=cleaned[f"{leg}_region_obj"],
                now=now,
            )
