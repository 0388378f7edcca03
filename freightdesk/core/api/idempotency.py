"""Idempotency-Key (API.md conventions): the same key and body within the TTL returns the first
result and creates nothing; the same key with another body is a conflict."""

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

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
    if record is None:
        return None
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
