"""The customer SMS templates every installation starts with (SPEC §5): "order received" and "order
confirmed" (messaging's MessageTemplate rows; orders.notifications names their codes).

The data migrations and the test fixtures both call these functions with a model registry (the migration's
historical apps, or ``django.apps.apps``)."""

from django.conf import settings

from .notifications import CONFIRMED, PLACED, RECEIVED

RECEIVED_TEXT = "{shipper}您好,您的订单{serial}已收到,客服将尽快来电核对确认。"
CONFIRMED_TEXT = (
    "{shipper}您好,订单{serial}已确认:{pickup}往{destination},{goods}{quantity}件。司机提货前会致电您。{agent_id}"
)
# The seed's 下单成功提醒 for a phone order: the serial, the pickup promise (SPEC §4) and the tracking link.
PLACED_TEXT = "{shipper}您好,您的订单{serial}已下单成功,工作时间内半小时内安排车辆提货。查询:{link}"
TRACK_PATH = "/tracking/track/"


def tracking_address(serial: str, last4: str) -> str:
    base = settings.FREIGHTDESK["PUBLIC_BASE_URL"].rstrip("/")
    return f"{base}{TRACK_PATH}?serial={serial}&phone_last4={last4}"


def placed_template() -> dict:
    """Aliyun and Tencent refuse links inside variables: their approved text holds the address (the company's
    PUBLIC_BASE_URL when the row was seeded) and the serial and the last four digits fill its end."""
    address = tracking_address("SERIAL", "LAST4")
    head = PLACED_TEXT.split("{link}")[0]
    return {
        "code": PLACED,
        "name": "下单成功提醒 Phone order placed (SPEC §4)",
        "body": PLACED_TEXT,
        "aliyun_template_code": "SMS_ORDER_PLACED",
        "aliyun_body": (head + address).replace("{", "${").replace("SERIAL", "${serial}").replace("LAST4", "${last4}"),
        "tencent_template_id": "1000013",
        "tencent_body": "{1}您好,您的订单{2}已下单成功,工作时间内半小时内安排车辆提货。查询:"
        + address.replace("SERIAL", "{2}").replace("LAST4", "{3}"),
        "tencent_params": "shipper,serial,last4",
    }


TEMPLATES = [
    {
        "code": RECEIVED,
        "name": "订单已收到 Order received (SPEC §5)",
        "body": RECEIVED_TEXT,
        "aliyun_template_code": "SMS_ORDER_RECEIVED",
        "aliyun_body": RECEIVED_TEXT.replace("{", "${"),
        "tencent_template_id": "1000011",
        "tencent_body": "{1}您好,您的订单{2}已收到,客服将尽快来电核对确认。",
        "tencent_params": "shipper,serial",
    },
    {
        "code": CONFIRMED,
        "name": "订单已确认 Order confirmed (SPEC §5)",
        "body": CONFIRMED_TEXT,
        "aliyun_template_code": "SMS_ORDER_CONFIRMED",
        "aliyun_body": CONFIRMED_TEXT.replace("{", "${"),
        "tencent_template_id": "1000012",
        "tencent_body": "{1}您好,订单{2}已确认:{3}往{4},{5}共{6}件。司机提货前会致电您。{7}",
        "tencent_params": "shipper,serial,pickup,destination,goods,quantity,agent_id",
    },
]


def seed_customer_sms_templates(apps) -> None:
    MessageTemplate = apps.get_model("messaging", "MessageTemplate")
    for row in [*TEMPLATES, placed_template()]:
        MessageTemplate.objects.get_or_create(code=row["code"], defaults=row)


def unseed_customer_sms_templates(apps) -> None:
    codes = [t["code"] for t in TEMPLATES] + [PLACED]
    apps.get_model("messaging", "MessageTemplate").objects.filter(code__in=codes).delete()
