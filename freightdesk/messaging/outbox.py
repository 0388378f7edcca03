"""The outbox worker's side: claim due messages, send each once, record the outcome.

A batch is claimed with one conditional UPDATE (state queued, due, lease free), which sets a
lease, a claim token and ``in_flight``. Sends happen outside any transaction; the outcomes
are recorded together in one. A message still ``in_flight`` when claimed again was being sent
by a worker that died (or got no readable answer): it is first looked up at the provider by
its idempotency key, and only sent if the provider has no record of it.
"""

import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from django.db import transaction
from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

from .gateways import Gateway, GatewayError, RateLimited, TransientError, get_gateway
from .models import ErrorKind, Message, MessageState
from .services import message_event
from .tasks import send_messages

LEASE = timedelta(minutes=5)
BACKOFF_BASE = timedelta(seconds=30)
BACKOFF_CAP = timedelta(hours=1)
RATE_LIMIT_RETRY = timedelta(hours=1)
BATCH_SIZE = 200


def backoff(attempts: int) -> timedelta:
    """30 s, 1 min, 2 min, … doubling per attempt, never more than an hour."""
    return min(BACKOFF_BASE * (2 ** max(attempts - 1, 0)), BACKOFF_CAP)


@dataclass
class Report:
    claimed: int = 0
    sent: list[int] = field(default_factory=list)
    retrying: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)


def due(now):
    return Message.objects.filter(state=MessageState.QUEUED, next_attempt_at__lte=now).filter(
        Q(lease_until__isnull=True) | Q(lease_until__lt=now)
    )


def claim(*, ids=None, now, limit=BATCH_SIZE) -> tuple[str, list[Message], set[int]]:
    """Lease up to ``limit`` due messages; return the token, the rows and the ids that were in flight."""
    qs = due(now)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    candidates = list(qs.order_by("next_attempt_at", "id").values_list("pk", "in_flight")[:limit])
    if not candidates:
        return "", [], set()
    token = uuid.uuid4().hex
    with transaction.atomic():
        due(now).filter(pk__in=[pk for pk, _f in candidates]).update(
            claim=token, lease_until=now + LEASE, in_flight=True, attempts=F("attempts") + 1
        )
    rows = list(Message.objects.filter(claim=token).select_related("order").order_by("id"))
    return token, rows, {pk for pk, was_in_flight in candidates if was_in_flight}


def send_one(gateway: Gateway, message: Message, in_doubt: bool):
    """Provider id on success, or the GatewayError; never raises for gateway trouble."""
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


def deliver(*, ids=None, now=None, limit=BATCH_SIZE, gateway: Gateway | None = None) -> Report:
    """Send one batch of due messages (all, or those of ``ids``) and record the outcomes."""
    now = now or timezone.now()
    token, rows, in_doubt = claim(ids=ids, now=now, limit=limit)
    report = Report(claimed=len(rows))
    if not rows:
        return report
    own_gateway = gateway is None
    gateway = gateway or get_gateway()
    try:
        outcomes = [(message, send_one(gateway, message, message.pk in in_doubt)) for message in rows]
    finally:
        if own_gateway:
            gateway.close()
    record_outcomes(outcomes=outcomes, token=token, backend=gateway.name, now=timezone.now(), report=report)
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


def record_outcomes(*, outcomes, token: str, backend: str, now, report: Report) -> None:
    """Mark each claimed message sent, retrying or failed, in one transaction (SPEC §6 outbox).

    The sent ones are marked with a single UPDATE (their provider ids through a CASE), so a
    batch costs a handful of statements, not two per message.
    """
    release = {"claim": "", "lease_until": None, "backend": backend}
    sent = {m.pk: (m, result) for m, result in outcomes if not isinstance(result, GatewayError)}
    retry_at = {}
    with transaction.atomic():
        if sent:
            mine = Message.objects.filter(pk__in=list(sent), claim=token, state=MessageState.QUEUED)
            marked = list(mine.values_list("pk", flat=True))
            if marked:
                Message.objects.filter(pk__in=marked).update(
                    state=MessageState.SENT,
                    sent_at=now,
                    in_flight=False,
                    error_kind="",
                    last_error="",
                    provider_message_id=Case(*[When(pk=pk, then=Value(sent[pk][1][:80])) for pk in marked]),
                    **release,
                )
            # a receipt may have overtaken the mark: release those rows without touching their state
            Message.objects.filter(pk__in=list(sent), claim=token).update(in_flight=False, **release)
            for pk in marked:
                report.sent.append(pk)
                if sent[pk][0].order_id is not None:
                    message_event(message=sent[pk][0], state=MessageState.SENT, at=now)
        for message, result in outcomes:
            if message.pk in sent:
                continue
            mine = Message.objects.filter(pk=message.pk, claim=token)
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
            else:
                limited = isinstance(result, RateLimited)
                when = now + (RATE_LIMIT_RETRY if limited else backoff(message.attempts))
                mine.update(
                    next_attempt_at=when,
                    error_kind=result.kind,
                    last_error=result.message[:300],
                    # after a transient error the provider may have the message: look it up first next time
                    in_flight=not limited,
                    **release,
                )
                report.retrying.append(message.pk)
                retry_at[message.pk] = when
        if retry_at:
            transaction.on_commit(lambda: _schedule_retries(retry_at))


def _schedule_retries(retry_at: dict[int, object]) -> None:
    by_time: dict[object, list[int]] = {}
    for pk, when in retry_at.items():
        by_time.setdefault(when, []).append(pk)
    for when, ids in by_time.items():
        send_messages.using(run_after=when).enqueue(message_ids=ids)
