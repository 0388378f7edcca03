"""Named read queries over orders; each selects what its page needs, so no page queries per row."""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from freightdesk.accounts.capabilities import Capability, has_capability
from freightdesk.accounts.roles import Role, roles_of
from freightdesk.core.phones import normalize_phone

from .models import Order

PAGE_SIZE = 50
AWAITING = ("submitted", "problem")  # orders.models.AWAITING_REVIEW, in a fixed order for SQL parameters


def visible_orders(user) -> QuerySet[Order]:
    """The orders `user` may see: the desk and management all; a customer account its own; a driver the
    orders he picks up (``Order.driver``: assigned to him, or dispatched to him as the region's driver); a
    market developer or fleet manager those of his regions.
    Whether a page or endpoint opens at all is its capability's business; this says which orders."""
    if has_capability(user, Capability.VIEW_ALL_ORDERS):
        return Order.objects.all()
    if not user.is_authenticated:
        return Order.objects.none()
    held = roles_of(user)
    mine = Q(pk__in=[])
    if (account := getattr(user, "customer_account", None)) is not None:
        mine |= Q(customer_account=account)
    if Role.DRIVER in held:
        mine |= Q(driver__user=user)
    if Role.DEVELOPER in held:
        mine |= Q(pickup_region__developer=user)
    if Role.FLEET_MANAGER in held:
        mine |= Q(pickup_region__fleet_manager=user)
    return Order.objects.filter(mine)


def access_order_for(user, serial_or_id: str | int, *, related: tuple[str, ...] = ()) -> Order:
    """The one way a view or the API fetches an order (by serial, or by id when given an int): 404 when it
    does not exist or is not one `user` may see. `related` adds the joins the caller's page reads."""
    match = {"pk": serial_or_id} if isinstance(serial_or_id, int) else {"serial": serial_or_id}
    order = (
        visible_orders(user)
        .select_related("pickup_region", "delivery_region", "taken_by__profile", "driver", *related)
        .filter(**match)
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
    """yymmdd + a daily sequence of at least 3 digits (5 on a day of more than 9,999 orders)."""
    if not (text.isdigit() and 9 <= len(text) <= 11):
        return False
    try:
        datetime.strptime(text[:6], "%y%m%d")  # noqa: DTZ007 - only checks the shape
    except ValueError:
        return False
    return True


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def search_orders(qs: QuerySet[Order], f: OrderFilter) -> list[QuerySet[Order]]:
    """Search by serial, by any phone (any written form) or by exact name; filter by status, region and date.
    One queryset per index the text is found through — the serial, either phone, either name — for ``order_page``
    to read each newest first and merge: an OR of them would make the database collect and sort every order of a
    phone or a name (thousands for a regular customer) to show the newest fifty. Digits can be a serial and a phone
    at once (an 11-digit serial of a busy day, a mobile number whose first six digits read as a date): both are
    searched."""
    if f.status:
        qs = qs.filter(status=f.status)
    if f.region:
        qs = qs.filter(pickup_region__code=f.region)
    if f.date_from:
        qs = qs.filter(created_at__gte=_day_start(f.date_from))
    if f.date_to:
        qs = qs.filter(created_at__lt=_day_start(f.date_to) + timezone.timedelta(days=1))
    text = f.q.strip()
    if not text:
        return [qs]
    branches = [qs.filter(serial=text)] if looks_like_serial(text) else []
    try:
        phone = normalize_phone(text)
    except ValidationError:
        phone = None
    if phone:
        branches += by_phone(qs, phone)
    return branches or [qs.filter(shipper_name=text), qs.filter(consignee_name=text)]


def by_phone(qs: QuerySet[Order], phone: str) -> list[QuerySet[Order]]:
    """The orders ``phone`` ships or receives, as ``order_page``'s two branches (each its phone's index)."""
    return [qs.filter(shipper_phone=phone), qs.filter(consignee_phone=phone)]


def order_page(
    qs: QuerySet[Order] | list[QuerySet[Order]], *, after: tuple[datetime, int] | None = None, size: int = PAGE_SIZE
):
    """One page, newest first, by keyset (created_at, id): constant time however deep the page. ``qs`` may be
    several querysets (``search_orders``' branches): each is read up to the page's size and the results merged."""
    keyset = Q()
    if after is not None:
        at, pk = after
        keyset = Q(created_at__lt=at) | Q(created_at=at, id__lt=pk)
    found = {}
    for branch in [qs] if isinstance(qs, QuerySet) else qs:
        branch = branch.filter(keyset).select_related("pickup_region", "delivery_region", "driver")
        found.update((order.pk, order) for order in branch.order_by("-created_at", "-id")[: size + 1])
    rows = sorted(found.values(), key=lambda order: (order.created_at, order.pk), reverse=True)[: size + 1]
    return rows[:size], (rows[size - 1] if len(rows) > size else None)


def order_timeline(order: Order):
    return order.events.select_related("by__profile").order_by("at", "id")


def orders_awaiting_review(now=None) -> QuerySet[Order]:
    """Every order awaiting review or waiting on the customer (SPEC §5), most urgent first."""
    return (
        Order.objects.filter(status__in=AWAITING)
        .select_related("pickup_region", "delivery_region", "claimed_by__profile")
        .order_by("review_due_at", "id")
    )


def _pending_ids(index: str, condition: str, params: list, limit: int) -> list[int]:
    """Ids from one partial index, in deadline order. SQLite without ANALYZE statistics would rather
    walk the status index (125k rows a status on a big table) and sort; the hint keeps it on the
    partial index of the few thousand pending rows. PostgreSQL picks the partial index by itself."""
    hint = f"INDEXED BY {index}" if connection.vendor == "sqlite" else ""
    table = connection.ops.quote_name(Order._meta.db_table)
    # The statuses are literals, as in the index's condition: SQLite uses a partial index only when it can
    # prove the query's WHERE implies the index's, which it cannot do through bound parameters.
    statuses = ", ".join(f"'{s}'" for s in AWAITING)
    sql = (
        f"SELECT id FROM {table} {hint} WHERE status IN ({statuses}) {condition} "  # noqa: S608 - constants only
        "ORDER BY review_due_at, id LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit])
        return [row[0] for row in cursor.fetchall()]


def pending_review_count() -> int:
    """How many orders await review: counted in the partial index alone."""
    hint = "INDEXED BY order_review_pending" if connection.vendor == "sqlite" else ""
    table = connection.ops.quote_name(Order._meta.db_table)
    statuses = ", ".join(f"'{s}'" for s in AWAITING)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table} {hint} WHERE status IN ({statuses})")  # noqa: S608
        return cursor.fetchone()[0]


def _rows(ids: list[int]) -> list[Order]:
    rows = orders_awaiting_review().filter(pk__in=ids)
    return sorted(rows, key=lambda o: (o.review_due_at, o.pk))


def review_queue_rows(*, limit: int) -> list[Order]:
    """The review queue: the ``limit`` most urgent pending reviews, through the partial index."""
    return _rows(_pending_ids("order_review_pending", "", [], limit))


def overdue_review_rows(now, *, limit: int) -> list[Order]:
    """The supervisor's view: reviews past their deadline, and orders flagged after unanswered calls."""
    due = connection.ops.adapt_datetimefield_value(now)
    ids = _pending_ids("order_review_pending", "AND review_due_at < %s", [due], limit)
    ids += _pending_ids("order_review_flagged", "AND flagged_at IS NOT NULL", [], limit)
    return _rows(list(dict.fromkeys(ids)))[:limit]


def overdue_reviews(now) -> QuerySet[Order]:
    """Every review past its deadline, and every order flagged after three unanswered calls (supervisor view)."""
    return orders_awaiting_review(now).filter(Q(review_due_at__lt=now) | Q(flagged_at__isnull=False))


def review_calls(order: Order):
    return order.review_calls.order_by("at", "id")
