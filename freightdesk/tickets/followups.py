"""Follow-up writes on tickets: promised callbacks, reminders and SLA breaches (SPEC §8–§10). A promised callback is a
follow-up (``followups.FollowUp``, kind ``ticket_callback``, about the ticket): due for its reminder 10 minutes before
the promised time, which is its deadline. (Urging the driver from a ticket goes through tracking: ``desk.ticket_urge``.)"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from freightdesk.accounts.capabilities import Capability, has_capability
from freightdesk.accounts.roles import Role, has_role, staff_phones
from freightdesk.core.errors import DomainError, NotAllowed
from freightdesk.followups import registry
from freightdesk.followups import services as scheduler
from freightdesk.followups.models import FollowUp, FollowUpKind
from freightdesk.messaging.models import MessageKind

from .events import record_event
from .models import PENDING_STATUSES, OwnerGroup, Ticket
from .sms import queue_sms
from .steps import TicketInputError

CALLBACK_REMIND_BEFORE = timedelta(minutes=10)


def ticket_of(callback: FollowUp) -> Ticket:
    return Ticket.objects.get(pk=callback.subject_id)


def schedule_callback(*, ticket: Ticket, due_at, remind_at, note: str, owner: str, by=None, now) -> FollowUp:
    """A callback promised on the ticket by ``due_at``, reminded at ``remind_at`` (never before now)."""
    return scheduler.schedule(
        kind=FollowUpKind.TICKET_CALLBACK,
        order=ticket.order,
        subject=ticket,
        due_at=max(remind_at, now),
        deadline=due_at,
        note=(note or "").strip()[:200],
        owner=owner,
        created_by=by,
        now=now,
    )


def promise_callback(*, ticket: Ticket, by, due_at, note: str = "", now=None) -> FollowUp:
    """Promise the customer an answer by a time (SPEC §8; 004 §三(三)6): stored, reminded, on the due-now board."""
    now = now or timezone.now()
    if not has_capability(by, Capability.RECORD_TICKET):
        raise NotAllowed("role_not_allowed", _("Only the service desk promises callbacks."))
    if due_at is None or due_at <= now:
        raise TicketInputError("invalid", _("A callback is promised for a time in the future."), field="due_at")
    if ticket.status not in PENDING_STATUSES:
        raise DomainError("ticket_finished", _("This ticket is finished; reopen it first."))
    owner = OwnerGroup.SUPERVISOR if has_role(by, Role.SUPERVISOR) else OwnerGroup.AGENT
    with transaction.atomic():
        callback = schedule_callback(
            ticket=ticket,
            due_at=due_at,
            remind_at=due_at - CALLBACK_REMIND_BEFORE,
            note=note,
            owner=owner,
            by=by,
            now=now,
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


def complete_callback(*, callback: FollowUp, by, note: str = "", now=None) -> FollowUp:
    """The promised call was made."""
    now = now or timezone.now()
    if not has_capability(by, Capability.RECORD_TICKET):
        raise NotAllowed("role_not_allowed", _("Only the service desk makes callbacks."))
    with transaction.atomic():
        try:
            scheduler.claim(followup=callback, by=by, outcome="called_back", now=now)
        except DomainError:
            raise DomainError("callback_done", _("This callback was already made.")) from None
        record_event(ticket=ticket_of(callback), kind="called_back", by=by, at=now, text=(note or "").strip()[:500])
    return callback


def remind_callback(callback: FollowUp, now) -> bool:
    """A promised callback's reminder falls due (the scheduler runs it): noted on the ticket; it stays on the board
    until the call is made."""
    record_event(
        ticket=ticket_of(callback), kind="callback_due", at=now, changes={"due_at": callback.deadline.isoformat()}
    )
    return False


def register() -> None:
    registry.on_due(FollowUpKind.TICKET_CALLBACK, remind_callback)


def send_due_reminders(*, now=None) -> dict:
    """Remind owners before a deadline, and mark and escalate breaches (SPEC §10): idempotent, run every minute.
    Promised callbacks falling due are the follow-up scheduler's; this runs the ones whose task was lost."""
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
    counts["callbacks"] = scheduler.sweep(now=now, kinds=[FollowUpKind.TICKET_CALLBACK])
    return counts


def _escalate_breach(ticket: Ticket, now) -> None:
    group = ticket.sla_policy.escalate_to if ticket.sla_policy else OwnerGroup.SUPERVISOR
    text = f"工单{ticket.number}已超时效,请速处理。"
    for phone in staff_phones(group):
        queue_sms(to=phone, text=text, role=group, kind=MessageKind.BREACH, ticket=ticket)
    record_event(ticket=ticket, kind="breached", at=now, text=text, changes={"escalated_to": group})
