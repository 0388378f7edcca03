"""End to end in a real browser (issue 3): a customer orders on the web at 20:00 on a Friday; agent 8011
logs in on Monday at 8:31, sees the order overdue by one minute and confirms it with a correction."""

import re
from datetime import datetime

import pytest
import time_machine
from playwright.sync_api import expect

from freightdesk.core.worktime import TZ
from freightdesk.orders.models import Order, OrderEvent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FRIDAY_EVENING = datetime(2026, 11, 20, 20, 0, tzinfo=TZ)
MONDAY_8_31 = datetime(2026, 11, 23, 8, 31, 5, tzinfo=TZ)


def test_friday_evening_web_order_is_overdue_at_831_monday_and_confirmed_with_a_correction(
    demo, browser_page, login, live_server
):
    page = browser_page
    with time_machine.travel(FRIDAY_EVENING, tick=True):
        page.goto(f"{live_server.url}/orders/web/")
        for field, value in {
            "shipper_name": "王先生",
            "shipper_phone": "13800138000",
            "pickup_address": "汽配城",
            "consignee_name": "马先生",
            "consignee_phone": "13900139000",
            "delivery_address": "火车站",
            "goods_name": "配件",
            "quantity": "15",
            "weight_kg": "200",
            "volume_m3": "2.2",
        }.items():
            page.fill(f"#id_{field}", value)
        page.click("#place-order")
        page.wait_for_selector("#serial")
        order = Order.objects.get()
        assert page.inner_text("#serial") == order.serial
        assert page.get_attribute("#status-link", "href").endswith(f"?serial={order.serial}")
    assert order.review_due_at == datetime(2026, 11, 23, 8, 30, tzinfo=TZ)

    with time_machine.travel(MONDAY_8_31, tick=True):
        login("8011")
        page.goto(f"{live_server.url}/orders/review/")
        row = page.locator(f"#row-{order.serial}")
        assert "overdue" in row.get_attribute("class")
        assert re.search(r"\b1\b", row.locator(".countdown").inner_text())  # overdue by one minute
        row.locator("button").click()  # Review: claims it
        page.wait_for_selector("#confirm-form")
        assert page.is_checked("#checklist input[value=goods_allowed]")
        page.click("button[data-call=answered]")  # the confirmation call, recorded before the outcome
        expect(page.locator("#call-log li")).to_have_count(1)
        page.fill("#id_fix-consignee_name", "马女士")
        page.click("#confirm")
        page.wait_for_load_state()
        assert page.locator(f"#row-{order.serial}").count() == 0  # gone from the queue

    order.refresh_from_db()
    assert order.status == "confirmed" and order.consignee_name == "马女士"
    corrected = OrderEvent.objects.get(order=order, kind="corrected")
    assert corrected.changes["before"]["consignee_name"] == "马先生"
    assert corrected.changes["after"]["consignee_name"] == "马女士"
    assert OrderEvent.objects.get(order=order, kind="reviewed").by.username == "8011"
