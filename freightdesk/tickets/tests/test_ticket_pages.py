"""The desk's pages: record a ticket from a call, see it in the queue, take the allowed steps by POST only."""

import pytest
from django.urls import reverse

from freightdesk.tickets.models import Ticket

pytestmark = pytest.mark.django_db


def test_agent_records_a_complaint_from_a_call_and_sees_it_in_his_queue(agent_client, late_order):
    response = agent_client.post(
        reverse("tickets:new"),
        {
            "kind": "complaint:transit_time",
            "channel": "phone",
            "customer_phone": "13800138000",
            "order": late_order.serial,
            "description": "说好14:30前提货，还没来",
            "demand": "尽快提货",
        },
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302 and response.url == reverse("tickets:detail", args=[ticket.number])
    assert ticket.order == late_order and ticket.driver.name == "刘师傅"
    queue = agent_client.get(reverse("tickets:queue")).content.decode()
    assert ticket.number in queue and 'data-due="' in queue


def test_unknown_order_serial_gets_a_message_and_saves_nothing(agent_client, demo):
    response = agent_client.post(
        reverse("tickets:new"),
        {"kind": "complaint:fees", "channel": "phone", "order": "999999999", "description": "多收费"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200 and "No order with this serial" in response.content.decode()
    assert not Ticket.objects.exists()


def test_detail_shows_only_the_steps_the_user_may_take(client, new_ticket, user_for):
    ticket = new_ticket()
    Ticket.objects.filter(pk=ticket.pk).update(status="proposed", resolution_kind="apology")
    url = reverse("tickets:detail", args=[ticket.number])
    client.force_login(user_for("agent"))
    assert 'data-to="approved"' not in client.get(url).content.decode()
    client.force_login(user_for("supervisor"))
    page = client.get(url).content.decode()
    assert 'data-to="approved"' in page and 'data-to="investigated"' in page


def test_a_refused_step_is_403_with_the_reason_and_changes_nothing(agent_client, new_ticket):
    ticket = new_ticket()
    Ticket.objects.filter(pk=ticket.pk).update(status="proposed", resolution_kind="apology")
    response = agent_client.post(
        reverse("tickets:transition", args=[ticket.number]), {"to": "approved"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 403 and "Only " in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.status == "proposed"


def test_a_step_from_the_wrong_status_is_409(agent_client, new_ticket):
    ticket = new_ticket()
    response = agent_client.post(reverse("tickets:transition", args=[ticket.number]), {"to": "closed"})
    assert response.status_code == 409


def test_state_changes_only_on_post(agent_client, new_ticket):
    ticket = new_ticket()
    response = agent_client.get(reverse("tickets:transition", args=[ticket.number]), {"to": "validated"})
    assert response.status_code == 405
    ticket.refresh_from_db()
    assert ticket.status == "recorded"


def test_the_step_form_moves_the_ticket_and_the_history_shows_it(agent_client, new_ticket):
    ticket = new_ticket()
    response = agent_client.post(reverse("tickets:transition", args=[ticket.number]), {"to": "validated"})
    assert response.status_code == 302
    page = agent_client.get(reverse("tickets:detail", args=[ticket.number])).content.decode()
    assert "已记录 → 判定有效" in page  # the statuses in the reader's words, not their codes


def test_customers_and_drivers_do_not_see_tickets(client, new_ticket, user_for):
    ticket = new_ticket()
    for role in ("customer", "driver"):
        client.force_login(user_for(role))
        assert client.get(reverse("tickets:detail", args=[ticket.number])).status_code == 403
        assert client.get(reverse("tickets:queue")).status_code == 403


def test_a_supervisor_group_ticket_is_in_every_supervisors_queue_until_taken(client, new_ticket, user_for):
    ticket = new_ticket(subcategory="attitude")  # owner: supervisor
    assert ticket.handler is None
    client.force_login(user_for("supervisor"))
    assert ticket.number in client.get(reverse("tickets:queue")).content.decode()
    client.post(reverse("tickets:take", args=[ticket.number]))
    ticket.refresh_from_db()
    assert ticket.handler == user_for("supervisor")


def test_emergency_pages_the_supervisor_and_suggestion_is_acknowledged(new_ticket, user_for):

    emergency = new_ticket(category="emergency", subcategory="safety", description="司机受伤")
    assert emergency.messages.filter(kind="emergency", to="+8613700008001").exists()
    suggestion = new_ticket(category="suggestion", subcategory="general", description="希望增加夜间提货")
    assert suggestion.events.filter(kind="acknowledged", text="您的建议很重要，我们会及时转给相关部门").exists()


def test_reopened_complaint_becomes_class_2_and_a_crisis_pages_managers(new_ticket, user_for):
    from freightdesk.tickets.services import escalate_ticket, transition_ticket

    ticket = new_ticket()
    Ticket.objects.filter(pk=ticket.pk).update(status="resolved")
    ticket.refresh_from_db()
    ticket = transition_ticket(ticket=ticket, by=user_for("agent"), to="assigned", data={"note": "客户不满意"})
    assert ticket.severity == "class2" and ticket.reopen_count == 1
    ticket = escalate_ticket(ticket=ticket, by=user_for("supervisor"), to="crisis", note="媒体关注")
    assert ticket.owner_group == "manager"
    assert ticket.messages.filter(kind="crisis", to="+8613700009001").exists()


def test_the_new_ticket_page_shows_what_the_sla_table_and_the_order_fill_in(agent_client, late_order):
    page = agent_client.get(reverse("tickets:new"), {"order": late_order.serial}).content.decode()
    assert 'id="preview-order"' in page and "刘师傅" in page and 'id="preview-solution"' not in page
    part = agent_client.get(
        reverse("tickets:preview"),
        {"kind": "complaint:transit_time", "order": late_order.serial},
        HTTP_HX_REQUEST="true",
    ).content.decode()
    assert "<html" not in part and "催司机" in part and "11-23 14:30" in part  # 30 working minutes from 14:00
    assert "(30 分钟, 工作时间)" in " ".join(part.split())  # the SLA row's deadline policy, as the preview says it
    missing = agent_client.get(
        reverse("tickets:preview"), {"kind": "nonsense", "order": "999999999"}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "No order with this serial" in missing and "Choose the category and sub-category" in missing
