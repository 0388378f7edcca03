"""Writes on customers: remember who called and where they ship from."""

import zlib

from django.db import connection, transaction
from django.utils import timezone

from freightdesk.network.models import Region

from .models import Address, Customer, CustomerPhone

UNKNOWN = object()  # "not looked up yet", as opposed to None ("looked up: no such customer")


NEW_CUSTOMER_LOCK = zlib.crc32(b"freightdesk.customers.new") - 2**31


def _serialise_new_customers() -> None:
    """Until the transaction ends, make others who are about to create a customer wait, so a
    number's first two orders at once make one customer. SQLite needs nothing (its write
    transactions run one at a time); PostgreSQL takes a transaction-level advisory lock. One
    key for all numbers: an order creating two customers can never deadlock with another."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [NEW_CUSTOMER_LOCK])


def find_customer(*, name: str, phone: str) -> Customer | None:
    """The customer with this name on this (E.164) number, the most recent first; a read, no lock needed."""
    return Customer.objects.filter(phones__number=phone, name=name).order_by("-last_order_at", "-id").first()


def remember_customer(
    *, name: str, phone: str, address: str = "", region: Region | None = None, now=None, found=UNKNOWN
) -> Customer:
    """The customer with this name on this (E.164) number, created when new; the address joins his book.

    Every order calls this twice (shipper and consignee). A caller that looked the customer up
    before its write transaction passes him as `found`: a known customer then costs two writes
    (stamp the last order time, upsert the address: INSERT … ON CONFLICT DO UPDATE), and the
    write lock is held for nothing else. A new one is looked up again under the lock, so two
    first orders of the same new customer at once still make one customer."""
    now = now or timezone.now()
    with transaction.atomic(savepoint=False):  # inside the order's transaction: no savepoint needed
        customer = None if found is UNKNOWN else found
        if customer is not None and not Customer.objects.filter(pk=customer.pk).update(last_order_at=now):
            customer = None  # merged or deleted since it was found
        elif customer is None:
            _serialise_new_customers()
            customer = find_customer(name=name, phone=phone)
            if customer is None:
                customer = Customer.objects.create(name=name, created_at=now, last_order_at=now)
                CustomerPhone.objects.create(customer=customer, number=phone)
            else:
                Customer.objects.filter(pk=customer.pk).update(last_order_at=now)
        if customer is None:
            return remember_customer(name=name, phone=phone, address=address, region=region, now=now)
        customer.last_order_at = now
        if address:
            Address.objects.bulk_create(
                [Address(customer=customer, text=address, region=region, last_used_at=now)],
                update_conflicts=True, unique_fields=["customer", "text"], update_fields=["region", "last_used_at"],
            )
    return customer
