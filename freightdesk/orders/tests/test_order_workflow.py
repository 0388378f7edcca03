"""The order's state machine (workflow.py) and its one writer (transition_order): only the table's steps, only
for the roles it names, only with what each step must fill; a refused step writes nothing."""

from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from freightdesk.accounts.capabilities import has_capability
from freightdesk.core.errors import DomainError
from freightdesk.orders.intake import take_order
from freightdesk.orders.models import Channel, Order, OrderEvent, Status
from freightdesk.orders.transitions import Entry, transition_order
from freightdesk.orders.workflow import FINAL_STATUSES, NEW, STATUSES, TRANSITIONS, Step, find_transition, may

pytestmark = pytest.mark.django_db
ROLES = ["agent", "supervisor", "manager", "admin", "driver", "customer"]


def step_input(step: str, by=None) -> dict:
    """What the table says a step must fill, with plausible values."""
    now = timezone.now()
    values = {
        "confirmed_at": now,
        "dispatch_due_at": now + timedelta(minutes=3),
        "pickup_due_at": now + timedelta(minutes=30),
        "problem_callback_at": now + timedelta(hours=1),
        "review_due_at": now + timedelta(hours=1),
        "taken_by": by,
    }
    details = {"note": "客户来电", "void_reason": "other", "before": {"note": "a"}, "after": {"note": "b"}}
    fields, wanted = {}, set()
    for t in TRANSITIONS:
        if t.step == step:
            fields.update({name: values[name] for name in t.fields})
            wanted.update(t.details)
    return {"fields": fields, "entry": Entry(step, step, params={k: details[k] for k in wanted})}


def take(order, step, by=None, **kwargs):
    return transition_order(order=order, step=step, by=by, **{**step_input(step, by), **kwargs})


def test_the_table_reaches_every_status_and_leaves_none_but_the_final_ones():
    assert set(Status.values) == STATUSES
    assert {Status.DELIVERED, Status.VOID} == FINAL_STATUSES
    assert find_transition(Step.VOID, Status.PICKED_UP) is None  # after pickup: refused
    assert find_transition(Step.CORRECT, Status.PICKED_UP) is None
    assert {t.target for t in TRANSITIONS if NEW in t.sources} == {Status.SUBMITTED, Status.CONFIRMED}


def test_only_the_desk_may_void_or_correct_a_confirmed_order(cleaned_example, user_for):
    order = take_order(data=cleaned_example, channel=Channel.PHONE, agent=user_for("agent")).order
    events = OrderEvent.objects.filter(order=order).count()
    for step in (Step.VOID, Step.CORRECT):
        with pytest.raises(DomainError) as refused:
            take(order, step, by=user_for("manager"))
        assert (refused.value.code, refused.value.http_status) == ("role_not_allowed", 403)
    assert Order.objects.get(pk=order.pk).status == Status.CONFIRMED
    assert OrderEvent.objects.filter(order=order).count() == events  # nothing written

    take(order, Step.CORRECT, by=user_for("supervisor"))
    assert Order.objects.get(pk=order.pk).status == Status.CONFIRMED  # a correction keeps the status
    take(order, Step.VOID, by=user_for("agent"))
    assert Order.objects.get(pk=order.pk).status == Status.VOID
    assert OrderEvent.objects.filter(order=order).count() == events + 2


def test_a_step_without_what_it_must_fill_is_refused_and_writes_nothing(cleaned_example, user_for):
    order = take_order(data=cleaned_example, channel=Channel.WEB).order
    with pytest.raises(DomainError) as refused:
        transition_order(order=order, step=Step.PROBLEM, by=user_for("agent"), entry=Entry("reviewed", "x"))
    assert refused.value.code == "step_incomplete" and refused.value.field == "problem_callback_at"
    assert Order.objects.get(pk=order.pk).status == Status.SUBMITTED


def test_of_two_steps_from_the_same_status_one_wins(cleaned_example, user_for):
    order = take_order(data=cleaned_example, channel=Channel.WEB).order
    stale = Order.objects.get(pk=order.pk)
    take(order, Step.CONFIRM, by=user_for("agent"))
    with pytest.raises(DomainError) as refused:
        take(stale, Step.VOID, by=user_for("supervisor"))
    assert refused.value.code == "order_changed"
    assert Order.objects.get(pk=order.pk).status == Status.CONFIRMED
    assert not OrderEvent.objects.filter(order=order, kind=Step.VOID).exists()


def machine_for(users, channel, example):
    class OrderMachine(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            agent = users["agent"] if channel == Channel.PHONE else None
            self.order = take_order(data=example, channel=channel, agent=agent).order
            self.status = self.order.status
            self.events = OrderEvent.objects.filter(order=self.order).count()

        @rule(step=st.sampled_from(list(Step)), role=st.sampled_from([*ROLES, None]), link=st.booleans())
        def step(self, step, role, link):
            order = Order.objects.get(pk=self.order.pk)
            by = users[role] if role else None
            allowed = find_transition(step, order.status)
            try:
                take(order, step, by=by, by_link=link)
            except DomainError as exc:
                if allowed is None:
                    assert exc.code == "transition_not_allowed"
                else:
                    assert exc.code == "role_not_allowed" and not may(by, allowed, by_link=link)
                return
            assert allowed is not None, f"{step} from {self.status} went through"
            assert may(by, allowed, by_link=link) and (by is None or link or has_capability(by, allowed.capability))
            self.status = allowed.target or self.status
            self.events += 1

        @invariant()
        def state_is_valid(self):
            order = Order.objects.get(pk=self.order.pk)
            assert order.status == self.status and order.status in STATUSES
            assert OrderEvent.objects.filter(order=order).count() == self.events

    return OrderMachine


@pytest.mark.parametrize("channel", [Channel.PHONE, Channel.WEB])
def test_no_sequence_of_steps_leaves_the_table(user_for, cleaned_example, channel):
    users = {role: user_for(role) for role in ROLES}
    run_state_machine_as_test(
        machine_for(users, channel, cleaned_example),
        settings=settings(
            max_examples=20,
            stateful_step_count=15,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )
