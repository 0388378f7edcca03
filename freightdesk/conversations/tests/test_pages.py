"""The pages: the widget script and the customer's page are public (wrong key 404), the inbox is the desk's,
an agent at his cap is not offered a waiting chat, the supervisor sees every live chat."""

import pytest

from freightdesk.conversations import services
from freightdesk.conversations.models import ChatSettings

pytestmark = pytest.mark.django_db


def test_the_widget_script_is_served_for_any_site_in_the_visitors_language(client):
    response = client.get("/chat/widget.js", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "开始咨询" in response.content.decode()


def test_the_chat_page_fills_in_a_customer_accounts_name_and_phone(client, user_for):
    customer = user_for("customer")
    client.force_login(customer)
    page = client.get("/chat/").content.decode()
    account = customer.customer_account
    assert f'data-name="{account.customer.name}"' in page


def test_the_link_texted_back_needs_the_key(client, chat):
    assert client.get(f"/chat/{chat.pk}/?key={chat.access_key}").status_code == 200
    assert client.get(f"/chat/{chat.pk}/?key=nope").status_code == 404


def test_an_agent_at_his_cap_is_not_offered_a_waiting_chat(client, chat, available):
    ChatSettings.objects.create(pk=1, max_chats_per_agent=1)
    client.force_login(available)
    assert f'data-take="{chat.pk}"' in client.get("/chat/inbox/list/").content.decode()
    services.take_conversation(conversation=chat, agent=available)
    services.open_conversation(channel="chat", name="李小姐", phone="13900139000", text="报价")
    page = client.get("/chat/inbox/list/").content.decode()
    assert "data-take=" not in page and "李小姐" in page


def test_the_supervisor_sees_every_live_chat_and_an_agent_does_not(client, chat, user_for):
    client.force_login(user_for("agent"))
    assert client.get("/chat/live/").status_code == 403
    client.force_login(user_for("supervisor"))
    assert "王先生" in client.get("/chat/live/").content.decode()


def test_the_desk_page_shows_the_caller_context_and_the_transcript_as_text(client, chat, available):
    services.post_customer_message(conversation=chat, text="<b>急</b>")
    client.force_login(available)
    page = client.get(f"/chat/desk/{chat.pk}/").content.decode()
    assert "&lt;b&gt;急&lt;/b&gt;" in page and "<b>急</b>" not in page
    assert "+8613800138000" in page or "13800138000" in page


def test_an_agent_answers_from_the_desk_page_without_a_socket(client, chat, available):
    client.force_login(available)
    response = client.post(f"/chat/desk/{chat.pk}/messages/", {"text": "您好"})
    assert response.status_code == 302
    chat.refresh_from_db()
    assert chat.status == "open" and chat.agent == available


def test_the_supervisor_joins_a_chat_from_the_live_page_and_the_agent_keeps_it(client, chat, available, user_for):
    services.take_conversation(conversation=chat, agent=available)
    supervisor = user_for("supervisor")
    client.force_login(supervisor)
    live = client.get("/chat/live/").content.decode()
    assert f'action="/chat/desk/{chat.pk}/join/"' in live and f'action="/chat/desk/{chat.pk}/take/"' in live
    assert client.post(f"/chat/desk/{chat.pk}/join/").status_code == 302
    client.post(f"/chat/desk/{chat.pk}/messages/", {"text": "我是主管，马上为您处理"})
    chat.refresh_from_db()
    assert chat.agent == available and list(chat.supervisors.all()) == [supervisor]
    assert chat.messages.filter(sender="agent", agent=supervisor).count() == 1


def test_an_agent_cannot_join_a_chat(client, chat, available, other_agent):
    services.take_conversation(conversation=chat, agent=available)
    client.force_login(other_agent)
    assert client.post(f"/chat/desk/{chat.pk}/join/").status_code == 403
    assert not chat.supervisors.exists()


def test_the_live_page_refreshes_its_rows_alone(client, chat, user_for):
    client.force_login(user_for("supervisor"))
    rows = client.get("/chat/live/", headers={"HX-Request": "true"}).content.decode()
    assert "王先生" in rows and "<html" not in rows


def test_the_board_page_lists_a_website_message_with_a_link_to_it(client, demo, working_hours, agent):
    c = services.open_conversation(channel="web_message", name="王先生", phone="13800138000", text="明天能提货吗")
    client.force_login(agent)
    page = client.get("/tracking/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "网站留言：待答复" in page and f'href="/chat/desk/{c.pk}/"' in page and "明天能提货吗" in page
    assert 'href="?kind=web_messages">网站留言 <strong>1</strong>' in page
