"""A conversation as the customer's widget, the API and the sockets see it (API.md "Conversations")."""

from datetime import datetime

from django.utils import timezone

from freightdesk.accounts.identity import agent_id_of

from . import rules, selectors
from .fanout import message_payload
from .models import Conversation


def _local(value: datetime | None) -> str | None:
    return timezone.localtime(value).replace(microsecond=0).isoformat() if value else None


def conversation_payload(
    conversation: Conversation, *, with_key: bool = False, after: int = 0, now: datetime | None = None
) -> dict:
    now = now or timezone.now()
    position = rules.queue_position(conversation)
    body = {
        "id": conversation.pk,
        "channel": conversation.channel,
        "status": conversation.status,
        "answer_due_at": _local(conversation.answer_due_at),
        "queue_position": position,
        "estimated_wait_minutes": rules.estimated_wait_minutes(position, now),
        "customer": {"name": conversation.customer_name, "phone": conversation.customer_phone},
        "order": conversation.order.serial if conversation.order_id else None,
        "agent": agent_id_of(conversation.agent) or None,
        "closed_reason": conversation.close_reason or None,
        "rated": conversation.rated_at is not None,
        "messages": [message_payload(m) for m in selectors.messages_after(conversation.pk, after)],
    }
    if with_key:
        body["access_key"] = conversation.access_key
    return body
