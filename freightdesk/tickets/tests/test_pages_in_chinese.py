"""QA sweep regressions on the ticket pages: a web order (no agent took it) can be linked to a new ticket;
queue, due-now board and history read in Chinese; a manager is not offered a page he may not open."""

import pytest
from django.urls import reverse

from freightdesk.orders.intake import take_order
from freightdesk.orders.models import Channel
from freightdesk.tickets.models import Ticket

pytestmark = pytest.mark.django_db
ZH = {"HTTP_ACCEPT_LANGUAGE": "zh-hans"}


def test_new_ticket_page_links_a_web_order_that_no_agent_took(agent_client, cleaned_example):
    web = take_order(data=cleaned_example, channel=Channel.WEB).order
    assert web.taken_by is None

    response = agent_client.get(reverse("tickets:new"), {"order": web.serial}, **ZH)

    assert response.status_code == 200
    panel = response.content.decode().split('id="preview-order"')[1]
    assert web.serial in panel and "客服人员: —" in panel


def test_queue_due_board_and_history_name_the_sub_category_and_steps_in_chinese(agent_client, new_ticket):
    ticket = new_ticket(category="complaint", subcategory="transit_time")
    Ticket.objects.filter(pk=ticket.pk).update(remind_at=ticket.created_at)  # due soon: on the board

    queue = agent_client.get(reverse("tickets:queue"), **ZH).content.decode()
    board = agent_client.get(reverse("tickets:due_now"), **ZH).content.decode()
    detail = agent_client.get(reverse("tickets:detail", args=[ticket.number]), **ZH).content.decode()

    label = ticket.sla_policy.label
    assert f"投诉 · {label}" in queue and "transit_time" not in queue
    assert f"投诉 · {label}" in board and "transit_time" not in board
    history = detail.split('id="history"')[1].split("</ul>")[0]
    assert "受理 已记录" in history and f"投诉 · {label}" in history
    assert not any(word in history for word in ("created", "recorded", "complaint/"))


def test_a_manager_reads_the_queue_without_a_new_ticket_button(client, user_for, agent_client):
    assert 'href="/tickets/new/"' in agent_client.get(reverse("tickets:queue")).content.decode()
    client.force_login(user_for("manager"))
    page = client.get(reverse("tickets:queue"))
    assert page.status_code == 200 and 'href="/tickets/new/"' not in page.content.decode()
    assert client.get(reverse("tickets:new")).status_code == 403
