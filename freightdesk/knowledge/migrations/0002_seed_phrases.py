"""Seed the standard phrases (SPEC §11; 000 §四; 004) and a few knowledge-base articles, with their search grams."""

from django.db import migrations

from freightdesk.knowledge.seeds import seed_phrases, unseed_phrases


def seed(apps, schema_editor):
    seed_phrases(apps)


def unseed(apps, schema_editor):
    unseed_phrases(apps)


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
