"""What one PostgreSQL `POST /api/v1/orders` does between its first row lock and its COMMIT: the statements of a
create in order with their times, and how long the create holds the locks its neighbours queue for.

    createdb -h 127.0.0.1 -U postgres fd_profile_pg
    python bench/profile_pg_create.py --url postgres://postgres@127.0.0.1:5432/fd_profile_pg [--creates 200]
        [--customers 2000] [--show 1]

Migrates the (empty) database, loads the demo master data, then posts the seed's example order as agent 8011 through
Django's full handler, one create at a time in this process (no neighbours: the figures are a create's own). With
--customers N the shipper and consignee are two of N known customers, as bench_intake.py --customers does. Per create,
timed around each statement and the COMMIT (psycopg, the server's time included): the statements, the time from the
customers' row locks (``FOR UPDATE``) to the COMMIT's end, from the day's serial bump and from the order's INSERT
(whose summary triggers take the day's advisory lock and the summary rows) to the COMMIT's end, the COMMIT itself, and
the whole request; medians and p95 over the creates. Then the CPU a create costs: this process's and the server
backend's (/proc: the server runs on this machine). --show prints the statements of that many creates.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from _setup import percentile  # noqa: E402

FIRST_PHONE = 13_700_000_000


class Recorder:
    """``(offset ms, duration ms, sql)`` of each statement and the COMMIT, since ``start``."""

    def __init__(self):
        self.start, self.events = 0.0, []

    def __call__(self, execute, sql, params, many, context):
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.add(began, sql)

    def add(self, began: float, sql: str) -> None:
        self.events.append(((began - self.start) * 1000, (time.perf_counter() - began) * 1000, sql))


def watch_commits(connection, recorder: Recorder) -> None:
    commit = connection._commit

    def timed_commit():
        began = time.perf_counter()
        try:
            return commit()
        finally:
            recorder.add(began, "COMMIT")

    connection._commit = timed_commit


def held_from(events, marker: str) -> float | None:
    """ms from the start of the first statement containing ``marker`` to the end of the COMMIT after it."""
    first = next((e for e in events if marker in e[2]), None)
    commit = next((e for e in events if e[2] == "COMMIT" and first and e[0] >= first[0]), None)
    return commit[0] + commit[1] - first[0] if first and commit else None


def backend_cpu_seconds(connection) -> float:
    """CPU time (user + system) of this connection's server process so far, from /proc (same machine)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def order_body(example: dict, customers: int, rng: random.Random) -> dict:
    if not customers:
        return example
    shipper, consignee = rng.sample(range(customers), 2)
    return {
        **example,
        "shipper": {"name": "王先生", "phone": str(FIRST_PHONE + shipper)},
        "consignee": {"name": "李女士", "phone": str(FIRST_PHONE + consignee)},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--creates", type=int, default=200)
    parser.add_argument("--customers", type=int, default=0)
    parser.add_argument("--show", type=int, default=1)
    args = parser.parse_args()
    os.environ.update(DATABASE_URL=args.url, DEBUG="0", SECURE_SSL_REDIRECT="0", AXES_ENABLED="0")
    os.environ.setdefault("SECRET_KEY", "bench-" + "k" * 40)
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    from _setup import setup

    setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from freightdesk.accounts.models import ApiToken
    from freightdesk.customers.services import Visit, remember_customers
    from freightdesk.demo.data import load_demo
    from freightdesk.demo.examples import EXAMPLE_ORDER_JSON

    call_command("migrate", verbosity=0)
    load_demo()
    for start in range(0, args.customers, 200):
        numbers = range(FIRST_PHONE + start, FIRST_PHONE + min(start + 200, args.customers))
        remember_customers([Visit(name="王先生", phone=f"+86{n}") for n in numbers])
    token = ApiToken.issue(get_user_model().objects.get(username="8011"))[1]
    client, rng = Client(HTTP_AUTHORIZATION=f"Bearer {token}"), random.Random(7)

    def post():
        body = json.dumps(order_body(EXAMPLE_ORDER_JSON, args.customers, rng), ensure_ascii=False)
        response = client.post("/api/v1/orders", body, content_type="application/json")
        assert response.status_code == 201, response.content

    for _ in range(20):  # warm-up: connection, caches, plans
        post()
    recorder = Recorder()
    watch_commits(connection, recorder)
    figures: dict[str, list[float]] = {}
    backend = backend_cpu_seconds(connection)
    cpu, wall = time.process_time(), time.perf_counter()
    with connection.execute_wrapper(recorder):
        for n in range(args.creates):
            recorder.start, recorder.events = time.perf_counter(), []
            post()
            total = (time.perf_counter() - recorder.start) * 1000
            events = recorder.events
            commits = [e for e in events if e[2] == "COMMIT"]
            for name, value in (
                ("statements", float(len(events) - len(commits))),
                ("request, ms", total),
                ("time in statements and COMMIT, ms", sum(e[1] for e in events)),
                ("COMMIT, ms", sum(e[1] for e in commits)),
                ("customers locked (FOR UPDATE) → COMMIT end, ms", held_from(events, "FOR UPDATE")),
                ("day's serial bumped → COMMIT end, ms", held_from(events, 'UPDATE "core_serialcounter"')),
                (
                    "order INSERT (day lock, summary rows) → COMMIT end, ms",
                    held_from(events, 'INSERT INTO "orders_order"'),
                ),
            ):
                if value is not None:
                    figures.setdefault(name, []).append(value)
            if n < args.show:
                for offset, duration, sql in events:
                    print(f"  {offset:7.2f} +{duration:6.2f} ms  {' '.join(sql.split())[:150]}")
                print(f"  request {total:.2f} ms\n")
    per_create = {
        "wall": (time.perf_counter() - wall) / args.creates * 1000,
        "this process's CPU": (time.process_time() - cpu) / args.creates * 1000,
        "the server backend's CPU": (backend_cpu_seconds(connection) - backend) / args.creates * 1000,
    }
    print(f"{args.creates} creates, {'the example order' if not args.customers else f'{args.customers} customers'}")
    print("  per create: " + ", ".join(f"{name} {ms:.2f} ms" for name, ms in per_create.items()))
    for name, values in figures.items():
        print(f"  {name:<58} p50 {statistics.median(values):7.2f}  p95 {percentile(values, 95):7.2f}")


if __name__ == "__main__":
    main()
