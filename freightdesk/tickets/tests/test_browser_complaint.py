"""In a real browser: the caller of SPEC §9's example (pickup promised before 14:30, not there at 15:00) rings;
agent 8011 opens a ticket from the order, sees what the SLA table fills in, saves, and finds it in his queue."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from freightdesk.tickets.models import Ticket

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SH = ZoneInfo("Asia/Shanghai")
AT_1500 = datetime(2026, 11, 23, 15, 0, tzinfo=SH)


def test_agent_records_the_late_pickup_complaint_from_the_order_page(late_order, login, live_server, time_machine):
    time_machine.move_to(AT_1500, tick=True)  # the server's clock …
    page = login("8011")
    page.clock.install(time=AT_1500)  # … and the browser's, so the countdown counts from 15:00 too
    page.goto(f"{live_server.url}/orders/{late_order.serial}/")
    page.click(f"a[href$='/tickets/new/?order={late_order.serial}']")
    page.wait_for_load_state("load")  # htmx binds its triggers at DOMContentLoaded; a change before that is lost

    # The order is linked before anything is typed: its customer, driver and agent show beside the form.
    expect(page.locator("#id_order")).to_have_value(late_order.serial)
    order_panel = page.locator("#preview-order")
    expect(order_panel).to_contain_text("王先生")
    expect(order_panel).to_contain_text("刘师傅")
    expect(order_panel).to_contain_text("8011")

    # Picking the category fills in owner, deadline, standard solution and the complaint phrases.
    page.select_option("#id_kind", "complaint:transit_time")
    # The panel is fetched by htmx from the live server: give a busy test machine (-n 2) time.
    expect(page.locator("#preview-solution")).to_contain_text("催司机", timeout=15_000)
    expect(page.locator("#preview-owner")).to_contain_text("客服人员")  # the agent group: his own ticket
    expect(page.locator("#preview-deadline")).to_have_text("11-23 15:30")  # 30 working minutes
    expect(page.locator("#preview-phrases")).to_contain_text("投诉")
    page.fill("#id_description", "说好14:30前来提货，现在15:00了司机还没到")
    page.fill("#id_demand", "尽快提货")
    page.click("#ticket-form button[type=submit]")

    page.wait_for_url(re.compile(r"/tickets/C\d{9}/$"))
    ticket = Ticket.objects.get()
    assert page.url.endswith(f"/tickets/{ticket.number}/")
    assert (ticket.category, ticket.subcategory, ticket.order, ticket.handler.username) == (
        "complaint",
        "transit_time",
        late_order,
        "8011",
    )
    assert ticket.driver.name == "刘师傅" and ticket.customer_name == "王先生"
    expect(page.locator("h1")).to_contain_text(ticket.number)

    # In the owner's queue, with a countdown that runs (30 minutes from 15:00, ticking in the browser).
    page.goto(f"{live_server.url}/tickets/")
    row = page.locator("#queue tr", has_text=ticket.number)
    expect(row).to_be_visible()
    countdown = row.locator(".countdown")
    expect(countdown).to_have_text(re.compile(r"^(30:00|29:[0-5]\d)$"))
    first = countdown.inner_text()
    page.clock.run_for(2000)
    expect(countdown).not_to_have_text(first)
