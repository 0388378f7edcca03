"""Seed the outbound scripts (standard phrases per call-list kind) into knowledge's phrases."""

from django.db import migrations

from freightdesk.outbound.seeds import seed_outbound_phrases, unseed_outbound_phrases


def seed(apps, schema_editor):
    seed_outbound_phrases(apps)


def unseed(apps, schema_editor):
    unseed_outbound_phrases(apps)


class Migration(migrations.Migration):
    dependencies = [("outbound", "0001_initial"), ("knowledge", "0002_seed_phrases")]
    operations = [migrations.RunPython(seed, unseed)]
