"""Tracking fixtures: the seed's example order, taken and dispatched at a chosen time."""

from datetime import datetime

import pytest
from django.core.management import call_command

from freightdesk.core.worktime import TZ


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A time in the week of Monday 2026-11-23 (an ordinary working week), Asia/Shanghai."""
    return datetime(2026, 11, day, hour, minute, tzinfo=TZ)


def run_worker():
    """Run every task that is due now (time-machine controls "now"). The worker drops connections older
    than CONN_MAX_AGE; a test that travels hours ahead keeps its (transactional) connection."""
    from django.db import connection

    connection.close_at = None
    call_command("db_worker", batch=True, reload=False, startup_delay=False, queue_name="*", verbosity=0)


@pytest.fixture
def take(cleaned_example, agent):
    from freightdesk.orders.intake import take_order

    def make(when, **changes):
        data = {**cleaned_example, **changes}
        return take_order(data=data, channel="phone", agent=agent, now=when).order

    return make


@pytest.fixture
def dispatched(take, agent):
    """take + dispatch through the dispatch service at ``when`` (returns the reloaded order)."""
    from freightdesk.dispatch.services import dispatch_order
    from freightdesk.orders.models import Order

    def make(when, **changes):
        order = take(when, **changes)
        dispatch_order(order=order, agent=agent, now=when)
        return Order.objects.select_related("pickup_region", "delivery_region").get(pk=order.pk)

    return make
