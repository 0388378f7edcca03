from django.db import migrations

from freightdesk.messaging.seeds import seed_default_templates, unseed_default_templates


def seed(apps, schema_editor):
    seed_default_templates(apps)


def unseed(apps, schema_editor):
    unseed_default_templates(apps)


class Migration(migrations.Migration):
    dependencies = [("messaging", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
