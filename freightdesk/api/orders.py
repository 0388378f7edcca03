"""Orders over JSON (API.md "Orders"): parse, call the orders' intake, serialise — nothing more."""

import base64
import binascii
import json
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import prefetch_related_objects
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Header, Query, Router

from freightdesk.accounts.bearer import BearerAuth, customer_account_of
from freightdesk.accounts.capabilities import Capability, has_capability
from freightdesk.core.api.errors import ApiValidationError, DetailOut, ErrorsOut, add_error, api_path
from freightdesk.core.api.idempotency import Outcome, claim_key, request_hash
from freightdesk.core.money import yuan
from freightdesk.core.phones import normalize_phone
from freightdesk.orders.forms import OrderForm
from freightdesk.orders.intake import record_refused_enquiry, take_order
from freightdesk.orders.models import Channel, Order
from freightdesk.orders.selectors import access_order_for, by_phone, order_page, order_timeline, visible_orders
from freightdesk.orders.timeline import event_text

from .forms import ExtraFeeForm
from .schemas import ORDER_FIELD_PATHS, OrderIn, OrderOut, OrderPage, OrderQuery, TimelineEntryOut

router = Router(tags=["orders"])

AUTH_ERRORS = {401: DetailOut, 403: DetailOut}


# --- serialising ------------------------------------------------------------------
def _money(value: Decimal) -> str:
    return format(yuan(value), "f")


def _measure(order: Order, field: str) -> str:
    """A weight or volume to its column's decimal places, whether read back or just written."""
    places = Order._meta.get_field(field).decimal_places
    return format(getattr(order, field).quantize(Decimal(1).scaleb(-places)), "f")


def _local(value: datetime | None) -> str | None:
    """In the company's zone, to the second (the same text however the body is encoded)."""
    return timezone.localtime(value).replace(microsecond=0).isoformat() if value else None


def _driver(order: Order) -> dict | None:
    driver = order.driver if order.driver_id else None
    return {"code": driver.code or "", "name": driver.name, "phone": driver.phone} if driver else None


def order_body(order: Order, fees: list | None = None) -> dict:
    """The order as API.md shows it (OrderOut, already in its JSON form: built once, never re-validated);
    money as decimal strings, times in Asia/Shanghai."""
    fees = [{"kind": fee.kind, "amount": _money(fee.amount)} for fee in (order.fees.all() if fees is None else fees)]
    return {
        "serial": order.serial,
        "status": order.status,
        "channel": order.channel,
        "shipper": {"name": order.shipper_name, "phone": order.shipper_phone},
        "pickup_address": order.pickup_address,
        "pickup_region": order.pickup_region.code,
        "consignee": {"name": order.consignee_name, "phone": order.consignee_phone},
        "delivery_address": order.delivery_address,
        "delivery_region": order.delivery_region.code,
        "goods": {
            "name": order.goods_name,
            "quantity": order.quantity,
            "weight_kg": _measure(order, "weight_kg"),
            "volume_m3": _measure(order, "volume_m3"),
            "packaging_ok": order.packaging_ok,
        },
        "payment_method": order.payment_method,
        "extra_fees": fees,
        "delivery_deadline": _local(order.delivery_deadline),
        "note": order.note,
        "quote": {"freight": _money(order.freight), "fees": fees, "total": _money(order.total)},
        "created_at": _local(order.created_at),
        "agent_id": order.agent_id,
        "review_due_at": _local(order.review_due_at),
        "confirmed_at": _local(order.confirmed_at),
        "dispatch_due_at": _local(order.dispatch_due_at),
        "driver": _driver(order),
    }


def _json(body: dict, *, status: int) -> HttpResponse:
    """The body as ninja's renderer writes it, without validating it against its schema a second time."""
    return HttpResponse(json.dumps(body), status=status, content_type="application/json; charset=utf-8")


# --- creating ---------------------------------------------------------------------
def _form_data(payload: OrderIn, channel: str) -> dict:
    return {
        "channel": channel,
        "shipper_name": payload.shipper.name,
        "shipper_phone": payload.shipper.phone,
        "pickup_address": payload.pickup_address,
        "pickup_region": payload.pickup_region or "",
        "consignee_name": payload.consignee.name,
        "consignee_phone": payload.consignee.phone,
        "delivery_address": payload.delivery_address,
        "delivery_region": payload.delivery_region or "",
        "goods_name": payload.goods.name,
        "quantity": payload.goods.quantity,
        "weight_kg": payload.goods.weight_kg,
        "volume_m3": payload.goods.volume_m3,
        "packaging_ok": payload.goods.packaging_ok,
        "payment_method": payload.payment_method,
        "delivery_deadline": payload.delivery_deadline,
        "note": payload.note,
    }


def _validated_fees(payload: OrderIn, errors: dict) -> list[tuple[str, Decimal]]:
    fees = []
    for index, fee in enumerate(payload.extra_fees):
        form = ExtraFeeForm(data={"kind": fee.kind, "amount": fee.amount})
        if form.is_valid():
            fees.append((form.cleaned_data["kind"], form.cleaned_data["amount"]))
        for field, messages in form.errors.items():
            for message in messages:
                add_error(errors, f"extra_fees.{index}.{field}", message)
    return fees


def validated_order(request: HttpRequest, payload: OrderIn, channel: str) -> dict:
    """OrderForm's cleaned data, or ApiValidationError with every bad field at its JSON path.
    A prohibited goods name is refused, and the enquiry still kept for the origin analysis (SPEC §12)."""
    errors: dict[str, list[str]] = {}
    fees = _validated_fees(payload, errors)
    form = OrderForm(data=_form_data(payload, channel), extra_fees=fees)
    valid = form.is_valid()
    for field, messages in form.errors.items():
        for message in messages:
            add_error(errors, api_path(None if field == "__all__" else field, ORDER_FIELD_PATHS), message)
    if form.prohibited_hit is not None:
        staff = request.user if has_capability(request.user, Capability.TAKE_ORDER) else None
        record_refused_enquiry(
            data=form.cleaned_data,
            raw=form.data,
            channel=channel,
            reason=" ".join(form.errors.get("goods_name", [])),
            agent=staff,
        )
    if errors or not valid:
        raise ApiValidationError(errors)
    return form.cleaned_data


@router.post(
    "/orders",
    auth=BearerAuth(Capability.PLACE_ORDER),
    response={201: OrderOut, 409: ErrorsOut | DetailOut, 422: ErrorsOut, **AUTH_ERRORS},
    summary="Take an order",
    description=(
        "Validates every field (422 lists them all), refuses prohibited goods, quotes from the rate card, "
        "assigns the serial. An agent's phone order is `confirmed` at once; web and chat orders are `submitted` "
        "for review. Send `Idempotency-Key` to make retries safe."
    ),
)
def create_order(
    request: HttpRequest,
    payload: OrderIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key", min_length=1, max_length=255),
):
    user = request.user
    staff = has_capability(user, Capability.TAKE_ORDER)
    account = None if staff else customer_account_of(user)
    channel = Channel.WEB if account is not None else (payload.channel or Channel.PHONE)  # a customer: the web
    claim = None
    if idempotency_key:  # one read before any write lock; the key is recorded in the order's own transaction
        digest = request_hash(method="POST", path="orders", body=payload.model_dump(mode="json"))
        claim = claim_key(user=user, key=idempotency_key, digest=digest)
        if isinstance(claim, Outcome):
            return _replay(request, claim)
    data = validated_order(request, payload, channel)
    answer = {}

    def record(order: Order, fees: list) -> None:
        # The answer is made from the order as written (its regions and fees are in memory): no re-read.
        answer["body"] = order_body(order, fees)
        if claim is not None:
            claim.record(201, answer["body"])

    try:
        take_order(
            data=data, channel=channel, agent=user if staff else None, customer_account=account, on_written=record
        )
    except IntegrityError:
        if claim is None or (outcome := claim.replay()) is None:
            raise
        return _replay(request, outcome)  # a concurrent request with this key committed first
    return _json(answer["body"], status=201)


def _replay(request, outcome) -> JsonResponse:
    """The first answer to this Idempotency-Key, as it was."""
    response = JsonResponse(outcome.body, status=outcome.status, safe=False)
    response["Idempotent-Replayed"] = "true"
    return response


# --- reading ----------------------------------------------------------------------
@router.get(
    "/orders/{serial}",
    auth=BearerAuth(Capability.VIEW_ORDERS),
    response={200: OrderOut, 404: DetailOut, **AUTH_ERRORS},
    summary="An order",
)
def get_order(request: HttpRequest, serial: str):
    return order_body(access_order_for(request.user, serial))


# Days outside this span bound nothing (and would overflow when converted to UTC).
EARLIEST_DAY, LATEST_DAY = date(1900, 1, 1), date(9999, 12, 30)


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _encode_cursor(order: Order) -> str:
    raw = f"{order.created_at.isoformat()}|{order.pk}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def _decode_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        at, pk = raw.split("|")
        parsed = datetime.fromisoformat(at)
        if timezone.is_naive(parsed):
            raise ValueError(at)
        return parsed.astimezone(UTC), int(pk)
    except (ValueError, OverflowError, binascii.Error, UnicodeDecodeError) as exc:
        raise ApiValidationError({"cursor": [_("This is not a cursor this list gave out.")]}) from exc


def _filtered(user, filters: OrderQuery) -> list:
    """The list's querysets for ``order_page``: one, or a phone's two (shipper, consignee)."""
    errors: dict[str, list[str]] = {}
    qs = visible_orders(user)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.from_ and filters.from_ > EARLIEST_DAY:
        qs = qs.filter(created_at__gte=_day_start(filters.from_))
    if filters.to and filters.to < LATEST_DAY:
        qs = qs.filter(created_at__lt=_day_start(filters.to + timedelta(days=1)))
    if filters.from_ and filters.to and filters.from_ > filters.to:
        add_error(errors, "to", _("The end date is before the start date."))
    branches = [qs]
    if filters.phone:
        try:
            branches = by_phone(qs, normalize_phone(filters.phone))
        except DjangoValidationError as exc:
            for message in exc.messages:
                add_error(errors, "phone", message)
    if errors:
        raise ApiValidationError(errors)
    return branches


@router.get(
    "/orders",
    auth=BearerAuth(Capability.VIEW_ORDERS),
    response={200: OrderPage, 422: ErrorsOut, **AUTH_ERRORS},
    summary="A page of orders, newest first",
    description="Filter by `status`, by day (`from`, `to`, inclusive, Asia/Shanghai) and by `phone`. "
    "Follow `next` (pass it as `cursor`) for older orders.",
)
def list_orders(request: HttpRequest, filters: Query[OrderQuery]):
    qs = _filtered(request.user, filters)
    after = _decode_cursor(filters.cursor) if filters.cursor else None
    rows, last = order_page(qs, after=after, size=filters.limit)
    prefetch_related_objects(rows, "fees")
    return {"items": [order_body(order) for order in rows], "next": _encode_cursor(last) if last else None}


@router.get(
    "/orders/{serial}/timeline",
    auth=BearerAuth(Capability.VIEW_ORDERS),
    response={200: list[TimelineEntryOut], 404: DetailOut, **AUTH_ERRORS},
    summary="The order's history, oldest first",
)
def get_timeline(request: HttpRequest, serial: str):
    order = access_order_for(request.user, serial)
    return [
        {
            "at": _local(event.at),
            "kind": event.kind,
            "by": event.by_label or (event.by.get_username() if event.by else ""),
            "text": event_text(event),
        }
        for event in order_timeline(order)
    ]
