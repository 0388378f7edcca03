"""On PostgreSQL the summary triggers of concurrent transactions lock summary rows: two transactions that touch the
same rows in opposite order (an order placed for one driver, then another reassigned to the other, and the other
way round) neither deadlock nor lose a count — every summary write of a day first takes that day's lock, so
writers of one day queue instead of crossing. SQLite has one writer at a time: nothing to prove there."""

import threading
import time

import pytest
from django.db import connection, transaction

from freightdesk.network.models import Driver, Region
from freightdesk.orders.models import Order
from freightdesk.reports.rollup_models import OrderDay
from freightdesk.reports.rollup_rebuild import rebuild_all

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks of concurrent transactions"),
    pytest.mark.django_db(transaction=True),
]

CREATED = "2025-10-09 10:00"


def _summary() -> set[tuple]:
    measures = ("orders", "pickup_orders", "on_time", "late_picked", "waiting")
    rows = OrderDay.objects.values_list("day", "status", "driver_id", *measures)
    return {row for row in rows if any(row[3:])}


def _run_together(*steps_of_each):
    """Each transaction's first step, then (while the others may be inside their own) its second step."""
    errors, started = [], threading.Barrier(len(steps_of_each), timeout=10)

    def run(first, second):
        try:
            with transaction.atomic():
                started.wait()
                first()
                time.sleep(0.3)  # the other transaction takes its first rows meanwhile, or queues for the day
                second()
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=steps) for steps in steps_of_each]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return errors


def test_opposite_reassignments_neither_deadlock_nor_lose_counts(make_order):
    one = Region.objects.get(code="north").driver
    other = Driver.objects.create(name="张师傅", phone="+8613900004444")
    mine = make_order(CREATED, driver=one)
    theirs = make_order(CREATED, driver=other)

    def reassign(order, driver):
        return lambda: Order.objects.filter(pk=order.pk).update(driver=driver)

    errors = _run_together(
        (lambda: make_order(CREATED, driver=one), reassign(theirs, one)),
        (lambda: make_order(CREATED, driver=other), reassign(mine, other)),
    )

    assert errors == []
    assert Order.objects.filter(driver=one).count() == 2 and Order.objects.filter(driver=other).count() == 2
    kept = _summary()
    rebuild_all()
    assert kept == _summary()
    assert {(row[2], row[3]) for row in kept} == {(one.pk, 2), (other.pk, 2)}


def test_concurrent_creates_of_one_summary_row_lose_no_count(make_order):
    def place_five():
        for _ in range(5):
            make_order(CREATED)

    errors = _run_together((place_five, place_five), (place_five, place_five))

    assert errors == []
    (row,) = _summary()
    assert row[3] == 20
