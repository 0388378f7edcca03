"""The public web order page (SPEC §5): no login, same validation, abuse guards, one order per
submission, the serial and a way back; customer accounts see only their own orders and repeat them."""

import pytest
from django.urls import reverse

from freightdesk.messaging.models import Message
from freightdesk.orders import intake, public_views
from freightdesk.orders.models import Channel, Enquiry, Order, Status

URL = "/orders/web/"


@pytest.fixture
def web_post(demo, example_order_data):
    data = {k: v for k, v in example_order_data.items() if k != "loading_fee"}
    data["intake_key"] = "2b1f8f0e-52d4-4d7c-9a83-0f0a8d9c1e11"
    return data


def test_anyone_can_open_the_order_page_without_logging_in(client, demo):
    response = client.get(URL)
    assert response.status_code == 200 and 'name="website"' in response.content.decode()
    assert 'name="loading_fee"' not in response.content.decode()  # fees are the agent's, at review


def test_a_web_order_lands_in_review_shows_the_serial_and_texts_the_customer(client, web_post):
    response = client.post(URL, web_post)
    order = Order.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "orders:web_order_placed", args=[order.serial]
    )
    assert order.channel == Channel.WEB and order.status == Status.SUBMITTED and order.review_due_at
    page = client.get(response["Location"]).content.decode()
    assert f'id="serial">{order.serial}<' in page and f"?serial={order.serial}" in page
    assert Message.objects.filter(order=order, to="+8613800138000", text__contains="已收到").count() == 1


def test_the_placed_page_is_only_for_the_browser_that_placed_it(client, web_post):
    client.post(URL, web_post)
    serial = Order.objects.get().serial
    client.cookies.clear()
    assert client.get(reverse("orders:web_order_placed", args=[serial])).status_code == 404


def test_a_double_submission_is_one_order(client, web_post):
    client.post(URL, web_post)
    client.post(URL, web_post)
    assert Order.objects.count() == 1 and Message.objects.count() == 1


def test_prohibited_goods_are_refused_in_words_a_customer_understands_and_kept_for_the_origin_report(
    client, web_post, django_capture_on_commit_callbacks
):
    web_post["goods_name"] = "烟花"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, web_post)
    assert response.status_code == 422 and "烟花" in response.content.decode()
    assert not Order.objects.exists()
    from django_tasks_db.models import DBTaskResult

    from freightdesk.orders.intake import save_enquiry

    queued = DBTaskResult.objects.get(task_path__endswith="record_enquiry")
    assert queued.args_kwargs["kwargs"]["goods_name"] == "烟花"
    save_enquiry(**queued.args_kwargs["kwargs"])  # what the worker runs
    assert Enquiry.objects.filter(outcome="refused", channel="web", goods_name="烟花").exists()


def test_bad_phone_is_a_field_error(client, web_post):
    web_post["shipper_phone"] = "123"
    response = client.post(URL, web_post)
    assert response.status_code == 422 and 'id="id_shipper_phone_errors"' in response.content.decode()


def test_a_filled_honeypot_creates_nothing(client, web_post):
    web_post["website"] = "http://spam.example"
    assert client.post(URL, web_post).status_code == 400
    assert not Order.objects.exists()


def test_an_oversized_post_is_refused(client, web_post):
    web_post["note"] = "x" * (public_views.MAX_BODY + 1)
    assert client.post(URL, web_post).status_code == 413
    assert not Order.objects.exists()


def test_orders_are_rate_limited_per_client_address(client, web_post, monkeypatch):
    monkeypatch.setattr(public_views, "ORDER_RATE", (2, 600))
    for i in range(2):
        web_post["intake_key"] = f"2b1f8f0e-52d4-4d7c-9a83-0f0a8d9c1e1{i}"
        assert client.post(URL, web_post, REMOTE_ADDR="10.0.0.1").status_code == 302
    web_post["intake_key"] = "2b1f8f0e-52d4-4d7c-9a83-0f0a8d9c1e19"
    assert client.post(URL, web_post, REMOTE_ADDR="10.0.0.1").status_code == 429
    assert client.post(URL, web_post, REMOTE_ADDR="10.0.0.2").status_code == 302
    assert Order.objects.count() == 3


def test_state_lookup_needs_the_last_four_digits_of_a_phone_on_the_order(client, web_post):
    client.post(URL, web_post)
    serial = Order.objects.get().serial
    ok = client.get(reverse("orders:order_status"), {"serial": serial, "phone_last4": "9000"})
    assert ok.status_code == 200 and 'data-status="submitted"' in ok.content.decode()
    wrong = client.get(reverse("orders:order_status"), {"serial": serial, "phone_last4": "1234"})
    unknown = client.get(reverse("orders:order_status"), {"serial": "261123999", "phone_last4": "9000"})
    assert wrong.status_code == unknown.status_code == 404
    assert 'id="order-state"' not in wrong.content.decode()


def test_state_lookups_are_rate_limited(client, demo, monkeypatch):
    monkeypatch.setattr(public_views, "STATUS_RATE", (3, 600))
    codes = [
        client.get(reverse("orders:order_status"), {"serial": "1", "phone_last4": "0000"}).status_code for _ in range(4)
    ]
    assert codes == [404, 404, 404, 429]


def test_a_customer_account_order_is_its_own_and_listed_under_my_orders(client, user_for, web_post):
    customer = user_for("customer")
    client.force_login(customer)
    client.post(URL, web_post)
    order = Order.objects.get()
    assert order.customer_account == customer.customer_account
    html = client.get(reverse("orders:my_orders")).content.decode()
    assert order.serial in html and f"?repeat={order.serial}" in html
    assert client.get(reverse("orders:my_order", args=[order.serial])).status_code == 200


def test_a_customer_sees_only_his_own_orders(client, user_for, cleaned_example, agent):
    someone_else = intake.take_order(data=cleaned_example, channel=Channel.PHONE, agent=agent).order
    client.force_login(user_for("customer"))
    assert someone_else.serial not in client.get(reverse("orders:my_orders")).content.decode()
    assert client.get(reverse("orders:my_order", args=[someone_else.serial])).status_code == 404
    assert client.get(reverse("orders:detail", args=[someone_else.serial])).status_code == 403
    repeat = client.get(URL, {"repeat": someone_else.serial})
    assert repeat.status_code == 404


def test_repeat_prefills_the_form_from_the_customers_own_order(client, user_for, web_post):
    client.force_login(user_for("customer"))
    client.post(URL, web_post)
    serial = Order.objects.get().serial
    html = client.get(URL, {"repeat": serial}).content.decode()
    assert 'value="马先生"' in html and 'value="配件"' in html


def test_staff_cannot_open_my_orders(agent_client):
    assert agent_client.get(reverse("orders:my_orders")).status_code == 403
