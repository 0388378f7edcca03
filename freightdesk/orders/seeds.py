"""The customer SMS templates every installation starts with (SPEC §5): "order received" and "order
confirmed" (messaging's MessageTemplate rows; orders.notifications names their codes).

The data migrations and the test fixtures both call these functions with a model registry (the migration's
historical apps, or ``django.apps.apps``)."""

from .notifications import CONFIRMED, RECEIVED

RECEIVED_TEXT = "{shipper}您好,您的订单{serial}已收到,客服将尽快来电核对确认。"
CONFIRMED_TEXT = (
    "{shipper}您好,订单{serial}已确认:{pickup}往{destination},{goods}{quantity}件。司机提货前会致电您。{agent_id}"
)
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
    for row in TEMPLATES:
        MessageTemplate.objects.get_or_create(code=row["code"], defaults=row)


def unseed_customer_sms_templates(apps) -> None:
    apps.get_model("messaging", "MessageTemplate").objects.filter(code__in=[t["code"] for t in TEMPLATES]).delete()
