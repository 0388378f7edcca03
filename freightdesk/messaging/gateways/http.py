"""A generic HTTP SMS gateway: POST JSON, the message's idempotency key in ``Idempotency-Key``.

Request: ``{"id": key, "to": "13800138000", "text": "【滴客】…"}``; success is 200/201/202 with
``{"id": "<provider id>"}``; 429 is the number's cap; other 4xx are permanent; 5xx, timeouts
and unreadable answers are transient. A gateway that honours the key sends a repeated
request once, so a retry after an unknown outcome is safe.
"""

import json
import urllib.error
import urllib.request

from freightdesk.core.phones import national_digits

from . import sms_setting
from .base import Gateway, PermanentError, RateLimited, TransientError


class HttpGateway(Gateway):
    name = "http"

    def __init__(self, url: str | None = None, token: str | None = None, timeout: float | None = None):
        self.url = url or sms_setting("HTTP_URL")
        self.token = token if token is not None else sms_setting("HTTP_TOKEN")
        self.timeout = timeout or float(sms_setting("TIMEOUT_SECONDS"))

    def send(self, message) -> str:
        if not self.url:
            raise TransientError("SMS HTTP_URL is not configured")
        body = json.dumps(
            {
                "id": message.idempotency_key,
                "to": national_digits(message.to),
                "text": message.signature + message.text,
            },
            ensure_ascii=False,
        ).encode()
        headers = {"Content-Type": "application/json", "Idempotency-Key": message.idempotency_key}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(self.url, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - configured URL
                raw = response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read()[:200].decode("utf-8", "replace")
            if exc.code == 429:
                raise RateLimited(f"HTTP 429: {detail}", code="429") from None
            if 400 <= exc.code < 500:
                raise PermanentError(f"HTTP {exc.code}: {detail}", code=str(exc.code)) from None
            raise TransientError(f"HTTP {exc.code}: {detail}", code=str(exc.code)) from None
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raise TransientError(f"gateway unreachable: {exc}") from None
        try:
            provider_id = str(json.loads(raw)["id"])
        except (ValueError, KeyError, TypeError):
            raise TransientError(f"unreadable answer: {raw[:100]!r}") from None
        return provider_id
