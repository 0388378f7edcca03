"""What a conversation becomes: an order in the review queue with channel chat, a ticket holding the
transcript, a query on an order; the transcript on the order's timeline."""

import pytest
from django.utils import translation

from freightdesk.conversations import conversions, services
from freightdesk.orders.models import OrderEvent
from freightdesk.orders.selectors import orders_awaiting_review
from freightdesk.tickets.history import history_lines

pytestmark = pytest.mark.django_db


def test_a_chat_turned_into_an_order_waits_in_the_review_queue_with_channel_chat(chat, available, cleaned_example):
    services.post_agent_message(conversation=chat, agent=available, text="请提供发货信息")
    order = conversions.to_order(conversation=chat, agent=available, data=cleaned_example)
    assert (order.channel, order.status) == ("chat", "submitted")
    assert order in orders_awaiting_review()
    chat.refresh_from_db()
    assert chat.created_order == order
    line = OrderEvent.objects.get(order=order, kind="chat_transcript")
    assert "我的货到哪了？" in line.text and "请提供发货信息" in line.text
    assert order.serial in chat.messages.filter(sender="system").last().text


def test_turning_the_same_chat_into_an_order_twice_makes_one_order(chat, available, cleaned_example):
    first = conversions.to_order(conversation=chat, agent=available, data=cleaned_example)
    second = conversions.to_order(conversation=chat, agent=available, data=cleaned_example)
    assert first == second


def test_a_complaint_from_the_chat_is_a_ticket_with_the_transcript(chat, available):
    services.post_customer_message(conversation=chat, text="司机态度很差")
    ticket = conversions.to_ticket(
        conversation=chat,
        agent=available,
        category="complaint",
        subcategory="attitude",
        description="司机态度很差",
        demand="道歉",
    )
    assert (ticket.channel, ticket.category) == ("chat", "complaint")
    event = ticket.events.get(kind="transcript")
    assert "司机态度很差" in event.text and event.changes == {"conversation": chat.pk}
    chat.refresh_from_db()
    assert chat.ticket == ticket


def test_the_transcript_line_on_the_ticket_page_reads_in_chinese(chat, available):
    ticket = conversions.to_ticket(
        conversation=chat, agent=available, category="complaint", subcategory="attitude", description="态度差"
    )
    with translation.override("zh-hans"):
        lines = history_lines(ticket, ticket.events.order_by("at", "id"))
    assert [line.kind for line in lines if "我的货到哪了" in line.text] == ["会话记录"]


def test_a_query_about_shipped_goods_is_recorded_on_the_order(chat, available, cleaned_example):
    from freightdesk.orders.intake import take_order

    order = take_order(data=cleaned_example, channel="phone", agent=available).order
    conversions.record_query(conversation=chat, agent=available, order=order, question="到哪了", answer="已提货")
    line = OrderEvent.objects.get(order=order, kind="chat_query")
    assert "到哪了" in line.text
    chat.refresh_from_db()
    assert chat.order == order
