from django.db import migrations

DISPATCH = (
    "{serial}客{shipper}{shipper_phone}{goods}{quantity}件{weight}公斤{volume}方{pickup}往{destination}"
    " 收货{consignee}{consignee_phone}{payment}。{extras}{agent_id}"
)
TEMPLATES = [
    {
        "code": "dispatch", "name": "派单短信 Dispatch SMS (SPEC §6)", "body": DISPATCH,
        "aliyun_template_code": "SMS_DISPATCH", "aliyun_body": DISPATCH.replace("{", "${"),
        "tencent_template_id": "1000001",
        "tencent_body": "{1}客{2}电{3}货{4}共{5}件{6}公斤{7}方{8}往{9} 收货{10}电{11},{12}。{13} {14}",
        "tencent_params": "serial,shipper,shipper_phone,goods,quantity,weight,volume,pickup,destination,"
        "consignee,consignee_phone,payment,extras,agent_id",
    },
    {
        "code": "urge", "name": "催提货短信 Urge pickup (SPEC §7, §9)",
        "body": "{serial}{shipper}{quantity}件{goods}尚未提,已超时效。客已来电催提货,请速处理。{agent_id}",
        "aliyun_template_code": "SMS_URGE",
        "aliyun_body": "${serial}${shipper}${quantity}件${goods}尚未提,已超时效。客已来电催提货,请速处理。${agent_id}",
        "tencent_template_id": "1000002",
        "tencent_body": "{1}客{2}共{3}件{4}尚未提,已超时效。客已来电催提货,请速处理。{5}",
        "tencent_params": "serial,shipper,quantity,goods,agent_id",
    },
    {
        "code": "escalation", "name": "超时效短信 Delivery escalation (SPEC §7)",
        "body": "{serial}单号{waybill},货物已超过配送时效{hours_late}小时,请速处理。{agent_id}",
        "aliyun_template_code": "SMS_ESCALATION",
        "aliyun_body": "${serial}单号${waybill},货物已超过配送时效${hours_late}小时,请速处理。${agent_id}",
        "tencent_template_id": "1000003",
        "tencent_body": "{1}单号{2},货物已超过配送时效{3}小时,请速处理。{4}",
        "tencent_params": "serial,waybill,hours_late,agent_id",
    },
]


def seed(apps, schema_editor):
    MessageTemplate = apps.get_model("messaging", "MessageTemplate")
    for row in TEMPLATES:
        MessageTemplate.objects.update_or_create(code=row["code"], defaults=row)


def unseed(apps, schema_editor):
    apps.get_model("messaging", "MessageTemplate").objects.filter(code__in=[t["code"] for t in TEMPLATES]).delete()


class Migration(migrations.Migration):
    dependencies = [("messaging", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
