"""Aliyun SMS (阿里云短信服务, Dysmsapi 2017-05-25) through the official SDK.

Only approved templates can be sent: ``TemplateCode`` + ``TemplateParam`` (JSON of the
``${var}`` values), ``SignName`` without the 【】, ``OutId`` = our idempotency key. Business
errors come back as HTTP 200 with a ``Code``; the per-number caps are ``isv.BUSINESS_LIMIT_CONTROL``
and ``isv.DAY_LIMIT_CONTROL``. ``QuerySendDetails`` finds an earlier send by its ``OutId`` (every page, every day since the message
was written).
The endpoint (and http/https) come from settings so tests point the SDK at a local fake server.
"""

import json
from datetime import date, datetime, timedelta

from django.utils import timezone

from freightdesk.core.phones import national_digits

from . import sms_setting
from .base import Gateway, PermanentError, RateLimited, TransientError

PAGE_SIZE = 50  # QuerySendDetails' largest page
MAX_PAGES = 200
LOOKUP_DAYS = 30  # how far back QuerySendDetails answers
RATE_LIMIT_CODES = {"isv.BUSINESS_LIMIT_CONTROL", "isv.DAY_LIMIT_CONTROL", "isv.MONTH_LIMIT_CONTROL"}
PERMANENT_CODES = {
    "isv.MOBILE_NUMBER_ILLEGAL",
    "isv.MOBILE_COUNT_OVER_LIMIT",
    "isv.SMS_TEMPLATE_ILLEGAL",
    "isv.SMS_SIGNATURE_ILLEGAL",
    "isv.TEMPLATE_MISSING_PARAMETERS",
    "isv.INVALID_PARAMETERS",
    "isv.PARAM_LENGTH_LIMIT",
    "isv.PARAM_NOT_SUPPORT_URL",
    "isv.BLACK_KEY_CONTROL_LIMIT",
    "isv.INVALID_JSON_PARAM",
    "isv.DENY_IP_RANGE",
}


def classify(code: str, message: str):
    if code in RATE_LIMIT_CODES:
        return RateLimited(f"{code}: {message}", code=code)
    if code in PERMANENT_CODES:
        return PermanentError(f"{code}: {message}", code=code)
    return TransientError(f"{code}: {message}", code=code)


class AliyunGateway(Gateway):
    name = "aliyun"
    syntax = "aliyun"

    def __init__(self):
        from alibabacloud_dysmsapi20170525.client import Client
        from alibabacloud_tea_openapi import models as open_api

        config = open_api.Config(
            access_key_id=sms_setting("ALIYUN_ACCESS_KEY_ID"),
            access_key_secret=sms_setting("ALIYUN_ACCESS_KEY_SECRET"),
            endpoint=sms_setting("ALIYUN_ENDPOINT"),
            protocol=sms_setting("ALIYUN_PROTOCOL"),
        )
        self.client = Client(config)
        timeout_ms = int(float(sms_setting("TIMEOUT_SECONDS")) * 1000)
        self.timeout_ms = timeout_ms
        self.call_seconds = 2 * timeout_ms / 1000  # connect, then read

    def _runtime(self):
        from alibabacloud_tea_util import models as util

        return util.RuntimeOptions(autoretry=False, read_timeout=self.timeout_ms, connect_timeout=self.timeout_ms)

    def _call(self, method, request):
        try:
            response = method(request, self._runtime())
        except Exception as exc:  # the SDK raises TeaException for 4xx/5xx and plain errors for the network
            code = getattr(exc, "code", "") or ""
            status = getattr(exc, "statusCode", None)
            if code and status is not None and 400 <= int(status) < 500:
                raise classify(code, getattr(exc, "message", str(exc))) from None
            raise TransientError(f"Aliyun call failed: {code or type(exc).__name__}: {exc}"[:280], code=code) from None
        body = getattr(response, "body", None)
        if body is None or not getattr(body, "code", None):
            raise TransientError("Aliyun answered without a Code")
        return body

    def send(self, message) -> str:
        from alibabacloud_dysmsapi20170525 import models

        request = models.SendSmsRequest(
            phone_numbers=national_digits(message.to),
            sign_name=self.bare_signature(message.signature),
            template_code=message.template_code,
            template_param=json.dumps(message.template_params or {}, ensure_ascii=False),
            out_id=message.idempotency_key,
        )
        body = self._call(self.client.send_sms_with_options, request)
        if body.code != "OK":
            raise classify(body.code, body.message or "")
        return body.biz_id or ""

    def find_sent(self, message, *, until: float | None = None) -> str | None:
        """Every page of every day from the message's creation to today (Aliyun keeps 30 days), newest day first.

        ``message.lookup_cursor`` is ``YYYYMMDD:page``, the next page to read: days after it were read to the end.
        Resuming there skips nothing: our record can only appear by our own send (which clears the cursor),
        and other records added meanwhile only push unread rows further down, whichever end they are added to.
        """
        today = timezone.localdate()
        first = max(timezone.localtime(message.created_at).date(), today - timedelta(days=LOOKUP_DAYS - 1))
        day, page = today, 1
        if message.lookup_cursor:
            stamp, _colon, number = message.lookup_cursor.partition(":")
            day, page = datetime.strptime(stamp, "%Y%m%d").date(), int(number)  # noqa: DTZ007 - a calendar day
        while day >= first:
            if self._find_on(message, day, page, until):
                return f"outid:{message.idempotency_key}"
            day, page = day - timedelta(days=1), 1
            message.lookup_cursor = f"{day:%Y%m%d}:1"
        return None

    def _find_on(self, message, day: date, page: int, until) -> bool:
        from alibabacloud_dysmsapi20170525 import models

        for page_number in range(page, MAX_PAGES + 1):
            request = models.QuerySendDetailsRequest(
                phone_number=national_digits(message.to),
                send_date=day.strftime("%Y%m%d"),
                page_size=PAGE_SIZE,
                current_page=page_number,
            )
            body = self.ask_page(lambda r=request: self._query(r), until=until)
            details = getattr(body.sms_send_detail_dtos, "sms_send_detail_dto", None) or []
            if any(detail.out_id == message.idempotency_key for detail in details):
                return True
            if len(details) < PAGE_SIZE or page_number * PAGE_SIZE >= int(body.total_count or 0):
                return False
            message.lookup_cursor = f"{day:%Y%m%d}:{page_number + 1}"  # a full page: read, never again
        raise TransientError(f"QuerySendDetails: more than {MAX_PAGES} pages for one number and day")

    def _query(self, request):
        body = self._call(self.client.query_send_details_with_options, request)
        if body.code != "OK":
            raise classify(body.code, body.message or "")
        return body
