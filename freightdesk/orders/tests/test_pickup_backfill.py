"""Orders confirmed before the pickup clock was stored get it from their confirmation (migration 0007)."""

from datetime import datetime, timedelta

import time_machine

from freightdesk.core.worktime import TZ
from freightdesk.orders.intake import take_order
from freightdesk.orders.models import Channel, Order
from freightdesk.orders.pickup import backfill_pickup_due

MONDAY_10 = datetime(2026, 11, 23, 10, 0, tzinfo=TZ)


def test_backfill_runs_the_clock_from_the_confirmation_and_skips_orders_in_review(cleaned_example, agent):
    with time_machine.travel(MONDAY_10, tick=False):
        confirmed = take_order(data=cleaned_example, channel=Channel.PHONE, agent=agent, intake_key="a").order
        waiting = take_order(data=cleaned_example, channel=Channel.WEB, intake_key="b").order
    Order.objects.filter(pk=confirmed.pk).update(
        pickup_due_at=None, confirmed_at=MONDAY_10 + timedelta(hours=7, minutes=10)
    )
    assert backfill_pickup_due(Order) == 1
    # confirmed at 17:10: 20 working minutes that day, 10 the next morning
    assert Order.objects.get(pk=confirmed.pk).pickup_due_at == datetime(2026, 11, 24, 8, 40, tzinfo=TZ)
    assert Order.objects.get(pk=waiting.pk).pickup_due_at is None
    assert backfill_pickup_due(Order) == 0
