"""When the gateway has not taken a dispatch SMS for a minute, the dispatch page tells the agent to phone
the recipient (SPEC §6: 电话方式为辅, the phone is the fallback)."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from freightdesk.dispatch.services import dispatch_order
from freightdesk.messaging.models import Message

pytestmark = pytest.mark.django_db


@pytest.fixture
def dispatched_order(seed_order, desk_agent):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        dispatch_order(order=seed_order, agent=desk_agent)
    Message.objects.filter(order=seed_order, kind="dispatch").update(
        error_kind="transient", last_error="isp.SYSTEM_ERROR: 系统错误", attempts=3
    )
    return seed_order, start


def page(client, order):
    return client.get(reverse("dispatch:order", args=[order.serial]), HTTP_ACCEPT_LANGUAGE="en").content.decode()


def test_the_dispatch_page_tells_the_agent_to_phone_when_the_sms_has_not_gone_out_for_a_minute(
    desk_client, dispatched_order
):
    order, start = dispatched_order
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        html = page(desk_client, order)
    assert 'id="phone-instead"' in html and "phone the recipient now" in html
    assert 'href="tel:+8613700137000"' in html and "isp.SYSTEM_ERROR" in html


def test_the_dispatch_page_does_not_ask_for_a_call_before_a_minute_or_once_the_sms_is_sent(
    desk_client, dispatched_order
):
    order, start = dispatched_order
    with time_machine.travel(start + timedelta(seconds=50), tick=False):
        assert 'id="phone-instead"' not in page(desk_client, order)
    Message.objects.filter(order=order).update(state="sent")
    with time_machine.travel(start + timedelta(minutes=5), tick=False):
        assert 'id="phone-instead"' not in page(desk_client, order)


def test_the_call_to_make_reads_in_chinese(desk_client, dispatched_order):
    order, start = dispatched_order
    with time_machine.travel(start + timedelta(seconds=61), tick=False):
        html = desk_client.get(
            reverse("dispatch:order", args=[order.serial]), HTTP_ACCEPT_LANGUAGE="zh-hans"
        ).content.decode()
    assert "请立即电话通知收件人" in html
