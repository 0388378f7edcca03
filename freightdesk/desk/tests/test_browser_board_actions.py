"""In Chromium: agent 8011 works the due-now board from its rows — urges a late pickup, and sets a missed call
aside with a reason (refused first without one) — without leaving the board."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from freightdesk.desk.models import Dismissal
from freightdesk.followups import services as scheduler
from freightdesk.followups.models import FollowUp
from freightdesk.telephony.ingest import ingest_event
from freightdesk.telephony.models import Call
from freightdesk.telephony.tests.factories import T0, missed

from .conftest import at

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_agent_urges_and_dismisses_from_the_board(dispatched, login, live_server, time_machine):
    time_machine.move_to(at(24, 9, 0), tick=False)
    order = dispatched(at(24, 9, 0))
    time_machine.move_to(at(24, 9, 40), tick=True)  # the pickup check is due at 9:30
    scheduler.sweep()
    check = FollowUp.objects.get(order=order, kind="pickup_check")
    now = timezone.now()
    for payload in missed("m-browser", caller="13800138000"):
        payload["at"] = (datetime.fromisoformat(payload["at"]) - T0 + now).isoformat()
        ingest_event(payload=payload, now=now + timedelta(minutes=1))
    call = Call.objects.get()

    page = login("8011")
    page.goto(f"{live_server.url}/tracking/")
    page.wait_for_load_state("load")  # htmx binds its triggers at DOMContentLoaded
    row = page.locator(f"tr.due-item[data-kind=pickup_check][data-ref='{check.pk}']")
    row.locator("button[value=urge]").click()
    done = page.locator(f"tr.due-item.done[data-ref='{check.pk}']")
    expect(done).to_contain_text("已短信催司机提货")
    assert order.messages.filter(kind="urge").count() == 1

    call_row = page.locator(f"tr.due-item[data-kind=missed_call][data-ref='{call.pk}']")
    call_row.locator("button[value=dismiss]").click()
    expect(page.locator(f"tr.due-item.refused[data-ref='{call.pk}']")).to_contain_text("请说明撤销原因")
    assert not Dismissal.objects.exists()
    page.goto(f"{live_server.url}/tracking/?kind=missed_calls")
    page.wait_for_load_state("load")
    call_row = page.locator(f"tr.due-item[data-kind=missed_call][data-ref='{call.pk}']")
    call_row.locator("input[name=note]").fill("客户已再次来电下单")
    call_row.locator("button[value=dismiss]").click()
    expect(page.locator(f"tr.due-item.done[data-ref='{call.pk}']")).to_contain_text("客户已再次来电下单")
    assert Dismissal.objects.get().reason == "客户已再次来电下单"
