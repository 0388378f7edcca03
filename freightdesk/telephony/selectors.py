"""Named reads for calls: the agent's pop, the due callbacks, the call statistics (aggregated in SQL)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Avg, Count, F, Q, QuerySet
from django.db.models.functions import ExtractHour
from django.http import Http404

from freightdesk.accounts.capabilities import Capability, has_capability
from freightdesk.accounts.models import StaffProfile
from freightdesk.core.worktime import TZ
from freightdesk.customers.models import CustomerPhone
from freightdesk.customers.selectors import customers_by_phone
from freightdesk.orders.models import Order
from freightdesk.tickets.models import PENDING_STATUSES, Ticket
from freightdesk.tickets.selectors import open_callbacks_for_customer

from . import callbacks
from .models import BlockedNumber, Call, CallEvent, CallState, Direction

POP_KEEP_AFTER_HANGUP = timedelta(minutes=10)
POP_MAX_RINGING = timedelta(hours=2)
CONTACTS_SHOWN = 5  # the names given on the number, the latest first


def answer_within_seconds() -> int:
    """SPEC §10 "answer within 3 rings": 15 seconds unless the TELEPHONY_ANSWER_SECONDS setting says otherwise."""
    return int(settings.TELEPHONY_ANSWER_SECONDS)


def access_call_for(user, pk: int) -> Call:
    """The call if this user may act on it: its agent, or a supervisor/admin; else 404."""
    calls = Call.objects.select_related("customer", "order", "ticket")
    if not has_capability(user, Capability.SUPERVISE_CALLS):
        calls = calls.filter(agent=user)
    call = calls.filter(pk=pk).first()
    if call is None:
        raise Http404
    return call


def pop_call_for(user, now: datetime) -> Call | None:
    """The call the agent's screen-pop shows: ringing or in conversation, else the one that just ended unlinked."""
    recent = Call.objects.filter(agent=user, ringing_at__gte=now - POP_MAX_RINGING).order_by("-ringing_at", "-id")
    live = recent.filter(state__in=[CallState.RINGING, CallState.ANSWERED]).select_related("customer").first()
    if live is not None:
        return live
    return (
        recent.filter(
            state=CallState.ENDED,
            ended_at__gte=now - POP_KEEP_AFTER_HANGUP,
            order__isnull=True,
            ticket__isnull=True,
            answered_at__isnull=False,
        )
        .select_related("customer")
        .first()
    )


def caller_context(call: Call, now: datetime) -> dict:
    """What the pop shows about the caller: matched customers, and for the chosen one his recent orders
    (shipper or consignee), open tickets and promised callbacks — a fixed handful of queries."""
    customer = call.customer if call.customer_id else None
    return customer_context(call.customer_number, now, customer=customer, exclude_call=call.pk)


def customer_context(number: str, now: datetime, *, customer=None, exclude_call=None) -> dict:
    """The caller context for a number (the pop; an outbound call): its customer (one per number), the names
    people gave on it (contacts), his recent orders, open tickets, promised callbacks and missed calls to return."""
    customers = list(customers_by_phone(number)[:1]) if number else []
    customer = customer or (customers[0] if customers else None)
    context = {"customers": customers, "customer": customer, "orders": [], "tickets": [], "callbacks": []}
    if customer is None:
        return context
    context["contacts"] = list(customer.contacts.only("name")[:CONTACTS_SHOWN])
    context["orders"] = list(
        Order.objects.filter(Q(shipper=customer) | Q(consignee=customer))
        .only("serial", "status", "created_at", "pickup_address", "delivery_address", "goods_name")
        .order_by("-created_at", "-id")[:5]
    )
    context["tickets"] = list(
        Ticket.objects.filter(customer=customer, status__in=PENDING_STATUSES)
        .only("number", "status", "category", "created_at", "due_at")
        .order_by("-created_at")[:5]
    )
    context["callbacks"] = open_callbacks_for_customer(customer, limit=5)
    context["missed"] = list(due_callbacks(now).filter(customer_number=number).exclude(pk=exclude_call)[:5])
    return context


def due_callbacks(now: datetime) -> QuerySet[Call]:
    """Missed and abandoned inbound calls still to be called back, most urgent first (the due-now board)."""
    return callbacks.owed_calls(now)


def call_stats(start: datetime, end: datetime, group_by: str, *, agent=None) -> list[dict]:
    """Calls that rang in [start, end) per hour of day (company time) or per agent: volume, share answered
    within ``answer_within_seconds()``, abandoned rate and average handling (talk) time — all in SQL.
    ``agent``: only that agent's calls (an agent reads his own figures)."""
    fast = answer_within_seconds()
    rows = Call.objects.filter(ringing_at__gte=start, ringing_at__lt=end)
    if agent is not None:
        rows = rows.filter(agent=agent)
    if group_by == "hour":
        rows = rows.annotate(key=ExtractHour("ringing_at", tzinfo=TZ))
    else:
        # Only the desk's agents: an extension the PBX names that no agent id matches is not an agent.
        rows = rows.annotate(key=F("agent_code")).exclude(agent_code="").filter(agent__isnull=False)
    inbound = Q(direction=Direction.IN)
    stats = (
        rows.values("key")
        .annotate(
            calls=Count("id"),
            inbound=Count("id", filter=inbound),
            answered=Count("id", filter=Q(answered_at__isnull=False)),
            answered_fast=Count("id", filter=inbound & Q(answered_at__isnull=False, ring_seconds__lte=fast)),
            abandoned=Count("id", filter=inbound & Q(state=CallState.ENDED, answered_at__isnull=True)),
            handling=Avg("talk_seconds", filter=Q(answered_at__isnull=False)),
        )
        .order_by("key")
    )
    return [
        {
            "key": str(row["key"]) if group_by == "agent" else int(row["key"]),
            "calls": row["calls"],
            "answered": row["answered"],
            "answered_within_share": _share(row["answered_fast"], row["inbound"]),
            "abandoned_rate": _share(row["abandoned"], row["inbound"]),
            "average_handling_seconds": round(row["handling"], 1) if row["handling"] is not None else None,
        }
        for row in stats
    ]


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


# --- what ingesting a batch of events reads: one query per kind for the whole batch ----------------------
@dataclass(slots=True)
class StoredEvent:
    """A stored CallEvent, as much of it as the projection reads (cheaper than a model instance)."""

    event: str
    agent_code: str
    at: datetime
    payload: dict


def events_of(calls: Iterable[Call]) -> dict[str, list[StoredEvent]]:
    """Every stored event of these calls, by call id."""
    call_ids = {call.pk: call.call_id for call in calls}
    events: dict[str, list[StoredEvent]] = {call_id: [] for call_id in call_ids.values()}
    if call_ids:
        rows = (
            CallEvent.objects.filter(call_id__in=call_ids)
            .order_by()
            .values_list("call_id", "event", "agent_code", "at", "payload")
        )
        for call_pk, event, agent_code, at, payload in rows:
            events[call_ids[call_pk]].append(StoredEvent(event, agent_code, at, payload))
    return events


def customer_ids_by_number(numbers: set[str]) -> dict[str, set[int]]:
    """E.164 number -> the customers who have it (any number of them: a switchboard is shared)."""

    found: dict[str, set[int]] = {}
    if numbers:
        for number, customer_id in CustomerPhone.objects.filter(number__in=numbers).values_list(
            "number", "customer_id"
        ):
            found.setdefault(number, set()).add(customer_id)
    return found


def blocked_among(numbers: set[str]) -> set[str]:
    """Which of these E.164 numbers are on the blocked list (SPEC §11 无聊电话)."""
    if not numbers:
        return set()
    return set(BlockedNumber.objects.filter(number__in=numbers).values_list("number", flat=True))


def agent_users(agent_codes: set[str]) -> dict[str, int]:
    """Agent id (工号) -> the user id of the staff member who has it."""

    if not agent_codes:
        return {}
    return dict(StaffProfile.objects.filter(agent_id__in=agent_codes).values_list("agent_id", "user_id"))


def orders_saved_for(numbers: set[str], start: datetime, end: datetime) -> list[tuple[str, datetime, int]]:
    """(shipper number, created at, order id) of the orders these numbers placed in [start, end], newest first."""

    return list(
        Order.objects.filter(shipper_phone__in=numbers, created_at__range=(start, end))
        .order_by("-created_at", "-id")
        .values_list("shipper_phone", "created_at", "id")
    )


def tickets_saved_for(numbers: set[str], start: datetime, end: datetime) -> list[tuple[str, datetime, int]]:
    """(customer number, created at, ticket id) of the tickets opened for these numbers in [start, end], newest
    first."""

    return list(
        Ticket.objects.filter(customer_phone__in=numbers, created_at__range=(start, end))
        .order_by("-created_at", "-id")
        .values_list("customer_phone", "created_at", "id")
    )
