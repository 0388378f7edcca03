"""Two agents cannot confirm the same order twice (issue 3 part 3), under real concurrency."""

import pytest
from django.db import close_old_connections

from freightdesk.core.errors import DomainError
from freightdesk.core.tests.concurrency import at_once
from freightdesk.orders import intake, review
from freightdesk.orders.models import Channel, Order, OrderEvent, Status

pytestmark = pytest.mark.django_db(transaction=True)


def _race(order_id, agents, action):
    def run(agent):
        order = Order.objects.get(pk=order_id)  # each agent's own copy: both see "submitted"
        try:
            return ("ok", action(order, agent))
        except DomainError as exc:
            return ("refused", exc.code)

    results = at_once(run, agents)
    close_old_connections()
    return results


def test_two_agents_confirming_at_once_confirm_the_order_once(cleaned_example, user_for):
    from django.contrib.auth import get_user_model

    order = intake.take_order(data=cleaned_example, channel=Channel.WEB).order
    agents = [user_for("agent"), get_user_model().objects.get(username="8012"), user_for("supervisor")]
    review.record_call_attempt(order=order, agent=agents[0], outcome="answered")  # confirmed only after a call
    results = _race(order.pk, agents, lambda o, a: review.review_order(order=o, agent=a, outcome="confirm"))
    assert sorted(kind for kind, _ in results) == ["ok", "refused", "refused"]
    assert {code for kind, code in results if kind == "refused"} <= {"not_reviewable", "claimed"}
    assert Order.objects.get(pk=order.pk).status == Status.CONFIRMED
    assert OrderEvent.objects.filter(order=order, kind="reviewed").count() == 1
    assert order.messages.filter(idempotency_key=f"customer-order_confirmed-{order.pk}").count() == 1


def test_two_agents_opening_the_same_review_end_with_one_holder(cleaned_example, user_for):
    from django.contrib.auth import get_user_model

    order = intake.take_order(data=cleaned_example, channel=Channel.WEB).order
    agents = [user_for("agent"), get_user_model().objects.get(username="8012")]
    results = _race(order.pk, agents, lambda o, a: review.claim_review(order=o, agent=a).mine)
    assert sorted(mine for _kind, mine in results) == [False, True]
