"""The desk's everyday pages over databases of different sizes, side by side: the order list (newest first, a
status, a serial, a phone), an order's page and public tracking — p50/p95 per size and the ratio to the first.

    python bench/generate_orders.py --orders 100000 ...           # once per size, each into its own file
    python bench/bench_pages.py --data 100k:var/gen_100k.sqlite3 --data 10m:var/gen_10m.sqlite3 [--rounds 3]
    python bench/bench_pages.py                                     # var/bench.sqlite3 alone (run_all.py)

Each size is measured in a process of its own (in-process test client, full middleware, view and template, DEBUG
off, settled like a web process), the sizes taking turns round by round so a noisy minute hits them alike; the
table shows the median over the rounds of each round's p50 and p95. Agent 8011 reads the desk's pages; public
tracking is asked by a new address each time (as many customers would, under the per-address limit). The p95s
are printed as BENCH lines (run_all.py).
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from results import emit, size_label  # noqa: E402

CASES = ["list, newest first", "list, a status", "list, by serial", "list, by phone", "order page", "public tracking"]


def _sample(n: int) -> list[tuple]:
    """``n`` orders picked at random by id (an ORDER BY RANDOM() would read every row of a big table)."""
    from django.db.models import Max, Min

    from freightdesk.orders.models import Order

    bounds = Order.objects.aggregate(low=Min("id"), high=Max("id"))
    rng = random.Random(7)
    ids = [rng.randint(bounds["low"], bounds["high"]) for _ in range(n * 2)]
    rows = Order.objects.filter(pk__in=ids).values_list("serial", "shipper_phone", "consignee_phone")
    return list(rows)[:n]


def _paths(sample: list[tuple]) -> dict:
    from freightdesk.core.phones import last4

    tracking = [f"/tracking/track/?serial={s}&phone_last4={last4(c)}" for s, _p, c in sample]
    return {
        "list, newest first": ["/orders/"],
        "list, a status": ["/orders/?status=in_transit", "/orders/?status=submitted", "/orders/?status=delivered"],
        "list, by serial": [f"/orders/?q={s}" for s, _p, _c in sample],
        "list, by phone": [f"/orders/?q={p[3:]}" for _s, p, _c in sample],
        "order page": [f"/orders/{s}/" for s, _p, _c in sample],
        "public tracking": tracking,
    }


def measure(runs: int) -> dict:
    """In the child: p50/p95 of each case over ``runs`` requests after a warm-up."""
    from _setup import percentile
    from django.contrib.auth import get_user_model
    from django.test import Client

    agent, public = Client(), Client()
    agent.force_login(get_user_model().objects.get(username="8011"))
    out, counter = {}, iter(range(10**9))
    for case, paths in _paths(_sample(50)).items():
        client = public if case == "public tracking" else agent
        samples = []
        for i in range(runs + 5):
            n = next(counter)
            started = time.perf_counter()
            response = client.get(paths[i % len(paths)], REMOTE_ADDR=f"10.{n % 250}.{n // 250 % 250}.7")
            if i >= 5:
                samples.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (paths[i % len(paths)], response.status_code)
        out[case] = (percentile(samples, 50), percentile(samples, 95))
    return out


def child(db: str, runs: int) -> None:
    os.environ.update(DATABASE_URL=f"sqlite:///{Path(db).resolve()}", DEBUG="0", SECURE_SSL_REDIRECT="0")
    os.environ.setdefault("SECRET_KEY", "bench-" + "k" * 40)
    from _setup import setup

    setup()
    from django.core.management import call_command

    from freightdesk.core.startup import settle
    from freightdesk.orders.models import Order

    call_command("migrate", verbosity=0)
    call_command("collectstatic", "--noinput", verbosity=0)  # the pages' static names, as a deployment has them
    settle()
    print(json.dumps({"orders": Order.objects.count(), "cases": measure(runs)}))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", action="append", help="LABEL:PATH of a generated SQLite file (var/bench.sqlite3)")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--runs", type=int, default=60)
    parser.add_argument("--child", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.child, args.runs)
    sizes = [item.split(":", 1) for item in args.data or [f"db:{HERE.parent / 'var' / 'bench.sqlite3'}"]]
    rounds = {label: [] for label, _path in sizes}
    orders = {}
    for _round in range(args.rounds):
        for label, path in sizes:
            command = [sys.executable, __file__, "--data", "-", "--child", path, "--runs", str(args.runs)]
            done = subprocess.run(command, capture_output=True, text=True, cwd=HERE.parent)
            if done.returncode:
                sys.exit(done.stderr)
            result = json.loads(done.stdout.strip().splitlines()[-1])
            orders[label] = result["orders"]
            rounds[label].append(result["cases"])
    first, figures = sizes[0][0], []
    print(" | ".join(f"{label} = {orders[label]:,} orders" for label, _p in sizes) + f"; {args.rounds} rounds")
    for case in CASES:
        p95 = {label: statistics.median(r[case][1] for r in rounds[label]) for label, _p in sizes}
        cells = []
        for label, _path in sizes:
            p50 = statistics.median(r[case][0] for r in rounds[label])
            cells.append(f"{label} p50 {p50:6.1f} p95 {p95[label]:6.1f} ({p95[label] / p95[first]:4.2f}×)")
        print(f"  {case:<20} {' | '.join(cells)}")
        figures += [(f"pages.{case.replace(', ', '_').replace(' ', '_')}_p95_ms", label, p95[label]) for label in p95]
    for name, label, value in figures:
        emit(name, size_label(orders[label]), value)


if __name__ == "__main__":
    main()
