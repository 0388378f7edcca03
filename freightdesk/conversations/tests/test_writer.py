"""Group commit (writer.py): a batch keeps the messages' order, stores them before any is fanned out, reports each
refused message to its own sender while storing the rest, and loses nothing when the batch fails as a whole."""

import asyncio

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext

from freightdesk.conversations import fanout, services, writer
from freightdesk.conversations.models import ConversationMessage
from freightdesk.core.errors import DomainError

pytestmark = pytest.mark.django_db(transaction=True)


def customer_says(conversation, text):
    return writer.Write(
        conversation.pk, lambda: services.post_customer_message(conversation=conversation, text=text), ()
    )


def agent_says(conversation, agent, text):
    return writer.Write(
        conversation.pk, lambda: services.post_agent_message(conversation=conversation, agent=agent, text=text), ()
    )


@pytest.fixture
def second_chat(available):
    return services.open_conversation(channel="chat", name="李女士", phone="13900139000", text="能改地址吗？")


def texts(conversation):
    rows = ConversationMessage.objects.filter(conversation=conversation).exclude(sender="system")
    return list(rows.values_list("text", flat=True))


def test_a_batch_stores_in_arrival_order_and_collects_each_messages_events(chat, second_chat, available):
    items = [
        customer_says(chat, "一"),
        customer_says(second_chat, "二"),
        agent_says(chat, available, "三"),
        customer_says(chat, "四"),
    ]
    writer.write_batch(items)
    assert [item.error for item in items] == [None] * 4
    ids = [item.result.pk for item in items]
    assert ids == sorted(ids)
    assert texts(chat)[-3:] == ["一", "三", "四"]
    sent = [
        e["message"]["text"]
        for item in items
        for _g, e in item.events
        if e.get("message", {}).get("from", "system") != "system"
    ]
    assert sent == ["一", "二", "三", "四"]
    assert {group for item in items for group, _event in item.events} >= {
        fanout.conversation_group(chat.pk),
        fanout.conversation_group(second_chat.pk),
    }


def test_a_refused_message_is_reported_to_its_sender_and_the_rest_of_the_batch_is_stored(chat, second_chat, available):
    services.close_conversation(conversation=second_chat, by=available, reason="已解决")
    items = [customer_says(chat, "在吗"), customer_says(second_chat, "还有一件事"), customer_says(chat, "长" * 2001)]
    items.append(customer_says(chat, "单号是 123"))
    writer.write_batch(items)
    assert isinstance(items[1].error, DomainError) and items[1].error.code == "closed"
    assert isinstance(items[2].error, DomainError) and items[2].error.code == "too_long"
    assert items[1].events == [] and items[2].events == []
    assert items[0].error is None and items[3].error is None
    assert texts(chat)[-2:] == ["在吗", "单号是 123"]
    assert "还有一件事" not in texts(second_chat)


def test_a_batch_whose_commit_fails_is_written_again_one_message_at_a_time_and_nothing_is_lost(
    chat, available, monkeypatch
):
    commit, failed = connection.commit, []

    def fail_once():
        if not failed:
            failed.append(True)
            raise OperationalError("disk I/O error")
        return commit()

    monkeypatch.setattr(connection, "commit", fail_once)
    items = [customer_says(chat, "一"), agent_says(chat, available, "二"), customer_says(chat, "三")]
    writer.write_batch(items)
    assert failed and [item.error for item in items] == [None] * 3
    assert texts(chat)[-3:] == ["一", "二", "三"]  # each once, in order
    assert all(item.events for item in items)


def test_sockets_writing_at_once_share_a_batch_get_their_own_outcome_and_the_fan_out_keeps_the_order(
    chat, second_chat, available, settings, monkeypatch
):
    settings.FREIGHTDESK = {**settings.FREIGHTDESK, "CHAT_WRITE_WINDOW_MS": 20}
    batches, write_batch = [], writer.write_batch
    monkeypatch.setattr(writer, "write_batch", lambda items: batches.append(len(items)) or write_batch(items))
    services.close_conversation(conversation=second_chat, by=available, reason="已解决")

    async def at_once():
        layer = get_channel_layer()
        channel = await layer.new_channel()
        await layer.group_add(fanout.conversation_group(chat.pk), channel)
        process = writer.writer()
        sends = [
            process.write(chat.pk, lambda n=n: services.post_customer_message(conversation=chat, text=f"第{n}条"))
            for n in range(5)
        ]
        late = lambda: services.post_customer_message(conversation=second_chat, text="迟了")  # noqa: E731
        sends.insert(2, process.write(second_chat.pk, late))
        outcomes = await asyncio.gather(*sends, return_exceptions=True)
        received = [(await layer.receive(channel))["message"]["text"] for _ in range(5)]
        return outcomes, received

    outcomes, received = async_to_sync(at_once)()
    assert isinstance(outcomes[2], DomainError) and outcomes[2].code == "closed"
    stored = [o for o in outcomes if not isinstance(o, Exception)]
    assert [m.text for m in stored] == [f"第{n}条" for n in range(5)]
    assert received == [f"第{n}条" for n in range(5)]
    assert len({m.pk for m in stored}) == 5
    assert batches == [6]  # one transaction for the six


def test_a_conversations_events_go_out_in_order_across_batches_while_other_conversations_do_not_wait(monkeypatch):
    sent = []

    class SlowFirstLayer:
        async def group_send(self, group, event):
            if event["n"] == 1:
                await asyncio.sleep(0.2)  # a slow send of the first batch
            sent.append((group, event["n"]))

    monkeypatch.setattr(writer, "get_channel_layer", SlowFirstLayer)

    def batch(*events):
        return [writer.Write(0, None, (), events=[(group, {"n": n})]) for group, n in events]

    async def two_batches():
        process = writer.Writer(window=0)
        process._fan_out(batch(("conversation.1", 1), ("conversation.2", 2)))
        process._fan_out(batch(("conversation.1", 3), ("conversation.3", 4)))
        while process.sending:
            await asyncio.sleep(0.01)

    async_to_sync(two_batches)()
    assert [n for group, n in sent if group == "conversation.1"] == [1, 3]
    assert sent.index(("conversation.3", 4)) < sent.index(("conversation.1", 1))


def customer_posts(conversation, text):
    work = lambda: services.post_customer_message(conversation=conversation, text=text)  # noqa: E731
    return writer.Write(conversation.pk, work, (), post=writer.Post(agent=None, text=text))


def agent_posts(conversation, agent, text):
    work = lambda: services.post_agent_message(conversation=conversation, agent=agent, text=text)  # noqa: E731
    return writer.Write(conversation.pk, work, (), post=writer.Post(agent=agent, text=text))


def test_posts_keep_arrival_order_around_one_that_takes_the_chat_and_the_rest_take_their_services(chat, available):
    items = [
        customer_posts(chat, "一"),  # waiting chat: ordinary
        agent_posts(chat, available, "二"),  # takes the chat: the service, with its system line
        agent_posts(chat, available, "三"),
        customer_posts(chat, "四"),
    ]
    writer.write_batch(items)
    assert [item.error for item in items] == [None] * 4
    ids = [item.result.pk for item in items]
    assert ids == sorted(ids)
    chat.refresh_from_db()
    assert chat.agent == available and chat.status == "open" and chat.last_customer_at is not None
    rows = ConversationMessage.objects.filter(conversation=chat).order_by("pk")
    assert [m.sender for m in rows][1:] == ["customer", "system", "agent", "agent", "customer"]
    assert texts(chat)[1:] == ["一", "二", "三", "四"]
    sent = [e["message"]["id"] for item in items for _g, e in item.events if e["type"] == "chat.message"]
    assert [i for i in sent if i in ids] == ids


def test_a_batch_of_ordinary_posts_takes_as_many_statements_for_twenty_as_for_two(chat, second_chat, available):
    for conversation in (chat, second_chat):
        services.take_conversation(conversation=conversation, agent=available)

    def statements(n):
        items = [
            agent_posts(c, available, f"答{k}") if k % 2 else customer_posts(c, f"问{k}")
            for k in range(n)
            for c in (chat, second_chat)
        ]
        with CaptureQueriesContext(connection) as queries:
            writer.write_batch(items)
        assert [item.error for item in items] == [None] * len(items)
        return len(queries)

    twenty = statements(10)
    assert texts(second_chat)[-2:] == ["问8", "答9"]
    assert twenty == statements(1)


def test_a_post_that_is_not_ordinary_is_refused_or_answered_as_its_service_does(
    chat, second_chat, available, other_agent
):
    services.take_conversation(conversation=chat, agent=available)
    services.close_conversation(conversation=second_chat, by=available, reason="已解决")
    web = services.open_conversation(channel="web_message", name="赵先生", phone="13700137000", text="请回电")
    services.post_agent_message(conversation=web, agent=available, text="已回电")
    before = ConversationMessage.objects.count()
    items = [
        customer_posts(second_chat, "还在吗"),
        agent_posts(chat, other_agent, "我来回答"),
        customer_posts(chat, "长" * 2001),
        customer_posts(web, "又有一个问题"),
    ]
    writer.write_batch(items)
    assert [getattr(item.error, "code", None) for item in items] == ["closed", "not_yours", "too_long", None]
    assert [item.events for item in items[:3]] == [[], [], []]
    assert ConversationMessage.objects.count() == before + 1
    web.refresh_from_db()
    assert web.status == "waiting" and web.answer_due_at is not None  # the desk answers again
