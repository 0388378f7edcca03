from decimal import Decimal

import pytest
from django.urls import reverse

from freightdesk.orders.intake import take_order
from freightdesk.orders.models import Enquiry, Order, OrderEvent

pytestmark = pytest.mark.django_db


def test_agent_saves_the_example_phone_order_confirmed_with_serial_quote_and_timeline(agent_client, example_order_data):
    response = agent_client.post(reverse("orders:new_phone_order"), example_order_data)
    order = Order.objects.get()
    assert response.status_code == 302 and response.url == reverse("orders:detail", args=[order.serial])
    assert order.status == "confirmed"
    assert order.agent_id == "8011"
    # Route north→south: 200 kg × 1.20 = 240.00 beats 2.2 m³ × 200 = 440.00? No: volume wins.
    assert order.freight == Decimal("440.00")
    assert order.fees_total == Decimal("100.00") and order.total == Decimal("540.00")
    assert order.shipper_phone == "+8613800138000"
    event = OrderEvent.objects.filter(order=order).first()
    assert event.kind == "taken" and event.text == "taken by 8011"
    assert list(OrderEvent.objects.filter(order=order).values_list("kind", flat=True)) == ["taken", "sms_queued"]
    detail = agent_client.get(reverse("orders:detail", args=[order.serial]), HTTP_ACCEPT_LANGUAGE="en")
    assert "taken by 8011" in detail.content.decode()


def test_serial_is_date_plus_daily_sequence(cleaned_example, agent, time_machine):
    time_machine.move_to("2026-11-23 09:00:00+08:00")
    first = take_order(data=cleaned_example, channel="phone", agent=agent).order
    second = take_order(data=cleaned_example, channel="phone", agent=agent).order
    assert (first.serial, second.serial) == ("261123001", "261123002")


def test_double_submitted_form_creates_one_order(agent_client, example_order_data):
    data = {**example_order_data, "intake_key": "0f0e0d0c0b0a09080706050403020100"}
    agent_client.post(reverse("orders:new_phone_order"), data)
    second = agent_client.post(reverse("orders:new_phone_order"), data)
    assert Order.objects.count() == 1
    assert second.status_code == 302


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("shipper_phone", "12345", "is not a valid phone number"),
        ("shipper_phone", "abc", "is not a phone number"),
        ("consignee_phone", "1380013800", "not a valid phone number"),
        ("quantity", "0", "at least 1 piece"),
        ("weight_kg", "-5", "greater than zero"),
        ("volume_m3", "10000", "split the shipment"),
        ("pickup_address", "   ", "required"),
        ("note", "长" * 201, "at most 200 characters"),
        ("delivery_region", "mars", "Unknown region"),
    ],
)
def test_bad_input_gets_a_specific_message_and_saves_nothing(agent_client, example_order_data, field, value, message):
    response = agent_client.post(
        reverse("orders:new_phone_order"), {**example_order_data, field: value}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert message in response.context["form"].errors[field][0]
    assert Order.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_prohibited_goods_block_saving_and_the_enquiry_is_kept_for_the_origin_analysis(
    agent_client, example_order_data, django_capture_on_commit_callbacks
):
    from freightdesk.network.models import ProhibitedGoods

    ProhibitedGoods.objects.get_or_create(
        name="汽油", defaults={"category": "易燃液体", "synonyms": "92号汽油", "reason": "易燃易爆。"}
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = agent_client.post(
            reverse("orders:new_phone_order"), {**example_order_data, "goods_name": "92号汽油"}
        )
    assert Order.objects.count() == 0
    assert "易燃液体" in response.context["form"].errors["goods_name"][0]
    from django.core.management import call_command

    call_command("db_worker", batch=True, reload=False, startup_delay=False, queue_name="*", verbosity=0)
    enquiry = Enquiry.objects.get()  # written by the worker, not by the request
    assert enquiry.outcome == "refused" and enquiry.goods_name == "92号汽油"
    assert enquiry.pickup_region.code == "north"


def test_customer_text_is_escaped_when_shown(agent_client, example_order_data):
    agent_client.post(reverse("orders:new_phone_order"), {**example_order_data, "note": "<script>alert(1)</script>"})
    order = Order.objects.get()
    page = agent_client.get(reverse("orders:detail", args=[order.serial])).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page


def test_live_preview_shows_quote_and_confirmation_script(agent_client, example_order_data):
    response = agent_client.post(reverse("orders:preview"), example_order_data, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "540.00" in html
    assert "汽配城至火车站，2.2方(15件)，价格是540.00元，现金支付，可以吗？" in html or "is that all right?" in html


def test_returning_caller_gets_his_last_order_values(agent_client, example_order_data):
    agent_client.post(reverse("orders:new_phone_order"), example_order_data)
    response = agent_client.get(reverse("orders:caller_lookup"), {"shipper_phone": "+86 138-0013-8000"})
    html = response.content.decode()
    assert '"consignee_name": "\\u9a6c\\u5148\\u751f"' in html  # 马先生, JSON-escaped
    assert '"pickup_region": "north"' in html


def test_a_saved_order_records_its_origin_in_its_own_transaction(agent_client, example_order_data):
    from django_tasks_db.models import DBTaskResult

    agent_client.post(reverse("orders:new_phone_order"), example_order_data)
    order = Order.objects.get()
    enquiry = Enquiry.objects.get()  # written with the order, not left to a task that could be lost
    assert (enquiry.order, enquiry.outcome, enquiry.pickup_region.code) == (order, "shipped", "north")
    assert (enquiry.at, enquiry.agent, enquiry.channel) == (order.created_at, order.taken_by, "phone")
    assert not DBTaskResult.objects.filter(task_path__endswith="record_enquiry").exists()


def test_an_order_that_fails_to_save_leaves_no_enquiry(agent, cleaned_example, monkeypatch):
    from freightdesk.orders import transitions

    def broken_event(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(transitions, "add_event", broken_event)
    with pytest.raises(RuntimeError):
        take_order(data=cleaned_example, channel="phone", agent=agent)
    assert not Order.objects.exists() and not Enquiry.objects.exists()


def test_a_screen_pop_opens_the_form_with_the_callers_number(agent_client):
    page = agent_client.get(
        reverse("orders:new_phone_order"), {"shipper_phone": "13800138000", "shipper_name": "王先生"}
    )
    html = page.content.decode()
    assert 'value="13800138000"' in html and 'value="王先生"' in html


def test_status_changes_read_in_the_readers_language(agent_client, example_order_data):
    from freightdesk.orders.timeline import add_event, event_text

    agent_client.post(reverse("orders:new_phone_order"), example_order_data)
    event = add_event(
        order=Order.objects.get(),
        kind="status",
        text="status confirmed → dispatched",
        params={"before": "confirmed", "after": "dispatched"},
    )
    from django.utils import translation

    with translation.override("en"):
        assert event_text(event) == "status Confirmed → Dispatched"


def test_the_order_page_leads_to_dispatch_tracking_and_a_new_ticket(agent_client, example_order_data):
    agent_client.post(reverse("orders:new_phone_order"), example_order_data)
    order = Order.objects.get()
    html = agent_client.get(reverse("orders:detail", args=[order.serial])).content.decode()
    assert f"/dispatch/{order.serial}/" in html and f"/tracking/orders/{order.serial}/" in html
    assert f"/tickets/new/?order={order.serial}" in html


@pytest.mark.django_db(transaction=True)
def test_a_caller_who_only_asks_the_price_is_kept_as_a_quote_only_enquiry(agent_client, example_order_data):
    from django.core.management import call_command

    partial = {k: example_order_data[k] for k in ("shipper_phone", "pickup_address", "goods_name", "weight_kg")}
    response = agent_client.post(reverse("orders:new_phone_order"), {**partial, "quote_only": "1"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("orders:new_phone_order")
    assert "已记为仅询价的咨询" in response.content.decode()
    assert not Order.objects.exists()
    call_command("db_worker", batch=True, reload=False, startup_delay=False, queue_name="*", verbosity=0)
    enquiry = Enquiry.objects.get()
    assert (enquiry.outcome, enquiry.goods_name, enquiry.pickup_region.code) == ("quote_only", "配件", "north")
    assert enquiry.phone == "+8613800138000"


def test_an_empty_quote_only_records_nothing_and_says_what_to_type(agent_client):
    response = agent_client.post(reverse("orders:new_phone_order"), {"quote_only": "1"}, follow=True)
    assert not Enquiry.objects.exists()
    assert "没有可记录的内容" in response.content.decode()
