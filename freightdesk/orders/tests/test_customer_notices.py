"""What the customer is told and called about (SPEC §4, §5): a phone order texts him the serial and the tracking
link (the seed's 下单成功提醒); a web order is confirmed only after a recorded call (不论有无问题都要打电话),
read from the seed's web-order call script."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from freightdesk.core.errors import DomainError
from freightdesk.core.worktime import TZ
from freightdesk.messaging.models import Message, MessageTemplate
from freightdesk.orders import intake, review
from freightdesk.orders.models import Channel, Order, Status
from freightdesk.orders.notifications import PLACED

MONDAY_10 = datetime(2026, 11, 23, 10, 0, tzinfo=TZ)


@pytest.fixture
def web_order(cleaned_example):
    with time_machine.travel(MONDAY_10, tick=False):
        return intake.take_order(data=cleaned_example, channel=Channel.WEB, intake_key="n1").order


def test_a_phone_order_texts_the_customer_the_serial_and_the_tracking_link(cleaned_example, agent, client):
    order = intake.take_order(data=cleaned_example, channel=Channel.PHONE, agent=agent, now=MONDAY_10).order
    sms = Message.objects.get(order=order, recipient_role="customer")
    assert sms.to == "+8613800138000" and order.serial in sms.text and "下单成功" in sms.text
    link = sms.text.split("查询:")[1]
    assert link.endswith(f"/tracking/track/?serial={order.serial}&phone_last4=8000")
    page = client.get(link.split("127.0.0.1:8000", 1)[-1])
    assert page.status_code == 200 and order.serial in page.content.decode()


def test_a_phone_order_at_night_is_confirmed_at_once_the_caller_is_waiting_for_it(cleaned_example, agent):
    night = datetime(2026, 11, 23, 23, 30, tzinfo=TZ)
    order = intake.take_order(data=cleaned_example, channel=Channel.PHONE, agent=agent, now=night).order
    assert Message.objects.get(order=order, recipient_role="customer").next_attempt_at == night


def test_a_web_order_cannot_be_confirmed_before_the_customer_was_called(web_order, agent):
    with pytest.raises(DomainError) as refused:
        review.review_order(order=web_order, agent=agent, outcome="confirm", now=MONDAY_10 + timedelta(minutes=5))
    assert refused.value.code == "call_required"
    web_order.refresh_from_db()
    assert web_order.status == Status.SUBMITTED
    assert not Message.objects.filter(order=web_order, text__contains="已确认").exists()


def test_an_answered_call_lets_the_order_be_confirmed(web_order, agent):
    review.record_call_attempt(order=web_order, agent=agent, outcome="answered", now=MONDAY_10)
    order = review.review_order(order=web_order, agent=agent, outcome="confirm", now=MONDAY_10)
    assert order.status == Status.CONFIRMED


def test_three_unanswered_calls_let_the_order_be_confirmed_two_do_not(web_order, agent):
    for _attempt in (1, 2):
        review.record_call_attempt(order=web_order, agent=agent, outcome="no_answer", now=MONDAY_10)
    with pytest.raises(DomainError):
        review.review_order(order=web_order, agent=agent, outcome="confirm", now=MONDAY_10)
    review.record_call_attempt(order=web_order, agent=agent, outcome="no_answer", now=MONDAY_10)
    assert review.review_order(order=web_order, agent=agent, outcome="confirm", now=MONDAY_10).status == "confirmed"


def test_the_review_page_shows_the_seeds_web_order_call_script(agent_client, web_order):
    with translation.override("zh-hans"):
        html = agent_client.get(reverse("orders:review", args=[web_order.serial]), HTTP_ACCEPT_LANGUAGE="zh-hans")
    script = html.content.decode().split('id="script">')[1].split("</div>")[0]
    assert "王先生您好！我是滴客物流客服，我的工号是8011。" in script
    assert "您在我们公司平台、网站下的单我们已经收到" in script and "请保持电话畅通" in script
    assert "13800138000" in script  # the read-back follows the greeting


def test_the_review_page_refuses_a_confirm_without_a_call_in_words(agent_client, web_order):
    url = reverse("orders:review_outcome", args=[web_order.serial])
    response = agent_client.post(url, {"outcome": "confirm"}, follow=True)
    assert Order.objects.get(pk=web_order.pk).status == Status.SUBMITTED
    assert "call" in response.content.decode().lower() or "电话" in response.content.decode()


def test_an_edited_template_words_the_next_orders_sms(cleaned_example, agent):
    intake.take_order(data=cleaned_example, channel=Channel.PHONE, agent=agent, now=MONDAY_10)  # templates read
    template = MessageTemplate.objects.get(code=PLACED)
    template.body = "{shipper}，运单{serial}已受理"
    template.save()

    order = intake.take_order(data=cleaned_example, channel=Channel.PHONE, agent=agent, now=MONDAY_10).order

    assert Message.objects.get(order=order, recipient_role="customer").text == f"王先生，运单{order.serial}已受理"


def test_a_deleted_template_leaves_the_next_order_the_seeded_wording(cleaned_example, agent):
    intake.take_order(data=cleaned_example, channel=Channel.PHONE, agent=agent, now=MONDAY_10)
    MessageTemplate.objects.get(code=PLACED).delete()

    order = intake.take_order(data=cleaned_example, channel=Channel.PHONE, agent=agent, now=MONDAY_10).order

    assert "下单成功" in Message.objects.get(order=order, recipient_role="customer").text
