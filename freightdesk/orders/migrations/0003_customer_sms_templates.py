"""Editable customer SMS templates (SPEC §5): "order received" for web/chat orders, "order confirmed" after review."""

from django.db import migrations

from freightdesk.orders.seeds import seed_customer_sms_templates, unseed_customer_sms_templates


def seed(apps, schema_editor):
    seed_customer_sms_templates(apps)


def unseed(apps, schema_editor):
    unseed_customer_sms_templates(apps)


class Migration(migrations.Migration):
    dependencies = [("orders", "0002_review"), ("messaging", "0002_default_templates")]
    operations = [migrations.RunPython(seed, unseed)]
