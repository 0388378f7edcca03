"""Seed the SLA table: SPEC §10 table 2, the freight complaint sub-categories of SPEC §9, the query types of
SPEC §8, suggestions and emergencies. Admins edit these rows afterwards."""

from django.db import migrations

from freightdesk.tickets.seeds import seed_sla_policies, unseed_sla_policies


def seed(apps, schema_editor):
    seed_sla_policies(apps)


def unseed(apps, schema_editor):
    unseed_sla_policies(apps)


class Migration(migrations.Migration):
    dependencies = [("tickets", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
