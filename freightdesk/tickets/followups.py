"""Follow-up writes on tickets: promised callbacks, reminders and SLA breaches (SPEC §8–§10). (Urging the driver
from a ticket goes through tracking: ``desk.ticket_urge``.)"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from freightdesk.accounts.capabilities import Capability, has_capability
from freightdesk.accounts.roles import Role, has_role
from freightdesk.core.errors import DomainError, NotAllowed

from .models import PENDING_STATUSES, Callback, OwnerGroup, Ticket
from .services import record_event, staff_phones
from .sms import queue_sms
from .steps import TicketInputError

CALLBACK_REMIND_BEFORE = timedelta(minutes=10)


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
