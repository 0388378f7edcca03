"""The gateway interface and its three kinds of failure."""


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


class Gateway:
    name = "base"
    syntax = "free"  # "free" text, or the provider's "aliyun" / "tencent" approved templates

    def send(self, message) -> str:
        """Send ``message`` (a messaging.Message); return the provider's id for it."""
        raise NotImplementedError

    def find_sent(self, message) -> str | None:
        """The provider id of an earlier send of ``message`` (by its idempotency key), if any.

        Returning None means "send again": backends whose provider de-duplicates on the key
        (the generic HTTP gateway) or that cannot look up (console) return None.
        """
        return None

    def close(self) -> None:
        """Release files or connections held across a batch."""

    @staticmethod
    def bare_signature(signature: str) -> str:
        return signature.strip().strip("【】[]")
