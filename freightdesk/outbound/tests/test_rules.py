"""SPEC §2 外呼 / §10 主动回访: each rule picks exactly its customers; numbers on the do-not-call list are skipped with
the reason; every item is an outbound follow-up due in working hours, never on the due-now board."""

from datetime import timedelta

import pytest

from freightdesk.core.errors import BadInput
from freightdesk.desk.board import due_now
from freightdesk.followups.models import FollowUp, FollowUpKind
from freightdesk.outbound.models import CallItem, CallList, DoNotCall, ItemState, SkipReason
from freightdesk.outbound.services import build_rule_list
from freightdesk.tickets.models import Ticket
from freightdesk.tickets.services import open_ticket, transition_ticket

from .conftest import at

pytestmark = pytest.mark.django_db


def phones(built):
    """The list's numbers to call among this test's customers (the demo data has its own)."""
    return {i.phone for i in built.call_list.items.filter(state=ItemState.OPEN, phone__startswith="+861380000")}


def test_new_customers_of_the_last_7_days_are_called(now, supervisor, make_customer):
    make_customer("新客户", "13800000001", now - timedelta(days=3))
    make_customer("老客户", "13800000002", now - timedelta(days=8))
    built = build_rule_list(kind="new", by=supervisor, now=now)
    assert phones(built) == {"+8613800000001"}
    assert built.call_list.items.get(phone="+8613800000001").name == "新客户"


def test_high_value_customers_over_n_orders_or_n_yuan_a_month(now, supervisor, make_customer, make_order):
    many = make_customer("常客", "13800000011", now - timedelta(days=400))
    big = make_customer("大单", "13800000012", now - timedelta(days=400))
    small = make_customer("小客户", "13800000013", now - timedelta(days=400))
    for days in (1, 5, 20):
        make_order(many, now - timedelta(days=days))
    make_order(big, now - timedelta(days=2), total="900")
    make_order(small, now - timedelta(days=2))
    make_order(small, now - timedelta(days=3), total="900", status="void")  # void orders do not count
    for days in (40, 50, 60):
        make_order(small, now - timedelta(days=days), total="900")  # older than a month
    built = build_rule_list(kind="high_value", params={"min_orders": 3, "min_amount": "500"}, by=supervisor, now=now)
    assert phones(built) == {"+8613800000011", "+8613800000012"}
    assert built.call_list.params == {"min_orders": 3, "min_amount": "500"}
    only_orders = build_rule_list(kind="high_value", params={"min_orders": 3}, by=supervisor, now=now)
    assert phones(only_orders) == {"+8613800000011"}


def test_high_value_without_a_threshold_is_refused_and_writes_nothing(now, supervisor):
    with pytest.raises(BadInput):
        build_rule_list(kind="high_value", params={}, by=supervisor, now=now)
    assert not CallList.objects.exists() and not FollowUp.objects.exists()


def test_tickets_resolved_yesterday_are_revisited(now, supervisor, agent, demo, time_machine):
    def resolved(phone, when):
        time_machine.move_to(when, tick=False)
        ticket = open_ticket(
            by=agent,
            category="inquiry",
            subcategory="transit_time",
            channel="phone",
            description="货到哪了",
            demand="",
            customer_phone=phone,
        )
        return transition_ticket(ticket=ticket, by=agent, to="resolved", data={"reply": "已送达"})

    yesterday = resolved("13800000021", at("2026-12-06 16:00"))
    resolved("13800000022", at("2026-12-05 16:00"))  # the day before
    time_machine.move_to(now, tick=False)
    resolved("13800000023", now - timedelta(minutes=30))  # today
    built = build_rule_list(kind="revisit", by=supervisor, now=now)
    item = built.call_list.items.get()
    assert (item.phone, item.ticket) == ("+8613800000021", Ticket.objects.get(pk=yesterday.pk))


def test_customers_who_have_not_shipped_for_60_days_are_called(now, supervisor, make_customer):
    make_customer("沉睡", "13800000031", now - timedelta(days=300), last_order=now - timedelta(days=61))
    make_customer("活跃", "13800000032", now - timedelta(days=300), last_order=now - timedelta(days=59))
    make_customer("从未下单", "13800000033", now - timedelta(days=300))
    built = build_rule_list(kind="dormant", by=supervisor, now=now)
    assert phones(built) == {"+8613800000031"}


def test_do_not_call_numbers_are_skipped_with_the_reason_and_get_no_follow_up(now, supervisor, make_customer):
    make_customer("甲", "13800000041", now - timedelta(days=1))
    make_customer("乙", "13800000042", now - timedelta(days=1))
    DoNotCall.objects.create(number="+8613800000042", reason="客户要求勿扰")
    built = build_rule_list(kind="new", by=supervisor, now=now)
    skipped = built.call_list.items.get(phone="+8613800000042")
    assert (skipped.state, skipped.skip_reason, built.skipped) == (ItemState.SKIPPED, SkipReason.DO_NOT_CALL, 1)
    assert phones(built) == {"+8613800000041"}
    assert not FollowUp.objects.filter(outbound_item=skipped).exists()


def test_items_are_outbound_follow_ups_due_now_in_working_hours_and_not_on_the_due_now_board(
    now, supervisor, make_customer
):
    make_customer("甲", "13800000051", now - timedelta(days=1))
    build_rule_list(kind="new", by=supervisor, now=now)
    followup = FollowUp.objects.get(outbound_item__phone="+8613800000051")
    assert (followup.kind, followup.due_at, followup.closed_at) == (FollowUpKind.OUTBOUND_CALL, now, None)
    items, counts = due_now(now + timedelta(hours=1))
    assert items == [] and counts["checks"] == 0


def test_a_list_built_in_the_evening_is_due_at_the_next_opening(supervisor, make_customer, time_machine):
    evening = at("2026-12-04 19:00")  # Friday evening
    time_machine.move_to(evening, tick=False)
    make_customer("甲", "13800000061", evening - timedelta(days=1))
    build_rule_list(kind="new", by=supervisor, now=evening)
    assert FollowUp.objects.get(outbound_item__phone="+8613800000061").due_at == at("2026-12-07 08:30")
    assert CallItem.objects.filter(phone="+8613800000061").count() == 1


def test_a_long_list_keeps_the_rules_order_and_each_customers_first_number(now, supervisor, demo):
    from freightdesk.customers.models import Customer, CustomerPhone
    from freightdesk.outbound.rules import SUBQUERY_FROM

    count = SUBQUERY_FROM + 5
    customers = Customer.objects.bulk_create(
        [
            Customer(name=f"客户{n}", created_at=now - timedelta(days=400), last_order_at=now - timedelta(days=61 + n))
            for n in range(count)
        ]
    )
    CustomerPhone.objects.bulk_create(
        [CustomerPhone(customer=c, number=f"+86137{n:08d}") for n, c in enumerate(customers)]
    )
    CustomerPhone.objects.bulk_create(
        [CustomerPhone(customer=c, number=f"+86136{n:08d}") for n, c in enumerate(customers)]
    )
    built = build_rule_list(kind="dormant", by=supervisor, now=now)
    phones = list(built.call_list.items.order_by("id").values_list("phone", flat=True))
    assert phones == [f"+86137{n:08d}" for n in range(count)]  # most recently lapsed first, first number each
