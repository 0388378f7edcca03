"""Real servers: the web process's frame cap refuses an oversized WebSocket frame; two web processes on one
Redis carry a chat between them (the customer's socket on one, the agent's answer stored by the other)."""

import asyncio
import json
import urllib.request
import uuid

import pytest
import websockets

from freightdesk.conversations.models import ConversationMessage

from .asgi_server import free_port, procfile_ws_max_size, start_server
from .conftest import token_for
from .test_redis_layer import REDIS_URL, redis_up

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("asgi_server")]


def post_json(url: str, body: dict, token: str) -> int:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status


async def next_message(ws, sender: str | None = None) -> dict:
    while True:
        data = json.loads(await asyncio.wait_for(ws.recv(), timeout=30))
        if data["type"] == "message" and sender in (None, data["from"]):
            return data


def test_a_frame_over_the_servers_cap_closes_the_socket_and_stores_nothing(chat):
    port = free_port()
    server = start_server(port)
    url = f"ws://127.0.0.1:{port}/ws/conversations/{chat.pk}/?key={chat.access_key}"

    async def oversized():
        async with websockets.connect(url) as ws:
            await next_message(ws)
            await ws.send(json.dumps({"type": "message", "text": "长" * procfile_ws_max_size()}))
            with pytest.raises(websockets.ConnectionClosed) as closed:
                await asyncio.wait_for(ws.recv(), timeout=10)
            return closed.value.rcvd.code if closed.value.rcvd else None

    try:
        assert asyncio.run(oversized()) == 1009  # "message too big"
    finally:
        server.terminate()
        server.wait()
    assert chat.messages.count() == 1


@pytest.mark.skipif(not redis_up(), reason="no Redis at REDIS_URL / 127.0.0.1:6379")
def test_two_web_processes_on_redis_carry_a_chat_between_them_after_an_idle_spell(chat, available):
    prefix = f"fd-test-{uuid.uuid4().hex[:8]}"
    ports = free_port(), free_port()
    servers = [start_server(port, redis=(REDIS_URL, prefix)) for port in ports]
    token = token_for(available)

    async def across():
        url = f"ws://127.0.0.1:{ports[0]}/ws/conversations/{chat.pk}/?key={chat.access_key}"
        async with websockets.connect(url) as customer:
            await next_message(customer)
            await asyncio.sleep(7)  # idle past the channel layer's 5 s blocking read: the socket must stay open
            status = await asyncio.to_thread(
                post_json,
                f"http://127.0.0.1:{ports[1]}/api/v1/conversations/{chat.pk}/messages",
                {"text": "您好，货已提走"},
                token,
            )
            return status, await next_message(customer, "agent")

    try:
        status, received = asyncio.run(across())
    finally:
        for server in servers:
            server.terminate()
            server.wait()
    assert status == 201
    assert received["text"] == "您好，货已提走"
    assert ConversationMessage.objects.filter(conversation=chat, sender="agent").count() == 1
