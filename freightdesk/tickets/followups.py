"""Follow-up writes on tickets: urging the driver, promised callbacks, reminders and SLA breaches (SPEC §8–§10)."""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from freightdesk.accounts.roles import Role, has_role
from freightdesk.core.errors import DomainError, NotAllowed
from freightdesk.orders.timeline import add_event as add_order_event

from .models import PENDING_STATUSES, Callback, Category, OwnerGroup, Ticket
from .services import DESK_ROLES, agent_label, record_event, staff_phones
from .sms import queue_sms
from .steps import TicketInputError

CALLBACK_REMIND_BEFORE = timedelta(minutes=10)
URGE_TEXT = {
    # SPEC §9: 110310284王先生15件配件尚未提,已超时效。客已来电催提货,请速处理。8011
    "pickup": "{serial}{name}{qty}件{goods}尚未提,已超时效。客已来电催提货,请速处理。{agent}",
    "delivery": "{serial}{name}{qty}件{goods}尚未送达,已超时效。客已来电催送货,请速处理。{agent}",
}


def urge_text(order, stage: str, agent_id: str) -> str:
    """The SPEC §9 urge message; the goods name is shortened so the SMS stays one segment (70 chars)."""
    parts = {"serial": order.serial, "name": order.shipper_name, "qty": order.quantity, "agent": agent_id}
    text = URGE_TEXT[stage].format(goods=order.goods_name, **parts)
    if len(text) > 70:
        room = max(len(order.goods_name) - (len(text) - 70), 1)
        text = URGE_TEXT[stage].format(goods=order.goods_name[:room], **parts)
    return text


def urge_driver(*, ticket: Ticket, by, stage: str = "pickup", now=None) -> list:
    """A transport complaint about a late pickup or delivery (SPEC §9): SMS the driver, copy the fleet
    manager, and record it on the ticket and on the order — in one action."""
    now = now or timezone.now()
    if not has_role(by, *DESK_ROLES):
        raise NotAllowed("role_not_allowed", _("Only the service desk urges drivers."))
    if ticket.order is None:
        raise DomainError("no_order", _("Link the order first: the driver is found from it."))
    if stage not in URGE_TEXT:
        raise TicketInputError("invalid", _("Urge for pickup or for delivery."), field="stage")
    order = ticket.order
    region = order.pickup_region if stage == "pickup" else order.delivery_region
    driver = ticket.driver if stage == "pickup" and ticket.driver else region.driver
    fleet = region.fleet_manager
    fleet_phone = getattr(getattr(fleet, "profile", None), "phone", "") if fleet else ""
    if driver is None and not fleet_phone:
        raise DomainError("no_recipient", _("The region has neither a driver nor a fleet manager with a phone."))
    text = urge_text(order, stage, agent_label(by))
    with transaction.atomic():
        sent = [m for m in (
            queue_sms(to=driver.phone if driver else "", text=text, role="driver", purpose="urge", ticket=ticket),
            queue_sms(to=fleet_phone, text=text, role="fleet_manager", purpose="urge", ticket=ticket),
        ) if m]
        record_event(ticket=ticket, kind="urged", by=by, at=now, text=text,
                     changes={"stage": stage, "to": [m.role for m in sent]})
        add_order_event(order=order, kind="urged", text=text, by=by, by_label=agent_label(by), at=now,
                        params={"number": ticket.number})
    return sent


def promise_callback(*, ticket: Ticket, by, due_at, note: str = "", now=None) -> Callback:
    """Promise the customer an answer by a time (SPEC §8; 004 §三(三)6): stored, reminded, on the due-now board."""
    now = now or timezone.now()
    if not has_role(by, *DESK_ROLES):
        raise NotAllowed("role_not_allowed", _("Only the service desk promises callbacks."))
    if due_at is None or due_at <= now:
        raise TicketInputError("invalid", _("A callback is promised for a time in the future."), field="due_at")
    if ticket.status not in PENDING_STATUSES:
        raise DomainError("ticket_finished", _("This ticket is finished; reopen it first."))
    with transaction.atomic():
        callback = Callback.objects.create(
            ticket=ticket, promised_by=by, due_at=due_at, remind_at=max(due_at - CALLBACK_REMIND_BEFORE, now),
            note=(note or "").strip()[:200], created_at=now,
            owner_group=OwnerGroup.SUPERVISOR if has_role(by, Role.SUPERVISOR) else OwnerGroup.AGENT,
        )
        record_event(ticket=ticket, kind="callback_promised", by=by, at=now, text=callback.note,
                     changes={"due_at": due_at.isoformat()})
    return callback


def complete_callback(*, callback: Callback, by, note: str = "", now=None) -> Callback:
    """The promised call was made."""
    now = now or timezone.now()
    if not has_role(by, *DESK_ROLES):
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
                record_event(ticket=callback.ticket, kind="callback_due", at=now,
                             changes={"due_at": callback.due_at.isoformat()})
                counts["callbacks"] += 1
    return counts


def _escalate_breach(ticket: Ticket, now) -> None:
    group = ticket.sla_policy.escalate_to if ticket.sla_policy else OwnerGroup.SUPERVISOR
    text = f"工单{ticket.number}已超时效,请速处理。"
    for phone in staff_phones(group):
        queue_sms(to=phone, text=text, role=group, purpose="breach", ticket=ticket)
    record_event(ticket=ticket, kind="breached", at=now, text=text, changes={"escalated_to": group})


def is_transport_complaint(ticket: Ticket) -> bool:
    return ticket.category == Category.COMPLAINT and ticket.subcategory == "transit_time" and ticket.order_id
