"""The field's pages over a big database: the driver's list and the fleet manager's queue, and the per-driver reports.

    DATABASE_URL=sqlite:///$PWD/var/bench_field.sqlite3 python bench/generate_orders.py --orders 1000000 --open 50000 \
        --tickets 0 && DATABASE_URL=sqlite:///$PWD/var/bench_field.sqlite3 python manage.py migrate
    DATABASE_URL=sqlite:///$PWD/var/bench_field.sqlite3 python bench/bench_field.py [--runs 50]

Once, the orders the generator made are given what dispatch and the drivers would have written: who picks up
(``Order.driver``: one of DRIVERS_PER_REGION drivers of the pickup region, driver1 among the north's), a Dispatch
row for every dispatched or later order (the demo's east region is dispatched to the fleet manager), the pickup
clock (30 minutes from the order) and a shipment with its pickup (5..45 minutes after the order) and delivery time
for every order past pickup; the reports' summaries are summed once after. Then, n runs each after one warm-up:
the selectors the pages run (``field.selectors.driver_day`` for driver1; ``fleet_regions``, ``fleet_queue``,
``fleet_waiting_count`` and ``drivers_today`` for the fleet manager — the queue and its count beside the way they
read before, every region of his to the end of its waiting orders, interleaved), the pages through Django's test
client, and the per-driver reports for a month and a year. Target: p95 < 50 ms for the driver's list and the
queue; a report month <= 1 s, year <= 3 s.
"""

import argparse
import statistics
import time
from datetime import UTC, datetime, timedelta

from _setup import percentile, setup

setup("bench_field.sqlite3")

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Count, Q  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from freightdesk.dispatch.models import Dispatch  # noqa: E402
from freightdesk.field import selectors  # noqa: E402
from freightdesk.network.models import Driver, Region  # noqa: E402
from freightdesk.orders.models import Order  # noqa: E402
from freightdesk.reports.catalog import REPORTS  # noqa: E402
from freightdesk.reports.params import ReportParams  # noqa: E402
from freightdesk.reports.rollup_rebuild import rebuild_all  # noqa: E402
from freightdesk.reports.rollups import drop_triggers, install_triggers  # noqa: E402
from freightdesk.tracking.models import Shipment  # noqa: E402

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


PAST_PICKUP = ("picked_up", "in_transit", "delivered")
SEED_SQL = [
    # who picks up: one of the pickup region's drivers (slot table of spread_drivers)
    "UPDATE orders_order SET driver_id = (SELECT driver_id FROM slot WHERE slot.region_id = orders_order.pickup_region_id "
    f"AND slot.k = orders_order.id % {DRIVERS_PER_REGION}) WHERE status IN ({', '.join(map(repr, DISPATCHED_OR_LATER))})",
    # the pickup clock of every confirmed order: 30 minutes from the order
    "UPDATE orders_order SET pickup_due_at = datetime(created_at, '+30 minutes') "
    "WHERE status NOT IN ('submitted', 'void') AND pickup_due_at IS NULL",
    "INSERT INTO dispatch_dispatch (order_id, region_id, mode, agent_id, agent_code, dispatched_at, missed, text, "
    "segments) SELECT o.id, o.pickup_region_id, r.dispatch_mode, %s, '8011', o.created_at, FALSE, o.serial, 1 "
    "FROM orders_order o JOIN network_region r ON r.id = o.pickup_region_id "
    f"WHERE o.status IN ({', '.join(map(repr, DISPATCHED_OR_LATER))})",
    # picked up 5..45 minutes after the order (about 3/4 within the clock), delivered 6 hours after the pickup
    "INSERT INTO tracking_shipment (order_id, dispatched_at, pickup_due_at, picked_up_at, delivery_due_at, "
    "delivered_at, exception, waybill) SELECT id, created_at, pickup_due_at, "
    "datetime(created_at, '+' || (5 + abs(random()) % 41) || ' minutes'), NULL, NULL, '', '' FROM orders_order "
    f"WHERE status IN ({', '.join(map(repr, PAST_PICKUP))})",
    "UPDATE tracking_shipment SET delivered_at = datetime(picked_up_at, '+6 hours') "
    "WHERE order_id IN (SELECT id FROM orders_order WHERE status = 'delivered')",
]


def seed() -> None:
    """Who picks up, the dispatch rows, the pickup clocks and the shipments, as the app would have written them
    (once; the reports' summaries summed after, not by a trigger per row)."""
    if Dispatch.objects.exists():
        return
    agent = get_user_model().objects.get(username="8011")
    drop_triggers()
    with transaction.atomic():
        spread_drivers()
        with connection.cursor() as cursor:
            for sql in SEED_SQL:
                started = time.perf_counter()
                cursor.execute(sql, [agent.pk] if "%s" in sql else None)
                print(f"  {sql[:40]}…: {cursor.rowcount:,} rows, {time.perf_counter() - started:.0f} s", flush=True)
    install_triggers()
    started = time.perf_counter()
    rebuild_all()
    print(f"  reports' summaries summed in {time.perf_counter() - started:.0f} s", flush=True)
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


FAR = datetime(9999, 1, 1, tzinfo=UTC)


def before_regions(fleet):
    """How the queue read before: every region he manages, to the end of its waiting orders, read per call."""
    return [(pk, FAR) for pk in Region.objects.filter(fleet_manager=fleet).values_list("pk", flat=True)]


def queue_side_by_side(fleet, runs: int) -> None:
    """The queue and its count, before and now, interleaved in three rounds (each line: all its runs)."""
    for _round in range(3):
        timed(
            "fleet_queue before (selector)", lambda: selectors.fleet_queue(fleet, regions=before_regions(fleet)), runs
        )
        timed("fleet_queue now (selector)", lambda: selectors.fleet_queue(fleet), runs)
        timed(
            "fleet_waiting_count before (selector)",
            lambda: selectors.fleet_waiting_count(fleet, regions=before_regions(fleet)),
            runs,
        )
        timed("fleet_waiting_count now (selector)", lambda: selectors.fleet_waiting_count(fleet), runs)


def before_drivers_today(user, now) -> list[dict]:
    """drivers_today as it read before: the orders on the way through the ORM's bound status list (no partial
    index), today's pickups and deliveries joined to the orders of his drivers."""
    start = selectors.day_start(now)
    drivers = list(selectors.fleet_drivers(user).order_by("-active", "name", "id"))
    ids = [d.pk for d in drivers]
    rows = list(
        Order.objects.filter(driver__in=ids, status__in=selectors.ON_THE_WAY)
        .values("driver")
        .annotate(
            to_pick_up=Count("id", filter=Q(status__in=selectors.TO_PICK_UP)),
            to_deliver=Count("id", filter=Q(status__in=selectors.TO_DELIVER)),
        )
        .order_by()
    )
    for field, name in (("picked_up_at", "picked_up"), ("delivered_at", "delivered")):
        done = Shipment.objects.filter(**{f"{field}__gte": start}, order__driver__in=ids)
        rows += [
            {"driver": row["order__driver"], name: row["n"]}
            for row in done.values("order__driver").annotate(n=Count("id")).order_by()
        ]
    figures: dict = {}
    for row in rows:
        figures.setdefault(row["driver"], {}).update({k: v for k, v in row.items() if k != "driver"})
    empty = {"to_pick_up": 0, "to_deliver": 0, "picked_up": 0, "delivered": 0}
    return [{"driver": d, **{**empty, **figures.get(d.pk, {})}} for d in drivers]


def drivers_side_by_side(fleet, now, runs: int) -> None:
    assert before_drivers_today(fleet, now) == selectors.drivers_today(fleet, now)  # the same figures
    for _round in range(2):
        timed("drivers_today before (selector)", lambda: before_drivers_today(fleet, now), max(3, runs // 5))
        timed("drivers_today now (selector)", lambda: selectors.drivers_today(fleet, now), runs)


def driver_reports(runs: int) -> None:
    """The per-driver reports (pickup on time, complaints) for last month and the last 365 days: best / median."""
    today = timezone.localdate()
    last_month_end = today.replace(day=1) - timedelta(days=1)
    periods = {"month": (last_month_end.replace(day=1), last_month_end), "year": (today - timedelta(days=364), today)}
    for slug in ("pickup-on-time", "complaints"):
        for name, (first, last) in periods.items():
            params = ReportParams(first, last, "driver", None)
            samples = []
            for _ in range(runs):
                started = time.perf_counter()
                rows = REPORTS[slug].rows(params)
                samples.append((time.perf_counter() - started) * 1000)
            print(
                f"report {slug} by driver, {name:<5} best {min(samples):7.1f} ms   median "
                f"{statistics.median(samples):7.1f} ms   ({len(rows)} rows)"
            )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--report-runs", type=int, default=3)
    args = parser.parse_args()
    seed()
    users = get_user_model().objects
    driver = Driver.objects.get(user__username="driver1")
    fleet = users.get(username="fleet")
    print(
        f"orders {Order.objects.count():,}; dispatches {Dispatch.objects.count():,}; "
        f"driver1's orders {Order.objects.filter(driver=driver).count():,}; regions of the fleet manager "
        f"{Region.objects.filter(fleet_manager=fleet).count()}, dispatching to him "
        f"{Region.objects.filter(fleet_manager=fleet, dispatch_mode='fleet_manager').count()}; "
        f"waiting for him {selectors.fleet_waiting_count(fleet, cap=10**9):,} of "
        f"{Order.objects.filter(status='dispatched').count():,} dispatched"
    )
    now = timezone.now()
    day = selectors.driver_day(driver, now)
    queue = selectors.fleet_queue(fleet)
    print(f"driver1: {len(day['pickups'])} to pick up, {len(day['deliveries'])} to deliver; ", end="")
    print(f"fleet queue: {len(queue)} orders shown")
    timed("driver_day (selector)", lambda: selectors.driver_day(driver, now), args.runs)
    timed("fleet_regions (selector)", lambda: selectors.fleet_regions(fleet), args.runs)
    queue_side_by_side(fleet, args.runs)
    drivers_side_by_side(fleet, now, args.runs)
    pages = [("driver1", "/field/driver/", {}), ("fleet", "/field/fleet/", {})]
    pages.append(("fleet", f"/field/fleet/{queue[0].order.serial}/assign/", {"HX-Request": "true"}))
    for username, path, headers in pages:
        client = Client()
        client.force_login(users.get(username=username))
        size = len(client.get(path, headers=headers).content)
        label = f"GET {path.replace(queue[0].order.serial, '<serial>')} ({size // 1024} KiB)"
        timed(label, lambda c=client, p=path, h=headers: c.get(p, headers=h), args.runs)
    driver_reports(args.report_runs)


if __name__ == "__main__":
    main()
