"""The driver's link SMS (SPEC §7): sent right after the dispatch SMS, to whoever reports the pickup.

Free text carries the whole address in ``{link}``. Aliyun and Tencent refuse links inside variables,
so their approved text holds the address (the company's ``PUBLIC_BASE_URL`` when this migration ran,
then ``/tracking/d/``) and the token variable ends it; register exactly this text with the provider
(and edit it here if the provider approved another address).
"""

from django.db import migrations, models

from freightdesk.messaging.seeds import seed_driver_link_template, unseed_driver_link_template


def seed(apps, schema_editor):
    seed_driver_link_template(apps)


def unseed(apps, schema_editor):
    unseed_driver_link_template(apps)


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
