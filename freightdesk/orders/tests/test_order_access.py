"""access_order_for is the one way views and the API fetch an order: the desk and management see every order,
a customer account its own, a driver the orders he picks up (assigned to him, or dispatched to him as the region's
driver), a market developer or fleet manager those of his regions; anyone else gets 404, by serial or by id alike."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from freightdesk.accounts.models import CustomerAccount
from freightdesk.network.models import Driver, Region
from freightdesk.orders.intake import take_order
from freightdesk.orders.selectors import access_order_for, visible_orders

pytestmark = pytest.mark.django_db


@pytest.fixture
def orders(cleaned_example, user_for):
    """One order picked up in the demo's north region (driver1 picks it up; the demo developer's and fleet
    manager's region), one in a region nobody of them serves, placed by another customer."""
    ours = take_order(data=cleaned_example, channel="web").order
    ours.customer_account = CustomerAccount.objects.get(user=user_for("customer"))
    ours.pickup_region = Region.objects.get(code="north")
    ours.driver = Driver.objects.get(user=user_for("driver"))
    ours.save(update_fields=["customer_account", "pickup_region", "driver"])
    theirs = take_order(data=cleaned_example, channel="web").order
    theirs.pickup_region = Region.objects.create(code="far", name="远郊")
    theirs.save(update_fields=["pickup_region"])
    return ours, theirs


@pytest.mark.parametrize("role", ["agent", "supervisor", "manager", "admin"])
def test_the_desk_and_management_see_every_order_by_serial_and_by_id(orders, user_for, role):
    user = user_for(role)
    for order in orders:
        assert access_order_for(user, order.serial) == order
        assert access_order_for(user, order.pk) == order


@pytest.mark.parametrize("role", ["customer", "driver", "developer", "fleet_manager"])
def test_others_see_only_their_own_or_their_regions_orders(orders, user_for, role):
    ours, theirs = orders
    user = user_for(role)
    assert access_order_for(user, ours.serial) == ours
    assert access_order_for(user, ours.pk) == ours
    assert list(visible_orders(user)) == [ours]
    with pytest.raises(Http404):
        access_order_for(user, theirs.serial)
    with pytest.raises(Http404):
        access_order_for(user, theirs.pk)


def test_a_region_driver_no_longer_sees_an_order_assigned_to_another_driver(orders, user_for):
    ours, _theirs = orders
    ours.driver = Driver.objects.create(name="赵师傅", phone="+8613855556666")
    ours.save(update_fields=["driver"])

    with pytest.raises(Http404):
        access_order_for(user_for("driver"), ours.serial)


def test_an_anonymous_visitor_sees_no_order(orders):
    with pytest.raises(Http404):
        access_order_for(AnonymousUser(), orders[0].serial)


def test_an_unknown_serial_is_404_for_the_desk(orders, user_for):
    with pytest.raises(Http404):
        access_order_for(user_for("agent"), "999999999")
