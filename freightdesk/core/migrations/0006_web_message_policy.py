"""The website message's answer time joins the deadline policies (seeded like the others; admin-editable)."""

from django.db import migrations

from freightdesk.core.seeds import seed_deadline_policies


def seed(apps, schema_editor):
    seed_deadline_policies(apps)


class Migration(migrations.Migration):
    dependencies = [("core", "0005_ratecount")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
