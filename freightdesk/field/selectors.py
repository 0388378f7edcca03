"""What the field's pages read (SPEC §1, §6, §7, §9): the fleet manager's queue and his drivers' day, the driver's
own list, the market developer's region. Each query selects what its page shows, so no page queries per row."""

import heapq
import itertools
from dataclasses import dataclass
from datetime import datetime, time

from django.db import connection
from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, Value, When
from django.utils import timezone

from freightdesk.dispatch.assignment import ASSIGN_WITHIN
from freightdesk.dispatch.models import Assignment, Dispatch
from freightdesk.followups import deadlines
from freightdesk.network.models import DispatchMode, Driver, Region, Vehicle
from freightdesk.orders.models import Order, Status
from freightdesk.tickets.models import Category, Ticket
from freightdesk.tracking.models import Shipment

QUEUE_LIMIT = 200
FLEET_QUEUE_LIMIT = 50  # a phone's screenful or two: the oldest; the count says how many more wait
WAITING_COUNT_CAP = 1000  # counted through the partial index, never past this
TO_PICK_UP = (Status.DISPATCHED,)
TO_DELIVER = (Status.PICKED_UP, Status.IN_TRANSIT)
ON_THE_WAY = (*TO_PICK_UP, *TO_DELIVER)


def day_start(now) -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localdate(now), time.min))


@dataclass
class QueueRow:
    order: Order
    dispatch: Dispatch
    assignment: Assignment | None
    assign_due: datetime  # the fleet manager's 3 minutes (dispatch.assignment.ASSIGN_WITHIN)
    pickup_due: datetime  # the pickup clock (SPEC §7: within 30 minutes; the order's stored pickup deadline)


def fleet_regions(user) -> list[tuple[int, datetime]]:
    """His regions read once, each with its latest dispatch to its fleet manager (the index dispatch_fleet_region):
    an order created after it cannot be waiting for him there. A region that dispatches to its driver and never
    did to him is left out; one switched back to its driver keeps the orders dispatched to him before."""
    latest = Dispatch.objects.filter(region=OuterRef("pk"), mode=DispatchMode.FLEET_MANAGER).order_by("-dispatched_at")
    rows = (
        Region.objects.filter(fleet_manager=user)
        .annotate(latest=Subquery(latest.values("dispatched_at")[:1]))
        .order_by("pk")
        .values_list("pk", "latest")
    )
    return [(pk, latest) for pk, latest in rows if latest is not None]


def _waiting_for(regions):
    """Per region, the orders waiting for pickup that were dispatched to its fleet manager (the partial index
    order_dispatched_region, cut at the region's latest dispatch to him)."""
    waiting = Order.objects.filter(status=Status.DISPATCHED, dispatch__mode=DispatchMode.FLEET_MANAGER)
    return [waiting.filter(pickup_region_id=region, created_at__lte=latest) for region, latest in regions]


def fleet_queue(user, limit: int | None = None, *, regions=None) -> list[QueueRow]:
    """The orders dispatched to this fleet manager and not picked up yet, oldest first, each with who is assigned
    and its two clocks: assign within 3 minutes of the dispatch, pick up within the 30-minute check. ``regions``:
    ``fleet_regions(user)`` when the caller has read them already."""
    # From the orders waiting for pickup, region by region (the partial index order_dispatched_region, read in its
    # own order and cut at the limit: the cost follows the queue, not the history), merged oldest first.
    limit = limit or FLEET_QUEUE_LIMIT
    related = ("dispatch", "pickup_region", "delivery_region", "driver")
    orders = heapq.merge(
        *(
            waiting.select_related(*related).order_by("created_at", "id")[:limit].iterator(chunk_size=50)
            for waiting in _waiting_for(fleet_regions(user) if regions is None else regions)
        ),
        key=lambda order: (order.created_at, order.pk),
    )
    dispatches = [order.dispatch for order in itertools.islice(orders, limit)]
    current = {
        a.order_id: a
        for a in Assignment.objects.filter(order__in=[d.order_id for d in dispatches], ended_at=None).select_related(
            "driver", "vehicle"
        )
    }
    return [
        QueueRow(
            order=d.order,
            dispatch=d,
            assignment=current.get(d.order_id),
            assign_due=d.dispatched_at + ASSIGN_WITHIN,
            pickup_due=deadlines.pickup_deadline(d.order, dispatched_at=d.dispatched_at),
        )
        for d in dispatches
    ]


def fleet_waiting_count(user, cap: int = WAITING_COUNT_CAP, *, regions=None) -> int:
    """How many orders wait for this fleet manager, counted through the index up to ``cap`` per region."""
    regions = fleet_regions(user) if regions is None else regions
    return sum(waiting.order_by().values("pk")[:cap].count() for waiting in _waiting_for(regions))


def fleet_drivers(user):
    return Driver.objects.filter(home_region__fleet_manager=user).select_related("home_region")


def fleet_order(user, serial: str) -> tuple[Order, Assignment | None] | None:
    """One order waiting for pickup that was dispatched to this fleet manager, with its current assignment; None
    when it is not (or no longer) his to assign."""
    order = (
        Order.objects.filter(
            serial=serial,
            status=Status.DISPATCHED,
            dispatch__mode=DispatchMode.FLEET_MANAGER,
            dispatch__region__fleet_manager=user,
        )
        .select_related("pickup_region")
        .first()
    )
    if order is None:
        return None
    current = Assignment.objects.filter(order=order, ended_at=None).select_related("driver", "vehicle").first()
    return order, current


def drivers_offered(user, region_id: int) -> list[Driver]:
    """The drivers he may name for an order of ``region_id``: his active drivers, that region's first, by name."""
    own_first = Case(When(home_region_id=region_id, then=Value(0)), default=Value(1), output_field=IntegerField())
    return list(fleet_drivers(user).filter(active=True).order_by(own_first, "name", "id"))


def vehicles_offered(user):
    """His active drivers' vehicles and the vehicles of no one, by plate."""
    mine = Q(driver__home_region__fleet_manager=user, driver__active=True)
    return Vehicle.objects.filter(mine | Q(driver=None)).order_by("plate")


def drivers_today(user, now) -> list[dict]:
    """Today's figures for the fleet manager's drivers: orders on the way, picked up today, delivered today."""
    start = day_start(now)
    drivers = list(fleet_drivers(user).order_by("-active", "name", "id"))
    ids = [d.pk for d in drivers]
    # three reads: the drivers' orders on the way, and today's pickups and deliveries from their own indexes
    rows = _on_the_way(ids)
    wanted = set(ids)
    for field, name in (("picked_up_at", "picked_up"), ("delivered_at", "delivered")):
        # today's shipments from their time index, then their orders by id, kept for his drivers here: a driver
        # filter or a join would have SQLite walk every order of his drivers instead (5.5 s at 1,000,000 orders)
        today = Shipment.objects.filter(**{f"{field}__gte": start}).values("order_id")
        done = Order.objects.filter(pk__in=today).values("driver").annotate(n=Count("id")).order_by()
        rows += [{"driver": row["driver"], name: row["n"]} for row in done if row["driver"] in wanted]
    figures: dict = {}
    for row in rows:
        figures.setdefault(row["driver"], {}).update({k: v for k, v in row.items() if k != "driver"})
    empty = {"to_pick_up": 0, "to_deliver": 0, "picked_up": 0, "delivered": 0}
    return [{"driver": d, **{**empty, **figures.get(d.pk, {})}} for d in drivers]


def _on_the_way(ids: list[int]) -> list[dict]:
    """Each driver's orders to pick up and to deliver, counted in the partial index order_driver_on_the_way alone.
    The statuses are literals, as in the index's condition: SQLite uses a partial index only when it can prove
    the query's WHERE implies the index's, which it cannot do through a list of bound parameters."""
    if not ids:
        return []
    statuses = ", ".join(f"'{s.value}'" for s in ON_THE_WAY)
    sql = (
        f"SELECT driver_id, SUM(CASE WHEN status = '{Status.DISPATCHED.value}' THEN 1 ELSE 0 END), COUNT(*) "  # noqa: S608
        f"FROM {Order._meta.db_table} WHERE status IN ({statuses}) AND driver_id IN ({', '.join(['%s'] * len(ids))}) "
        "GROUP BY driver_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, ids)
        return [{"driver": d, "to_pick_up": up, "to_deliver": n - up} for d, up, n in cursor.fetchall()]


def driver_day(driver: Driver, now) -> dict:
    """The driver's own list (SPEC §7): what to pick up (oldest dispatch first), what to deliver (earliest
    delivery time first), and what he delivered today."""
    start = day_start(now)
    orders = list(
        Order.objects.filter(driver=driver)
        .filter(Q(status__in=ON_THE_WAY) | Q(status=Status.DELIVERED, shipment__delivered_at__gte=start))
        .select_related("pickup_region", "delivery_region", "dispatch", "shipment")
        .prefetch_related("fees")
        .order_by("id")
    )
    for order in orders:
        shipment = order.shipment if _has_shipment(order) else None
        order.picked_up_at = shipment.picked_up_at if shipment else None
        order.delivered_at = shipment.delivered_at if shipment else None
        order.deliver_by = order.delivery_deadline or (shipment.delivery_due_at if shipment else None)
        order.dispatched_at = order.dispatch.dispatched_at if _has_dispatch(order) else order.created_at
    far = timezone.now().replace(year=9999)
    return {
        "pickups": sorted((o for o in orders if o.status in TO_PICK_UP), key=lambda o: (o.dispatched_at, o.pk)),
        "deliveries": sorted((o for o in orders if o.status in TO_DELIVER), key=lambda o: (o.deliver_by or far, o.pk)),
        "delivered": sorted((o for o in orders if o.status == Status.DELIVERED), key=lambda o: o.delivered_at or far),
    }


def _has_shipment(order) -> bool:
    try:
        return order.shipment is not None
    except Shipment.DoesNotExist:
        return False


def _has_dispatch(order) -> bool:
    try:
        return order.dispatch is not None
    except Dispatch.DoesNotExist:
        return False


def developer_regions(user):
    return Region.objects.filter(developer=user).order_by("code")


def region_day(user, now) -> dict:
    """The market developer's regions (SPEC §1: he supervises the pickup): today's orders, the pickups not made
    yet, and the complaints about orders of his regions this month."""
    regions = list(developer_regions(user))
    start = day_start(now)
    month = start.replace(day=1)
    related = ("pickup_region", "delivery_region", "driver")
    return {
        "regions": regions,
        "today": list(
            Order.objects.filter(pickup_region__in=regions, created_at__gte=start)
            .select_related(*related)
            .order_by("-created_at", "-id")[:QUEUE_LIMIT]
        ),
        "pickups": list(
            Order.objects.filter(pickup_region__in=regions, status=Status.DISPATCHED)
            .select_related(*related, "dispatch")
            .order_by("created_at", "id")[:QUEUE_LIMIT]
        ),
        "complaints": list(
            Ticket.objects.filter(category=Category.COMPLAINT, order__pickup_region__in=regions, created_at__gte=month)
            .select_related("order", "driver")
            .order_by("-created_at", "-id")[:QUEUE_LIMIT]
        ),
    }
