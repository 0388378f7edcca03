"""End to end in Chromium on a phone: the fleet manager assigns an order dispatched to him, the driver opens his
list, reports the pickup with the phone's position and the delivery with a photo of the signed note, and the
customer's tracking page shows where the goods were; a report made offline is sent once when back online."""

import os
import struct
import time
import zlib

import pytest
from django.utils import timezone

from freightdesk.dispatch.models import Assignment
from freightdesk.dispatch.services import dispatch_order
from freightdesk.orders.forms import OrderForm
from freightdesk.orders.intake import take_order
from freightdesk.orders.models import Order
from freightdesk.tracking.models import DriverPosition, FieldReport

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 800}
HERE = {"latitude": 31.2304, "longitude": 121.4737, "accuracy": 15}


def png() -> bytes:
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + b"\x20\x40\x60" * 8 for _ in range(6))
    header = struct.pack(">IIBBBBB", 8, 6, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


@pytest.fixture
def browser(live_server):
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop in this thread
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
        )
        yield chromium
        chromium.close()


def phone(browser, live_server, username=None, **options):
    """A new phone (browser context), logged in as ``username`` when given."""
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport=PHONE, **options)
    page = context.new_page()
    page.set_default_timeout(10_000)
    if username:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", "freightdesk")
        with page.expect_navigation():
            page.click("button[type=submit]")
    return context, page


@pytest.fixture
def place(demo, example_order_data, user_for):
    def make(address):
        form = OrderForm({**example_order_data, "channel": "phone", "pickup_address": address})
        assert form.is_valid(), form.errors
        order = take_order(data=form.cleaned_data, channel="phone", agent=user_for("agent")).order
        dispatch_order(order=order, agent=user_for("agent"), now=timezone.now())
        return Order.objects.get(pk=order.pk)

    return make


def test_assign_report_with_position_and_photo_and_the_customer_sees_the_position(
    browser, live_server, place, settings, tmp_path
):
    from playwright.sync_api import expect

    settings.MEDIA_ROOT = tmp_path
    order = place("港口3号")  # the east region: dispatched to the fleet manager
    card = f"#order-{order.serial}"

    _fleet, fleet = phone(browser, live_server, "fleet")
    assert fleet.url.endswith("/field/fleet/")
    fleet.click(f"{card} .assign-slot a")  # the drivers load into the card when he taps "Assign"
    code = fleet.locator(f"{card} select[name=driver] option", has_text="刘师傅").get_attribute("value")
    fleet.select_option(f"{card} select[name=driver]", code)
    with fleet.expect_navigation():
        fleet.click(f"{card} button[type=submit]")
    expect(fleet.locator(f"{card} .assigned")).to_contain_text("刘师傅")
    assert Assignment.objects.get(order=order).driver.name == "刘师傅"

    context, driver = phone(browser, live_server, "driver1", geolocation=HERE, permissions=["geolocation"])
    assert driver.url.endswith("/field/driver/")
    driver.click("#share-position")
    expect(driver.locator("#position-state")).to_have_text("本页打开期间共享位置")
    driver.fill(f"{card} form[data-kind=picked_up] input[name=pieces]", str(order.quantity))
    with driver.expect_navigation():
        driver.click(f"{card} form[data-kind=picked_up] button")
    expect(driver.locator(card)).to_have_attribute("data-status", "picked_up")
    report = FieldReport.objects.get(order=order, kind="picked_up")
    assert (float(report.latitude), float(report.longitude), report.place) == (31.2304, 121.4737, "港口3号")

    _customer, customer = phone(browser, live_server)
    customer.goto(f"{live_server.url}/tracking/track/")
    customer.fill("#id_serial", order.serial)
    customer.fill("#id_phone_last4", "8000")
    with customer.expect_navigation():
        customer.click("#track-form button[type=submit]")
    # the pickup report's place, or the phone's live position sent since (the same spot here)
    expect(customer.locator("#position")).to_contain_text("31.23040, 121.47370")
    assert customer.locator("#map-link").get_attribute("href").startswith("geo:31.230400,121.473700")

    driver.fill(f"{card} form[data-kind=delivered] input[name=receiver]", "马先生")
    driver.set_input_files(
        f"{card} form[data-kind=delivered] input[name=photo]",
        files=[{"name": "note.png", "mimeType": "image/png", "buffer": png()}],
    )
    with driver.expect_navigation():
        driver.click(f"{card} form[data-kind=delivered] button")
    expect(driver.locator(f"#delivered-{order.serial}")).to_be_visible()
    delivered = FieldReport.objects.get(order=order, kind="delivered")
    assert delivered.receiver == "马先生" and (tmp_path / delivered.photo.name).exists()
    assert Order.objects.get(pk=order.pk).status == "delivered"
    context.close()


def test_the_open_page_shares_the_live_position_until_the_driver_stops_it(browser, live_server, place):
    from playwright.sync_api import expect

    order = place("汽配城")  # the north region: dispatched to 刘师傅 himself
    driver_row = Order.objects.get(pk=order.pk).driver
    context, driver = phone(browser, live_server, "driver1", geolocation=HERE, permissions=["geolocation"])
    driver.click("#share-position")
    expect(driver.locator("#position-state")).to_have_text("本页打开期间共享位置")
    expect(driver.locator("#share-position")).to_have_text("停止共享位置")
    deadline = time.monotonic() + 15
    while not DriverPosition.objects.filter(driver=driver_row).exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    live = DriverPosition.objects.get(driver=driver_row)
    assert (float(live.latitude), float(live.longitude), live.accuracy_m) == (31.2304, 121.4737, 15)

    driver.click("#share-position")
    expect(driver.locator("#position-state")).to_have_text("未共享位置")
    expect(driver.locator("#share-position")).to_have_text("共享我的位置")
    driver.reload()
    expect(driver.locator("#share-position")).to_have_text("共享我的位置")  # stopping is remembered
    assert driver.evaluate("localStorage.getItem('freightdesk.driver.share')") is None
    context.close()


def test_a_report_made_offline_is_sent_once_when_back_online(browser, live_server, place):
    from playwright.sync_api import expect

    order = place("汽配城")  # the north region: dispatched to 刘师傅 himself
    card = f"#order-{order.serial}"
    context, driver = phone(browser, live_server, "driver1", geolocation=HERE, permissions=["geolocation"])
    driver.click("#share-position")
    expect(driver.locator("#position-state")).to_have_text("本页打开期间共享位置")

    context.set_offline(True)
    driver.fill(f"{card} form[data-kind=picked_up] input[name=pieces]", str(order.quantity))
    driver.click(f"{card} form[data-kind=picked_up] button")
    expect(driver.locator("#pending")).to_contain_text(order.serial)
    assert FieldReport.objects.filter(order=order).count() == 0

    with driver.expect_navigation():
        context.set_offline(False)
    expect(driver.locator(card)).to_have_attribute("data-status", "picked_up")
    expect(driver.locator("#pending")).to_be_hidden()
    assert FieldReport.objects.filter(order=order).count() == 1
    assert Order.objects.get(pk=order.pk).status == "picked_up"
    context.close()
