from django.db import migrations

from freightdesk.accounts.seeds import seed_role_groups


def create_groups(apps, schema_editor):
    seed_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]
    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
