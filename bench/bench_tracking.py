"""Tracking over a big database (issue 5): the safety sweep, the due-now board, public tracking.

    python bench/generate_orders.py --orders 1000000 --open 50000   # once
    python bench/bench_tracking.py [--runs 200]

Follow-ups are added (once) for every dispatched / picked-up / in-transit order the generator made,
as dispatch would have scheduled them: a pickup check and a delivery check each, due times spread
over the coming days, plus a realistic backlog already due (checks raised and waiting on the board).
Targets: sweep < 200 ms, board p95 < 100 ms, public tracking p95 < 50 ms.
"""

import argparse
import random
import time
from datetime import timedelta

from _setup import percentile, setup

setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.utils import timezone  # noqa: E402

from freightdesk.core.phones import last4  # noqa: E402
from freightdesk.followups import services  # noqa: E402
from freightdesk.followups.models import FollowUp  # noqa: E402
from freightdesk.orders.models import Order  # noqa: E402
from freightdesk.tracking.models import Shipment  # noqa: E402

BACKLOG = 60  # checks already raised and waiting on the board
DUE_PER_SWEEP = 20  # checks falling due between two sweeps a minute apart (a busy desk)


def seed_followups(rng: random.Random, now) -> int:
    if FollowUp.objects.exists():
        return FollowUp.objects.count()
    rows = list(
        Order.objects.filter(status__in=["dispatched", "picked_up", "in_transit"]).values_list(
            "pk", "status", "created_at"
        )
    )
    shipments, followups = [], []
    for pk, status, created in rows:
        dispatched = created + timedelta(minutes=3)
        shipments.append(
            Shipment(
                order_id=pk,
                dispatched_at=dispatched,
                pickup_due_at=dispatched + timedelta(minutes=30),
                delivery_due_at=dispatched + timedelta(hours=24),
            )
        )
        if status == "dispatched":
            followups.append(
                FollowUp(order_id=pk, kind="pickup_check", due_at=now + timedelta(minutes=rng.randint(5, 3 * 1440)))
            )
        followups.append(
            FollowUp(order_id=pk, kind="delivery_check", due_at=now + timedelta(minutes=rng.randint(5, 5 * 1440)))
        )
    with transaction.atomic():
        Shipment.objects.bulk_create(shipments, batch_size=5000)
        FollowUp.objects.bulk_create(followups, batch_size=5000)
        backlog = FollowUp.objects.filter(kind="delivery_check").order_by("?").values_list("pk", flat=True)[:BACKLOG]
        FollowUp.objects.filter(pk__in=list(backlog)).update(state="raised", due_at=now - timedelta(hours=2))
    return len(followups)


def timed(fn, runs):
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return percentile(samples, 50), percentile(samples, 95)


def bench_sweep(rng, runs):
    """Empty sweep (only the look-up), and a sweep that runs DUE_PER_SWEEP checks (each a claim + timeline row)."""
    idle = timed(services.sweep, runs)
    samples = []
    scheduled = list(FollowUp.objects.filter(state="scheduled").values_list("pk", flat=True)[:20000])
    for _ in range(max(runs // 4, 10)):
        batch = rng.sample(scheduled, DUE_PER_SWEEP)
        FollowUp.objects.filter(pk__in=batch).update(due_at=timezone.now() - timedelta(minutes=1))
        started = time.perf_counter()
        ran = services.sweep()
        samples.append((time.perf_counter() - started) * 1000)
        assert ran == DUE_PER_SWEEP, ran
        FollowUp.objects.filter(pk__in=batch).update(
            state="scheduled", checked_at=None, closed_at=None, outcome="", due_at=timezone.now() + timedelta(days=2)
        )
    return idle, (percentile(samples, 50), percentile(samples, 95))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    rng = random.Random(5)
    started = time.perf_counter()
    made = seed_followups(rng, timezone.now())
    print(
        f"orders {Order.objects.count():,}; open {Order.objects.exclude(status__in=['delivered', 'void']).count():,}; "
        f"follow-ups {made:,} (seeded in {time.perf_counter() - started:.1f} s)"
    )

    idle, busy = bench_sweep(rng, args.runs)
    print(f"sweep, nothing due            p50 {idle[0]:7.1f} ms   p95 {idle[1]:7.1f} ms")
    print(f"sweep, {DUE_PER_SWEEP} checks due          p50 {busy[0]:7.1f} ms   p95 {busy[1]:7.1f} ms")

    client = Client()
    client.force_login(get_user_model().objects.get(username="8011"))
    for name, headers in [("board page", {}), ("board htmx poll", {"HX-Request": "true"})]:

        def get(headers=headers):
            response = client.get("/tracking/", headers=headers)
            assert response.status_code == 200

        timed(get, 5)
        p50, p95 = timed(get, args.runs)
        print(f"{name:<29} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms")

    sample = list(
        Order.objects.filter(status__in=["picked_up", "in_transit", "delivered"])
        .order_by("?")
        .values_list("serial", "consignee_phone")[:100]
    )
    public = Client()
    counter = iter(range(10**9))

    def track():
        serial, phone = sample[next(counter) % len(sample)]
        n = next(counter)
        response = public.get(
            "/tracking/track/",
            {"serial": serial, "phone_last4": last4(phone)},
            REMOTE_ADDR=f"10.{n % 250}.{n // 250 % 250}.1",
        )
        assert response.status_code == 200, response.status_code

    def track_json():
        serial, phone = sample[next(counter) % len(sample)]
        from freightdesk.tracking.selectors import public_tracking

        assert public_tracking(serial, last4(phone)) is not None

    cache.clear()
    for name, fn in [("public tracking page", track), ("public tracking function", track_json)]:
        timed(fn, 5)
        p50, p95 = timed(fn, args.runs)
        print(f"{name:<29} p50 {p50:7.1f} ms   p95 {p95:7.1f} ms")


if __name__ == "__main__":
    main()
