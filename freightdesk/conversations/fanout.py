"""Fan-out over the channel layer, after the database commit (a message is stored before anyone sees it).

Groups: ``conversation.<id>`` (the customer's and the agents' sockets on one conversation) and
``chat.inbox`` (every agent's inbox: a chat waiting, taken, closed; website messages)."""

import logging
from contextvars import ContextVar

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)

INBOX = "chat.inbox"
# A consumer collects the events of its own write and sends them from the event loop once the write has
# committed, instead of the database thread waiting on each send.
_collected: ContextVar[list | None] = ContextVar("fanout_collected", default=None)


def conversation_group(conversation_id: int) -> str:
    return f"conversation.{conversation_id}"


def _send(group: str, event: dict) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group, event)
    except Exception:  # the row is stored: a client that missed the push asks for it on reconnect
        logger.exception("fan-out to %s failed", group)


def after_commit(group: str, event: dict) -> None:
    collected = _collected.get()
    if collected is not None:
        transaction.on_commit(lambda: collected.append((group, event)))
        return
    transaction.on_commit(lambda: _send(group, event))


def collecting(work, *args, **kwargs) -> tuple[object, list[tuple[str, dict]]]:
    """Run ``work`` with its fan-out collected: (result, [(group, event)] committed, for the caller to send)."""
    collected: list[tuple[str, dict]] = []
    token = _collected.set(collected)
    try:
        return work(*args, **kwargs), collected
    finally:
        _collected.reset(token)


def message_event(message) -> dict:
    return {"type": "chat.message", "message": message_payload(message)}


def message_payload(message) -> dict:
    return {
        "id": message.pk,
        "at": message.at.isoformat(),
        "from": message.sender,
        "agent": message.agent_code or None,
        "text": message.text,
    }


def message_fan_out(message) -> tuple[str, dict]:
    """Where a stored message goes and what is sent: its conversation's sockets, the message event."""
    return conversation_group(message.conversation_id), message_event(message)


def publish_message(message) -> None:
    after_commit(*message_fan_out(message))


def publish_state(conversation) -> None:
    """The conversation's status changed: its sockets and the inboxes hear it."""
    event = {
        "type": "chat.state",
        "conversation": conversation.pk,
        "status": conversation.status,
        "channel": conversation.channel,
        "agent": conversation.agent.username if conversation.agent_id else None,
    }
    after_commit(conversation_group(conversation.pk), event)
    after_commit(INBOX, {**event, "type": "inbox.changed"})
