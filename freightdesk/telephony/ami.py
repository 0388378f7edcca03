"""Asterisk AMI -> FreightDesk CTI events (API.md "Telephony (CTI) events"), with panoramisk.

An Asterisk-based PBX reports every channel over its Manager Interface (AMI). ``AmiTranslator`` turns
that stream into the four events FreightDesk takes — ``ringing``, ``answered``, ``hangup`` (with its
cause) and ``recording`` — one call per Asterisk ``Linkedid`` (the id every channel of one call shares,
transfers included). ``ApiSink`` posts them to ``POST /api/v1/cti/events/batch`` with an integration
token; ``manage.py ami_bridge`` wires both to a panoramisk ``Manager``.

Why through the HTTP API and not in-process through the service layer: the bridge usually runs next to
the PBX, not on the FreightDesk machine; going through the API it uses the same authentication,
validation and logging as any phone platform, a PBX hiccup never holds a web worker, and when
FreightDesk is down or restarting the events wait in the bridge's queue and are sent later (nothing is
lost; the API is idempotent, so a batch sent twice changes nothing).

What the translator reads (Asterisk 13+ AMI, ``timestampevents=yes`` gives each event its time):

- ``Newchannel`` of the call's first channel (Uniqueid == Linkedid): the caller's number and the number
  dialled; it is outbound when that channel is an agent's extension (the agent dialled out).
- ``QueueCallerJoin``: the queue.
- ``Newstate`` ChannelState 5 (Ringing) of an agent's channel (inbound; a transfer rings a second agent)
  or of the far end (outbound) -> ``ringing``.
- ``BridgeEnter`` of an agent's channel (inbound) or of the far end (outbound) -> ``answered``.
- ``DialEnd`` DialStatus and ``Hangup`` Cause of the first channel -> ``hangup`` with ``normal`` (it was
  answered), ``cancelled`` (caller hung up first), ``busy``, ``no_answer`` or ``failed``.
- ``VarSet`` MIXMONITOR_FILENAME -> ``recording`` at ``recording_url`` + the file's name.
"""

from __future__ import annotations

import asyncio
import logging
import re
import time
from collections import deque
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from typing import TYPE_CHECKING
from urllib.parse import quote

from freightdesk.core.worktime import TZ

if TYPE_CHECKING:
    from .ami_dial import DialPoller

logger = logging.getLogger(__name__)

# An agent's extension is his agent id (工号): PJSIP/8011-00000066, SIP/8011-…, Local/8011@from-queue-…;1
AGENT_CHANNEL = r"^(?:PJSIP|SIP|IAX2|Local)/(\d{3,6})[-@]"
RINGING_STATE = "5"
# Q.850 causes of an unanswered call's first channel (Asterisk's Hangup "Cause").
BUSY_CAUSES = frozenset({"17"})
NO_ANSWER_CAUSES = frozenset({"18", "19", "20"})
CALLER_GAVE_UP_CAUSES = frozenset({"16", "31", "0"})
DIAL_STATUS = {
    "CANCEL": "cancelled",
    "BUSY": "busy",
    "NOANSWER": "no_answer",
    "CHANUNAVAIL": "failed",
    "CONGESTION": "failed",
}
FORGET_AFTER = 6 * 3600  # seconds: a call whose end we never saw (bridge restarted) is dropped


@dataclass
class _Call:
    """What the translator remembers of one call (one Linkedid) until its first channel hangs up."""

    call_id: str
    direction: str = "in"
    caller: str = ""
    dialled: str = ""
    agent: str = ""  # outbound: the agent who dialled
    queue: str = ""
    answered: bool = False
    dial_status: str = ""
    first_seen: float = field(default_factory=time.monotonic)
    sent: set = field(default_factory=set)


class AmiTranslator:
    """Feed it AMI events (any mapping with AMI's headers, e.g. a panoramisk Message); it returns the CTI
    events (dicts, as POST /cti/events takes them) that each one means, usually none."""

    def __init__(self, *, agent_channel: str = AGENT_CHANNEL, recording_url: str = ""):
        self.agent_re = re.compile(agent_channel)
        self.recording_url = recording_url.rstrip("/")
        self.calls: dict[str, _Call] = {}
        self.handlers: dict[str, Callable] = {
            "Newchannel": self._new_channel,
            "QueueCallerJoin": self._queue,
            "Newstate": self._new_state,
            "DialEnd": self._dial_end,
            "BridgeEnter": self._bridge_enter,
            "VarSet": self._var_set,
            "Hangup": self._hangup,
        }

    # --- the stream -------------------------------------------------------------------------------
    def feed(self, message: Mapping) -> list[dict]:
        handler = self.handlers.get(message.get("Event", ""))
        linkedid = message.get("Linkedid", "")
        if handler is None or not linkedid:
            return []
        call = self.calls.get(linkedid)
        if call is None:
            if message["Event"] != "Newchannel" or message.get("Uniqueid") != linkedid:
                return []  # a call that began before the bridge started: its first channel was not seen
            self._forget_stale()
            call = self.calls[linkedid] = _Call(call_id=linkedid)
        return [event for event in handler(call, message) or () if self._once(call, event)]

    def _once(self, call: _Call, event: dict) -> bool:
        key = (event["event"], event.get("agent", ""))
        if key in call.sent:
            return False
        call.sent.add(key)
        return True

    def _forget_stale(self) -> None:
        cutoff = time.monotonic() - FORGET_AFTER
        for linkedid in [k for k, c in self.calls.items() if c.first_seen < cutoff]:
            del self.calls[linkedid]

    # --- helpers ----------------------------------------------------------------------------------
    def agent_of(self, channel: str) -> str:
        match = self.agent_re.match(channel or "")
        return match.group(1) if match else ""

    @staticmethod
    def at(message: Mapping) -> str:
        try:
            stamp = float(message.get("Timestamp", ""))
        except ValueError:
            stamp = time.time()
        return datetime.fromtimestamp(stamp, TZ).isoformat()

    @staticmethod
    def number(value: str) -> str:
        value = (value or "").strip()
        return "" if value in ("<unknown>", "") else value

    def _event(self, call: _Call, name: str, message: Mapping, **fields) -> dict:
        return {"event": name, "call_id": call.call_id, "at": self.at(message), **fields}

    # --- one handler per AMI event ------------------------------------------------------------------
    def _new_channel(self, call: _Call, message: Mapping):
        if message.get("Uniqueid") != call.call_id:
            return
        agent = self.agent_of(message.get("Channel", ""))
        if agent:  # an agent picked up his phone and dialled out
            call.direction, call.agent = "out", agent
        call.caller = self.number(message.get("CallerIDNum", "")) or ("" if agent else "anonymous")
        call.dialled = self.number(message.get("Exten", ""))

    def _queue(self, call: _Call, message: Mapping):
        call.queue = message.get("Queue", "")[:40]

    def _ringing(self, call: _Call, message: Mapping, agent: str) -> dict:
        fields = {"direction": call.direction, "from": call.caller, "to": call.dialled, "agent": agent}
        if call.queue:
            fields["queue"] = call.queue
        return self._event(call, "ringing", message, **fields)

    def _new_state(self, call: _Call, message: Mapping):
        if message.get("ChannelState") != RINGING_STATE:
            return
        agent = self.agent_of(message.get("Channel", ""))
        if call.direction == "in" and agent:
            yield self._ringing(call, message, agent)
        elif call.direction == "out" and not agent:
            yield self._ringing(call, message, call.agent)

    def _dial_end(self, call: _Call, message: Mapping):
        call.dial_status = message.get("DialStatus", "")

    def _bridge_enter(self, call: _Call, message: Mapping):
        agent = self.agent_of(message.get("Channel", ""))
        if call.direction == "in" and agent:
            call.answered = True
            yield self._event(call, "answered", message, agent=agent)
        elif call.direction == "out" and not agent:
            call.answered = True
            yield self._event(call, "answered", message, agent=call.agent)

    def _var_set(self, call: _Call, message: Mapping):
        if message.get("Variable") != "MIXMONITOR_FILENAME" or not self.recording_url or not message.get("Value"):
            return
        name = message["Value"].rsplit("/", 1)[-1]
        yield self._event(call, "recording", message, url=f"{self.recording_url}/{quote(name)}")

    def _hangup(self, call: _Call, message: Mapping):
        if message.get("Uniqueid") != call.call_id:
            return  # an agent's leg (a transfer, a ring that stopped): the call goes on
        del self.calls[call.call_id]
        yield self._event(call, "hangup", message, cause=self.cause(call, message.get("Cause", "")))

    @staticmethod
    def cause(call: _Call, q850: str) -> str:
        if call.answered:
            return "normal"
        if call.dial_status in DIAL_STATUS:
            return DIAL_STATUS[call.dial_status]
        if q850 in BUSY_CAUSES:
            return "busy"
        if q850 in NO_ANSWER_CAUSES:
            return "no_answer"
        return "cancelled" if q850 in CALLER_GAVE_UP_CAUSES else "failed"


# Answers that say FreightDesk is away for a moment (restarting behind a proxy): the batch waits as it is.
AWAY = frozenset({401, 403, 429, 502, 503, 504})
PARK_RETRY = 300.0  # seconds before an event FreightDesk failed on is tried again
PARK_ATTEMPTS = 5  # then it is given up, logged as an error with the event


class ApiSink:
    """Posts CTI events to FreightDesk in batches (``POST {api_url}/cti/events/batch``), in order.

    Events wait in a queue until FreightDesk answered for them: a connection error, a refused token
    (401/403, logged as an error) or FreightDesk away (429, 502–504) keeps them and retries with backoff
    (1 s doubling to 60 s), so a FreightDesk restart loses nothing. Events FreightDesk refused as bad input
    (422, 409, 429 in the batch's results, or a one-event batch refused whole with 413/422) are logged and
    never resent: sending them again would not change the answer. A batch FreightDesk could not take whole
    (413, 422, or a 500: one event it fails on) is split in halves, so the other events still go; a single
    event FreightDesk fails on (500) is parked and tried again every PARK_RETRY seconds, at most
    PARK_ATTEMPTS times, while the queue goes on.
    """

    def __init__(
        self,
        api_url: str,
        token: str,
        *,
        linger: float = 0.05,
        max_batch: int = 500,
        max_queue: int = 200_000,
        timeout: float = 10.0,
    ):
        self.url = api_url.rstrip("/") + "/cti/events/batch"
        self.headers = {"Authorization": f"Bearer {token}"}
        self.linger, self.max_batch, self.max_queue, self.timeout = linger, max_batch, max_queue, timeout
        self.queue: deque[dict] = deque()
        self.parked: list[tuple[float, int, dict]] = []  # (retry at, attempts so far, event)
        self.retrying: dict[int, int] = {}  # id of an unparked event -> its attempts so far
        self.wakeup = asyncio.Event()
        self.sent = self.refused = self.given_up = 0
        self.last_error = ""

    def put(self, events: list[dict]) -> None:
        if not events:
            return
        self.queue.extend(events)
        while len(self.queue) > self.max_queue:  # bounded memory when FreightDesk is away for very long
            logger.error("AMI bridge queue full: dropped %s", self.queue.popleft())
        self.wakeup.set()

    async def _post(self, session, batch: list[dict]) -> tuple[int | None, dict | None]:
        import aiohttp

        try:
            async with session.post(
                self.url,
                json={"events": batch},
                headers=self.headers,
                timeout=aiohttp.ClientTimeout(total=self.timeout),
            ) as response:
                body = await response.json(content_type=None) if response.status in (200, 422) else None
                return response.status, body
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            self.last_error = f"{type(exc).__name__}: {exc}"
            logger.warning("FreightDesk unreachable at %s (%s); %d events wait", self.url, exc, len(self.queue))
            return None, None

    def _done(self, batch: list[dict], results: list[dict] | None = None) -> None:
        """The batch (at the head of the queue) was answered for: it leaves the queue."""
        for event, result in zip(batch, results or [], strict=False):
            if result.get("status") != 200:
                self.refused += 1
                logger.warning("FreightDesk refused %s: %s", event, result.get("errors") or result.get("detail"))
        for _ in batch:
            self.retrying.pop(id(self.queue.popleft()), None)
        self.sent += len(batch)
        self.last_error = ""

    async def send_once(self, session) -> bool:
        """Post the oldest batch; True when FreightDesk answered for all of it (the events leave the queue)."""
        self._unpark()
        return await self._send(session, list(islice(self.queue, self.max_batch)))

    async def _send(self, session, batch: list[dict]) -> bool:
        status, body = await self._post(session, batch)
        if status is None:
            return False
        if status == 200:
            self._done(batch, body["results"])
            return True
        self.last_error = f"HTTP {status}"
        if status in (401, 403):
            logger.error("FreightDesk refused the bridge's token (HTTP %s); %d events wait", status, len(self.queue))
            return False
        if status in AWAY or status not in (413, 422) and status < 500:
            logger.warning("FreightDesk answered HTTP %s; %d events wait", status, len(self.queue))
            return False
        if len(batch) > 1:
            half = len(batch) // 2
            logger.warning("FreightDesk answered HTTP %s to a batch of %d events: sent in halves", status, len(batch))
            return await self._send(session, batch[:half]) and await self._send(session, batch[half:])
        if status < 500:  # one event refused as bad input (413, 422): resending would not change the answer
            logger.error("FreightDesk refused %s (HTTP %s): %s", batch[0], status, body)
            self._done(batch)
            self.refused += 1
            return True
        event = self.queue.popleft()
        self._park(event, attempts=self.retrying.pop(id(event), 0) + 1)
        return False

    def _park(self, event: dict, *, attempts: int) -> None:
        if attempts >= PARK_ATTEMPTS:
            self.given_up += 1
            logger.error("FreightDesk failed %d times on %s: given up", attempts, event)
            return
        logger.error("FreightDesk failed on %s (attempt %d): tried again later, the others go on", event, attempts)
        self.parked.append((time.monotonic() + PARK_RETRY, attempts, event))

    def _unpark(self) -> None:
        """Parked events whose time came go back to the head of the queue, with their count of attempts."""
        now = time.monotonic()
        due = [item for item in self.parked if item[0] <= now]
        if not due:
            return
        self.parked = [item for item in self.parked if item[0] > now]
        for _at, attempts, event in reversed(due):
            self.queue.appendleft(event)
            self.retrying[id(event)] = attempts

    async def run(self, session) -> None:
        """Forever: wait for events, give a few milliseconds for more to join the batch, post, back off on failure."""
        backoff = 1.0
        while True:
            if not self.queue:
                self.wakeup.clear()
                wait = min((at for at, _n, _e in self.parked), default=None)
                try:
                    await asyncio.wait_for(
                        self.wakeup.wait(), None if wait is None else max(wait - time.monotonic(), 0)
                    )
                except TimeoutError:
                    self._unpark()
            await asyncio.sleep(self.linger)
            while self.queue:
                if await self.send_once(session):
                    backoff = 1.0
                else:
                    await asyncio.sleep(backoff)
                    backoff = min(backoff * 2, 60.0)


class AmiBridge:
    """Connects a panoramisk Manager's events to the translator and the sink."""

    def __init__(self, manager, translator: AmiTranslator, sink):
        self.manager, self.translator, self.sink = manager, translator, sink
        manager.register_event("*", self.on_event)

    def on_event(self, manager, message) -> None:
        try:
            events = self.translator.feed(message)
        except Exception:  # one odd event must not stop the bridge
            logger.exception("AMI event not understood: %r", dict(message))
            return
        self.sink.put(events)


async def serve(manager, sink: ApiSink, session, poller: DialPoller | None = None) -> None:
    """Connect to the PBX (panoramisk reconnects by itself when it goes away) and post events until cancelled;
    with a ``poller``, dial FreightDesk's click-to-call requests too."""
    manager.connect()
    try:
        if poller is None:
            await sink.run(session)
        else:
            await asyncio.gather(sink.run(session), poller.run(session))
    finally:
        manager.close()
