"""Taking CTI events from the phone platform (API.md "Telephony (CTI) events"; SPEC §2, §10): each event
checked, stored once, and its call recomputed from all its events (telephony/projection.py), one event or
a batch of hundreds in one transaction with a fixed number of statements."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from freightdesk.core.cleaning import device_text, parse_time
from freightdesk.core.errors import DomainError

from . import callbacks, selectors
from .models import Call, CallEvent, Cause, Direction, EventName
from .numbers import is_number
from .projection import autolink, match_calls, project_call

logger = logging.getLogger(__name__)

CALL_ID_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:-@")
MAX_EVENTS_PER_CALL = 40
FUTURE_TOLERANCE = timedelta(minutes=5)


def late_event_window() -> timedelta:
    """How long after its end a call still accepts events (a recording arrives minutes later, not hours)."""
    return timedelta(minutes=settings.TELEPHONY_LATE_EVENT_MINUTES)


class CallClosed(DomainError):
    """An event for a call that ended long ago (409)."""


class TooManyEvents(DomainError):
    """More events for one call than any call has (429)."""


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
    value = device_text(str(value)).strip()  # a PBX cannot retype: its control characters are dropped
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
    """The event's time (a time without offset is read in Asia/Shanghai), or why not."""
    try:
        at = parse_time(raw) if raw else now
    except ValidationError as exc:
        return None, exc.messages[0]
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
        project_call(call, batch.events[call.call_id])
    match_calls([(call, old_agents.get(call.call_id, ""), call.call_id in batch.new_calls) for call in touched])
    for call in touched:
        call.updated_at = now
    autolink(touched)
    if batch.new_calls:
        Call.objects.bulk_create(sorted(batch.new_calls.values(), key=lambda c: c.call_id))
    if batch.new_events:
        CallEvent.objects.bulk_create(batch.new_events)
    _write_back([call for call in touched if call.call_id not in batch.new_calls])
    callbacks.sync(touched, now)
    for call in touched:
        callbacks.close_by_outbound(call)
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
