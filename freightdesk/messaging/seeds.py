"""The editable SMS templates every installation starts with: dispatch, urge, escalation (SPEC §6, §7, §9)
and the driver's link (SPEC §7).

The data migrations and the test fixtures both call these functions with a model registry (the migration's
historical apps, or ``django.apps.apps``)."""

from django.conf import settings

DISPATCH = (
    "{serial}客{shipper}{shipper_phone}{goods}{quantity}件{weight}公斤{volume}方{pickup}往{destination}"
    " 收货{consignee}{consignee_phone}{payment}。{extras}{agent_id}"
)
# Follow-up texts say only what is true (SPEC §7): a routine urge does not claim that the customer called, and
# a delivery is called late only past its deadline, by how much it really is ("3小时1分钟"), never "1小时" by default.
URGE = "{serial}{shipper}{quantity}件{goods}尚未提货,请速处理。{agent_id}"
URGE_CALLED = "urge_called"
URGE_CALLED_BODY = "{serial}{shipper}{quantity}件{goods}尚未提,客已来电催提货,请速处理。{agent_id}"
ESCALATION = "{serial}单号{waybill},货物已超过配送时效{lateness},请速处理。{agent_id}"
ESCALATION_PICKUP = "escalation_pickup"
ESCALATION_PICKUP_BODY = "{serial}{shipper}{quantity}件{goods}尚未提货,请安排提货。{agent_id}"
ESCALATION_DUE = "escalation_due"
ESCALATION_DUE_BODY = "{serial}单号{waybill},配送时效{due}到期,请确保按时送达。{agent_id}"
# The seeded texts before they told the truth: a row still holding one of them is replaced (an edited row is kept).
UNTRUE = {
    "urge": "{serial}{shipper}{quantity}件{goods}尚未提,已超时效。客已来电催提货,请速处理。{agent_id}",
    "escalation": "{serial}单号{waybill},货物已超过配送时效{hours_late}小时,请速处理。{agent_id}",
}

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
        "name": "催提货短信 Urge pickup (SPEC §7)",
        "body": URGE,
        "aliyun_template_code": "SMS_URGE_ROUTINE",
        "aliyun_body": URGE.replace("{", "${"),
        "tencent_template_id": "1000005",
        "tencent_body": "{1}客{2}共{3}件{4}尚未提货,请速处理。{5}",
        "tencent_params": "serial,shipper,quantity,goods,agent_id",
    },
    {
        "code": URGE_CALLED,
        "name": "客户来电催提货 Urge, the customer called (SPEC §7, §9)",
        "body": URGE_CALLED_BODY,
        "aliyun_template_code": "SMS_URGE",
        "aliyun_body": URGE_CALLED_BODY.replace("{", "${"),
        "tencent_template_id": "1000002",
        "tencent_body": "{1}客{2}共{3}件{4}尚未提,客已来电催提货,请速处理。{5}",
        "tencent_params": "serial,shipper,quantity,goods,agent_id",
    },
    {
        "code": "escalation",
        "name": "超时效短信 Late delivery escalation (SPEC §7)",
        "body": ESCALATION,
        "aliyun_template_code": "SMS_ESCALATION_LATE",
        "aliyun_body": ESCALATION.replace("{", "${"),
        "tencent_template_id": "1000006",
        "tencent_body": "{1}单号{2},货物已超过配送时效{3},请速处理。{4}",
        "tencent_params": "serial,waybill,lateness,agent_id",
    },
    {
        "code": ESCALATION_PICKUP,
        "name": "未提货上报车管 Escalation, not picked up (SPEC §7)",
        "body": ESCALATION_PICKUP_BODY,
        "aliyun_template_code": "SMS_ESCALATION_PICKUP",
        "aliyun_body": ESCALATION_PICKUP_BODY.replace("{", "${"),
        "tencent_template_id": "1000007",
        "tencent_body": "{1}客{2}共{3}件{4}尚未提货,请安排提货。{5}",
        "tencent_params": "serial,shipper,quantity,goods,agent_id",
    },
    {
        "code": ESCALATION_DUE,
        "name": "配送时效提醒车管 Escalation before the delivery deadline (SPEC §7)",
        "body": ESCALATION_DUE_BODY,
        "aliyun_template_code": "SMS_ESCALATION_DUE",
        "aliyun_body": ESCALATION_DUE_BODY.replace("{", "${"),
        "tencent_template_id": "1000008",
        "tencent_body": "{1}单号{2},配送时效{3}到期,请确保按时送达。{4}",
        "tencent_params": "serial,waybill,due,agent_id",
    },
]


def seed_default_templates(apps) -> None:
    MessageTemplate = apps.get_model("messaging", "MessageTemplate")
    for row in TEMPLATES:
        MessageTemplate.objects.update_or_create(code=row["code"], defaults=row)


def seed_truthful_texts(apps) -> None:
    """Replace the untrue seeded urge and escalation texts (only where nobody edited them) and add the new ones."""
    MessageTemplate = apps.get_model("messaging", "MessageTemplate")
    for row in TEMPLATES:
        if row["code"] in UNTRUE:
            MessageTemplate.objects.filter(code=row["code"], body=UNTRUE[row["code"]]).update(**row)
        else:
            MessageTemplate.objects.get_or_create(code=row["code"], defaults=row)


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
