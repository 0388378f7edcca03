"""Writes the desk knows by name for calls: ingest a platform event, link a call, block a number.

SPEC §2 (the system integrates with a telephony platform: caller number -> customer and orders on
screen; recording, transfer, queueing), §10 (answer within 3 rings; missed callers are called back
before a deadline), §11 (nuisance callers, 无聊电话). API.md "Telephony (CTI) events".
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from freightdesk.accounts.models import StaffProfile
from freightdesk.accounts.roles import Role, has_role
from freightdesk.core import worktime
from freightdesk.core.errors import DomainError
from freightdesk.customers.selectors import customers_by_phone

from .models import BlockedNumber, Call, CallEvent, CallState, Cause, Direction, EventName
from .numbers import is_number, to_e164

logger = logging.getLogger(__name__)

CALL_ID_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:-@")
MAX_EVENTS_PER_CALL = 40
FUTURE_TOLERANCE = timedelta(minutes=5)
AUTOLINK_GRACE = timedelta(minutes=5)


def late_event_window() -> timedelta:
    """How long after its end a call still accepts events (a recording arrives minutes later, not hours)."""
    return timedelta(minutes=getattr(settings, "TELEPHONY_LATE_EVENT_MINUTES", 120))


class CallClosed(DomainError):
    http_status = 409


class TooManyEvents(DomainError):
    http_status = 429


@dataclass(frozen=True, slots=True)
class Ingested:
    call: Call
    duplicate: bool


# --- validation ----------------------------------------------------------------------------
def _text(payload: dict, key: str, limit: int) -> str:
    value = payload.get(key)
    if value is None:
        return ""
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise ValidationError({key: [_("Enter a text.")]})
    value = str(value).strip()
    if len(value) > limit:
        raise ValidationError({key: [_("At most %(limit)d characters.") % {"limit": limit}]})
    return value


def _field_errors(data: dict) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def bad(field, message):
        errors.setdefault(field, []).append(str(message))

    if data["event"] not in EventName.values:
        bad("event", _("Unknown event “%(event)s”: expected ringing, answered, hangup or recording.")
            % {"event": data["event"][:12]})
    if not data["call_id"]:
        bad("call_id", _("Every event needs the call id."))
    elif not set(data["call_id"]) <= CALL_ID_CHARS:
        bad("call_id", _("A call id has letters, digits and . _ : - @ only."))
    if data["direction"] and data["direction"] not in Direction.values:
        bad("direction", _("Direction is “in” or “out”."))
    for field in ("from", "to"):
        if not is_number(data[field]):
            bad(field, _("“%(value)s” is not a phone number.") % {"value": data[field]})
    if data["agent"] and not data["agent"].isdigit():
        bad("agent", _("An agent id is digits, e.g. 8011."))
    if data["event"] == EventName.ANSWERED and not data["agent"]:
        bad("agent", _("An answered event names the agent who answered."))
    if data["event"] == EventName.HANGUP and data["cause"] not in Cause.values:
        bad("cause", _("A hangup needs its cause: normal, busy, no_answer, cancelled or failed."))
    if data["event"] == EventName.RECORDING and not data["url"].startswith(("https://", "http://")):
        bad("url", _("A recording needs its http(s) address."))
    return errors


def _clean_at(raw: str, now: datetime) -> tuple[datetime | None, str]:
    try:
        at = parse_datetime(raw) if raw else now
    except ValueError:
        at = None
    if at is None or timezone.is_naive(at):
        return None, _("Enter a date/time with its offset, e.g. 2026-11-23T09:15:02+08:00.")
    if at > now + FUTURE_TOLERANCE:
        return None, _("This event is in the future; check the phone platform's clock.")
    return at, ""


def clean_event(payload: dict, now: datetime) -> dict:
    """The event's fields, checked; ValidationError naming each bad field (API.md: 422)."""
    if not isinstance(payload, dict):
        raise ValidationError({"__all__": [_("Enter a JSON object.")]})
    data = {k: _text(payload, k, n) for k, n in (("event", 12), ("call_id", 64), ("direction", 3), ("from", 32),
                                                   ("to", 32), ("agent", 8), ("queue", 40), ("cause", 12),
                                                   ("url", 500), ("at", 40))}
    errors = _field_errors(data)
    at, problem = _clean_at(data["at"], now)
    if problem:
        errors["at"] = [problem]
    if errors:
        raise ValidationError(errors)
    data["at"] = at
    return data


# --- the projection: a call's fields from all its events ----------------------------------------
def _first(events, key):
    for e in events:
        value = e.payload.get(key)
        if value:
            return str(value).strip()
    return ""


def _seconds(start, end):
    if start is None or end is None:
        return None
    return max(int((end - start).total_seconds()), 0)


def _project(call: Call, events: list[CallEvent]) -> None:
    """Recompute the call from its events, independent of the order they arrived in."""
    events = sorted(events, key=lambda e: (e.at, e.id or 0))
    by = {name: [e for e in events if e.event == name] for name in EventName.values}
    rings, answers, hangups, recordings = (by[EventName.RINGING], by[EventName.ANSWERED], by[EventName.HANGUP],
                                           by[EventName.RECORDING])
    call.direction = _first(events, "direction") or Direction.IN
    call.from_number = _first(events, "from")
    call.to_number = _first(events, "to")
    call.queue = _first(events, "queue")
    legs = answers or rings
    call.agent_code = legs[-1].agent_code if legs else ""
    call.transfers = max(len({e.agent_code for e in rings + answers if e.agent_code}) - 1, 0)
    call.ringing_at = (rings or answers or events)[0].at
    call.answered_at = answers[0].at if answers else None
    call.ended_at = hangups[0].at if hangups else None
    call.cause = hangups[0].payload.get("cause", "") if hangups else ""
    call.recording_url = recordings[-1].payload.get("url", "") if recordings else ""
    call.ring_seconds = _seconds(call.ringing_at, call.answered_at or call.ended_at)
    call.talk_seconds = _seconds(call.answered_at, call.ended_at)
    call.state = CallState.ENDED if hangups else CallState.ANSWERED if answers else CallState.RINGING


def _match(call: Call, old_agent_code: str) -> None:
    """Customer side -> E.164 -> customers, agent id -> user, blocked list (only when the number or agent changed)."""
    raw = call.from_number if call.direction == Direction.IN else call.to_number
    number = to_e164(raw)
    if number != call.customer_number or (number and call.pk is None):
        call.customer_number = number
        ids = list(customers_by_phone(number).values_list("id", flat=True)[:10]) if number else []
        call.match_count = len(ids)
        call.customer_id = ids[0] if len(ids) == 1 else None
        call.blocked = bool(number) and BlockedNumber.objects.filter(number=number).exists()
    if call.agent_code != old_agent_code or (call.agent_code and call.agent_id is None):
        call.agent_id = (StaffProfile.objects.filter(agent_id=call.agent_code).values_list("user_id", flat=True)
                         .first() if call.agent_code else None)


def _callback(call: Call) -> None:
    """SPEC §10: a missed or abandoned inbound call is called back before the "callback" policy's deadline."""
    needs = (call.direction == Direction.IN and call.state == CallState.ENDED and call.answered_at is None
             and not call.blocked and bool(call.customer_number))
    if call.callback_done_at is not None:
        return
    if needs and call.callback_due_at is None:
        call.callback_due_at = worktime.deadline_for("callback", call.ended_at)
    elif not needs:
        call.callback_due_at = None


def _close_callbacks(call: Call) -> None:
    """An answered outbound call to a number with pending callbacks is that callback (logged like any call)."""
    if call.direction != Direction.OUT or call.answered_at is None or not call.customer_number:
        return
    Call.objects.filter(
        customer_number=call.customer_number, callback_due_at__isnull=False, callback_done_at__isnull=True,
        ended_at__lte=call.answered_at,
    ).exclude(pk=call.pk).update(callback_done_at=call.answered_at, callback_call=call, updated_at=timezone.now())


def _autolink(call: Call) -> None:
    """It links itself when the agent saved an order or ticket for this caller during the call."""
    if call.state != CallState.ENDED or call.order_id or call.ticket_id or not call.customer_number:
        return
    from freightdesk.orders.models import Order
    from freightdesk.tickets.models import Ticket

    window = (call.answered_at or call.ringing_at, call.ended_at + AUTOLINK_GRACE)
    if call.answered_at is None:
        return
    call.order_id = (Order.objects.filter(shipper_phone=call.customer_number, created_at__range=window)
                     .values_list("id", flat=True).first())
    if call.order_id is None:
        call.ticket_id = (Ticket.objects.filter(customer_phone=call.customer_number, created_at__range=window)
                          .values_list("id", flat=True).first())


def _refuse(exc: Exception, payload) -> None:
    logger.warning("CTI event refused (%s): %.300r", getattr(exc, "code", "invalid"), payload)


def ingest_event(*, payload: dict, now: datetime | None = None) -> Ingested:
    """Store one CTI event once and bring its call up to date (API.md "Telephony"; SPEC §2, §10).

    Idempotent per (call_id, event, agent leg): a repeated event changes nothing. Events may arrive
    out of order; the call is recomputed from all its events, so it converges.
    Raises ValidationError (bad fields, 422), CallClosed (call ended hours ago, 409) or TooManyEvents (429).
    """
    now = now or timezone.now()
    try:
        data = clean_event(payload, now)
        with transaction.atomic():
            return _ingest(data, payload, now)
    except (ValidationError, DomainError) as exc:
        _refuse(exc, payload)
        raise


def _ingest(data: dict, payload: dict, now: datetime) -> Ingested:
    call = Call.objects.filter(call_id=data["call_id"]).first()
    agent_leg = data["agent"] if data["event"] in (EventName.RINGING, EventName.ANSWERED) else ""
    if call is None:
        if data["at"] < now - late_event_window():
            raise ValidationError({"at": [_("This event is hours old; the call is no longer taken.")]})
        call = Call.objects.create(call_id=data["call_id"], created_at=now, updated_at=now, ringing_at=data["at"])
    elif CallEvent.objects.filter(call=call, event=data["event"], agent_code=agent_leg).exists():
        return Ingested(call, duplicate=True)
    elif call.ended_at and call.ended_at < now - late_event_window():
        raise CallClosed("call_closed", _("Call %(id)s ended hours ago; it takes no more events.")
                         % {"id": call.call_id})
    events = list(call.events.all())
    if len(events) >= MAX_EVENTS_PER_CALL:
        raise TooManyEvents("too_many_events", _("Too many events for one call."))
    clean = {k: v for k, v in data.items() if v and k != "at"}
    try:
        with transaction.atomic():
            event = CallEvent.objects.create(call=call, event=data["event"], agent_code=agent_leg, at=data["at"],
                                             payload=clean, received_at=now)
    except IntegrityError:  # the same event, recorded by a concurrent request
        return Ingested(call, duplicate=True)
    old_agent_code = call.agent_code
    _project(call, [*events, event])
    _match(call, old_agent_code)
    _callback(call)
    _autolink(call)
    call.updated_at = now
    call.save()
    _close_callbacks(call)
    return Ingested(call, duplicate=False)


# --- what the agent does from the pop -------------------------------------------------------------
def _own(call: Call, agent) -> None:
    if call.agent_id != agent.pk and not has_role(agent, Role.SUPERVISOR, Role.ADMIN):
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
        from freightdesk.orders.timeline import add_event

        add_event(order=order, kind="call", by=agent, at=call.ringing_at,
                  text=f"{call.get_direction_display()} {call.customer_number} {call.talk_seconds or 0}s",
                  params={"call_id": call.call_id, "recording": call.recording_url})
    return call


@transaction.atomic
def choose_customer(*, call: Call, agent, customer) -> Call:
    """Several customers share the number: the agent says which one is calling (SPEC §2)."""
    _own(call, agent)
    if not customers_by_phone(call.customer_number).filter(pk=customer.pk).exists():
        raise DomainError("not_this_number", _("This customer does not have the caller's number."))
    Call.objects.filter(pk=call.pk).update(customer=customer, updated_at=timezone.now())
    call.customer = customer
    return call


@transaction.atomic
def create_caller(*, call: Call, agent, name: str) -> Call:
    """An unknown number: create the customer with the caller's number (SPEC §3: a surname is enough)."""
    from freightdesk.customers.services import remember_customer

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
    Call.objects.filter(customer_number=e164, callback_done_at__isnull=True).update(
        blocked=True, callback_due_at=None, updated_at=timezone.now())
    return blocked


@transaction.atomic
def callback_done(*, call: Call, by, now: datetime | None = None) -> Call:
    """The agent called the missed caller back (or reached him another way)."""
    now = now or timezone.now()
    updated = Call.objects.filter(pk=call.pk, callback_due_at__isnull=False, callback_done_at__isnull=True).update(
        callback_done_at=now, updated_at=now)
    if not updated:
        raise DomainError("no_callback", _("This call has no pending callback."))
    call.refresh_from_db()
    return call
