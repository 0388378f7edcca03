"""API.md "Conversations": the public website without a token, a customer account's token, an agent's token;
rate limits per client address and per phone, the size cap, a wrong key is 404, another's conversation too."""

import pytest
from django.core.cache import cache

from freightdesk.accounts.models import CustomerAccount
from freightdesk.conversations.models import Conversation, ConversationMessage

from .conftest import token_for

pytestmark = pytest.mark.django_db
URL = "/api/v1/conversations"


@pytest.fixture(autouse=True)
def _fresh_limits():
    cache.clear()
    yield
    cache.clear()


def start(client, extra=None, **changes):
    body = {"channel": "chat", "customer": {"name": "王先生", "phone": "13800138000"}, "text": "在吗", **changes}
    return client.post(URL, body, content_type="application/json", **(extra or {}))


def test_the_public_website_opens_a_chat_and_comes_back_with_the_key(client, available):
    response = start(client)
    assert response.status_code == 201
    body = response.json()
    assert (body["channel"], body["status"], body["queue_position"]) == ("chat", "waiting", 1)
    assert body["access_key"] and body["estimated_wait_minutes"] == 2
    again = client.get(f"{URL}/{body['id']}?key={body['access_key']}").json()
    assert [m["text"] for m in again["messages"]] == ["在吗"]
    assert "access_key" not in again


def test_a_wrong_key_is_404_and_says_nothing_more(client, available):
    body = start(client).json()
    for url in (f"{URL}/{body['id']}?key=wrong", f"{URL}/{body['id']}", f"{URL}/999999?key={body['access_key']}"):
        response = client.get(url)
        assert response.status_code == 404
        assert body["access_key"] not in response.content.decode()
    assert (
        client.post(f"{URL}/{body['id']}/messages?key=x", {"text": "hi"}, content_type="application/json").status_code
        == 404
    )
    assert ConversationMessage.objects.count() == 1


def test_a_message_over_2000_characters_is_422_with_a_clear_error(client, available):
    body = start(client).json()
    response = client.post(
        f"{URL}/{body['id']}/messages?key={body['access_key']}", {"text": "货" * 2001}, content_type="application/json"
    )
    assert response.status_code == 422
    assert "2000" in response.json()["errors"]["text"][0]
    assert ConversationMessage.objects.count() == 1


def test_html_comes_back_as_the_text_it_was(client, available):
    body = start(client, text="<b>急</b><img src=x onerror=alert(1)>").json()
    assert body["messages"][0]["text"] == "<b>急</b><img src=x onerror=alert(1)>"


def test_anonymous_chats_are_rate_limited_per_client_address(client, available):
    for i in range(10):
        assert start(client, customer={"name": "王", "phone": f"1380013{i:04d}"}).status_code == 201
    response = start(client, customer={"name": "王", "phone": "13900139000"})
    assert response.status_code == 429
    assert Conversation.objects.count() == 10


def test_anonymous_chats_are_rate_limited_per_phone(client, available):
    for i in range(5):
        assert start(client, {"REMOTE_ADDR": f"10.0.0.{i}"}).status_code == 201
    assert start(client, {"REMOTE_ADDR": "10.0.0.99"}).status_code == 429
    assert Conversation.objects.count() == 5


def test_a_closed_conversation_refuses_a_message_with_the_reason(client, available):
    from freightdesk.conversations import services

    body = start(client).json()
    services.close_conversation(conversation=Conversation.objects.get(pk=body["id"]), by=available, reason="已解决")
    response = client.post(
        f"{URL}/{body['id']}/messages?key={body['access_key']}", {"text": "还有"}, content_type="application/json"
    )
    assert response.status_code == 409 and "已解决" in response.json()["detail"]


def test_an_agent_token_answers_and_takes_the_chat(client, available):
    body = start(client).json()
    response = client.post(
        f"{URL}/{body['id']}/messages",
        {"text": "您好，请讲"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token_for(available)}",
    )
    assert response.status_code == 201 and response.json()["agent"] == "8011"
    assert client.get(f"{URL}/{body['id']}?key={body['access_key']}").json()["status"] == "open"


def test_a_customer_account_reads_its_own_conversation_but_not_anothers(client, available, user_for):
    customer = user_for("customer")
    token = token_for(customer)
    mine = client.post(
        URL,
        {"channel": "chat", "customer": {"name": "华东汽配", "phone": "13800138000"}, "text": "在吗"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    ).json()
    assert Conversation.objects.get(pk=mine["id"]).account == CustomerAccount.objects.get(user=customer)
    someone_else = start(client, customer={"name": "李", "phone": "13900139000"}).json()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.get(f"{URL}/{mine['id']}", **auth).status_code == 200
    assert client.get(f"{URL}/{someone_else['id']}", **auth).status_code == 404


def test_a_bad_token_is_401(client, available):
    response = start(client, {"HTTP_AUTHORIZATION": "Bearer nope"})
    assert response.status_code == 401
    assert Conversation.objects.count() == 0


def test_the_widget_on_another_site_may_call_the_public_endpoints(client, available):
    response = client.options(URL, HTTP_ORIGIN="https://shipper.example", HTTP_ACCESS_CONTROL_REQUEST_METHOD="POST")
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Content-Type" in response["Access-Control-Allow-Headers"]
