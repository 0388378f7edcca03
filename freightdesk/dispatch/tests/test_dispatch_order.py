"""Dispatch by SMS (SPEC §6): routing, one transaction with the outbox, never twice, the 3-minute deadline."""

from datetime import timedelta

import pytest
from django.core.management import call_command

from freightdesk.core.errors import DomainError
from freightdesk.dispatch.models import Dispatch
from freightdesk.dispatch.services import dispatch_order, record_call
from freightdesk.messaging.models import Message
from freightdesk.orders.models import Order, OrderEvent

from .conftest import take

pytestmark = pytest.mark.django_db


def test_dispatch_queues_the_sms_for_driver_and_developer_and_marks_the_order_dispatched(
    seed_order, desk_agent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        result = dispatch_order(order=seed_order, agent=desk_agent)
    assert Order.objects.get(pk=seed_order.pk).status == "dispatched"
    assert [(m.recipient_role, m.to) for m in result.messages] == [
        ("driver", "+8613700137000"), ("developer", "+8613600136000")
    ]
    assert all(m.state == "queued" and m.text == result.composition.text for m in result.messages)
    assert result.messages[0].text.startswith(seed_order.serial + "客王先13800138000配件15件200公斤2.2方")
    assert result.messages[0].text.endswith("8011")
    assert len(callbacks) == 3  # the two sends and the tracking checks are enqueued only when the transaction commits
    dispatch = Dispatch.objects.get(order=seed_order)
    assert dispatch.agent_code == "8011" and not dispatch.missed
    kinds = list(OrderEvent.objects.filter(order=seed_order).values_list("kind", flat=True))
    assert kinds == ["taken", "status", "sms_queued", "sms_queued"]


def test_dispatching_twice_is_refused_and_sends_nothing_more(seed_order, desk_agent):
    dispatch_order(order=seed_order, agent=desk_agent)
    with pytest.raises(DomainError) as caught:
        dispatch_order(order=Order.objects.get(pk=seed_order.pk), agent=desk_agent)
    assert caught.value.code == "not_confirmed"
    stale = seed_order  # a second click with the page's stale copy (status still "confirmed" in memory)
    stale.status = "confirmed"
    with pytest.raises(DomainError):
        dispatch_order(order=stale, agent=desk_agent)
    assert Message.objects.count() == 2 and Dispatch.objects.count() == 1


def test_a_region_without_driver_stops_the_dispatch_naming_what_to_set_up(seed_order, desk_agent, world):
    world["north"].driver = None
    world["north"].save()
    with pytest.raises(DomainError) as caught:
        dispatch_order(order=seed_order, agent=desk_agent)
    assert caught.value.code == "no_driver"
    assert "北区" in caught.value.message and "region driver" in caught.value.message
    assert Order.objects.get(pk=seed_order.pk).status == "confirmed"
    assert not Message.objects.exists() and not Dispatch.objects.exists()


def test_a_fleet_manager_region_sends_to_its_fleet_manager_only(desk_agent, world):
    order = take(desk_agent, pickup_address="火车站", delivery_address="汽配城")
    result = dispatch_order(order=order, agent=desk_agent)
    assert [(m.recipient_role, m.to) for m in result.messages] == [("fleet_manager", "+8613500135000")]


def test_a_fleet_manager_region_without_one_stops_the_dispatch(desk_agent, world):
    world["south"].fleet_manager = None
    world["south"].save()
    order = take(desk_agent, pickup_address="火车站", delivery_address="汽配城")
    with pytest.raises(DomainError) as caught:
        dispatch_order(order=order, agent=desk_agent)
    assert caught.value.code == "no_fleet_manager" and "fleet manager" in caught.value.message
    assert Order.objects.get(pk=order.pk).status == "confirmed"


def test_an_invalid_recipient_number_is_caught_before_anything_is_queued(seed_order, desk_agent, world):
    world["driver"].phone = "12345"
    world["driver"].save()
    with pytest.raises(DomainError) as caught:
        dispatch_order(order=seed_order, agent=desk_agent)
    assert caught.value.code == "invalid_recipient" and "张师傅" in caught.value.message
    assert Order.objects.get(pk=seed_order.pk).status == "confirmed" and not Message.objects.exists()


def test_a_failure_while_queueing_rolls_back_the_status_change(seed_order, desk_agent, monkeypatch):
    from freightdesk.dispatch import services

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "queue_message", broken)
    with pytest.raises(RuntimeError):
        dispatch_order(order=seed_order, agent=desk_agent)
    assert Order.objects.get(pk=seed_order.pk).status == "confirmed"
    assert not Dispatch.objects.exists() and not OrderEvent.objects.filter(kind="status").exists()


def test_a_dispatch_after_the_3_minutes_is_recorded_as_missed(seed_order, desk_agent):
    late = seed_order.dispatch_due_at + timedelta(seconds=1)
    dispatch_order(order=seed_order, agent=desk_agent, now=late)
    assert Dispatch.objects.get().missed


def test_within_3_minutes_is_not_missed(seed_order, desk_agent):
    dispatch_order(order=seed_order, agent=desk_agent, now=seed_order.dispatch_due_at)
    assert not Dispatch.objects.get().missed


def test_only_a_confirmed_order_can_be_dispatched(seed_order, desk_agent):
    Order.objects.filter(pk=seed_order.pk).update(status="submitted")
    with pytest.raises(DomainError) as caught:
        dispatch_order(order=Order.objects.get(pk=seed_order.pk), agent=desk_agent)
    assert caught.value.code == "not_confirmed"


def test_the_confirming_call_is_recorded_on_the_timeline(seed_order, desk_agent):
    dispatch_order(order=seed_order, agent=desk_agent)
    record_call(order=seed_order, agent=desk_agent, role="driver", outcome="reached", note="14点到")
    event = OrderEvent.objects.get(order=seed_order, kind="dispatch_call")
    assert event.text.startswith("已电话通知 张师傅") and "14点到" in event.text
    assert Dispatch.objects.get().calls.get().phone == "+8613700137000"


@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_the_dispatch_and_the_timeline_shows_it_sent(
    seed_order, desk_agent, django_capture_on_commit_callbacks, settings, capsys
):
    settings.SMS_BACKEND = "console"
    with django_capture_on_commit_callbacks(execute=True):
        dispatch_order(order=seed_order, agent=desk_agent)
    call_command("db_worker", batch=True, reload=False, startup_delay=False, queue_name="*", verbosity=0)
    assert set(Message.objects.values_list("state", flat=True)) == {"sent"}
    out = capsys.readouterr().out
    assert "SMS to 13700137000" in out and "SMS to 13600136000" in out
    assert OrderEvent.objects.filter(order=seed_order, kind="sms_sent").count() == 2


def test_region_readiness_says_what_is_missing(world):
    from freightdesk.dispatch.routing import dispatch_readiness

    assert dispatch_readiness(world["north"]) == (True, "")
    world["south"].fleet_manager = None
    ready, why = dispatch_readiness(world["south"])
    assert not ready and "fleet manager" in why
