"""A transport complaint urges through tracking (SPEC §9 via §7): the ticket's "urge the driver" is tracking's
urge or escalation on the order's open check, recorded on the ticket as well. It spans tickets and tracking, so
it lives in the desk layer above both."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from freightdesk.accounts.capabilities import Capability, has_capability
from freightdesk.core.errors import DomainError, NotAllowed
from freightdesk.followups.models import OPEN_FOLLOWUP, FollowUp, FollowUpKind
from freightdesk.messaging.services import Outgoing, queue_message
from freightdesk.tickets.events import record_event
from freightdesk.tickets.models import Ticket
from freightdesk.tickets.steps import TicketInputError
from freightdesk.tracking import urging
from freightdesk.tracking.models import ActionKind

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
    check = _open_check(order, pickup)
    kind, act = (ActionKind.URGE, urging.urge_driver) if pickup else (ActionKind.ESCALATE, urging.escalate)
    with transaction.atomic():
        # The customer's complaint is his call: the pickup urge says so (客已来电催提货).
        called = {"customer_called": True} if pickup else {}
        text, _code, _params = urging.draft(kind, order=order, agent=by, now=now, **called)
        action = act(followup=check, agent=by, text=text, note=ticket.number, now=now, **called)
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


def _open_check(order, pickup: bool) -> FollowUp:
    """The order's open pickup or delivery check, which the urge is recorded on."""
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
    return check


def _copy(message, *, order, to_fleet: bool, by, now):
    """The same text to the other party (the fleet manager of an urged pickup, the driver of an escalated
    delivery); skipped when that party has no number on file — the urge itself has gone out."""
    try:
        to, name = urging.fleet_recipient(order) if to_fleet else urging.driver_recipient(order)
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
