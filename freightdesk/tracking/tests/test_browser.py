"""End to end in Chromium: the driver reports from his link on a phone; the shipper tracks it publicly."""

from urllib.parse import urlsplit

import pytest
from django.utils import timezone

from freightdesk.dispatch.models import DriverLink
from freightdesk.messaging.models import Message
from freightdesk.orders.models import Order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_driver_reports_pickup_and_delivery_from_his_link_and_the_shipper_sees_it_on_the_tracking_page(
    browser_page, live_server, dispatched
):
    order = dispatched(timezone.now())
    token = DriverLink.objects.get(order=order).token
    texted = Message.objects.get(order=order, kind="driver_link").text  # the SMS right after the dispatch SMS
    path = urlsplit(texted.split()[-1]).path
    assert path == f"/tracking/d/{token}/"
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 800})  # a phone
    page.goto(f"{live_server.url}{path}")
    assert page.locator("#status").get_attribute("data-status") == "dispatched"
    page.click("#report")
    page.wait_for_selector("#status[data-status=picked_up]")
    page.click("#report")
    page.wait_for_selector("#done")
    assert Order.objects.get(pk=order.pk).status == "delivered"

    page.goto(f"{live_server.url}/tracking/track/")
    page.fill("#id_serial", order.serial)
    page.fill("#id_phone_last4", "0000")
    page.click("#track-form button[type=submit]")
    page.wait_for_selector("#not-found")
    page.fill("#id_phone_last4", "9000")  # the consignee's phone
    page.click("#track-form button[type=submit]")
    page.wait_for_selector("#result")
    events = page.locator("#timeline li").evaluate_all("items => items.map(li => li.dataset.event)")
    assert events == ["ordered", "dispatched", "picked_up", "delivered"]
    assert "王先生" not in page.content() and "13900139000" not in page.content()

    page.goto(f"{live_server.url}/tracking/d/expired-or-made-up/")
    page.wait_for_selector("#expired")
