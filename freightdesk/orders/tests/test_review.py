"""Review (核单, SPEC §5): outcomes, corrections with before/after, problem callbacks, void reasons,
call attempts and the supervisor flag, claims."""

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from freightdesk.core.errors import DomainError
from freightdesk.core.worktime import TZ, deadline_for
from freightdesk.messaging.models import Message
from freightdesk.orders import intake, review
from freightdesk.orders.models import Channel, Order, OrderEvent, Status

MONDAY_10 = datetime(2026, 11, 23, 10, 0, tzinfo=TZ)


@pytest.fixture
def web_order(cleaned_example):
    with time_machine.travel(MONDAY_10, tick=False):
        return intake.take_order(data=cleaned_example, channel=Channel.WEB, intake_key="t1").order


def answered(order, agent):
    """The confirmation call the customer answered (an order is confirmed only after one)."""
    review.record_call_attempt(order=order, agent=agent, outcome="answered")


@pytest.fixture
def agent2(user_for):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="8012")


def test_web_order_awaits_review_and_texts_the_customer_that_it_was_received(web_order):
    assert web_order.status == Status.SUBMITTED
    assert web_order.review_due_at == MONDAY_10 + timedelta(minutes=30)
    sms = Message.objects.get(order=web_order)
    assert sms.to == "+8613800138000" and web_order.serial in sms.text and "已收到" in sms.text


def test_confirm_sets_confirmed_time_dispatch_deadline_and_texts_the_customer(web_order, agent):
    at = MONDAY_10 + timedelta(minutes=12)
    answered(web_order, agent)
    order = review.review_order(order=web_order, agent=agent, outcome="confirm", now=at)
    order.refresh_from_db()
    assert order.status == Status.CONFIRMED
    assert order.confirmed_at == at and order.dispatch_due_at == deadline_for("dispatch", at)
    event = OrderEvent.objects.get(order=order, kind="reviewed")
    assert event.changes["status"] == ["submitted", "confirmed"] and event.by == agent
    texts = list(Message.objects.filter(order=order).values_list("text", flat=True))
    assert any("已确认" in t and "8011" in t for t in texts)


def test_correct_and_confirm_records_every_changed_field_and_requotes(web_order, agent):
    old_total, consignee = web_order.total, web_order.consignee
    answered(web_order, agent)
    order = review.review_order(
        order=web_order,
        agent=agent,
        outcome="confirm",
        now=MONDAY_10 + timedelta(minutes=5),
        changes={"weight_kg": "400", "consignee_name": "马女士", "loading_fee": "0", "quantity": 15},
    )
    order.refresh_from_db()
    assert order.weight_kg == Decimal("400") and order.consignee_name == "马女士"
    assert order.total > old_total - Decimal("100")  # heavier freight, the loading fee dropped
    event = OrderEvent.objects.get(order=order, kind="corrected")
    assert event.changes["before"]["weight_kg"] == "200" and event.changes["after"]["weight_kg"] == "400"
    assert event.changes["before"]["consignee_name"] == "马先生"
    assert "quantity" not in event.changes["before"]  # unchanged fields are not recorded
    assert "fees" in event.changes["before"] and not order.fees.exists()
    assert Decimal(event.changes["after"]["total"]) == order.total
    # A new name on the same number is a contact of the same customer (one customer per number).
    assert order.consignee == consignee and "马女士" in order.consignee.contacts.values_list("name", flat=True)


def test_a_correction_to_prohibited_goods_is_refused_and_nothing_changes(web_order, agent):
    with pytest.raises(DomainError) as err:
        review.review_order(order=web_order, agent=agent, outcome="confirm", changes={"goods_name": "烟花"})
    assert err.value.field == "goods_name" and err.value.http_status == 422
    web_order.refresh_from_db()
    assert web_order.status == Status.SUBMITTED and web_order.goods_name == "配件"


def test_an_unknown_field_cannot_be_corrected(web_order, agent):
    with pytest.raises(DomainError) as err:
        review.review_order(order=web_order, agent=agent, outcome="confirm", changes={"serial": "1"})
    assert err.value.code == "not_correctable"


def test_problem_needs_a_future_callback_that_becomes_the_reminder(web_order, agent):
    now = MONDAY_10 + timedelta(minutes=3)
    with pytest.raises(DomainError) as err:
        review.review_order(order=web_order, agent=agent, outcome="problem", note="地址不全", now=now)
    assert err.value.field == "callback_at"
    with pytest.raises(DomainError):
        review.review_order(
            order=web_order, agent=agent, outcome="problem", note="x", now=now, callback_at=now - timedelta(minutes=1)
        )
    callback = now + timedelta(hours=2)
    order = review.review_order(
        order=web_order, agent=agent, outcome="problem", note="地址不全", callback_at=callback, now=now
    )
    order.refresh_from_db()
    assert order.status == Status.PROBLEM and order.problem_callback_at == callback
    assert order.review_due_at == callback  # the queue sorts it by when the customer is due a call


def test_a_problem_order_can_then_be_confirmed(web_order, agent):
    now = MONDAY_10 + timedelta(minutes=3)
    review.review_order(
        order=web_order, agent=agent, outcome="problem", note="x", callback_at=now + timedelta(hours=1), now=now
    )
    answered(web_order, agent)
    order = review.review_order(order=web_order, agent=agent, outcome="confirm", now=now + timedelta(hours=1))
    assert order.status == Status.CONFIRMED and order.problem_callback_at is None


def test_void_needs_a_reason_from_the_list_and_text(web_order, agent):
    with pytest.raises(DomainError) as err:
        review.review_order(order=web_order, agent=agent, outcome="void", void_reason="customer_cancelled")
    assert err.value.field == "note"
    with pytest.raises(DomainError) as err:
        review.review_order(order=web_order, agent=agent, outcome="void", void_reason="bored", note="x")
    assert err.value.field == "void_reason"
    order = review.review_order(
        order=web_order, agent=agent, outcome="void", void_reason="customer_cancelled", note="客户不发了"
    )
    assert order.status == Status.VOID
    assert OrderEvent.objects.get(order=order, kind="reviewed").changes["void_reason"] == "customer_cancelled"


def test_a_voided_order_counts_as_voided_in_the_origin_analysis(web_order, agent):
    from freightdesk.orders.models import Enquiry

    assert Enquiry.objects.get(order=web_order).outcome == "shipped"
    review.review_order(
        order=web_order, agent=agent, outcome="void", void_reason="customer_cancelled", note="客户不发了"
    )
    enquiry = Enquiry.objects.get(order=web_order)
    assert (enquiry.outcome, enquiry.reason) == ("voided", "客户不发了")


def test_an_order_no_longer_awaiting_review_cannot_be_reviewed_409(web_order, agent):
    answered(web_order, agent)
    review.review_order(order=web_order, agent=agent, outcome="confirm")
    stale = Order.objects.get(pk=web_order.pk)
    with pytest.raises(DomainError) as err:
        review.review_order(order=stale, agent=agent, outcome="void", note="x")
    assert err.value.code == "not_reviewable" and err.value.http_status == 409


def test_a_stale_copy_cannot_confirm_twice(web_order, agent):
    answered(web_order, agent)
    first, second = Order.objects.get(pk=web_order.pk), Order.objects.get(pk=web_order.pk)
    review.review_order(order=first, agent=agent, outcome="confirm")
    with pytest.raises(DomainError) as err:
        review.review_order(order=second, agent=agent, outcome="confirm")
    assert err.value.code == "not_reviewable"
    assert OrderEvent.objects.filter(order=web_order, kind="reviewed").count() == 1


def test_phone_orders_are_not_reviewed(cleaned_example, agent):
    order = intake.take_order(data=cleaned_example, channel=Channel.PHONE, agent=agent).order
    with pytest.raises(DomainError):
        review.review_order(order=order, agent=agent, outcome="confirm")


def test_three_unanswered_calls_flag_the_order_for_the_supervisor(web_order, agent):
    review.record_call_attempt(order=web_order, agent=agent, outcome="no_answer")
    review.record_call_attempt(order=web_order, agent=agent, outcome="wrong_number")
    review.record_call_attempt(order=web_order, agent=agent, outcome="no_answer")
    web_order.refresh_from_db()
    assert web_order.flagged_at is None
    review.record_call_attempt(order=web_order, agent=agent, outcome="no_answer")
    review.record_call_attempt(order=web_order, agent=agent, outcome="no_answer")
    web_order.refresh_from_db()
    assert web_order.flagged_at is not None
    assert OrderEvent.objects.filter(order=web_order, kind="flagged").count() == 1
    assert web_order.review_calls.count() == 5


def test_a_call_outcome_must_be_one_of_the_three(web_order, agent):
    with pytest.raises(DomainError):
        review.record_call_attempt(order=web_order, agent=agent, outcome="maybe")


def test_an_open_review_shows_who_is_on_it_and_lapses_after_ten_minutes(web_order, agent, agent2):
    now = MONDAY_10 + timedelta(minutes=1)
    assert review.claim_review(order=web_order, agent=agent, now=now).mine
    other = review.claim_review(order=web_order, agent=agent2, now=now + timedelta(minutes=2))
    assert not other.mine and other.holder == agent
    with pytest.raises(DomainError) as err:
        review.review_order(order=web_order, agent=agent2, outcome="confirm", now=now + timedelta(minutes=3))
    assert err.value.code == "claimed"
    later = review.claim_review(order=web_order, agent=agent2, now=now + review.CLAIM_TTL + timedelta(seconds=1))
    assert later.mine


def test_a_supervisor_may_take_over_a_claimed_review(web_order, agent, user_for):
    review.claim_review(order=web_order, agent=agent)
    answered(web_order, agent)
    order = review.review_order(order=web_order, agent=user_for("supervisor"), outcome="confirm")
    assert order.status == Status.CONFIRMED and order.claimed_by is None


def test_the_review_queue_is_sorted_by_deadline(cleaned_example, agent):
    from freightdesk.orders.selectors import orders_awaiting_review, overdue_reviews

    with time_machine.travel(MONDAY_10, tick=False):
        late = intake.take_order(data=cleaned_example, channel=Channel.WEB).order
    with time_machine.travel(MONDAY_10 - timedelta(hours=1), tick=False):
        early = intake.take_order(data=cleaned_example, channel=Channel.WEB).order
    intake.take_order(data=cleaned_example, channel=Channel.PHONE, agent=agent)
    assert list(orders_awaiting_review()) == [early, late]
    assert list(overdue_reviews(MONDAY_10 + timedelta(minutes=10))) == [early]
    assert timezone.is_aware(early.review_due_at)
