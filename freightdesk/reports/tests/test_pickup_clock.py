"""The pickup clock (SPEC §7/§12; seed: 下单时间以最终下单信息发出时间为准): a web order's pickup deadline runs from
its confirmation, decided once, and read alike by the pickup check and the on-time report. Through the real
services: take, review, dispatch, the driver's pickup report."""

from datetime import date, datetime, timedelta

import pytest
import time_machine

from freightdesk.core.worktime import TZ
from freightdesk.dispatch.services import dispatch_order
from freightdesk.followups.models import FollowUp, FollowUpKind
from freightdesk.orders.intake import take_order
from freightdesk.orders.models import Channel, Order
from freightdesk.orders.review import record_call_attempt, review_order
from freightdesk.reports.params import ReportParams
from freightdesk.reports.queries import pickup_on_time
from freightdesk.tracking.status import report_event

MONDAY_10 = datetime(2026, 11, 23, 10, 0, tzinfo=TZ)
PERIOD = ReportParams(date(2026, 11, 23), date(2026, 11, 23), "driver", None).period


@pytest.fixture
def web_order_confirmed_late(cleaned_example, agent):
    """Submitted at 10:00, confirmed by the review at 10:40 (late for the review, not for the pickup),
    dispatched at 10:42: the pickup is due 30 working minutes after the confirmation, 11:10."""
    with time_machine.travel(MONDAY_10, tick=False):
        order = take_order(data=cleaned_example, channel=Channel.WEB, intake_key="web-40").order
    assert order.pickup_due_at is None  # not confirmed yet: no pickup clock
    record_call_attempt(order=order, agent=agent, outcome="answered", now=MONDAY_10 + timedelta(minutes=39))
    review_order(order=order, agent=agent, outcome="confirm", now=MONDAY_10 + timedelta(minutes=40))
    order.refresh_from_db()
    dispatch_order(order=order, agent=agent, now=MONDAY_10 + timedelta(minutes=42))
    return Order.objects.get(pk=order.pk)


def test_a_web_orders_pickup_clock_starts_when_its_review_confirms_it(web_order_confirmed_late):
    assert web_order_confirmed_late.pickup_due_at == MONDAY_10 + timedelta(minutes=70)


def test_a_phone_orders_pickup_clock_starts_when_it_is_taken(cleaned_example, agent):
    with time_machine.travel(MONDAY_10, tick=False):
        order = take_order(data=cleaned_example, channel=Channel.PHONE, agent=agent, intake_key="p").order
    assert order.pickup_due_at == MONDAY_10 + timedelta(minutes=30)


def test_the_pickup_check_falls_due_at_the_orders_pickup_deadline(web_order_confirmed_late):
    check = FollowUp.objects.get(order=web_order_confirmed_late, kind=FollowUpKind.PICKUP_CHECK)
    assert check.due_at == check.deadline == MONDAY_10 + timedelta(minutes=70)


def test_picked_up_24_minutes_after_dispatch_is_on_time_from_the_confirmation(web_order_confirmed_late, agent):
    """Picked up at 11:06: 66 minutes after submission (late by the old rule), 26 after the confirmation."""
    picked = MONDAY_10 + timedelta(minutes=66)
    report_event(order=web_order_confirmed_late, type="picked_up", at=picked, source="agent", by=agent, now=picked)
    rows = pickup_on_time(period=PERIOD, group_by="region", now=MONDAY_10 + timedelta(hours=3))
    assert [(r["orders"], r["on_time"], r["late"], r["rate"]) for r in rows] == [(1, 1, 0, 1.0)]


def test_picked_up_after_the_deadline_from_the_confirmation_is_late(web_order_confirmed_late, agent):
    picked = MONDAY_10 + timedelta(minutes=71)
    report_event(order=web_order_confirmed_late, type="picked_up", at=picked, source="agent", by=agent, now=picked)
    [row] = pickup_on_time(period=PERIOD, group_by="day", now=MONDAY_10 + timedelta(hours=3))
    assert (row["on_time"], row["late"]) == (0, 1)


def test_an_order_still_in_review_has_no_pickup_clock_and_is_not_counted(cleaned_example):
    with time_machine.travel(MONDAY_10, tick=False):
        take_order(data=cleaned_example, channel=Channel.WEB, intake_key="waiting")
    assert pickup_on_time(period=PERIOD, group_by="region", now=MONDAY_10 + timedelta(hours=3)) == []
