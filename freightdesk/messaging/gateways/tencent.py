"""Tencent Cloud SMS (腾讯云短信, API 2021-01-11) through the official SDK.

Approved templates only: ``TemplateId`` + ``TemplateParamSet`` (the ``{1}``, ``{2}`` values in
order), ``SignName`` without the 【】, ``SessionContext`` = our idempotency key (echoed back
in status reports). Per-number caps are ``LimitExceeded.PhoneNumber*Limit``.
``PullSmsSendStatusByPhoneNumber`` finds an earlier send by its ``SessionContext`` (every page since
the message's first send attempt).
"""

import json
import time

from . import sms_setting
from .base import Gateway, PermanentError, RateLimited, TransientError

PAGE_SIZE = 100  # PullSmsSendStatusByPhoneNumber's largest page
MAX_PAGES = 200
LOOKUP_SECONDS = 7 * 24 * 3600 - 60  # how far back the status pull answers
PERMANENT_PREFIXES = (
    "InvalidParameterValue.",
    "FailedOperation.TemplateIncorrectOrUnapproved",
    "FailedOperation.SignatureIncorrectOrUnapproved",
    "FailedOperation.PhoneNumberInBlacklist",
    "FailedOperation.ContainSensitiveWord",
    "UnauthorizedOperation.",
    "UnsupportedOperation.",
    "FailedOperation.MissingTemplateToModify",
    "FailedOperation.PhoneNumberParseFail",
)


def classify(code: str, message: str):
    if code.startswith("LimitExceeded.PhoneNumber") or code == "LimitExceeded.DeliveryFrequencyLimit":
        return RateLimited(f"{code}: {message}", code=code)
    if code.startswith(PERMANENT_PREFIXES):
        return PermanentError(f"{code}: {message}", code=code)
    return TransientError(f"{code}: {message}", code=code)


class TencentGateway(Gateway):
    name = "tencent"
    asks_provider = True
    syntax = "tencent"

    def __init__(self):
        from tencentcloud.common import credential
        from tencentcloud.common.profile.client_profile import ClientProfile
        from tencentcloud.common.profile.http_profile import HttpProfile
        from tencentcloud.sms.v20210111 import sms_client

        http = HttpProfile(
            protocol=sms_setting("TENCENT_PROTOCOL"),
            endpoint=sms_setting("TENCENT_ENDPOINT"),
            reqTimeout=int(float(sms_setting("TIMEOUT_SECONDS"))),
        )
        cred = credential.Credential(sms_setting("TENCENT_SECRET_ID"), sms_setting("TENCENT_SECRET_KEY"))
        self.client = sms_client.SmsClient(cred, sms_setting("TENCENT_REGION"), ClientProfile(httpProfile=http))
        self.app_id = sms_setting("TENCENT_SDK_APP_ID")
        self.call_seconds = 2 * float(sms_setting("TIMEOUT_SECONDS"))

    def _call(self, action: str, params: dict):
        from tencentcloud.common.exception.tencent_cloud_sdk_exception import TencentCloudSDKException
        from tencentcloud.sms.v20210111 import models

        request = getattr(models, f"{action}Request")()
        request.from_json_string(json.dumps(params, ensure_ascii=False))
        try:
            return getattr(self.client, action)(request)
        except TencentCloudSDKException as exc:
            raise classify(exc.code or "", exc.message or "") from None
        except Exception as exc:  # garbage or a broken connection inside the SDK
            raise TransientError(f"Tencent call failed: {type(exc).__name__}: {exc}"[:280]) from None

    def send(self, message) -> str:
        response = self._call(
            "SendSms",
            {
                "PhoneNumberSet": [message.to],
                "SmsSdkAppId": self.app_id,
                "SignName": self.bare_signature(message.signature),
                "TemplateId": message.template_code,
                "TemplateParamSet": list(message.template_params or []),
                "SessionContext": message.idempotency_key,
            },
        )
        statuses = response.SendStatusSet or []
        if not statuses:
            raise TransientError("Tencent answered without a SendStatusSet")
        status = statuses[0]
        if status.Code != "Ok":
            raise classify(status.Code or "", status.Message or "")
        return status.SerialNo or ""

    def find_sent(self, message, *, until: float | None = None) -> str | None:
        """Every page of the number's status reports from the message's first send attempt (less a skew) to now
        (Tencent keeps 7 days): ``BeginTime`` leaves out the records that cannot be ours.

        ``message.lookup_cursor`` is the offset of the next page to read (see the Aliyun gateway for why resuming
        there skips nothing; ``BeginTime`` stays the same from one attempt to the next)."""
        now = int(time.time())
        begin = max(int(self.lookup_since(message).timestamp()), now - LOOKUP_SECONDS)
        first = int(message.lookup_cursor or 0) // PAGE_SIZE
        for page in range(first, MAX_PAGES):
            params = {
                "BeginTime": begin,
                "EndTime": now,
                "Offset": page * PAGE_SIZE,
                "Limit": PAGE_SIZE,
                "PhoneNumber": message.to,
                "SmsSdkAppId": self.app_id,
            }
            response = self.ask_page(lambda p=params: self._call("PullSmsSendStatusByPhoneNumber", p), until=until)
            statuses = response.PullSmsSendStatusSet or []
            for status in statuses:
                if status.SessionContext == message.idempotency_key:
                    return status.SerialNo or f"session:{message.idempotency_key}"
            if len(statuses) < PAGE_SIZE:
                return None
            message.lookup_cursor = str((page + 1) * PAGE_SIZE)  # a full page: read, never again
        raise TransientError(f"PullSmsSendStatusByPhoneNumber: more than {MAX_PAGES} pages for one number")
