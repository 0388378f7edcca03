"""On PostgreSQL two orders naming the same two customers at once (one's shipper the other's consignee, or the
same pair) stamp them, their contacts and addresses without a deadlock: the customers are locked in id order
first. SQLite has one writer at a time: nothing to prove there."""

import threading

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from freightdesk.customers.models import Customer
from freightdesk.customers.services import Visit, find_customers, remember_customers

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks of concurrent transactions")

WANG, MA = Visit(name="王先生", phone="+8613800138000", address="汽配城"), Visit(name="马先生", phone="+8613900139000")


@pytest.mark.django_db
def test_the_customers_of_an_order_are_locked_in_id_order_before_they_are_stamped():
    remember_customers([WANG, MA])
    visits = [MA, WANG]

    with CaptureQueriesContext(connection) as queries:
        remember_customers(visits, found=find_customers(visits))

    statements = [q["sql"] for q in queries]
    lock = next(i for i, sql in enumerate(statements) if "FOR UPDATE" in sql)
    assert "ORDER BY" in statements[lock]
    assert lock < next(i for i, sql in enumerate(statements) if sql.startswith('UPDATE "customers_customer"'))


@pytest.mark.django_db(transaction=True)
def test_orders_of_the_same_two_customers_in_either_order_at_once_all_commit():
    remember_customers([WANG, MA])
    errors, start = [], threading.Barrier(4, timeout=10)

    def place(visits):
        try:
            start.wait()
            for _ in range(25):
                with transaction.atomic():
                    remember_customers(visits, found=find_customers(visits))
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=place, args=(v,)) for v in ([WANG, MA], [MA, WANG]) * 2]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert errors == []
    assert Customer.objects.count() == 2
