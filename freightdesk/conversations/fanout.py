"""Fan-out over the channel layer, after the database commit (a message is stored before anyone sees it).

Groups: ``conversation.<id>`` (the customer's and the agents' sockets on one conversation) and
``chat.inbox`` (every agent's inbox: a chat waiting, taken, closed; website messages)."""

import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)

INBOX = "chat.inbox"


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
    transaction.on_commit(lambda: _send(group, event))


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


def publish_message(message) -> None:
    after_commit(conversation_group(message.conversation_id), message_event(message))


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
