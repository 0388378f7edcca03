"""Parse delivery receipts (回执) in each provider's documented push shape into (provider id, key, ok, error)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Receipt:
    provider_id: str
    key: str
    delivered: bool
    error: str


def _items(payload):
    if isinstance(payload, list):
        return payload
    if isinstance(payload, dict):
        return [payload]
    raise ValueError("a receipt is a JSON object or a list of objects")


def parse_aliyun(payload) -> list[Receipt]:
    """SmsReport push: [{"biz_id", "out_id", "success": true, "err_code": "DELIVERED", "err_msg"…}]."""
    return [
        Receipt(
            str(item.get("biz_id") or ""),
            str(item.get("out_id") or ""),
            bool(item.get("success")),
            f"{item.get('err_code') or ''} {item.get('err_msg') or ''}".strip(),
        )
        for item in _items(payload)
    ]


def parse_tencent(payload) -> list[Receipt]:
    """Status callback: [{"sid", "report_status": "SUCCESS"|"FAIL", "errmsg", "description", "ext"…}]."""
    receipts = []
    for item in _items(payload):
        ext = item.get("ext") if isinstance(item.get("ext"), dict) else {}
        receipts.append(
            Receipt(
                str(item.get("sid") or ""),
                str(ext.get("session_context") or item.get("session_context") or ""),
                item.get("report_status") == "SUCCESS",
                f"{item.get('errmsg') or ''} {item.get('description') or ''}".strip(),
            )
        )
    return receipts


def parse_generic(payload) -> list[Receipt]:
    """Generic gateway: {"id": provider id, "key": idempotency key, "status": "delivered"|"failed", "error"}."""
    return [
        Receipt(
            str(item.get("id") or ""),
            str(item.get("key") or ""),
            item.get("status") == "delivered",
            str(item.get("error") or ""),
        )
        for item in _items(payload)
    ]


PARSERS = {"aliyun": parse_aliyun, "tencent": parse_tencent, "http": parse_generic}
ANSWERS = {
    "aliyun": {"code": 0, "msg": "成功"},
    "tencent": {"result": 0, "errmsg": "OK"},
    "http": {"ok": True},
}
