"""The reports read from the per-day summary rows (``rollup_models``, kept by ``rollups``): the same figures as the
raw queries of ``queries.py`` — same rows, keys, labels and order — at a cost that grows with the days of the
period, not with the rows in it. ``queries.py`` keeps the definitions (its docstrings) and the raw queries stay for
the per-order drill-downs; a test compares both on generated data for every report and grouping.

What depends on the reading time (an order not picked up is late once its deadline passed, else pending; the same
for reviews awaiting and unresolved tickets) is not in a summary: the rows not yet due are counted from the raw
rows (few: only deadlines still ahead), the rest of the waiting ones are late.
"""

from __future__ import annotations

from datetime import time

from django.db import connection
from django.db.models import BooleanField, Case, F, IntegerField, Q, Sum, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone

from freightdesk.core.periods import Period
from freightdesk.core.worktime import TZ
from freightdesk.network.models import Region
from freightdesk.orders.models import EnquiryOutcome, Order, Status
from freightdesk.tickets.models import Category, Ticket

from . import queries
from .rollup_models import ComplaintDay, DispatchDay, EnquiryDay, OrderDay, ReviewDay, SlaDay
from .rollups import day_offset
from .rows import complaint_rows, driver_names, origin_rows, rate, region_codes, staff, staff_names
from .sql import fixed_offset

# Not picked up, not void: the condition of orders' index ``order_pickup_waiting``; awaiting review: of
# ``order_review_pending``.
WAITING_STATUSES = ("submitted", "problem", "confirmed", "dispatched")
REVIEW_STATUSES = ("submitted", "problem")


def _status_in(statuses: tuple[str, ...]) -> RawSQL:
    """``status IN (…)`` with the values written into the SQL like the partial indexes' conditions: SQLite uses a
    partial index only when it can match its condition, and a bound parameter never matches a constant."""
    assert set(statuses) <= set(Status.values)  # codes, never input
    values = ", ".join(f"'{status}'" for status in statuses)
    return RawSQL(f'"orders_order"."status" IN ({values})', (), output_field=BooleanField())


def usable(period: Period) -> bool:
    """The summaries hold whole local days; on SQLite their days are of the zone's offset when they were filed."""
    whole_days = all(moment.astimezone(TZ).time() == time(0) for moment in (period.start, period.end))
    if connection.vendor == "postgresql":
        return whole_days
    return whole_days and fixed_offset(period.start, period.end) == day_offset()


def _sum(field: str, condition: Q | None = None):
    return Coalesce(Sum(field, filter=condition), 0, output_field=IntegerField())


def _period(model, period: Period, region: str | None):
    qs = model.objects.filter(day__gte=period.start.astimezone(TZ).date(), day__lt=period.end.astimezone(TZ).date())
    if region:
        qs = qs.filter(region_id__in=Region.objects.filter(code=region).values("pk"))
    return qs


def _none(value):
    return value or None  # 0 in a summary is "none" (no driver, region, agent)


def _fold_months(rows: list[dict], measures: tuple[str, ...]) -> list[dict]:
    """Rows per day (``key`` a date) -> rows per month (``key`` its 1st day), in order."""
    months: dict = {}
    for row in rows:
        month = row["key"].replace(day=1)
        into = months.setdefault(month, {"key": month, **dict.fromkeys(measures, 0)})
        for name in measures:
            into[name] += row[name]
    return [months[m] for m in sorted(months)]


# --- on-time pickup; orders by channel and status ---------------------------------------------------------------
PICKUP_KEYS = {"driver": "driver_id", "region": "region_id", "day": "day"}


def pickup_on_time(*, period: Period, group_by: str = "driver", region=None, scope=None, now=None) -> list[dict]:
    """``queries.pickup_on_time`` from ``OrderDay``; the orders not picked up whose deadline is still ahead are
    counted from the orders (``order_pickup_waiting``)."""
    now = now or timezone.now()
    qs = _period(OrderDay, period, region)
    if scope is not None:
        qs = qs.filter(taken_by_id=scope.pk)
    column = PICKUP_KEYS[group_by]
    rows = (
        qs.values(column)
        .annotate(
            orders=Sum("pickup_orders"), on_time=Sum("on_time"), late_picked=Sum("late_picked"), waiting=Sum("waiting")
        )
        .filter(orders__gt=0)
        .order_by(column)
    )
    pending = _pickup_pending(period, group_by, region, scope, now)
    out = []
    for row in rows:
        key = row.pop(column) if group_by == "day" else _none(row.pop(column))
        late_picked, waiting = row.pop("late_picked"), row.pop("waiting")
        row["key"], row["pending"] = key, pending.get(key, 0)
        row["late"] = late_picked + waiting - row["pending"]
        row["unknown"] = row["orders"] - row["on_time"] - late_picked - waiting
        row["rate"] = rate(row["on_time"], row["on_time"] + row["late"])
        if group_by == "day":
            row["label"] = key.isoformat()
        out.append(row)
    if group_by == "driver":
        return driver_names(out)
    return out if group_by == "day" else region_codes(out)


def _ahead(qs, period: Period, *fields: str):
    """The rows of ``qs`` (deadline still ahead: few, found through a partial index on the deadline) placed in the
    period, as (local day placed, *fields). The period is checked here, not in SQL, so that the planner never
    prefers the period's index over the deadline's."""
    for created, *values in qs.values_list("created_at", *fields).order_by():
        if period.start <= created < period.end:
            yield (timezone.localtime(created, TZ).date(), *values)


def _pickup_pending(period, group_by, region, scope, now) -> dict:
    qs = Order.objects.filter(_status_in(WAITING_STATUSES), pickup_due_at__gt=now)
    if region:
        qs = qs.filter(pickup_region__code=region)
    if scope is not None:
        qs = qs.filter(taken_by=scope)
    qs = qs.annotate(picked=F("shipment__picked_up_at")).filter(queries.NOT_PICKED)
    counts: dict = {}
    for day, driver, region_id in _ahead(qs, period, "driver_id", "pickup_region_id"):
        key = {"day": day, "driver": driver, "region": region_id}[group_by]
        counts[key] = counts.get(key, 0) + 1
    return counts


def orders_by_channel_status(*, period: Period, region=None, scope=None) -> list[dict]:
    qs = _period(OrderDay, period, region)
    if scope is not None:
        qs = qs.filter(taken_by_id=scope.pk)
    return list(
        qs.values("channel", "status").annotate(orders=Sum("orders")).filter(orders__gt=0).order_by("channel", "status")
    )


# --- shipping origins -------------------------------------------------------------------------------------------
def origins(*, period: Period, group_by: str = "region", region=None, scope=None) -> list[dict]:
    qs = _period(EnquiryDay, period, region)
    if scope is not None:
        qs = qs.filter(agent_id=scope.pk)
    column = "region_id" if group_by == "region" else "day"
    outcomes = {o.value: _sum("enquiries", Q(outcome=o.value)) for o in EnquiryOutcome}
    rows = list(
        qs.values(column).annotate(**outcomes, enquiries=Sum("enquiries")).filter(enquiries__gt=0).order_by(column)
    )
    for row in rows:
        row["key"] = _none(row.pop(column)) if group_by == "region" else row.pop(column)
    if group_by == "month":
        rows = _fold_months(rows, ("enquiries", *outcomes))
    return origin_rows(rows, group_by)


# --- complaints and suggestions ---------------------------------------------------------------------------------
COMPLAINT = Q(category=Category.COMPLAINT)
VALID = COMPLAINT & Q(validity="valid")
COMPLAINT_MEASURES = (
    "complaints",
    "valid",
    "dismissed",
    "pending",
    "about_driver",
    "about_agent",
    "about_company",
    "suggestions",
)


def _complaint_sums(with_penalties: bool) -> dict:
    sums = {
        "complaints": _sum("tickets", COMPLAINT),
        "valid": _sum("tickets", VALID),
        "dismissed": _sum("tickets", COMPLAINT & Q(validity="dismissed")),
        "pending": _sum("tickets", COMPLAINT & Q(validity="recorded")),
        "about_driver": _sum("tickets", VALID & Q(target="driver")),
        "about_agent": _sum("tickets", VALID & Q(target="agent")),
        "about_company": _sum("tickets", VALID & Q(target="company")),
        "suggestions": _sum("tickets", Q(category=Category.SUGGESTION)),
    }
    if with_penalties:
        sums.update(penalties=_sum("penalties"), penalty_percent=_sum("penalty_percent"))
    return sums


def complaints(*, period: Period, group_by: str = "driver", region=None, scope=None) -> list[dict]:
    """``queries.complaints`` from ``ComplaintDay``."""
    qs = _period(ComplaintDay, period, region)
    if scope is not None:
        qs = qs.filter(target="agent", agent_id=scope.pk)
    person = group_by in ("driver", "agent")
    if person:
        key = Case(
            When(COMPLAINT & Q(target=group_by), then=F(f"{group_by}_id")), default=0, output_field=IntegerField()
        )
        grouped, order = qs.annotate(key=key).values("key"), ("key",)
    elif group_by == "type":
        grouped, order = qs.annotate(key=F("subcategory")).values("category", "key"), ("category", "key")
    else:
        grouped, order = qs.annotate(key=F("day")).values("key"), ("key",)
    rows = list(grouped.annotate(n=Sum("tickets"), **_complaint_sums(not person)).filter(n__gt=0).order_by(*order))
    for row in rows:
        row.pop("n")
        if person:
            row["key"] = _none(row["key"])
    if group_by == "month":
        rows = _fold_months(rows, (*COMPLAINT_MEASURES, "penalties", "penalty_percent"))
    if person:
        rows = _with_penalties(rows, qs, group_by)
    return complaint_rows(rows, group_by)


def _with_penalties(rows: list[dict], qs, group_by: str) -> list[dict]:
    """As ``queries._with_penalties``: the penalties per person charged; a person charged without a complaint
    about him in the period gets a row of his own."""
    charged = "responsible_driver_id" if group_by == "driver" else "responsible_user_id"
    penalties = {
        row[charged]: row
        for row in qs.exclude(**{charged: 0})
        .values(charged)
        .annotate(penalties=Sum("penalties"), penalty_percent=Sum("penalty_percent"))
        .filter(penalties__gt=0)
        .order_by()
    }
    by_key = {row["key"]: row for row in rows}
    for key in penalties.keys() - by_key.keys():
        by_key[key] = {"key": key, **dict.fromkeys(COMPLAINT_MEASURES, 0)}
    for key, row in by_key.items():
        found = penalties.get(key, {})
        row["penalties"], row["penalty_percent"] = found.get("penalties", 0), found.get("penalty_percent", 0)
    return sorted(by_key.values(), key=lambda r: (r["key"] is not None, r["key"] or 0))


# --- review, dispatch, SLA --------------------------------------------------------------------------------------
def review_compliance(*, period: Period, region=None, scope=None, now=None) -> list[dict]:
    """``queries.review_compliance`` from ``ReviewDay``; the orders awaiting review whose deadline is still ahead
    are counted from the orders (``order_review_pending``)."""
    now = now or timezone.now()
    qs = _period(ReviewDay, period, region)
    if scope is not None:
        qs = qs.filter(reviewer_id=scope.pk)
    rows = list(
        qs.values("reviewer_id")
        .annotate(
            orders=Sum("orders"),
            on_time=Sum("on_time"),
            late_confirmed=Sum("late_confirmed"),
            awaiting=Sum("awaiting"),
            voided=Sum("voided"),
        )
        .filter(orders__gt=0)
        .order_by()
    )
    ahead = _review_ahead(period, region, scope, now)
    for row in rows:
        row["key"] = _none(row.pop("reviewer_id"))
        pending, awaiting_ahead = ahead.get(row["key"], (0, 0))
        row["late"] = row.pop("late_confirmed") + row.pop("awaiting") - awaiting_ahead
        row["pending"] = pending
    out = staff_names(rows)
    for row in out:
        row["rate"] = rate(row["on_time"], row["on_time"] + row["late"])
    return out


def _review_ahead(period, region, scope, now) -> dict:
    """reviewer -> (awaiting review, deadline ahead; the same of them not confirmed late)."""
    qs = Order.objects.filter(_status_in(REVIEW_STATUSES), review_due_at__gt=now)
    if region:
        qs = qs.filter(pickup_region__code=region)
    qs = qs.annotate(key=queries.reviewer_of_order())
    if scope is not None:
        qs = qs.filter(key=scope.pk)
    not_late = Q(confirmed_at__isnull=True) | Q(confirmed_at__lte=F("review_due_at"))
    qs = qs.annotate(not_late=Case(When(not_late, then=1), default=0, output_field=IntegerField()))
    counts: dict = {}
    for _day, key, not_late_flag in _ahead(qs, period, "key", "not_late"):
        awaiting, ahead = counts.get(key, (0, 0))
        counts[key] = (awaiting + 1, ahead + not_late_flag)
    return counts


def dispatch_compliance(*, period: Period, region=None, scope=None) -> list[dict]:
    qs = _period(DispatchDay, period, region)
    if scope is not None:
        qs = qs.filter(agent_id=scope.pk)
    out = list(
        qs.annotate(key=F("agent_code"), user=F("agent_id"))
        .values("key", "user")
        .annotate(dispatches=Sum("dispatches"), late=Sum("missed"))
        .filter(dispatches__gt=0)
        .order_by("key", "user")
    )
    users = staff(_none(r["user"]) for r in out)
    for row in out:
        row["on_time"] = row["dispatches"] - row["late"]
        row["label"] = users.get(_none(row.pop("user")), (None, None))[1]
        row["rate"] = rate(row["on_time"], row["dispatches"])
    return out


def sla_compliance(*, period: Period, region=None, scope=None, now=None) -> list[dict]:
    """``queries.sla_compliance`` from ``SlaDay``; unresolved tickets not yet due are counted from the tickets."""
    now = now or timezone.now()
    qs = _period(SlaDay, period, region)
    if scope is not None:
        qs = qs.filter(handler_id=scope.pk)
    rows = list(
        qs.annotate(key=F("subcategory"))
        .values("category", "key")
        .annotate(tickets=Sum("tickets"), met=Sum("met"), late=Sum("breached_resolved"), unresolved=Sum("unresolved"))
        .filter(tickets__gt=0)
        .order_by("category", "key")
    )
    ahead = _sla_open(period, region, scope, now)
    for row in rows:
        row["open"] = ahead.get((row["category"], row["key"]), 0)
        row["breached"] = row.pop("late") + row.pop("unresolved") - row["open"]
        row["rate"] = rate(row["met"], row["met"] + row["breached"])
        row["label"] = f"{row['category']}/{row['key']}"
    return rows


def _sla_open(period, region, scope, now) -> dict:
    qs = Ticket.objects.filter(resolved_at__isnull=True, due_at__gt=now)
    if region:
        qs = qs.filter(order__pickup_region__code=region)
    if scope is not None:
        qs = qs.filter(handler=scope)
    counts: dict = {}
    for _day, category, subcategory in _ahead(qs, period, "category", "subcategory"):
        counts[(category, subcategory)] = counts.get((category, subcategory), 0) + 1
    return counts
