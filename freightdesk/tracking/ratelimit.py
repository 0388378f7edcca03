"""Tracking's public look-ups share the project's rate limiter (core.ratelimit)."""

from freightdesk.core.ratelimit import TRACK_LIMIT, TRACK_WINDOW, allow, client_address

__all__ = ["TRACK_LIMIT", "TRACK_WINDOW", "allow", "client_address"]
