"""SMS gateway backends, chosen by ``settings.SMS_BACKEND``: console, file, http, aliyun, tencent.

Each backend sends one message and classifies what went wrong:
``TransientError`` (timeout, 5xx, garbage — retried with backoff, the outcome may be unknown),
``RateLimited`` (the number's daily cap — retried later, shown to the supervisor),
``PermanentError`` (bad number, unapproved template — the message fails and waits for an agent),
``NotSent`` (no send call was made: a look-up that could not finish — tried again soon, not counted as an attempt).
``find_sent`` looks a message up at the provider by its idempotency key, for a send whose
outcome was never recorded (a worker that died between the provider's answer and the mark).
"""

from importlib import import_module

from django.conf import settings

from .base import Gateway, GatewayError, NotSent, PermanentError, RateLimited, TransientError

BACKENDS = {
    "console": "freightdesk.messaging.gateways.console.ConsoleGateway",
    "file": "freightdesk.messaging.gateways.file.FileGateway",
    "http": "freightdesk.messaging.gateways.http.HttpGateway",
    "aliyun": "freightdesk.messaging.gateways.aliyun.AliyunGateway",
    "tencent": "freightdesk.messaging.gateways.tencent.TencentGateway",
}

__all__ = ["Gateway", "GatewayError", "NotSent", "PermanentError", "RateLimited", "TransientError", "get_gateway"]


def backend_name() -> str:
    return settings.SMS_BACKEND or "console"


def get_gateway(name: str | None = None) -> Gateway:
    name = name or backend_name()
    if name not in BACKENDS:
        raise ValueError(f"Unknown SMS_BACKEND {name!r}; choose one of {', '.join(BACKENDS)}")
    module, _dot, cls = BACKENDS[name].rpartition(".")
    return getattr(import_module(module), cls)()


def sms_setting(key: str):
    """One gateway setting from ``settings.SMS`` (every key has its default there)."""
    return settings.SMS[key]
