"""The penalty step (SPEC §9 step 7; 001 第一篇): a share of performance pay scaled to the loss (the loss-band table),
the department head's share when the department is responsible, the handler's share for a delay past the deadline
(the delay-band table), and the rule that a penalty is recorded when a person is responsible. Each rule has a test
that fails without it; refused steps write nothing."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model

from freightdesk.network.models import Driver
from freightdesk.tickets import penalties
from freightdesk.tickets.models import (
    DelayPenaltyBand,
    DepartmentHead,
    LossPenaltyBand,
    Penalty,
    Ticket,
    TicketEvent,
)
from freightdesk.tickets.services import open_ticket, transition_ticket
from freightdesk.tickets.steps import TicketInputError

pytestmark = pytest.mark.django_db
SH = ZoneInfo("Asia/Shanghai")
DONE = {"customer_notified_via": "call", "feedback": "客户接受"}


def approved(ticket, agent, supervisor, *, responsible=None, amount="50.00", loss=None, department_at_fault=False):
    """Walk a complaint to "approved": ``responsible`` the staff member (default the agent) or a Driver."""
    responsible = agent if responsible is None else responsible
    who = (
        {"responsible_kind": "driver", "responsible_driver": responsible.pk}
        if isinstance(responsible, Driver)
        else {"responsible_kind": "staff", "responsible_user": responsible.pk}
    )
    investigated = {"cause": "交接遗漏", **who}
    if department_at_fault:
        investigated["department_responsible"] = "on"
    proposal = {"resolution_kind": "compensation", "resolution_amount": amount, "resolution_note": "赔偿"}
    # above the compensation cap a manager approves
    approver = supervisor if Decimal(amount) <= 500 else get_user_model().objects.get(username="manager")
    if loss is not None:
        proposal["loss_amount"] = loss
    for to, by, data in [
        ("validated", agent, {}),
        ("assigned", agent, {"department": "transport"}),
        ("investigated", agent, investigated),
        ("proposed", agent, proposal),
        ("approved", approver, {}),
    ]:
        ticket = transition_ticket(ticket=ticket, by=by, to=to, data=data)
    return ticket


def shares(ticket):
    return {p.kind: (p.person, p.percent) for p in penalties.propose(ticket)}


@pytest.mark.parametrize(
    ("amount", "percent"), [("0", 2), ("50.00", 2), ("199.99", 2), ("200", 5), ("1500", 10), ("8000", 20)]
)
def test_the_share_proposed_scales_with_the_loss(new_ticket, agent, supervisor, amount, percent):
    ticket = approved(new_ticket(), agent, supervisor, amount=amount)
    assert shares(ticket)["responsible"] == ("8011", percent)


def test_the_loss_estimated_with_the_resolution_counts_over_its_amount(new_ticket, agent, supervisor):
    ticket = approved(new_ticket(), agent, supervisor, amount="50.00", loss="1200")
    assert ticket.loss_amount == Decimal("1200") and shares(ticket)["responsible"][1] == 10


def test_the_loss_bands_are_data_an_admin_edits(new_ticket, agent, supervisor):
    LossPenaltyBand.objects.filter(loss_from=Decimal("0")).update(share_percent=7)
    ticket = approved(new_ticket(), agent, supervisor, amount="50.00")
    assert shares(ticket)["responsible"][1] == 7
    LossPenaltyBand.objects.all().delete()
    assert shares(ticket)["responsible"][1] is None


def test_resolving_charges_the_person_responsible_one_penalty_row(new_ticket, agent, supervisor):
    ticket = approved(new_ticket(), agent, supervisor, amount="300.00")
    transition_ticket(ticket=ticket, by=agent, to="resolved", data={**DONE, "penalty_percent": "4"})
    [row] = Penalty.objects.filter(ticket=ticket)
    assert (row.kind, row.user, row.percent, row.proposed_percent, row.loss_amount) == (
        "responsible",
        agent,
        4,
        5,
        Decimal("300.00"),
    )
    [event] = TicketEvent.objects.filter(ticket=ticket, kind="penalised")
    assert event.text == "直接责任人 8011 绩效工资4%"


def test_a_driver_responsible_is_charged_as_a_driver(new_ticket, agent, supervisor):
    driver = Driver.objects.filter(active=True).first()
    ticket = approved(new_ticket(), agent, supervisor, responsible=driver, amount="1000")
    transition_ticket(ticket=ticket, by=agent, to="resolved", data={**DONE, "penalty_percent": "10"})
    row = Penalty.objects.get(ticket=ticket)
    assert (row.driver, row.user, row.percent) == (driver, None, 10)


def test_the_department_head_is_charged_when_the_department_is_responsible(new_ticket, agent, supervisor, manager):
    DepartmentHead.objects.create(department="transport", user=manager)
    ticket = approved(new_ticket(), agent, supervisor, amount="1500", department_at_fault=True)
    assert shares(ticket)["department_head"] == ("manager", 3)
    ticket = transition_ticket(ticket=ticket, by=agent, to="resolved", data={**DONE, "penalty_percent": "10"})
    assert ticket.head_penalty_percent == 3  # the proposal, not entered
    head = Penalty.objects.get(ticket=ticket, kind="department_head")
    assert (head.user, head.percent, head.proposed_percent) == (manager, 3, 3)


def test_the_head_share_entered_overrides_the_proposal(new_ticket, agent, supervisor, manager):
    DepartmentHead.objects.create(department="transport", user=manager)
    ticket = approved(new_ticket(), agent, supervisor, amount="1500", department_at_fault=True)
    data = {**DONE, "penalty_percent": "10", "head_penalty_percent": "1"}
    transition_ticket(ticket=ticket, by=agent, to="resolved", data=data)
    assert Penalty.objects.get(ticket=ticket, kind="department_head").percent == 1


def test_no_head_penalty_when_the_department_is_not_responsible(new_ticket, agent, supervisor, manager):
    DepartmentHead.objects.create(department="transport", user=manager)
    ticket = approved(new_ticket(), agent, supervisor, amount="1500")
    data = {**DONE, "penalty_percent": "10", "head_penalty_percent": "3"}
    ticket = transition_ticket(ticket=ticket, by=agent, to="resolved", data=data)
    assert ticket.head_penalty_percent is None
    assert not Penalty.objects.filter(ticket=ticket, kind="department_head").exists()


def _late_complaint(agent, time_machine):
    """A transit-time complaint, owned by the agent who takes it: 30 working minutes from 09:00."""
    time_machine.move_to(datetime(2026, 11, 23, 9, 0, tzinfo=SH), tick=False)
    return open_ticket(
        by=agent, category="complaint", subcategory="transit_time", channel="phone", description="超时未提货"
    )


def test_a_handling_delay_past_the_deadline_charges_the_handler(agent, supervisor, time_machine, demo):
    ticket = approved(_late_complaint(agent, time_machine), agent, supervisor)
    assert ticket.handler == agent and ticket.due_at == datetime(2026, 11, 23, 9, 30, tzinfo=SH)
    time_machine.move_to(datetime(2026, 11, 23, 12, 0, tzinfo=SH), tick=False)
    assert penalties.minutes_late(ticket, datetime(2026, 11, 23, 12, 0, tzinfo=SH)) == 150
    transition_ticket(ticket=ticket, by=agent, to="resolved", data={**DONE, "penalty_percent": "2"})
    delay = Penalty.objects.get(ticket=ticket, kind="handling_delay")
    assert (delay.user, delay.percent, delay.minutes_late) == (agent, 3, 150)


def test_late_by_working_time_not_by_the_night(agent, supervisor, time_machine, demo):
    """A deadline counted in working minutes: resolved at 08:40 the next morning is 10 minutes late, not a night."""
    ticket = approved(_late_complaint(agent, time_machine), agent, supervisor)
    Ticket.objects.filter(pk=ticket.pk).update(due_at=datetime(2026, 11, 23, 17, 30, tzinfo=SH))
    ticket.refresh_from_db()
    assert penalties.minutes_late(ticket, datetime(2026, 11, 24, 8, 40, tzinfo=SH)) == 10


def test_no_delay_penalty_when_resolved_on_time(agent, supervisor, time_machine, demo):
    ticket = approved(_late_complaint(agent, time_machine), agent, supervisor)
    time_machine.move_to(datetime(2026, 11, 23, 9, 20, tzinfo=SH), tick=False)
    data = {**DONE, "penalty_percent": "2", "delay_penalty_percent": "5"}
    ticket = transition_ticket(ticket=ticket, by=agent, to="resolved", data=data)
    assert ticket.delay_penalty_percent is None
    assert not Penalty.objects.filter(ticket=ticket, kind="handling_delay").exists()


def test_without_delay_bands_nothing_is_charged_for_a_delay(agent, supervisor, time_machine, demo):
    DelayPenaltyBand.objects.all().delete()
    ticket = approved(_late_complaint(agent, time_machine), agent, supervisor)
    time_machine.move_to(datetime(2026, 11, 23, 12, 0, tzinfo=SH), tick=False)
    transition_ticket(ticket=ticket, by=agent, to="resolved", data={**DONE, "penalty_percent": "2"})
    assert not Penalty.objects.filter(ticket=ticket, kind="handling_delay").exists()


def test_penalty_required_when_a_person_is_responsible_and_nothing_is_written(new_ticket, agent, supervisor):
    ticket = approved(new_ticket(), agent, supervisor)
    events = TicketEvent.objects.filter(ticket=ticket).count()
    with pytest.raises(TicketInputError) as refused:
        transition_ticket(ticket=ticket, by=agent, to="resolved", data=DONE)
    assert refused.value.field == "penalty_percent"
    ticket.refresh_from_db()
    assert (ticket.status, ticket.penalty_percent, ticket.resolved_at) == ("approved", None, None)
    assert TicketEvent.objects.filter(ticket=ticket).count() == events
    assert not Penalty.objects.filter(ticket=ticket).exists()


def test_no_penalty_needed_when_no_one_is_responsible(new_ticket, agent, supervisor):
    ticket = new_ticket()
    for to, by, data in [
        ("validated", agent, {}),
        ("assigned", agent, {"department": "transport"}),
        ("investigated", agent, {"cause": "暴雨封路", "responsible_kind": "none"}),
        ("proposed", agent, {"resolution_kind": "apology", "resolution_note": "致歉"}),
        ("approved", supervisor, {}),
        ("resolved", agent, DONE),
    ]:
        ticket = transition_ticket(ticket=ticket, by=by, to=to, data=data)
    assert ticket.status == "resolved" and not Penalty.objects.filter(ticket=ticket).exists()


def test_a_zero_penalty_is_recorded_on_the_ticket_but_charges_no_one(new_ticket, agent, supervisor):
    ticket = approved(new_ticket(), agent, supervisor)
    ticket = transition_ticket(ticket=ticket, by=agent, to="resolved", data={**DONE, "penalty_percent": "0"})
    assert ticket.penalty_percent == 0 and not Penalty.objects.filter(ticket=ticket).exists()


@pytest.mark.parametrize("bad", ["101", "-1", "五", "2.5"])
def test_a_bad_head_share_is_refused_and_nothing_is_written(new_ticket, agent, supervisor, manager, bad):
    DepartmentHead.objects.create(department="transport", user=manager)
    ticket = approved(new_ticket(), agent, supervisor, department_at_fault=True)
    with pytest.raises(TicketInputError) as refused:
        data = {**DONE, "penalty_percent": "2", "head_penalty_percent": bad}
        transition_ticket(ticket=ticket, by=agent, to="resolved", data=data)
    assert refused.value.field == "head_penalty_percent"
    assert Ticket.objects.get(pk=ticket.pk).status == "approved" and not Penalty.objects.exists()


def test_resolved_again_after_a_reopening_the_latest_decision_stands(new_ticket, agent, supervisor, manager):
    ticket = approved(new_ticket(), agent, supervisor)
    ticket = transition_ticket(ticket=ticket, by=agent, to="resolved", data={**DONE, "penalty_percent": "2"})
    ticket = transition_ticket(ticket=ticket, by=agent, to="assigned", data={"note": "客户不满意"})
    for to, by, data in [
        ("investigated", agent, {"cause": "再次核实", "responsible_kind": "staff", "responsible_user": agent.pk}),
        ("proposed", agent, {"resolution_kind": "compensation", "resolution_amount": "600", "resolution_note": "赔"}),
        ("approved", manager, {}),
        ("resolved", agent, {**DONE, "penalty_percent": "5"}),
    ]:
        ticket = transition_ticket(ticket=ticket, by=by, to=to, data=data)
    assert list(Penalty.objects.filter(ticket=ticket).values_list("kind", "percent")) == [("responsible", 5)]
