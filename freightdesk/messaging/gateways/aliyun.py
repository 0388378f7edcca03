"""Aliyun SMS (阿里云短信服务, Dysmsapi 2017-05-25) through the official SDK.

Only approved templates can be sent: ``TemplateCode`` + ``TemplateParam`` (JSON of the
``${var}`` values), ``SignName`` without the 【】, ``OutId`` = our idempotency key. Business
errors come back as HTTP 200 with a ``Code``; the per-number caps are ``isv.BUSINESS_LIMIT_CONTROL``
and ``isv.DAY_LIMIT_CONTROL``. ``QuerySendDetails`` finds an earlier send by its ``OutId`` (every page that
can hold it: the records since the message's first send attempt).
The endpoint (and http/https) come from settings so tests point the SDK at a local fake server.
"""

import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from freightdesk.core.phones import national_digits

from . import sms_setting
from .base import Gateway, PermanentError, RateLimited, TransientError

CHINA = ZoneInfo("Asia/Shanghai")  # SendDate is China time
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
    asks_provider = True
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
        """The pages that can hold a send of ``message``: every day from its first send attempt (less a skew) to
        today (Aliyun keeps 30 days), newest day first; on each day only the pages with records from then on.

        ``message.lookup_cursor`` is ``YYYYMMDD:page``: ``0`` the day from its start, ``n`` the next page reading
        towards the later pages, ``-n`` reading back towards the first page; days after it were read to the end.
        Resuming there skips nothing: our record can only appear by our own send (which clears the cursor), and
        other records added meanwhile go to the newest end, which only pushes unread rows further from it.
        """
        since = self.lookup_since(message)
        today = timezone.localdate()
        first = max(timezone.localtime(since).date(), today - timedelta(days=LOOKUP_DAYS - 1))
        day, page = today, 0
        if message.lookup_cursor:
            stamp, _colon, number = message.lookup_cursor.partition(":")
            day, page = datetime.strptime(stamp, "%Y%m%d").date(), int(number)  # noqa: DTZ007 - a calendar day
        while day >= first:
            if self._find_on(message, day, page, since, until):
                return f"outid:{message.idempotency_key}"
            day, page = day - timedelta(days=1), 0
            message.lookup_cursor = f"{day:%Y%m%d}:0"
        return None

    def _find_on(self, message, day: date, page: int, since: datetime, until) -> bool:
        """One day's records: the first page, then (if there are more) the last one, which tells the newest end;
        from the newest end pages are read inward until one holds a record older than ``since``."""
        if page:
            return self._walk(message, day, page, since, until)
        head, total = self._page(message, day, 1, until)
        if self._holds(head, message):
            return True
        pages = -(-total // PAGE_SIZE)
        if len(head) < PAGE_SIZE or pages <= 1:
            return False
        head_times = [sent_at(detail) for detail in head]
        if _newest_first(head_times) and _older(head_times, since):
            return False  # the newest records come first and already reach back before the first attempt
        tail, _total = self._page(message, day, pages, until)
        if self._holds(tail, message):
            return True
        tail_times = [sent_at(detail) for detail in tail]
        head_newest, tail_newest = _newest(head_times), _newest(tail_times)
        if head_newest is not None and tail_newest is not None and tail_newest > head_newest:
            if _older(tail_times, since) or pages <= 2:
                return False  # the oldest records come first: only the last pages can be ours
            message.lookup_cursor = f"{day:%Y%m%d}:-{pages - 1}"
            return self._walk(message, day, -(pages - 1), since, until)
        message.lookup_cursor = f"{day:%Y%m%d}:2"
        return self._walk(message, day, 2, since, until)

    def _walk(self, message, day: date, page: int, since: datetime, until) -> bool:
        """From page ``abs(page)`` on, towards the later pages (``page`` > 0) or back to the second (< 0, the oldest
        records first). Towards the later pages the walk stops early only on a page that shows the newest first."""
        step = 1 if page > 0 else -1
        for _read in range(MAX_PAGES):
            details, total = self._page(message, day, abs(page), until)
            if self._holds(details, message):
                return True
            times = [sent_at(detail) for detail in details]
            if _older(times, since) and (step < 0 or _newest_first(times)):
                return False  # the pages beyond hold older records only
            if step > 0 and (len(details) < PAGE_SIZE or page * PAGE_SIZE >= total):
                return False
            if step < 0 and -page <= 2:
                return False  # the first page was read before
            page += 1  # one page further from the newest end: -5 → -4, 5 → 6
            message.lookup_cursor = f"{day:%Y%m%d}:{page}"  # the page before it: read, never again
        raise TransientError(f"QuerySendDetails: more than {MAX_PAGES} pages for one number and day")

    def _page(self, message, day: date, number: int, until) -> tuple[list, int]:
        from alibabacloud_dysmsapi20170525 import models

        request = models.QuerySendDetailsRequest(
            phone_number=national_digits(message.to),
            send_date=day.strftime("%Y%m%d"),
            page_size=PAGE_SIZE,
            current_page=number,
        )
        body = self.ask_page(lambda: self._query(request), until=until)
        details = getattr(body.sms_send_detail_dtos, "sms_send_detail_dto", None) or []
        return details, int(body.total_count or 0)

    @staticmethod
    def _holds(details, message) -> bool:
        return any(detail.out_id == message.idempotency_key for detail in details)

    def _query(self, request):
        body = self._call(self.client.query_send_details_with_options, request)
        if body.code != "OK":
            raise classify(body.code, body.message or "")
        return body


def sent_at(detail) -> datetime | None:
    """A record's ``SendDate`` (China time, to the second); None when it cannot be read (then it bounds nothing)."""
    try:
        return datetime.strptime(detail.send_date or "", "%Y-%m-%d %H:%M:%S").replace(tzinfo=CHINA)
    except (TypeError, ValueError):
        return None


def _newest(times) -> datetime | None:
    known = [t for t in times if t is not None]
    return max(known) if known else None


def _newest_first(times) -> bool:
    return len(times) > 1 and None not in (times[0], times[-1]) and times[0] > times[-1]


def _older(times, since: datetime) -> bool:
    """Whether a page holds a record sent before ``since`` (a page in send order: the pages beyond it are older)."""
    return any(t is not None and t < since for t in times)
