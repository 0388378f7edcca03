"""Dispatch by SMS (SPEC §6): routing, one transaction with the outbox, never twice, the 3-minute deadline."""

from datetime import timedelta

import pytest
from django.core.management import call_command

from freightdesk.core.errors import DomainError
from freightdesk.dispatch.models import Dispatch, DriverLink
from freightdesk.dispatch.services import dispatch_order, record_call
from freightdesk.messaging.models import Message
from freightdesk.messaging.sms import measure
from freightdesk.network.models import Driver
from freightdesk.orders.models import Order, OrderEvent

from .conftest import take

pytestmark = pytest.mark.django_db


def test_dispatch_queues_the_sms_for_driver_and_developer_and_marks_the_order_dispatched(
    seed_order, desk_agent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        result = dispatch_order(order=seed_order, agent=desk_agent)
    assert Order.objects.get(pk=seed_order.pk).status == "dispatched"
    assert [(m.kind, m.recipient_role, m.to) for m in result.messages] == [
        ("dispatch", "driver", "+8613700137000"),
        ("dispatch", "developer", "+8613600136000"),
        ("driver_link", "driver", "+8613700137000"),  # the second, short SMS: his link, to the driver only
    ]
    dispatch_sms = result.messages[:2]
    assert all(m.state == "queued" and m.text == result.composition.text for m in dispatch_sms)
    assert dispatch_sms[0].text.startswith(seed_order.serial + "客王先13800138000配件15件200公斤2.2方")
    assert dispatch_sms[0].text.endswith("8011")
    # the three sends are task rows written in the dispatch's transaction (they commit with it, or not at all);
    # the tracking checks are enqueued when it commits
    assert len(callbacks) == 1
    assert {m.pk for m in result.messages} <= queued_send_ids()
    dispatch = Dispatch.objects.get(order=seed_order)
    assert dispatch.agent_code == "8011" and not dispatch.missed
    kinds = list(OrderEvent.objects.filter(order=seed_order).values_list("kind", flat=True))
    assert kinds == ["taken", "sms_queued", "status", "sms_queued", "sms_queued", "sms_queued"]  # 下单成功提醒 first


def test_the_driver_s_link_goes_out_right_after_the_dispatch_sms_as_a_short_message_of_its_own(
    seed_order, desk_agent, settings
):
    settings.FREIGHTDESK = {**settings.FREIGHTDESK, "PUBLIC_BASE_URL": "https://fd.example.cn/"}
    result = dispatch_order(order=seed_order, agent=desk_agent)
    link = DriverLink.objects.get(order=seed_order)
    sms = result.link_message
    assert sms.text == f"{seed_order.serial}提货送达请点 https://fd.example.cn/tracking/d/{link.token}/"
    assert (sms.kind, sms.to, sms.segments, sms.idempotency_key) == (
        "driver_link",
        "+8613700137000",
        1,
        f"dispatch-{result.dispatch.pk}-link",
    )
    assert measure(sms.signature + sms.text).units <= 70
    assert link.driver == Driver.objects.get(name="张师傅") and link.expires_at > sms.created_at
    assert result.messages[-1] == sms and result.messages[0].id < sms.id  # after the dispatch SMS


def test_in_fleet_manager_mode_the_link_goes_to_the_fleet_manager_who_assigns_the_vehicle(desk_agent, world):
    order = take(desk_agent, pickup_address="火车站", delivery_address="汽配城")
    result = dispatch_order(order=order, agent=desk_agent)
    assert [(m.kind, m.recipient_role) for m in result.messages] == [
        ("dispatch", "fleet_manager"),
        ("driver_link", "fleet_manager"),
    ]
    link = DriverLink.objects.get(order=order)
    assert link.driver is None and link.token in result.link_message.text  # he passes it to the driver he picks


def test_without_an_approved_link_template_the_dispatch_still_goes_and_the_agent_is_told(
    seed_order, desk_agent, settings
):
    from freightdesk.messaging.models import MessageTemplate

    MessageTemplate.objects.filter(code="driver_link").update(aliyun_template_code="", aliyun_body="")
    settings.SMS_BACKEND = "aliyun"
    result = dispatch_order(order=seed_order, agent=desk_agent)
    assert Order.objects.get(pk=seed_order.pk).status == "dispatched"
    assert [m.kind for m in result.messages] == ["dispatch", "dispatch"] and result.link_message is None
    assert "driver's link was not sent" in result.warnings[0]
    assert DriverLink.objects.filter(order=seed_order).exists()  # an agent can send it once the template is there


def test_dispatching_twice_is_refused_and_sends_nothing_more(seed_order, desk_agent):
    dispatch_order(order=seed_order, agent=desk_agent)
    with pytest.raises(DomainError) as caught:
        dispatch_order(order=Order.objects.get(pk=seed_order.pk), agent=desk_agent)
    assert caught.value.code == "not_confirmed"
    stale = seed_order  # a second click with the page's stale copy (status still "confirmed" in memory)
    stale.status = "confirmed"
    with pytest.raises(DomainError):
        dispatch_order(order=stale, agent=desk_agent)
    assert (
        Message.objects.exclude(recipient_role="customer").count() == 3 and Dispatch.objects.count() == 1
    )  # two dispatch SMS and one link
    assert DriverLink.objects.count() == 1


def test_a_region_without_driver_stops_the_dispatch_naming_what_to_set_up(seed_order, desk_agent, world):
    world["north"].driver = None
    world["north"].save()
    with pytest.raises(DomainError) as caught:
        dispatch_order(order=seed_order, agent=desk_agent)
    assert caught.value.code == "no_driver"
    assert "北区" in caught.value.message and "region driver" in caught.value.message
    assert Order.objects.get(pk=seed_order.pk).status == "confirmed"
    assert not Message.objects.exclude(recipient_role="customer").exists() and not Dispatch.objects.exists()


def test_a_fleet_manager_region_sends_to_its_fleet_manager_only(desk_agent, world):
    order = take(desk_agent, pickup_address="火车站", delivery_address="汽配城")
    result = dispatch_order(order=order, agent=desk_agent)
    dispatch_sms = [(m.recipient_role, m.to) for m in result.messages if m.kind == "dispatch"]
    assert dispatch_sms == [("fleet_manager", "+8613500135000")]


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
    assert (
        Order.objects.get(pk=seed_order.pk).status == "confirmed"
        and not Message.objects.exclude(recipient_role="customer").exists()
    )


def test_a_failure_while_queueing_rolls_back_the_status_change(seed_order, desk_agent, monkeypatch):
    from freightdesk.dispatch import services

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "queue_message", broken)
    with pytest.raises(RuntimeError):
        dispatch_order(order=seed_order, agent=desk_agent)
    assert Order.objects.get(pk=seed_order.pk).status == "confirmed"
    assert not Dispatch.objects.exists() and not OrderEvent.objects.filter(kind="status").exists()
    assert not DriverLink.objects.exists() and not Message.objects.exclude(recipient_role="customer").exists()


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
    assert set(Message.objects.values_list("state", flat=True)) == {"sent"}  # the customer's too
    out = capsys.readouterr().out
    assert "SMS to 13700137000" in out and "SMS to 13600136000" in out
    assert f"{seed_order.serial}提货送达请点 http" in out
    assert OrderEvent.objects.filter(order=seed_order, kind="sms_sent").count() == 4


def test_region_readiness_says_what_is_missing(world):
    from freightdesk.dispatch.routing import dispatch_readiness

    assert dispatch_readiness(world["north"]) == (True, "")
    world["south"].fleet_manager = None
    ready, why = dispatch_readiness(world["south"])
    assert not ready and "fleet manager" in why


def queued_send_ids() -> set[int]:
    from django_tasks_db.models import DBTaskResult

    rows = DBTaskResult.objects.filter(task_path__endswith=".send_messages").values_list("args_kwargs", flat=True)
    return {pk for row in rows for pk in row["kwargs"]["message_ids"]}
