"""Every transition of the table, for every role: allowed exactly for the roles it names (403 otherwise),
and a step not in the table is refused with 409."""

import pytest

from freightdesk.core.errors import DomainError, NotAllowed
from freightdesk.tickets.models import Severity, Ticket
from freightdesk.tickets.services import transition_ticket
from freightdesk.tickets.workflow import TRANSITIONS

from .conftest import STEP_DATA

pytestmark = pytest.mark.django_db
ROLES = ["agent", "supervisor", "manager", "fleet_manager", "driver", "customer", "developer"]
SUBCATEGORY = {"complaint": "attitude", "inquiry": "other", "suggestion": "general", "emergency": "safety"}


def _ticket_in(new_ticket, step, severity=Severity.CLASS_1):
    ticket = new_ticket(category=step.category, subcategory=SUBCATEGORY[step.category])
    fields = {"status": step.source, "severity": severity, "responsible_kind": "none", "resolution_kind": "apology"}
    Ticket.objects.filter(pk=ticket.pk).update(**fields)
    ticket.refresh_from_db()
    return ticket


@pytest.mark.parametrize("step", TRANSITIONS, ids=lambda t: f"{t.category}:{t.source}->{t.target}")
@pytest.mark.parametrize("role", ROLES)
def test_each_transition_is_allowed_only_for_its_roles(new_ticket, user_for, step, role):
    ticket = _ticket_in(new_ticket, step)
    user = user_for(role)
    data = {**STEP_DATA.get(step.target, {}), "note": "because", "reply": "已答复", "responsible_kind": "none"}
    if role in step.roles:
        result = transition_ticket(ticket=ticket, by=user, to=step.target, data=data)
        assert result.status == step.target
    else:
        with pytest.raises(NotAllowed):
            transition_ticket(ticket=ticket, by=user, to=step.target, data=data)
        ticket.refresh_from_db()
        assert ticket.status == step.source


@pytest.mark.parametrize(
    "step", [t for t in TRANSITIONS if t.category == "complaint"], ids=lambda t: f"{t.source}->{t.target}"
)
@pytest.mark.parametrize("role", ["agent", "supervisor", "manager"])
def test_a_crisis_is_locked_to_management(new_ticket, user_for, step, role):
    ticket = _ticket_in(new_ticket, step, severity=Severity.CRISIS)
    data = {**STEP_DATA.get(step.target, {}), "note": "because", "responsible_kind": "none"}
    if role == "manager":
        assert transition_ticket(ticket=ticket, by=user_for(role), to=step.target, data=data).status == step.target
    else:
        with pytest.raises(NotAllowed):
            transition_ticket(ticket=ticket, by=user_for(role), to=step.target, data=data)


def test_a_step_not_in_the_table_is_refused_with_409(new_ticket, user_for):
    ticket = new_ticket()
    with pytest.raises(DomainError) as err:
        transition_ticket(ticket=ticket, by=user_for("supervisor"), to="closed")
    assert err.value.http_status == 409 and err.value.code == "transition_not_allowed"


def test_compensation_above_the_cap_needs_a_manager(new_ticket, user_for, settings):
    settings.FREIGHTDESK = {**settings.FREIGHTDESK, "COMPENSATION_CAP": "200"}
    ticket = new_ticket()
    Ticket.objects.filter(pk=ticket.pk).update(status="investigated", responsible_kind="none")
    ticket.refresh_from_db()
    ticket = transition_ticket(
        ticket=ticket,
        by=user_for("agent"),
        to="proposed",
        data={"resolution_kind": "compensation", "resolution_amount": "800.00", "resolution_note": "货损赔偿"},
    )
    with pytest.raises(NotAllowed) as err:
        transition_ticket(ticket=ticket, by=user_for("supervisor"), to="approved")
    assert err.value.code == "manager_approval_required"
    assert transition_ticket(ticket=ticket, by=user_for("manager"), to="approved").approved_by == user_for("manager")


@pytest.mark.parametrize(
    ("amount", "code"),
    [("-1", "negative"), ("abc", "invalid"), ("1.234", "invalid"), ("", "required"), ("NaN", "invalid")],
)
def test_bad_amounts_are_refused_and_nothing_is_written(new_ticket, agent, amount, code):
    from freightdesk.tickets.steps import TicketInputError

    ticket = new_ticket()
    Ticket.objects.filter(pk=ticket.pk).update(status="investigated")
    ticket.refresh_from_db()
    with pytest.raises(TicketInputError) as err:
        transition_ticket(
            ticket=ticket,
            by=agent,
            to="proposed",
            data={"resolution_kind": "compensation", "resolution_amount": amount, "resolution_note": "赔偿"},
        )
    assert err.value.code == code and err.value.http_status == 422
    ticket.refresh_from_db()
    assert ticket.status == "investigated" and ticket.resolution_amount is None


DESK_ONLY = {"agent", "supervisor"}


@pytest.mark.parametrize("role", ROLES)
def test_the_other_actions_on_a_ticket_are_for_their_roles_only(new_ticket, user_for, role, late_order):
    """Urge, promise and complete a callback: the desk; escalate to class 2: the desk and managers;
    declare a crisis: supervisors and managers; take a group ticket: members of the owner group."""
    from datetime import timedelta

    from django.utils import timezone

    from freightdesk.desk.ticket_urge import urge_driver
    from freightdesk.dispatch.services import dispatch_order
    from freightdesk.tickets.followups import complete_callback, promise_callback
    from freightdesk.tickets.services import escalate_ticket, take_ticket

    dispatch_order(order=late_order, agent=user_for("agent"))
    user = user_for(role)
    ticket = new_ticket(order=late_order)  # complaint / attitude: owner group supervisor, untaken
    callback = promise_callback(ticket=ticket, by=user_for("agent"), due_at=timezone.now() + timedelta(hours=1))
    actions = {
        "urge": (DESK_ONLY, lambda: urge_driver(ticket=ticket, by=user)),
        "promise": (
            DESK_ONLY,
            lambda: promise_callback(ticket=ticket, by=user, due_at=timezone.now() + timedelta(hours=2)),
        ),
        "called back": (DESK_ONLY, lambda: complete_callback(callback=callback, by=user)),
        "class 2": (
            {"agent", "supervisor", "manager"},
            lambda: escalate_ticket(ticket=Ticket.objects.get(pk=ticket.pk), by=user, to="class2", note="要求见领导"),
        ),
        "take": ({"supervisor"}, lambda: take_ticket(ticket=Ticket.objects.get(pk=ticket.pk), by=user)),
    }
    refused = []
    for name, (roles, act) in actions.items():
        if role in roles:
            act()
            continue
        with pytest.raises(NotAllowed):
            act()
        refused.append(name)
    assert refused == [name for name, (roles, _act) in actions.items() if role not in roles]
    # …and a refusal writes nothing:
    ticket.refresh_from_db()
    assert (ticket.severity == "class2") == (role in {"agent", "supervisor", "manager"})
    assert (ticket.handler == user) == (role == "supervisor")
    assert ticket.events.filter(kind="urged").exists() == (role in DESK_ONLY)


@pytest.mark.parametrize("role", ["agent", "supervisor", "manager"])
def test_only_supervisors_and_managers_declare_a_crisis(new_ticket, user_for, role):
    from freightdesk.tickets.services import escalate_ticket

    ticket = new_ticket()
    if role == "agent":
        with pytest.raises(NotAllowed):
            escalate_ticket(ticket=ticket, by=user_for(role), to="crisis", note="媒体关注")
        ticket.refresh_from_db()
        assert ticket.severity == "class1" and ticket.owner_group == "supervisor"
    else:
        ticket = escalate_ticket(ticket=ticket, by=user_for(role), to="crisis", note="媒体关注")
        assert ticket.severity == "crisis" and ticket.owner_group == "manager" and ticket.handler is None


def test_a_proposal_above_the_cap_says_at_once_that_a_manager_must_approve(client, new_ticket, user_for, settings):
    from django.urls import reverse

    settings.FREIGHTDESK = {**settings.FREIGHTDESK, "COMPENSATION_CAP": "200"}
    ticket = new_ticket()
    Ticket.objects.filter(pk=ticket.pk).update(status="investigated", responsible_kind="none")
    ticket.refresh_from_db()
    ticket = transition_ticket(
        ticket=ticket,
        by=user_for("agent"),
        to="proposed",
        data={"resolution_kind": "compensation", "resolution_amount": "200.01", "resolution_note": "货损赔偿"},
    )
    assert ticket.events.get(kind="needs_manager").changes == {"amount": "200.01", "cap": "200"}
    client.force_login(user_for("supervisor"))
    page = client.get(reverse("tickets:detail", args=[ticket.number]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="needs-manager"' in page and "above the cap of 200" in page


def test_an_amount_at_the_cap_is_approved_by_a_supervisor(new_ticket, user_for, settings):
    settings.FREIGHTDESK = {**settings.FREIGHTDESK, "COMPENSATION_CAP": "200"}
    ticket = new_ticket()
    Ticket.objects.filter(pk=ticket.pk).update(
        status="proposed", resolution_kind="compensation", resolution_amount="200.00"
    )
    ticket.refresh_from_db()
    assert transition_ticket(ticket=ticket, by=user_for("supervisor"), to="approved").status == "approved"
    assert not ticket.events.filter(kind="needs_manager").exists()
