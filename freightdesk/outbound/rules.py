"""The rules a supervisor builds a call list from (SPEC §2 外呼, §10; 002 主动回访): which customers, in which
order, with which number. Reads only; each rule is one aggregate or range query plus one query for the numbers.

- new: customers created in the last NEW_DAYS days, newest first (新客户回访);
- high_value: customers who shipped at least ``min_orders`` orders or ``min_amount`` yuan in the last
  VALUE_DAYS days (void orders left out), biggest first (高价值客户);
- revisit: tickets resolved yesterday (Asia/Shanghai), one item per ticket (问题解决后的回访);
- dormant: customers whose last order is more than DORMANT_DAYS days old, most recently lapsed first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from freightdesk.core.phones import normalize_phone
from freightdesk.core.worktime import TZ
from freightdesk.customers.models import Customer, CustomerPhone
from freightdesk.orders.models import Order, Status
from freightdesk.tickets.models import Ticket

from .models import ListKind

NEW_DAYS = 7
VALUE_DAYS = 30  # "a month"
DORMANT_DAYS = 60
MAX_ITEMS = 10_000  # a list's size, uploaded or built: more than a team calls in weeks
CHUNK = 5_000
SUBQUERY_FROM = 1_000


@dataclass
class Candidate:
    phone: str  # E.164
    name: str = ""
    customer_id: int | None = None
    ticket_id: int | None = None
    line: int | None = None


def candidates(kind: str, params: dict, now: datetime) -> tuple[list[Candidate], int]:
    """The people a rule picks, in calling order, at most MAX_ITEMS; and how many it matched in all."""
    if kind == ListKind.REVISIT:
        return _revisit(now)
    if kind == ListKind.NEW:
        customers = Customer.objects.filter(created_at__gte=now - timedelta(days=NEW_DAYS)).order_by("-created_at")
        ids = customers.values_list("pk", flat=True)
    elif kind == ListKind.DORMANT:
        customers = Customer.objects.filter(last_order_at__lt=now - timedelta(days=DORMANT_DAYS))
        ids = customers.order_by("-last_order_at").values_list("pk", flat=True)
    elif kind == ListKind.HIGH_VALUE:
        ids = _high_value(params, now)
        customers = None
    else:
        raise ValueError(kind)
    chosen = list(ids[:MAX_ITEMS])
    matched = len(chosen) if len(chosen) < MAX_ITEMS else (customers.count() if customers is not None else ids.count())
    # A long list's numbers are read with the rule as a subquery: ten thousand bound parameters cost more in Python
    # than the database spends running the rule again.
    return _with_numbers(chosen, ids[:MAX_ITEMS] if len(chosen) > SUBQUERY_FROM else chosen), matched


def _high_value(params: dict, now: datetime):
    min_orders, min_amount = params.get("min_orders"), params.get("min_amount")
    over = Q()
    if min_orders:
        over |= Q(orders__gte=int(min_orders))
    if min_amount:
        over |= Q(amount__gte=Decimal(str(min_amount)))
    return (
        # Both bounds: SQLite then estimates a narrow range and reads the month through the order-time index instead
        # of walking every order in shipper order for the GROUP BY (bench_outbound: seconds -> a fraction).
        Order.objects.filter(created_at__gte=now - timedelta(days=VALUE_DAYS), created_at__lte=now)
        .exclude(status=Status.VOID)
        .order_by()
        .values("shipper_id")
        .annotate(orders=Count("id"), amount=Sum("total"))
        .filter(over)
        .order_by("-amount", "shipper_id")
        .values_list("shipper_id", flat=True)
    )


def _with_numbers(customer_ids: list[int], among) -> list[Candidate]:
    """Each customer (in ``customer_ids``' order) with his first number on file; customers without one are left
    out. ``among``: the same customers as a list or a subquery."""
    found: dict[int, tuple[str, str]] = {}
    for customer_id, number, name in (
        CustomerPhone.objects.filter(customer_id__in=among)
        .order_by("-id")
        .values_list("customer_id", "number", "customer__name")
    ):
        found[customer_id] = (number, name)  # the last one written is the lowest id: the first number on file
    return [Candidate(found[pk][0], found[pk][1], pk) for pk in customer_ids if pk in found]


def _revisit(now: datetime) -> tuple[list[Candidate], int]:
    today = now.astimezone(TZ).replace(hour=0, minute=0, second=0, microsecond=0)
    tickets = Ticket.objects.filter(resolved_at__gte=today - timedelta(days=1), resolved_at__lt=today).order_by(
        "resolved_at", "id"
    )
    rows = list(tickets.values_list("pk", "customer_id", "customer_name", "customer_phone")[:MAX_ITEMS])
    found = []
    for ticket_id, customer_id, name, phone in rows:
        try:
            number = normalize_phone(phone)
        except ValidationError:
            continue
        found.append(Candidate(number, name, customer_id, ticket_id))
    return found, len(rows) if len(rows) < MAX_ITEMS else tickets.count()


def clean_params(kind: str, data: dict) -> dict:
    """The parameters a rule keeps on its list (JSON); high_value needs a number of orders or an amount."""
    if kind != ListKind.HIGH_VALUE:
        return {}
    params = {}
    if data.get("min_orders"):
        params["min_orders"] = int(data["min_orders"])
    if data.get("min_amount"):
        params["min_amount"] = str(data["min_amount"])
    if not params:
        raise ValidationError(_("Give a number of orders or an amount a month."), code="required")
    return params
