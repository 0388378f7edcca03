"""The gateway interface and its three kinds of failure."""

import time
from collections.abc import Callable
from datetime import datetime, timedelta

PAGE_TRIES = 4  # a failed page of a look-up is asked again, this many times in all, before the look-up pauses
PAGE_PAUSE = 0.05  # seconds between two tries of one page
LOOKUP_SKEW = timedelta(seconds=30)  # the provider's clock against ours: records this much older are read too


class GatewayError(Exception):
    kind = "transient"

    def __init__(self, message: str, *, code: str = ""):
        super().__init__(message)
        self.code = code
        self.message = message


class TransientError(GatewayError):
    """Retry later with backoff. The provider may or may not have accepted the message."""

    kind = "transient"


class RateLimited(GatewayError):
    """The number's per-day (or per-hour) cap at the provider: retry later, tell the supervisor."""

    kind = "rate_limited"


class PermanentError(GatewayError):
    """The provider refused the message for good; an agent must fix it (e.g. the number)."""

    kind = "permanent"


class NotSent(TransientError):
    """No send call was made this attempt (a look-up could not finish, or no time was left to send): the message is
    no more in doubt than before, so it is tried again soon and the attempt does not count towards its backoff."""


class LookupUnfinished(NotSent):
    """A look-up stopped before its last page (a page kept failing, or its time ran out); the pages read so far
    are kept in ``message.lookup_cursor`` so the next attempt resumes there."""


class Gateway:
    name = "base"
    syntax = "free"  # "free" text, or the provider's "aliyun" / "tencent" approved templates
    call_seconds = 0.0  # the longest one call to the provider can take (connect + read timeouts)
    asks_provider = False  # whether find_sent asks the provider (a finished look-up means the provider answered)

    def send(self, message) -> str:
        """Send ``message`` (a messaging.Message); return the provider's id for it."""
        raise NotImplementedError

    def find_sent(self, message, *, until: float | None = None) -> str | None:
        """The provider id of an earlier send of ``message`` (by its idempotency key), if any.

        Returning None means "send again": backends whose provider de-duplicates on the key
        (the generic HTTP gateway) or that cannot look up (console) return None. A look-up over pages
        starts no call after ``until`` (``time.monotonic()``), resumes at ``message.lookup_cursor`` and moves
        it forward page by page; it raises ``LookupUnfinished`` when it cannot finish.
        """
        return None

    @staticmethod
    def lookup_since(message) -> datetime:
        """The oldest time a send of ``message`` can bear at the provider: its first send attempt (its creation if
        none was recorded) less ``LOOKUP_SKEW``. Records older than this cannot be ours and are not read."""
        return (message.first_attempt_at or message.created_at) - LOOKUP_SKEW

    def ask_page(self, call: Callable, *, until: float | None):
        """One page of a look-up: asked again when the provider fails it (each call of a look-up fails on its
        own; one failure among many pages must not fail the whole look-up), within ``until``."""
        failure = ""
        for attempt in range(1, PAGE_TRIES + 1):
            if until is not None and time.monotonic() + self.call_seconds > until:
                raise LookupUnfinished("look-up out of time; the next attempt resumes where it stopped")
            try:
                return call()
            except TransientError as exc:
                failure = exc.message
                if attempt < PAGE_TRIES:
                    time.sleep(PAGE_PAUSE)
        raise LookupUnfinished(f"look-up stopped on a failing page: {failure}"[:280])

    def close(self) -> None:
        """Release files or connections held across a batch."""

    @staticmethod
    def bare_signature(signature: str) -> str:
        return signature.strip().strip("【】[]")
