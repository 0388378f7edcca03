"""Writes on customers: remember who called and where they ship from."""

from django.db import transaction
from django.utils import timezone

from freightdesk.network.models import Region

from .models import Address, Customer, CustomerPhone


@transaction.atomic
def remember_customer(*, name: str, phone: str, address: str = "", region: Region | None = None, now=None) -> Customer:
    """The customer with this name on this (E.164) number, created when new; the address joins his book."""
    now = now or timezone.now()
    customer = (
        Customer.objects.filter(phones__number=phone, name=name).order_by("-last_order_at", "-id").first()
    )
    if customer is None:
        customer = Customer.objects.create(name=name, created_at=now)
        CustomerPhone.objects.create(customer=customer, number=phone)
    Customer.objects.filter(pk=customer.pk).update(last_order_at=now)
    if address:
        Address.objects.update_or_create(
            customer=customer, text=address, defaults={"region": region, "last_used_at": now}
        )
    return customer
