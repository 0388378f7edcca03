"""Writes the desk knows by name for calls: ingest a platform event, link a call, block a number.

SPEC §2 (the system integrates with a telephony platform: caller number -> customer and orders on
screen; recording, transfer, queueing), §10 (answer within 3 rings; missed callers are called back
before a deadline), §11 (nuisance callers, 无聊电话). API.md "Telephony (CTI) events".
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from freightdesk.accounts.capabilities import Capability, has_capability
from freightdesk.core import worktime
from freightdesk.core.errors import DomainError
from freightdesk.customers.selectors import customers_by_phone
from freightdesk.customers.services import remember_customer
from freightdesk.orders.timeline import add_event

from . import selectors
from .models import BlockedNumber, Call, CallEvent, CallState, Cause, Direction, EventName
from .numbers import is_number, to_e164

logger = logging.getLogger(__name__)

CALL_ID_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:-@")
MAX_EVENTS_PER_CALL = 40
FUTURE_TOLERANCE = timedelta(minutes=5)
AUTOLINK_GRACE = timedelta(minutes=5)


def late_event_window() -> timedelta:
    """How long after its end a call still accepts events (a recording arrives minutes later, not hours)."""
    return timedelta(minutes=settings.TELEPHONY_LATE_EVENT_MINUTES)


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
        bad(
            "event",
            _("Unknown event “%(event)s”: expected ringing, answered, hangup or recording.")
            % {"event": data["event"][:12]},
        )
    if not data["call_id"]:
        bad("call_id", _("Every event needs the call id."))
    elif not set(data["call_id"]) <= CALL_ID_CHARS:
        bad("call_id", _("A call id has letters, digits and . _ : - @ only."))
    if data["direction"] and data["direction"] not in Direction.values:
        bad("direction", _("Direction is “in” or “out”."))
    for key in ("from", "to"):
        if not is_number(data[key]):
            bad(key, _("“%(value)s” is not a phone number.") % {"value": data[key]})
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
    data = {
        k: _text(payload, k, n)
        for k, n in (
            ("event", 12),
            ("call_id", 64),
            ("direction", 3),
            ("from", 32),
            ("to", 32),
            ("agent", 8),
            ("queue", 40),
            ("cause", 12),
            ("url", 500),
            ("at", 40),
        )
    }
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


def _arrival_free(e) -> tuple:
    """Events in time order; ties broken by what they say, never by when they arrived."""
    return e.at, e.agent_code, e.event


def _project(call: Call, events: list) -> None:
    """Recompute the call from its events, independent of the order they arrived in."""
    events = sorted(events, key=_arrival_free)
    rings = [e for e in events if e.event == EventName.RINGING]
    answers = [e for e in events if e.event == EventName.ANSWERED]
    hangups = [e for e in events if e.event == EventName.HANGUP]
    recordings = [e for e in events if e.event == EventName.RECORDING]
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


def _customer_side(call: Call) -> str:
    return to_e164(call.from_number if call.direction == Direction.IN else call.to_number)


def _match(touched: list[tuple[Call, str, bool]]) -> None:
    """Customer side -> E.164 -> customers, agent id -> user, blocked list — for the calls whose number or
    agent changed, with one query per kind for the whole batch (``touched``: call, old agent id, is new)."""
    renumbered = []
    for call, _old_agent, new in touched:
        number = _customer_side(call)
        if number != call.customer_number or (number and new):
            call.customer_number = number
            renumbered.append(call)
    reagented = [
        call
        for call, old_agent, _new in touched
        if call.agent_code != old_agent or (call.agent_code and call.agent_id is None)
    ]
    numbers = {call.customer_number for call in renumbered if call.customer_number}
    customers = selectors.customer_ids_by_number(numbers)
    blocked = selectors.blocked_among(numbers)
    for call in renumbered:
        ids = customers.get(call.customer_number, ())
        call.match_count = min(len(ids), 10)
        call.customer_id = next(iter(ids)) if len(ids) == 1 else None
        call.blocked = call.customer_number in blocked
    agents = selectors.agent_users({call.agent_code for call in reagented if call.agent_code})
    for call in reagented:
        call.agent_id = agents.get(call.agent_code)


def _callback(call: Call) -> None:
    """SPEC §10: a missed or abandoned inbound call is called back before the "callback" policy's deadline."""
    needs = (
        call.direction == Direction.IN
        and call.state == CallState.ENDED
        and call.answered_at is None
        and not call.blocked
        and bool(call.customer_number)
    )
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
        customer_number=call.customer_number,
        callback_due_at__isnull=False,
        callback_done_at__isnull=True,
        ended_at__lte=call.answered_at,
    ).exclude(pk=call.pk).update(callback_done_at=call.answered_at, callback_call=call, updated_at=timezone.now())


def _autolink(calls: list[Call]) -> None:
    """A call links itself to the order (else the ticket) the agent saved for this caller during the call
    (newest first); one query for orders and one for tickets, for the whole batch."""
    waiting = [
        c
        for c in calls
        if c.state == CallState.ENDED
        and c.answered_at is not None
        and not c.order_id
        and not c.ticket_id
        and c.customer_number
    ]
    if not waiting:
        return
    windows = {c.pk or id(c): (c.answered_at, c.ended_at + AUTOLINK_GRACE) for c in waiting}
    for attr, candidates in (("order_id", selectors.orders_saved_for), ("ticket_id", selectors.tickets_saved_for)):
        rows = candidates(
            {c.customer_number for c in waiting},
            min(w[0] for w in windows.values()),
            max(w[1] for w in windows.values()),
        )
        for call in waiting:
            if call.order_id or call.ticket_id:
                continue
            start, end = windows[call.pk or id(call)]
            setattr(
                call,
                attr,
                next((pk for number, at, pk in rows if number == call.customer_number and start <= at <= end), None),
            )


def _refuse(exc: Exception, payload) -> None:
    logger.warning("CTI event refused (%s): %.300r", getattr(exc, "code", "invalid"), payload)


@dataclass(frozen=True, slots=True)
class Refused:
    """An event that was not taken: ``error`` is the ValidationError (422) or DomainError (409, 429)."""

    error: Exception


def ingest_event(*, payload: dict, now: datetime | None = None) -> Ingested:
    """Store one CTI event once and bring its call up to date (API.md "Telephony"; SPEC §2, §10).

    Idempotent per (call_id, event, agent leg): a repeated event changes nothing. Events may arrive
    out of order; the call is recomputed from all its events, so it converges.
    Raises ValidationError (bad fields, 422), CallClosed (call ended hours ago, 409) or TooManyEvents (429).
    """
    result = ingest_events([payload], now=now)[0]
    if isinstance(result, Refused):
        raise result.error
    return result


def ingest_events(payloads: list, *, now: datetime | None = None) -> list[Ingested | Refused]:
    """Take a batch of CTI events in one transaction: the same outcome, event by event, as ingesting them one
    after the other (each either Ingested or Refused, nothing half-written), with a fixed number of statements
    per batch — what lets one SQLite database take 1,000 events a second (bench/bench_cti.py).

    Calls are locked (PostgreSQL) in pk order; a concurrent batch that created the same call first makes
    this one start over (IntegrityError), and it then sees that call.
    """
    now = now or timezone.now()
    cleaned: list[dict | ValidationError] = []
    for payload in payloads:
        try:
            cleaned.append(clean_event(payload, now))
        except ValidationError as exc:
            cleaned.append(exc)
    for attempt in range(3):
        try:
            with transaction.atomic():
                results = _ingest(cleaned, now)
            break
        except IntegrityError:
            if attempt == 2:
                raise
    for result, payload in zip(results, payloads, strict=True):
        if isinstance(result, Refused):
            _refuse(result.error, payload)
    return results


@dataclass(slots=True)
class _Batch:
    """The calls a batch touches, as locked and read at its start, and what it adds to them."""

    calls: dict[str, Call]
    events: dict[str, list]
    cutoff: datetime
    now: datetime
    seen: set = field(default_factory=set)
    new_calls: dict[str, Call] = field(default_factory=dict)
    new_events: list[CallEvent] = field(default_factory=list)

    def take(self, data: dict) -> tuple[Call, bool] | Refused:
        """One event, decided exactly as if the events before it in the batch had been stored already."""
        cid = data["call_id"]
        call = self.calls.get(cid)
        if call is None:
            if data["at"] < self.cutoff:
                return Refused(ValidationError({"at": [_("This event is hours old; the call is no longer taken.")]}))
            call = self.calls[cid] = self.new_calls[cid] = Call(call_id=cid, created_at=self.now, updated_at=self.now)
            self.events[cid] = []
        leg = data["agent"] if data["event"] in (EventName.RINGING, EventName.ANSWERED) else ""
        if (cid, data["event"], leg) in self.seen:
            return call, True
        if cid not in self.new_calls and call.ended_at and call.ended_at < self.cutoff:
            return Refused(
                CallClosed("call_closed", _("Call %(id)s ended hours ago; it takes no more events.") % {"id": cid})
            )
        if len(self.events[cid]) >= MAX_EVENTS_PER_CALL:
            return Refused(TooManyEvents("too_many_events", _("Too many events for one call.")))
        self.seen.add((cid, data["event"], leg))
        event = CallEvent(
            call=call,
            event=data["event"],
            agent_code=leg,
            at=data["at"],
            received_at=self.now,
            payload={k: v for k, v in data.items() if v and k != "at"},
        )
        self.events[cid].append(event)
        self.new_events.append(event)
        return call, False


def _ingest(cleaned: list, now: datetime) -> list[Ingested | Refused]:
    ids = sorted({d["call_id"] for d in cleaned if isinstance(d, dict)})
    calls = {c.call_id: c for c in Call.objects.select_for_update().filter(call_id__in=ids).order_by("pk")}
    old_agents = {cid: call.agent_code for cid, call in calls.items()}
    batch = _Batch(calls=calls, events=selectors.events_of(calls.values()), cutoff=now - late_event_window(), now=now)
    batch.seen = {(cid, e.event, e.agent_code) for cid, events in batch.events.items() for e in events}
    outcome = [Refused(data) if isinstance(data, ValidationError) else batch.take(data) for data in cleaned]

    touched = [calls[cid] for cid in dict.fromkeys(e.call.call_id for e in batch.new_events)]
    for call in touched:
        _project(call, batch.events[call.call_id])
    _match([(call, old_agents.get(call.call_id, ""), call.call_id in batch.new_calls) for call in touched])
    for call in touched:
        _callback(call)
        call.updated_at = now
    _autolink(touched)
    if batch.new_calls:
        Call.objects.bulk_create(sorted(batch.new_calls.values(), key=lambda c: c.call_id))
    if batch.new_events:
        CallEvent.objects.bulk_create(batch.new_events)
    _write_back([call for call in touched if call.call_id not in batch.new_calls])
    for call in touched:
        _close_callbacks(call)
    return [item if isinstance(item, Refused) else Ingested(item[0], duplicate=item[1]) for item in outcome]


PROJECTED_FIELDS = (
    "direction",
    "state",
    "from_number",
    "to_number",
    "customer_number",
    "queue",
    "agent_code",
    "agent",
    "customer",
    "match_count",
    "blocked",
    "ringing_at",
    "answered_at",
    "ended_at",
    "cause",
    "ring_seconds",
    "talk_seconds",
    "transfers",
    "recording_url",
    "callback_due_at",
    "order",
    "ticket",
    "updated_at",
)


def _write_back(calls: list[Call]) -> None:
    """Save the recomputed calls: one prepared UPDATE run for every call (executemany), instead of one compiled
    ORM update per call — the rows are locked by this transaction, so nothing else changes them meanwhile."""
    if not calls:
        return
    fields = [Call._meta.get_field(name) for name in PROJECTED_FIELDS]
    quote = connection.ops.quote_name
    sql = "UPDATE {} SET {} WHERE {} = %s".format(
        quote(Call._meta.db_table), ", ".join(f"{quote(f.column)} = %s" for f in fields), quote(Call._meta.pk.column)
    )
    rows = [[f.get_db_prep_save(getattr(call, f.attname), connection) for f in fields] + [call.pk] for call in calls]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


# --- what the agent does from the pop -------------------------------------------------------------
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
        blocked=True, callback_due_at=None, updated_at=timezone.now()
    )
    return blocked


@transaction.atomic
def callback_done(*, call: Call, by, now: datetime | None = None) -> Call:
    """The agent called the missed caller back (or reached him another way)."""
    now = now or timezone.now()
    updated = Call.objects.filter(pk=call.pk, callback_due_at__isnull=False, callback_done_at__isnull=True).update(
        callback_done_at=now, updated_at=now
    )
    if not updated:
        raise DomainError("no_callback", _("This call has no pending callback."))
    call.refresh_from_db()
    return call
