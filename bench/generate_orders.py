"""Bulk-generate orders (and complaint/suggestion tickets) for benchmarks:

    python bench/generate_orders.py --orders 1000000 --awaiting-review 5000 --open 50000 --tickets 300000

Writes to DATABASE_URL (default var/bench.sqlite3), migrating it first. Shape (the order-list, review,
tracking and report benchmarks rely on it): orders spread over the last 730 days, the first
``--awaiting-review`` submitted in the last 10 hours, the next ``--open`` confirmed/dispatched/picked up/in
transit in the last 5 days, the rest delivered (8/9) or void (1/9); one "taken" timeline event per order;
5,000 customers; ``--tickets`` complaints and suggestions spread evenly over the orders (number ``RB<order
id>``, the pickup region's driver, closed or dismissed), the 300,000 tickets of issue 7. Serial counters are
moved past the generated serials so orders taken afterwards never collide.

Fast path: rows are built as plain tuples with explicit ids (every column of the model, defaults computed
once) and written with ``executemany`` in batches of 50,000 inside one transaction each; on SQLite with
``synchronous=OFF`` and ``journal_mode=OFF`` while generating (WAL again at the end), the order table's
secondary indexes and the reports' summary triggers dropped during the load, then the indexes rebuilt once, the
triggers installed and the summaries summed (``reports.rollup_rebuild.rebuild_all``). A crash while generating leaves a broken
file: delete it and start again.
"""

import argparse
import random
import time
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from _setup import setup

setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.db.models import Max  # noqa: E402
from django.utils import timezone  # noqa: E402

from freightdesk.core.models import SerialCounter  # noqa: E402
from freightdesk.customers.models import Customer, CustomerPhone  # noqa: E402
from freightdesk.demo.data import load_demo  # noqa: E402
from freightdesk.network.models import Driver, Region  # noqa: E402
from freightdesk.orders.models import Order, OrderEvent  # noqa: E402
from freightdesk.reports.rollup_rebuild import rebuild_all  # noqa: E402
from freightdesk.reports.rollups import drop_triggers, install_triggers  # noqa: E402
from freightdesk.tickets.models import Ticket  # noqa: E402

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GOODS = ["配件", "家具", "服装", "五金", "建材", "电器", "日用品", "纸箱", "布料", "机械零件"]
CLOSED = ["delivered"] * 8 + ["void"]
OPEN = ["confirmed", "dispatched", "picked_up", "in_transit"]
CHANNELS = ["phone", "phone", "web", "chat"]
SUBCATEGORIES = ["transit_time", "fees", "attitude", "other"]
BATCH = 50_000
SQLITE = connection.vendor == "sqlite"


def db_time(value: datetime):
    """An aware UTC datetime as the driver stores it (Django writes naive UTC text on SQLite)."""
    return str(value.replace(tzinfo=None)) if SQLITE else value


def db_decimal(value: Decimal):
    return str(value) if SQLITE else value


class Table:
    """Every concrete column of a model, with the defaults computed once; ``row(**values)`` -> tuple."""

    def __init__(self, model):
        self.model = model
        self.fields = model._meta.concrete_fields
        self.columns = [f.column for f in self.fields]
        self.template = []
        for f in self.fields:  # "" for a blank text column, the declared default, else NULL
            self.template.append(None if f.primary_key else f.get_db_prep_save(f.get_default(), connection))
        self.index = {f.attname: i for i, f in enumerate(self.fields)}
        placeholders = ", ".join(["%s"] * len(self.columns))
        quoted = ", ".join(connection.ops.quote_name(c) for c in self.columns)
        self.sql = f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({quoted}) VALUES ({placeholders})"

    def prep(self, attname, value):
        """A constant value as the driver takes it (e.g. JSON)."""
        return self.fields[self.index[attname]].get_db_prep_save(value, connection)

    def positions(self, *names):
        return [self.index[n] for n in names]

    def write(self, rows):
        with connection.cursor() as cursor:
            cursor.executemany(self.sql, rows)


def make_customers(n: int) -> list[tuple[int, str, str]]:
    existing = list(Customer.objects.filter(name__endswith="先生").order_by("id")[:n])
    if len(existing) < n:
        existing = Customer.objects.bulk_create(
            [Customer(name=f"{SURNAMES[i % len(SURNAMES)]}先生") for i in range(n)], batch_size=2000
        )
        # A number belongs to one customer: numbered by id, and a number someone already has stays his.
        CustomerPhone.objects.bulk_create(
            [CustomerPhone(customer=c, number=f"+86139{c.pk:08d}") for c in existing],
            batch_size=2000,
            ignore_conflicts=True,
        )
    phones = dict(CustomerPhone.objects.filter(customer__in=existing).values_list("customer_id", "number"))
    return [(c.pk, c.name, phones.get(c.pk, "+8613800000000")) for c in existing]


def region_drivers() -> list[tuple[int, str, int]]:
    """(id, name, driver id) of every region; a region without a driver gets one (tickets name the driver)."""
    for region in Region.objects.filter(driver__isnull=True):
        region.driver = Driver.objects.create(name=f"{region.name}司机", phone="+8613900000000")
        region.save(update_fields=["driver"])
    return list(Region.objects.order_by("id").values_list("id", "name", "driver_id"))


def sqlite_fast(on: bool) -> None:
    if not SQLITE:
        return
    with connection.cursor() as cursor:
        if on:
            cursor.execute("PRAGMA journal_mode=OFF")
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-1000000")  # 1 GB page cache while loading
        else:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")


def drop_secondary_indexes(table: str) -> list[str]:
    """SQLite: drop the table's explicit indexes (unique ones stay: they guard the data), return their SQL."""
    if not SQLITE:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s "
            "AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%%'",
            [table],
        )
        found = cursor.fetchall()
        for name, _sql in found:
            cursor.execute(f'DROP INDEX "{name}"')
    return [sql for _name, sql in found]


def recreate_indexes(statements: list[str]) -> None:
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def generate(total: int, awaiting_review: int, open_orders: int, tickets: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    load_demo()
    regions = region_drivers()
    people = make_customers(5000)
    now = timezone.now().astimezone(UTC)
    tz = timezone.get_current_timezone()
    first_id = (Order.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    first_event = (OrderEvent.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    first_ticket = (Ticket.objects.aggregate(m=Max("id"))["m"] or 0) + 1
    orders_t, events_t, tickets_t = Table(Order), Table(OrderEvent), Table(Ticket)
    (
        o_id,
        o_serial,
        o_channel,
        o_status,
        o_shipper,
        o_shipper_name,
        o_shipper_phone,
        o_pickup_address,
        o_pickup_region,
        o_consignee,
        o_consignee_name,
        o_consignee_phone,
        o_delivery_address,
        o_delivery_region,
        o_goods,
        o_quantity,
        o_weight,
        o_volume,
        o_payment,
        o_freight,
        o_fees,
        o_total,
        o_created,
        o_agent,
        o_review_due,
        o_confirmed,
        o_dispatch_due,
    ) = orders_t.positions(
        "id",
        "serial",
        "channel",
        "status",
        "shipper_id",
        "shipper_name",
        "shipper_phone",
        "pickup_address",
        "pickup_region_id",
        "consignee_id",
        "consignee_name",
        "consignee_phone",
        "delivery_address",
        "delivery_region_id",
        "goods_name",
        "quantity",
        "weight_kg",
        "volume_m3",
        "payment_method",
        "freight",
        "fees_total",
        "total",
        "created_at",
        "agent_id",
        "review_due_at",
        "confirmed_at",
        "dispatch_due_at",
    )
    e_pos = events_t.positions("id", "order_id", "at", "kind", "text", "by_label", "changes")
    t_pos = tickets_t.positions(
        "id",
        "number",
        "channel",
        "category",
        "subcategory",
        "severity",
        "status",
        "order_id",
        "driver_id",
        "created_at",
        "owner_group",
        "due_at",
        "resolved_at",
        "closed_at",
    )
    changes = events_t.prep("changes", {"params": {"agent": "8011"}})
    zero = db_decimal(Decimal("0.00"))
    per_day: dict[str, int] = {}
    started = time.perf_counter()
    made = ticket_count = 0
    sqlite_fast(True)
    drop_triggers()  # the reports' summaries: summed once at the end, not a trigger per generated row
    saved_indexes = drop_secondary_indexes(Order._meta.db_table) + drop_secondary_indexes(OrderEvent._meta.db_table)
    try:
        while made < total:
            size = min(BATCH, total - made)
            order_rows, event_rows, ticket_rows = [], [], []
            for n in range(made, made + size):
                pk = first_id + n
                created = now - timedelta(seconds=rng.randint(60, 730 * 86400))
                if n < awaiting_review:
                    status, created = "submitted", now - timedelta(minutes=rng.randint(0, 600))
                elif n < awaiting_review + open_orders:
                    status, created = rng.choice(OPEN), now - timedelta(minutes=rng.randint(10, 5 * 1440))
                else:
                    status = rng.choice(CLOSED)
                day = created.astimezone(tz).strftime("%y%m%d")
                seq = per_day[day] = per_day.get(day, 0) + 1
                shipper_id, shipper_name, s_phone = people[rng.randrange(len(people))]
                consignee_id, consignee_name, c_phone = people[rng.randrange(len(people))]
                pickup, delivery = regions[rng.randrange(len(regions))], regions[rng.randrange(len(regions))]
                weight = rng.randint(1, 3000)
                freight = db_decimal(Decimal(weight * 120) / 100)
                at = db_time(created)
                row = list(orders_t.template)
                row[o_id], row[o_serial], row[o_channel], row[o_status] = (
                    pk,
                    f"{day}{seq:04d}",
                    rng.choice(CHANNELS),
                    status,
                )
                row[o_shipper], row[o_shipper_name], row[o_shipper_phone] = shipper_id, shipper_name, s_phone
                row[o_pickup_address], row[o_pickup_region] = f"{pickup[1]}{rng.randint(1, 999)}号", pickup[0]
                row[o_consignee], row[o_consignee_name], row[o_consignee_phone] = consignee_id, consignee_name, c_phone
                row[o_delivery_address], row[o_delivery_region] = f"{delivery[1]}{rng.randint(1, 999)}号", delivery[0]
                row[o_goods], row[o_quantity], row[o_weight] = (
                    rng.choice(GOODS),
                    rng.randint(1, 50),
                    db_decimal(Decimal(weight)),
                )
                row[o_volume] = db_decimal(Decimal(rng.randint(1, 300)) / 10)
                row[o_payment], row[o_freight], row[o_fees], row[o_total] = "shipper_pays", freight, zero, freight
                row[o_created], row[o_agent] = at, "8011"
                row[o_review_due] = db_time(created + timedelta(minutes=30)) if status == "submitted" else None
                row[o_confirmed] = None if status in ("submitted", "void") else at
                row[o_dispatch_due] = db_time(created + timedelta(minutes=3)) if status == "confirmed" else None
                order_rows.append(row)
                event = list(events_t.template)
                for i, value in zip(
                    e_pos, (first_event + n, pk, at, "taken", "taken by 8011", "8011", changes), strict=True
                ):
                    event[i] = value
                event_rows.append(event)
                if tickets and (n + 1) * tickets // total > n * tickets // total:  # evenly spread
                    ticket = list(tickets_t.template)
                    status_t = "dismissed" if pk % 9 == 0 else "closed"
                    resolved = db_time(created + timedelta(hours=1 + rng.randrange(40)))
                    for i, value in zip(
                        t_pos,
                        (
                            first_ticket + ticket_count,
                            f"RB{pk}",
                            "phone",
                            "suggestion" if pk % 7 == 0 else "complaint",
                            SUBCATEGORIES[pk % 4],
                            "class1",
                            status_t,
                            pk,
                            pickup[2],
                            db_time(created + timedelta(hours=3)),
                            "agent",
                            db_time(created + timedelta(hours=27)),
                            resolved,
                            resolved,
                        ),
                        strict=True,
                    ):
                        ticket[i] = value
                    ticket_rows.append(ticket)
                    ticket_count += 1
            with transaction.atomic():
                orders_t.write(order_rows)
                events_t.write(event_rows)
                if ticket_rows:
                    tickets_t.write(ticket_rows)
            made += size
            print(
                f"\r{made:,} orders, {ticket_count:,} tickets ({made / (time.perf_counter() - started):,.0f} orders/s)",
                end="",
                flush=True,
            )
        print(f"\nrebuilding {len(saved_indexes)} indexes …", flush=True)
        recreate_indexes(saved_indexes)
        with transaction.atomic():
            for day, count in per_day.items():
                counter, _ = SerialCounter.objects.get_or_create(scope="order", period=day)
                # Generated serials are zero-padded to 4 digits; orders taken later continue past the count.
                SerialCounter.objects.filter(pk=counter.pk).update(value=max(counter.value, count))
        if not SQLITE:
            with connection.cursor() as cursor:  # explicit ids: move the sequences past them
                for model in (Order, OrderEvent, Ticket):
                    table = model._meta.db_table
                    cursor.execute(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                        f"(SELECT coalesce(max(id), 1) FROM {table}))"
                    )
        install_triggers()
        rebuild_all(log=print)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    finally:
        sqlite_fast(False)
    print(f"done in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--awaiting-review", type=int, default=5_000)
    parser.add_argument("--open", type=int, default=50_000)
    parser.add_argument("--tickets", type=int, default=300_000, help="complaints and suggestions (0: none)")
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    generate(args.orders, args.awaiting_review, args.open, args.tickets)
