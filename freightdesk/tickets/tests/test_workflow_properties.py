"""Property: no sequence of steps (allowed or not, by any role, with escalations) reaches an invalid state."""

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from freightdesk.core.errors import DomainError
from freightdesk.tickets.models import (
    FINISHED_STATUSES,
    TERMINAL_STATUSES,
    OwnerGroup,
    Severity,
    Status,
    Ticket,
    TicketEvent,
)
from freightdesk.tickets.services import escalate_ticket, open_ticket, transition_ticket
from freightdesk.tickets.workflow import STATUSES_BY_CATEGORY, TRANSITIONS

from .conftest import STEP_DATA

pytestmark = pytest.mark.django_db
ROLES = ["agent", "supervisor", "manager", "driver"]
APPROVED_OR_LATER = {Status.APPROVED, Status.RESOLVED, Status.CLOSED}


def machine_for(users, category, subcategory):
    targets = sorted({t.target for t in TRANSITIONS} | {"bogus"})

    class TicketMachine(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            self.ticket = open_ticket(
                by=users["agent"],
                category=category,
                subcategory=subcategory,
                channel="phone",
                description="客户来电",
                customer_phone="13800138000",
            )
            self.steps = 0
            self.severity_rank = 0

        @rule(role=st.sampled_from(ROLES), to=st.sampled_from(targets), amount=st.sampled_from(["50", "900", "-3"]))
        def step(self, role, to, amount):
            data = {**STEP_DATA.get(to, {}), "note": "n", "reply": "已答复", "responsible_kind": "none"}
            if to == "proposed":
                data.update(resolution_kind="compensation", resolution_amount=amount)
            try:
                self.ticket = transition_ticket(ticket=self.ticket, by=users[role], to=to, data=data)
                self.steps += 1
            except DomainError:
                self.ticket.refresh_from_db()

        @rule(role=st.sampled_from(ROLES), to=st.sampled_from(list(Severity.values)))
        def escalate(self, role, to):
            try:
                self.ticket = escalate_ticket(ticket=self.ticket, by=users[role], to=to, note="客户要求")
            except DomainError:
                self.ticket.refresh_from_db()

        @invariant()
        def state_is_valid(self):
            t = Ticket.objects.get(pk=self.ticket.pk)
            assert t.status in STATUSES_BY_CATEGORY[t.category]
            assert (t.status in TERMINAL_STATUSES) == (t.closed_at is not None)
            assert (t.resolved_at is not None) <= (t.status in FINISHED_STATUSES)
            if t.category == "complaint" and t.status in APPROVED_OR_LATER:
                assert t.approved_by_id and t.resolution_kind
            assert t.resolution_amount is None or t.resolution_amount >= 0
            assert (t.queue_due_at is None) == (t.status in FINISHED_STATUSES)
            rank = Severity.rank(t.severity)
            assert rank >= self.severity_rank
            self.severity_rank = rank
            if t.severity == Severity.CRISIS:
                assert t.owner_group == OwnerGroup.MANAGER and t.handler_id is None
            assert TicketEvent.objects.filter(ticket=t, kind="transition").count() == self.steps

    return TicketMachine


@pytest.mark.parametrize(
    ("category", "subcategory"),
    [("complaint", "attitude"), ("inquiry", "other"), ("suggestion", "general"), ("emergency", "safety")],
)
def test_no_sequence_of_steps_reaches_an_invalid_state(user_for, category, subcategory):
    users = {role: user_for(role) for role in ROLES}
    run_state_machine_as_test(
        machine_for(users, category, subcategory),
        settings=settings(
            max_examples=25,
            stateful_step_count=20,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )
