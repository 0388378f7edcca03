"""The board shows a dispatch SMS the gateway has not taken for a minute: the agent phones the recipient (SPEC §6)."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from freightdesk.core.phones import display_phone
from freightdesk.desk.board import due_now
from freightdesk.messaging.models import Message

from .conftest import at

pytestmark = pytest.mark.django_db


def failing(order):
    """The gateway refused every try of the order's dispatch SMS so far."""
    Message.objects.filter(order=order, kind="dispatch").update(
        error_kind="transient", last_error="isp.SYSTEM_ERROR: 系统错误", attempts=3
    )


def test_a_dispatch_sms_failing_for_a_minute_is_on_the_board_with_whom_to_phone(dispatched):
    with time_machine.travel(at(24, 9, 0), tick=False):
        order = dispatched(at(24, 9, 0))
    failing(order)
    items, counts = due_now(at(24, 9, 1) + timedelta(seconds=1))
    phone = [i for i in items if i.kind == "sms_phone"]
    recipients = Message.objects.filter(order=order, kind="dispatch").count()
    assert len(phone) == recipients == counts["sms_to_phone"] >= 1
    assert phone[0].serial == order.serial and phone[0].url == reverse("dispatch:order", args=[order.serial])
    assert phone[0].due_at == at(24, 9, 1) and "isp.SYSTEM_ERROR" in phone[0].note
    first = Message.objects.filter(order=order, kind="dispatch").order_by("created_at", "id").first()
    assert phone[0].route == f"{first.recipient_name} {display_phone(first.to)}"


def test_a_dispatch_sms_is_not_on_the_board_before_a_minute_or_once_sent(dispatched):
    with time_machine.travel(at(24, 9, 0), tick=False):
        order = dispatched(at(24, 9, 0))
    failing(order)
    items, counts = due_now(at(24, 9, 0) + timedelta(seconds=59))
    assert counts["sms_to_phone"] == 0 and not [i for i in items if i.kind == "sms_phone"]
    Message.objects.filter(order=order).update(state="sent")
    items, counts = due_now(at(24, 9, 5))
    assert counts["sms_to_phone"] == 0 and not [i for i in items if i.kind == "sms_phone"]
