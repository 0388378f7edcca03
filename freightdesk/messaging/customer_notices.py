"""The SMS the customer gets about his order (SPEC §4, §5): "order placed" (a phone order, with the serial and
the tracking link), "order received" and "order confirmed".

An order's step asks for it (`orders.notifications.notify_customer`); this module answers by queueing the
text in the outbox inside the order's transaction, so it is sent only if the order change commits and is
never lost if the gateway is down. The texts are editable message templates (codes RECEIVED and
CONFIRMED). One message per order and kind: the idempotency key is derived from both, so a retried request
never texts the customer twice. The phone order's confirmation is what the caller is waiting for on the line:
it goes at once even in the quiet hours; the others wait for 8:00 (messaging.quiet_hours).
"""

import logging

from django.conf import settings

from freightdesk.core.errors import DomainError
from freightdesk.core.phones import last4
from freightdesk.orders.notifications import CONFIRMED, PLACED, RECEIVED, customer_notice
from freightdesk.orders.seeds import CONFIRMED_TEXT, PLACED_TEXT, RECEIVED_TEXT, tracking_address

from . import template_cache
from .gateways import get_gateway
from .models import Message, MessageKind
from .services import Outgoing, queue_message
from .templating import ALIYUN, FREE, TENCENT, parse_cached

logger = logging.getLogger(__name__)

# The texts when the template is missing or has no code at the current provider: the seeded ones.
FALLBACK = {RECEIVED: RECEIVED_TEXT, CONFIRMED: CONFIRMED_TEXT, PLACED: PLACED_TEXT}
# Asked for by the customer a moment ago: sent even in the quiet hours.
REQUESTED = frozenset({PLACED})


def _values(order, agent_id: str) -> dict[str, str]:
    return {
        "serial": order.serial,
        "shipper": order.shipper_name,
        "pickup": order.pickup_address,
        "destination": order.delivery_address,
        "goods": order.goods_name,
        "quantity": str(order.quantity),
        "consignee": order.consignee_name,
        "agent_id": agent_id,
        "last4": last4(order.shipper_phone),
        "link": tracking_address(order.serial, last4(order.shipper_phone)),
    }


def _compose(code: str, values: dict[str, str]) -> tuple[str, str, dict | list | None]:
    """(text, provider template code, provider params) in the current gateway's syntax."""
    syntax = get_gateway().syntax
    template = template_cache.template(code)
    if template is None or (syntax != FREE and not template.provider_code(syntax)):
        return parse_cached(FREE, FALLBACK[code]).render(values), "", None
    parsed = template.parsed(syntax)
    text = template.parsed(FREE).render(values) if template.body else parsed.render(values)
    params = None
    if syntax == ALIYUN:
        params = {name: values.get(name, "") for name in parsed.fields}
    elif syntax == TENCENT:
        params = [values.get(name, "") for name in parsed.fields]
    return text, template.provider_code(syntax), params


def text_customer(
    sender, *, order, code: str, agent_id: str = "", by=None, now=None, new_order: bool = False, **kwargs
) -> Message | None:
    """Queue the customer SMS ``code`` for ``order``, inside the order's transaction (the receiver of
    ``orders.notifications.customer_notice``). An order inserted in this transaction (``new_order``) has no
    message yet: its key is not looked up."""
    key = f"customer-{code}-{order.pk}"
    if not new_order and Message.objects.filter(idempotency_key=key).exists():
        return None
    text, provider_code, params = _compose(code, _values(order, agent_id))
    try:
        return queue_message(
            outgoing=Outgoing(
                to=order.shipper_phone,
                text=text,
                signature=settings.SMS_SIGNATURE,
                role="customer",
                name=order.shipper_name,
                template_code=provider_code,
                template_params=params,
                requested=code in REQUESTED,
            ),
            kind=MessageKind.OTHER,
            order=order,
            key=key,
            created_by=by,
            now=now,
        )
    except DomainError as exc:
        # A landline cannot take an SMS: the order stands, the timeline of the call tells the rest.
        logger.info("customer SMS %s for %s not queued: %s", code, order.serial, exc.message)
        return None


def connect() -> None:
    customer_notice.connect(text_customer, dispatch_uid="messaging.text_customer")
