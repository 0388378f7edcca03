from django.db import migrations

from freightdesk.network.seeds import seed_prohibited_exceptions


def seed(apps, schema_editor):
    seed_prohibited_exceptions(apps)


class Migration(migrations.Migration):
    dependencies = [("network", "0003_prohibited_exceptions")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
