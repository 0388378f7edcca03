"""Nothing is lost across a restart: the ASGI server is killed between two messages; the agent's answer is
stored meanwhile; the customer's client reconnects to the new server with the last id it saw and gets it."""

import asyncio
import json
import signal

import pytest

from freightdesk.conversations import services

from .asgi_server import free_port, start_server

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("asgi_server")]


async def receive_messages(url: str, count: int) -> list[dict]:
    import websockets

    got = []
    async with websockets.connect(url) as ws:
        while len(got) < count:
            data = json.loads(await asyncio.wait_for(ws.recv(), timeout=10))
            if data["type"] == "message":
                got.append(data)
    return got


def test_a_client_reconnecting_after_a_server_restart_gets_what_it_missed(chat, available):
    port = free_port()
    url = f"ws://127.0.0.1:{port}/ws/conversations/{chat.pk}/?key={chat.access_key}"
    server = start_server(port)
    try:
        first = asyncio.run(receive_messages(url + "&after=0", 1))
        assert first[0]["text"] == "我的货到哪了？"
    finally:
        server.send_signal(signal.SIGKILL)
        server.wait()
    services.post_agent_message(conversation=chat, agent=available, text="已提货，明天送达")  # while it is down
    server = start_server(port)
    try:
        # the resume also re-sends what was written just before the last id seen (the client keeps one per id)
        missed = asyncio.run(receive_messages(url + f"&after={first[-1]['id']}", chat.messages.count()))
    finally:
        server.terminate()
        server.wait()
    assert [m["text"] for m in missed][-1] == "已提货，明天送达"
    assert [m["id"] for m in missed] == sorted(m["id"] for m in missed)
