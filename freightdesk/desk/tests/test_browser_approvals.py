"""In Chromium: a supervisor finds the agent's proposed resolution in his approval inbox (menu count, age) and
approves it; a manager finds the crisis and the proposal above the cap that the supervisor cannot take."""

import pytest
from playwright.sync_api import expect

from freightdesk.tickets.models import Ticket
from freightdesk.tickets.services import escalate_ticket, transition_ticket
from freightdesk.tickets.tests.conftest import STEP_DATA, walk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def proposals(new_ticket, take, agent, supervisor):
    from django.utils import timezone

    order = take(timezone.now())

    def propose(amount):
        ticket = walk(new_ticket(order=order), ["validated", "assigned", "investigated"], lambda t: agent)
        data = {**STEP_DATA["proposed"], "resolution_amount": amount}
        return transition_ticket(ticket=ticket, by=agent, to="proposed", data=data)

    small, big = propose("50.00"), propose("800.00")
    crisis = escalate_ticket(ticket=new_ticket(), by=supervisor, to="crisis", note="媒体曝光")
    return small, big, crisis


def test_supervisor_approves_from_the_inbox_and_manager_sees_the_rest(proposals, login, live_server):
    small, big, crisis = proposals
    page = login("8001")
    expect(page.locator("#approvals-count")).to_have_text("1")  # on the home page he lands on
    page.click("#nav-approvals")
    row = page.locator(f"#inbox tr[data-number='{small.number}']")
    expect(row).to_be_visible()
    expect(row.locator(".age")).not_to_be_empty()
    expect(page.locator("#inbox .inbox-row")).to_have_count(1)  # not the big one, not the crisis
    with page.expect_navigation():
        row.locator("a").click()
    with page.expect_navigation():
        page.click("form.step[data-to=approved] button[type=submit]")
    expect(page.locator("#status")).to_have_text("处理方案已批准")
    assert Ticket.objects.get(pk=small.pk).approved_by.username == "8001"
    page.goto(f"{live_server.url}/desk/approvals/")
    expect(page.locator("#inbox .inbox-row")).to_have_count(0)

    page.click("button:has-text('退出登录')")
    page = login("manager")
    page.goto(f"{live_server.url}/tickets/")
    inbox = page.locator("#approvals #inbox")  # embedded in his tickets queue
    expect(inbox.locator(".inbox-row")).to_have_count(2)
    expect(inbox.locator(".inbox-row").first).to_have_attribute("data-kind", "crisis")
    expect(inbox.locator(f"tr[data-number='{big.number}']")).to_contain_text("800")
