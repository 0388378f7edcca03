"""The review queue (/orders/review/) over a big database: p95 per kind of request (issue 3: < 100 ms
with 1,000,000 orders of which 5,000 await review).

    python bench/generate_orders.py --orders 1000000 --awaiting-review 5000    # once
    python bench/bench_review_queue.py [--runs 200]

In-process Django test client (full middleware, view, template), agent 8011 / supervisor 8001.
"""

import argparse

from _setup import percentile, setup

setup()

import time  # noqa: E402

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from freightdesk.orders.models import Order  # noqa: E402
from freightdesk.orders.selectors import orders_awaiting_review  # noqa: E402


def measure(client, path, runs, headers=None):
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        response = client.get(path, headers=headers or {})
        samples.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    return percentile(samples, 50), percentile(samples, 95)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    users = get_user_model().objects
    agent, supervisor = Client(), Client()
    agent.force_login(users.get(username="8011"))
    supervisor.force_login(users.get(username="8001"))
    print(f"orders in database: {Order.objects.count():,}; awaiting review: {orders_awaiting_review().count():,}")
    cases = [
        ("queue page (agent)", agent, "/orders/review/", None),
        ("queue poll (htmx partial)", agent, "/orders/review/", {"HX-Request": "true"}),
        ("overdue reviews (supervisor)", supervisor, "/orders/review/overdue/", None),
    ]
    for name, client, path, headers in cases:
        measure(client, path, 5, headers)  # warm
        p50, p95 = measure(client, path, args.runs, headers)
        print(f"{name:<30} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms")


if __name__ == "__main__":
    main()
