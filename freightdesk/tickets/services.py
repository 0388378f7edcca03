"""Every write on a ticket the business names (SPEC §8–§10). Views, the API, tasks and tests call these."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from freightdesk.accounts.capabilities import Capability, has_capability
from freightdesk.accounts.identity import agent_label
from freightdesk.accounts.roles import Role, has_role, roles_of, staff_phones
from freightdesk.core.errors import DomainError, NotAllowed
from freightdesk.core.phones import normalize_phone
from freightdesk.core.serials import next_sequence
from freightdesk.customers.selectors import customers_by_phone
from freightdesk.messaging.models import MessageKind
from freightdesk.orders.timeline import add_event as add_order_event

from . import penalties, severity, sla
from .approvals import needs_manager, proposer_id
from .events import record_event
from .models import (
    FINISHED_STATUSES,
    Category,
    OwnerGroup,
    ResponsibleKind,
    Severity,
    SeverityTrigger,
    Status,
    Ticket,
    TicketChannel,
)
from .signals import ticket_resolved
from .sms import queue_sms
from .steps import TicketInputError, clean_step, compensation_cap
from .targets import TargetIn, resolve_target
from .workflow import find_transition, may, roles_for

SUGGESTION_ACK = "您的建议很重要，我们会及时转给相关部门"  # SPEC §9


def next_ticket_number(now: datetime) -> str:
    """`C` + yyyymm + a monthly sequence: C202611001 (SPEC §10 table 1)."""
    period = timezone.localtime(now).strftime("%Y%m")
    return f"C{period}{next_sequence('ticket', period):03d}"


# What a customer files himself (SPEC §9 web complaint channel; §8 queries): never an emergency.
CUSTOMER_CATEGORIES = frozenset({Category.INQUIRY, Category.COMPLAINT, Category.SUGGESTION})


def open_ticket(
    *,
    by,
    category: str,
    subcategory: str,
    channel: str,
    description: str,
    demand: str = "",
    order=None,
    customer_name: str = "",
    customer_phone: str = "",
    customer=None,
    target: TargetIn | None = None,
    now=None,
) -> Ticket:
    """Record a contact that is not a new order (SPEC §10 flow; §9 step 1: complainant, time, target, demand).
    Owner, deadline and standard solution come from the SLA policy; the order links customer, driver and agent;
    a complaint's target (投诉对象) is given or defaults from the order (``targets.py``).
    A customer account files its own inquiries, complaints and suggestions (`customer`: its company)."""
    as_customer = has_capability(by, Capability.FILE_OWN_TICKETS) and category in CUSTOMER_CATEGORIES
    if not (has_capability(by, Capability.RECORD_TICKET) or as_customer):
        raise NotAllowed("role_not_allowed", _("Only the service desk records tickets."))
    return _record(
        by=by,
        category=category,
        subcategory=subcategory,
        channel=channel,
        description=description,
        demand=demand,
        order=order,
        customer_name=customer_name,
        customer_phone=customer_phone,
        customer=customer,
        target=target,
        now=now,
    )


def file_web_ticket(
    *, name: str, phone: str, category: str, subcategory: str, description: str, demand: str = "", order=None, now=None
) -> Ticket:
    """The public web complaint and suggestion channel (SPEC §2, §9): name and phone required, never an emergency."""
    if category not in CUSTOMER_CATEGORIES:
        raise TicketInputError("invalid", _("Choose a category."), field="category")
    if not (name or "").strip():
        raise TicketInputError("required", _("Tell us your name."), field="customer_name")
    if not (phone or "").strip():
        raise TicketInputError("required", _("Tell us your phone number."), field="customer_phone")
    return _record(
        by=None,
        category=category,
        subcategory=subcategory,
        channel=TicketChannel.WEB_MESSAGE,
        description=description,
        demand=demand,
        order=order,
        customer_name=name,
        customer_phone=phone,
        customer=None,
        target=None,
        now=now,
    )


def _record(
    *,
    by,
    category,
    subcategory,
    channel,
    description,
    demand,
    order,
    customer_name,
    customer_phone,
    customer,
    target: TargetIn | None,
    now,
) -> Ticket:
    now = now or timezone.now()
    policy = _check_new(category, subcategory, channel, description, demand)
    phone = _phone(customer_phone)
    about = resolve_target(category=category, subcategory=subcategory, order=order, given=target)
    with transaction.atomic():
        ticket = _new_ticket(policy, by=by, channel=channel, description=description, demand=demand, now=now)
        ticket.category, ticket.subcategory = category, subcategory
        ticket.customer_name, ticket.customer_phone = customer_name.strip()[:40], phone
        _link(ticket, order)
        ticket.target_kind, ticket.driver, ticket.agent = about.kind, about.driver, about.agent
        if customer is not None and order is None:
            ticket.customer = customer
        ticket.save()
        _opening_events(ticket, order, by, now)
        _on_open(ticket, by, now)
    return ticket


def _new_ticket(policy, *, by, channel, description, demand, now) -> Ticket:
    """A ticket with its SLA row's owner, deadline, reminder and standard solution; the handler is the agent who
    records it when an agent owns it."""
    ticket = Ticket(
        number=next_ticket_number(now),
        channel=channel,
        description=description.strip(),
        demand=demand.strip(),
        created_at=now,
        created_by=by,
        owner_group=policy.owner_group,
        sla_policy=policy,
        standard_solution=policy.standard_solution,
        due_at=sla.due_at(policy, now),
        remind_at=sla.remind_at(policy, now),
    )
    ticket.queue_due_at = ticket.due_at
    ticket.handler = by if policy.owner_group == OwnerGroup.AGENT and has_role(by, Role.AGENT) else None
    return ticket


def _opening_events(ticket: Ticket, order, by, now) -> None:
    """ "Opened" on the ticket's history and, for an order's ticket, a line on the order's timeline."""
    kind = f"{ticket.category}/{ticket.subcategory}"
    record_event(
        ticket=ticket,
        kind="created",
        by=by,
        after=ticket.status,
        at=now,
        text=kind,
        changes={"due_at": ticket.due_at.isoformat()},
    )
    if order is not None:
        add_order_event(
            order=order,
            kind="ticket",
            text=f"{ticket.number} {kind}",
            by=by,
            by_label=agent_label(by),
            at=now,
            params={"number": ticket.number, "category": ticket.category},
        )


def _check_new(category, subcategory, channel, description, demand):
    if category not in Category.values:
        raise TicketInputError("invalid", _("Choose a category."), field="category")
    if channel not in TicketChannel.values:
        raise TicketInputError("invalid", _("Choose a channel."), field="channel")
    policy = sla.policy_for(category, subcategory)
    if policy is None:
        raise TicketInputError(
            "invalid", _("No SLA policy for this sub-category: choose one from the list."), field="subcategory"
        )
    if not (description or "").strip():
        raise TicketInputError("required", _("Write what the customer said."), field="description")
    if len(description) > 2000 or len(demand or "") > 500:
        raise TicketInputError("too_long", _("The text is too long."), field="description")
    return policy


def _phone(raw: str) -> str:
    if not (raw or "").strip():
        return ""
    try:
        return normalize_phone(raw)
    except ValidationError as exc:
        raise TicketInputError("invalid", exc.messages[0], field="customer_phone") from None


def _link(ticket: Ticket, order) -> None:
    """The order brings the customer (SPEC §9: 按单记录); its driver and agent come with the target (``targets.py``)."""
    if order is not None:
        ticket.order = order
        caller_is_consignee = ticket.customer_phone and ticket.customer_phone == order.consignee_phone
        ticket.customer = order.consignee if caller_is_consignee else order.shipper
        ticket.customer_name = ticket.customer_name or (
            order.consignee_name if caller_is_consignee else order.shipper_name
        )
        ticket.customer_phone = ticket.customer_phone or order.shipper_phone
    elif ticket.customer_phone:
        ticket.customer = customers_by_phone(ticket.customer_phone).first()


def _on_open(ticket: Ticket, by, now) -> None:
    severity.raise_severity(ticket=ticket, trigger=SeverityTrigger.OPENED, now=now)
    severity.raise_severity(ticket=ticket, trigger=SeverityTrigger.ASKS_MANAGEMENT, now=now, text=ticket.demand)
    if ticket.category == Category.SUGGESTION:
        record_event(ticket=ticket, kind="acknowledged", by=by, text=SUGGESTION_ACK, at=now)
    if ticket.category == Category.EMERGENCY:
        text = f"紧急工单{ticket.number}:{ticket.description[:30]},请立即处理。{agent_label(by)}"
        paged = [
            queue_sms(to=phone, text=text, role="supervisor", kind=MessageKind.EMERGENCY, ticket=ticket)
            for phone in staff_phones(Role.SUPERVISOR)
        ]
        record_event(
            ticket=ticket, kind="paged", by=by, at=now, text=text, changes={"recipients": sum(1 for p in paged if p)}
        )


def transition_ticket(*, ticket: Ticket, by, to: str, data: dict | None = None, now=None) -> Ticket:
    """Take one step of the ticket's workflow (SPEC §9 complaint process; §8 queries): checks the step is
    allowed from the current status and for the user's role, writes the fields and the history row at once."""
    now = now or timezone.now()
    step = _allowed_step(ticket, by, to)
    values = clean_step(step, ticket, data or {})
    note = values.pop("note", "")
    if penalties.is_penalty_step(step):
        penalties.fill_proposed(ticket, values, now)
    rise = severity.matching_rule(ticket, SeverityTrigger.REOPENED) if step.reopens else None
    updates = {**values, "status": step.target, **_stamps(step, ticket, by, now, values)}
    if rise is not None:
        updates["severity"] = rise.raise_to
    with transaction.atomic():
        if not Ticket.objects.filter(pk=ticket.pk, status=ticket.status, severity=ticket.severity).update(**updates):
            raise DomainError("ticket_changed", _("Someone changed this ticket meanwhile: reload and try again."))
        before, severity_before = ticket.status, ticket.severity
        ticket.refresh_from_db()
        record_event(
            ticket=ticket,
            kind="transition",
            by=by,
            before=before,
            after=step.target,
            at=now,
            text=note or str(step.label),
            changes={k: _plain(v) for k, v in updates.items()},
        )
        if rise is not None:
            severity.note_raised(ticket=ticket, rule=rise, before=severity_before, now=now)
        if penalties.is_penalty_step(step):
            penalties.charge(ticket=ticket, by=by, now=now)
        _after_step(ticket, step, now)
    return ticket


def _allowed_step(ticket: Ticket, by, to: str):
    """The workflow's step from the ticket's status to ``to``, if there is one and the user's role may take it."""
    step = find_transition(ticket.category, ticket.status, to)
    if step is None:
        raise DomainError(
            "transition_not_allowed",
            _("A %(cat)s ticket cannot go from “%(a)s” to “%(b)s”.")
            % {"cat": ticket.get_category_display(), "a": ticket.get_status_display(), "b": to},
        )
    if not may(by, step, ticket.severity):
        roles = ", ".join(sorted(str(r) for r in roles_for(step, ticket.severity)))
        raise NotAllowed("role_not_allowed", _("Only %(roles)s may do this.") % {"roles": roles})
    return step


def _after_step(ticket: Ticket, step, now) -> None:
    """A proposal above the cap says it needs a manager; a resolved ticket asks the desk for its survey."""
    if step.target == Status.PROPOSED and needs_manager(ticket):
        record_event(
            ticket=ticket,
            kind="needs_manager",
            at=now,
            text=needs_manager(ticket),
            changes={"amount": str(ticket.resolution_amount), "cap": str(compensation_cap())},
        )
    if step.target == Status.RESOLVED:
        ticket_resolved.send(sender=Ticket, ticket=ticket)  # desk: the satisfaction survey (SPEC §10)


def _stamps(step, ticket: Ticket, by, now, values: dict) -> dict:
    """The dates and derived fields a step sets besides what the user typed."""
    stamps: dict = {}
    if step.target == Status.APPROVED:
        if needs_manager(ticket) and not has_capability(by, Capability.APPROVE_RESOLUTION):
            raise NotAllowed("manager_approval_required", needs_manager(ticket))
        if by is not None and proposer_id(ticket) == by.pk:
            raise NotAllowed(
                "four_eyes",
                _("You proposed this resolution: another supervisor or a manager must approve it."),
            )
        stamps.update(approved_by=by, approved_at=now)
    if step.source == Status.PROPOSED and step.target == Status.INVESTIGATED:
        stamps.update(approved_by=None, approved_at=None)
    if step.target in FINISHED_STATUSES:
        stamps["queue_due_at"] = None
    if step.target == Status.RESOLVED:
        stamps["resolved_at"] = now
    if step.target in (Status.CLOSED, Status.DISMISSED):
        stamps["closed_at"] = now
    if step.reopens:
        stamps.update(
            reopen_count=ticket.reopen_count + 1, resolved_at=None, closed_at=None, breached_at=None, reminded_at=None
        )
        due = sla.due_at(ticket.sla_policy, now) if ticket.sla_policy else ticket.due_at
        stamps.update(due_at=due, queue_due_at=due)
        if ticket.sla_policy:
            stamps["remind_at"] = sla.remind_at(ticket.sla_policy, now)
    if values.get("responsible_kind") == ResponsibleKind.NONE:
        stamps.update(responsible_driver=None, responsible_user=None)
    return stamps


def _plain(value):
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, datetime):
        return value.isoformat()
    return value if isinstance(value, int | str | bool | None) else str(value)


def escalate_ticket(*, ticket: Ticket, by, to: str, note: str, now=None) -> Ticket:
    """Raise a complaint's severity (SPEC §9, 001 第二篇): class 2 when the customer demands management;
    a crisis goes to the top at once — managers are paged and the ticket is locked to them."""
    now = now or timezone.now()
    if to not in Severity.values or Severity.rank(to) <= Severity.rank(ticket.severity):
        raise DomainError("severity_not_higher", _("Severity can only go up."))
    if ticket.status in FINISHED_STATUSES - {Status.RESOLVED}:
        raise DomainError("ticket_closed", _("A closed ticket is reopened before it is escalated."))
    needed = Capability.DECLARE_CRISIS if to == Severity.CRISIS else Capability.WORK_TICKETS
    if not has_capability(by, needed):
        raise NotAllowed("role_not_allowed", _("Only a supervisor or a manager may declare a crisis."))
    if not (note or "").strip():
        raise TicketInputError("required", _("Say why."), field="note")
    updates = {"severity": to}
    if to == Severity.CRISIS:
        updates.update(owner_group=OwnerGroup.MANAGER, handler=None)
    with transaction.atomic():
        if not Ticket.objects.filter(pk=ticket.pk, severity=ticket.severity, status=ticket.status).update(**updates):
            raise DomainError("ticket_changed", _("Someone changed this ticket meanwhile: reload and try again."))
        before = ticket.severity
        ticket.refresh_from_db()
        record_event(
            ticket=ticket, kind="escalated", by=by, at=now, text=note.strip()[:500], changes={"severity": [before, to]}
        )
        if to == Severity.CRISIS:
            text = f"危机投诉{ticket.number}:{ticket.description[:30]},请管理层立即处理。{agent_label(by)}"
            for phone in staff_phones(Role.MANAGER):
                queue_sms(to=phone, text=text, role="manager", kind=MessageKind.CRISIS, ticket=ticket)
    return ticket


def take_ticket(*, ticket: Ticket, by, now=None) -> Ticket:
    """A member of the owner group takes a group ticket into his own queue."""
    if ticket.owner_group not in roles_of(by):
        raise NotAllowed("role_not_allowed", _("This ticket belongs to another group."))
    with transaction.atomic():
        if not Ticket.objects.filter(pk=ticket.pk, handler__isnull=True).update(handler=by):
            raise DomainError("ticket_taken", _("Someone else has taken this ticket."))
        ticket.refresh_from_db()
        record_event(ticket=ticket, kind="taken", by=by, at=now, text=agent_label(by))
    return ticket
