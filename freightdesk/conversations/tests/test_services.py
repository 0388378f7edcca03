"""The chat's rules (SPEC §2 在线服务 / 网站留言): queue, web message out of hours, the agent's cap, size cap,
closed conversations, SMS with the link back and quiet hours, rating."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from freightdesk.conversations import rules, services
from freightdesk.conversations.models import ChatSettings, Conversation, ConversationMessage, Presence
from freightdesk.core.errors import DomainError
from freightdesk.messaging.models import Message

from .conftest import FRIDAY_20

pytestmark = pytest.mark.django_db


def local(text: str) -> datetime:
    return timezone.localtime(datetime.fromisoformat(text))


def test_chat_in_working_hours_with_an_agent_available_waits_in_the_queue(available):
    first = services.open_conversation(channel="chat", name="王先生", phone="13800138000", text="在吗")
    second = services.open_conversation(channel="chat", name="李小姐", phone="13900139000", text="报价")
    assert (first.channel, first.status, first.answer_due_at) == ("chat", "waiting", None)
    assert rules.queue_position(second) == 2
    assert rules.estimated_wait_minutes(2, timezone.now()) == 4


def test_chat_with_no_agent_available_becomes_a_web_message_due_within_an_hour(demo, working_hours):
    c = services.open_conversation(channel="chat", name="王先生", phone="13800138000", text="在吗")
    assert c.channel == "web_message"
    assert timezone.localtime(c.answer_due_at) == local("2026-12-07 11:00:00+08:00")
    assert rules.queue_position(c) is None


def test_an_agent_idle_past_the_limit_counts_as_away(available, time_machine):
    time_machine.move_to("2026-12-07 10:06:00+08:00", tick=False)
    c = services.open_conversation(channel="chat", name="王先生", phone="13800138000", text="在吗")
    assert c.channel == "web_message"


def test_chat_at_20_on_friday_becomes_a_web_message_due_monday_after_opening(available, time_machine):
    time_machine.move_to(FRIDAY_20, tick=False)
    c = services.open_conversation(channel="chat", name="王先生", phone="13800138000", text="明天能提货吗")
    assert c.channel == "web_message" and c.status == "waiting"
    assert timezone.localtime(c.answer_due_at) == local("2026-12-07 09:30:00+08:00")
    promise = c.messages.get(sender="system").text
    assert "12月7日8:30后尽快回复" in promise


def test_a_night_message_before_a_working_day_promises_tomorrow(demo, time_machine):
    time_machine.move_to("2026-12-07 22:00:00+08:00", tick=False)
    c = services.open_conversation(channel="web_message", name="王先生", phone="13800138000", text="留言")
    assert "明天8:30" in c.messages.get(sender="system").text


def test_message_over_2000_characters_is_refused_with_a_clear_error(chat):
    with pytest.raises(DomainError) as exc:
        services.post_customer_message(conversation=chat, text="货" * 2001)
    assert exc.value.field == "text" and "2000" in exc.value.message and "2001" in exc.value.message
    assert chat.messages.count() == 1


def test_html_is_stored_as_the_customer_typed_it(chat):
    m = services.post_customer_message(conversation=chat, text="<script>alert(1)</script>")
    assert m.text == "<script>alert(1)</script>"


def test_agent_at_his_cap_is_not_given_another_chat(available):
    ChatSettings.objects.create(pk=1, max_chats_per_agent=2)
    chats = [
        services.open_conversation(channel="chat", name=f"客户{i}", phone=f"1380013800{i}", text="在吗")
        for i in range(3)
    ]
    for c in chats[:2]:
        services.take_conversation(conversation=c, agent=available)
    with pytest.raises(DomainError) as exc:
        services.take_conversation(conversation=chats[2], agent=available)
    assert exc.value.code == "at_cap"
    chats[2].refresh_from_db()
    assert (chats[2].status, chats[2].agent_id) == ("waiting", None)
    assert rules.at_cap(available)


def test_transfer_to_an_agent_at_his_cap_is_refused(chat, available, other_agent):
    ChatSettings.objects.create(pk=1, max_chats_per_agent=1)
    services.take_conversation(conversation=chat, agent=available)
    services.set_presence(agent=other_agent, status=Presence.AVAILABLE)
    second = services.open_conversation(channel="chat", name="李小姐", phone="13900139000", text="报价")
    services.take_conversation(conversation=second, agent=other_agent)
    with pytest.raises(DomainError):
        services.transfer_conversation(conversation=chat, by=available, to=other_agent)
    chat.refresh_from_db()
    assert chat.agent == available


def test_a_taken_chat_is_transferred_with_a_line_for_the_customer(chat, available, other_agent):
    services.take_conversation(conversation=chat, agent=available)
    services.transfer_conversation(conversation=chat, by=available, to=other_agent)
    chat.refresh_from_db()
    assert chat.agent == other_agent
    assert "8012" in chat.messages.filter(sender="system").last().text


def test_closed_conversation_refuses_messages_with_the_reason(chat, available):
    services.close_conversation(conversation=chat, by=available, reason="客户已离开")
    count = ConversationMessage.objects.count()
    with pytest.raises(DomainError) as exc:
        services.post_customer_message(conversation=chat, text="还在吗")
    assert exc.value.code == "closed" and "客户已离开" in exc.value.message
    assert ConversationMessage.objects.count() == count


def test_answer_to_a_web_message_reaches_the_customer_by_sms_with_the_link_back(demo, working_hours, user_for):
    c = services.open_conversation(channel="web_message", name="王先生", phone="13800138000", text="运费多少")
    services.post_agent_message(conversation=c, agent=user_for("agent"), text="50元起")
    c.refresh_from_db()
    assert c.status == "answered"
    sms = Message.objects.get(to="+8613800138000")
    assert f"/chat/{c.pk}/?key={c.access_key}" in sms.text
    assert sms.next_attempt_at == timezone.now()


def test_an_answer_at_night_waits_for_8_unless_the_customer_is_chatting(demo, user_for, time_machine):
    time_machine.move_to("2026-12-07 22:00:00+08:00", tick=False)
    c = services.open_conversation(channel="web_message", name="王先生", phone="13800138000", text="运费多少")
    time_machine.move_to("2026-12-07 22:30:00+08:00", tick=False)
    services.post_agent_message(conversation=c, agent=user_for("agent"), text="50元起")
    sms = Message.objects.get(to="+8613800138000")
    assert timezone.localtime(sms.next_attempt_at) == local("2026-12-08 08:00:00+08:00")
    c.refresh_from_db()
    c.last_customer_at = timezone.now()
    assert rules.sms_send_at(c, timezone.now()) == timezone.now()


def test_a_customer_reply_puts_an_answered_message_back_in_the_queue(demo, working_hours, user_for):
    c = services.open_conversation(channel="web_message", name="王先生", phone="13800138000", text="运费多少")
    services.post_agent_message(conversation=c, agent=user_for("agent"), text="50元起")
    services.post_customer_message(conversation=c, text="到上海呢？")
    c.refresh_from_db()
    assert c.status == "waiting" and c.answer_due_at is not None


def test_the_chat_is_rated_once_with_the_surveys_three_questions(chat, available):
    services.post_agent_message(conversation=chat, agent=available, text="您好")
    services.close_conversation(conversation=chat, by=available)
    services.rate_conversation(conversation=chat, efficiency=5, attitude=4, solution=3)
    with pytest.raises(DomainError):
        services.rate_conversation(conversation=chat, efficiency=1, attitude=1, solution=1)
    chat.refresh_from_db()
    assert (chat.efficiency, chat.attitude, chat.solution) == (5, 4, 3)


def test_a_score_outside_1_to_5_is_refused(chat, available):
    services.take_conversation(conversation=chat, agent=available)
    with pytest.raises(DomainError) as exc:
        services.rate_conversation(conversation=chat, efficiency=6, attitude=4, solution=3)
    assert exc.value.field == "efficiency"
    assert Conversation.objects.get(pk=chat.pk).rated_at is None


def test_closing_texts_the_transcript_link(chat, available):
    services.post_agent_message(conversation=chat, agent=available, text="您好，请讲")
    services.close_conversation(conversation=chat, by=available)
    assert f"/chat/{chat.pk}/?key=" in Message.objects.get(to="+8613800138000").text


def test_only_the_desk_answers(chat, user_for):
    with pytest.raises(DomainError):
        services.post_agent_message(conversation=chat, agent=user_for("customer"), text="hi")
    assert chat.messages.count() == 1


def test_a_supervisor_joining_is_said_once_to_both_sides(chat, available, user_for):
    services.take_conversation(conversation=chat, agent=available)
    supervisor = user_for("supervisor")
    services.join_conversation(conversation=chat, supervisor=supervisor)
    services.join_conversation(conversation=chat, supervisor=supervisor)
    said = chat.messages.filter(sender="system", text__contains=supervisor.profile.agent_id)
    assert said.count() == 1


def test_joining_a_closed_chat_is_refused_with_the_reason(chat, available, user_for):
    services.close_conversation(conversation=chat, by=available, reason="已解决")
    with pytest.raises(DomainError, match="已解决"):
        services.join_conversation(conversation=chat, supervisor=user_for("supervisor"))
    assert not chat.supervisors.exists()


def test_the_wait_estimate_follows_how_long_the_desks_recent_chats_held_an_agent(available, other_agent):
    now = timezone.now()
    for minutes in (10, 14):  # two chats served today: 12 minutes each on average
        c = services.open_conversation(channel="chat", name="客户", phone="13700137000", text="在吗")
        Conversation.objects.filter(pk=c.pk).update(
            status="closed", assigned_at=now - timedelta(minutes=minutes + 5), closed_at=now - timedelta(minutes=5)
        )
    # one agent available, three chats each: a slot frees every 4 minutes; the third in line waits 12
    assert rules.estimated_wait_minutes(3, now) == 12
    services.set_presence(agent=other_agent, status=Presence.AVAILABLE)
    assert rules.estimated_wait_minutes(3, now) == 6


def test_a_website_message_is_on_the_board_until_it_is_answered(demo, working_hours, agent):
    from freightdesk.desk.board import due_now
    from freightdesk.followups.models import FollowUp

    c = services.open_conversation(channel="web_message", name="王先生", phone="13800138000", text="明天能提货吗")
    [promise] = FollowUp.objects.filter(kind="web_message", subject_id=c.pk, closed_at__isnull=True)
    assert promise.due_at == c.answer_due_at == local("2026-12-07 11:00:00+08:00")
    items, counts = due_now(timezone.now())
    [row] = [i for i in items if i.kind == "web_message"]
    assert row.url == f"/chat/desk/{c.pk}/" and "王先生" in row.route and "明天能提货吗" in row.route
    assert counts["web_messages"] == 1

    services.post_agent_message(conversation=c, agent=agent, text="可以，明天上午")
    promise.refresh_from_db()
    assert (promise.state, promise.outcome) == ("done", "answered")
    assert due_now(timezone.now())[1]["web_messages"] == 0

    services.post_customer_message(conversation=c, text="几点到？")  # waiting for the desk again
    assert FollowUp.objects.filter(kind="web_message", subject_id=c.pk, closed_at__isnull=True).count() == 1
