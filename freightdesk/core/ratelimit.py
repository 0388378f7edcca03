"""Per-client-address rate limit for public pages and look-ups (tracking, web orders; API 429), in the cache."""

import logging

from django.core.cache import cache

logger = logging.getLogger(__name__)

TRACK_LIMIT = 20  # look-ups per address per window
TRACK_WINDOW = 60  # seconds


def client_address(request) -> str:
    """The peer address; a deployment behind a proxy sets REMOTE_ADDR from the proxy's header in its server."""
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def allow(address: str, *, scope: str = "track", limit: int = TRACK_LIMIT, window: int = TRACK_WINDOW) -> bool:
    """Count one look-up for ``address``; False (and logged once per window) when over the limit."""
    key = f"ratelimit:{scope}:{address}"
    if cache.add(key, 1, timeout=window):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        return True
    if count == limit + 1:
        logger.warning("rate limit: %s look-ups from %s within %ss", scope, address, window)
    return count <= limit
