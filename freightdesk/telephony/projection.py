"""A call's fields from all its events (SPEC §2, §10), whatever order they arrived in: the projection, the
caller and agent matched by number and agent id, the callback a missed call is owed, and the order or ticket
the agent saved during the call. Used by the ingest of CTI events (telephony/ingest.py) for a whole batch."""

from __future__ import annotations

from datetime import timedelta

from . import selectors
from .models import Call, CallState, Direction, EventName
from .numbers import to_e164

AUTOLINK_GRACE = timedelta(minutes=5)


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


def project_call(call: Call, events: list) -> None:
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


def match_calls(touched: list[tuple[Call, str, bool]]) -> None:
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


def autolink(calls: list[Call]) -> None:
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
