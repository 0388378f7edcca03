"""Find customers by any of their numbers (the caller-ID screen-pop depends on this)."""

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from freightdesk.core.phones import normalize_phone

from .models import Customer


def customers_by_phone(raw: str) -> QuerySet[Customer]:
    """Customers with this number in any written form (138 0013 8000, +86…, 021-…); empty if not a number."""
    try:
        number = normalize_phone(raw)
    except ValidationError:
        return Customer.objects.none()
    return Customer.objects.filter(phones__number=number).order_by("-last_order_at", "-id").distinct()
