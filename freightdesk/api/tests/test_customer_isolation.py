"""A customer account sees only its own orders; another's is 404, exactly like an unknown serial."""

import time_machine

from .conftest import example_order

MONDAY_MORNING = "2026-11-23T09:15:00+08:00"


@time_machine.travel(MONDAY_MORNING, tick=False)
def test_customer_cannot_see_another_customers_order(api, customer_a, customer_b):
    _user_a, token_a = customer_a
    _user_b, token_b = customer_b
    serial_a = api.as_(token=token_a).post("/orders", example_order()).json()["serial"]
    b = api.as_(token=token_b)

    assert b.get(f"/orders/{serial_a}").status_code == 404
    assert b.get(f"/orders/{serial_a}").json() == b.get("/orders/999999999").json()
    assert b.get(f"/orders/{serial_a}/timeline").status_code == 404
    assert b.get("/orders").json()["items"] == []
    assert api.as_(token=token_a).get(f"/orders/{serial_a}").status_code == 200


@time_machine.travel(MONDAY_MORNING, tick=False)
def test_customer_does_not_see_orders_the_desk_took(api, customer_a):
    _user, token = customer_a
    serial = api.post("/orders", example_order()).json()["serial"]  # the agent's phone order for 王先生

    customer = api.as_(token=token)
    assert customer.get(f"/orders/{serial}").status_code == 404
    assert customer.get("/orders").json()["items"] == []
    assert api.get(f"/orders/{serial}").status_code == 200


def test_unknown_serial_is_404_for_staff(api):
    response = api.get("/orders/261123999")

    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@time_machine.travel(MONDAY_MORNING, tick=False)
def test_customer_sees_its_own_order_and_not_anothers(api, agent, customer_a, customer_b):
    from freightdesk.orders.forms import OrderForm
    from freightdesk.orders.intake import take_order

    user_a, token_a = customer_a
    _user_b, token_b = customer_b
    form = OrderForm(
        data={
            "channel": "phone",
            "shipper_name": "王先生",
            "shipper_phone": "13800138000",
            "pickup_address": "汽配城",
            "consignee_name": "马先生",
            "consignee_phone": "13900139000",
            "delivery_address": "火车站",
            "goods_name": "配件",
            "quantity": 15,
            "weight_kg": "200",
            "volume_m3": "2.2",
            "payment_method": "shipper_pays",
        }
    )
    assert form.is_valid(), form.errors
    # Taken at the desk on behalf of A's account.
    serial = take_order(
        data=form.cleaned_data, channel="phone", agent=agent, customer_account=user_a.customer_account
    ).order.serial

    a, b = api.as_(token=token_a), api.as_(token=token_b)
    assert a.get(f"/orders/{serial}").status_code == 200
    assert [o["serial"] for o in a.get("/orders").json()["items"]] == [serial]
    assert a.get(f"/orders/{serial}/timeline").status_code == 200
    assert b.get(f"/orders/{serial}").status_code == 404
    assert b.get(f"/orders/{serial}/timeline").status_code == 404
    assert b.get("/orders").json()["items"] == []
