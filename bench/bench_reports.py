"""Reports (issue 7, Performance): with 1,000,000 orders and 300,000 tickets each report for a month under
1 s and for a year under 3 s on SQLite; the dashboard page at p95 under 500 ms.

    python bench/bench_reports.py [--prepare] [--runs 5] [--pages 20]

Own database var/bench_reports.sqlite3 (unless DATABASE_URL is set): a copy of var/bench.sqlite3 (the
1,000,000 orders and 300,000 complaint/suggestion tickets of bench/generate_orders.py), so other
benchmarks are not disturbed. ``--prepare`` (once) migrates it and adds, in SQL (SQLite): a shipment with
a pickup time for every order past pickup (about 3/4 within 30 minutes), one enquiry per order plus
quote-only/refused ones (1,250,000), the tickets if the bench db predates them, a dispatch row per
dispatched order (a quarter sent after the 3 minutes), the review of every web order (deadline, the
"reviewed" event by 8011/8012, four more timeline lines); then stores every confirmed order's pickup clock through
orders' backfill (working-time arithmetic in Python, the one-off cost reported as "backfill"); who picks up
(``Order.driver``) is the pickup region's driver for every dispatched order.

PostgreSQL: ``python bench/load_postgres.py`` copies the prepared SQLite file into ``fd_bench``, then
``DATABASE_URL=postgres://postgres@127.0.0.1:5432/fd_bench python bench/bench_reports.py``.
"""

import argparse
import os
import shutil
import statistics
import time
from datetime import timedelta

from _setup import ROOT, percentile, setup

DB = ROOT / "var" / "bench_reports.sqlite3"
if "DATABASE_URL" not in os.environ and not DB.exists():
    shutil.copyfile(ROOT / "var" / "bench.sqlite3", DB)
setup("bench_reports.sqlite3")

from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from freightdesk.orders.models import Order  # noqa: E402
from freightdesk.orders.pickup import backfill_pickup_due  # noqa: E402
from freightdesk.reports.catalog import REPORTS  # noqa: E402
from freightdesk.reports.params import ReportParams  # noqa: E402
from freightdesk.reports.rollup_rebuild import rebuild_all  # noqa: E402
from freightdesk.reports.rollups import drop_triggers, install_triggers  # noqa: E402

PREPARE_SQL = [
    "DELETE FROM tracking_shipment",
    # picked up 5..45 minutes after the order: about 3/4 within the deadline (in working hours)
    """INSERT INTO tracking_shipment (order_id, dispatched_at, pickup_due_at, picked_up_at, delivery_due_at,
           delivered_at, exception, waybill)
       SELECT id, created_at, created_at, datetime(created_at, '+' || (5 + abs(random()) % 41) || ' minutes'),
              NULL, NULL, '', ''
       FROM orders_order WHERE status IN ('picked_up', 'in_transit', 'delivered')""",
    "DELETE FROM orders_enquiry",
    """INSERT INTO orders_enquiry (at, channel, outcome, pickup_region_id, delivery_region_id, pickup_address,
           goods_name, phone, reason, order_id, agent_id)
       SELECT created_at, channel, CASE status WHEN 'void' THEN 'voided' ELSE 'shipped' END, pickup_region_id,
              delivery_region_id, '', '', '', '', id, taken_by_id FROM orders_order""",
    """INSERT INTO orders_enquiry (at, channel, outcome, pickup_region_id, delivery_region_id, pickup_address,
           goods_name, phone, reason, order_id, agent_id)
       SELECT datetime(created_at, '+7 minutes'), channel, CASE id % 5 WHEN 0 THEN 'refused' ELSE 'quote_only' END,
              pickup_region_id, NULL, '', '', '', '', NULL, NULL FROM orders_order WHERE id % 4 = 0""",
    # generate_orders.py makes these tickets; an older bench db gets them here
    """INSERT INTO tickets_ticket (number, channel, category, subcategory, severity, status, customer_name,
           customer_phone, order_id, driver_id, description, demand, created_at, owner_group, standard_solution,
           due_at, resolved_at, reopen_count, reply, department, cause, responsible_kind, resolution_kind,
           resolution_note, customer_notified_via, penalty_note, feedback, root_cause, preventive_action)
       SELECT 'RB' || o.id, 'phone', CASE o.id % 7 WHEN 0 THEN 'suggestion' ELSE 'complaint' END,
              CASE o.id % 4 WHEN 0 THEN 'transit_time' WHEN 1 THEN 'fees' WHEN 2 THEN 'attitude' ELSE 'other' END,
              'class1', CASE o.id % 9 WHEN 0 THEN 'dismissed' ELSE 'closed' END, '', '', o.id, r.driver_id, '', '',
              datetime(o.created_at, '+3 hours'), 'agent', '', datetime(o.created_at, '+27 hours'),
              datetime(o.created_at, '+' || (1 + abs(random()) % 40) || ' hours'), 0,
              '', '', '', '', '', '', '', '', '', '', ''
       FROM orders_order o JOIN network_region r ON r.id = o.pickup_region_id
       WHERE o.id % 10 < 3 AND NOT EXISTS (SELECT 1 FROM tickets_ticket WHERE number LIKE 'RB%')""",
    """UPDATE orders_order SET driver_id = (SELECT driver_id FROM network_region r WHERE r.id = pickup_region_id)
       WHERE status NOT IN ('submitted', 'problem', 'confirmed') AND driver_id IS NULL""",
    "DELETE FROM dispatch_dispatch",
    # sent 1..4 minutes after confirmation by agent 8011: a quarter missed the 3 minutes
    """INSERT INTO dispatch_dispatch (order_id, region_id, mode, agent_id, agent_code, confirmed_at, due_at,
           dispatched_at, missed, text, segments)
       SELECT id, pickup_region_id, 'driver', (SELECT id FROM auth_user WHERE username = '8011'), '8011', created_at,
              datetime(created_at, '+3 minutes'), datetime(created_at, '+' || (1 + id % 4) || ' minutes'),
              (1 + id % 4) > 3, '', 1
       FROM orders_order WHERE status NOT IN ('submitted', 'void', 'confirmed')""",
    # Review (核单) of web orders: generate_orders.py gives a review deadline only to the 5,000 awaiting review.
    # Every reviewed web order gets its deadline (30 minutes), the review outcome by 8011 or 8012 5..44 minutes
    # after the order (the review report groups by who recorded it) and four more timeline lines.
    """UPDATE orders_order SET review_due_at = datetime(created_at, '+30 minutes'),
           confirmed_at = CASE status WHEN 'void' THEN NULL
                          ELSE datetime(created_at, '+' || (5 + id % 40) || ' minutes') END
       WHERE channel = 'web' AND status <> 'submitted' AND review_due_at IS NULL""",
    # migrate's backfill ran before the web orders had a confirmation: their pickup clock runs from it
    "UPDATE orders_order SET pickup_due_at = NULL WHERE channel = 'web'",
    """INSERT INTO orders_orderevent (at, kind, by_label, text, changes, by_id, order_id)
       SELECT datetime(o.created_at, '+' || (5 + o.id % 40) || ' minutes'), 'reviewed', '', '', '{}', u.id, o.id
       FROM orders_order o JOIN auth_user u ON u.username = CASE o.id % 2 WHEN 0 THEN '8011' ELSE '8012' END
       WHERE o.channel = 'web' AND o.status <> 'submitted'
         AND NOT EXISTS (SELECT 1 FROM orders_orderevent e WHERE e.kind = 'reviewed' AND e.order_id = o.id)""",
    """INSERT INTO orders_orderevent (at, kind, by_label, text, changes, by_id, order_id)
       SELECT datetime(o.created_at, '+' || m.minutes || ' minutes'), m.kind, '', '', '{}', NULL, o.id
       FROM orders_order o JOIN (SELECT 3 AS minutes, 'review_call' AS kind UNION ALL SELECT 50, 'status'
                                 UNION ALL SELECT 51, 'sms' UNION ALL SELECT 300, 'status') m
       WHERE o.channel = 'web' AND o.status <> 'submitted'
         AND NOT EXISTS (SELECT 1 FROM orders_orderevent e WHERE e.kind = 'review_call' AND e.order_id = o.id)""",
]


def prepare():
    call_command("migrate", verbosity=0)
    from freightdesk.network.models import Driver, Region

    for region in Region.objects.filter(driver__isnull=True):
        region.driver = Driver.objects.create(name=f"{region.name}司机", phone="+8613900000000")
        region.save(update_fields=["driver"])
    drop_triggers()  # the reports' summaries: summed once below, not by a trigger per row of these bulk writes
    with transaction.atomic(), connection.cursor() as cursor:
        for sql in PREPARE_SQL:
            started = time.perf_counter()
            cursor.execute(sql)
            print(
                f"  {sql.split()[0]} {sql.split()[2]}: {cursor.rowcount:,} rows, {time.perf_counter() - started:.1f} s"
            )
    started = time.perf_counter()
    with transaction.atomic():
        written = backfill_pickup_due(Order)
    print(f"  backfill pickup clocks: {written:,} orders in {time.perf_counter() - started:.1f} s")
    started = time.perf_counter()
    install_triggers()
    rebuild_all()
    print(f"  reports' summaries summed in {time.perf_counter() - started:.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def timed(fn, runs):
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return min(samples), statistics.median(samples)


def run_reports(runs: int):
    today = timezone.localdate()
    month_start = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    month = ReportParams(month_start, today.replace(day=1) - timedelta(days=1), "", None)
    year = ReportParams(today - timedelta(days=364), today, "", None)
    print("| report | group by | month: best / median | year: best / median | rows (year) |")
    print("| --- | --- | --- | --- | --- |")
    worst = {"month": 0.0, "year": 0.0}
    for slug, report in REPORTS.items():
        for group in report.groups:
            cells = []
            for name, base in (("month", month), ("year", year)):
                params = ReportParams(base.first_day, base.last_day, group, None)
                best, median = timed(lambda params=params, report=report: report.rows(params), runs)
                worst[name] = max(worst[name], median)
                cells.append(f"{best * 1000:.0f} / {median * 1000:.0f} ms")
            rows = len(report.rows(ReportParams(year.first_day, year.last_day, group, None)))
            print(f"| {slug} | {group} | {cells[0]} | {cells[1]} | {rows} |")
    print(f"\nworst median: month {worst['month'] * 1000:.0f} ms, year {worst['year'] * 1000:.0f} ms")


def run_dashboard(pages: int):
    user, _ = get_user_model().objects.get_or_create(username="bench-manager")
    user.groups.add(Group.objects.get_or_create(name="manager")[0])
    client = Client()
    client.force_login(user)
    today = timezone.localdate()
    query = {"from": (today - timedelta(days=29)).isoformat(), "to": today.isoformat()}
    client.get("/reports/", query)
    samples = []
    for _ in range(pages):
        started = time.perf_counter()
        response = client.get("/reports/", query)
        samples.append(time.perf_counter() - started)
        assert response.status_code == 200, response.status_code
    print(
        f"\ndashboard (30 days, all reports, manager): p50 {percentile(samples, 50) * 1000:.0f} ms, "
        f"p95 {percentile(samples, 95) * 1000:.0f} ms over {pages} pages"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prepare", action="store_true")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pages", type=int, default=20)
    args = parser.parse_args()
    if args.prepare:
        prepare()
    run_reports(args.runs)
    run_dashboard(args.pages)


if __name__ == "__main__":
    main()
