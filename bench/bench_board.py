"""The due-now board (/tracking/), the review queue and the approval inbox with a healthy desk and a swamped one:
p50/p95 per page, and the code before/after side by side in the same run.

    python bench/generate_orders.py --orders 1000000            # once (DATABASE_URL or var/bench.sqlite3)
    git archive <commit> | tar -x -C /tmp/base                  # the code to compare with (optional)
    python bench/bench_board.py --db var/bench.sqlite3 [--overdue 0,10,300,5000] [--runs 100] [--base /tmp/base]
    python bench/bench_board.py --db postgres://postgres@127.0.0.1:5432/fd_gen_1m    # bench/load_postgres.py's copy

For each mix, N reviews and N dispatches are made overdue and every other pending one due in a day (the
generator's data leaves all 5,000 reviews and ~12,500 dispatches overdue: a swamped desk); follow-ups are seeded
as bench_tracking.py does. Then each code tree measures in its own process (in-process test client, full
middleware, view, template): the agent 8011's board, its htmx poll, the supervisor 8001's board, the review
queue. The parent prints one table: before, after and their ratio, and the after p95s as BENCH lines (run_all.py;
on PostgreSQL named ``board.postgresql.…``).
"""

import argparse
import json
import os
import re
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from results import emit, size_label  # noqa: E402

PAGES = [
    ("board, agent 8011", "8011", "/tracking/", {}),
    ("board poll (htmx), agent", "8011", "/tracking/", {"HX-Request": "true"}),
    ("board, supervisor 8001", "8001", "/tracking/", {}),
    ("review queue, agent", "8011", "/orders/review/", {}),
    ("approval inbox, supervisor", "8001", "/desk/approvals/", {}),
]


def database_url(db: str) -> str:
    """--db: a SQLite file's path, or a database URL (postgres://…) as it is."""
    return db if "://" in db else f"sqlite:///{Path(db).resolve()}"


def measure(runs: int) -> dict:
    """In a child process whose sys.path starts at the code tree to measure: p50/p95 of each page."""
    from _setup import percentile
    from django.contrib.auth import get_user_model
    from django.test import Client

    users = get_user_model().objects
    out = {}
    for name, username, path, headers in PAGES:
        client = Client()
        client.force_login(users.get(username=username))
        samples = []
        for i in range(runs + 5):
            started = time.perf_counter()
            response = client.get(path, headers=headers)
            if i >= 5:  # warm-up
                samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (path, response.status_code)
        out[name] = (percentile(samples, 50), percentile(samples, 95))
    return out


def make_mix(overdue: int) -> dict:
    """N overdue reviews and N overdue dispatches, every other pending one due in a day."""
    from django.db import connection, transaction
    from django.utils import timezone

    now = timezone.now()
    later, past = (
        connection.ops.adapt_datetimefield_value(t) for t in (now + timedelta(days=1), now - timedelta(hours=1))
    )
    with transaction.atomic(), connection.cursor() as cursor:
        for column, statuses in (("review_due_at", "'submitted', 'problem'"), ("dispatch_due_at", "'confirmed'")):
            cursor.execute(f"UPDATE orders_order SET {column} = %s WHERE status IN ({statuses})", [later])
            cursor.execute(
                f"UPDATE orders_order SET {column} = %s WHERE id IN "
                f"(SELECT id FROM orders_order WHERE status IN ({statuses}) ORDER BY id LIMIT %s)",
                [past, overdue],
            )
        cursor.execute("SELECT COUNT(*) FROM orders_order WHERE status IN ('submitted', 'problem')")
        pending = cursor.fetchone()[0]
    analyze()
    return {"overdue": overdue, "awaiting review": pending}


def analyze() -> None:
    """PostgreSQL: the statistics of the rows just written, as autovacuum keeps them on a desk. Without it the
    planner takes the follow-ups seeded after the load for one row and filters all 50,000 of them per board."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE orders_order, followups_followup")


def prepare(db: str) -> int:
    os.environ["DATABASE_URL"] = database_url(db)
    sys.path.insert(0, str(HERE))
    from _setup import setup

    setup()
    import random

    from bench_tracking import seed_followups
    from django.core.management import call_command
    from django.utils import timezone

    from freightdesk.orders.models import Order

    call_command("migrate", verbosity=0)
    seed_followups(random.Random(5), timezone.now())
    return Order.objects.count()


def child(args) -> None:
    os.environ["DATABASE_URL"] = database_url(args.db)
    sys.path.insert(0, str(HERE))
    import _setup

    sys.path.insert(0, args.code)
    _setup.setup()
    import freightdesk

    assert str(Path(freightdesk.__file__).resolve()).startswith(str(Path(args.code).resolve())), freightdesk.__file__
    if (Path(args.code) / "freightdesk" / "core" / "startup.py").exists() and not args.no_settle:
        from freightdesk.core.startup import settle

        settle()  # as the web process does after its start (wsgi.py, asgi.py)
    print(json.dumps(measure(args.runs)))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default=str(HERE.parent / "var" / "bench.sqlite3"))
    parser.add_argument("--overdue", default="0,10,300,5000")
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--base", default="", help="a checkout of the code to compare with")
    parser.add_argument("--code", default="", help=argparse.SUPPRESS)
    parser.add_argument("--no-settle", action="store_true", help="measure without the web process's gc.freeze()")
    args = parser.parse_args()
    args.db = args.db if "://" in args.db else str(Path(args.db).resolve())
    if args.code:
        return child(args)
    orders = prepare(args.db)
    trees = ([("before", args.base)] if args.base else []) + [("after", str(HERE.parent))]
    print(f"{orders:,} orders; {', '.join(name + ' = ' + path for name, path in trees)}; runs {args.runs}")
    for overdue in [int(n) for n in args.overdue.split(",")]:
        mix = make_mix(overdue)
        results = {}
        for name, path in trees:
            command = [sys.executable, __file__, "--db", args.db, "--runs", str(args.runs), "--code", path]
            command += ["--no-settle"] if args.no_settle else []
            done = subprocess.run(command, capture_output=True, text=True, cwd=path)
            if done.returncode:
                sys.exit(done.stderr)
            results[name] = json.loads(done.stdout.strip().splitlines()[-1])
        print(f"\n{mix['overdue']:,} overdue reviews and dispatches ({mix['awaiting review']:,} awaiting review)")
        for page, *_rest in PAGES:
            cells = [f"{n} p50 {results[n][page][0]:7.1f} p95 {results[n][page][1]:7.1f}" for n, _p in trees]
            ratio = f"  p95 ratio {results['before'][page][1] / results['after'][page][1]:5.1f}x" if args.base else ""
            print(f"  {page:<26} {' | '.join(cells)}{ratio}")
            slug = re.sub(r"[^a-z0-9]+", "_", page.lower()).strip("_")
            vendor = "postgresql." if args.db.startswith("postgres") else ""
            emit(f"board.{vendor}{slug}.overdue_{overdue}_p95_ms", size_label(orders), results["after"][page][1])


if __name__ == "__main__":
    main()
