"""Weekly analysis of frequent problems (SPEC §10): over a year of 300,000 tickets the analysis of a week (five
weeks counted: the week, the previous one, the 4-week average) under 1 s on SQLite.

    python bench/bench_weekly.py --prepare      # once: own database var/bench_weekly.sqlite3
    python bench/bench_weekly.py [--runs 5]

``--prepare`` migrates the database, writes 100,000 orders over two years (bench/generate_orders.py, no
tickets), then 300,000 tickets spread over the last 365 days (every category and sub-category of the SLA
table, about 30 % logistics queries; 80 % about one of the year's orders, a third of the complaints naming
the region's driver; half the descriptions drawn from 300 frequent questions, skewed) and 100,000 queries on
the year's orders (half with a frequent question), with plain ``executemany`` like generate_orders.

Each run times ``weekly_analysis`` of the last finished week, the XLSX of it, and the page as a supervisor.
"""

import argparse
import random
import statistics
import time
from datetime import UTC, timedelta

from _setup import setup

setup("bench_weekly.sqlite3")

import generate_orders  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Max  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402
from generate_orders import SQLITE, Table, db_time, sqlite_fast  # noqa: E402

from freightdesk.orders.models import Order  # noqa: E402
from freightdesk.reports.weekly import weekly_analysis  # noqa: E402
from freightdesk.reports.weekly_files import due_week, weekly_xlsx  # noqa: E402
from freightdesk.tickets.models import SlaPolicy, Ticket  # noqa: E402
from freightdesk.tracking.models import Query, QueryType  # noqa: E402

TICKETS, QUERIES, ORDERS = 300_000, 100_000, 100_000
BATCH = 50_000
CATEGORY_WEIGHTS = {"inquiry": 55, "complaint": 30, "suggestion": 10, "emergency": 5}
QUESTIONS = [
    f"{w}{n}" for n, w in enumerate(["货到哪了", "运费怎么算", "什么时候提货", "能否改地址", "怎么开发票"] * 60)
]


def _types(rng):
    subs = {}
    for category, sub in SlaPolicy.objects.values_list("category", "subcategory"):
        subs.setdefault(category, []).append(sub)

    def pick():
        category = rng.choices(list(CATEGORY_WEIGHTS), weights=list(CATEGORY_WEIGHTS.values()))[0]
        if category == "inquiry" and "logistics_query" in subs[category] and rng.random() < 0.55:
            return category, "logistics_query"  # about 30 % of all tickets: 物流查询占比30%
        return category, rng.choice(subs[category])

    return pick


def _question(rng, n: int) -> str:
    if rng.random() < 0.5:
        return QUESTIONS[min(int(rng.paretovariate(1.2)) - 1, len(QUESTIONS) - 1)]
    return f"客户来电询问第{n}单的情况"


def write_tickets(rng, now, orders: list[tuple[int, int]]) -> None:
    table, pick = Table(Ticket), _types(rng)
    pos = table.positions(
        "id", "number", "channel", "category", "subcategory", "status", "order_id", "driver_id", "created_at"
    )
    extra = table.positions("owner_group", "description")
    first = (Ticket.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    for start in range(0, TICKETS, BATCH):
        rows = []
        for n in range(start, min(start + BATCH, TICKETS)):
            category, sub = pick()
            order = rng.choice(orders) if rng.random() < 0.8 else (None, None)
            driver = order[1] if category == "complaint" and rng.random() < 0.34 else None
            at = now - timedelta(seconds=rng.randrange(365 * 86400))
            row = list(table.template)
            values = (first + n, f"WK{first + n}", "phone", category, sub, "closed", order[0], driver, db_time(at))
            for i, value in zip(pos, values, strict=True):
                row[i] = value
            row[extra[0]], row[extra[1]] = "agent", _question(rng, n)
            rows.append(row)
        with transaction.atomic():
            table.write(rows)
        print(f"\r{start + len(rows):,} tickets", end="", flush=True)
    print()


def write_queries(rng, now, orders: list[tuple[int, int]], by_id: int) -> None:
    table = Table(Query)
    pos = table.positions("id", "order_id", "type", "channel", "question", "answer", "at", "by_id")
    first = (Query.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    types = QueryType.values
    rows = []
    for n in range(QUERIES):
        at = now - timedelta(seconds=rng.randrange(365 * 86400))
        row = list(table.template)
        values = (
            first + n,
            rng.choice(orders)[0],
            rng.choice(types),
            "phone",
            _question(rng, n),
            "已告知",
            db_time(at),
            by_id,
        )
        for i, value in zip(pos, values, strict=True):
            row[i] = value
        rows.append(row)
    with transaction.atomic():
        table.write(rows)
    print(f"{QUERIES:,} queries")


def prepare() -> None:
    call_command("migrate", verbosity=0)
    if not Order.objects.exists():
        generate_orders.generate(ORDERS, 0, 0, 0)
    rng = random.Random(17)
    now = timezone.now().astimezone(UTC)
    year_ago = now - timedelta(days=365)
    orders = list(Order.objects.filter(created_at__gte=year_ago).values_list("id", "pickup_region__driver_id"))
    agent = get_user_model().objects.get(username="8011")
    started = time.perf_counter()
    sqlite_fast(True)
    try:
        write_tickets(rng, now, orders)
        write_queries(rng, now, orders, agent.pk)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    finally:
        sqlite_fast(False)
    print(f"prepared in {time.perf_counter() - started:.0f} s")


def timed(fn, runs: int) -> tuple[float, float]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples), max(samples)


def main(runs: int) -> None:
    monday = due_week(timezone.now())
    year = Ticket.objects.filter(created_at__gte=timezone.now() - timedelta(days=365)).count()
    analysis = weekly_analysis(monday=monday)
    print(f"database: {connection.vendor}; tickets in the last year: {year:,}; queries: {Query.objects.count():,}")
    print(f"week of {monday}: {analysis.totals['count']:,} requests, {len(analysis.types)} type rows")
    top = next((r for r in analysis.types if r["subcategory"] == "logistics_query"), None)
    if top:
        print(f"  logistics queries: {top['count']:,}, share {top['share']:.1%}")
    client = Client()
    client.force_login(get_user_model().objects.get(username="8001"))
    for name, fn in (
        ("weekly_analysis", lambda: weekly_analysis(monday=monday)),
        ("XLSX", lambda: weekly_xlsx(monday)),
        ("page", lambda: client.get("/reports/weekly/", {"week": monday.isoformat()})),
    ):
        median, worst = timed(fn, runs)
        print(f"{name:16s} median {median * 1000:7.1f} ms   worst {worst * 1000:7.1f} ms   ({runs} runs)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prepare", action="store_true")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    if args.prepare:
        prepare()
    if not SQLITE:
        print("note: the target is stated for SQLite")
    main(args.runs)
