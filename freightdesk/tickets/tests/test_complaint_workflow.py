"""SPEC §9 end to end: the seed's late pickup (promised before 14:30, not there at 15:00), through all eight steps."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command

from freightdesk.core.errors import NotAllowed
from freightdesk.desk.ticket_urge import urge_driver
from freightdesk.dispatch.services import dispatch_order
from freightdesk.followups.models import FollowUp
from freightdesk.messaging.models import Message
from freightdesk.orders.models import OrderEvent
from freightdesk.surveys.models import Survey
from freightdesk.tickets.models import Status
from freightdesk.tickets.services import open_ticket, transition_ticket
from freightdesk.tracking.models import FollowUpAction

from .conftest import STEP_DATA

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")


def at(hh, mm):
    return datetime(2026, 11, 23, hh, mm, tzinfo=SH)


@pytest.mark.django_db(transaction=True)  # the task worker closes its connection
def test_late_pickup_complaint_runs_all_eight_steps_and_ends_with_a_survey(
    late_order, agent, supervisor, time_machine, django_capture_on_commit_callbacks
):
    dispatch_order(order=late_order, agent=agent, now=at(14, 0))
    time_machine.move_to(at(15, 0), tick=False)
    # (1) record: complainant, time, target, demand — linked to the order, hence driver and agent.
    ticket = open_ticket(
        by=agent,
        category="complaint",
        subcategory="transit_time",
        channel="phone",
        order=late_order,
        description="说好14:30前提货，15:00了还没来",
        demand="尽快提货",
    )
    assert ticket.number == "C202611001"
    assert ticket.owner_group == "agent" and ticket.handler == agent
    assert ticket.due_at == at(15, 30)  # 30 working minutes
    assert ticket.driver.name == "刘师傅" and ticket.agent == agent
    assert ticket.customer_name == "王先生" and ticket.customer == late_order.shipper
    assert "催司机" in ticket.standard_solution

    # One action, through tracking's urge: SMS the driver, copy the fleet manager, recorded on the ticket and
    # in the order's tracking record; the pickup check is closed and the next one scheduled.
    sent = urge_driver(ticket=ticket, by=agent)
    expected = f"{late_order.serial}王先生15件配件尚未提,客已来电催提货,请速处理。8011"  # he did call
    assert {(m.recipient_role, m.to, m.text) for m in sent} == {
        ("driver", "+8613900001111", expected),
        ("fleet_manager", "+8613700009002", expected),
    }
    assert FollowUpAction.objects.get(order=late_order, kind="urge").note == ticket.number
    [recheck] = FollowUp.objects.filter(order=late_order, kind="pickup_check", state="scheduled")
    assert recheck.due_at == at(15, 30)
    assert OrderEvent.objects.filter(order=late_order, kind="urged", text__contains=expected).count() == 1
    assert OrderEvent.objects.filter(order=late_order, kind="ticket").exists()
    assert ticket.events.get(kind="urged").changes["to"] == ["driver", "fleet_manager"]

    # (2) valid, (3) transport department, (4) the driver was late, (5) a discount.
    for target in ("validated", "assigned", "investigated", "proposed"):
        ticket = transition_ticket(ticket=ticket, by=agent, to=target, data=STEP_DATA[target])
    assert ticket.responsible_driver.name == "刘师傅" and ticket.resolution_amount == Decimal("50.00")

    # (6) only a supervisor approves.
    with pytest.raises(NotAllowed):
        transition_ticket(ticket=ticket, by=agent, to="approved")
    ticket = transition_ticket(ticket=ticket, by=supervisor, to="approved")
    assert ticket.approved_by == supervisor

    # (7) carried out: customer told, penalty recorded, feedback — then the survey SMS goes out.
    time_machine.move_to(at(15, 20), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        ticket = transition_ticket(ticket=ticket, by=agent, to="resolved", data=STEP_DATA["resolved"])
    call_command("db_worker", batch=True, no_reload=True, no_startup_delay=True, queue_name="*", verbosity=0)
    assert ticket.status == Status.RESOLVED and ticket.resolved_at == at(15, 20)
    assert ticket.penalty_percent == 5
    survey = Survey.objects.get(ticket=ticket)
    assert Message.objects.filter(kind="survey", to="+8613800138000", text__contains=survey.token).exists()

    # (8) summarised.
    ticket = transition_ticket(ticket=ticket, by=agent, to="closed", data=STEP_DATA["closed"])
    assert ticket.closed_at and ticket.root_cause == "排班过紧"
    steps = list(ticket.events.filter(kind="transition").values_list("from_status", "to_status"))
    assert steps == [
        ("recorded", "validated"),
        ("validated", "assigned"),
        ("assigned", "investigated"),
        ("investigated", "proposed"),
        ("proposed", "approved"),
        ("approved", "resolved"),
        ("resolved", "closed"),
    ]


def test_invalid_complaint_gets_a_tactful_reply_and_closes(new_ticket, agent):
    ticket = new_ticket()
    ticket = transition_ticket(ticket=ticket, by=agent, to="dismissed", data=STEP_DATA["dismissed"])
    assert ticket.status == "dismissed" and ticket.closed_at is not None
    assert ticket.reply == STEP_DATA["dismissed"]["reply"]


def test_dismissing_without_a_reply_is_refused_and_nothing_changes(new_ticket, agent):
    from freightdesk.tickets.steps import TicketInputError

    ticket = new_ticket()
    with pytest.raises(TicketInputError) as err:
        transition_ticket(ticket=ticket, by=agent, to="dismissed", data={"reply": "  "})
    assert err.value.field == "reply"
    ticket.refresh_from_db()
    assert ticket.status == "recorded" and ticket.events.count() == 1
