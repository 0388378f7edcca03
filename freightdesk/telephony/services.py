"""What the agent does with a call from the pop (SPEC §2, §10, §11): link it to its order or ticket, create an
unknown caller (or name a known number's new contact), block a nuisance number, mark a missed call called back.
Taking the platform's events is telephony/ingest.py."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from freightdesk.accounts.capabilities import Capability, has_capability
from freightdesk.core.errors import DomainError
from freightdesk.customers.services import remember_customer
from freightdesk.orders.timeline import add_event

from . import callbacks
from .models import BlockedNumber, Call
from .numbers import to_e164


def _own(call: Call, agent) -> None:
    if call.agent_id != agent.pk and not has_capability(agent, Capability.SUPERVISE_CALLS):
        raise DomainError("not_your_call", _("This call was not yours."))


@transaction.atomic
def link_call(*, call: Call, agent, order=None, ticket=None) -> Call:
    """After hangup, link the call to the order or ticket it was about, in one click (SPEC §2); the
    recording then plays from that order's timeline."""
    _own(call, agent)
    if (order is None) == (ticket is None):
        raise DomainError("link_one", _("Link the call to one order or one ticket."))
    Call.objects.filter(pk=call.pk).update(order=order, ticket=ticket, updated_at=timezone.now())
    call.order, call.ticket = order, ticket
    if order is not None:
        add_event(
            order=order,
            kind="call",
            by=agent,
            at=call.ringing_at,
            text=f"{call.get_direction_display()} {call.customer_number} {call.talk_seconds or 0}s",
            params={"call_id": call.call_id, "recording": call.recording_url},
        )
    return call


@transaction.atomic
def create_caller(*, call: Call, agent, name: str) -> Call:
    """An unknown number: create the customer with the caller's number (SPEC §3: a surname is enough); a number
    someone else created meanwhile gets the name as a contact instead."""

    _own(call, agent)
    name = (name or "").strip()
    if not name or len(name) > 40:
        raise DomainError("name", _("Enter the caller's name (a surname is enough)."), field="name")
    if not call.customer_number:
        raise DomainError("no_number", _("The caller's number is withheld."))
    customer = remember_customer(name=name, phone=call.customer_number)
    Call.objects.filter(pk=call.pk).update(customer=customer, match_count=1, updated_at=timezone.now())
    call.customer = customer
    return call


@transaction.atomic
def block_number(*, number: str, by, reason: str = "") -> BlockedNumber:
    """Put a nuisance caller (无聊电话, SPEC §11) on the blocked list; his pending callbacks are dropped."""
    e164 = to_e164(number)
    if not e164:
        raise DomainError("number", _("“%(value)s” is not a phone number.") % {"value": number}, field="number")
    blocked, _created = BlockedNumber.objects.get_or_create(number=e164, defaults={"reason": reason, "created_by": by})
    now = timezone.now()
    Call.objects.filter(customer_number=e164).update(blocked=True, updated_at=now)
    callbacks.close_for_number(e164, outcome="blocked", now=now)
    return blocked


@transaction.atomic
def callback_done(*, call: Call, by, now: datetime | None = None) -> Call:
    """The agent called the missed caller back (or reached him another way)."""
    callbacks.mark_done(call=call, by=by, now=now)
    return call
