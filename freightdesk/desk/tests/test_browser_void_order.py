"""In Chromium: agent 8011 voids a dispatched order from its page; the recipients get the recall SMS."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from freightdesk.messaging.models import Message
from freightdesk.orders.models import Order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_agent_voids_a_dispatched_order_from_the_order_page(dispatched, login, live_server):
    order = dispatched(timezone.now())
    page = login("8011")
    page.goto(f"{live_server.url}/orders/{order.serial}/")
    page.wait_for_load_state("load")  # htmx binds its triggers at DOMContentLoaded
    page.click("#void-order")
    expect(page.locator("#void-form")).to_be_visible()
    page.select_option("#id_reason", "other")
    page.click("#void-submit")
    expect(page.locator("#void-form .errorlist")).to_be_visible()  # `other` needs a note
    assert Order.objects.get(pk=order.pk).status == "dispatched"
    page.fill("#id_note", "客户改期下周再发")
    with page.expect_navigation():
        page.click("#void-submit")
    expect(page.locator("#status")).to_have_attribute("data-status", "void")
    expect(page.locator("#timeline li[data-kind=voided]")).to_contain_text("客户改期下周再发")
    assert Message.objects.filter(order=order, text__contains="作废").count() == 2
