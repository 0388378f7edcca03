"""QA sweep regression: the due-now board (/tracking/) is the one place where everything due shows — tickets past
their SLA deadline and callbacks promised on tickets too (SPEC §10: hand over "with a stated deadline", call back
before the promised time), not only on the tickets' own page, which is now named for what it is (工单待办)."""

import pytest
import time_machine
from django.apps import apps as django_apps
from django.urls import reverse

from freightdesk.desk.board import due_now
from freightdesk.tickets import followups
from freightdesk.tickets.models import Ticket
from freightdesk.tickets.seeds import seed_sla_policies
from freightdesk.tickets.services import open_ticket

from .conftest import at

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


@pytest.fixture
def tickets(agent, demo):
    """At 10:00 on Tuesday: one complaint past its deadline, one inquiry not yet due, one finished, and a
    callback promised on the inquiry for 11:00."""
    seed_sla_policies(django_apps)
    with time_machine.travel(at(24, 9, 0), tick=False):

        def new(category, subcategory):
            return open_ticket(
                by=agent,
                category=category,
                subcategory=subcategory,
                channel="phone",
                description="客户来电",
                customer_phone="13800138000",
                customer_name="王先生",
            )

        late, waiting, done = new("complaint", "transit_time"), new("inquiry", "other"), new("inquiry", "other")
    Ticket.objects.filter(pk=late.pk).update(queue_due_at=at(24, 9, 30), due_at=at(24, 9, 30))
    Ticket.objects.filter(pk=waiting.pk).update(queue_due_at=at(24, 16, 0), due_at=at(24, 16, 0))
    Ticket.objects.filter(pk=done.pk).update(queue_due_at=None, due_at=at(24, 9, 10))  # finished: off every queue
    with time_machine.travel(at(24, 9, 0), tick=False):
        callback = followups.promise_callback(ticket=waiting, by=agent, due_at=at(24, 11, 0), note="回复赔付结果")
    return late, waiting, done, callback


def test_tickets_past_deadline_and_ticket_callbacks_are_on_the_board(tickets):
    late, waiting, done, callback = tickets
    items, counts = due_now(at(24, 10, 0))
    on_board = [(i.kind, i.serial) for i in items if i.kind.startswith("ticket")]
    assert on_board == [("ticket", late.number), ("ticket_callback", waiting.number)]  # most overdue first
    ticket_item = next(i for i in items if i.kind == "ticket")
    assert ticket_item.url == reverse("tickets:detail", args=[late.number]) and ticket_item.note == "王先生"
    assert ticket_item.due_at == at(24, 9, 30)
    callback_item = next(i for i in items if i.kind == "ticket_callback")
    assert callback_item.note == "回复赔付结果" and callback_item.due_at == at(24, 11, 0)
    assert (counts["tickets"], counts["ticket_callbacks"]) == (1, 1)


def test_a_callback_made_and_a_ticket_finished_leave_the_board(tickets, agent):
    late, waiting, done, callback = tickets
    with time_machine.travel(at(24, 10, 0), tick=False):
        followups.complete_callback(callback=callback, by=agent, note="已告知")
    Ticket.objects.filter(pk=late.pk).update(queue_due_at=None)
    items, counts = due_now(at(24, 10, 0))
    assert [i for i in items if i.kind.startswith("ticket")] == []
    assert (counts["tickets"], counts["ticket_callbacks"]) == (0, 0)


def test_the_board_page_names_tickets_in_chinese_and_opens_them(agent_client, tickets):
    late, *_ = tickets
    with time_machine.travel(at(24, 10, 0), tick=False):
        page = agent_client.get(reverse("desk:board"), **ZH).content.decode()
    row = page.split(f'data-serial="{late.number}"')[1].split("</tr>")[0]
    assert "工单已超时" in row and f'href="{reverse("tickets:detail", args=[late.number])}"' in row
    assert "投诉 · " in row and "complaint" not in row
    assert 'href="?kind=tickets">超时工单 <strong>1</strong>' in page
    assert 'href="?kind=ticket_callbacks">工单回电 <strong>1</strong>' in page


def test_the_tickets_page_and_the_board_have_different_names(agent_client, tickets):
    with time_machine.travel(at(24, 10, 0), tick=False):
        board = agent_client.get(reverse("desk:board"), **ZH).content.decode()
        tickets_page = agent_client.get(reverse("tickets:due_now"), **ZH).content.decode()
    assert "<title>待办看板 · FreightDesk</title>" in board and "<h1>待办看板</h1>" in board
    assert "<title>工单待办 · FreightDesk</title>" in tickets_page and "<h1>工单待办</h1>" in tickets_page
    assert f'href="{reverse("desk:board")}"' in tickets_page.split("</h1>")[1]
