"""Seed the deadline policies of SPEC §5–§8 (admin-editable afterwards)."""

from django.db import migrations

from freightdesk.core.seeds import seed_deadline_policies, unseed_deadline_policies


def seed(apps, schema_editor):
    seed_deadline_policies(apps)


def unseed(apps, schema_editor):
    unseed_deadline_policies(apps)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_deadline_policy_working_day_override")]

    operations = [migrations.RunPython(seed, unseed)]
