"""Writes on customers: remember who called and where they ship from."""

from django.db import transaction
from django.utils import timezone

from freightdesk.network.models import Region

from .models import Address, Customer, CustomerPhone


def remember_customer(*, name: str, phone: str, address: str = "", region: Region | None = None, now=None) -> Customer:
    """The customer with this name on this (E.164) number, created when new; the address joins his book.

    Every order calls this twice (shipper and consignee), so it is three statements for a known
    customer: find, stamp the last order time, upsert the address (INSERT … ON CONFLICT DO UPDATE)."""
    now = now or timezone.now()
    with transaction.atomic(savepoint=False):  # inside the order's transaction: no savepoint needed
        customer = Customer.objects.filter(phones__number=phone, name=name).order_by("-last_order_at", "-id").first()
        if customer is None:
            customer = Customer.objects.create(name=name, created_at=now, last_order_at=now)
            CustomerPhone.objects.create(customer=customer, number=phone)
        else:
            Customer.objects.filter(pk=customer.pk).update(last_order_at=now)
        if address:
            Address.objects.bulk_create(
                [Address(customer=customer, text=address, region=region, last_used_at=now)],
                update_conflicts=True, unique_fields=["customer", "text"], update_fields=["region", "last_used_at"],
            )
    return customer
