"""The due-now board (SPEC §5–§8, §10): the one place where everything due shows, from every operational app —
the follow-ups (tracking's checks, callbacks promised on an order or a ticket: ``followups.FollowUp``), reviews and
dispatches past due, missed calls, tickets past their deadline. Reads only; each source is one range scan of its partial
index."""

from dataclasses import dataclass
from datetime import datetime

from django.db import DatabaseError, connection
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from freightdesk.core.phones import display_phone
from freightdesk.followups.models import OPEN_FOLLOWUP, FollowUp, FollowUpKind
from freightdesk.messaging.selectors import PHONE_AFTER, dispatch_sms_to_phone
from freightdesk.orders.models import Order, Status
from freightdesk.telephony.models import Call
from freightdesk.telephony.selectors import due_callbacks
from freightdesk.tickets.models import Category, Ticket

BOARD_LIMIT = 100  # rows per source; the counts say how many more there are
ITEM_LABELS = {
    FollowUpKind.PICKUP_CHECK: _("Pickup not confirmed"),
    FollowUpKind.DELIVERY_CHECK: _("Delivery past its deadline"),
    FollowUpKind.EXCEPTION: _("Exception reported"),
    FollowUpKind.CALLBACK: _("Promised callback"),
    "review": _("Review past due"),
    "dispatch": _("Dispatch past due"),
    "missed_call": _("Missed call: call back"),
    "ticket": _("Ticket past its deadline"),
    "ticket_callback": _("Promised callback (ticket)"),
    "sms_phone": _("Dispatch SMS not going out: phone the recipient"),
}
ACTIONS = {
    FollowUpKind.PICKUP_CHECK: "urge",
    FollowUpKind.DELIVERY_CHECK: "escalate",
    FollowUpKind.EXCEPTION: "urge",
    FollowUpKind.CALLBACK: "callback",
}


@dataclass(frozen=True)
class BoardItem:
    kind: str
    due_at: datetime
    serial: str
    route: str
    url: str
    note: str = ""

    @property
    def label(self):
        return ITEM_LABELS[self.kind]


def _followup_items(qs) -> list[BoardItem]:
    rows = qs.values_list(
        "pk", "kind", "due_at", "note", "order__serial", "order__pickup_address", "order__delivery_address"
    )[:BOARD_LIMIT]
    return [
        BoardItem(
            kind,
            due,
            serial,
            f"{pickup} → {delivery}",
            reverse("tracking:order", args=[serial]) + f"?action={ACTIONS[kind]}&followup={pk}#action",
            note,
        )
        for pk, kind, due, note, serial, pickup, delivery in rows
    ]


# Reviews and dispatches past due, from the orders app's partial indexes (pending rows in due order).
OVERDUE_ORDERS = {
    "review": ("order_review_pending", "review_due_at", (Status.SUBMITTED, Status.PROBLEM), "orders:detail"),
    "dispatch": ("order_dispatch_pending", "dispatch_due_at", (Status.CONFIRMED,), "dispatch:order"),
}
COUNT_CAP = 1000


def _overdue_qs(kind: str, now):
    _index, due_field, statuses, _url = OVERDUE_ORDERS[kind]
    return Order.objects.filter(status__in=list(statuses), **{f"{due_field}__lt": now})


def _overdue_rows(kind: str, now) -> list[tuple]:
    index, due_field, statuses, _url = OVERDUE_ORDERS[kind]
    if connection.vendor == "sqlite":
        # SQLite's planner has no statistics and picks the (status, created) index, then sorts every match;
        # the partial index is already in due order, so name it. The WHERE repeats the index's condition.
        # The statuses are written as literals (our own constants): SQLite uses a partial index only when it can
        # see at prepare time that the query implies the index's condition, which a bound parameter hides.
        literals = [f"'{s.value}'" for s in statuses]
        where = f"status = {literals[0]}" if len(literals) == 1 else f"status IN ({', '.join(literals)})"
        sql = (
            f"SELECT serial, {due_field}, pickup_address, delivery_address FROM orders_order INDEXED BY {index} "
            f"WHERE {where} AND {due_field} < %s ORDER BY {due_field}, id LIMIT %s"
        )
        params = [connection.ops.adapt_datetimefield_value(now), BOARD_LIMIT]
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                rows = cursor.fetchall()
            field = Order._meta.get_field(due_field)
            convert = connection.ops.get_db_converters(field.get_col(Order._meta.db_table))
            return [
                (serial, _converted(due, convert, field), pickup, delivery) for serial, due, pickup, delivery in rows
            ]
        except DatabaseError:  # the index was renamed: fall back to the plain query
            pass
    return list(
        _overdue_qs(kind, now)
        .order_by(due_field, "id")
        .values_list("serial", due_field, "pickup_address", "delivery_address")[:BOARD_LIMIT]
    )


def _converted(value, converters, field):
    for converter in converters:
        value = converter(value, field, connection)
    return value


def _order_items(kind: str, now) -> list[BoardItem]:
    url_name = OVERDUE_ORDERS[kind][3]
    return [
        BoardItem(kind, due, serial, f"{pickup} → {delivery}", reverse(url_name, args=[serial]))
        for serial, due, pickup, delivery in _overdue_rows(kind, now)
    ]


def _count(qs) -> int:
    """How many, up to COUNT_CAP (the board says "1000+" beyond): a capped count never walks a huge backlog."""
    return qs[: COUNT_CAP + 1].count()


def _missed_calls():
    return Call.objects.filter(callback_due_at__isnull=False, callback_done_at__isnull=True)


def _missed_call_items(now) -> list[BoardItem]:
    """Missed and abandoned inbound calls waiting for a callback (SPEC §10; telephony), shown before they are due:
    the button opens a new ticket for the caller's number."""
    new_ticket = reverse("tickets:new")
    return [
        BoardItem(
            "missed_call",
            call.callback_due_at,
            "",
            display_phone(call.customer_number),
            f"{new_ticket}?{urlencode({'phone': display_phone(call.customer_number)})}",
            call.customer.name if call.customer else "",
        )
        for call in due_callbacks(now)[:BOARD_LIMIT]
    ]


def _overdue_tickets(now):
    # The partial index ticket_due_board's own condition, spelled out so SQLite and PostgreSQL use it; its order,
    # so that the capped count walks the index too (the model's default order would sort every match).
    return Ticket.objects.filter(queue_due_at__isnull=False, queue_due_at__lte=now).order_by("queue_due_at", "id")


def _ticket_callbacks():
    # The partial index on open follow-ups (closed_at IS NULL), by kind, in reminder order.
    return FollowUp.objects.filter(closed_at__isnull=True, kind=FollowUpKind.TICKET_CALLBACK).order_by("due_at", "id")


def _ticket_route(category: str, label: str, subcategory: str) -> str:
    return f"{Category(category).label if category in Category.values else category} · {label or subcategory}"


def _ticket_items(now) -> list[BoardItem]:
    """Pending tickets past their SLA deadline (SPEC §10), longest overdue first: the button opens the ticket."""
    rows = _overdue_tickets(now).values_list(
        "number", "queue_due_at", "category", "subcategory", "sla_policy__label", "customer_name"
    )[:BOARD_LIMIT]
    return [
        BoardItem(
            "ticket", due, number, _ticket_route(category, label, sub), reverse("tickets:detail", args=[number]), name
        )
        for number, due, category, sub, label, name in rows
    ]


def _ticket_callback_items() -> list[BoardItem]:
    """Callbacks promised on tickets (SPEC §8, §10: call back before the promised time), shown before they are due
    like the orders' ones."""
    callbacks = list(_ticket_callbacks().values_list("deadline", "note", "subject_id")[:BOARD_LIMIT])
    tickets = {
        pk: row
        for pk, *row in Ticket.objects.filter(pk__in={subject for _due, _note, subject in callbacks}).values_list(
            "pk", "number", "category", "subcategory", "sla_policy__label"
        )
    }
    rows = [(due, note, *tickets[subject]) for due, note, subject in callbacks if subject in tickets]
    return [
        BoardItem(
            "ticket_callback",
            due,
            number,
            _ticket_route(category, label, sub),
            reverse("tickets:detail", args=[number]),
            note,
        )
        for due, note, number, category, sub, label in rows
    ]


def _sms_phone_items(now) -> list[BoardItem]:
    """Dispatch SMS the gateway has not taken for a minute (SPEC §6, 电话方式为辅): phone the recipient now; the
    button opens the order's dispatch page, where the call is recorded."""
    return [
        BoardItem(
            "sms_phone",
            message.created_at + PHONE_AFTER,
            message.order.serial if message.order else "",
            f"{message.recipient_name} {display_phone(message.to)}",
            reverse("dispatch:order", args=[message.order.serial]) if message.order else "",
            message.last_error,
        )
        for message in dispatch_sms_to_phone(now=now)[:BOARD_LIMIT]
    ]


def due_now(now) -> tuple[list[BoardItem], dict[str, int]]:
    """The agents' due-now board (SPEC §7, §8, §5, §6, §10), most urgent (longest overdue) first: checks whose
    time has come, every promised callback on an order or a ticket (shown before it is due), reviews, dispatches
    and tickets past their deadline, missed calls to return, dispatch SMS the gateway has not taken for a minute.
    Each source is one range scan of its partial index, capped at BOARD_LIMIT rows, and the merged list is cut
    to BOARD_LIMIT again; counts are per source (capped at COUNT_CAP)."""
    checks = FollowUp.objects.filter(state__in=OPEN_FOLLOWUP, due_at__lte=now).exclude(kind=FollowUpKind.CALLBACK)
    callbacks = FollowUp.objects.filter(state__in=OPEN_FOLLOWUP, kind=FollowUpKind.CALLBACK)
    items = (
        _followup_items(checks.order_by("due_at", "id"))
        + _followup_items(callbacks.order_by("due_at", "id"))
        + _order_items("review", now)
        + _order_items("dispatch", now)
        + _missed_call_items(now)
        + _ticket_items(now)
        + _ticket_callback_items()
        + _sms_phone_items(now)
    )
    items.sort(key=lambda item: item.due_at)
    del items[BOARD_LIMIT:]  # the most urgent hundred; the counts tell the rest
    counts = {
        "checks": _count(checks),
        "callbacks": _count(callbacks),
        "reviews": _count(_overdue_qs("review", now)),
        "dispatches": _count(_overdue_qs("dispatch", now)),
        "missed_calls": _count(_missed_calls()),
        "tickets": _count(_overdue_tickets(now)),
        "ticket_callbacks": _count(_ticket_callbacks()),
        "sms_to_phone": _count(dispatch_sms_to_phone(now=now)),
    }
    return items, counts
