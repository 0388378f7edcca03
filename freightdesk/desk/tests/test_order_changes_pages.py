"""The order page's void and correct forms (htmx): refusals shown in the form with nothing written, success reloads
the order page; only the roles of the capability table may open them."""

import pytest
from django.utils import timezone

from freightdesk.messaging.models import Message
from freightdesk.orders.models import Order, OrderEvent, Status

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def test_the_order_page_offers_void_and_correct_only_before_pickup(agent_client, take, dispatched):
    confirmed = take(timezone.now())
    page = agent_client.get(f"/orders/{confirmed.serial}/").content.decode()
    assert 'id="void-order"' in page and 'id="correct-order"' in page
    Order.objects.filter(pk=confirmed.pk).update(status=Status.PICKED_UP)
    page = agent_client.get(f"/orders/{confirmed.serial}/").content.decode()
    assert 'id="void-order"' not in page and 'id="correct-order"' not in page


def test_void_from_the_page_needs_a_note_for_other_and_writes_nothing_without(agent_client, take):
    order = take(timezone.now())
    events = OrderEvent.objects.filter(order=order).count()
    answer = agent_client.post(f"/orders/{order.serial}/void/", {"reason": "other", "note": ""}, **HTMX)
    assert answer.status_code == 200 and 'id="void-form"' in answer.content.decode()
    assert 'id="id_note_errors"' in answer.content.decode()
    assert Order.objects.get(pk=order.pk).status == Status.CONFIRMED
    assert OrderEvent.objects.filter(order=order).count() == events
    done = agent_client.post(f"/orders/{order.serial}/void/", {"reason": "duplicate"}, **HTMX)
    assert done.status_code == 204 and done["HX-Redirect"] == f"/orders/{order.serial}/"
    assert Order.objects.get(pk=order.pk).status == Status.VOID


def test_correct_from_the_page_sends_only_what_changed(agent_client, dispatched):
    order = dispatched(timezone.now())
    form = agent_client.get(f"/orders/{order.serial}/correct/", **HTMX)
    assert form.status_code == 200
    data = {
        "shipper_name": order.shipper_name,
        "shipper_phone": "138 0013 8000",
        "pickup_address": order.pickup_address,
        "pickup_region": order.pickup_region.code,
        "consignee_name": order.consignee_name,
        "consignee_phone": "13900139000",
        "delivery_address": order.delivery_address,
        "delivery_region": order.delivery_region.code,
        "goods_name": order.goods_name,
        "quantity": "18",
        "weight_kg": "200.00",
        "volume_m3": "2.20",
        "packaging_ok": "on",
        "payment_method": order.payment_method,
        "loading_fee": "100.00",
        "other_fee": "",
        "note": order.note,
    }
    done = agent_client.post(f"/orders/{order.serial}/correct/", data, **HTMX)
    assert done.status_code == 204, done.content.decode()
    event = OrderEvent.objects.get(order=order, kind="corrected")
    assert set(event.changes["before"]) == {"quantity"}  # the rest was sent unchanged
    assert Message.objects.filter(order=order, text__contains="改单").count() == 2


def test_prohibited_goods_in_a_correction_are_shown_on_the_field(agent_client, take):
    order = take(timezone.now())
    answer = agent_client.post(
        f"/orders/{order.serial}/correct/",
        {"goods_name": "雷管", "quantity": "15", "weight_kg": "200", "volume_m3": "2.2", "packaging_ok": "on"},
        **HTMX,
    )
    assert answer.status_code == 200 and "id_goods_name_errors" in answer.content.decode()
    assert Order.objects.get(pk=order.pk).goods_name == "配件"
    assert not OrderEvent.objects.filter(order=order, kind="corrected").exists()


def test_a_manager_cannot_open_the_forms(client, user_for, take):
    order = take(timezone.now())
    client.force_login(user_for("manager"))
    assert client.get(f"/orders/{order.serial}/void/").status_code == 403
    assert client.post(f"/orders/{order.serial}/correct/", {"note": "x"}).status_code == 403
    assert Order.objects.get(pk=order.pk).status == Status.CONFIRMED


def test_supervisors_see_voids_per_agent_in_review_and_after(client, agent_client, user_for, take, cleaned_example):
    from freightdesk.orders.intake import take_order
    from freightdesk.orders.review import review_order

    for reason in ("duplicate", "customer_cancelled"):
        order = take(timezone.now())
        agent_client.post(f"/orders/{order.serial}/void/", {"reason": reason})
    web = take_order(data=cleaned_example, channel="web").order
    review_order(order=web, agent=user_for("supervisor"), outcome="void", void_reason="duplicate", note="重复")
    assert agent_client.get("/desk/voids/").status_code == 403  # an agent does not oversee
    client.force_login(user_for("supervisor"))
    page = client.get("/desk/voids/").content.decode()
    assert '<tr data-agent="8011"><td>8011</td><td class="total">2</td><td class="after">2</td>' in page
    assert '<tr data-agent="8001"><td>8001</td><td class="total">1</td><td class="after">0</td>' in page
    assert "重复下单" in page and "重复" in page
