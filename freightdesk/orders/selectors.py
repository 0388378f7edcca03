"""Named read queries over orders; each selects what its page needs, so no page queries per row."""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from freightdesk.accounts.roles import Role, has_role
from freightdesk.core.phones import normalize_phone

from .models import Order

PAGE_SIZE = 50
STAFF_READERS = (Role.AGENT, Role.SUPERVISOR, Role.MANAGER, Role.ADMIN)


def visible_orders(user) -> QuerySet[Order]:
    """The orders `user` may see: the desk and management see all, a customer account its own."""
    if has_role(user, *STAFF_READERS):
        return Order.objects.all()
    account = getattr(user, "customer_account", None) if user.is_authenticated else None
    if account is not None:
        return Order.objects.filter(customer_account=account)
    return Order.objects.none()


def access_order_for(user, serial: str) -> Order:
    """The one way a view or the API fetches an order: 404 when it does not exist or is not the user's."""
    order = (
        visible_orders(user)
        .select_related("pickup_region", "delivery_region", "taken_by__profile")
        .filter(serial=serial)
        .first()
    )
    if order is None:
        raise Http404
    return order


@dataclass
class OrderFilter:
    q: str = ""
    status: str = ""
    region: str = ""
    date_from: date | None = None
    date_to: date | None = None


def looks_like_serial(text: str) -> bool:
    """yymmdd + a sequence of 3 or 4 digits; an 11-digit mobile number is not a serial."""
    if not (text.isdigit() and 9 <= len(text) <= 10):
        return False
    try:
        datetime.strptime(text[:6], "%y%m%d")  # noqa: DTZ007 - only checks the shape
    except ValueError:
        return False
    return True


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def search_orders(qs: QuerySet[Order], f: OrderFilter) -> QuerySet[Order]:
    """Search by serial, by any phone (any written form) or by exact name; filter by status, region and date."""
    text = f.q.strip()
    if text:
        if looks_like_serial(text):
            qs = qs.filter(serial=text)
        else:
            try:
                phone = normalize_phone(text)
            except ValidationError:
                phone = None
            if phone:
                qs = qs.filter(Q(shipper_phone=phone) | Q(consignee_phone=phone))
            else:
                qs = qs.filter(Q(shipper_name=text) | Q(consignee_name=text))
    if f.status:
        qs = qs.filter(status=f.status)
    if f.region:
        qs = qs.filter(pickup_region__code=f.region)
    if f.date_from:
        qs = qs.filter(created_at__gte=_day_start(f.date_from))
    if f.date_to:
        qs = qs.filter(created_at__lt=_day_start(f.date_to) + timezone.timedelta(days=1))
    return qs


def order_page(qs: QuerySet[Order], *, after: tuple[datetime, int] | None = None, size: int = PAGE_SIZE):
    """One page, newest first, by keyset (created_at, id): constant time however deep the page."""
    if after is not None:
        at, pk = after
        qs = qs.filter(Q(created_at__lt=at) | Q(created_at=at, id__lt=pk))
    rows = list(
        qs.select_related("pickup_region", "delivery_region").order_by("-created_at", "-id")[: size + 1]
    )
    return rows[:size], (rows[size - 1] if len(rows) > size else None)


def order_timeline(order: Order):
    return order.events.select_related("by__profile").order_by("at", "id")


def orders_awaiting_review(now=None) -> QuerySet[Order]:
    """The review queue (SPEC §5): web and chat orders awaiting review or waiting on the customer,
    most urgent first — one range scan of the partial index on pending review deadlines."""
    return (
        Order.objects.filter(status__in=["submitted", "problem"])
        .select_related("pickup_region", "delivery_region", "claimed_by__profile")
        .order_by("review_due_at", "id")
    )


def overdue_reviews(now) -> QuerySet[Order]:
    """Every review past its deadline, and every order flagged after three unanswered calls (supervisor view)."""
    return orders_awaiting_review(now).filter(Q(review_due_at__lt=now) | Q(flagged_at__isnull=False))


def review_calls(order: Order):
    return order.review_calls.order_by("at", "id")
