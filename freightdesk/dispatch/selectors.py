"""Read queries for the dispatch board and the supervisor's missed-deadline page."""

from django.db.models import Count, Q, QuerySet

from freightdesk.orders import selectors as orders_selectors
from freightdesk.orders.models import Order, Status

from .models import Dispatch


def awaiting_dispatch() -> QuerySet[Order]:
    """Confirmed orders, most urgent first (indexed by the partial index on dispatch_due_at)."""
    return (
        Order.objects.filter(status=Status.CONFIRMED)
        .select_related("pickup_region", "delivery_region")
        .order_by("dispatch_due_at", "id")
    )


def missed_dispatches() -> QuerySet[Dispatch]:
    return Dispatch.objects.filter(missed=True).select_related("order", "agent", "region").order_by("-dispatched_at")


def missed_per_agent():
    return (
        Dispatch.objects.values("agent_code")
        .annotate(missed=Count("id", filter=Q(missed=True)), total=Count("id"))
        .filter(missed__gt=0)
        .order_by("-missed", "agent_code")
    )


def overdue_undispatched(now) -> QuerySet[Order]:
    """Confirmed orders whose 3 minutes are already over and that nobody dispatched yet."""
    return awaiting_dispatch().filter(dispatch_due_at__lt=now)


def access_order_for(user, serial: str) -> Order:
    """The order as the dispatch desk sees it: the orders app's one access rule (404 when unknown or not the user's)."""
    return orders_selectors.access_order_for(user, serial)
