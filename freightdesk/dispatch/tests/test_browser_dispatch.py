"""End to end in a real browser: agent 8011 dispatches the seed's example order and sees the SMS on its timeline."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from freightdesk.messaging.models import Message
from freightdesk.orders.models import Order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_agent_dispatches_the_example_order_and_sees_the_message_on_the_timeline(seed_order, login, live_server):
    page = login("8011")
    page.goto(f"{live_server.url}/dispatch/")
    row = page.locator(f"#order-{seed_order.serial}")
    assert "汽配城" in row.inner_text()
    assert page.locator(f"#order-{seed_order.serial} .countdown").inner_text().count(":") == 1  # ticking clock
    row.locator("a").click()
    page.wait_for_selector("#preview")
    preview = page.inner_text("pre.sms")
    assert preview.startswith(f"【滴客】{seed_order.serial}客王先13800138000配件15件")
    assert page.inner_text("#char-count") == str(len(preview))
    link_preview = page.inner_text("#link-sms")  # then the driver's link, a short SMS of its own
    assert link_preview.startswith(f"【滴客】{seed_order.serial}提货送达请点 http")
    assert page.inner_text("#link-char-count") == str(len(link_preview))
    page.click("#dispatch-button")
    page.wait_for_selector("#sent")
    assert Order.objects.get(pk=seed_order.pk).status == "dispatched"
    assert Message.objects.filter(order=seed_order).exclude(recipient_role="customer").count() == 3
    page.goto(f"{live_server.url}/orders/{seed_order.serial}/")
    assert preview.removeprefix("【滴客】") in page.content()


def test_the_board_counts_down_from_the_server_clock_not_the_browser_clock(seed_order, login, live_server):
    page = login("8011")
    page.clock.install(time=datetime.now(UTC) - timedelta(hours=1))  # the PC's clock is an hour behind
    page.goto(f"{live_server.url}/dispatch/")
    countdown = page.locator(f"#order-{seed_order.serial} .countdown")
    expect(countdown).to_have_text(re.compile(r"^0[0-3]:[0-5]\d$"))  # the 3 minutes, not 1 hour 3 minutes
