"""Editable customer SMS templates (SPEC §5): "order received" for web/chat orders, "order confirmed" after review."""

from django.db import migrations

RECEIVED = "{shipper}您好,您的订单{serial}已收到,客服将尽快来电核对确认。"
CONFIRMED = "{shipper}您好,订单{serial}已确认:{pickup}往{destination},{goods}{quantity}件。司机提货前会致电您。{agent_id}"
TEMPLATES = [
    {
        "code": "order_received", "name": "订单已收到 Order received (SPEC §5)", "body": RECEIVED,
        "aliyun_template_code": "SMS_ORDER_RECEIVED", "aliyun_body": RECEIVED.replace("{", "${"),
        "tencent_template_id": "1000011",
        "tencent_body": "{1}您好,您的订单{2}已收到,客服将尽快来电核对确认。",
        "tencent_params": "shipper,serial",
    },
    {
        "code": "order_confirmed", "name": "订单已确认 Order confirmed (SPEC §5)", "body": CONFIRMED,
        "aliyun_template_code": "SMS_ORDER_CONFIRMED", "aliyun_body": CONFIRMED.replace("{", "${"),
        "tencent_template_id": "1000012",
        "tencent_body": "{1}您好,订单{2}已确认:{3}往{4},{5}共{6}件。司机提货前会致电您。{7}",
        "tencent_params": "shipper,serial,pickup,destination,goods,quantity,agent_id",
    },
]


def seed(apps, schema_editor):
    MessageTemplate = apps.get_model("messaging", "MessageTemplate")
    for row in TEMPLATES:
        MessageTemplate.objects.get_or_create(code=row["code"], defaults=row)


def unseed(apps, schema_editor):
    apps.get_model("messaging", "MessageTemplate").objects.filter(code__in=[t["code"] for t in TEMPLATES]).delete()


class Migration(migrations.Migration):
    dependencies = [("orders", "0002_review"), ("messaging", "0002_default_templates")]
    operations = [migrations.RunPython(seed, unseed)]
