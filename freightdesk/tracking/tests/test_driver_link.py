"""The driver's link (SPEC §7): no password, one order, expiring; bad use is refused, logged, changes nothing."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from freightdesk.orders.models import Order
from freightdesk.tracking.models import DriverLink, StatusEvent

from .conftest import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(dispatched):
    with time_machine.travel(at(24, 10, 0), tick=False):
        return dispatched(at(24, 10, 0))


def test_dispatch_issues_a_short_unguessable_expiring_link(order, dispatched):
    link = DriverLink.objects.get(order=order)
    assert len(link.token) == 16 and link.expires_at == at(24, 10, 0) + timedelta(days=7)
    with time_machine.travel(at(24, 10, 5), tick=False):
        other = dispatched(at(24, 10, 5))
    assert DriverLink.objects.get(order=other).token != link.token
    assert link.driver.name == order.pickup_region.driver.name


def test_the_driver_reports_pickup_then_delivery_without_a_password(client, order):
    link = DriverLink.objects.get(order=order)
    url = reverse("tracking:driver", args=[link.token])
    with time_machine.travel(at(24, 10, 30), tick=False):
        assert client.post(url, {"serial": order.serial, "type": "picked_up"}).status_code == 302
    with time_machine.travel(at(24, 15, 0), tick=False):
        page = client.get(url)
        assert page.context["next"] == "delivered"
        client.post(url, {"serial": order.serial, "type": "delivered"})
    assert Order.objects.get(pk=order.pk).status == "delivered"
    assert list(StatusEvent.objects.filter(order=order).values_list("source", "by_label")) == [
        ("driver_link", link.driver.name), ("driver_link", link.driver.name)]


def test_an_expired_link_is_refused_and_logged(client, order, caplog):
    link = DriverLink.objects.get(order=order)
    with time_machine.travel(link.expires_at + timedelta(seconds=1), tick=False):
        response = client.post(reverse("tracking:driver", args=[link.token]),
                               {"serial": order.serial, "type": "picked_up"})
    assert response.status_code == 404 and "expired" in caplog.text
    assert Order.objects.get(pk=order.pk).status == "dispatched"
    assert client.get(reverse("tracking:driver", args=["nonsense-token"])).status_code == 404


def test_a_link_used_for_another_order_is_refused_and_logged(client, order, dispatched, caplog):
    with time_machine.travel(at(24, 10, 5), tick=False):
        other = dispatched(at(24, 10, 5))
    link = DriverLink.objects.get(order=order)
    with time_machine.travel(at(24, 10, 30), tick=False):
        response = client.post(reverse("tracking:driver", args=[link.token]),
                               {"serial": other.serial, "type": "picked_up"})
    assert response.status_code == 200 and response.context["error"]
    assert "another order" in caplog.text
    assert Order.objects.get(pk=other.pk).status == Order.objects.get(pk=order.pk).status == "dispatched"
