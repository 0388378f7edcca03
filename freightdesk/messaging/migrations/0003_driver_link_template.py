"""The driver's link SMS (SPEC §7, issue 5): sent right after the dispatch SMS, to whoever reports the pickup.

Free text carries the whole address in ``{link}``. Aliyun and Tencent refuse links inside variables,
so their approved text holds the address (the company's ``PUBLIC_BASE_URL`` when this migration ran,
then ``/tracking/d/``) and the token variable ends it; register exactly this text with the provider
(and edit it here if the provider approved another address).
"""

from django.conf import settings
from django.db import migrations, models

FREE_BODY = "{serial}提货送达请点 {link}"
CODE = "driver_link"


def templates():
    base = settings.FREIGHTDESK["PUBLIC_BASE_URL"].rstrip("/")
    address = f"{base}/tracking/d/"
    return [
        {
            "code": CODE, "name": "司机上报链接 Driver link (SPEC §7)", "body": FREE_BODY,
            "aliyun_template_code": "SMS_DRIVER_LINK", "aliyun_body": f"${{serial}}提货送达请点 {address}${{token}}/",
            "tencent_template_id": "1000004", "tencent_body": f"{{1}}提货送达请点 {address}{{2}}/",
            "tencent_params": "serial,token",
        },
    ]


def seed(apps, schema_editor):
    MessageTemplate = apps.get_model("messaging", "MessageTemplate")
    for row in templates():
        MessageTemplate.objects.get_or_create(code=row["code"], defaults=row)


def unseed(apps, schema_editor):
    apps.get_model("messaging", "MessageTemplate").objects.filter(code=CODE).delete()


class Migration(migrations.Migration):
    dependencies = [("messaging", "0002_default_templates")]
    operations = [
        migrations.AlterField(
            model_name="message",
            name="kind",
            field=models.CharField(
                choices=[("dispatch", "Dispatch"), ("urge", "Urge"), ("escalation", "Escalation"),
                         ("driver_link", "Driver link"), ("other", "Other")],
                default="other", max_length=12, verbose_name="kind",
            ),
        ),
        migrations.RunPython(seed, unseed),
    ]
