"""Follow-up writes on tickets: urging the driver, promised callbacks, reminders and SLA breaches (SPEC §8–§10)."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from freightdesk.accounts.capabilities import Capability, has_capability
from freightdesk.accounts.roles import Role, has_role
from freightdesk.core.errors import DomainError, NotAllowed
from freightdesk.messaging.services import Outgoing, queue_message
from freightdesk.tracking import actions
from freightdesk.tracking.models import OPEN_FOLLOWUP, ActionKind, FollowUp, FollowUpKind

from .models import PENDING_STATUSES, Callback, OwnerGroup, Ticket
from .services import record_event, staff_phones
from .sms import queue_sms
from .steps import TicketInputError

CALLBACK_REMIND_BEFORE = timedelta(minutes=10)
URGE_STAGES = ("pickup", "delivery")


def urge_driver(*, ticket: Ticket, by, stage: str = "pickup", now=None) -> list:
    """A transport complaint about a late pickup or delivery (SPEC §9: "SMS and call the driver, copy the fleet
    manager, record"), in one action, through tracking's own follow-up actions (SPEC §7): a late pickup is
    tracking's urge (the driver gets the editable urge template, 催提货), a late delivery tracking's escalation
    (the fleet manager gets the escalation template, 超过配送时效); either way on the order's open check, which
    records it in the tracking record (跟踪记录) and schedules the next check. The other party gets a copy of
    the same text; the ticket's history lists both messages."""
    now = now or timezone.now()
    if not has_capability(by, Capability.RECORD_TICKET):
        raise NotAllowed("role_not_allowed", _("Only the service desk urges drivers."))
    if ticket.order is None:
        raise DomainError("no_order", _("Link the order first: the driver is found from it."))
    if stage not in URGE_STAGES:
        raise TicketInputError("invalid", _("Urge for pickup or for delivery."), field="stage")
    order = ticket.order
    pickup = stage == "pickup"
    check_kind = FollowUpKind.PICKUP_CHECK if pickup else FollowUpKind.DELIVERY_CHECK
    check = FollowUp.objects.filter(order=order, kind=check_kind, state__in=OPEN_FOLLOWUP).first()
    if check is None:
        raise DomainError(
            "no_open_check",
            (
                _("Order %(serial)s has no pickup to urge: it is not dispatched yet, or it was picked up.")
                if pickup
                else _("Order %(serial)s has no delivery to urge: it is not dispatched yet, or it was delivered.")
            )
            % {"serial": order.serial},
        )
    kind, act = (ActionKind.URGE, actions.urge_driver) if pickup else (ActionKind.ESCALATE, actions.escalate)
    with transaction.atomic():
        text, _code, _params = actions.draft(kind, order=order, agent=by, now=now)
        action = act(followup=check, agent=by, text=text, note=ticket.number, now=now)
        sent = [action.message]
        copy = _copy(action.message, order=order, to_fleet=pickup, by=by, now=now)
        if copy is not None:
            sent.append(copy)
        record_event(
            ticket=ticket,
            kind="urged",
            by=by,
            at=now,
            text=action.message.text,
            changes={
                "stage": stage,
                "to": [m.recipient_role for m in sent],
                "messages": [m.pk for m in sent],
                "followup": check.pk,
            },
        )
    return sent


def _copy(message, *, order, to_fleet: bool, by, now):
    """The same text to the other party (the fleet manager of an urged pickup, the driver of an escalated
    delivery); skipped when that party has no number on file — the urge itself has gone out."""
    try:
        to, name = actions.fleet_recipient(order) if to_fleet else actions.driver_recipient(order)
    except DomainError:
        return None
    outgoing = Outgoing(
        to=to,
        text=message.text,
        signature=message.signature,
        name=name,
        role="fleet_manager" if to_fleet else "driver",
        template_code=message.template_code,
        template_params=message.template_params,
    )
    return queue_message(
        outgoing=outgoing, kind=message.kind, order=order, key=f"{message.idempotency_key}-copy", created_by=by, now=now
    )


def promise_callback(*, ticket: Ticket, by, due_at, note: str = "", now=None) -> Callback:
    """Promise the customer an answer by a time (SPEC §8; 004 §三(三)6): stored, reminded, on the due-now board."""
    now = now or timezone.now()
    if not has_capability(by, Capability.RECORD_TICKET):
        raise NotAllowed("role_not_allowed", _("Only the service desk promises callbacks."))
    if due_at is None or due_at <= now:
        raise TicketInputError("invalid", _("A callback is promised for a time in the future."), field="due_at")
    if ticket.status not in PENDING_STATUSES:
        raise DomainError("ticket_finished", _("This ticket is finished; reopen it first."))
    with transaction.atomic():
        callback = Callback.objects.create(
            ticket=ticket,
            promised_by=by,
            due_at=due_at,
            remind_at=max(due_at - CALLBACK_REMIND_BEFORE, now),
            note=(note or "").strip()[:200],
            created_at=now,
            owner_group=OwnerGroup.SUPERVISOR if has_role(by, Role.SUPERVISOR) else OwnerGroup.AGENT,
        )
        record_event(
            ticket=ticket,
            kind="callback_promised",
            by=by,
            at=now,
            text=callback.note,
            changes={"due_at": due_at.isoformat()},
        )
    return callback


def complete_callback(*, callback: Callback, by, note: str = "", now=None) -> Callback:
    """The promised call was made."""
    now = now or timezone.now()
    if not has_capability(by, Capability.RECORD_TICKET):
        raise NotAllowed("role_not_allowed", _("Only the service desk makes callbacks."))
    with transaction.atomic():
        if not Callback.objects.filter(pk=callback.pk, done_at__isnull=True).update(done_at=now):
            raise DomainError("callback_done", _("This callback was already made."))
        callback.refresh_from_db()
        record_event(ticket=callback.ticket, kind="called_back", by=by, at=now, text=(note or "").strip()[:500])
    return callback


def send_due_reminders(*, now=None) -> dict:
    """Remind owners before a deadline, and mark and escalate breaches (SPEC §10): idempotent, run every minute."""
    now = now or timezone.now()
    counts = {"reminded": 0, "breached": 0, "callbacks": 0}
    pending = Ticket.objects.filter(queue_due_at__isnull=False)
    for ticket in pending.filter(remind_at__lte=now, reminded_at__isnull=True, queue_due_at__gt=now):
        with transaction.atomic():
            if Ticket.objects.filter(pk=ticket.pk, reminded_at__isnull=True).update(reminded_at=now):
                record_event(ticket=ticket, kind="reminded", at=now, changes={"due_at": ticket.due_at.isoformat()})
                counts["reminded"] += 1
    for ticket in pending.filter(queue_due_at__lte=now, breached_at__isnull=True).select_related("sla_policy"):
        with transaction.atomic():
            if Ticket.objects.filter(pk=ticket.pk, breached_at__isnull=True).update(breached_at=now):
                _escalate_breach(ticket, now)
                counts["breached"] += 1
    for callback in Callback.objects.filter(done_at__isnull=True, reminded_at__isnull=True, remind_at__lte=now):
        with transaction.atomic():
            if Callback.objects.filter(pk=callback.pk, reminded_at__isnull=True).update(reminded_at=now):
                record_event(
                    ticket=callback.ticket, kind="callback_due", at=now, changes={"due_at": callback.due_at.isoformat()}
                )
                counts["callbacks"] += 1
    return counts


def _escalate_breach(ticket: Ticket, now) -> None:
    group = ticket.sla_policy.escalate_to if ticket.sla_policy else OwnerGroup.SUPERVISOR
    text = f"工单{ticket.number}已超时效,请速处理。"
    for phone in staff_phones(group):
        queue_sms(to=phone, text=text, role=group, purpose="breach", ticket=ticket)
    record_event(ticket=ticket, kind="breached", at=now, text=text, changes={"escalated_to": group})
