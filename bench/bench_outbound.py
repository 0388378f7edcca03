"""Building a rule-based call list (SPEC §2 外呼) over many orders and customers — target < 2 s:

    python bench/bench_outbound.py --customers 300000 --orders 1000000

Writes its own database (var/bench_outbound.sqlite3 unless DATABASE_URL is set): the demo data, ``--customers``
customers (created over three years, one number each) and ``--orders`` orders spread over the last 730 days, each
from a random customer (void 1 in 9, totals 50–2,000 yuan); every customer's ``last_order_at`` from his orders.
Generated once; a second run with the same sizes reuses it. Then each rule builds its list ``--runs`` times (each
inside a transaction rolled back afterwards, so every run sees the same data): the rule's query, the numbers,
the do-not-call check, up to 10,000 items and their follow-ups. Prints the median and the worst run per rule.
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("DATABASE_URL", f"sqlite:///{ROOT / 'var' / 'bench_outbound.sqlite3'}")
sys.path.insert(0, str(Path(__file__).resolve().parent))

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Max  # noqa: E402
from django.utils import timezone  # noqa: E402
from generate_orders import (  # noqa: E402  (sets Django up on DATABASE_URL)
    Table,
    db_decimal,
    db_time,
    drop_secondary_indexes,
    recreate_indexes,
    sqlite_fast,
)

from freightdesk.customers.models import Customer, CustomerPhone  # noqa: E402
from freightdesk.demo.data import load_demo  # noqa: E402
from freightdesk.network.models import Region  # noqa: E402
from freightdesk.orders.models import Order  # noqa: E402
from freightdesk.outbound.services import build_rule_list  # noqa: E402

BATCH = 50_000
RULES = [
    ("new", {}),
    ("high_value", {"min_orders": 4, "min_amount": "3000"}),
    ("dormant", {}),
]


def generate(customers: int, orders: int, now: datetime, seed: int = 11) -> None:
    rng = random.Random(seed)
    started = time.perf_counter()
    load_demo()
    first = (Customer.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    ids = range(first, first + customers)
    sqlite_fast(True)
    try:
        with transaction.atomic():
            people = Table(Customer)
            c_id, c_name, c_created = people.positions("id", "name", "created_at")
            rows = []
            for n, pk in enumerate(ids):
                row = list(people.template)
                row[c_id], row[c_name] = pk, f"客户{n}"
                row[c_created] = db_time(now - timedelta(days=rng.uniform(0, 1095)))
                rows.append(tuple(row))
            people.write(rows)
            phones = Table(CustomerPhone)
            p_id, p_customer, p_number = phones.positions("id", "customer_id", "number")
            first_phone = (CustomerPhone.objects.aggregate(m=Max("id"))["m"] or 0) + 1
            rows = []
            for n, pk in enumerate(ids):
                row = list(phones.template)
                row[p_id], row[p_customer], row[p_number] = first_phone + n, pk, f"+86137{n:08d}"
                rows.append(tuple(row))
            phones.write(rows)
        print(f"{customers:,} customers in {time.perf_counter() - started:.0f} s", flush=True)
        _orders(orders, list(ids), now, rng)
        with connection.cursor() as cursor:  # each customer's last order, as intake keeps it
            cursor.execute(
                "UPDATE customers_customer SET last_order_at = "
                "(SELECT max(created_at) FROM orders_order WHERE shipper_id = customers_customer.id) "
                "WHERE id >= %s",
                [first],
            )
            cursor.execute("ANALYZE")
    finally:
        sqlite_fast(False)
    print(f"generated in {time.perf_counter() - started:.0f} s", flush=True)


def _orders(total: int, customers: list[int], now: datetime, rng: random.Random) -> None:
    started = time.perf_counter()
    table = Table(Order)
    region = Region.objects.order_by("id").values_list("id", flat=True).first()
    first = (Order.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    fixed = {
        "channel": "phone",
        "shipper_name": "王先生",
        "shipper_phone": "+8613800138000",
        "pickup_address": "汽配城",
        "pickup_region_id": region,
        "consignee_name": "马先生",
        "consignee_phone": "+8613900139000",
        "delivery_address": "火车站",
        "delivery_region_id": region,
        "goods_name": "配件",
        "quantity": 1,
        "weight_kg": db_decimal(Decimal("20")),
        "volume_m3": db_decimal(Decimal("0.2")),
        "payment_method": "shipper_pays",
        "fees_total": db_decimal(Decimal("0")),
        "agent_id": "8011",
    }
    template = list(table.template)
    for name, value in fixed.items():
        template[table.index[name]] = value
    pos = table.positions("id", "serial", "status", "shipper_id", "consignee_id", "freight", "total", "created_at")
    indexes = drop_secondary_indexes("orders_order")
    with transaction.atomic():
        for start in range(0, total, BATCH):
            rows = []
            for n in range(start, min(start + BATCH, total)):
                row = list(template)
                customer = rng.choice(customers)
                amount = db_decimal(Decimal(rng.randrange(50, 2000)))
                values = (
                    first + n,
                    f"OB{n:012d}",
                    "void" if n % 9 == 0 else "delivered",
                    customer,
                    customer,
                    amount,
                    amount,
                    db_time(now - timedelta(seconds=rng.uniform(0, 730 * 86400))),
                )
                for i, value in zip(pos, values, strict=True):
                    row[i] = value
                rows.append(tuple(row))
            table.write(rows)
            print(f"  {min(start + BATCH, total):,} orders", flush=True)
    recreate_indexes(indexes)
    print(f"{total:,} orders in {time.perf_counter() - started:.0f} s", flush=True)


def measure(runs: int, now: datetime) -> None:
    for kind, params in RULES:
        samples, built = [], None
        for _ in range(runs):
            with transaction.atomic():
                started = time.perf_counter()
                built = build_rule_list(kind=kind, params=params, by=None, now=now)
                samples.append(time.perf_counter() - started)
                transaction.set_rollback(True)
        print(
            f"{kind:<11} matched {built.call_list.matched:>7,}  items {built.created + built.skipped:>6,}  "
            f"median {statistics.median(samples):.2f} s  worst {max(samples):.2f} s",
            flush=True,
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=300_000)
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    now = timezone.now().astimezone(UTC).replace(microsecond=0)
    have = (Customer.objects.count(), Order.objects.count())
    if have[0] < args.customers or have[1] < args.orders:
        generate(args.customers, args.orders, now)
    print(f"database: {Customer.objects.count():,} customers, {Order.objects.count():,} orders ({connection.vendor})")
    measure(args.runs, now)
