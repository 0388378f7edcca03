"""Where the goods are (SPEC §2 实时监控): public tracking and the desk's tracking page show the last known position
the driver's phone sent, with its time, the place he named and a geo: link for the phone's own map app (no map
tiles); the ETA runs from the pickup over the route's transit time once a position is known, else the deadline."""

from datetime import timedelta

import pytest
from django.utils import timezone

from freightdesk.network.models import Driver, RateCard
from freightdesk.tracking.field_reports import Report, checked_position, report_from_driver
from freightdesk.tracking.selectors import public_tracking

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(dispatched):
    return dispatched(timezone.now() - timedelta(hours=1))


@pytest.fixture
def me(user_for):
    return Driver.objects.get(user=user_for("driver"))


def picked_up(order, me, at):
    report = Report(
        kind="picked_up",
        key=f"pickup-{order.pk}-key",
        pieces=order.quantity,
        place="汽配城北门",
        at=at.isoformat(),
        position=checked_position("31.230416", "121.473701", 10),
    )
    return report_from_driver(driver=me, serial=order.serial, report=report)[0]


def test_without_a_position_the_eta_is_the_deadline(order):
    answer = public_tracking(order.serial, "8000")

    assert answer["position"] is None
    assert answer["eta"] == answer["expected_delivery"]


def test_the_customer_sees_the_last_position_its_time_and_place_and_a_map_app_link(order, me):
    at = timezone.now() - timedelta(minutes=20)
    picked_up(order, me, at)

    answer = public_tracking(order.serial, "8000")

    position = answer["position"]
    assert (position["latitude"], position["longitude"], position["place"]) == (31.230416, 121.473701, "汽配城北门")
    assert position["at"] == at
    assert position["map_url"].startswith("geo:31.230416,121.473701?q=")
    hours = RateCard.objects.get(pickup_region=order.pickup_region, delivery_region=order.delivery_region).transit_hours
    assert answer["eta"] == at + timedelta(hours=hours)


def test_the_api_and_the_desks_page_show_the_position(client, order, me, user_for):
    picked_up(order, me, timezone.now() - timedelta(minutes=5))

    body = client.get(f"/api/v1/track/{order.serial}", {"phone_last4": "8000"}).json()
    client.force_login(user_for("agent"))
    page = client.get(f"/tracking/orders/{order.serial}/").content.decode()

    assert body["position"]["place"] == "汽配城北门" and body["position"]["map_url"].startswith("geo:")
    assert 'href="geo:31.230416,121.473701' in page
    assert "汽配城北门" in page


def test_a_delivered_order_shows_no_position_or_eta(order, me):
    picked_up(order, me, timezone.now() - timedelta(minutes=30))
    report_from_driver(
        driver=me,
        serial=order.serial,
        report=Report(kind="delivered", key=f"deliver-{order.pk}-key", receiver="马先生"),
    )

    answer = public_tracking(order.serial, "8000")

    assert answer["position"] is None and answer["eta"] is None
