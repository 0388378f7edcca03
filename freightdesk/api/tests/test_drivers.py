"""Drivers and who picks up over JSON (API.md "Additions (2026-12)"): GET /drivers, POST /orders/{serial}/assign."""

import pytest

from freightdesk.dispatch.models import Assignment
from freightdesk.dispatch.services import dispatch_order
from freightdesk.messaging.models import Message
from freightdesk.network.models import Driver, Vehicle
from freightdesk.orders.forms import OrderForm
from freightdesk.orders.intake import take_order
from freightdesk.orders.models import Order

from .conftest import ApiClient, token_for


@pytest.fixture
def east_order(demo, example_order_data, user_for):
    """The seed's order picked up at the port (东区, dispatched to the fleet manager), dispatched by 8011."""
    agent = user_for("agent")
    form = OrderForm({**example_order_data, "channel": "phone", "pickup_address": "港口3号"})
    assert form.is_valid(), form.errors
    order = take_order(data=form.cleaned_data, channel="phone", agent=agent).order
    dispatch_order(order=order, agent=agent)
    return Order.objects.get(pk=order.pk)


@pytest.fixture
def fleet_api(client, user_for):
    return ApiClient(client, token_for(user_for("fleet_manager")), lang="en")


def test_drivers_lists_code_name_phone_region_and_active(fleet_api):
    response = fleet_api.get("/drivers", {"region": "east"})

    assert response.status_code == 200
    east = Driver.objects.get(home_region__code="east")
    assert response.json() == [
        {"code": east.code, "name": east.name, "phone": east.phone, "region": "east", "active": True}
    ]


def test_a_fleet_manager_lists_only_the_drivers_of_his_regions(fleet_api, demo):
    Driver.objects.create(name="外区师傅", phone="+8613811119999")

    names = [d["name"] for d in fleet_api.get("/drivers").json()]

    assert "外区师傅" not in names and "刘师傅" in names


def test_assigning_answers_the_order_with_its_driver(client, user_for, fleet_api, east_order):
    driver = Driver.objects.get(name="刘师傅")

    response = fleet_api.post(f"/orders/{east_order.serial}/assign", {"driver": driver.code, "vehicle": "沪A12345"})

    assert response.status_code == 200, response.content
    assert response.json()["driver"] == {"code": driver.code, "name": "刘师傅", "phone": "+8613900001111"}
    desk_api = ApiClient(client, token_for(user_for("agent")))
    assert desk_api.get(f"/orders/{east_order.serial}").json()["driver"]["code"] == driver.code
    assert Assignment.objects.get(order=east_order).vehicle == Vehicle.objects.get(plate="沪A12345")


def test_an_inactive_driver_is_refused_with_the_reason_and_nothing_is_written(fleet_api, east_order):
    driver = Driver.objects.get(home_region__code="east")
    Driver.objects.filter(pk=driver.pk).update(active=False)
    messages = Message.objects.count()

    response = fleet_api.post(f"/orders/{east_order.serial}/assign", {"driver": driver.code})

    assert response.status_code == 409
    assert "is not an active driver" in response.json()["errors"]["driver"][0]
    assert Assignment.objects.count() == 0 and Message.objects.count() == messages
    assert Order.objects.get(pk=east_order.pk).driver is None


def test_an_unknown_driver_or_plate_is_422_on_its_field(fleet_api, east_order):
    code = Driver.objects.get(name="刘师傅").code

    unknown = fleet_api.post(f"/orders/{east_order.serial}/assign", {"driver": "nobody"})
    no_plate = fleet_api.post(f"/orders/{east_order.serial}/assign", {"driver": code, "vehicle": "沪Z00000"})

    assert unknown.status_code == 422 and list(unknown.json()["errors"]) == ["driver"]
    assert no_plate.status_code == 422 and list(no_plate.json()["errors"]) == ["vehicle"]
    assert Assignment.objects.count() == 0


def test_a_driver_token_may_not_assign_and_an_unknown_serial_is_404(client, user_for, fleet_api, east_order):
    driver_api = ApiClient(client, token_for(user_for("driver")))
    code = Driver.objects.get(name="刘师傅").code

    assert driver_api.post(f"/orders/{east_order.serial}/assign", {"driver": code}).status_code == 403
    assert fleet_api.post("/orders/999999999/assign", {"driver": code}).status_code == 404
    assert Assignment.objects.count() == 0
