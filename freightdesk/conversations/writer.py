"""Group commit for the chat's sockets: one writer per server process (per event loop) stores the messages that
arrived while its previous batch was being written, or within a few milliseconds of the first, in one database
transaction, then fans them out. On SQLite every process takes the one write lock once per batch instead of once
per message; on PostgreSQL one commit (one flush of the log) carries the whole batch.

The rules of writing one message at a time still hold:
- stored first, then fanned out: nothing is sent before its batch has committed, so a client that reconnects
  with ``after=`` its last id gets every message it did not see live;
- order: messages are written in the order they arrived, and a conversation's events go out in that order,
  batch after batch;
- an ordinary message (services.is_ordinary_post: the customer's, the holder's in his chat) changes nothing but
  the transcript, so the ordinary ones next to each other are stored with one insert; any other is written by its
  service in its own savepoint: one that is refused (a closed conversation, another agent's chat) rolls back
  alone, its sender gets the refusal, the rest of the batch is stored; a text over the limit is refused unwritten;
- a batch that fails as a whole (its commit, a lock) is written again one message per transaction, so one
  failure loses nothing else.
"""

import asyncio
import logging
import weakref
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from channels.db import database_sync_to_async
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import transaction

from freightdesk.core.errors import DomainError
from freightdesk.core.locks import lock_in_id_order

from . import fanout, services
from .models import Conversation

logger = logging.getLogger(__name__)
MAX_BATCH = 200


@dataclass
class Write:
    """One message to store: ``work(*args)`` in its own savepoint; the outcome once the batch has committed."""

    conversation_id: int
    work: Callable
    args: tuple
    done: asyncio.Future | None = None
    result: object = None
    error: Exception | None = None
    events: list = field(default_factory=list)
    post: "Post | None" = None  # a chat message: what the batch needs to store it with its ordinary neighbours


@dataclass(frozen=True)
class Post:
    agent: object  # None: the customer
    text: str


def _write_one(item: Write) -> None:
    """``item``'s work in a savepoint (inside a batch) or in its own transaction (alone)."""
    try:
        with transaction.atomic():
            item.result, item.events = fanout.collecting(item.work, *item.args)
    except Exception as exc:  # refused, or failed: this message only
        item.result, item.error, item.events = None, exc, []


def _store_ordinary(items: list[Write]) -> None:
    """Ordinary posts, in order, with one insert; a text that is empty or too long is refused, nothing written."""
    posts = []
    for item in items:
        try:
            posts.append((item, services.clean_text(item.post.text)))
        except DomainError as exc:
            item.result, item.error, item.events = None, exc, []
    if not posts:
        return
    stored = services.post_ordinary_messages([(item.conversation_id, item.post.agent, text) for item, text in posts])
    for (item, _text), message in zip(posts, stored, strict=True):
        item.result, item.events = message, [fanout.message_fan_out(message)]


def _write_in_order(items: list[Write]) -> None:
    """Each item in arrival order: runs of ordinary posts with one insert each, any other by its own work. Once a
    conversation had other work, its later posts in the batch take their services too (its state may have moved)."""
    ids = {item.conversation_id for item in items if item.post is not None}
    states = {c.pk: c for c in Conversation.objects.filter(pk__in=ids).only("status", "channel", "agent_id")}
    run: list[Write] = []
    for item in items:
        state = states.get(item.conversation_id)
        if item.post is not None and state is not None and services.is_ordinary_post(state, item.post.agent):
            run.append(item)
            continue
        _store_ordinary(run)
        run = []
        states.pop(item.conversation_id, None)
        _write_one(item)
    _store_ordinary(run)


def write_batch(items: list[Write]) -> None:
    """Store ``items`` in one transaction (ordinary posts together, any other in its own savepoint); their events
    are sent once it commits. If the transaction fails as a whole, each item is written again in a transaction of
    its own by its work."""
    try:
        with transaction.atomic():
            # two processes' batches that share conversations wait for each other instead of deadlocking
            lock_in_id_order(Conversation, {item.conversation_id for item in items})
            _write_in_order(items)
    except Exception:
        logger.exception("a batch of %d chat messages failed; writing them one at a time", len(items))
        for item in items:
            item.result, item.error, item.events = None, None, []
            _write_one(item)


class Writer:
    """The process's writer: ``await write(...)`` returns the work's result once stored (or raises its refusal);
    the fan-out follows from the writer, each conversation's in order, while the next batch is being written."""

    def __init__(self, window: float):
        self.window = window
        self.queue: asyncio.Queue[Write] = asyncio.Queue()
        self.task: asyncio.Task | None = None
        self.sending: dict[str, asyncio.Task] = {}  # each conversation's latest fan-out

    async def write(self, conversation_id: int, work: Callable, *args, post: Post | None = None):
        if self.task is None or self.task.done():
            self.task = asyncio.get_running_loop().create_task(self._run())
        item = Write(conversation_id, work, args, asyncio.get_running_loop().create_future(), post=post)
        self.queue.put_nowait(item)
        try:
            return await asyncio.shield(item.done)  # a sender that goes away leaves its message to be stored
        except asyncio.CancelledError:
            item.done.add_done_callback(lambda done: done.cancelled() or done.exception())
            raise

    async def _next_batch(self) -> list[Write]:
        batch = [await self.queue.get()]
        if self.window > 0:
            await asyncio.sleep(self.window)
        while len(batch) < MAX_BATCH and not self.queue.empty():
            batch.append(self.queue.get_nowait())
        return batch

    async def _run(self) -> None:
        while True:
            batch = await self._next_batch()
            try:
                await database_sync_to_async(write_batch)(batch)
            except Exception as exc:  # the database thread itself failed: every sender is told
                logger.exception("chat writer failed")
                for item in batch:
                    item.error, item.events = exc, []
            self._fan_out(batch)
            for item in batch:
                if item.error is not None:
                    item.done.set_exception(item.error)
                else:
                    item.done.set_result(item.result)

    def _fan_out(self, batch: list[Write]) -> None:
        """One task per conversation of the batch, sending its events in order after that conversation's sends
        of earlier batches; different conversations go out side by side."""
        by_group: dict[str, list[dict]] = defaultdict(list)
        for item in batch:
            for group, event in item.events:
                by_group[group].append(event)
        for group, events in by_group.items():
            task = asyncio.create_task(_send_in_order(group, events, self.sending.get(group)))
            self.sending[group] = task
            task.add_done_callback(lambda done, group=group: self._sent(group, done))

    def _sent(self, group: str, task: asyncio.Task) -> None:
        if self.sending.get(group) is task:
            del self.sending[group]


async def _send_in_order(group: str, events: list[dict], previous: asyncio.Task | None) -> None:
    if previous is not None:
        await asyncio.wait([previous])  # this conversation's earlier events first
    layer = get_channel_layer()
    for event in events:
        try:
            await layer.group_send(group, event)
        except Exception:  # the row is stored: a client that missed the push asks for it on reconnect
            logger.exception("fan-out to %s failed", group)


_writers: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Writer]" = weakref.WeakKeyDictionary()


def writer() -> Writer:
    """This event loop's writer (one per server process; tests run several loops one after another)."""
    loop = asyncio.get_running_loop()
    if loop not in _writers:
        _writers[loop] = Writer(window=settings.FREIGHTDESK["CHAT_WRITE_WINDOW_MS"] / 1000)
    return _writers[loop]
