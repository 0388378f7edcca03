"""POST /api/v1/orders takes the seed's example order the way the phone desk does (SPEC §3/§4, API.md)."""

from datetime import datetime

import time_machine
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from freightdesk.accounts.models import CustomerAccount
from freightdesk.orders.models import Order, OrderEvent

from ..schemas import OrderOut
from .conftest import example_order

MONDAY_MORNING = "2026-11-23T09:15:00+08:00"


@time_machine.travel(MONDAY_MORNING, tick=False)
def test_agent_phone_order_is_confirmed_with_serial_quote_and_agent_id(api):
    response = api.post("/orders", example_order())

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["serial"] == "261123001"
    assert body["status"] == "confirmed"
    assert body["agent_id"] == "8011"
    # freight = max(200 kg x 1.00, 2.2 m³ x 100.00) = 220.00, plus the 100.00 loading fee
    assert body["quote"] == {
        "freight": "220.00",
        "fees": [{"kind": "loading", "amount": "100.00"}],
        "total": "320.00",
    }
    assert body["created_at"] == "2026-11-23T09:15:00+08:00"
    assert body["dispatch_due_at"].endswith("+08:00")
    assert datetime.fromisoformat(body["dispatch_due_at"]) > datetime.fromisoformat(body["created_at"])
    assert body["review_due_at"] is None
    assert body["shipper"] == {"name": "王先生", "phone": "+8613800138000"}
    assert body["consignee"] == {"name": "马先生", "phone": "+8613900139000"}
    assert (body["pickup_region"], body["delivery_region"]) == ("north", "south")
    assert body["goods"] == {
        "name": "配件",
        "quantity": 15,
        "weight_kg": "200.00",
        "volume_m3": "2.20",
        "packaging_ok": True,
    }
    assert body["payment_method"] == "shipper_pays"
    assert body["note"] == "15点前送达"

    order = Order.objects.get(serial="261123001")
    assert order.taken_by.username == "wang8011"
    assert OrderEvent.objects.filter(order=order, kind="taken", by_label="8011").exists()


@time_machine.travel(MONDAY_MORNING, tick=False)
def test_delivery_deadline_comes_back_in_shanghai_time(api):
    body = example_order(delivery_deadline="2026-11-23T07:00:00Z")

    response = api.post("/orders", body)

    assert response.status_code == 201, response.content
    assert response.json()["delivery_deadline"] == "2026-11-23T15:00:00+08:00"


@time_machine.travel(MONDAY_MORNING, tick=False)
def test_explicit_region_codes_win_over_the_address(api, regions):
    body = example_order(pickup_address="某路1号", pickup_region="north", delivery_region="south")

    response = api.post("/orders", body)

    assert response.status_code == 201, response.content
    assert response.json()["pickup_region"] == "north"


@time_machine.travel(MONDAY_MORNING, tick=False)
def test_web_order_by_agent_awaits_review(api):
    response = api.post("/orders", example_order(channel="web"))

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "submitted"
    assert body["review_due_at"].endswith("+08:00")
    assert body["dispatch_due_at"] is None


@time_machine.travel(MONDAY_MORNING, tick=False)
def test_customer_account_order_is_a_web_order_of_its_own_account(api, customer_a):
    user, token = customer_a

    response = api.as_(token=token).post("/orders", example_order(channel="phone"))

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["channel"] == "web"
    assert body["status"] == "submitted"
    assert body["agent_id"] == ""
    order = Order.objects.get(serial=body["serial"])
    assert order.customer_account == CustomerAccount.objects.get(user=user)
    assert order.taken_by is None


def test_supervisor_and_admin_may_take_orders_but_a_driver_may_not(api):
    from .conftest import make_user, token_for

    supervisor = token_for(make_user("boss", "supervisor"))
    admin = token_for(User.objects.create_superuser("root", password="x-unused-password"))
    driver = token_for(make_user("driver1", "driver"))

    assert api.as_(token=supervisor).post("/orders", example_order()).status_code == 201
    assert api.as_(token=admin).post("/orders", example_order()).status_code == 201
    assert api.as_(token=driver).post("/orders", example_order()).status_code == 403
    assert Order.objects.count() == 2


def test_route_without_a_rate_card_is_refused_on_the_delivery_region(api, regions):
    from freightdesk.network.models import Region

    Region.objects.create(code="east", name="东区", keywords="港口")

    response = api.as_(lang="en").post("/orders", example_order(delivery_address="港口3号"))

    assert response.status_code == 409, response.content
    assert list(response.json()["errors"]) == ["delivery_region"]
    assert "No rate card" in response.json()["errors"]["delivery_region"][0]
    assert Order.objects.count() == 0


def test_the_answer_to_a_new_order_is_the_order_as_read_back(api):
    """The 201 body is made from the order as written (no re-read): it must equal what GET reads."""
    body = example_order()
    body["goods"].update(weight_kg="200.5", volume_m3="2.2")
    body["extra_fees"] = [{"kind": "loading", "amount": "100"}, {"kind": "other", "amount": "7.5"}]
    created = api.post("/orders", body)
    assert created.status_code == 201, created.content
    read = api.get(f"/orders/{created.json()['serial']}")
    assert created.json() == read.json()
    assert created.json()["goods"]["weight_kg"] == "200.50"


@time_machine.travel(MONDAY_MORNING, tick=False)
def test_the_answer_to_a_new_order_is_exactly_its_schema(api):
    """The 201 body is written once without a second validation: it must be OrderOut's own JSON form."""
    for body in (example_order(), example_order(channel="web", delivery_deadline="2026-11-24T07:00:00Z")):
        created = api.post("/orders", body)

        assert created.status_code == 201, created.content
        assert created["Content-Type"] == "application/json; charset=utf-8"
        assert OrderOut.model_validate(created.json()).model_dump(mode="json") == created.json()


def test_a_known_customers_phone_order_costs_at_most_fifteen_statements_and_no_inner_savepoint(api):
    api.post("/orders", example_order())  # the customers exist, the caches (rate card, catalogue, templates) loaded

    with CaptureQueriesContext(connection) as queries:
        assert api.post("/orders", example_order()).status_code == 201

    statements = [q["sql"] for q in queries]
    # token, customers, stamp them, contacts, addresses, serial, order, fee, enquiry, SMS, its send task, the
    # timeline's two lines in one insert; the order's transaction (here a savepoint in the test's); on PostgreSQL
    # the customers' row locks
    assert len(statements) <= 15, "\n".join(statements)
    assert len([sql for sql in statements if sql.startswith('INSERT INTO "orders_orderevent"')]) == 1
    assert len([sql for sql in statements if sql.startswith("SAVEPOINT")]) == 1  # the order's, none inside it
    # the new order's SMS key cannot be taken yet, and the templates come from the process cache
    assert not [sql for sql in statements if sql.startswith("SELECT") and "messaging_" in sql]
