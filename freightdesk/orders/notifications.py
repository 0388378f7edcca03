"""The SMS the customer gets about his order (SPEC §4, §5): "order placed" (a phone order), "order received" and
"order confirmed" (a web or chat order, before and after review).

An order's step asks for it with `notify_customer` inside its transaction; the messaging app, a layer above,
answers the `customer_notice` signal by queueing the text in its outbox in that same transaction
(messaging/customer_notices.py), so the SMS goes out only if the order change commits.
"""

from django.dispatch import Signal

# The editable message templates' codes.
RECEIVED = "order_received"
CONFIRMED = "order_confirmed"
PLACED = "order_placed"  # a phone order taken and confirmed on the call (下单成功提醒), with the tracking link

# Sent inside the order's transaction with ``order``, ``code``, ``agent_id``, ``by``, ``now`` and ``new_order``.
customer_notice = Signal()


def notify_customer(*, order, code: str, agent_id: str = "", by=None, now=None, new_order: bool = False) -> None:
    """Ask for the customer SMS ``code`` about ``order`` (call inside the order's transaction). ``new_order``: the
    order was inserted in this very transaction, so no SMS about it can have been queued before."""
    customer_notice.send(
        sender=type(order), order=order, code=code, agent_id=agent_id, by=by, now=now, new_order=new_order
    )
