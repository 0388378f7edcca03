"""WebSockets (Django Channels): ``/ws/conversations/<id>/`` for the customer (``?key=``) and the agents on a
conversation (their session), ``/ws/chat/inbox/`` for an agent's inbox and presence.

Client -> server: ``{"type": "message", "text"}``, ``{"type": "typing"}``, ``{"type": "resume", "after": <id>}``;
inbox: ``{"type": "presence", "status"}``, ``{"type": "heartbeat"}``.
Server -> client: ``message`` (id, at, from, agent, text), ``state``, ``typing``, ``error`` (code, detail).
A client that (re)connects with ``?after=<last id>`` gets what it missed: it joins the group first, then reads
the stored messages, so nothing falls between (a duplicate is possible; the client keeps one per id). The read
also covers the seconds before the last id (``selectors.messages_after``): with several processes another
process's newer message can arrive live before this one's older one."""

import logging
import time
from urllib.parse import parse_qs, urlparse

from channels.consumer import get_handler_name
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404

from freightdesk.accounts.capabilities import Capability, has_capability
from freightdesk.core.errors import DomainError

from . import fanout, selectors, services, writer

logger = logging.getLogger(__name__)
NOT_FOUND = 4404
FORBIDDEN = 4403


def _query(scope) -> dict[str, str]:
    parsed = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    return {k: v[-1] for k, v in parsed.items()}


def _int(value, default: int = 0) -> int:
    try:
        return max(int(value), 0)
    except (TypeError, ValueError):
        return default


def same_origin(scope) -> bool:
    """A session-authenticated socket must come from our own pages (no cross-site WebSocket hijacking)."""
    headers = dict(scope.get("headers") or [])
    origin = headers.get(b"origin", b"").decode("latin-1")
    host = headers.get(b"host", b"").decode("latin-1")
    return bool(origin) and urlparse(origin).netloc == host


class DeliveringConsumer(AsyncJsonWebsocketConsumer):
    async def dispatch(self, message):
        """Channels' dispatch without its hop to the process's one database thread before every frame and every
        event (close_old_connections): a delivery queued there behind the writes, and with two processes behind
        the other's write lock. Every database call here goes through database_sync_to_async, which does it."""
        handler = getattr(self, get_handler_name(message), None)
        if handler is None:
            raise ValueError(f"No handler for message type {message['type']}")
        await handler(message)


class ConversationConsumer(DeliveringConsumer):
    async def connect(self):
        query = _query(self.scope)
        self.conversation_id = _int(self.scope["url_route"]["kwargs"]["pk"])
        self.agent = None
        await self.accept()
        try:
            await self._authorise(query.get("key", ""))
        except (Http404, PermissionDenied):
            await self.close(code=NOT_FOUND)
            return
        self.group = fanout.conversation_group(self.conversation_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self._history(_int(query.get("after")))

    @database_sync_to_async
    def _authorise(self, key: str) -> None:
        user = self.scope.get("user")
        if key:
            selectors.conversation_by_key(self.conversation_id, key)
            return
        if user is None or not user.is_authenticated or not same_origin(self.scope):
            raise Http404
        if has_capability(user, Capability.ANSWER_CHATS):
            selectors.conversation_for_staff(user, self.conversation_id)
            self.agent = user
            return
        selectors.conversation_for_account(self.conversation_id, getattr(user, "customer_account", None))

    async def disconnect(self, code):
        if getattr(self, "group", None):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def _history(self, after: int) -> None:
        messages = await database_sync_to_async(selectors.messages_after)(self.conversation_id, after)
        for message in messages:
            await self.send_json({"type": "message", **fanout.message_payload(message)})

    async def receive_json(self, content, **kwargs):
        if not getattr(self, "group", None) or not isinstance(content, dict):
            return
        kind = content.get("type")
        if kind == "message":
            await self._post(content.get("text"))
        elif kind == "typing":
            sender = "agent" if self.agent else "customer"
            await self.channel_layer.group_send(
                self.group, {"type": "chat.typing", "from": sender, "sender_channel": self.channel_name}
            )
        elif kind == "resume":
            await self._history(_int(content.get("after")))

    async def _post(self, text) -> None:
        if not isinstance(text, str):
            await self.send_json({"type": "error", "code": "invalid", "detail": "text"})
            return
        if self.agent is None and not self._allowed():
            await self.send_json({"type": "error", "code": "rate_limited", "detail": "too many messages"})
            return
        try:  # stored in the process's next batch, then fanned out by the writer (writer.py)
            post = writer.Post(agent=self.agent, text=text)
            await writer.writer().write(self.conversation_id, self._store, text, post=post)
        except DomainError as exc:
            await self.send_json({"type": "error", "code": exc.code, "detail": exc.message})

    def _allowed(self) -> bool:
        """The customer's message rate on this socket (CHAT_MESSAGE_RATE per minute); opening a conversation
        and the HTTP endpoint count per client address in the shared cache."""
        limit, window = settings.FREIGHTDESK["CHAT_MESSAGE_RATE"]
        now = time.monotonic()
        self.sent_at = [t for t in getattr(self, "sent_at", []) if now - t < window] + [now]
        return len(self.sent_at) <= limit

    def _store(self, text: str):
        conversation = selectors.Conversation(pk=self.conversation_id)  # the service locks and reads it
        if self.agent is not None:
            return services.post_agent_message(conversation=conversation, agent=self.agent, text=text)
        return services.post_customer_message(conversation=conversation, text=text)

    async def chat_message(self, event):
        await self.send_json({"type": "message", **event["message"]})

    async def chat_state(self, event):
        await self.send_json({**event, "type": "state"})

    async def chat_typing(self, event):
        if event.get("sender_channel") != self.channel_name:
            await self.send_json({"type": "typing", "from": event["from"]})


class InboxConsumer(DeliveringConsumer):
    """An agent's inbox: told when a chat waits, is taken or closes; presence and heartbeat."""

    async def connect(self):
        user = self.scope.get("user")
        allowed = user is not None and user.is_authenticated and same_origin(self.scope)
        if not allowed or not await database_sync_to_async(has_capability)(user, Capability.ANSWER_CHATS):
            await self.close(code=FORBIDDEN)
            return
        self.agent = user
        await self.accept()
        await self.channel_layer.group_add(fanout.INBOX, self.channel_name)
        await database_sync_to_async(services.set_presence)(agent=user)

    async def disconnect(self, code):
        if getattr(self, "agent", None):
            await self.channel_layer.group_discard(fanout.INBOX, self.channel_name)

    async def receive_json(self, content, **kwargs):
        if not isinstance(content, dict):
            return
        status = content.get("status") if content.get("type") == "presence" else None
        if content.get("type") in {"presence", "heartbeat"}:
            try:
                presence = await database_sync_to_async(services.set_presence)(agent=self.agent, status=status)
            except DomainError as exc:
                await self.send_json({"type": "error", "code": exc.code, "detail": exc.message})
                return
            await self.send_json({"type": "presence", "status": presence.status})

    async def inbox_changed(self, event):
        await self.send_json({**event, "type": "inbox"})
