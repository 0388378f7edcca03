"""Four eyes on a complaint's resolution (who proposed it cannot approve it; the next supervisor or a manager can),
and the complaint's outcome on the ticket page and in the API; a closed ticket shows when it closed."""

import pytest
from django.contrib.auth.models import Group, User

from freightdesk.accounts.models import ApiToken, StaffProfile
from freightdesk.core.errors import NotAllowed
from freightdesk.tickets.models import Status, Ticket, TicketEvent
from freightdesk.tickets.services import transition_ticket

from .conftest import STEP_DATA, walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_supervisor(demo):
    user = User.objects.create_user("8002", password="x-unused")
    user.groups.add(Group.objects.get(name="supervisor"))
    StaffProfile.objects.create(user=user, agent_id="8002", display_name="二号主管")
    return user


@pytest.fixture
def complaint(new_ticket, late_order):
    return lambda: new_ticket(order=late_order)


def proposed_by(new_ticket, agent, supervisor, proposer):
    ticket = walk(new_ticket(), ["validated", "assigned", "investigated"], lambda target: agent)
    return transition_ticket(ticket=ticket, by=proposer, to="proposed", data=STEP_DATA["proposed"])


def test_the_supervisor_who_proposed_a_resolution_cannot_approve_it(complaint, agent, supervisor):
    ticket = proposed_by(complaint, agent, supervisor, proposer=supervisor)
    events = TicketEvent.objects.filter(ticket=ticket).count()
    with pytest.raises(NotAllowed) as refused:
        transition_ticket(ticket=ticket, by=supervisor, to="approved")
    assert refused.value.code == "four_eyes" and refused.value.http_status == 403
    fresh = Ticket.objects.get(pk=ticket.pk)
    assert fresh.status == Status.PROPOSED and fresh.approved_by is None
    assert TicketEvent.objects.filter(ticket=ticket).count() == events  # nothing written


def test_the_next_supervisor_or_a_manager_may_approve(complaint, agent, supervisor, second_supervisor, manager):
    ticket = proposed_by(complaint, agent, supervisor, proposer=supervisor)
    approved = transition_ticket(ticket=ticket, by=second_supervisor, to="approved")
    assert approved.status == Status.APPROVED and approved.approved_by == second_supervisor
    other = proposed_by(complaint, agent, supervisor, proposer=supervisor)
    assert transition_ticket(ticket=other, by=manager, to="approved").approved_by == manager


def test_an_agents_proposal_is_approved_by_his_supervisor(complaint, agent, supervisor):
    ticket = proposed_by(complaint, agent, supervisor, proposer=agent)
    assert transition_ticket(ticket=ticket, by=supervisor, to="approved").status == Status.APPROVED


def test_sent_back_and_proposed_again_by_another_the_first_proposer_may_approve(
    complaint, agent, supervisor, second_supervisor
):
    ticket = proposed_by(complaint, agent, supervisor, proposer=supervisor)
    ticket = transition_ticket(ticket=ticket, by=second_supervisor, to="investigated", data={"note": "金额偏高"})
    ticket = transition_ticket(ticket=ticket, by=agent, to="proposed", data=STEP_DATA["proposed"])
    assert transition_ticket(ticket=ticket, by=supervisor, to="approved").approved_by == supervisor


def closed_complaint(complaint, agent, supervisor):
    ticket = proposed_by(complaint, agent, supervisor, proposer=agent)
    ticket = transition_ticket(ticket=ticket, by=supervisor, to="approved")
    return walk(ticket, ["resolved", "closed"], lambda target: agent)


def test_the_api_shows_the_complaints_outcome(client, complaint, agent, supervisor):
    ticket = closed_complaint(complaint, agent, supervisor)
    token = ApiToken.issue(agent)[1]
    body = client.get(f"/api/v1/tickets/{ticket.number}", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert body["outcome"] == {
        "department": "transport",
        "cause": "司机前一单延误",
        "responsible_kind": "driver",
        "responsible": ticket.responsible_driver.name,
        "resolution": "discount",
        "amount": "50.00",
        "resolution_note": "运费减免50元",
        "approved_by": "8001",
        "approved_at": body["outcome"]["approved_at"],
        "customer_notified_via": "call",
        "penalty_percent": 5,
        "penalty_note": "绩效工资5%",
        "loss_amount": None,
        "penalties": [
            {
                "kind": "responsible",
                "person": f"{ticket.responsible_driver.name} ({ticket.responsible_driver.code})",
                "percent": 5,
                "proposed_percent": 2,
            }
        ],
        "feedback": "客户接受",
        "root_cause": "排班过紧",
        "preventive_action": "下午单预留30分钟",
    }
    assert body["outcome"]["approved_at"] and body["closed_at"]


def test_the_ticket_page_shows_the_outcome_and_when_it_closed_not_a_countdown(client, complaint, agent, supervisor):
    ticket = closed_complaint(complaint, agent, supervisor)
    client.force_login(agent)
    page = client.get(f"/tickets/{ticket.number}/").content.decode()
    for text in ("运费减免50元", "8001", "5%", "绩效工资5%", "客户接受", "排班过紧", "下午单预留30分钟"):
        assert text in page, text
    assert 'id="closed-at"' in page and 'class="countdown' not in page


def test_the_customers_own_page_of_a_closed_ticket_says_when_it_closed(client, user_for, new_ticket, agent):
    customer = user_for("customer")
    ticket = new_ticket(customer=customer.customer_account.customer)
    ticket = transition_ticket(ticket=ticket, by=agent, to="dismissed", data={"reply": "经核实司机按时到达"})
    client.force_login(customer)
    page = client.get(f"/tickets/mine/{ticket.number}/").content.decode()
    assert 'id="closed-at"' in page and ticket.closed_at is not None
