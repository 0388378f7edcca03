"""Named read queries over tickets; each selects what its page needs (no query per row)."""

from datetime import datetime

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from freightdesk.accounts.capabilities import Capability, has_capability
from freightdesk.accounts.roles import Role, has_role, roles_of
from freightdesk.core.cleaning import has_bad_character
from freightdesk.followups.models import OPEN_FOLLOWUP, FollowUp, FollowUpKind
from freightdesk.knowledge.selectors import phrases_for_category
from freightdesk.orders.selectors import access_order_for

from . import sla
from .models import Category, OwnerGroup, Ticket, TicketEvent
from .targets import driver_of

QUEUE_LIMIT = 100


def visible_tickets(user) -> QuerySet[Ticket]:
    """Staff see tickets; a customer account sees its own: those it filed and those about its company."""
    if has_capability(user, Capability.VIEW_TICKETS):
        return Ticket.objects.all()
    account = getattr(user, "customer_account", None) if has_role(user, Role.CUSTOMER) else None
    if account is not None and has_capability(user, Capability.FOLLOW_OWN_TICKETS):
        return Ticket.objects.filter(Q(created_by=user) | Q(customer_id=account.customer_id))
    return Ticket.objects.none()


def replies(ticket: Ticket) -> list[dict]:
    """What the desk told the customer (the steps' replies, a suggestion's acknowledgement), oldest first;
    never the internal notes."""
    out = []
    for event in ticket.events.filter(kind__in=("acknowledged", "transition")).order_by("at", "id"):
        changes = event.changes if isinstance(event.changes, dict) else {}
        text = event.text if event.kind == "acknowledged" else changes.get("reply")
        if text:
            out.append({"at": event.at, "text": text})
    return out


def followed_ticket(number: str, phone_last4: str) -> Ticket | None:
    """The public "follow my ticket": the number and the last four digits of the phone it was filed with."""
    if len(phone_last4 or "") != 4 or not phone_last4.isdigit():
        return None
    return Ticket.objects.filter(number=(number or "").strip().upper(), customer_phone__endswith=phone_last4).first()


def access_ticket_for(user, number: str) -> Ticket:
    """The one way a view or the API fetches a ticket: 404 when it does not exist or is not visible."""
    ticket = (
        visible_tickets(user)
        .select_related(
            "order__pickup_region",
            "driver",
            "agent__profile",
            "handler__profile",
            "customer",
            "sla_policy",
            "responsible_driver",
            "responsible_user__profile",
            "approved_by__profile",
        )
        .filter(number=number)
        .first()
    )
    if ticket is None:
        raise Http404
    return ticket


def _pending() -> QuerySet[Ticket]:
    # The partial indexes' own condition, so the planner uses them.
    return Ticket.objects.filter(queue_due_at__isnull=False)


def owner_queue(user, *, limit: int = QUEUE_LIMIT) -> list[Ticket]:
    """The user's queue, soonest deadline first: tickets he handles, and his groups' untaken tickets."""
    groups = [g for g in roles_of(user) if g in OwnerGroup.values]
    cols = (
        "number",
        "category",
        "subcategory",
        "severity",
        "status",
        "customer_name",
        "due_at",
        "breached_at",
        "owner_group",
        "handler_id",
        "created_at",
        "description",
        "sla_policy__label",
    )
    # The sub-category reads as its SLA label (运输时效…), not its code: one join on the small SLA table.
    mine = _pending().filter(handler=user).select_related("sla_policy").order_by("queue_due_at").only(*cols)[:limit]
    pooled = (
        _pending()
        .filter(handler__isnull=True, owner_group__in=groups)
        .select_related("sla_policy")
        .order_by("queue_due_at")
        .only(*cols)[:limit]
    )
    rows = list(mine) + (list(pooled) if groups else [])
    rows.sort(key=lambda t: (t.due_at is None, t.due_at))
    return rows[:limit]


def due_now(now: datetime, *, limit: int = 200) -> dict:
    """The due-now board: breached tickets, tickets due soon, and promised callbacks falling due (SPEC §10)."""
    pending = _pending().select_related("handler__profile", "sla_policy").order_by("queue_due_at")
    return {
        "breached": list(pending.filter(queue_due_at__lte=now)[:limit]),
        "reminding": list(pending.filter(remind_at__lte=now, queue_due_at__gt=now)[:limit]),
        "callbacks": with_tickets(
            _ticket_callbacks()
            .filter(due_at__lte=now)
            .select_related("created_by__profile")
            .order_by("deadline")[:limit]
        ),
    }


def _ticket_callbacks() -> QuerySet[FollowUp]:
    return FollowUp.objects.filter(kind=FollowUpKind.TICKET_CALLBACK, state__in=OPEN_FOLLOWUP)


def with_tickets(callbacks) -> list[FollowUp]:
    """Promised callbacks with their ticket (one query for all), the owner's label and the promised time."""
    callbacks = list(callbacks)
    tickets = Ticket.objects.in_bulk({c.subject_id for c in callbacks})
    for callback in callbacks:
        callback.ticket = tickets.get(callback.subject_id)
        callback.owner_label = OwnerGroup(callback.owner).label if callback.owner in OwnerGroup.values else ""
        callback.countdown = {"due_at": callback.deadline}
    return callbacks


def history(ticket: Ticket) -> QuerySet[TicketEvent]:
    return ticket.events.select_related("by").order_by("at", "id")


def open_callbacks(ticket: Ticket) -> QuerySet[FollowUp]:
    return _ticket_callbacks().filter(subject_id=ticket.pk, subject_type__model="ticket").order_by("deadline")


def open_callbacks_for_customer(customer, *, limit: int) -> list[FollowUp]:
    """The callbacks promised on the customer's tickets and not made yet, soonest first (the call pop-up)."""
    tickets = Ticket.objects.filter(customer=customer).values("pk")
    return with_tickets(_ticket_callbacks().filter(subject_id__in=tickets).order_by("deadline")[:limit])


def ticket_for_api(number: str) -> Ticket | None:
    return Ticket.objects.select_related("handler__profile", "order").filter(number=number).first()


def complaint_counts(start: datetime, end: datetime, group_by: str = "driver") -> list[dict]:
    """Complaints and suggestions counted per driver / sub-category (SPEC §9 reports, monthly)."""
    field = {"driver": "driver__name", "type": "subcategory"}.get(group_by, "subcategory")
    return list(
        Ticket.objects.filter(
            created_at__gte=start, created_at__lt=end, category__in=[Category.COMPLAINT, Category.SUGGESTION]
        )
        .values(field, "category")
        .annotate(count=Count("id"), breached=Count("id", filter=Q(breached_at__isnull=False)))
        .order_by(field, "category")
    )


def new_ticket_preview(user, *, kind: str, serial: str, now: datetime) -> dict:
    """What recording a ticket would fill in, shown while the agent is still on the call (SPEC §10 flow):
    the owner, the deadline and the standard solution from the SLA table, the phrases for the category,
    and what the order links (customer, driver, agent who took it)."""

    category, _sep, subcategory = (kind or "").partition(":")
    policy = sla.policy_for(category, subcategory) if category in Category.values else None
    preview: dict = {"policy": policy, "category": category if policy else ""}
    if policy is not None:
        preview.update(
            due_at=sla.due_at(policy, now),
            mine=policy.owner_group == OwnerGroup.AGENT and has_role(user, Role.AGENT),
            phrases=phrases_for_category(category),
        )
    serial = (serial or "").strip()
    if serial and has_bad_character(serial):  # the refused form's raw value: no order has such a serial
        preview["order_missing"] = serial
    elif serial:
        try:
            order = access_order_for(user, serial)
        except Http404:
            preview["order_missing"] = serial
        else:
            preview.update(order=order, driver=driver_of(order))
    return preview
