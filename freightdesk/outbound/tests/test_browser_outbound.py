"""SPEC §2 外呼 in a real browser: a supervisor uploads a list (a number already on the do-not-call list is reported and
skipped) and assigns it; the agent works three numbers — the company reached with an order (the phone desk opens
pre-filled), a number with no answer tried again later, and a number put on the do-not-call list after the list was
assigned, skipped with the reason."""

from datetime import datetime, timedelta

import pytest
import time_machine
from playwright.sync_api import expect

from freightdesk.core.worktime import TZ
from freightdesk.outbound.models import CallItem, DoNotCall, ItemState, Outcome
from freightdesk.outbound.services import add_do_not_call

TUESDAY_10 = datetime(2026, 12, 8, 10, 0, tzinfo=TZ)
LIST = "电话,姓名\n021-8888 7777,华东汽配公司\n13900000002,李先生\n13900000003,赵女士\n13900000004,钱先生\nabc,坏号码\n"


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_supervisor_uploads_a_list_and_the_agent_works_three_numbers(login, live_server, demo):
    DoNotCall.objects.create(number="+8613900000004", reason="客户要求勿扰")
    with time_machine.travel(TUESDAY_10, tick=True) as clock:
        page = login("8001")
        page.goto(f"{live_server.url}/outbound/lists/")
        page.set_input_files(
            "#id_file", files=[{"name": "名单.csv", "mimeType": "text/csv", "buffer": LIST.encode("utf-8")}]
        )
        page.fill("#upload-form #id_name", "十二月营销")
        with page.expect_navigation():
            page.click("#upload-form button[type=submit]")
        problems = page.locator("#upload-problems")
        expect(problems).to_contain_text("abc")
        expect(problems).to_contain_text("勿扰")
        with page.expect_navigation():
            page.click("text=分配名单")
        page.check("#assign-form input[type=checkbox] >> nth=0")  # 8011, the first agent
        with page.expect_navigation():
            page.click("#assign-form button[type=submit]")
        expect(page.locator(".agent-progress")).to_contain_text("8011")
        # 赵女士 asks the company not to call her again: the admin puts her on the do-not-call list
        add_do_not_call(number="139 0000 0003", reason="客户来电要求勿扰")

        page.context.clear_cookies()
        page = login("8011")
        page.goto(f"{live_server.url}/outbound/")
        queue = page.locator("#queue")
        expect(queue.locator("tr[data-item]")).to_have_count(2)
        expect(page.locator("#skipped")).to_contain_text("在勿扰名单上")

        # 1. the company: reached, order taken -> the phone desk, pre-filled
        with page.expect_navigation():
            queue.locator("tr[data-item] a").first.click()
        expect(page.locator("#script")).to_contain_text("营销外呼")
        expect(page.locator("#context")).to_contain_text("华东汽配公司")
        assert page.get_attribute("#dial a", "href") == "tel:+862188887777"  # no PBX connected
        page.check("input[name=outcome][value=order_taken]")
        with page.expect_navigation():
            page.click("#outcome-form button[type=submit]")
        assert "/orders/new/" in page.url
        expect(page.locator("#id_shipper_phone")).to_have_value("02188887777")

        # 2. no answer: off the queue until the retry is due, then worked again
        page.goto(f"{live_server.url}/outbound/")
        expect(queue.locator("tr[data-item]")).to_have_count(1)
        with page.expect_navigation():
            queue.locator("tr[data-item] a").first.click()
        page.check("input[name=outcome][value=no_answer]")
        with page.expect_navigation():
            page.click("#outcome-form button[type=submit]")
        expect(queue.locator("tr[data-item]")).to_have_count(0)
        expect(page.locator("#later")).to_contain_text("13900000002")
        clock.shift(timedelta(hours=1, minutes=5))
        page.reload()
        expect(queue.locator("tr[data-item]")).to_have_count(1)
        with page.expect_navigation():
            queue.locator("tr[data-item] a").first.click()
        expect(page.locator("#attempts")).to_contain_text("无人接听")
        page.check("input[name=outcome][value=reached]")
        with page.expect_navigation():
            page.click("#outcome-form button[type=submit]")
        expect(queue.locator("tr[data-item]")).to_have_count(0)

    items = {i.phone: (i.state, i.outcome, i.attempts, i.skip_reason) for i in CallItem.objects.all()}
    assert items == {
        "+862188887777": (ItemState.DONE, Outcome.ORDER_TAKEN, 1, ""),
        "+8613900000002": (ItemState.DONE, Outcome.REACHED, 2, ""),
        "+8613900000003": (ItemState.SKIPPED, "", 0, "do_not_call"),
        "+8613900000004": (ItemState.SKIPPED, "", 0, "do_not_call"),
    }
