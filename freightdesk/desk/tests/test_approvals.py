"""The approval inbox: every ticket step waiting for a supervisor or a manager, with its age, on their menu and on
the tickets queue; four eyes — nobody finds his own proposal; a proposal above the cap and a crisis wait for a
manager."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User

from freightdesk.accounts.models import StaffProfile
from freightdesk.desk.approvals import inbox_for, rows
from freightdesk.tickets.services import escalate_ticket, transition_ticket
from freightdesk.tickets.tests.conftest import STEP_DATA, walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_supervisor(demo):
    user = User.objects.create_user("8002", password="x-unused")
    user.groups.add(Group.objects.get(name="supervisor"))
    StaffProfile.objects.create(user=user, agent_id="8002")
    return user


@pytest.fixture
def propose(new_ticket, late_order, agent):
    def make(by, amount="50.00"):
        ticket = walk(new_ticket(order=late_order), ["validated", "assigned", "investigated"], lambda t: agent)
        data = {**STEP_DATA["proposed"], "resolution_amount": amount}
        return transition_ticket(ticket=ticket, by=by, to="proposed", data=data)

    return make


def numbers(user) -> list[str]:
    return list(inbox_for(user).values_list("number", flat=True))


def test_a_proposal_waits_in_every_supervisors_and_managers_inbox_with_its_age(
    propose, agent, supervisor, manager, time_machine
):
    ticket = propose(agent)
    time_machine.shift(timedelta(minutes=45))
    assert numbers(supervisor) == [ticket.number] and numbers(manager) == [ticket.number]
    assert numbers(agent) == []
    (row,) = rows(supervisor)
    assert row.kind == "approval" and row.waiting_since == ticket.events.get(to_status="proposed").at


def test_four_eyes_the_proposer_does_not_find_his_own_proposal(propose, supervisor, second_supervisor, manager):
    ticket = propose(supervisor)
    assert numbers(supervisor) == []
    assert numbers(second_supervisor) == [ticket.number] and numbers(manager) == [ticket.number]


def test_above_the_cap_and_a_crisis_wait_for_a_manager(propose, agent, supervisor, manager, new_ticket, settings):
    big = propose(agent, amount="800.00")
    crisis = escalate_ticket(ticket=new_ticket(), by=supervisor, to="crisis", note="媒体曝光")
    assert numbers(supervisor) == []
    assert numbers(manager) == [crisis.number, big.number]  # crises first
    assert {r.kind for r in rows(manager)} == {"crisis", "approval"}
    assert next(r for r in rows(manager) if r.kind == "approval").needs_manager


def test_an_emergency_waits_for_a_supervisor_until_resolved(new_ticket, supervisor):
    emergency = new_ticket(category="emergency", subcategory=_emergency_subcategory())
    assert numbers(supervisor) == [emergency.number]
    emergency = transition_ticket(ticket=emergency, by=supervisor, to="in_progress")
    assert numbers(supervisor) == [emergency.number]
    transition_ticket(ticket=emergency, by=supervisor, to="resolved", data={"reply": "已处理"})
    assert numbers(supervisor) == []


def test_approved_leaves_the_inbox(propose, agent, supervisor):
    ticket = propose(agent)
    transition_ticket(ticket=ticket, by=supervisor, to="approved")
    assert numbers(supervisor) == []


def test_the_menu_counts_what_waits_on_every_page_the_home_page_too(client, propose, agent, supervisor):
    propose(agent)
    client.force_login(supervisor)
    home = client.get("/", follow=True).content.decode()
    assert 'id="approvals-count">1<' in home
    page = client.get("/desk/approvals/").content.decode()
    assert 'class="inbox-row"' in page
    client.force_login(agent)
    assert client.get("/desk/approvals/").status_code == 403
    assert 'id="approvals-count"' not in client.get("/", follow=True).content.decode()


def _emergency_subcategory() -> str:
    from freightdesk.tickets.models import SlaPolicy

    return SlaPolicy.objects.filter(category="emergency").values_list("subcategory", flat=True).first()
