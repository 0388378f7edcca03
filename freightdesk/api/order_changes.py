"""Voiding and correcting an order over JSON (API.md: "Voiding and correcting an order"): parse, fetch through the
access function, call the desk's service, serialise. The routes join the orders' router (`PATCH /orders/{serial}`
shares its path with `GET`, and one path belongs to one router)."""

from typing import Literal

from django.http import HttpRequest
from ninja import Field
from pydantic import StrictBool, StrictInt

from freightdesk.accounts.bearer import BearerAuth
from freightdesk.accounts.capabilities import Capability
from freightdesk.core.api.errors import DetailOut, ErrorsOut
from freightdesk.core.cleaning import CleanModel, IsoDateTime
from freightdesk.desk.order_changes import correct_order, void_order
from freightdesk.orders.models import PaymentMethod
from freightdesk.orders.selectors import access_order_for

from .orders import order_body, router
from .schemas import LIMITS, FeeIn, Number, OrderOut, number, text

ERRORS = {401: DetailOut, 403: DetailOut, 404: DetailOut, 409: ErrorsOut | DetailOut, 422: ErrorsOut}


class VoidIn(CleanModel):
    reason: Literal["customer_cancelled", "duplicate", "cannot_serve", "other"]
    note: str = Field("", json_schema_extra={"maxLength": 200}, description="Required when the reason is `other`.")


@router.post(
    "/orders/{serial}/void",
    auth=BearerAuth(Capability.VOID_ORDER),
    response={200: OrderOut, **ERRORS},
    summary="Void (作废) an order before pickup",
    description=(
        "An order in review, confirmed or dispatched; after pickup -> 409 with the reason. A dispatched order's "
        "recipients get a recall SMS naming the serial (`GET /messages?order=`); its open follow-ups close."
    ),
)
def void(request: HttpRequest, serial: str, body: VoidIn):
    order = access_order_for(request.user, serial)
    void_order(order=order, by=request.user, reason=body.reason, note=body.note)
    return order_body(access_order_for(request.user, serial))


class PartyPatch(CleanModel):
    name: str | None = text(40, default=None)
    phone: str | None = text(30, default=None)


class GoodsPatch(CleanModel):
    name: str | None = text(40, default=None)
    quantity: StrictInt | None = number(1, LIMITS["MAX_QUANTITY"], default=None)
    weight_kg: Number | None = number(0, LIMITS["MAX_WEIGHT_KG"], exclusive_min=True, default=None)
    volume_m3: Number | None = number(0, LIMITS["MAX_VOLUME_M3"], exclusive_min=True, default=None)
    packaging_ok: StrictBool | None = None


class OrderPatch(CleanModel):
    """Any of the create fields; what is absent stays as it is."""

    shipper: PartyPatch | None = None
    pickup_address: str | None = text(LIMITS["MAX_TEXT"], default=None)
    pickup_region: str | None = Field(None, json_schema_extra={"maxLength": 20})
    consignee: PartyPatch | None = None
    delivery_address: str | None = text(LIMITS["MAX_TEXT"], default=None)
    delivery_region: str | None = Field(None, json_schema_extra={"maxLength": 20})
    goods: GoodsPatch | None = None
    payment_method: PaymentMethod | None = None
    extra_fees: list[FeeIn] | None = Field(None, max_length=10, description="Replaces every extra fee.")
    delivery_deadline: IsoDateTime | None = None
    note: str | None = Field(None, json_schema_extra={"maxLength": LIMITS["MAX_TEXT"]})


def form_changes(body: OrderPatch) -> dict:
    """The fields sent, by the order form's names (what `orders.corrections` validates)."""
    sent = body.model_dump(exclude_unset=True)
    out = {}
    for party in ("shipper", "consignee"):
        for key, value in (sent.pop(party, None) or {}).items():
            out[f"{party}_{key}"] = value
    for key, value in (sent.pop("goods", None) or {}).items():
        out["goods_name" if key == "name" else key] = value
    if "extra_fees" in sent:
        fees = sent.pop("extra_fees") or []
        out["extra_fees"] = [(getattr(f["kind"], "value", f["kind"]), f["amount"]) for f in fees]
    out.update(sent)
    return out


@router.patch(
    "/orders/{serial}",
    auth=BearerAuth(Capability.CORRECT_ORDER),
    response={200: OrderOut, **ERRORS},
    summary="Correct (改单) a confirmed or dispatched order",
    description=(
        "Any of the create fields: re-validated (prohibited goods too) and re-quoted; the timeline shows what "
        "changed, by whom. A dispatched order's recipients get a correction SMS. After pickup -> 409."
    ),
)
def correct(request: HttpRequest, serial: str, body: OrderPatch):
    order = access_order_for(request.user, serial)
    correct_order(order=order, by=request.user, data=form_changes(body))
    return order_body(access_order_for(request.user, serial))
