"""The due-now board (SPEC §5–§8, §10): the one place where everything due shows, from every operational app —
the follow-ups (tracking's checks, callbacks promised on an order or a ticket: ``followups.FollowUp``), reviews and
dispatches past due, missed calls, tickets past their deadline. Reads only; each source is one range scan of its partial
index."""

from datetime import timedelta

from django.db.models import Exists, OuterRef, Q
from django.utils.http import urlencode

from freightdesk.core import worktime
from freightdesk.core.phones import display_phone
from freightdesk.followups.deadlines import DEFAULT_TRANSIT_HOURS
from freightdesk.followups.models import CHECK_KINDS, OPEN_FOLLOWUP, FollowUp, FollowUpKind
from freightdesk.messaging.selectors import PHONE_AFTER, dispatch_sms_to_phone
from freightdesk.orders.models import Order
from freightdesk.telephony.selectors import due_callbacks
from freightdesk.tickets.models import Category, Severity, Ticket

from .board_items import ACTIONS, URGENT_KINDS, BoardItem
from .board_orders import EVERYONE, OVERDUE_ORDERS, Scope, overdue_count, overdue_rows

BOARD_LIMIT = 100  # rows per source; the counts say how many more there are
# The counts at the top, each the kinds it counts (the board's filter per kind uses the same keys).
COUNT_KINDS = {
    "emergencies": ("emergency", "crisis"),
    "checks": (FollowUpKind.PICKUP_CHECK, FollowUpKind.DELIVERY_CHECK, FollowUpKind.EXCEPTION),
    "callbacks": (FollowUpKind.CALLBACK,),
    "reviews": ("review",),
    "dispatches": ("dispatch",),
    "missed_calls": ("missed_call",),
    "web_messages": (FollowUpKind.WEB_MESSAGE,),
    "tickets": ("ticket",),
    "ticket_callbacks": ("ticket_callback",),
    "sms_to_phone": ("sms_phone",),
}


def allowed_time(kind: str) -> timedelta:
    """How long a kind of work is allowed (its deadline policy), the yardstick of how overdue a row is."""
    policy = {
        "review": "review",
        "dispatch": "dispatch",
        FollowUpKind.PICKUP_CHECK: "pickup",
        FollowUpKind.EXCEPTION: "pickup",
        FollowUpKind.CALLBACK: "callback",
        "missed_call": "callback",
        "ticket_callback": "callback",
        FollowUpKind.WEB_MESSAGE: "web_message",
    }.get(kind)
    if policy:
        return timedelta(minutes=max(1, worktime.policy_rule(policy).minutes))
    if kind == FollowUpKind.DELIVERY_CHECK:
        return timedelta(hours=DEFAULT_TRANSIT_HOURS)
    if kind == "sms_phone":
        return PHONE_AFTER
    return timedelta(hours=1)


def urgency(item: BoardItem, now, allowed: dict) -> tuple:
    """Emergencies and crises first; then how overdue relative to the time the step is allowed (ten minutes
    late on a three-minute dispatch outranks an hour late on a day's delivery); then the earliest deadline."""
    span = item.allowed or allowed[item.kind]
    return (0 if item.kind in URGENT_KINDS else 1, -((now - item.due_at) / span), item.due_at)


def _followup_items(qs) -> list[BoardItem]:
    rows = qs.values_list(
        "pk",
        "kind",
        "due_at",
        "note",
        "order__serial",
        "order__pickup_address",
        "order__delivery_address",
        "order__agent_id",
        "created_by__profile__agent_id",
    )[:BOARD_LIMIT]
    return [
        BoardItem(
            kind,
            due,
            serial,
            f"{pickup} → {delivery}",
            ("tracking:order", (serial,), f"?action={ACTIONS[kind]}&followup={pk}#action"),
            note,
            ref=pk,
            agent=(promised_by if kind == FollowUpKind.CALLBACK else taken_by) or "",
        )
        for pk, kind, due, note, serial, pickup, delivery, taken_by, promised_by in rows
    ]


COUNT_CAP = 1000


def _order_items(kind: str, now, scope: Scope = EVERYONE) -> list[BoardItem]:
    url_name = OVERDUE_ORDERS[kind][3]
    return [
        BoardItem(
            kind,
            due,
            serial,
            f"{pickup} → {delivery}",
            (url_name, (serial,), ""),
            agent=agent_id if kind == "dispatch" else "",  # a review waits for whoever takes it
        )
        for serial, due, pickup, delivery, agent_id in overdue_rows(kind, now, scope, BOARD_LIMIT)
    ]


def _count(qs) -> int:
    """How many, up to COUNT_CAP (the board says "1000+" beyond): a capped count never walks a huge backlog.
    Unordered: any COUNT_CAP + 1 rows count alike, so the planner walks the index of the WHERE (an order would
    make it walk the index of the order instead, or sort every match). A source that counts itself gives its number."""
    return qs if isinstance(qs, int) else qs.order_by()[: COUNT_CAP + 1].count()


def _missed_calls():
    return FollowUp.objects.filter(closed_at__isnull=True, kind=FollowUpKind.MISSED_CALL)


def _missed_call_items(now) -> list[BoardItem]:
    """Missed and abandoned inbound calls waiting for a callback (SPEC §10; telephony), shown before they are due:
    the button opens a new ticket for the caller's number."""
    rows = due_callbacks(now).values_list("pk", "callback_due_at", "customer_number", "customer__name")
    return [
        BoardItem(
            "missed_call",
            due,
            "",
            display_phone(number),
            ("tickets:new", (), f"?{urlencode({'phone': display_phone(number)})}"),
            name or "",
            ref=pk,
        )
        for pk, due, number, name in rows[:BOARD_LIMIT]
    ]


def _web_messages():
    # The partial index on open follow-ups, by kind, in deadline order.
    return FollowUp.objects.filter(closed_at__isnull=True, kind=FollowUpKind.WEB_MESSAGE)


def _web_message_items() -> list[BoardItem]:
    """Website messages waiting for their answer (SPEC §2 网站留言), shown before they are due with the promised
    time; the row opens the conversation, where the answer goes back to the customer by SMS."""
    rows = _web_messages().order_by("due_at", "id").values_list("subject_id", "due_at", "note")[:BOARD_LIMIT]
    return [
        BoardItem(FollowUpKind.WEB_MESSAGE, due, "", note, ("conversations:desk", (pk,), ""), ref=pk)
        for pk, due, note in rows
    ]


URGENT_TICKETS = Q(category=Category.EMERGENCY) | Q(severity=Severity.CRISIS)


def _overdue_tickets(now, scope: Scope = EVERYONE):
    # The partial index ticket_due_board's own condition, spelled out so SQLite and PostgreSQL use it; its order
    # for the rows (the model's default order would sort every match).
    # Emergencies and crises are rows of their own, due or not.
    return (
        Ticket.objects.filter(queue_due_at__isnull=False, queue_due_at__lte=now)
        .exclude(URGENT_TICKETS)
        .filter(scope.q("handler__profile__agent_id"))
        .order_by("queue_due_at", "id")
    )


def _urgent_tickets():
    """Pending emergencies and crises (SPEC §9, §10), due or not: the top of the board."""
    return Ticket.objects.filter(URGENT_TICKETS, queue_due_at__isnull=False).order_by("queue_due_at", "id")


def _urgent_items() -> list[BoardItem]:
    rows = _urgent_tickets().values_list(
        "number",
        "queue_due_at",
        "category",
        "subcategory",
        "sla_policy__label",
        "customer_name",
        "severity",
        "sla_policy__deadline__minutes",
        "handler__profile__agent_id",
    )[:BOARD_LIMIT]
    return [
        BoardItem(
            "crisis" if severity == Severity.CRISIS else "emergency",
            due,
            number,
            _ticket_route(category, label, sub),
            ("tickets:detail", (number,), ""),
            name,
            allowed=timedelta(minutes=minutes or 10),
        )
        for number, due, category, sub, label, name, severity, minutes, _handler in rows
    ]


def _ticket_callbacks(scope: Scope = EVERYONE):
    # The partial index on open follow-ups (closed_at IS NULL), by kind, in reminder order.
    return (
        FollowUp.objects.filter(closed_at__isnull=True, kind=FollowUpKind.TICKET_CALLBACK)
        .filter(scope.q("created_by__profile__agent_id"))
        .order_by("due_at", "id")
    )


def _ticket_route(category: str, label: str, subcategory: str) -> str:
    return f"{Category(category).label if category in Category.values else category} · {label or subcategory}"


def _ticket_items(now, scope: Scope = EVERYONE) -> list[BoardItem]:
    """Pending tickets past their SLA deadline (SPEC §10), longest overdue first: the button opens the ticket."""
    rows = _overdue_tickets(now, scope).values_list(
        "number",
        "queue_due_at",
        "category",
        "subcategory",
        "sla_policy__label",
        "customer_name",
        "sla_policy__deadline__minutes",
        "handler__profile__agent_id",
    )[:BOARD_LIMIT]
    return [
        BoardItem(
            "ticket",
            due,
            number,
            _ticket_route(category, label, sub),
            ("tickets:detail", (number,), ""),
            name,
            agent=handler or "",
            allowed=timedelta(minutes=minutes) if minutes else None,
        )
        for number, due, category, sub, label, name, minutes, handler in rows
    ]


def _ticket_callback_items(scope: Scope = EVERYONE) -> list[BoardItem]:
    """Callbacks promised on tickets (SPEC §8, §10: call back before the promised time), shown before they are due
    like the orders' ones."""
    callbacks = list(
        _ticket_callbacks(scope).values_list("deadline", "note", "subject_id", "pk", "created_by__profile__agent_id")[
            :BOARD_LIMIT
        ]
    )
    tickets = {
        pk: row
        for pk, *row in Ticket.objects.filter(pk__in={c[2] for c in callbacks}).values_list(
            "pk", "number", "category", "subcategory", "sla_policy__label"
        )
    }
    rows = [
        (due, note, pk, agent, *tickets[subject]) for due, note, subject, pk, agent in callbacks if subject in tickets
    ]
    return [
        BoardItem(
            "ticket_callback",
            due,
            number,
            _ticket_route(category, label, sub),
            ("tickets:detail", (number,), ""),
            note,
            ref=pk,
            agent=agent or "",
        )
        for due, note, pk, agent, number, category, sub, label in rows
    ]


def _sms_phone_items(now) -> list[BoardItem]:
    """Dispatch SMS the gateway has not taken for a minute (SPEC §6, 电话方式为辅): phone the recipient now; the
    button opens the order's dispatch page, where the call is recorded."""
    rows = dispatch_sms_to_phone(now=now).values_list(
        "created_at", "order__serial", "recipient_name", "to", "last_error"
    )
    return [
        BoardItem(
            "sms_phone",
            created_at + PHONE_AFTER,
            serial or "",
            f"{recipient} {display_phone(to)}",
            ("dispatch:order", (serial,), "") if serial else (),
            last_error,
        )
        for created_at, serial, recipient, to, last_error in rows[:BOARD_LIMIT]
    ]


def _nothing():
    return Order.objects.none()


def _order_in_scope(scope: Scope) -> Q:
    """A check whose order is in ``scope`` (one without an order is nobody's). Asked per check by primary key: a
    join of the open checks to their orders let PostgreSQL walk the orders' primary key from the start (a merge join,
    43 ms at 1M orders) for a few hundred checks."""
    if scope.agent is None:
        return Q()
    order = Exists(Order.objects.filter(scope.q("agent_id"), pk=OuterRef("order_id")))
    return Q(order__isnull=True) | order if scope.unowned else Q(order)


def _sources(now, scope: Scope) -> dict:
    """Each count's source in ``scope``: (its rows, the queryset its capped count runs). A source nobody owns
    (emergencies, missed calls, SMS to phone) is in every scope that takes the unowned rows."""
    # Open is closed_at IS NULL too (the model's check constraint): the partial index's own condition.
    checks = FollowUp.objects.filter(
        state__in=OPEN_FOLLOWUP, closed_at__isnull=True, due_at__lte=now, kind__in=CHECK_KINDS
    ).filter(_order_in_scope(scope))
    callbacks = FollowUp.objects.filter(
        state__in=OPEN_FOLLOWUP, closed_at__isnull=True, kind=FollowUpKind.CALLBACK
    ).filter(scope.q("created_by__profile__agent_id"))
    sources = {
        "emergencies": (_urgent_items, _urgent_tickets),
        "checks": (lambda: _followup_items(checks.order_by("due_at", "id")), lambda: checks),
        "callbacks": (lambda: _followup_items(callbacks.order_by("due_at", "id")), lambda: callbacks),
        "reviews": (lambda: _order_items("review", now, scope), lambda: overdue_count("review", now, scope, COUNT_CAP)),
        "dispatches": (
            lambda: _order_items("dispatch", now, scope),
            lambda: overdue_count("dispatch", now, scope, COUNT_CAP),
        ),
        "missed_calls": (lambda: _missed_call_items(now), _missed_calls),
        "web_messages": (_web_message_items, _web_messages),
        "tickets": (lambda: _ticket_items(now, scope), lambda: _overdue_tickets(now, scope)),
        "ticket_callbacks": (lambda: _ticket_callback_items(scope), lambda: _ticket_callbacks(scope)),
        "sms_to_phone": (lambda: _sms_phone_items(now), lambda: dispatch_sms_to_phone(now=now)),
    }
    if not scope.sees_unowned:
        for key in ("emergencies", "missed_calls", "web_messages", "sms_to_phone"):
            sources[key] = (list, _nothing)
    return sources


def due_now(now, *, kind: str = "", agent: str | None = None, unowned: bool = True):
    """The agents' due-now board (SPEC §7, §8, §5, §6, §9, §10), most urgent first: pending emergencies and crises,
    then everything by how overdue it is relative to the time its step is allowed — checks whose time has come,
    every promised callback on an order or a ticket (shown before it is due), reviews, dispatches and tickets past
    their deadline, missed calls to return, dispatch SMS the gateway has not taken for a minute. ``kind``: one
    count's rows only; ``agent``: that agent's rows (and, with ``unowned``, the rows nobody owns), rows and counts
    alike. Each source is one range scan of its partial index, capped at BOARD_LIMIT rows, and the merged list is
    cut to BOARD_LIMIT again; counts are per source (capped at COUNT_CAP)."""
    sources = _sources(now, Scope(agent, unowned))
    fetched = {key: rows() for key, (rows, _qs) in sources.items() if not kind or key == kind}
    counts = {
        key: len(fetched[key]) if _counted_by_rows(key, fetched) else _count(qs())
        for key, (_rows, qs) in sources.items()
    }
    items = [item for rows in fetched.values() for item in rows]
    allowed = {k: allowed_time(k) for k in {i.kind for i in items}}
    items.sort(key=lambda item: urgency(item, now, allowed))
    del items[BOARD_LIMIT:]  # the most urgent hundred; the counts tell the rest
    return items, counts


# The sources whose rows are their count's own query cut at BOARD_LIMIT (missed calls list calls, counted by their
# promises; a ticket's callback is listed only with its ticket).
COUNTED_BY_ROWS = frozenset(COUNT_KINDS) - {"missed_calls", "ticket_callbacks"}


def _counted_by_rows(key: str, fetched: dict) -> bool:
    """Fewer rows than the limit are all of them: a healthy desk's board spends no statement on counting them."""
    return key in COUNTED_BY_ROWS and key in fetched and len(fetched[key]) < BOARD_LIMIT
