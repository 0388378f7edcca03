"""The field's pages (SPEC §1): the fleet manager's queue and assignment, the driver's own list and reports, the
market developer's region; each role lands on its page from the home page and sees only its own orders."""

import pytest
from django.utils import timezone

from freightdesk.dispatch.models import Assignment
from freightdesk.dispatch.services import dispatch_order
from freightdesk.followups.models import FollowUp, FollowUpKind
from freightdesk.network.models import Driver
from freightdesk.orders.forms import OrderForm
from freightdesk.orders.intake import take_order
from freightdesk.orders.models import Order, OrderEvent
from freightdesk.tickets.models import Ticket
from freightdesk.tracking.models import ActionKind, FieldReport, FollowUpAction

pytestmark = pytest.mark.django_db


@pytest.fixture
def place(demo, example_order_data, user_for):
    """Take and dispatch the seed's order from an address (港口 is the east region, dispatched to `fleet`)."""

    def make(address="港口3号"):
        form = OrderForm({**example_order_data, "channel": "phone", "pickup_address": address})
        assert form.is_valid(), form.errors
        order = take_order(data=form.cleaned_data, channel="phone", agent=user_for("agent")).order
        dispatch_order(order=order, agent=user_for("agent"))
        return Order.objects.get(pk=order.pk)

    return make


def login(client, user):
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("role", "page"),
    [("fleet_manager", "/field/fleet/"), ("driver", "/field/driver/"), ("developer", "/field/region/")],
)
def test_each_field_role_lands_on_its_own_page(client, user_for, role, page):
    response = login(client, user_for(role)).get("/")

    assert response.status_code == 302 and response["Location"] == page
    assert client.get(page).status_code == 200


def test_the_fleet_queue_shows_his_orders_oldest_first_with_both_clocks(client, user_for, place):
    first, second = place(), place()
    place("汽配城")  # north: dispatched to its driver, not to him

    page = login(client, user_for("fleet_manager")).get("/field/fleet/").content.decode()

    assert page.index(f'id="order-{first.serial}"') < page.index(f'id="order-{second.serial}"')
    assert page.count('class="card" id="order-') == 2
    assert page.count('class="countdown"') == 4


def test_today_s_figures_name_each_driver_with_orders_on_the_way(client, user_for, place):
    order = place()
    driver = Driver.objects.get(user=user_for("driver"))
    login(client, user_for("fleet_manager"))
    client.post(f"/dispatch/{order.serial}/assign/", {"driver": driver.code, "vehicle": ""})

    page = client.get("/field/fleet/").content.decode()

    row = page.split(f'id="driver-{driver.code}"')[1].split("</tr>")[0]
    assert row.startswith("><td>刘师傅</td><td>1</td><td>0</td>"), row


def test_a_long_fleet_queue_shows_the_oldest_and_says_how_many_wait(client, user_for, place, monkeypatch):
    from freightdesk.field import selectors

    monkeypatch.setattr(selectors, "FLEET_QUEUE_LIMIT", 2)
    first, second, third = place(), place(), place()
    login(client, user_for("fleet_manager"))

    page = client.get("/field/fleet/").content.decode()

    assert page.count('class="card" id="order-') == 2 and f'id="order-{third.serial}"' not in page
    assert page.index(f'id="order-{first.serial}"') < page.index(f'id="order-{second.serial}"')
    assert 'id="queue-more"' in page and "3" in page.split('id="queue-more"')[1].split("</p>")[0]
    Order.objects.filter(pk=first.pk).update(status="picked_up")
    page = client.get("/field/fleet/").content.decode()
    assert f'id="order-{third.serial}"' in page and 'id="queue-more"' not in page


def test_the_fleet_manager_assigns_from_his_page_and_the_driver_then_sees_the_order(client, user_for, place):
    order = place()
    driver = Driver.objects.get(user=user_for("driver"))
    login(client, user_for("fleet_manager"))

    response = client.post(f"/dispatch/{order.serial}/assign/", {"driver": driver.code, "vehicle": ""})

    assert response.status_code == 302
    assignment = Assignment.objects.get(order=order)
    assert assignment.driver == driver and assignment.vehicle.plate == "沪A12345"  # his own vehicle by default
    page = login(client, user_for("driver")).get("/field/driver/").content.decode()
    assert f'id="order-{order.serial}"' in page and 'href="tel:+8613800138000"' in page


def test_drivers_offered_are_the_active_ones_of_the_pickup_region_first(client, user_for, place):
    order = place()
    Driver.objects.filter(name="南区司机").update(active=False)

    login(client, user_for("fleet_manager"))
    page = client.get("/field/fleet/").content.decode()
    card = page[page.index(f'id="order-{order.serial}"') :]
    assert f'hx-get="/field/fleet/{order.serial}/assign/"' in card  # the drivers load when he taps "Assign"
    form = client.get(f"/field/fleet/{order.serial}/assign/", headers={"HX-Request": "true"}).content.decode()
    options = form[: form.index("</select>")]

    assert options.index("东区司机") < options.index("刘师傅")
    assert "南区司机" not in options


def test_the_driver_reports_through_his_page_and_a_resend_counts_once(client, user_for, place):
    order = place("汽配城")  # north: dispatched to 刘师傅, driver1
    login(client, user_for("driver"))
    body = {"serial": order.serial, "kind": "picked_up", "key": "k-0001-pickup", "pieces": "15"}
    body |= {"latitude": "31.2304", "longitude": "121.4737", "accuracy": "8", "place": "汽配城"}

    first = client.post("/field/driver/report/", body)
    again = client.post("/field/driver/report/", body)

    assert first.status_code == 200 and first.json()["status"] == "picked_up"
    assert again.status_code == 200 and again.json()["replayed"] is True
    assert FieldReport.objects.filter(order=order).count() == 1


def test_a_driver_reporting_on_another_drivers_order_gets_404_and_nothing_is_written(client, user_for, place):
    order = place()  # east: nobody assigned, not his
    login(client, user_for("driver"))

    response = client.post(
        "/field/driver/report/", {"serial": order.serial, "kind": "picked_up", "key": "k-0002-pickup", "pieces": "15"}
    )

    assert response.status_code == 404
    assert FieldReport.objects.count() == 0 and Order.objects.get(pk=order.pk).status == "dispatched"
    assert f"order-{order.serial}" not in client.get("/field/driver/").content.decode()


def test_a_position_out_of_range_from_the_page_is_422_on_its_field(client, user_for, place):
    order = place("汽配城")
    login(client, user_for("driver"))

    response = client.post(
        "/field/driver/report/",
        {"serial": order.serial, "kind": "arrived", "key": "k-0003-arrive", "latitude": "95", "longitude": "121"},
    )

    assert response.status_code == 422 and list(response.json()["errors"]) == ["latitude"]
    assert FieldReport.objects.count() == 0


def test_the_fleet_manager_records_his_call_on_an_escalated_delivery(client, user_for, place):
    order = place()
    fleet = user_for("fleet_manager")
    followup = FollowUp.objects.get(order=order, kind=FollowUpKind.DELIVERY_CHECK)
    escalation = FollowUpAction.objects.create(
        followup=followup, order=order, kind=ActionKind.ESCALATE, by=user_for("agent"), to=fleet.profile.phone
    )
    login(client, fleet)
    assert f'id="escalation-{escalation.pk}"' in client.get("/field/fleet/").content.decode()

    client.post(f"/field/fleet/escalations/{escalation.pk}/called/", {"note": "司机说堵车，一小时内到"})

    call = FollowUpAction.objects.get(order=order, kind=ActionKind.FLEET_CALLED)
    assert call.by == fleet and call.note == "司机说堵车，一小时内到"
    assert OrderEvent.objects.filter(order=order, kind="fleet_called").exists()


def test_the_developer_sees_his_regions_day_pickups_and_complaints(client, user_for, place):
    order = place("汽配城")
    Ticket.objects.create(
        number="C26120000001",
        channel="phone",
        category="complaint",
        subcategory="transit_time",
        order=order,
        description="还没来提货",
        owner_group="desk",
        created_at=timezone.now(),
    )

    page = login(client, user_for("developer")).get("/field/region/").content.decode()

    assert f'id="pickup-{order.serial}"' in page and f'id="today-{order.serial}"' in page
    assert 'id="complaint-C26120000001"' in page
