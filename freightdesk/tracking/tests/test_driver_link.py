"""The driver's link (SPEC §7): no password, one order, expiring; bad use is refused, logged, changes nothing."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from freightdesk.core.errors import DomainError
from freightdesk.dispatch.models import DriverLink
from freightdesk.messaging.models import Message
from freightdesk.orders.models import Order
from freightdesk.tracking import driver_links, status
from freightdesk.tracking.models import StatusEvent

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
        ("driver_link", link.driver.name),
        ("driver_link", link.driver.name),
    ]


def test_an_expired_link_is_refused_and_logged(client, order, caplog):
    link = DriverLink.objects.get(order=order)
    with time_machine.travel(link.expires_at + timedelta(seconds=1), tick=False):
        response = client.post(
            reverse("tracking:driver", args=[link.token]), {"serial": order.serial, "type": "picked_up"}
        )
    assert response.status_code == 404 and "expired" in caplog.text
    assert Order.objects.get(pk=order.pk).status == "dispatched"
    assert client.get(reverse("tracking:driver", args=["nonsense-token"])).status_code == 404


def test_a_link_used_for_another_order_is_refused_and_logged(client, order, dispatched, caplog):
    with time_machine.travel(at(24, 10, 5), tick=False):
        other = dispatched(at(24, 10, 5))
    link = DriverLink.objects.get(order=order)
    with time_machine.travel(at(24, 10, 30), tick=False):
        response = client.post(
            reverse("tracking:driver", args=[link.token]), {"serial": other.serial, "type": "picked_up"}
        )
    assert response.status_code == 200 and response.context["error"]
    assert "another order" in caplog.text
    assert Order.objects.get(pk=other.pk).status == Order.objects.get(pk=order.pk).status == "dispatched"


def test_an_agent_sends_the_link_again_the_same_short_sms_with_the_live_token(agent_client, order):
    link = DriverLink.objects.get(order=order)
    with time_machine.travel(at(24, 11, 0), tick=False):
        response = agent_client.post(reverse("tracking:send_link", args=[order.serial]))
    assert response.status_code == 302
    first, again = Message.objects.filter(order=order, kind="driver_link").order_by("id")
    assert again.text == first.text and link.token in again.text and again.to == first.to
    assert again.idempotency_key != first.idempotency_key  # a deliberate second message, not a retry


def test_an_expired_link_is_replaced_when_it_is_sent_again(order, agent):
    old = DriverLink.objects.get(order=order)
    later = old.expires_at + timedelta(minutes=1)
    with time_machine.travel(later, tick=False):
        message = driver_links.send_driver_link(order=order, agent=agent)
    new = DriverLink.objects.filter(order=order).latest("created_at")
    assert new.token != old.token and new.token in message.text and old.token not in message.text
    with time_machine.travel(later, tick=False):
        assert driver_links.link_for(new.token) is not None and driver_links.link_for(old.token) is None


def test_the_link_is_not_sent_for_an_order_already_delivered(order, agent):
    for event, minute in (("picked_up", 10), ("delivered", 20)):
        with time_machine.travel(at(24, 11, minute), tick=False):
            status.report_event(order=order, type=event, at=at(24, 11, minute), source="agent", by=agent)
    with pytest.raises(DomainError) as refused:
        driver_links.send_driver_link(order=order, agent=agent)
    assert refused.value.code == "no_link_now"
    assert Message.objects.filter(order=order, kind="driver_link").count() == 1  # only the one after dispatch


def test_a_token_of_one_order_cannot_report_on_another_even_through_the_service(order, dispatched, caplog):
    with time_machine.travel(at(24, 10, 5), tick=False):
        other = dispatched(at(24, 10, 5))
    token = DriverLink.objects.get(order=order).token
    with time_machine.travel(at(24, 10, 30), tick=False), pytest.raises(DomainError) as refused:
        driver_links.report_by_link(token=token, serial=other.serial, type="picked_up", address="10.0.0.9")
    assert refused.value.code == "link_other_order" and "10.0.0.9" in caplog.text
    assert not StatusEvent.objects.exists()
    assert Order.objects.get(pk=other.pk).status == "dispatched"
