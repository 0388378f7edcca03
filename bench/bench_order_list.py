"""The order list page (/orders/) over a big database: p95 per kind of request.

    python bench/generate_orders.py --orders 1000000    # once
    python bench/bench_order_list.py [--runs 200]

In-process Django test client (full middleware, view, template), logged in as agent 8011.
"""

import argparse
import random
import time

from _setup import percentile, setup

setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from freightdesk.orders.models import Order  # noqa: E402


def measure(client, paths, runs):
    samples = []
    for i in range(runs):
        path = paths[i % len(paths)]
        started = time.perf_counter()
        response = client.get(path)
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return percentile(samples, 50), percentile(samples, 95)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    total = Order.objects.count()
    rng = random.Random(3)
    client = Client()
    client.force_login(get_user_model().objects.get(username="8011"))
    sample = list(Order.objects.order_by("?").values_list("serial", "shipper_phone", "shipper_name")[:50])
    first_page = client.get("/orders/")
    cursor = first_page.context["next_query"] if first_page.context else ""
    cases = {
        "newest first": ["/orders/"],
        "next page (keyset)": [f"/orders/?{cursor}"],
        "status filter": ["/orders/?status=in_transit", "/orders/?status=submitted", "/orders/?status=void"],
        "region + date": ["/orders/?region=north&date_from=2026-01-01&date_to=2026-03-31"],
        "by serial": [f"/orders/?q={s}" for s, _p, _n in sample],
        "by phone": [f"/orders/?q={p[3:]}" for _s, p, _n in sample],
        "by name": [f"/orders/?q={n}" for _s, _p, n in rng.sample(sample, 10)],
    }
    print(f"orders in database: {total:,}")
    for name, paths in cases.items():
        measure(client, paths, 5)  # warm
        p50, p95 = measure(client, paths, args.runs)
        print(f"{name:<22} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms")


if __name__ == "__main__":
    main()
