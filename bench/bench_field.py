"""The field's pages over a big database: the driver's list and the fleet manager's queue.

    DATABASE_URL=sqlite:///var/bench_field.sqlite3 python bench/generate_orders.py --orders 1000000 --open 50000
    DATABASE_URL=sqlite:///var/bench_field.sqlite3 python bench/bench_field.py [--runs 100]

Once, the orders the generator made are given what dispatch would have written: who picks up (``Order.driver``:
one of DRIVERS_PER_REGION drivers of the pickup region, driver1 among the north's) and a Dispatch row for every
dispatched or later order (the demo's east region is dispatched to the fleet manager). Then the two
selectors the pages run (``field.selectors.driver_day`` for driver1, ``fleet_queue`` for the fleet manager) and
the two pages through Django's test client are timed. Target: p95 < 50 ms.
"""

import argparse
import time

from _setup import percentile, setup

setup("bench_field.sqlite3")

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from freightdesk.dispatch.models import Dispatch  # noqa: E402
from freightdesk.field import selectors  # noqa: E402
from freightdesk.network.models import Driver, Region  # noqa: E402
from freightdesk.orders.models import Order  # noqa: E402

DISPATCHED_OR_LATER = ("dispatched", "picked_up", "in_transit", "delivered")


DRIVERS_PER_REGION = 200  # a region's drivers share its orders; driver1 is one of the north's


def spread_drivers() -> None:
    """DRIVERS_PER_REGION drivers in each region (driver1 among the north's), and a slot table that gives each
    order one of its pickup region's drivers by its id (a driver sees about 1/800 of the orders: two years of
    his own work)."""
    driver1 = Driver.objects.get(user__username="driver1")
    north = Region.objects.get(code="north")
    Driver.objects.filter(pk=driver1.pk).update(home_region=north)
    for region in Region.objects.all():
        have = Driver.objects.filter(home_region=region).count()
        Driver.objects.bulk_create(
            Driver(name=f"{region.name}司机{i}", phone=f"+86137{region.pk:02d}{i:06d}", home_region=region)
            for i in range(have, DRIVERS_PER_REGION)
        )
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE slot (region_id integer, k integer, driver_id integer, PRIMARY KEY (region_id, k))"
        )
        for region in Region.objects.all():
            ids = list(Driver.objects.filter(home_region=region).order_by("-pk").values_list("pk", flat=True))
            if region == north:  # driver1 first
                ids = [driver1.pk] + [i for i in ids if i != driver1.pk]
            cursor.executemany(
                "INSERT INTO slot VALUES (%s, %s, %s)",
                [(region.pk, k, d) for k, d in enumerate(ids[:DRIVERS_PER_REGION])],
            )


def seed() -> None:
    """Who picks up and the dispatch rows, as dispatch would have written them (once)."""
    if Dispatch.objects.exists():
        return
    agent = get_user_model().objects.get(username="8011")
    statuses = ", ".join(f"'{s}'" for s in DISPATCHED_OR_LATER)
    with transaction.atomic():
        spread_drivers()
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE orders_order SET driver_id = (SELECT driver_id FROM slot WHERE "  # noqa: S608
                f"slot.region_id = orders_order.pickup_region_id AND slot.k = orders_order.id % {DRIVERS_PER_REGION}) "
                f"WHERE status IN ({statuses})"
            )
            cursor.execute(
                "INSERT INTO dispatch_dispatch (order_id, region_id, mode, agent_id, agent_code, dispatched_at, "
                "missed, text, segments) SELECT o.id, o.pickup_region_id, r.dispatch_mode, %s, '8011', "  # noqa: S608
                "o.created_at, FALSE, o.serial, 1 FROM orders_order o JOIN network_region r "
                f"ON r.id = o.pickup_region_id WHERE o.status IN ({statuses})",
                [agent.pk],
            )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def timed(label: str, call, runs: int) -> tuple[float, float]:
    call()  # warm
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    p50, p95 = percentile(samples, 50), percentile(samples, 95)
    print(f"{label:<40} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms")
    return p50, p95


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=100)
    args = parser.parse_args()
    seed()
    users = get_user_model().objects
    driver = Driver.objects.get(user__username="driver1")
    fleet = users.get(username="fleet")
    print(
        f"orders {Order.objects.count():,}; dispatches {Dispatch.objects.count():,}; "
        f"driver1's orders {Order.objects.filter(driver=driver).count():,}; fleet regions "
        f"{Region.objects.filter(fleet_manager=fleet, dispatch_mode='fleet_manager').count()}"
    )
    now = timezone.now()
    day = selectors.driver_day(driver, now)
    print(f"driver1: {len(day['pickups'])} to pick up, {len(day['deliveries'])} to deliver; ", end="")
    print(f"fleet queue: {len(selectors.fleet_queue(fleet))} orders")
    timed("driver_day (selector)", lambda: selectors.driver_day(driver, now), args.runs)
    # the page's 50 rows and the count of the rest, beside the 200 rows it built before, interleaved
    for _round in range(2):
        timed("fleet_queue, 200 rows (selector)", lambda: selectors.fleet_queue(fleet, limit=200), args.runs)
        timed("fleet_queue, 50 rows (selector)", lambda: selectors.fleet_queue(fleet), args.runs)
        timed("fleet_waiting_count (selector)", lambda: selectors.fleet_waiting_count(fleet), args.runs)
    for username, path in (("driver1", "/field/driver/"), ("fleet", "/field/fleet/")):
        client = Client()
        client.force_login(users.get(username=username))
        timed(f"GET {path} (page)", lambda c=client, p=path: c.get(p), args.runs)


if __name__ == "__main__":
    main()
