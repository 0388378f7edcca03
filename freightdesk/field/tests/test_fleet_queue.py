"""The fleet manager's queue reads only what was dispatched to him: his regions once, each cut at its latest
dispatch to him, then each region's waiting orders from their partial index — a region that dispatches to its
driver costs nothing, and his page lists no drivers until he opens one order's assign form."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from freightdesk.dispatch.models import Dispatch
from freightdesk.field import selectors
from freightdesk.network.models import Driver, Region

from .test_pages import login, place  # noqa: F401

pytestmark = pytest.mark.django_db


def _plans(read) -> list[str]:
    """SQLite's plan of each statement ``read()`` runs, with its parameters bound as they were."""
    statements = []

    def capture(execute, sql, params, many, context):
        statements.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(capture):
        read()
    plans = []
    for sql, params in statements:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            plans += [row[3] for row in cursor.fetchall()]
    return plans


def test_a_region_dispatching_to_its_driver_is_not_read_at_all(user_for, place):  # noqa: F811
    east = place()
    place("汽配城")  # north: dispatched to its driver (the fleet manager manages the north's drivers too)
    fleet = user_for("fleet_manager")

    regions = selectors.fleet_regions(fleet)
    with CaptureQueriesContext(connection) as queries:
        queue = selectors.fleet_queue(fleet, regions=regions)
        count = selectors.fleet_waiting_count(fleet, regions=regions)

    assert regions == [(east.pickup_region_id, Dispatch.objects.get(order=east).dispatched_at)]
    assert [row.order for row in queue] == [east] and count == 1
    north = Region.objects.get(code="north").pk
    assert Region.objects.filter(fleet_manager=fleet, pk=north).exists()
    orders_read = [q["sql"] for q in queries.captured_queries if '"orders_order"' in q["sql"].split("WHERE")[0]]
    assert len(orders_read) == 2 and all(f'"pickup_region_id" = {north}' not in sql for sql in orders_read)


def test_a_region_switched_back_to_its_driver_keeps_the_orders_dispatched_to_him(client, user_for, place):  # noqa: F811
    before = place()  # east, dispatched to its fleet manager
    Region.objects.filter(code="east").update(dispatch_mode="driver", driver=Driver.objects.get(name="东区司机"))
    after = place()  # east again: now to its driver

    page = login(client, user_for("fleet_manager")).get("/field/fleet/").content.decode()

    assert f'id="order-{before.serial}"' in page and f'id="order-{after.serial}"' not in page


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's EXPLAIN QUERY PLAN")
def test_the_queue_searches_the_fleet_indexes_and_scans_no_table(user_for, place):  # noqa: F811
    place(), place("汽配城")
    fleet = user_for("fleet_manager")

    def read():
        regions = selectors.fleet_regions(fleet)
        selectors.fleet_queue(fleet, regions=regions)
        selectors.fleet_waiting_count(fleet, regions=regions)

    plans = _plans(read)

    assert any("dispatch_fleet_region" in line for line in plans), plans
    assert sum("order_dispatched_region" in line for line in plans) == 2, plans
    for line in plans:
        scanned = re.match(r"SCAN (\S+)", line)
        assert not scanned or scanned[1] in ("network_region", "subquery"), (line, plans)  # never orders or dispatches


def test_the_page_lists_no_driver_and_the_assign_form_loads_for_one_order(client, user_for, place):  # noqa: F811
    order = place()
    login(client, user_for("fleet_manager"))

    page = client.get("/field/fleet/").content.decode()
    plain = client.get(f"/field/fleet/{order.serial}/assign/").content.decode()
    fragment = client.get(f"/field/fleet/{order.serial}/assign/", headers={"HX-Request": "true"}).content.decode()

    assert 'name="driver"' not in page
    assert f'href="/field/fleet/{order.serial}/assign/"' in page  # a link: it works without scripts too
    assert "<html" in plain and 'name="driver"' in plain and 'name="next" value="/field/fleet/"' in plain
    assert "<html" not in fragment and 'name="driver"' in fragment and "刘师傅" in fragment


def test_the_assign_form_of_an_order_not_waiting_for_him_says_so(client, user_for, place):  # noqa: F811
    north = place("汽配城")  # dispatched to its driver, not to him
    login(client, user_for("fleet_manager"))

    plain = client.get(f"/field/fleet/{north.serial}/assign/")
    fragment = client.get(f"/field/fleet/{north.serial}/assign/", headers={"HX-Request": "true"})
    unknown = client.get("/field/fleet/9912310001/assign/")

    assert plain.status_code == 404 and 'id="assign-gone"' in plain.content.decode()
    assert fragment.status_code == 200 and 'id="assign-gone"' in fragment.content.decode()
    assert 'name="driver"' not in fragment.content.decode() and unknown.status_code == 404


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's EXPLAIN QUERY PLAN")
def test_the_drivers_day_is_counted_from_the_open_orders_and_today_s_shipments(user_for, place):  # noqa: F811
    place(), place("汽配城")
    fleet = user_for("fleet_manager")

    plans = _plans(lambda: selectors.drivers_today(fleet, timezone.now()))

    assert any("order_driver_on_the_way" in line for line in plans), plans
    assert any("shipment_picked_up" in line for line in plans) and any("shipment_delivered" in line for line in plans)
    assert not any(re.match(r"SCAN (orders_order|tracking_shipment)\b", line) for line in plans), plans
    assert not any("orders_order_driver_id" in line for line in plans), plans  # never every order of his drivers
