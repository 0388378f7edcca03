"""The outbox worker's side: claim due messages, send each once, record each outcome at once.

A batch is claimed with one conditional UPDATE (state queued, due, lease free), which sets a
lease and a claim token. Each message is then taken on its own: it is marked ``in_flight`` (a
send started), sent outside any transaction, and its outcome is recorded as soon as the
gateway answers — in the same transaction that marks the next one in flight. A worker killed
mid-batch therefore leaves at most one message whose outcome is unknown; the rest of its batch
is free again when the lease runs out. A message still ``in_flight`` when claimed again was
being sent by a worker that died (or got no readable answer): it is first looked up at the
provider by its idempotency key, and only sent if the provider has no record of it.

Dispatch SMS (派单 and the driver's link) are urgent: they are claimed before any other due
message, a quick failure is tried again at once (twice), then every 5–15 s rather than with the long
backoff, and they have their own task queue (``tasks.URGENT_QUEUE``).
"""

import time
import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .gateways import Gateway, GatewayError, RateLimited, TransientError, get_gateway, sms_setting
from .models import URGENT_KINDS, ErrorKind, Message, MessageState
from .services import message_event
from .tasks import enqueue_send

BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_CAP = timedelta(hours=1)
URGENT_BACKOFF_BASE = timedelta(seconds=5)
URGENT_BACKOFF_CAP = timedelta(seconds=15)
URGENT_TRIES = 3  # quick failures of a dispatch SMS are tried again at once, this many tries in all
QUICK_FAILURE = 2.0  # seconds: an answer this fast is worth another try now; a timeout is not
RETRY_PAUSE = 0.5
RATE_LIMIT_RETRY = timedelta(hours=1)
BATCH_SIZE = 200


def lease() -> timedelta:
    """How long a claim holds: a few gateway timeouts; the worker renews it while it works through its batch."""
    return timedelta(seconds=max(30.0, 2 * float(sms_setting("TIMEOUT_SECONDS")) + 10))


def backoff(attempts: int, *, urgent: bool = False) -> timedelta:
    """30 s, 1 min, 2 min, … doubling per attempt, never more than an hour; urgent: 5 s, 10 s, then every 15 s."""
    base, cap = (URGENT_BACKOFF_BASE, URGENT_BACKOFF_CAP) if urgent else (BACKOFF_BASE, BACKOFF_CAP)
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
    """Lease up to ``limit`` due messages; return the token and the rows (urgent ones first)."""
    qs = due(now)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    candidates = _candidates(qs, limit)
    if not candidates:
        return "", []
    token = uuid.uuid4().hex
    with transaction.atomic():
        due(now).filter(pk__in=candidates).update(claim=token, lease_until=now + lease())
    rows = {m.pk: m for m in Message.objects.filter(claim=token).select_related("order")}
    return token, [rows[pk] for pk in candidates if pk in rows]


def _try_once(gateway: Gateway, message: Message, in_doubt: bool):
    try:
        if in_doubt:
            found = gateway.find_sent(message)
            if found is not None:
                return found
        return gateway.send(message)
    except GatewayError as exc:
        return exc
    except Exception as exc:  # a bug or garbage inside a backend must not lose the message
        return TransientError(f"{type(exc).__name__}: {exc}"[:280])


def send_one(gateway: Gateway, message: Message, in_doubt: bool, *, tries: int = 1):
    """Provider id on success, or the GatewayError; never raises for gateway trouble.

    With ``tries`` > 1 (dispatch SMS) a quick transient failure (an error answer, not a timeout) is tried again
    at once — looked up first, since the failed call may have sent it — within the claim's lease."""
    for attempt in range(tries):
        started = time.monotonic()
        result = _try_once(gateway, message, in_doubt)
        quick = time.monotonic() - started < QUICK_FAILURE
        if type(result) is not TransientError or attempt == tries - 1 or not quick:
            return result
        in_doubt = True
        time.sleep(RETRY_PAUSE)
    return result


class _Batch:
    """One claimed batch: start each message, record its outcome, keep the lease of the rest alive."""

    def __init__(self, *, token: str, backend: str, report: Report):
        self.token = token
        self.backend = backend
        self.report = report
        self.lease = lease()
        self.renewed = time.monotonic()

    def step(self, *, done=None, start: Message | None = None) -> bool:
        """Record ``done`` (message, result) and mark ``start`` in flight, in one transaction.

        Returns whether ``start`` is still ours to send (its claim may have been taken over after the lease ran out).
        """
        now = timezone.now()
        with transaction.atomic():
            if done is not None:
                record_outcome(
                    message=done[0], result=done[1], token=self.token, backend=self.backend, now=now, report=self.report
                )
            if start is None:
                return False
            if time.monotonic() - self.renewed > self.lease.total_seconds() / 3:
                Message.objects.filter(claim=self.token, state=MessageState.QUEUED).update(lease_until=now + self.lease)
                self.renewed = time.monotonic()
            return bool(
                Message.objects.filter(pk=start.pk, claim=self.token, state=MessageState.QUEUED).update(
                    in_flight=True, attempts=F("attempts") + 1, lease_until=now + self.lease
                )
            )


def deliver(*, ids=None, now=None, limit=BATCH_SIZE, gateway: Gateway | None = None) -> Report:
    """Send one batch of due messages (all, or those of ``ids``), recording each outcome as it comes."""
    now = now or timezone.now()
    token, rows = claim(ids=ids, now=now, limit=limit)
    report = Report(claimed=len(rows))
    if not rows:
        return report
    own_gateway = gateway is None
    gateway = gateway or get_gateway()
    batch = _Batch(token=token, backend=gateway.name, report=report)
    pending = None
    try:
        for message in rows:
            started = batch.step(done=pending, start=message)
            pending = None
            if started:
                message.attempts += 1
                tries = URGENT_TRIES if message.kind in URGENT_KINDS else 1
                pending = (message, send_one(gateway, message, in_doubt=message.in_flight, tries=tries))
        if pending is not None:
            batch.step(done=pending)
    finally:
        if own_gateway:
            gateway.close()
        if report.retry_at:
            _schedule_retries(report.retry_at)
    return report


def deliver_all(*, now=None, gateway: Gateway | None = None, max_batches: int = 10_000) -> Report:
    """Drain every due message, batch after batch (the safety drain)."""
    total = Report()
    own_gateway = gateway is None
    gateway = gateway or get_gateway()
    try:
        for _batch in range(max_batches):
            report = deliver(now=now, gateway=gateway)
            if not report.claimed:
                break
            total.claimed += report.claimed
            total.sent += report.sent
            total.retrying += report.retrying
            total.failed += report.failed
    finally:
        if own_gateway:
            gateway.close()
    return total


def record_outcome(*, message: Message, result, token: str, backend: str, now, report: Report) -> None:
    """Mark one claimed message sent, retrying or failed as soon as the gateway answered (SPEC §6 outbox)."""
    release = {"claim": "", "lease_until": None, "backend": backend}
    mine = Message.objects.filter(pk=message.pk, claim=token)
    if not isinstance(result, GatewayError):
        marked = mine.filter(state=MessageState.QUEUED).update(
            state=MessageState.SENT,
            sent_at=now,
            in_flight=False,
            error_kind="",
            last_error="",
            provider_message_id=result[:80],
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
            **release,
        )
        report.failed.append(message.pk)
        message_event(message=message, state=MessageState.FAILED, at=now, error=result.message)
        return
    limited = isinstance(result, RateLimited)
    urgent = message.kind in URGENT_KINDS
    when = now + (RATE_LIMIT_RETRY if limited else backoff(message.attempts, urgent=urgent))
    mine.update(
        next_attempt_at=when,
        error_kind=result.kind,
        last_error=result.message[:300],
        # after a transient error the provider may have the message: look it up first next time
        in_flight=not limited,
        **release,
    )
    report.retrying.append(message.pk)
    report.retry_at[message.pk] = (when, urgent)


def _schedule_retries(retry_at: dict[int, tuple]) -> None:
    """One deferred send task per queue for a batch's retries, when the last of them is due (the periodic drain
    catches any task that is lost)."""
    for urgent in (True, False):
        group = {pk: when for pk, (when, is_urgent) in retry_at.items() if is_urgent == urgent}
        if group:
            enqueue_send(list(group), urgent=urgent, run_after=max(group.values()))
