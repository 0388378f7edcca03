"""The customer's SMS (SPEC §5 customer notices): only to a mobile (a landline gets nothing and the order's
timeline says why), and none in the quiet hours 21:00–8:00 Asia/Shanghai unless he just asked for it."""

from datetime import datetime

import pytest
import time_machine
from django.utils import translation

from freightdesk.core.errors import DomainError
from freightdesk.core.phones import is_mobile
from freightdesk.core.worktime import TZ
from freightdesk.messaging.models import Message
from freightdesk.messaging.quiet_hours import customer_send_at
from freightdesk.messaging.services import Outgoing, queue_message
from freightdesk.orders.intake import take_order
from freightdesk.orders.models import OrderEvent
from freightdesk.orders.timeline import event_text

pytestmark = pytest.mark.django_db


def local(month, day, hour, minute=0):
    return datetime(2026, month, day, hour, minute, tzinfo=TZ)


@pytest.mark.parametrize(
    ("number", "mobile"),
    [("+8613800138000", True), ("+8619912345678", True), ("+862188887777", False), ("+861058001234", False)],
)
def test_only_mobile_numbers_take_an_sms(number, mobile):
    assert is_mobile(number) is mobile


@pytest.mark.parametrize(
    ("now", "expected"),
    [
        (local(11, 24, 2, 2), local(11, 24, 8, 0)),  # the day's 02:02 SMS waits for 8:00
        (local(11, 24, 21, 0), local(11, 25, 8, 0)),
        (local(11, 24, 23, 59), local(11, 25, 8, 0)),
        (local(11, 24, 7, 59), local(11, 24, 8, 0)),
        (local(11, 24, 8, 0), local(11, 24, 8, 0)),
        (local(11, 24, 20, 59), local(11, 24, 20, 59)),
        (local(12, 31, 22, 0), datetime(2027, 1, 1, 8, 0, tzinfo=TZ)),
    ],
)
def test_customer_sms_in_quiet_hours_wait_for_eight(now, expected):
    assert customer_send_at(now) == expected
    assert customer_send_at(now, requested=True) == now


def test_a_queued_customer_sms_at_night_is_held_until_eight_and_the_order_says_so(cleaned_example):
    with time_machine.travel(local(11, 24, 2, 2), tick=False):
        order = take_order(data=cleaned_example, channel="web", now=local(11, 24, 2, 2)).order
    message = Message.objects.get(order=order, recipient_role="customer")
    assert message.next_attempt_at == local(11, 24, 8, 0)
    held = OrderEvent.objects.get(order=order, kind="sms_held")
    assert "08:00" in event_text(held)


def test_what_the_customer_asked_for_goes_at_night_and_staff_sms_are_never_held(demo):
    now = local(11, 24, 2, 2)
    asked = queue_message(
        outgoing=Outgoing(to="13800138000", text="查询链接", role="customer", requested=True), now=now
    )
    driver = queue_message(outgoing=Outgoing(to="13900139000", text="速提", role="driver"), now=now)
    assert asked.next_attempt_at == now and driver.next_attempt_at == now


def test_a_landline_customer_gets_no_sms_and_the_desk_sees_why(cleaned_example):
    data = {**cleaned_example, "shipper_phone": "+862188887777"}
    order = take_order(data=data, channel="web", now=local(11, 24, 10, 0)).order
    assert not Message.objects.filter(order=order, recipient_role="customer").exists()
    refused = OrderEvent.objects.get(order=order, kind="sms_landline")
    with translation.override("zh-hans"):
        assert "02188887777" in event_text(refused) and "固定电话" in event_text(refused)
    with pytest.raises(DomainError) as refused_direct:
        queue_message(outgoing=Outgoing(to="02188887777", text="x", role="customer"), now=local(11, 24, 10, 0))
    assert refused_direct.value.code == "not_mobile"
