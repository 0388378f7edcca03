"""Bulk-generate orders for benchmarks: `python bench/generate_orders.py --orders 1000000 --awaiting-review 5000 --open 50000`.

Writes to DATABASE_URL (default var/bench.sqlite3), migrating it first. Rows go in with
bulk_create in batches inside transactions; serial counters are moved past the generated
serials so orders taken afterwards never collide. Spread over the last 730 days.
"""

import argparse
import random
import time
from datetime import timedelta
from decimal import Decimal

from _setup import setup

setup()

from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from freightdesk.core.models import SerialCounter  # noqa: E402
from freightdesk.customers.models import Customer, CustomerPhone  # noqa: E402
from freightdesk.demo.data import load_demo  # noqa: E402
from freightdesk.network.models import Region  # noqa: E402
from freightdesk.orders.models import Order, OrderEvent  # noqa: E402

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GOODS = ["配件", "家具", "服装", "五金", "建材", "电器", "日用品", "纸箱", "布料", "机械零件"]
CLOSED = ["delivered"] * 8 + ["void"]
OPEN = ["confirmed", "dispatched", "picked_up", "in_transit"]


def make_customers(n: int) -> list[tuple[Customer, str]]:
    existing = list(Customer.objects.filter(name__endswith="先生").order_by("id")[:n])
    if len(existing) >= n:
        phones = dict(CustomerPhone.objects.filter(customer__in=existing).values_list("customer_id", "number"))
        return [(c, phones.get(c.pk, "+8613800000000")) for c in existing]
    customers = Customer.objects.bulk_create(
        [Customer(name=f"{SURNAMES[i % len(SURNAMES)]}先生") for i in range(n)], batch_size=2000
    )
    numbers = [f"+86139{i:08d}" for i in range(n)]
    CustomerPhone.objects.bulk_create(
        [CustomerPhone(customer=c, number=num) for c, num in zip(customers, numbers, strict=True)], batch_size=2000
    )
    return list(zip(customers, numbers, strict=True))


def generate(total: int, awaiting_review: int, open_orders: int, batch: int = 5000, seed: int = 7) -> None:
    rng = random.Random(seed)
    load_demo()
    regions = list(Region.objects.all())
    people = make_customers(5000)
    now = timezone.now()
    per_day: dict[str, int] = {}
    started = time.perf_counter()
    made = 0
    while made < total:
        size = min(batch, total - made)
        orders = []
        for i in range(size):
            n = made + i
            created = now - timedelta(seconds=rng.randint(60, 730 * 86400))
            if n < awaiting_review:
                status, created = "submitted", now - timedelta(minutes=rng.randint(0, 600))
            elif n < awaiting_review + open_orders:
                status, created = rng.choice(OPEN), now - timedelta(minutes=rng.randint(10, 5 * 1440))
            else:
                status = rng.choice(CLOSED)
            local = timezone.localtime(created)
            day = local.strftime("%y%m%d")
            per_day[day] = per_day.get(day, 0) + 1
            shipper, s_phone = people[rng.randrange(len(people))]
            consignee, c_phone = people[rng.randrange(len(people))]
            pickup, delivery = rng.choice(regions), rng.choice(regions)
            weight = Decimal(rng.randint(1, 3000))
            freight = (weight * Decimal("1.20")).quantize(Decimal("0.01"))
            orders.append(Order(
                serial=f"{day}{per_day[day]:04d}", channel=rng.choice(["phone", "phone", "web", "chat"]),
                status=status, shipper=shipper, shipper_name=shipper.name, shipper_phone=s_phone,
                pickup_address=f"{pickup.name}{rng.randint(1, 999)}号", pickup_region=pickup,
                consignee=consignee, consignee_name=consignee.name, consignee_phone=c_phone,
                delivery_address=f"{delivery.name}{rng.randint(1, 999)}号", delivery_region=delivery,
                goods_name=rng.choice(GOODS), quantity=rng.randint(1, 50), weight_kg=weight,
                volume_m3=Decimal(rng.randint(1, 300)) / 10, payment_method="shipper_pays",
                freight=freight, fees_total=Decimal("0.00"), total=freight, created_at=created,
                agent_id="8011", review_due_at=created + timedelta(minutes=30) if status == "submitted" else None,
                confirmed_at=None if status in ("submitted", "void") else created,
                dispatch_due_at=created + timedelta(minutes=3) if status == "confirmed" else None,
            ))
        with transaction.atomic():
            Order.objects.bulk_create(orders, batch_size=1000)
            saved = [(o.pk, o.created_at) for o in orders]  # pks come back (RETURNING) on SQLite and PostgreSQL
            OrderEvent.objects.bulk_create(
                [OrderEvent(order_id=pk, at=at, kind="taken", text="taken by 8011", by_label="8011",
                            changes={"params": {"agent": "8011"}}) for pk, at in saved],
                batch_size=1000,
            )
        made += size
        print(f"\r{made:,} orders ({made / (time.perf_counter() - started):,.0f}/s)", end="", flush=True)
    with transaction.atomic():
        for day, count in per_day.items():
            counter, _ = SerialCounter.objects.get_or_create(scope="order", period=day)
            # Generated serials are zero-padded to 4 digits; orders taken later continue past the count.
            SerialCounter.objects.filter(pk=counter.pk).update(value=max(counter.value, count))
    print(f"\ndone in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--awaiting-review", type=int, default=5_000)
    parser.add_argument("--open", type=int, default=50_000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    generate(args.orders, args.awaiting_review, args.open)
