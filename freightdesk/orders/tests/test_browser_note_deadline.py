"""End to end in a real browser: the caller's "明天上午" in the note becomes the order's delivery deadline with
one key, and only then."""

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from freightdesk.core.worktime import TZ
from freightdesk.orders.models import Order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_notes_requirement_is_the_deadline_after_one_key(demo, login, live_server):
    page = login("8011")
    page.goto(f"{live_server.url}/orders/new/")
    for field, value in {
        "shipper_phone": "13800138000",
        "shipper_name": "王先生",
        "pickup_address": "汽配城",
        "goods_name": "配件",
        "quantity": "15",
        "weight_kg": "200",
        "volume_m3": "2.2",
        "consignee_name": "马先生",
        "consignee_phone": "13900139000",
        "delivery_address": "火车站",
        "note": "明天上午",
    }.items():
        page.fill(f"#id_{field}", value)
    tomorrow_noon = datetime.combine(timezone.localdate() + timedelta(days=1), time(12), TZ)
    proposal = page.locator("#use-note-deadline")
    expect(proposal).to_have_attribute("data-deadline", tomorrow_noon.strftime("%Y-%m-%dT%H:%M"))
    expect(page.locator("#id_delivery_deadline")).to_have_value("")  # proposed, not applied
    page.keyboard.press("Alt+d")  # the one key (accesskey); a click does the same
    expect(page.locator("#id_delivery_deadline")).to_have_value(tomorrow_noon.strftime("%Y-%m-%dT%H:%M"))
    expect(page.locator("#use-note-deadline")).to_have_count(0)  # the agent's deadline now stands
    page.click("#save-order")
    page.wait_for_selector("#serial")
    assert Order.objects.get().delivery_deadline == tomorrow_noon
