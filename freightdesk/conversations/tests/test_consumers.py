"""The WebSockets (Channels' WebsocketCommunicator): a message is stored, then reaches the other side; a
client that reconnects with the last id it saw gets what it missed; a wrong key closes with 4404."""

import asyncio
from datetime import timedelta

import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from django.utils import timezone

from freightdesk.asgi import application
from freightdesk.conversations import selectors, services
from freightdesk.conversations.consumers import ConversationConsumer
from freightdesk.conversations.models import ConversationMessage

pytestmark = pytest.mark.django_db(transaction=True)
ORIGIN = [(b"origin", b"http://testserver"), (b"host", b"testserver")]


def customer_socket(chat, after=0, key=None):
    key = chat.access_key if key is None else key
    return WebsocketCommunicator(application, f"/ws/conversations/{chat.pk}/?key={key}&after={after}")


def agent_socket(chat, agent):
    communicator = WebsocketCommunicator(
        ConversationConsumer.as_asgi(), f"/ws/conversations/{chat.pk}/", headers=ORIGIN
    )
    communicator.scope["user"] = agent
    communicator.scope["url_route"] = {"kwargs": {"pk": chat.pk}}
    return communicator


def test_customer_and_agent_talk_in_real_time(chat, available):
    async def talk():
        customer, agent = customer_socket(chat), agent_socket(chat, available)
        assert (await customer.connect())[0] and (await agent.connect())[0]
        assert (await customer.receive_json_from())["text"] == "我的货到哪了？"
        assert (await agent.receive_json_from())["text"] == "我的货到哪了？"
        await agent.send_json_to({"type": "message", "text": "您好，请提供单号"})
        seen = [await customer.receive_json_from(timeout=5) for _ in range(3)]
        await customer.send_json_to({"type": "typing"})
        typing = await agent.receive_json_from(timeout=5)
        while typing["type"] != "typing":
            typing = await agent.receive_json_from(timeout=5)
        await customer.disconnect()
        await agent.disconnect()
        return seen, typing

    seen, typing = async_to_sync(talk)()
    texts = [m.get("text") for m in seen if m["type"] == "message"]
    assert "您好，请提供单号" in texts
    assert typing == {"type": "typing", "from": "customer"}
    assert ConversationMessage.objects.filter(conversation=chat, sender="agent").count() == 1


async def _resume(chat, after: int) -> list[dict]:
    """The messages a customer's socket is sent on connecting with ``after``, until it goes quiet."""
    customer = customer_socket(chat, after=after)
    await customer.connect()
    got = []
    while not await customer.receive_nothing(timeout=0.3):
        got.append(await customer.receive_json_from(timeout=5))
    await customer.disconnect()
    return [m for m in got if m["type"] == "message"]


def test_a_reconnecting_client_gets_what_it_missed(chat, available):
    first_id = chat.messages.get().pk
    services.post_agent_message(conversation=chat, agent=available, text="第一条")
    services.post_agent_message(conversation=chat, agent=available, text="第二条")

    got = async_to_sync(_resume)(chat, first_id)
    after = [m for m in got if m["id"] > first_id]
    assert [m["text"] for m in after][-2:] == ["第一条", "第二条"]
    assert [m["id"] for m in got] == sorted(m["id"] for m in got)


def test_a_resume_from_a_newer_id_also_gets_an_older_message_written_just_before(chat, available):
    """With two server processes, process B's newer message can reach a socket live before process A's older one;
    the client then resumes from the newer id, and must still be sent the older."""
    older = services.post_agent_message(conversation=chat, agent=available, text="较早的一条")
    newer = services.post_agent_message(conversation=chat, agent=available, text="较新的一条")
    got = async_to_sync(_resume)(chat, newer.pk)
    assert "较早的一条" in [m["text"] for m in got]
    assert older.pk < newer.pk


def test_a_resume_does_not_send_again_what_was_written_well_before(chat, available, time_machine):
    old_id = chat.messages.get().pk
    time_machine.move_to(timezone.now() + selectors.RESUME_OVERLAP + timedelta(seconds=5), tick=True)
    anchor = services.post_agent_message(conversation=chat, agent=available, text="刚才的一条")
    got = async_to_sync(_resume)(chat, anchor.pk)
    assert old_id not in [m["id"] for m in got]
    assert [m["text"] for m in got][-1] == "刚才的一条"


def test_a_wrong_key_closes_the_socket_with_4404(chat):
    async def wrong():
        customer = customer_socket(chat, key="guess")
        await customer.connect()
        output = await customer.receive_output(timeout=5)
        await customer.disconnect()
        return output

    assert async_to_sync(wrong)() == {"type": "websocket.close", "code": 4404}


def test_a_session_from_another_site_is_refused(chat, available):
    async def cross_site():
        communicator = WebsocketCommunicator(
            ConversationConsumer.as_asgi(),
            f"/ws/conversations/{chat.pk}/",
            headers=[(b"origin", b"https://evil.example"), (b"host", b"testserver")],
        )
        communicator.scope["user"] = available
        communicator.scope["url_route"] = {"kwargs": {"pk": chat.pk}}
        await communicator.connect()
        output = await communicator.receive_output(timeout=5)
        await communicator.disconnect()
        return output

    assert async_to_sync(cross_site)()["code"] == 4404


def test_a_closed_conversation_answers_a_socket_message_with_the_reason(chat, available):
    services.close_conversation(conversation=chat, by=available, reason="已解决")

    async def late():
        customer = customer_socket(chat, after=10**9)
        await customer.connect()
        await customer.send_json_to({"type": "message", "text": "还有一件事"})
        reply = await customer.receive_json_from(timeout=5)
        await customer.disconnect()
        return reply

    reply = async_to_sync(late)()
    assert reply["type"] == "error" and reply["code"] == "closed" and "已解决" in reply["detail"]
    assert not chat.messages.filter(text="还有一件事").exists()


def test_a_customer_sending_too_fast_is_refused_and_nothing_more_is_stored(chat, settings):
    settings.FREIGHTDESK = {**settings.FREIGHTDESK, "CHAT_MESSAGE_RATE": (2, 60)}

    async def flood():
        customer = customer_socket(chat, after=10**9)
        await customer.connect()
        for n in range(3):
            await customer.send_json_to({"type": "message", "text": f"第{n}条"})
        replies = [await customer.receive_json_from(timeout=5) for _ in range(3)]
        await customer.disconnect()
        return replies

    replies = async_to_sync(flood)()
    assert [r["code"] for r in replies if r["type"] == "error"] == ["rate_limited"]
    assert chat.messages.filter(sender="customer").count() == 3  # the first message and two of the three


def test_a_socket_message_over_2000_characters_is_refused_with_the_limit_and_not_stored(chat):
    async def long():
        customer = customer_socket(chat, after=10**9)
        await customer.connect()
        await customer.send_json_to({"type": "message", "text": "长" * 2001})
        reply = await customer.receive_json_from(timeout=5)
        await customer.disconnect()
        return reply

    reply = async_to_sync(long)()
    assert reply["type"] == "error" and reply["code"] == "too_long" and "2001" in reply["detail"]
    assert chat.messages.count() == 1


def test_an_event_reaches_the_socket_while_the_database_thread_is_busy(chat):
    """A delivery must not wait for the process's database thread (a long write, or another process's lock)."""
    from threading import Event

    from channels.db import database_sync_to_async
    from channels.layers import get_channel_layer

    from freightdesk.conversations import fanout

    async def deliver_while_busy():
        customer = customer_socket(chat)
        await customer.connect()
        await customer.receive_json_from(timeout=5)  # the history: the socket is in its group
        busy, release = Event(), Event()

        def hold():  # the database thread, held as by a write waiting on the lock
            busy.set()
            release.wait(10)

        holding = asyncio.ensure_future(database_sync_to_async(hold)())
        while not busy.is_set():
            await asyncio.sleep(0.01)
        event = {"type": "chat.message", "message": {"id": 1, "from": "agent", "text": "您好"}}
        await get_channel_layer().group_send(fanout.conversation_group(chat.pk), event)
        try:
            received = await customer.receive_json_from(timeout=2)
        finally:
            release.set()
            await holding
        await customer.disconnect()
        return received

    assert async_to_sync(deliver_while_busy)()["text"] == "您好"
