"""Writes on customers: remember who called and where they ship from."""

import zlib
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from freightdesk.core.locks import lock_in_id_order
from freightdesk.network.models import Region

from .models import Address, Contact, Customer, CustomerPhone

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


@dataclass(frozen=True)
class Visit:
    """One customer's part in an order: who (name and E.164 number) and the address he gave."""

    name: str
    phone: str
    address: str = ""
    region: Region | None = None


def find_customer(*, phone: str) -> Customer | None:
    """The customer who has this (E.164) number (one per number); a read, no lock needed."""
    return Customer.objects.filter(phones__number=phone).first()


def find_customers(visits: list[Visit]) -> list[Customer | None]:
    """`find_customer` for each visit, in one query (an order looks up its shipper and consignee together)."""
    by_number = {
        customer.number: customer
        for customer in Customer.objects.filter(phones__number__in={v.phone for v in visits}).annotate(
            number=F("phones__number")
        )
    }
    return [by_number.get(v.phone) for v in visits]


def remember_customer(
    *, name: str, phone: str, address: str = "", region: Region | None = None, now=None, found=UNKNOWN
) -> Customer:
    """The customer of this (E.164) number, created when new; the name joins his contacts, the address his book."""
    visit = Visit(name=name, phone=phone, address=address, region=region)
    return remember_customers([visit], now=now, found=None if found is UNKNOWN else [found])[0]


def remember_customers(visits: list[Visit], *, now=None, found: list | None = None) -> list[Customer]:
    """The customer of each visit's number, created when new, stamped with this order time; the names given
    join his contacts (联系人: "王先生" and "李小姐" on one number are one customer), the addresses his book.

    Every order remembers two (shipper and consignee). A caller that looked them up before its
    write transaction (`find_customers`) passes them as `found`: known customers then cost three
    writes in all (stamp the last order time, upsert the contacts, upsert the addresses: INSERT …
    ON CONFLICT DO UPDATE), and the write lock is held for nothing else. A new one is looked up again
    under the lock, so two first orders of the same new number at once still make one customer."""
    now = now or timezone.now()
    customers: list = list(found) if found is not None else [None] * len(visits)
    with transaction.atomic(savepoint=False):  # inside the order's transaction: no savepoint needed
        known = {c.pk for c in customers if c is not None}
        # two orders of the same shipper and consignee stamp the same customers: locked in id order first
        lock_in_id_order(Customer, known)
        if known and Customer.objects.filter(pk__in=known).update(last_order_at=now) != len(known):
            still_there = set(Customer.objects.filter(pk__in=known).values_list("pk", flat=True))
            customers = [c if c is not None and c.pk in still_there else None for c in customers]
        for index, visit in enumerate(visits):
            if customers[index] is None:
                customers[index] = _find_or_create(visit, now)
        for customer in customers:
            customer.last_order_at = now
        note_contacts([(customer, visit.name) for customer, visit in zip(customers, visits, strict=True)], at=now)
        addresses = {
            (customer.pk, visit.address): Address(
                customer=customer, text=visit.address, region=visit.region, last_used_at=now
            )
            for customer, visit in zip(customers, visits, strict=True)
            if visit.address
        }
        if addresses:
            Address.objects.bulk_create(
                [addresses[key] for key in sorted(addresses)],  # rows locked in one order, as the customers
                update_conflicts=True,
                unique_fields=["customer", "text"],
                update_fields=["region", "last_used_at"],
            )
    return customers


def note_contacts(pairs: list[tuple[Customer, str]], *, at) -> None:
    """Record each (customer, name) as a contact used at `at`: one upsert for all of them."""
    contacts = {
        (customer.pk, name): Contact(customer=customer, name=name, last_used_at=at) for customer, name in pairs if name
    }
    if contacts:
        Contact.objects.bulk_create(
            [contacts[key] for key in sorted(contacts)],  # rows locked in one order by every writer
            update_conflicts=True,
            unique_fields=["customer", "name"],
            update_fields=["last_used_at"],
        )


def _find_or_create(visit: Visit, now) -> Customer:
    _serialise_new_customers()
    customer = find_customer(phone=visit.phone)
    if customer is None:
        customer = Customer.objects.create(name=visit.name, created_at=now, last_order_at=now)
        CustomerPhone.objects.create(customer=customer, number=visit.phone)
    else:
        Customer.objects.filter(pk=customer.pk).update(last_order_at=now)
    return customer
