"""The editable SMS templates every installation starts with: dispatch, urge, escalation (SPEC §6, §7, §9)
and the driver's link (SPEC §7).

The data migrations and the test fixtures both call these functions with a model registry (the migration's
historical apps, or ``django.apps.apps``)."""

from django.conf import settings

DISPATCH = (
    "{serial}客{shipper}{shipper_phone}{goods}{quantity}件{weight}公斤{volume}方{pickup}往{destination}"
    " 收货{consignee}{consignee_phone}{payment}。{extras}{agent_id}"
)
TEMPLATES = [
    {
        "code": "dispatch",
        "name": "派单短信 Dispatch SMS (SPEC §6)",
        "body": DISPATCH,
        "aliyun_template_code": "SMS_DISPATCH",
        "aliyun_body": DISPATCH.replace("{", "${"),
        "tencent_template_id": "1000001",
        "tencent_body": "{1}客{2}电{3}货{4}共{5}件{6}公斤{7}方{8}往{9} 收货{10}电{11},{12}。{13} {14}",
        "tencent_params": "serial,shipper,shipper_phone,goods,quantity,weight,volume,pickup,destination,"
        "consignee,consignee_phone,payment,extras,agent_id",
    },
    {
        "code": "urge",
        "name": "催提货短信 Urge pickup (SPEC §7, §9)",
        "body": "{serial}{shipper}{quantity}件{goods}尚未提,已超时效。客已来电催提货,请速处理。{agent_id}",
        "aliyun_template_code": "SMS_URGE",
        "aliyun_body": "${serial}${shipper}${quantity}件${goods}尚未提,已超时效。客已来电催提货,请速处理。${agent_id}",
        "tencent_template_id": "1000002",
        "tencent_body": "{1}客{2}共{3}件{4}尚未提,已超时效。客已来电催提货,请速处理。{5}",
        "tencent_params": "serial,shipper,quantity,goods,agent_id",
    },
    {
        "code": "escalation",
        "name": "超时效短信 Delivery escalation (SPEC §7)",
        "body": "{serial}单号{waybill},货物已超过配送时效{hours_late}小时,请速处理。{agent_id}",
        "aliyun_template_code": "SMS_ESCALATION",
        "aliyun_body": "${serial}单号${waybill},货物已超过配送时效${hours_late}小时,请速处理。${agent_id}",
        "tencent_template_id": "1000003",
        "tencent_body": "{1}单号{2},货物已超过配送时效{3}小时,请速处理。{4}",
        "tencent_params": "serial,waybill,hours_late,agent_id",
    },
]


def seed_default_templates(apps) -> None:
    MessageTemplate = apps.get_model("messaging", "MessageTemplate")
    for row in TEMPLATES:
        MessageTemplate.objects.update_or_create(code=row["code"], defaults=row)


def unseed_default_templates(apps) -> None:
    apps.get_model("messaging", "MessageTemplate").objects.filter(code__in=[t["code"] for t in TEMPLATES]).delete()


# The driver's link (SPEC §7), sent right after the dispatch SMS to whoever reports the pickup. Free text carries
# the whole address in ``{link}``. Aliyun and Tencent refuse links inside variables, so their approved text holds
# the address (the company's PUBLIC_BASE_URL when the row was seeded, then ``/tracking/d/``) and the token
# variable ends it; register exactly this text with the provider (and edit the row if it approved another).
DRIVER_LINK_BODY = "{serial}提货送达请点 {link}"
DRIVER_LINK = "driver_link"


def driver_link_templates() -> list[dict]:
    base = settings.FREIGHTDESK["PUBLIC_BASE_URL"].rstrip("/")
    address = f"{base}/tracking/d/"
    return [
        {
            "code": DRIVER_LINK,
            "name": "司机上报链接 Driver link (SPEC §7)",
            "body": DRIVER_LINK_BODY,
            "aliyun_template_code": "SMS_DRIVER_LINK",
            "aliyun_body": f"${{serial}}提货送达请点 {address}${{token}}/",
            "tencent_template_id": "1000004",
            "tencent_body": f"{{1}}提货送达请点 {address}{{2}}/",
            "tencent_params": "serial,token",
        },
    ]


def seed_driver_link_template(apps) -> None:
    MessageTemplate = apps.get_model("messaging", "MessageTemplate")
    for row in driver_link_templates():
        MessageTemplate.objects.get_or_create(code=row["code"], defaults=row)


def unseed_driver_link_template(apps) -> None:
    apps.get_model("messaging", "MessageTemplate").objects.filter(code=DRIVER_LINK).delete()
