"""Restricted goods (限寄物品) at intake and a phone refusal counted as refused (SPEC §3, §12): 锂电池 is taken only
with what the caller confirmed (packaging, quantity), kept on the order; a refused caller is a refused enquiry in
the origin analysis, not a quote."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from freightdesk.core.periods import Period
from freightdesk.orders.intake import take_order
from freightdesk.orders.models import Channel, Enquiry, Order
from freightdesk.reports.queries import origins


def test_a_phone_order_of_lithium_batteries_needs_what_the_caller_confirmed(agent_client, example_order_data):
    data = {**example_order_data, "goods_name": "锂电池"}
    refused = agent_client.post(reverse("orders:new_phone_order"), data)
    assert not Order.objects.exists()
    assert "限寄" in refused.content.decode() and "id_restricted_confirmation_errors" in refused.content.decode()
    confirmed = {**data, "restricted_confirmation": "装在设备内,电极绝缘,共15件"}
    response = agent_client.post(reverse("orders:new_phone_order"), confirmed)
    order = Order.objects.get()
    assert response.status_code == 302
    assert (order.restricted_goods, order.restricted_confirmation) == ("锂电池", "装在设备内,电极绝缘,共15件")
    page = agent_client.get(reverse("orders:detail", args=[order.serial])).content.decode()
    assert 'id="restricted"' in page and "电极绝缘" in page


def test_the_phone_form_shows_what_to_confirm_while_the_agent_types(agent_client, example_order_data):
    html = agent_client.post(reverse("orders:preview"), {**example_order_data, "goods_name": "汽车电瓶"})
    text = html.content.decode()
    assert 'id="restricted-alert"' in text and "电解液" in text and 'id="prohibited-alert"' not in text


def test_a_web_order_of_a_power_bank_keeps_the_match_for_the_review_call(cleaned_example, agent_client):
    data = {**cleaned_example, "goods_name": "充电宝", "restricted_goods": "充电宝"}
    order = take_order(data=data, channel=Channel.WEB).order
    assert order.restricted_goods == "充电宝" and order.restricted_confirmation == ""
    review = agent_client.get(reverse("orders:review", args=[order.serial])).content.decode()
    assert 'value="restricted_confirmed"' in review


def test_ordinary_goods_need_no_confirmation(agent_client, example_order_data):
    agent_client.post(reverse("orders:new_phone_order"), example_order_data)
    assert Order.objects.get().restricted_goods == ""


@pytest.mark.django_db(transaction=True)
def test_a_phone_refusal_is_counted_as_refused_in_the_origin_report(agent_client, example_order_data):
    partial = {k: example_order_data[k] for k in ("shipper_phone", "pickup_address", "goods_name")}
    empty = agent_client.post(reverse("orders:new_phone_order"), {**partial, "refused": "1"}, follow=True)
    assert "拒收原因" in empty.content.decode() or "请写明拒收的原因" in empty.content.decode()
    post = {**partial, "refused": "1", "refusal_reason": "超出服务范围"}
    response = agent_client.post(reverse("orders:new_phone_order"), post, follow=True)
    assert response.redirect_chain[-1][0] == reverse("orders:new_phone_order")
    prohibited = {**partial, "goods_name": "管制刀具", "refused": "1"}
    agent_client.post(reverse("orders:new_phone_order"), prohibited)
    call_command("db_worker", batch=True, reload=False, startup_delay=False, queue_name="*", verbosity=0)
    rows = Enquiry.objects.order_by("id")
    assert [(e.outcome, e.channel) for e in rows] == [("refused", "phone"), ("refused", "phone")]
    assert rows[0].reason == "超出服务范围" and "管制器具" in rows[1].reason
    assert not Order.objects.exists()
    now = timezone.now()
    report = origins(period=Period(start=now - timedelta(days=1), end=now + timedelta(days=1)))
    assert sum(row["refused"] for row in report) == 2 and sum(row["quote_only"] for row in report) == 0


def _web_order_of(goods, cleaned_example, agent):
    from freightdesk.orders.review import record_call_attempt

    order = take_order(data={**cleaned_example, "goods_name": goods, "restricted_goods": goods}, channel=Channel.WEB)
    record_call_attempt(order=order.order, agent=agent, outcome="answered")
    return order.order


def test_a_web_order_of_restricted_goods_is_confirmed_only_with_what_the_customer_confirmed(cleaned_example, agent):
    from freightdesk.core.errors import DomainError
    from freightdesk.orders.models import OrderEvent
    from freightdesk.orders.review import review_order

    order = _web_order_of("充电宝", cleaned_example, agent)
    events = OrderEvent.objects.filter(order=order).count()
    with pytest.raises(DomainError) as refused:
        review_order(order=order, agent=agent, outcome="confirm")
    assert refused.value.field == "restricted_confirmation" and "充电宝" in refused.value.message
    fresh = Order.objects.get(pk=order.pk)
    assert (fresh.status, fresh.restricted_confirmation) == ("submitted", "")
    assert OrderEvent.objects.filter(order=order).count() == events

    review_order(order=fresh, agent=agent, outcome="confirm", restricted_confirmation=" 2个, 原包装  ")
    fresh = Order.objects.get(pk=order.pk)
    assert (fresh.status, fresh.restricted_goods, fresh.restricted_confirmation) == (
        "confirmed",
        "充电宝",
        "2个, 原包装",
    )


def test_the_review_page_asks_for_the_restricted_goods_confirmation_and_shows_the_refusal_on_it(
    cleaned_example, agent, agent_client
):
    order = _web_order_of("锂电池", cleaned_example, agent)
    url = reverse("orders:review_outcome", args=[order.serial])
    page = agent_client.get(reverse("orders:review", args=[order.serial])).content.decode()
    assert 'name="fix-restricted_confirmation"' in page
    refused = agent_client.post(url, {"outcome": "confirm"})
    assert "id_fix-restricted_confirmation_errors" in refused.content.decode(), refused.content.decode()[-3000:]
    assert refused.status_code == 422
    assert Order.objects.get(pk=order.pk).status == "submitted"
    agent_client.post(url, {"outcome": "confirm", "fix-restricted_confirmation": "装在设备内, 共1件"})
    assert Order.objects.get(pk=order.pk).restricted_confirmation == "装在设备内, 共1件"


def test_a_web_order_corrected_to_ordinary_goods_needs_no_confirmation(cleaned_example, agent):
    from freightdesk.orders.review import review_order

    order = _web_order_of("充电宝", cleaned_example, agent)
    review_order(order=order, agent=agent, outcome="confirm", changes={"goods_name": "配件"})
    assert Order.objects.get(pk=order.pk).status == "confirmed"
