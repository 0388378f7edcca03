"""End to end in a real browser, over a real ASGI server (WebSockets): the customer asks in the widget on a
phone, agent 8011 answers with a standard phrase on the desktop and turns the chat into an order, which waits
in the review queue with channel chat. At 20:00 on a Friday the same question becomes a website message due
Monday after 8:30."""

import os
from datetime import datetime

import pytest
from playwright.sync_api import expect

from freightdesk.conversations.models import Conversation
from freightdesk.core.worktime import TZ
from freightdesk.orders.models import Order

from .asgi_server import free_port, start_server
from .conftest import FRIDAY_20, MONDAY_10

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.xdist_group("asgi_server")]
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


@pytest.fixture
def browser():
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True, args=["--no-sandbox"])
        yield chromium
        chromium.close()


def context(browser, **kw):
    ctx = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **kw)
    ctx.set_default_timeout(15_000)
    return ctx.new_page()


def ask(page, url: str, text: str) -> None:
    page.goto(f"{url}/chat/")
    page.fill("form.start input[name=name]", "王先生")
    page.fill("form.start input[name=phone]", "13800138000")
    page.fill("form.start textarea[name=text]", text)
    page.click("form.start button[type=submit]")


def test_customer_asks_agent_answers_with_a_phrase_and_turns_the_chat_into_an_order(demo, browser):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = start_server(port, at=MONDAY_10)
    try:
        agent = context(browser)
        agent.goto(f"{url}/accounts/login/")
        agent.fill("#id_username", "8011")
        agent.fill("#id_password", "freightdesk")
        agent.click("button[type=submit]")
        agent.goto(f"{url}/chat/inbox/")
        agent.click("#go-available")

        customer = context(browser, **PHONE)
        ask(customer, url, "我想发一批配件到火车站")
        customer.wait_for_selector("text=您前面排队第1位")
        chat = Conversation.objects.get()

        agent.goto(f"{url}/chat/desk/{chat.pk}/")
        with agent.expect_navigation(wait_until="load"):  # the take posts and reloads; phrases are wired on load
            agent.click("#take")
        agent.locator(".phrase").first.click()
        expect(agent.locator("#reply")).not_to_have_value("")
        phrase = agent.input_value("#reply")
        agent.click("#send")
        customer.wait_for_selector(f".msg.agent >> text={phrase[:10]}")

        agent.click("#to-order")
        for field, value in {
            "pickup_address": "汽配城",
            "consignee_name": "马先生",
            "consignee_phone": "13900139000",
            "delivery_address": "火车站",
            "goods_name": "配件",
            "quantity": "15",
            "weight_kg": "200",
            "volume_m3": "2.2",
        }.items():
            agent.fill(f"#id_{field}", value)
        agent.click("#save-order")
        order = Order.objects.get()
        customer.wait_for_selector(f".msg.system >> text={order.serial}")
        agent.goto(f"{url}/orders/review/")
        assert agent.locator(f"#row-{order.serial}").count() == 1
    finally:
        server.terminate()
        server.wait()
    assert (order.channel, order.status) == ("chat", "submitted")


def test_the_same_question_at_20_on_a_friday_becomes_a_website_message_due_monday(demo, browser):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = start_server(port, at=FRIDAY_20)
    try:
        customer = context(browser, **PHONE)
        ask(customer, url, "明天能提货吗")
        customer.wait_for_selector("text=12月7日8:30后尽快回复")
    finally:
        server.terminate()
        server.wait()
    message = Conversation.objects.get()
    assert message.channel == "web_message"
    assert message.answer_due_at.astimezone(TZ) == datetime(2026, 12, 7, 9, 30, tzinfo=TZ)
