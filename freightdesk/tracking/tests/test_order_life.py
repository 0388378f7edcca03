"""The whole life of an order after dispatch (SPEC §7), with the clock under control:

dispatched Tuesday 16:50 -> pickup check at 17:20 (30 working minutes) finds it not picked up ->
urged at 17:20 (SMS from the urge template + the call) -> re-check due 8:50 Wednesday (the clock
stopped at 17:30) -> picked up 8:40 Wednesday, so that re-check closes itself -> the customer wanted
it by 14:00; still not delivered at the 15:00 check -> escalated to the fleet manager at 15:00 with
the escalation template -> the driver reports delivery at 16:10 through the link texted right after the
dispatch SMS, and the next delivery check closes.
"""

from urllib.parse import urlsplit

import pytest
import time_machine
from django.utils import timezone

from freightdesk.desk.board import due_now
from freightdesk.followups.models import FollowUp, FollowUpKind, FollowUpState
from freightdesk.messaging.models import Message
from freightdesk.orders.models import Order, OrderEvent
from freightdesk.tracking import status, urging
from freightdesk.tracking.models import Source

from .conftest import at, run_worker

pytestmark = pytest.mark.django_db(transaction=True)


def open_checks(order, kind):
    return list(FollowUp.objects.filter(order=order, kind=kind, state__in=["scheduled", "raised"]))


def board_serials(kind):
    items, _counts = due_now(timezone.now())
    return [i.serial for i in items if i.kind == kind]


def test_dispatched_1650_is_urged_at_1720_picked_up_next_morning_and_escalated_at_the_1500_check(
    dispatched, agent, django_capture_on_commit_callbacks, client
):
    with time_machine.travel(at(24, 16, 50), tick=False) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            order = dispatched(at(24, 16, 50), delivery_deadline=at(25, 14, 0))
        [pickup] = open_checks(order, FollowUpKind.PICKUP_CHECK)
        [delivery] = open_checks(order, FollowUpKind.DELIVERY_CHECK)
        assert pickup.due_at == at(24, 17, 20)  # 30 working minutes, still before closing
        assert delivery.due_at == at(25, 15, 0) and delivery.deadline == at(25, 14, 0)

        clock.move_to(at(24, 17, 19))
        run_worker()
        assert board_serials(FollowUpKind.PICKUP_CHECK) == []  # not due yet: the task waits for run_after

        clock.move_to(at(24, 17, 20))
        run_worker()
        pickup.refresh_from_db()
        assert pickup.state == FollowUpState.RAISED
        assert board_serials(FollowUpKind.PICKUP_CHECK) == [order.serial]
        assert OrderEvent.objects.filter(order=order, kind="check", text__contains="尚未提货").exists()

        text, _code, _params = urging.draft("urge", order=order, agent=agent)
        assert text.startswith(order.serial) and "尚未提" in text and text.endswith("8011")
        with django_capture_on_commit_callbacks(execute=True):
            urging.urge_driver(followup=pickup, agent=agent, text=text, call_outcome="no_answer", note="司机未接")
        urge = Message.objects.get(order=order, kind="urge")
        assert urge.recipient_role == "driver" and urge.text == text
        assert OrderEvent.objects.filter(order=order, kind="urged", text__contains="司机未接").exists()
        assert board_serials(FollowUpKind.PICKUP_CHECK) == []
        [recheck] = open_checks(order, FollowUpKind.PICKUP_CHECK)
        assert recheck.due_at == at(25, 8, 50)  # 10 minutes on Tuesday, 20 on Wednesday morning

        clock.move_to(at(25, 8, 40))
        status.report_event(
            order=order, type="picked_up", at=at(25, 8, 40), source=Source.AGENT, by=agent, note="司机电话告知"
        )
        clock.move_to(at(25, 8, 50))
        run_worker()
        recheck.refresh_from_db()
        assert recheck.state == FollowUpState.DONE  # the work was done: the check closed itself
        assert open_checks(order, FollowUpKind.PICKUP_CHECK) == []

        clock.move_to(at(25, 10, 0))
        run_worker()
        assert board_serials(FollowUpKind.DELIVERY_CHECK) == []  # the 10:00 check is before the 14:00 deadline

        clock.move_to(at(25, 15, 0))
        run_worker()
        delivery.refresh_from_db()
        assert delivery.state == FollowUpState.RAISED
        assert board_serials(FollowUpKind.DELIVERY_CHECK) == [order.serial]

        text, _code, _params = urging.draft("escalate", order=order, agent=agent)
        assert text == f"{order.serial}单号{order.serial},货物已超过配送时效1小时,请速处理。8011"
        with django_capture_on_commit_callbacks(execute=True):
            urging.escalate(followup=delivery, agent=agent, text=text, call_outcome="reached")
        escalation = Message.objects.get(order=order, kind="escalation")
        assert escalation.recipient_role == "fleet_manager" and escalation.text == text
        assert OrderEvent.objects.filter(order=order, kind="escalated", text__contains="超过配送时效1小时").exists()
        [next_check] = open_checks(order, FollowUpKind.DELIVERY_CHECK)
        assert next_check.due_at == at(26, 10, 0)

        clock.move_to(at(25, 16, 10))  # the driver reports delivery through the link texted with the dispatch
        link_sms = Message.objects.get(order=order, kind="driver_link")
        assert link_sms.recipient_role == "driver" and link_sms.created_at == at(24, 16, 50)
        path = urlsplit(link_sms.text.split()[-1]).path
        assert client.post(path, {"serial": order.serial, "type": "delivered"}).status_code == 302
        assert Order.objects.get(pk=order.pk).status == "delivered"
        delivered = order.status_events.get(type="delivered")
        assert (delivered.source, delivered.at) == (Source.DRIVER_LINK, at(25, 16, 10))
        assert FollowUp.objects.filter(order=order, state__in=["scheduled", "raised"]).count() == 0
        clock.move_to(at(26, 10, 0))
        run_worker()
        assert board_serials(FollowUpKind.DELIVERY_CHECK) == []


def test_a_pickup_check_due_after_closing_is_checked_at_the_next_opening(dispatched):
    with time_machine.travel(at(24, 17, 20), tick=False):
        order = dispatched(at(24, 17, 20))
    [pickup] = open_checks(order, FollowUpKind.PICKUP_CHECK)
    assert pickup.due_at == at(25, 8, 50)


def test_a_friday_evening_dispatch_is_checked_on_monday(dispatched):
    with time_machine.travel(at(27, 17, 25), tick=False):
        order = dispatched(at(27, 17, 25))
    [pickup] = open_checks(order, FollowUpKind.PICKUP_CHECK)
    assert pickup.due_at == at(30, 8, 55)
