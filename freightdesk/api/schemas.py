"""The JSON shapes of API.md. Types and choices are checked here; the business limits are
checked by orders.forms.OrderForm (one set of messages for desk and API) and declared here
so the OpenAPI document states them."""

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

from django.conf import settings
from ninja import Field, Schema
from pydantic import BeforeValidator, StrictBool, StrictInt
from pydantic_core import PydanticCustomError

from freightdesk.core.cleaning import CleanModel, IsoDateTime
from freightdesk.network.models import DispatchMode, FeeKind
from freightdesk.orders.models import Channel, PaymentMethod, Status

LIMITS = settings.FREIGHTDESK
MAX_FEE = 100000

MONEY_PATTERN = r"^-?\d+\.\d{2}$"
Money = Annotated[str, Field(pattern=MONEY_PATTERN, examples=["100.00"], description="Yuan, 2 decimals")]
Amount = Annotated[str, Field(pattern=r"^\d+\.\d{2}$", examples=["200.00"])]


def _not_bool(value):
    if isinstance(value, bool):
        raise PydanticCustomError("decimal_type", "Decimal input should be a number or a string")
    return value


def _iso_text(kind: str, pattern: str):
    """Only the ISO text the document promises (pydantic alone would also take Unix timestamps)."""
    compiled = re.compile(pattern)

    def check(value):
        if not isinstance(value, str) or not compiled.match(value):
            raise PydanticCustomError(f"{kind}_parsing", "Input should be an ISO 8601 {kind}", {"kind": kind})
        return value

    return BeforeValidator(check)


# JSON numbers arrive as Decimal (exact), so a number or a numeric string; never true/false.
Number = Annotated[Decimal, BeforeValidator(_not_bool)]
IsoDate = Annotated[date, _iso_text("date", r"^\d{4}-\d{2}-\d{2}$")]


def text(max_length: int, **extra):
    """A string the form limits to `max_length` (the form reports it, with every other field)."""
    return Field(json_schema_extra={"minLength": 1, "maxLength": max_length}, **extra)


def number(minimum, maximum, *, exclusive_min=False, **extra):
    bounds = {"exclusiveMinimum" if exclusive_min else "minimum": minimum, "maximum": maximum}
    return Field(json_schema_extra=bounds, **extra)


# --- in -------------------------------------------------------------------------
# Plain pydantic models, not ninja.Schema: Schema reads attributes off any object, so a string
# sent where an object belongs would pass as an object with every field missing. CleanModel refuses
# control characters, lone surrogates and invisible-only text in every string (core.cleaning).
class PartyIn(CleanModel):
    name: str = text(40, examples=["王先生"], description="A surname and 先生/小姐 is enough.")
    phone: str = text(30, examples=["13800138000"], description="Mainland mobile or landline with area code.")


class GoodsIn(CleanModel):
    name: str = text(40, examples=["配件"], description="Checked against the prohibited-goods catalogue.")
    quantity: StrictInt = number(1, LIMITS["MAX_QUANTITY"], examples=[15])
    weight_kg: Number = number(0, LIMITS["MAX_WEIGHT_KG"], exclusive_min=True, examples=["200"])
    volume_m3: Number = number(0, LIMITS["MAX_VOLUME_M3"], exclusive_min=True, examples=["2.2"])
    packaging_ok: StrictBool = True


class FeeIn(CleanModel):
    kind: FeeKind
    amount: Number = number(0, MAX_FEE, examples=["100.00"])


class OrderIn(CleanModel):
    channel: Channel | None = Field(
        None, description="phone (default for staff) | web | chat; a customer account's orders are always web."
    )
    shipper: PartyIn
    pickup_address: str = text(LIMITS["MAX_TEXT"], examples=["汽配城"])
    pickup_region: str | None = Field(
        None, json_schema_extra={"maxLength": 20}, description="Region code; resolved from the address when absent."
    )
    consignee: PartyIn
    delivery_address: str = text(LIMITS["MAX_TEXT"], examples=["火车站"])
    delivery_region: str | None = Field(None, json_schema_extra={"maxLength": 20})
    goods: GoodsIn
    payment_method: PaymentMethod
    extra_fees: list[FeeIn] = Field(default_factory=list, max_length=10)
    delivery_deadline: IsoDateTime | None = Field(
        None, examples=["2030-11-23T15:00:00+08:00"], description="Deliver before; not in the past."
    )
    note: str = Field("", json_schema_extra={"maxLength": LIMITS["MAX_TEXT"]}, examples=["15点前送达"])


class OrderQuery(CleanModel):
    status: Status | None = None
    from_: IsoDate | None = Field(None, alias="from", description="First day (Asia/Shanghai), inclusive.")
    to: IsoDate | None = Field(None, description="Last day (Asia/Shanghai), inclusive.")
    phone: str | None = Field(None, max_length=30, description="Shipper's or consignee's number, any written form.")
    cursor: str | None = Field(None, max_length=100, description="The `next` of the previous page.")
    limit: int = Field(50, ge=1, le=100)


# --- out ------------------------------------------------------------------------
class PartyOut(Schema):
    name: str
    phone: str = Field(description="E.164, e.g. +8613800138000")


class GoodsOut(Schema):
    name: str
    quantity: int
    weight_kg: Amount
    volume_m3: Amount
    packaging_ok: bool


class FeeOut(Schema):
    kind: FeeKind
    amount: Money


class QuoteOut(Schema):
    freight: Money
    fees: list[FeeOut]
    total: Money


class DriverRefOut(Schema):
    code: str
    name: str
    phone: str = Field(description="E.164")


class OrderOut(Schema):
    serial: str = Field(examples=["261123001"])
    status: Status
    channel: Channel
    shipper: PartyOut
    pickup_address: str
    pickup_region: str
    consignee: PartyOut
    delivery_address: str
    delivery_region: str
    goods: GoodsOut
    payment_method: PaymentMethod
    extra_fees: list[FeeOut]
    delivery_deadline: datetime | None
    note: str
    quote: QuoteOut
    created_at: datetime
    agent_id: str = Field(description="The agent id (工号) that took a phone order; empty otherwise.")
    review_due_at: datetime | None = Field(description="Web and chat orders: review (核单) deadline.")
    confirmed_at: datetime | None
    dispatch_due_at: datetime | None = Field(description="Once confirmed: dispatch deadline.")
    driver: DriverRefOut | None = Field(
        None,
        description="Who picks up: the driver the fleet manager (or the desk) assigned, else the region's driver "
        "the order was dispatched to; null until then.",
    )


class OrderPage(Schema):
    items: list[OrderOut]
    next: str | None = Field(description="Cursor of the next (older) page; null on the last page.")


class TimelineEntryOut(Schema):
    at: datetime
    kind: str
    by: str
    text: str


class RegionOut(Schema):
    code: str
    name: str
    dispatch_mode: DispatchMode
    dispatchable: bool = Field(description="Whether the recipients its dispatch mode needs are set up.")


# Form field names (orders.forms.OrderForm) -> their place in the API's JSON.
ORDER_FIELD_PATHS = {
    "shipper_name": "shipper.name",
    "shipper_phone": "shipper.phone",
    "consignee_name": "consignee.name",
    "consignee_phone": "consignee.phone",
    "goods_name": "goods.name",
    "quantity": "goods.quantity",
    "weight_kg": "goods.weight_kg",
    "volume_m3": "goods.volume_m3",
    "packaging_ok": "goods.packaging_ok",
    "loading_fee": "extra_fees",
    "other_fee": "extra_fees",
}
