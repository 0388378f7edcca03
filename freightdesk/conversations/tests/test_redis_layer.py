"""With REDIS_URL the chat fans out through Redis (the site's channels-redis layer, settings.CHANNELS_REDIS_BACKEND):
a message sent by one process reaches a socket held by another. Run against the machine's Redis (127.0.0.1:6379, or REDIS_URL); skipped without one."""

import asyncio
import os
import socket
import uuid
from urllib.parse import urlparse

import pytest
from asgiref.sync import async_to_sync
from django.conf import settings
from django.utils.module_loading import import_string

from freightdesk.conversations import fanout

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


def redis_up() -> bool:
    url = urlparse(REDIS_URL)
    try:
        socket.create_connection((url.hostname, url.port or 6379), timeout=1).close()
        return True
    except OSError:
        return False


def site_layer(prefix: str):
    """A channel layer as a web process builds it from the site's settings (one per process)."""
    hosts = [{"address": REDIS_URL, **settings.CHANNELS_REDIS_HOST_OPTIONS}]
    return import_string(settings.CHANNELS_REDIS_BACKEND)(hosts=hosts, prefix=prefix)


pytestmark = pytest.mark.skipif(not redis_up(), reason="no Redis at REDIS_URL / 127.0.0.1:6379")


def test_a_message_fanned_out_by_one_process_reaches_a_socket_held_by_another():
    prefix = f"fd-test-{uuid.uuid4().hex[:8]}"
    web_1 = site_layer(prefix)  # the process holding the customer's socket
    web_2 = site_layer(prefix)  # the process where the agent's message is stored

    async def round_trip():
        channel = await web_1.new_channel()
        group = fanout.conversation_group(4242)
        await web_1.group_add(group, channel)
        await web_2.group_send(group, {"type": "chat.message", "message": {"id": 7, "text": "您好"}})
        received = await web_1.receive(channel)
        await web_1.group_discard(group, channel)
        await web_1.flush()  # closes the layer's connections
        await web_2.flush()
        return received

    assert async_to_sync(round_trip)() == {"type": "chat.message", "message": {"id": 7, "text": "您好"}}


def test_a_conversations_messages_sent_one_after_another_by_one_process_arrive_in_that_order():
    """The writer sends a conversation's events one after another, in the order of their ids; a socket on another
    process must get them in that order (a client resumes ``after=`` the last id it saw)."""
    prefix = f"fd-test-{uuid.uuid4().hex[:8]}"
    web_1, web_2 = site_layer(prefix), site_layer(prefix)

    async def in_turn():
        channel = await web_1.new_channel()
        group = fanout.conversation_group(4243)
        await web_1.group_add(group, channel)
        for n in range(100):
            await web_2.group_send(group, {"type": "chat.message", "message": {"id": n}})
        received = [await asyncio.wait_for(web_1.receive(channel), 10) for _ in range(100)]
        await web_1.flush()
        await web_2.flush()
        return [m["message"]["id"] for m in received]

    assert async_to_sync(in_turn)() == list(range(100))


def test_a_burst_of_sends_beyond_a_hundred_at_once_is_carried_not_refused():
    """redis-py 8's pool refuses its 101st connection instead of waiting; the site's layer must carry a burst
    (one send in flight per socket a process holds: 150 sockets answering at once)."""
    prefix = f"fd-test-{uuid.uuid4().hex[:8]}"
    layer = site_layer(prefix)

    async def burst():
        channel = await layer.new_channel()
        await layer.group_add("burst", channel)
        await asyncio.gather(*(layer.group_send("burst", {"type": "chat.message", "n": n}) for n in range(150)))
        received = [await asyncio.wait_for(layer.receive(channel), 10) for _ in range(150)]
        await layer.flush()
        return received

    assert sorted(m["n"] for m in async_to_sync(burst)()) == list(range(150))
