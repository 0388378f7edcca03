"""The phone order's 下单成功提醒 SMS (SPEC §4): the serial and the tracking link (an editable template)."""

from django.db import migrations

from freightdesk.orders.seeds import seed_customer_sms_templates


def seed(apps, schema_editor):
    seed_customer_sms_templates(apps)


class Migration(migrations.Migration):
    dependencies = [("orders", "0011_fleet_queue_index"), ("messaging", "0006_truthful_texts")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
