"""Idempotency-Key (API.md conventions): the same key and body within the TTL returns the first
result and creates nothing; the same key with another body is a conflict."""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from freightdesk.core.errors import DomainError
from freightdesk.core.models import IdempotencyRecord


class IdempotencyConflict(DomainError):
    """The same key was sent with another body."""


@dataclass(frozen=True)
class Outcome:
    status: int
    body: dict
    replayed: bool


def request_hash(*, method: str, path: str, body: dict) -> str:
    """The canonical form of a request: method, path and the parsed body with sorted keys."""
    canonical = json.dumps(
        {"method": method, "path": path, "body": body},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        default=str,
    )
    # surrogatepass: a lone surrogate the body may hold still hashes (it is refused later, as bad input)
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()


def _cutoff(now):
    return now - timedelta(hours=settings.FREIGHTDESK["IDEMPOTENCY_TTL_HOURS"])


def previous_outcome(*, user, key: str, digest: str, now=None) -> Outcome | None:
    """The stored first answer for this key, or None; IdempotencyConflict when the body differs."""
    now = now or timezone.now()
    record = IdempotencyRecord.objects.filter(user=user, key=key, created_at__gte=_cutoff(now)).first()
    return None if record is None else _outcome(record, digest)


@dataclass(frozen=True)
class KeyClaim:
    """A key this user has not used within the TTL: ``record`` writes its first answer inside the caller's own
    transaction, with what the request creates. Of two concurrent requests with one key, the unique constraint
    lets one commit; the other's transaction fails with an IntegrityError and ``replay`` gives the winner's
    answer."""

    user: object
    key: str
    digest: str
    now: datetime
    expired: bool  # a record past the TTL holds the key: removed in the same transaction

    def record(self, status: int, body: dict) -> None:
        if self.expired:
            IdempotencyRecord.objects.filter(user=self.user, key=self.key, created_at__lt=_cutoff(self.now)).delete()
        IdempotencyRecord.objects.create(
            user=self.user,
            key=self.key,
            request_hash=self.digest,
            status_code=status,
            response_body=body,
            created_at=self.now,
        )

    def replay(self) -> Outcome | None:
        """The answer of the request that recorded this key first (None: nobody did; the error was another)."""
        return previous_outcome(user=self.user, key=self.key, digest=self.digest, now=self.now)


def claim_key(*, user, key: str, digest: str, now=None) -> Outcome | KeyClaim:
    """One read, before any write lock: the stored first answer for this key (IdempotencyConflict when the body
    differs), or a claim the caller records in the transaction that creates."""
    now = now or timezone.now()
    record = IdempotencyRecord.objects.filter(user=user, key=key).first()
    if record is not None and record.created_at >= _cutoff(now):
        return _outcome(record, digest)
    return KeyClaim(user=user, key=key, digest=digest, now=now, expired=record is not None)


def _outcome(record: IdempotencyRecord, digest: str) -> Outcome:
    if record.request_hash != digest:
        raise IdempotencyConflict(
            "idempotency_key_reused",
            _("This Idempotency-Key was already used with a different request body."),
        )
    return Outcome(record.status_code, record.response_body, True)


def run_once(*, user, key: str, digest: str, create: Callable[[], tuple[int, dict]], now=None) -> Outcome:
    """Run `create` at most once per (user, key) within the TTL.

    The record row is inserted first, in the same transaction as what `create` writes: of two
    concurrent requests with one key, the unique constraint lets one commit; the other gets an
    IntegrityError and replays the winner's answer. An error inside `create` rolls back both.
    """
    now = now or timezone.now()
    if (outcome := previous_outcome(user=user, key=key, digest=digest, now=now)) is not None:
        return outcome
    try:
        with transaction.atomic():
            IdempotencyRecord.objects.filter(user=user, key=key, created_at__lt=_cutoff(now)).delete()
            record = IdempotencyRecord.objects.create(
                user=user, key=key, request_hash=digest, status_code=0, response_body={}, created_at=now
            )
            status, body = create()
            record.status_code, record.response_body = status, body
            record.save(update_fields=["status_code", "response_body"])
    except IntegrityError:
        outcome = previous_outcome(user=user, key=key, digest=digest, now=now)
        if outcome is None:
            raise
        return outcome
    return Outcome(status, body, False)


def purge_expired(*, now=None) -> int:
    """Delete records past the TTL (they no longer protect anything)."""
    deleted, _details = IdempotencyRecord.objects.filter(created_at__lt=_cutoff(now or timezone.now())).delete()
    return deleted
