"""The outbox worker's side: claim due messages, send each once, record each outcome at once.

A batch is claimed with one conditional UPDATE (state queued, due, lease free), which sets a
short hold and a claim token. Each message is then taken on its own: it is marked ``in_flight`` (a
send started) with the full lease, sent outside any transaction — up to ``SMS["PARALLEL_SENDS"]`` of a batch at
once on a network gateway (``senders.Senders``), so one slow call or long look-up does not hold the rest — and its
outcome is recorded as soon as the gateway answers, in the same transaction that marks the next one in flight. A
worker killed mid-batch therefore leaves at most ``PARALLEL_SENDS`` messages whose outcome is unknown; the rest of
its batch is free again within ``CLAIM_HOLD`` (the worker renews the hold while it works), and the
next send task takes them (every task also sweeps due dispatch SMS). A message still
``in_flight`` when claimed again was being sent by a worker that died (or got no readable
answer): it is first looked up at the provider by its idempotency key — every page that can hold it
(the records from its first send attempt on, ``first_attempt_at``), each page asked again when it
fails, the pages read kept in ``lookup_cursor`` so a look-up cut short resumes — and only sent if
the provider has no record of it. Where the provider cannot be asked,
it is sent again with the same key. No gateway call starts after the in-flight lease's end
(less a margin), so a message is never being sent by two workers. A look-up that could not finish
(a page kept failing, or the lease ran out) made no send: it is not counted as an attempt and is
tried again after ``IN_DOUBT_RETRY`` (dispatch SMS: ``URGENT_BACKOFF_BASE``), not after a doubled wait.
A failed send waits 30 s, 1 min, 2 min, … (an hour at most) while the gateway is down; while it takes
other sends of any worker or answers a whole look-up (up, failing some calls at random; marked in the shared
cache) the wait stops doubling at 2 minutes.

Dispatch SMS (派单 and the driver's link) are urgent: they are claimed before any other due
message, a quick failure is tried again at once (twice), then every 5–15 s rather than with the long
backoff, and they have their own task queue (``tasks.URGENT_QUEUE``).
"""

import time
import uuid
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass, field
from datetime import timedelta

from django.core.cache import cache
from django.db import transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from .gateways import Gateway, GatewayError, NotSent, RateLimited, TransientError, sms_setting
from .models import URGENT_KINDS, ErrorKind, Message, MessageState
from .senders import Senders
from .services import message_event
from .tasks import enqueue_send

BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_CAP = timedelta(hours=1)
URGENT_BACKOFF_BASE = timedelta(seconds=5)
URGENT_BACKOFF_CAP = timedelta(seconds=15)
IN_DOUBT_RETRY = timedelta(seconds=20)  # a look-up that could not finish: resumed this soon, however many attempts
URGENT_TRIES = 3  # quick failures of a dispatch SMS are tried again at once, this many tries in all
QUICK_FAILURE = 2.0  # seconds: an answer this fast is worth another try now; a timeout is not
RETRY_PAUSE = 0.1
RATE_LIMIT_RETRY = timedelta(hours=1)
# a gateway that took a send of any worker, or answered every page of a look-up, within ANSWERING_WINDOW seconds
# is up and failing some calls at random: a message's failures there are its bad luck, not an outage, and its wait
# stops doubling at ANSWERING_CAP. The last answer is kept in the shared cache (every worker on every machine reads
# it), written at most every ANSWERED_NOTE_EVERY seconds by each process.
ANSWERING_WINDOW = 60.0
ANSWERING_CAP = timedelta(minutes=2)
ANSWERED_NOTE_EVERY = 5.0
_noted: dict[str, float] = {}  # backend -> time.monotonic() this process last wrote the shared mark
BATCH_SIZE = 200
CLAIM_HOLD = timedelta(seconds=10)  # a claimed message not yet started is free again this soon after a worker dies
URGENT_SWEEP = 20  # due dispatch SMS every send task takes besides its own (those of a dead worker's batch)
LEASE_MARGIN = 5.0  # seconds of the in-flight lease left unused, against clock drift between workers


def lease() -> timedelta:
    """How long a claim holds: a few gateway timeouts; the worker renews it while it works through its batch."""
    return timedelta(seconds=max(30.0, 2 * float(sms_setting("TIMEOUT_SECONDS")) + 10))


def backoff(attempts: int, *, urgent: bool = False, answering: bool = False) -> timedelta:
    """30 s, 1 min, 2 min, … doubling per attempt, never more than an hour (while the gateway is answering other
    sends, never more than ``ANSWERING_CAP``); urgent: 5 s, 10 s, then every 15 s."""
    base, cap = (URGENT_BACKOFF_BASE, URGENT_BACKOFF_CAP) if urgent else (BACKOFF_BASE, BACKOFF_CAP)
    if answering:
        cap = min(cap, ANSWERING_CAP)
    return min(base * (2 ** min(max(attempts - 1, 0), 20)), cap)


@dataclass
class Report:
    claimed: int = 0
    sent: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    retry_at: dict = field(default_factory=dict, repr=False)


def due(now):
    return Message.objects.filter(state=MessageState.QUEUED, next_attempt_at__lte=now).filter(
        Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    )


def _candidates(qs, limit: int) -> list[int]:
    """Due ids, dispatch SMS first, then the rest in due order."""
    urgent = list(
        qs.filter(kind__in=URGENT_KINDS).order_by("next_attempt_at", "id").values_list("pk", flat=True)[:limit]
    )
    if len(urgent) < limit:
        rest = qs.exclude(kind__in=URGENT_KINDS).order_by("next_attempt_at", "id")
        urgent += list(rest.values_list("pk", flat=True)[: limit - len(urgent)])
    return urgent


def claim(*, ids=None, now, limit=BATCH_SIZE) -> tuple[str, list[Message]]:
    """Hold up to ``limit`` due messages; return the token and the rows (urgent ones first).

    With ``ids`` (a send task), other due dispatch SMS come too, up to ``URGENT_SWEEP``: those a dead worker had
    claimed, or whose retry task is still waiting, go with the next dispatch instead of the next drain."""
    qs = due(now)
    if ids is not None:
        ids = list(ids)
        candidates = _candidates(qs.filter(pk__in=ids), limit)
        sweep = due(now).filter(kind__in=URGENT_KINDS).exclude(pk__in=ids).order_by("next_attempt_at", "id")
        candidates += list(sweep.values_list("pk", flat=True)[: max(0, min(URGENT_SWEEP, limit - len(candidates)))])
    else:
        candidates = _candidates(qs, limit)
    if not candidates:
        return "", []
    token = uuid.uuid4().hex
    with transaction.atomic():
        due(now).filter(pk__in=candidates).update(claim=token, lease_until=now + CLAIM_HOLD)
    rows = {m.pk: m for m in Message.objects.filter(claim=token).select_related("order")}
    return token, [rows[pk] for pk in candidates if pk in rows]


def _try_once(gateway: Gateway, message: Message, in_doubt: bool, until: float, answered: list):
    try:
        if in_doubt:
            found = gateway.find_sent(message, until=until)
            if gateway.asks_provider:  # every page of the look-up answered: the gateway is up
                answered.append(True)
            if found is not None:
                return found
        if time.monotonic() + gateway.call_seconds > until:
            return NotSent("no time left in the lease to send; tried again soon")
        message.lookup_cursor = ""  # a new send may land anywhere in the provider's records: read them all again
        return gateway.send(message)
    except GatewayError as exc:
        return exc
    except Exception as exc:  # a bug or garbage inside a backend must not lose the message
        return TransientError(f"{type(exc).__name__}: {exc}"[:280])


def send_one(
    gateway: Gateway, message: Message, in_doubt: bool, *, tries: int = 1, until: float | None = None, answered=None
):
    """Provider id on success, or the GatewayError; never raises for gateway trouble.

    With ``tries`` > 1 (dispatch SMS) a quick transient failure (an error answer, not a timeout) is tried again
    at once — looked up first, since the failed call may have sent it. No call starts after ``until``
    (``time.monotonic()``; by default the in-flight lease less a margin). A look-up the provider answered in full
    is noted in ``answered`` (a list) for the caller to mark the gateway up. Touches no database: it runs on the
    senders' threads."""
    if until is None:
        until = time.monotonic() + lease().total_seconds() - LEASE_MARGIN
    answered = [] if answered is None else answered
    sent = False  # whether a try of this claim called the gateway's send
    for attempt in range(tries):
        started = time.monotonic()
        result = _try_once(gateway, message, in_doubt, until, answered)
        sent = sent or not isinstance(result, NotSent)
        if sent and isinstance(result, NotSent):
            result = TransientError(result.message)  # an earlier try sent it: this attempt counts
        quick = time.monotonic() - started < QUICK_FAILURE
        if not isinstance(result, TransientError) or attempt == tries - 1 or not quick:
            return result
        in_doubt = True
        time.sleep(RETRY_PAUSE)
    return result


def _send(gateway: Gateway, message: Message, in_doubt: bool, tries: int, until: float):
    """One message on a sender's thread: (the result, whether a look-up was answered in full)."""
    answered: list = []
    result = send_one(gateway, message, in_doubt, tries=tries, until=until, answered=answered)
    return result, bool(answered)


class _Batch:
    """One claimed batch: start messages (up to the senders' width at once), record each outcome as it comes, keep
    the hold on the rest alive."""

    def __init__(self, *, token: str, backend: str, report: Report):
        self.token = token
        self.backend = backend
        self.report = report
        self.lease = lease()
        self.renewed = time.monotonic()

    def run(self, rows: list[Message], senders: Senders) -> None:
        waiting = iter(rows)
        sending: dict[Future, Message] = {}
        done: list = []
        while True:
            while len(sending) < senders.width and (message := next(waiting, None)) is not None:
                if self.step(done=done, start=message):
                    sending[self._start(senders, message)] = message
                done = []
            if not sending:
                break
            finished, _ = wait(sending, timeout=CLAIM_HOLD.total_seconds() / 3, return_when=FIRST_COMPLETED)
            for future in finished:
                result, answered = future.result()
                if answered:
                    _note_answered(self.backend)
                done.append((sending.pop(future), result))
            if not finished:
                self.step()  # every sender still waiting for the provider: keep the rest of the batch held
        self.step(done=done)

    def _start(self, senders: Senders, message: Message) -> Future:
        message.attempts += 1
        tries = URGENT_TRIES if message.kind in URGENT_KINDS else 1
        until = time.monotonic() + self.lease.total_seconds() - LEASE_MARGIN
        return senders.submit(_send, message, message.in_flight, tries, until)

    def step(self, *, done=(), start: Message | None = None) -> bool:
        """Record the outcomes ``done`` ((message, result) pairs) and mark ``start`` in flight, in one transaction.

        Returns whether ``start`` is still ours to send (its claim may have been taken over after the lease ran out).
        """
        now = timezone.now()
        renew = time.monotonic() - self.renewed > CLAIM_HOLD.total_seconds() / 3
        if not (done or start or renew):
            return False
        with transaction.atomic():
            for message, result in done:
                record_outcome(
                    message=message, result=result, token=self.token, backend=self.backend, now=now, report=self.report
                )
            if renew:  # only ever lengthens a hold: a message being sent keeps its full lease
                Message.objects.filter(
                    claim=self.token, state=MessageState.QUEUED, lease_until__lt=now + CLAIM_HOLD
                ).update(lease_until=now + CLAIM_HOLD)
                self.renewed = time.monotonic()
            if start is None:
                return False
            started = Message.objects.filter(pk=start.pk, claim=self.token, state=MessageState.QUEUED).update(
                in_flight=True,
                attempts=F("attempts") + 1,
                lease_until=now + self.lease,
                first_attempt_at=Coalesce("first_attempt_at", Value(now)),
            )
            if started and start.first_attempt_at is None:
                start.first_attempt_at = now  # a look-up reads the provider's records from here
            return bool(started)


def deliver(*, ids=None, now=None, limit=BATCH_SIZE, gateway: Gateway | None = None, senders=None) -> Report:
    """Send one batch of due messages (all, or those of ``ids``), recording each outcome as it comes.

    ``gateway``: call this one, on this thread (tests); by default the configured backend through ``Senders``."""
    now = now or timezone.now()
    token, rows = claim(ids=ids, now=now, limit=limit)
    report = Report(claimed=len(rows))
    if not rows:
        return report
    own = senders is None
    senders = senders or Senders(gateway)
    try:
        _Batch(token=token, backend=senders.name, report=report).run(rows, senders)
    finally:
        if own:
            senders.close()
        if report.retry_at:
            _schedule_retries(report.retry_at)
    return report


def deliver_all(*, now=None, gateway: Gateway | None = None, max_batches: int = 10_000) -> Report:
    """Drain every due message, batch after batch (the safety drain)."""
    total = Report()
    senders = Senders(gateway)
    try:
        for _batch in range(max_batches):
            report = deliver(now=now, senders=senders)
            if not report.claimed:
                break
            total.claimed += report.claimed
            total.sent += report.sent
            total.retrying += report.retrying
            total.failed += report.failed
    finally:
        senders.close()
    return total


def record_outcome(*, message: Message, result, token: str, backend: str, now, report: Report) -> None:
    """Mark one claimed message sent, retrying or failed as soon as the gateway answered (SPEC §6 outbox)."""
    release = {"claim": "", "lease_until": None, "backend": backend}
    mine = Message.objects.filter(pk=message.pk, claim=token)
    if not isinstance(result, GatewayError):
        _note_answered(backend)
        marked = mine.filter(state=MessageState.QUEUED).update(
            state=MessageState.SENT,
            sent_at=now,
            in_flight=False,
            error_kind="",
            last_error="",
            provider_message_id=result[:80],
            lookup_cursor="",
            **release,
        )
        if not marked:  # a receipt overtook the mark: release the row without touching its state
            mine.update(in_flight=False, **release)
            return
        report.sent.append(message.pk)
        message_event(message=message, state=MessageState.SENT, at=now)
        return
    if result.kind == ErrorKind.PERMANENT:
        mine.update(
            state=MessageState.FAILED,
            failed_at=now,
            in_flight=False,
            error_kind=ErrorKind.PERMANENT,
            last_error=result.message[:300],
            lookup_cursor="",
            **release,
        )
        report.failed.append(message.pk)
        message_event(message=message, state=MessageState.FAILED, at=now, error=result.message)
        return
    _retry_later(mine, message=message, error=result, now=now, report=report, release=release)


def answered_key(backend: str) -> str:
    return f"outbox:answered:{backend}"


def _note_answered(backend: str) -> None:
    """The gateway took a send: mark it in the shared cache (at most every ``ANSWERED_NOTE_EVERY`` s a process)."""
    now = time.monotonic()
    if now - _noted.get(backend, float("-inf")) >= ANSWERED_NOTE_EVERY:
        cache.set(answered_key(backend), time.time(), timeout=ANSWERING_WINDOW)
        _noted[backend] = now


def gateway_answering(backend: str) -> bool:
    """Whether the gateway took a send of any worker within ``ANSWERING_WINDOW``: it is up, failing some calls,
    not down."""
    return time.time() - (cache.get(answered_key(backend)) or float("-inf")) < ANSWERING_WINDOW


def _retry_later(mine, *, message: Message, error: GatewayError, now, report: Report, release: dict) -> None:
    """A transient failure or a daily cap: the message waits for its next attempt. A look-up that could not finish
    made no send: not an attempt, and its wait is not doubled."""
    limited, not_sent = isinstance(error, RateLimited), isinstance(error, NotSent)
    urgent = message.kind in URGENT_KINDS
    if not_sent:
        message.attempts -= 1
        wait = URGENT_BACKOFF_BASE if urgent else IN_DOUBT_RETRY
    elif limited:
        wait = RATE_LIMIT_RETRY
    else:
        wait = backoff(message.attempts, urgent=urgent, answering=gateway_answering(release["backend"]))
    when = now + wait
    mine.update(
        next_attempt_at=when,
        attempts=F("attempts") - int(not_sent),
        error_kind=error.kind,
        last_error=error.message[:300],
        # after a transient error the provider may have the message: look it up first next time
        in_flight=not limited,
        lookup_cursor=message.lookup_cursor,
        **release,
    )
    report.retrying.append(message.pk)
    report.retry_at[message.pk] = (when, urgent)


def _schedule_retries(retry_at: dict[int, tuple]) -> None:
    """Deferred send tasks per queue for a batch's retries: one when the first of them is due (a look-up to resume
    soon does not wait for another message's long backoff), one when the last is (the periodic drain catches any
    between, and any task that is lost)."""
    for urgent in (True, False):
        group = {pk: when for pk, (when, is_urgent) in retry_at.items() if is_urgent == urgent}
        for run_after in sorted({min(group.values()), max(group.values())} if group else ()):
            enqueue_send(list(group), urgent=urgent, run_after=run_after)
