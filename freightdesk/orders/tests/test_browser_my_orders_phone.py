"""End to end in a real browser at a phone's size: the customer's order list is one card per order, readable
without scrolling sideways, with every figure under its label."""

import pytest
from playwright.sync_api import expect

from freightdesk.orders.intake import take_order
from freightdesk.orders.models import Channel

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_customers_order_list_fits_a_phone(cleaned_example, user_for, login, live_server):
    account = user_for("customer").customer_account
    orders = [
        take_order(data=cleaned_example, channel=Channel.WEB, customer_account=account, intake_key=f"phone-{n}").order
        for n in range(3)
    ]
    page = login("customer")
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"{live_server.url}/orders/mine/")
    card = page.locator("#my-orders tbody tr").first
    expect(card).to_be_visible()
    assert page.locator("#my-orders tbody tr").count() == 3
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page is {width}px wide on a 375px phone"
    box = card.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 375
    expect(page.locator("#my-orders thead")).to_be_hidden()
    route = card.locator("td[data-label]", has_text="汽配城")
    label = route.evaluate("td => getComputedStyle(td, '::before').content")
    assert "线路" in label, label  # the label beside its value, not a column header far away
    expect(route).to_contain_text("汽配城 → 火车站")
    expect(card.locator(".table-only")).to_be_hidden()  # the status shows once, in the card's title
    expect(card.locator(".card-title")).to_contain_text(orders[-1].serial)
    expect(card.locator(".card-title .badge")).to_be_visible()
