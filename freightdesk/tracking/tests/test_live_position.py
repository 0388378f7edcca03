"""The driver's live position (SPEC §7: the page shares the phone's position while open, with his consent): the
newest is kept, at most every 20 seconds, and shown for the goods he has on board when newer than his last report;
never for goods waiting for pickup or delivered, never another driver's; positions out of range are refused."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from freightdesk.network.models import Driver
from freightdesk.orders.models import Order
from freightdesk.tracking.field_reports import Report, checked_position, report_from_driver
from freightdesk.tracking.models import DriverPosition
from freightdesk.tracking.positions import share_position
from freightdesk.tracking.selectors import order_tracking

pytestmark = pytest.mark.django_db

HARBOUR = checked_position("31.230416", "121.473701", "12")
ON_THE_ROAD = checked_position("31.100000", "121.300000", "30")


@pytest.fixture
def order(dispatched):
    return dispatched(timezone.now() - timezone.timedelta(minutes=10))


@pytest.fixture
def me(user_for):
    return Driver.objects.get(user=user_for("driver"))


def picked_up(order, me, at, position=None):
    report = Report(
        kind="picked_up", key="key-pickup-live", pieces=order.quantity, place="汽配城", at=at, position=position
    )
    report_from_driver(driver=me, serial=order.serial, report=report, now=at)


def test_the_live_position_of_goods_on_board_replaces_an_older_report_s(order, me):
    now = timezone.now()
    picked_up(order, me, now - timedelta(minutes=5))

    assert share_position(driver=me, position=ON_THE_ROAD, now=now)

    position = order_tracking(Order.objects.get(pk=order.pk))["position"]
    assert (position["latitude"], position["longitude"], position["live"], position["place"]) == (
        31.1,
        121.3,
        True,
        "",
    )
    assert position["map_url"] == "geo:31.100000,121.300000?q=31.100000,121.300000"


def test_a_position_older_than_the_last_report_is_not_shown(order, me):
    now = timezone.now()
    share_position(driver=me, position=ON_THE_ROAD, now=now - timedelta(minutes=8))
    picked_up(order, me, now - timedelta(minutes=5), position=HARBOUR)

    position = order_tracking(Order.objects.get(pk=order.pk))["position"]
    assert position["place"] == "汽配城" and not position["live"]


def test_goods_waiting_for_pickup_show_no_live_position(order, me):
    share_position(driver=me, position=ON_THE_ROAD)

    assert order_tracking(Order.objects.get(pk=order.pk))["position"] is None


def test_another_driver_s_live_position_is_never_shown(order, me):
    now = timezone.now()
    picked_up(order, me, now - timedelta(minutes=5))
    other = Driver.objects.exclude(pk=me.pk).first()
    share_position(driver=other, position=ON_THE_ROAD, now=now)

    position = order_tracking(Order.objects.get(pk=order.pk))["position"]
    assert not position or not position["live"]


def test_one_position_is_kept_per_driver_at_most_every_20_seconds(me):
    now = timezone.now()
    assert share_position(driver=me, position=HARBOUR, now=now)
    assert not share_position(driver=me, position=ON_THE_ROAD, now=now + timedelta(seconds=19))
    kept = DriverPosition.objects.get(driver=me)
    assert (str(kept.latitude), kept.at) == ("31.230416", now)

    assert share_position(driver=me, position=ON_THE_ROAD, now=now + timedelta(seconds=20))
    assert DriverPosition.objects.filter(driver=me).count() == 1
    assert str(DriverPosition.objects.get(driver=me).latitude) == "31.100000"


def test_the_driver_s_page_shares_a_position_and_refuses_one_out_of_range(client, user_for, me):
    client.force_login(user_for("driver"))
    url = reverse("field:position")

    refused = client.post(url, {"latitude": "91", "longitude": "121.4"})
    assert refused.status_code == 422 and "latitude" in refused.json()["errors"]
    missing = client.post(url, {"latitude": "31.2"})
    assert missing.status_code == 422 and "longitude" in missing.json()["errors"]
    assert not DriverPosition.objects.exists()

    answer = client.post(url, {"latitude": "31.2304", "longitude": "121.4737", "accuracy": "15"})
    assert answer.status_code == 200 and answer.json() == {"ok": True, "kept": True}
    assert DriverPosition.objects.get().driver == me


@pytest.mark.parametrize("role", ["agent", "fleet_manager", "customer"])
def test_only_a_driver_shares_a_live_position(client, user_for, role):
    client.force_login(user_for(role))
    answer = client.post(reverse("field:position"), {"latitude": "31.2304", "longitude": "121.4737"})
    assert answer.status_code in (403, 404)
    assert not DriverPosition.objects.exists()
    assert client.get(reverse("field:position")).status_code in (403, 404, 405)
