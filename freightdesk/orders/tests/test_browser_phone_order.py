"""End to end in a real browser: agent 8011 takes the source document's example phone order."""

import pytest
from playwright.sync_api import expect

from freightdesk.orders.models import Order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_agent_8011_takes_the_example_phone_order(demo, login, live_server):
    page = login("8011")
    page.goto(f"{live_server.url}/orders/new/")
    page.fill("#id_shipper_phone", "13800138000")
    page.fill("#id_shipper_name", "王先生")
    page.fill("#id_pickup_address", "汽配城")
    page.fill("#id_goods_name", "配件")
    page.fill("#id_quantity", "15")
    page.fill("#id_weight_kg", "200")
    page.fill("#id_volume_m3", "2.2")
    page.fill("#id_consignee_name", "马先生")
    page.fill("#id_consignee_phone", "13900139000")
    page.fill("#id_delivery_address", "火车站")
    page.select_option("#id_payment_method", "shipper_pays")
    page.fill("#id_loading_fee", "100")
    page.fill("#id_note", "15点前送达")
    # The live quote and the confirmation script appear while typing (each keystroke re-renders them).
    expect(page.locator("#quote-total")).to_have_text("540.00")
    expect(page.locator("#confirmation-script")).to_contain_text(
        "汽配城至火车站，2.2方(15件)，价格是540.00元，现金支付，可以吗？"
    )
    page.click("#save-order")
    page.wait_for_selector("#serial")
    order = Order.objects.get()
    assert page.inner_text("#serial") == order.serial
    assert page.get_attribute("#status", "data-status") == "confirmed"
    assert "8011" in page.inner_text("#timeline")
    # …and finds it in the order list with its serial, status and quote.
    page.goto(f"{live_server.url}/orders/?q={order.serial}")
    row = page.inner_text("tbody tr")
    assert order.serial in row and "540.00" in row and "8011" in row
    assert page.get_attribute("tbody [data-status]", "data-status") == "confirmed"
