"""Local fake SMS gateways for tests and benchmarks: real HTTP servers on 127.0.0.1:<free port>.

Each answers in its provider's documented shapes — the generic gateway's JSON, Aliyun
Dysmsapi's ``SendSms`` / ``QuerySendDetails`` (business errors as HTTP 200 with a ``Code``),
Tencent Cloud SMS 2021-01-11 ``SendSms`` / ``PullSmsSendStatusByPhoneNumber`` (errors in
``Response.Error`` or per number in ``SendStatusSet``) — and can be told to fail: every n-th
call (before or after accepting the message), answer garbage, refuse numbers as invalid or
as over their daily cap, or fail a share of its calls at random (``fail_ratio``, half of those
after the message went out). The look-ups answer page by page as the providers do (Aliyun 50 a
page for one number and one day, Tencent 100 a page for one number and a time range).
``honour_key`` (the generic gateway's default) sends a repeated key once; the Aliyun and Tencent
fakes, like the providers, send every request. ``deliveries`` lists every message a phone would
have received, so a test can count duplicates.
"""

import json
import random
import sys
import threading
import time
from collections import Counter
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse
from zoneinfo import ZoneInfo

CHINA = ZoneInfo("Asia/Shanghai")
ALIYUN_PAGE_MAX = 50
TENCENT_PAGE_MAX = 100


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address):
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a client that hung up (a killed worker): not news
            super().handle_error(request, client_address)


class FakeGateway:
    def __init__(self, kind: str = "http"):
        assert kind in {"http", "aliyun", "tencent"}
        self.kind = kind
        self.lock = threading.Lock()
        self.calls = 0
        self.deliveries: list[dict] = []  # what phones received, duplicates included
        self.by_key: dict[str, dict] = {}
        self.fail_every = 0  # every n-th send call fails with a 5xx / internal error
        self.fail_after_accept = False  # ...after the message went out (the answer is lost)
        self.fail_ratio = 0.0  # this share of send calls fails at random, half of them after the message went out
        self.random = random.Random(0)
        self.honour_key = kind == "http"  # a repeated idempotency key is sent once
        self.lookups = 0
        self.failing_lookups: set[int] = set()  # these look-up calls (1, 2, … in order) fail
        self.garbage = False
        self.rate_limited: set[str] = set()  # national numbers over their daily cap
        self.invalid: set[str] = set()
        self.delay = 0.0
        self.active = 0  # calls being answered now
        self.peak_active = 0  # the most calls answered at once
        self.newest_first = False  # Aliyun look-up pages: the newest record first (default: in send order)
        self.server = None

    # --- life cycle ------------------------------------------------------------------
    def start(self) -> "FakeGateway":
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                fake._handle(self)

            do_GET = do_POST

            def log_message(self, *args):
                pass

        self.server = _QuietServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    @property
    def endpoint(self) -> str:
        return f"127.0.0.1:{self.server.server_address[1]}"

    @property
    def url(self) -> str:
        return f"http://{self.endpoint}/sms"

    def duplicates(self) -> dict[str, int]:
        counts = Counter(d["key"] for d in self.deliveries)
        return {key: n for key, n in counts.items() if n > 1}

    # --- plumbing --------------------------------------------------------------------
    def _answer(self, handler, status: int, payload) -> None:
        body = payload if isinstance(payload, bytes) else json.dumps(payload, ensure_ascii=False).encode()
        handler.send_response(status)
        # Tencent answers a bare application/json, the one type its SDK reads errors from
        content_type = "application/json" if self.kind == "tencent" else "application/json;charset=utf-8"
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)

    def _handle(self, handler) -> None:
        with self.lock:
            self.active += 1
            self.peak_active = max(self.peak_active, self.active)
        try:
            self._answer_call(handler)
        finally:
            with self.lock:
                self.active -= 1

    def _answer_call(self, handler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        raw = handler.rfile.read(length) if length else b""
        if self.delay:
            time.sleep(self.delay)
        action = handler.headers.get("x-acs-action") or handler.headers.get("X-TC-Action") or "send"
        if action in {"QuerySendDetails", "PullSmsSendStatusByPhoneNumber"}:
            return self._lookup(handler, action, raw)
        with self.lock:
            self.calls += 1
            failing = bool(self.fail_every) and self.calls % self.fail_every == 0
            after_accept = self.fail_after_accept
            if self.fail_ratio and self.random.random() < self.fail_ratio:
                failing, after_accept = True, self.random.random() < 0.5
        request = self._parse_send(handler, raw)
        if failing and not after_accept:
            return self._error(handler)
        if self.garbage:
            return self._answer(handler, 200, b"<html>502 Bad Gateway</html>")
        if request["to"] in self.invalid:
            return self._refuse(handler, "invalid", request)
        if request["to"] in self.rate_limited:
            return self._refuse(handler, "rate_limited", request)
        record = self._accept(request)
        if failing:
            return self._error(handler)
        return self._success(handler, record)

    def _parse_send(self, handler, raw: bytes) -> dict:
        if self.kind == "aliyun":
            q = {k: v[0] for k, v in parse_qs(urlparse(handler.path).query).items()}
            return {
                "to": q.get("PhoneNumbers", ""),
                "key": q.get("OutId", ""),
                "sign": q.get("SignName", ""),
                "template": q.get("TemplateCode", ""),
                "params": json.loads(q.get("TemplateParam") or "{}"),
            }
        body = json.loads(raw or b"{}")
        if self.kind == "tencent":
            phone = (body.get("PhoneNumberSet") or [""])[0]
            return {
                "to": phone.removeprefix("+86"),
                "e164": phone,
                "key": body.get("SessionContext", ""),
                "sign": body.get("SignName", ""),
                "template": body.get("TemplateId", ""),
                "params": body.get("TemplateParamSet", []),
            }
        return {
            "to": body.get("to", ""),
            "key": handler.headers.get("Idempotency-Key", ""),
            "text": body.get("text", ""),
        }

    def _accept(self, request: dict) -> dict:
        with self.lock:
            if self.honour_key and request["key"] in self.by_key:
                return self.by_key[request["key"]]  # the generic gateway honours Idempotency-Key
            record = {**request, "id": f"{self.kind}-{len(self.deliveries) + 1}", "at": time.time()}
            self.deliveries.append(record)
            self.by_key.setdefault(request["key"], record)
            return record

    # --- provider shapes -------------------------------------------------------------------
    def _success(self, handler, record):
        if self.kind == "aliyun":
            return self._answer(
                handler, 200, {"Code": "OK", "Message": "OK", "BizId": record["id"], "RequestId": "fake-req"}
            )
        if self.kind == "tencent":
            return self._answer(
                handler,
                200,
                {
                    "Response": {
                        "SendStatusSet": [
                            {
                                "SerialNo": record["id"],
                                "PhoneNumber": record["e164"],
                                "Fee": 1,
                                "SessionContext": record["key"],
                                "Code": "Ok",
                                "Message": "send success",
                                "IsoCode": "CN",
                            }
                        ],
                        "RequestId": "fake-req",
                    }
                },
            )
        return self._answer(handler, 200, {"id": record["id"]})

    def _error(self, handler):
        if self.kind == "aliyun":
            return self._answer(handler, 500, {"Code": "isp.SYSTEM_ERROR", "Message": "系统错误", "RequestId": "r"})
        if self.kind == "tencent":
            return self._answer(
                handler,
                200,
                {
                    "Response": {
                        "Error": {"Code": "InternalError.Timeout", "Message": "请求下发短信超时"},
                        "RequestId": "fake-req",
                    }
                },
            )
        return self._answer(handler, 503, {"error": "unavailable"})

    def _refuse(self, handler, why: str, request):
        if self.kind == "aliyun":
            code, msg = (
                ("isv.BUSINESS_LIMIT_CONTROL", "触发号码天级流控Permits:10")
                if why == "rate_limited"
                else ("isv.MOBILE_NUMBER_ILLEGAL", "非法手机号")
            )
            return self._answer(handler, 200, {"Code": code, "Message": msg, "RequestId": "fake-req"})
        if self.kind == "tencent":
            code, msg = (
                ("LimitExceeded.PhoneNumberDailyLimit", "单个手机号日下发短信条数超过设定的上限")
                if why == "rate_limited"
                else ("InvalidParameterValue.IncorrectPhoneNumber", "手机号格式错误")
            )
            return self._answer(
                handler,
                200,
                {
                    "Response": {
                        "SendStatusSet": [
                            {
                                "SerialNo": "",
                                "PhoneNumber": request.get("e164", ""),
                                "Fee": 0,
                                "SessionContext": request["key"],
                                "Code": code,
                                "Message": msg,
                                "IsoCode": "CN",
                            }
                        ],
                        "RequestId": "fake-req",
                    }
                },
            )
        status = 429 if why == "rate_limited" else 400
        return self._answer(handler, status, {"error": why})

    def _lookup(self, handler, action, raw):
        with self.lock:
            self.lookups += 1
            deliveries = list(self.deliveries)
            failing = bool(self.fail_ratio) and self.random.random() < self.fail_ratio
            failing = failing or self.lookups in self.failing_lookups
        if failing:
            return self._error(handler)
        if self.kind == "aliyun":
            return self._aliyun_lookup(handler, deliveries)
        return self._tencent_lookup(handler, raw, deliveries)

    def _aliyun_lookup(self, handler, deliveries):
        q = {k: v[0] for k, v in parse_qs(urlparse(handler.path).query).items()}
        size, page = int(q.get("PageSize") or 0), int(q.get("CurrentPage") or 0)
        if not (1 <= size <= ALIYUN_PAGE_MAX and page >= 1 and q.get("SendDate")):
            return self._answer(handler, 200, {"Code": "isv.INVALID_PARAMETERS", "Message": "参数异常"})
        day = q["SendDate"]
        rows = [
            d
            for d in deliveries
            if d["to"] == q.get("PhoneNumber") and datetime.fromtimestamp(d["at"], CHINA).strftime("%Y%m%d") == day
        ]
        rows = rows[::-1] if self.newest_first else rows
        shown = rows[(page - 1) * size : page * size]
        return self._answer(
            handler,
            200,
            {
                "Code": "OK",
                "Message": "OK",
                "RequestId": "fake-req",
                "TotalCount": str(len(rows)),
                "SmsSendDetailDTOs": {
                    "SmsSendDetailDTO": [
                        {
                            "PhoneNum": d["to"],
                            "SendStatus": 3,
                            "ErrCode": "DELIVERED",
                            "TemplateCode": d["template"],
                            "Content": "",
                            "SendDate": datetime.fromtimestamp(d["at"], CHINA).strftime("%Y-%m-%d %H:%M:%S"),
                            "ReceiveDate": "",
                            "OutId": d["key"],
                        }
                        for d in shown
                    ]
                },
            },
        )

    def _tencent_lookup(self, handler, raw, deliveries):
        body = json.loads(raw or b"{}")
        offset, limit = int(body.get("Offset", -1)), int(body.get("Limit", 0))
        begin, end = body.get("BeginTime"), body.get("EndTime") or time.time()
        if not (offset >= 0 and 1 <= limit <= TENCENT_PAGE_MAX and begin is not None):
            return self._answer(
                handler,
                200,
                {"Response": {"Error": {"Code": "InvalidParameter", "Message": "参数错误"}, "RequestId": "r"}},
            )
        rows = [d for d in deliveries if d.get("e164") == body.get("PhoneNumber") and begin <= int(d["at"]) <= end]
        return self._answer(
            handler,
            200,
            {
                "Response": {
                    "PullSmsSendStatusSet": [
                        {
                            "UserReceiveTime": "",
                            "CountryCode": "86",
                            "SubscriberNumber": d["to"],
                            "PhoneNumber": d["e164"],
                            "SerialNo": d["id"],
                            "ReportStatus": "SUCCESS",
                            "Description": "用户接收成功",
                            "SessionContext": d["key"],
                        }
                        for d in rows[offset : offset + limit]
                    ],
                    "RequestId": "fake-req",
                }
            },
        )
