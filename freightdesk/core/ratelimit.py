"""Per-client-address rate limit for public pages and look-ups (tracking, web orders; API 429), shared by every
process of the site.

With Redis as the cache a count is Redis' INCR. With the database cache (the default) a count is one
``INSERT … ON CONFLICT DO UPDATE … RETURNING`` on ``core.RateCount`` — not the cache's ``incr``, which is a read
then a write, so two requests at the same moment could both read 5 and both write 6."""

import hashlib
import logging
import time

from django.core.cache import cache, caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connection, transaction

from .models import RateCount

logger = logging.getLogger(__name__)

TRACK_LIMIT = 20  # look-ups per address per window
TRACK_WINDOW = 60  # seconds
PURGE_EVERY = 60.0  # seconds between two deletions of ended windows, per process
_last_purge = 0.0

UPSERT = """
INSERT INTO {table} (key, count, expires_at) VALUES (%s, 1, %s)
ON CONFLICT (key) DO UPDATE SET
    count = CASE WHEN {table}.expires_at <= %s THEN 1 ELSE {table}.count + 1 END,
    expires_at = CASE WHEN {table}.expires_at <= %s THEN excluded.expires_at ELSE {table}.expires_at END
RETURNING count
"""


def client_address(request) -> str:
    """The peer address; a deployment behind a proxy sets REMOTE_ADDR from the proxy's header in its server."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def allow(address: str, *, scope: str = "track", limit: int = TRACK_LIMIT, window: int = TRACK_WINDOW) -> bool:
    """Count one look-up for ``address``; False (and logged once per window) when over the limit."""
    key = f"ratelimit:{scope}:{address}"
    count = (
        count_in_database(key, window) if isinstance(caches["default"], DatabaseCache) else _count_in_cache(key, window)
    )
    if count == limit + 1:
        logger.warning("rate limit: %s look-ups from %s within %ss", scope, address, window)
    return count <= limit


def _count_in_cache(key: str, window: int) -> int:
    if cache.add(key, 1, timeout=window):
        return 1
    try:
        return cache.incr(key)  # Redis: INCR, atomic
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        return 1


def count_in_database(key: str, window: int) -> int:
    """This request's number within ``key``'s window (a new window starts at 1), counted atomically."""
    if len(key) > RateCount._meta.get_field("key").max_length:
        key = "ratelimit:sha1:" + hashlib.sha1(key.encode(), usedforsecurity=False).hexdigest()
    now = time.time()
    table = connection.ops.quote_name(RateCount._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(UPSERT.format(table=table), [key, now + window, now, now])
        count = cursor.fetchone()[0]
    _purge_ended(now)
    return count


def _purge_ended(now: float) -> None:
    global _last_purge
    if now - _last_purge < PURGE_EVERY:
        return
    _last_purge = now
    RateCount.objects.filter(expires_at__lt=now).delete()
