"""The due-now board (SPEC §7, §8, §5, §6): most urgent first, one click to the action, queries and callbacks."""

from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from freightdesk.core.errors import DomainError
from freightdesk.desk.board import due_now
from freightdesk.followups import services as scheduler
from freightdesk.followups.models import FollowUp, FollowUpState
from freightdesk.orders.models import Order, OrderEvent
from freightdesk.tracking import queries, status, urging
from freightdesk.tracking.models import Query

from .conftest import at

pytestmark = pytest.mark.django_db


def test_board_lists_checks_callbacks_reviews_and_dispatches_longest_overdue_first(dispatched, take, agent):
    with time_machine.travel(at(24, 9, 0), tick=False):
        late_pickup = dispatched(at(24, 9, 0))
        waiting = take(at(24, 9, 0))  # confirmed, never dispatched: 3 minutes
        Order.objects.filter(pk=waiting.pk).update(dispatch_due_at=at(24, 9, 3))
        web = take(at(24, 9, 0))
        Order.objects.filter(pk=web.pk).update(status="submitted", review_due_at=at(24, 9, 40))
        queries.record_query(
            order=late_pickup,
            agent=agent,
            type="arrival_time",
            channel="phone",
            question="几点到?",
            callback_at=at(24, 16, 0),
        )
    with time_machine.travel(at(24, 10, 0), tick=False):
        scheduler.sweep()
        items, counts = due_now(at(24, 10, 0))
    assert [(i.kind, i.serial) for i in items] == [
        ("dispatch", waiting.serial),
        ("pickup_check", late_pickup.serial),
        ("review", web.serial),
        ("callback", late_pickup.serial),  # promised for 16:00: on the board before it is due
    ]
    assert counts == {
        "emergencies": 0,
        "checks": 1,
        "callbacks": 1,
        "reviews": 1,
        "dispatches": 1,
        "missed_calls": 0,
        "web_messages": 0,
        "tickets": 0,
        "ticket_callbacks": 0,
        "sms_to_phone": 0,
    }
    pickup = FollowUp.objects.get(order=late_pickup, kind="pickup_check")
    assert (
        items[1].url
        == reverse("tracking:order", args=[late_pickup.serial]) + f"?action=urge&followup={pickup.pk}#action"
    )


def test_board_page_opens_the_order_with_the_urge_sms_ready(agent_client, dispatched):
    with time_machine.travel(at(24, 9, 0), tick=False):
        order = dispatched(at(24, 9, 0))
    with time_machine.travel(at(24, 9, 31), tick=False):
        scheduler.sweep()
        board = agent_client.get(reverse("desk:board"))
        assert order.serial in board.content.decode()
        partial = agent_client.get(reverse("desk:board"), headers={"HX-Request": "true"})
        assert "<html" not in partial.content.decode() and order.serial in partial.content.decode()
        check = FollowUp.objects.get(order=order, kind="pickup_check")
        page = agent_client.get(
            reverse("tracking:order", args=[order.serial]), {"action": "urge", "followup": check.pk}
        )
    form = page.context["action_form"]
    assert page.context["action"] == "urge" and form.initial["text"].startswith(order.serial)
    assert form.initial["text"].endswith("8011")


def test_urging_from_the_page_queues_the_sms_records_the_call_and_clears_the_board(agent_client, dispatched):
    with time_machine.travel(at(24, 9, 0), tick=False):
        order = dispatched(at(24, 9, 0))
    with time_machine.travel(at(24, 9, 31), tick=False):
        scheduler.sweep()
        check = FollowUp.objects.get(order=order, kind="pickup_check")
        response = agent_client.post(
            reverse("tracking:urge", args=[order.serial]),
            {"followup": check.pk, "text": "请速去汽配城提货。8011", "call_outcome": "reached"},
        )
        assert response.status_code == 302
        again = agent_client.post(
            reverse("tracking:urge", args=[order.serial]), {"followup": check.pk, "text": "再催", "call_outcome": ""}
        )
        assert again.status_code == 302
    assert order.messages.filter(kind="urge").count() == 1  # the second click found it handled
    assert OrderEvent.objects.filter(order=order, kind="urged", text__contains="请速去汽配城提货").exists()
    assert FollowUp.objects.get(pk=check.pk).state == FollowUpState.DONE


def test_a_query_is_recorded_on_the_order_and_a_promised_callback_is_closed_by_calling_back(dispatched, agent):
    with time_machine.travel(at(24, 9, 0), tick=False):
        order = dispatched(at(24, 9, 0))
        queries.record_query(
            order=order,
            agent=agent,
            type="cargo_status",
            channel="chat",
            question="到哪了",
            answer="已派车, 可自助查询",
        )
        queries.record_query(
            order=order, agent=agent, type="arrival_time", channel="phone", question="几点到", callback_at=at(24, 11, 0)
        )
        with pytest.raises(ValidationError) as bad:
            queries.record_query(order=order, agent=agent, type="nonsense", channel="phone", answer="x")
        assert "type" in bad.value.message_dict
        with pytest.raises(ValidationError):
            queries.record_query(order=order, agent=agent, type="other", channel="phone", question="?")
    assert [q.on_the_spot for q in Query.objects.filter(order=order)] == [True, False]
    assert OrderEvent.objects.filter(order=order, kind="query").count() == 2
    callback = FollowUp.objects.get(order=order, kind="callback")
    with time_machine.travel(at(24, 10, 30), tick=False):
        with pytest.raises(DomainError):
            queries.complete_callback(followup=callback, agent=agent, note="")
        queries.complete_callback(followup=callback, agent=agent, note="预计14点到", call_outcome="reached")
        assert [i for i in due_now(at(24, 10, 30))[0] if i.kind == "callback"] == []
    assert OrderEvent.objects.filter(order=order, kind="callback", text__contains="预计14点到").exists()


def test_escalation_names_the_hours_late_and_goes_to_the_fleet_manager(dispatched, agent):
    with time_machine.travel(at(24, 9, 0), tick=False):
        order = dispatched(at(24, 9, 0), delivery_deadline=at(24, 12, 0))
        status.report_event(order=order, type="picked_up", source="agent", by=agent)
    check = FollowUp.objects.get(order=order, kind="delivery_check")
    assert check.due_at == at(24, 15, 0)
    with time_machine.travel(at(24, 15, 0) + timedelta(minutes=1), tick=False):
        scheduler.sweep()
        text, _c, _p = urging.draft("escalate", order=order, agent=agent)
        assert "超过配送时效3小时1分钟" in text  # the real lateness past 12:00, not rounded up
        urging.escalate(followup=check, agent=agent, text=text)
    message = order.messages.get(kind="escalation")
    assert message.recipient_role == "fleet_manager" and message.to == "+8613700009002"
